package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strings"

	"github.com/spf13/pflag"
)

// sourced is the winning raw value of one option and where it came from.
type sourced struct {
	value string
	from  string // "environment variable PORT", "--port", "jet.conf line 3"
}

// Load builds Settings from, lowest precedence first: Defaults, the config
// file, flags of fs that were given on the command line (fs.Changed), and
// environment variables read through lookupEnv (os.LookupEnv in production)
// under upstream's names. fs and lookupEnv may be nil.
//
// The config file is CONFIG (environment), else --config, else jet.conf; a
// missing jet.conf is ignored, a missing file named explicitly is a problem.
//
// Values that cannot be parsed are all reported in one *Problems; the
// returned Settings then hold the defaults for those values. Load does not
// check that required settings are present: call Validate, or use
// LoadAndValidate to get one list of every problem.
func Load(fs *pflag.FlagSet, lookupEnv func(string) (string, bool)) (Settings, error) {
	if lookupEnv == nil {
		lookupEnv = func(string) (string, bool) { return "", false }
	}
	s := Defaults()
	opts := allOptions()
	byKey := optionsByKey(opts)
	var p Problems
	chosen := map[string]sourced{}
	put := func(o option, v, from string) {
		if o.kind.typed() && strings.TrimSpace(v) == "" {
			return // an empty number or boolean means "not set here"
		}
		chosen[o.key] = sourced{value: v, from: from}
	}

	// The config file's path.
	explicitFrom := ""
	if f := lookupFlag(fs, "config"); f != nil && f.Changed && f.Value.String() != "" {
		s.ConfigPath, explicitFrom = f.Value.String(), "--config"
	}
	if v, ok := lookupEnv("CONFIG"); ok && strings.TrimSpace(v) != "" {
		s.ConfigPath, explicitFrom = v, "environment variable CONFIG"
	}
	cf, found := readConf(s.ConfigPath, explicitFrom, &p, &s.Warnings)
	s.ConfigFound = found

	// Layer 1: the file.
	seen := map[string]int{}
	secretsInFile := false
	for _, e := range cf.entries {
		if e.key == "CONFIG" {
			continue // the path comes only from CONFIG or --config
		}
		o, ok := byKey[e.key]
		if !ok {
			if w := foreignKeyWarning(e.key, e.value, fmt.Sprintf("%s line %d", s.ConfigPath, e.line)); w != "" {
				s.Warnings = append(s.Warnings, w)
			}
			continue
		}
		if prev, dup := seen[e.key]; dup {
			s.Warnings = append(s.Warnings, fmt.Sprintf("%s: %s is set on lines %d and %d; line %d wins", s.ConfigPath, e.key, prev, e.line, e.line))
		}
		seen[e.key] = e.line
		if o.kind == kindSecret && e.value != "" {
			secretsInFile = true
		}
		put(o, e.value, fmt.Sprintf("%s line %d", s.ConfigPath, e.line))
	}
	if secretsInFile {
		if w := permissionWarning(s.ConfigPath); w != "" {
			s.Warnings = append(s.Warnings, w)
		}
	}

	// Layer 2: flags given on the command line.
	for _, o := range opts {
		if o.key == "CONFIG" {
			continue
		}
		if f := lookupFlag(fs, o.flag); f != nil && f.Changed {
			put(o, f.Value.String(), "--"+o.flag)
		}
	}

	// Layer 3: the environment.
	for _, o := range opts {
		if o.key == "CONFIG" {
			continue
		}
		if v, ok := lookupEnv(o.key); ok {
			if prev, given := chosen[o.key]; given && strings.HasPrefix(prev.from, "--") && prev.value != v &&
				!(o.kind.typed() && strings.TrimSpace(v) == "") {
				s.Warnings = append(s.Warnings, fmt.Sprintf("environment variable %s overrides %s: %s is used (the environment wins over flags; unset %s to use the flag)",
					o.key, shownFlag(o, prev), shownValue(o, v), o.key))
			}
			put(o, v, "environment variable "+o.key)
		}
	}
	for _, key := range unsupportedKeys() {
		if v, ok := lookupEnv(key); ok {
			if w := foreignKeyWarning(key, v, "environment variable "+key); w != "" {
				s.Warnings = append(s.Warnings, w)
			}
		}
	}

	// Parse the winners.
	for _, o := range opts {
		src, ok := chosen[o.key]
		if !ok {
			continue
		}
		if err := o.set(&s, src.value); err != nil {
			p.add("%s (from %s) %v", shown(o, src.value), src.from, err)
		}
	}
	if s.Database.Engine != "" {
		s.Database.Engine = ParseEngine(string(s.Database.Engine))
	}
	if d, err := s.Database.withURL(); err != nil {
		p.add("%v (from %s)", err, chosen["DATABASE_URL"].from)
	} else {
		s.Database = d
	}
	if s.Database.Port == 0 {
		s.Database.Port = s.Database.Engine.DefaultPort()
	}
	return s, p.err()
}

// LoadAndValidate is Load followed by Validate, returning one *Problems
// listing the problems of both.
func LoadAndValidate(fs *pflag.FlagSet, lookupEnv func(string) (string, bool), needDatabase bool) (Settings, error) {
	s, loadErr := Load(fs, lookupEnv)
	var all Problems
	for _, err := range []error{loadErr, s.Validate(needDatabase)} {
		var p *Problems
		if errors.As(err, &p) {
			for _, item := range p.List {
				if !contains(all.List, item) {
					all.List = append(all.List, item)
				}
			}
		} else if err != nil {
			return s, err
		}
	}
	return s, all.err()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// shownFlag renders --flag value for messages (only --flag for secrets).
func shownFlag(o option, src sourced) string {
	if o.kind == kindSecret {
		return src.from
	}
	return src.from + " " + shownValue(o, src.value)
}

// shownValue quotes a value for messages, or hides a secret.
func shownValue(o option, v string) string {
	if o.kind == kindSecret {
		return "its value"
	}
	r := []rune(v)
	if len(r) > 60 {
		v = string(r[:57]) + "..."
	}
	return fmt.Sprintf("%q", v)
}

// shown renders KEY="value" for messages, or only KEY for secrets.
func shown(o option, v string) string {
	if o.kind == kindSecret {
		return o.key
	}
	r := []rune(v)
	if len(r) > 60 {
		v = string(r[:57]) + "..."
	}
	return fmt.Sprintf("%s=%q", o.key, v)
}

func lookupFlag(fs *pflag.FlagSet, name string) *pflag.Flag {
	if fs == nil {
		return nil
	}
	return fs.Lookup(name)
}

// readConf reads the config file. A missing file is a problem only when its
// path was given explicitly (explicitFrom names where).
func readConf(path, explicitFrom string, p *Problems, warnings *[]string) (confFile, bool) {
	f, err := os.Open(path)
	if err != nil {
		switch {
		case errors.Is(err, fs.ErrNotExist) && explicitFrom == "":
		case errors.Is(err, fs.ErrNotExist):
			p.add("config file %s (from %s) does not exist: create it, or point CONFIG / --config at an existing file", path, explicitFrom)
		default:
			p.add("cannot read config file: %v: make it readable, or point CONFIG / --config at another file", err)
		}
		return confFile{}, false
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		p.add("config file %s is a directory: point CONFIG / --config at a file", path)
		return confFile{}, false
	}
	cf, err := parseConf(f, path)
	if err != nil {
		p.add("cannot read config file: %v", err)
		return confFile{}, false
	}
	p.List = append(p.List, cf.problems...)
	if !cf.hasSection && len(cf.problems) == 0 {
		*warnings = append(*warnings, fmt.Sprintf("%s has no [JET] section: nothing was read from it", path))
	}
	return cf, true
}

// permissionWarning warns when a file holding secrets is readable by others.
func permissionWarning(path string) string {
	if runtime.GOOS == "windows" {
		return ""
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm()&0o077 == 0 {
		return ""
	}
	return fmt.Sprintf("%s holds secrets and is readable by other users (mode %04o): run chmod 600 %s", path, st.Mode().Perm(), path)
}
