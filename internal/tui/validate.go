package tui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Validators of the wizard's fields. Each returns nil or an error whose text
// is shown under the field as it is; none ever repeats a secret.

// Required rejects an empty (or blank) answer; what names the field.
func Required(what string) func(string) error {
	return func(s string) error {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("%s is required", what)
		}
		return nil
	}
}

// ValidatePort accepts a TCP port number from 1 to 65535.
func ValidatePort(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return errors.New("port is required")
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return errors.New("port must be a number, like 5432")
	}
	if n < 1 || n > 65535 {
		return errors.New("port must be from 1 to 65535")
	}
	return nil
}

// ValidateHost accepts a host name or IP address (not a URL, no spaces).
func ValidateHost(s string) error {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return errors.New("host is required")
	case strings.Contains(s, "://"):
		return errors.New("enter only the host name, like db.example.com (no scheme)")
	case strings.ContainsAny(s, " \t/@"):
		return errors.New("a host name has no spaces, '/' or '@'")
	}
	return nil
}

// ValidateProject accepts an empty answer (no project yet) or a Jet Admin
// project unique name: letters, digits, '-' and '_', at most 64 characters.
func ValidateProject(s string) error {
	s = strings.TrimSpace(s)
	if len(s) > 64 {
		return errors.New("a project name has at most 64 characters")
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return fmt.Errorf("a project unique name has only letters, digits, '-' and '_' (found %q)", r)
		}
	}
	return nil
}

// ValidateOptionalFile accepts an empty answer or a readable regular file.
func ValidateOptionalFile(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	return existingFile(s)
}

func existingFile(path string) error {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s does not exist", path)
	case err != nil:
		return fmt.Errorf("cannot read %s: %v", path, unwrapPath(err))
	case st.IsDir():
		return fmt.Errorf("%s is a folder, not a file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("cannot read %s: %v", path, unwrapPath(err))
	}
	_ = f.Close()
	return nil
}

// ValidateSQLitePath accepts a file path whose folder exists; the file itself
// may be missing (the wizard offers to create it) but must not be a folder.
func ValidateSQLitePath(s string) error {
	return fileInExistingFolder("SQLite file path", s)
}

// ValidateConfigPath accepts where jet.conf is written: a file path whose
// folder exists.
func ValidateConfigPath(s string) error {
	return fileInExistingFolder("config file path", s)
}

func fileInExistingFolder(what, s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return fmt.Errorf("%s is required", what)
	}
	if st, err := os.Stat(s); err == nil && st.IsDir() {
		return fmt.Errorf("%s is a folder: add a file name, like %s", s, filepath.Join(s, exampleName(what)))
	}
	dir := filepath.Dir(s)
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("folder %s does not exist: create it first", dir)
	case err != nil:
		return fmt.Errorf("cannot use folder %s: %v", dir, unwrapPath(err))
	case !st.IsDir():
		return fmt.Errorf("%s is not a folder", dir)
	}
	return nil
}

func exampleName(what string) string {
	if strings.HasPrefix(what, "SQLite") {
		return "data.db"
	}
	return "jet.conf"
}

// FileExists reports whether path names an existing file (or anything that
// is not missing).
func FileExists(path string) bool {
	_, err := os.Stat(strings.TrimSpace(path))
	return err == nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
