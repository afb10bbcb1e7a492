package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// env returns a lookupEnv over m.
func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

// writeConf writes text to a jet.conf in a fresh folder and returns its path.
func writeConf(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "jet.conf")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// flags returns a bound flag set parsed from args.
func flags(t *testing.T, args ...string) *pflag.FlagSet {
	t.Helper()
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	Bind(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatalf("parse %v: %v", args, err)
	}
	return fs
}

// problems returns the items of a *Problems error, failing on other errors.
func problems(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var p *Problems
	if !errors.As(err, &p) {
		t.Fatalf("error %v (%T) is not a *Problems", err, err)
	}
	return p.List
}

// mustLoad loads and fails the test on any error.
func mustLoad(t *testing.T, fs *pflag.FlagSet, e map[string]string) Settings {
	t.Helper()
	s, err := Load(fs, env(e))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s
}

// chdir switches into a fresh folder so that the default jet.conf is absent.
func chdir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	return dir
}

func hasItem(list []string, parts ...string) bool {
	for _, item := range list {
		ok := true
		for _, p := range parts {
			if !strings.Contains(item, p) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func writeTo(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

func chmod(path string, mode os.FileMode) error { return os.Chmod(path, mode) }

// copyTestdata copies testdata/name into a temporary folder with mode 0600
// (git does not keep that mode) and returns the copy's path.
func copyTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	writeTo(t, path, string(b))
	return path
}
