//go:build unix

package config

import (
	"fmt"
	"os"
	"os/user"
	"strconv"
	"syscall"
)

// ServiceUser is the user the packaged service (systemd, OpenRC) runs as.
const ServiceUser = "jetbridge"

// keepOwner gives tmp the owner and group of the file it replaces, so that
// `sudo jetbridge init` does not take the packaged service's config file
// away from the service user. Best effort: without the right to chown, the
// new file belongs to whoever writes it.
func keepOwner(tmp *os.File, target string) {
	st, err := os.Stat(target)
	if err != nil {
		return
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return
	}
	_ = tmp.Chown(int(sys.Uid), int(sys.Gid))
}

// ServiceUserWarning says when the config file at path, written by root, is
// unreadable by the packaged service's user (when that user exists): the
// service would no longer start. It returns "" otherwise.
func ServiceUserWarning(path string) string {
	return serviceUserWarning(path, os.Geteuid(), user.Lookup)
}

func serviceUserWarning(path string, euid int, lookup func(string) (*user.User, error)) string {
	if euid != 0 {
		return ""
	}
	u, err := lookup(ServiceUser)
	if err != nil {
		return ""
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	st, err := os.Stat(path)
	if err1 != nil || err2 != nil || err != nil {
		return ""
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	perm := st.Mode().Perm()
	switch {
	case int(sys.Uid) == uid && perm&0o400 != 0:
		return ""
	case int(sys.Gid) == gid && perm&0o040 != 0:
		return ""
	case perm&0o004 != 0:
		return ""
	}
	owner := strconv.Itoa(int(sys.Uid))
	if o, err := user.LookupId(owner); err == nil {
		owner = o.Username
	}
	return fmt.Sprintf("%s belongs to %s (mode %04o): the jetbridge service, which runs as user %s, cannot read it. "+
		"If the service uses this file, run: sudo chown %s:%s %s", path, owner, perm, ServiceUser, ServiceUser, ServiceUser, path)
}
