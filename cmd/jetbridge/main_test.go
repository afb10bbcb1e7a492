package main

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// binName is the name under which the test binary behaves as jetbridge.
const binName = "jetbridge"

// TestMain runs the test binary as the jetbridge command when it is started
// under the name jetbridge. The end-to-end tests exec a link to the test
// binary instead of building the command with go build: the package is
// built once, by go test.
func TestMain(m *testing.M) {
	if strings.TrimSuffix(filepath.Base(os.Args[0]), ".exe") == binName {
		main()
		return
	}
	os.Exit(m.Run())
}

// buildJetbridge returns the path of a jetbridge command for end-to-end
// tests: a link (a copy on Windows) to this test binary, which TestMain turns
// into the command. Skipped with -short.
func buildJetbridge(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the command as a process; skipped with -short")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatalf("find the test binary: %v", err)
	}
	bin := filepath.Join(t.TempDir(), binName)
	if runtime.GOOS == "windows" {
		bin += ".exe"
		if err := copyFile(self, bin); err != nil {
			t.Fatal(err)
		}
		return bin
	}
	if err := os.Symlink(self, bin); err != nil {
		t.Fatalf("link the test binary: %v", err)
	}
	return bin
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
