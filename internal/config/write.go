package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// WriteFile writes s as a jet.conf that both jetbridge and the Python Jet
// Bridge read: "[JET]" then KEY=value lines with upstream key names, holding
// DATABASE_ENGINE, DATABASE_NAME and every setting that differs from
// Defaults (CONFIG, ConfigFound and Warnings are not written). The file is
// replaced atomically (a temporary file in the same folder, then rename) and
// ends up with mode 0600 whether or not it existed; a replaced file keeps its
// owner and group where the writer may set them (root may). A value the INI format
// cannot carry (leading or trailing spaces, blank lines) is an error naming
// the key, never showing the value.
func WriteFile(path string, s Settings) error {
	text, err := render(s)
	if err != nil {
		return err
	}
	target := path
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		target = resolved // keep a symlinked jet.conf a symlink
	}
	dir := filepath.Dir(target)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(target)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write config file: %w", err)
	}
	tmpName := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			_ = tmp.Close()
			_ = os.Remove(tmpName)
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("write config file: %w", err)
	}
	keepOwner(tmp, target)
	if _, err := tmp.WriteString(text); err != nil {
		return fmt.Errorf("write config file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write config file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write config file: %w", err)
	}
	if err := os.Rename(tmpName, target); err != nil {
		return fmt.Errorf("write config file: %w", err)
	}
	ok = true
	if d, err := os.Open(dir); err == nil { // make the rename durable; best effort
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// render produces the text WriteFile writes.
func render(s Settings) (string, error) {
	def := Defaults()
	var b strings.Builder
	b.WriteString("# jetbridge settings (also read by the Python Jet Bridge). Holds secrets: keep it mode 0600.\n[JET]\n")
	var bad []string
	for _, o := range allOptions() {
		if o.key == "CONFIG" {
			continue
		}
		v := o.text(&s)
		always := o.key == "DATABASE_ENGINE" || o.key == "DATABASE_NAME"
		switch {
		case always:
		case o.key == "DATABASE_PORT":
			if s.Database.Port == 0 || s.Database.Port == s.Database.Engine.DefaultPort() {
				continue
			}
		case v == o.text(&def):
			continue
		}
		if !storable(v) {
			bad = append(bad, o.key)
			continue
		}
		b.WriteString(o.key + "=" + strings.ReplaceAll(v, "\n", "\n\t") + "\n")
	}
	if len(bad) > 0 {
		return "", errors.New("cannot write " + strings.Join(bad, ", ") + " to a config file (leading or trailing spaces, or blank lines, are lost in INI): set them in the environment instead")
	}
	return b.String(), nil
}

// storable reports whether v survives an INI round trip: each line keeps its
// text after trimming, and no line is blank.
func storable(v string) bool {
	if v == "" {
		return true
	}
	if strings.ContainsRune(v, '\r') {
		return false
	}
	for i, line := range strings.Split(v, "\n") {
		if strings.TrimSpace(line) != line || line == "" {
			return false
		}
		// a continuation line starting with a comment marker would be dropped
		if i > 0 && (line[0] == '#' || line[0] == ';') {
			return false
		}
	}
	return true
}
