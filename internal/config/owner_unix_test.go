//go:build unix

package config

import (
	"errors"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// `sudo jetbridge init --config /etc/jetbridge/jet.conf` replaces the
// packaged service's file: the owner and group stay the service user's.
func TestWriteFileKeepsOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root may give a file to another user")
	}
	path := filepath.Join(t.TempDir(), "jet.conf")
	if err := os.WriteFile(path, []byte("[JET]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const uid, gid = 43210, 43211
	if err := os.Chown(path, uid, gid); err != nil {
		t.Fatal(err)
	}
	s := Defaults()
	s.Database = Database{Engine: EngineSQLite, Name: "/data/app.db", Connections: 5}
	if err := WriteFile(path, s); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	sys := st.Sys().(*syscall.Stat_t)
	if sys.Uid != uid || sys.Gid != gid || st.Mode().Perm() != 0o600 {
		t.Errorf("replaced file: owner %d:%d mode %04o, want %d:%d 0600", sys.Uid, sys.Gid, st.Mode().Perm(), uid, gid)
	}
	// a new file belongs to the writer
	fresh := filepath.Join(filepath.Dir(path), "new.conf")
	if err := WriteFile(fresh, s); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(fresh); err != nil || st.Sys().(*syscall.Stat_t).Uid != 0 {
		t.Errorf("new file: %v %v", st, err)
	}
}

func TestServiceUserWarning(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "jet.conf")
	if err := os.WriteFile(path, []byte("[JET]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	sys := st.Sys().(*syscall.Stat_t)
	me := func(uid, gid uint32) func(string) (*user.User, error) {
		return func(name string) (*user.User, error) {
			if name != ServiceUser {
				return nil, errors.New("unknown")
			}
			return &user.User{Username: name, Uid: itoa(uid), Gid: itoa(gid)}, nil
		}
	}
	noUser := func(string) (*user.User, error) { return nil, user.UnknownUserError("jetbridge") }
	tests := []struct {
		name   string
		euid   int
		mode   os.FileMode
		lookup func(string) (*user.User, error)
		warn   bool
	}{
		{"root writes a file the service user cannot read", 0, 0o600, me(sys.Uid+1000, sys.Gid+1000), true},
		{"the service user owns it", 0, 0o600, me(sys.Uid, sys.Gid+1000), false},
		{"the service group may read it", 0, 0o640, me(sys.Uid+1000, sys.Gid), false},
		{"group owner without the read bit", 0, 0o600, me(sys.Uid+1000, sys.Gid), true},
		{"no service user on this machine", 0, 0o600, noUser, false},
		{"not root: the user's own file", 1000, 0o600, me(sys.Uid+1000, sys.Gid+1000), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.Chmod(path, tc.mode); err != nil {
				t.Fatal(err)
			}
			w := serviceUserWarning(path, tc.euid, tc.lookup)
			if (w != "") != tc.warn {
				t.Fatalf("warning %q, want one: %v", w, tc.warn)
			}
			if tc.warn && !strings.Contains(w, "sudo chown jetbridge:jetbridge "+path) {
				t.Errorf("warning lacks the fix: %q", w)
			}
		})
	}
}

func itoa(n uint32) string { return strconv.FormatUint(uint64(n), 10) }
