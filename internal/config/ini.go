package config

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

// confEntry is one KEY=value of the [JET] section with its line number.
type confEntry struct {
	key   string // normalised: upper case, '_' for '-'
	value string
	line  int
}

// confFile is a parsed jet.conf.
type confFile struct {
	entries    []confEntry
	hasSection bool     // a [JET] section was present
	problems   []string // lines that could not be read
}

// parseConf reads an INI file the way upstream's configparser does for the
// [JET] section: "KEY=value" or "KEY: value", keys case-insensitive, values
// trimmed, whole-line "#" and ";" comments, indented lines continuing the
// previous value, no interpolation and no inline comments (a password may
// contain "#"). Other sections are skipped. name labels problem messages.
func parseConf(r io.Reader, name string) (confFile, error) {
	var cf confFile
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1024*1024)
	section := "" // current section, upper-cased
	last := -1    // index in cf.entries of the value a continuation extends
	lineNo := 0
	for sc.Scan() {
		lineNo++
		raw := strings.TrimRight(sc.Text(), "\r")
		if lineNo == 1 {
			raw = strings.TrimPrefix(raw, "\ufeff")
		}
		trimmed := strings.TrimSpace(raw)
		if trimmed == "" {
			continue
		}
		if trimmed[0] == '#' || trimmed[0] == ';' {
			continue
		}
		if raw[0] == ' ' || raw[0] == '\t' {
			if last >= 0 {
				e := &cf.entries[last]
				if e.value == "" {
					e.value = trimmed
				} else {
					e.value += "\n" + trimmed
				}
				continue
			}
			if section != "" && section != "JET" {
				continue
			}
		}
		if trimmed[0] == '[' {
			end := strings.IndexByte(trimmed, ']')
			if end < 0 {
				cf.problems = append(cf.problems, fmt.Sprintf("%s line %d: section header without ']': write it as [JET]", name, lineNo))
				section, last = "?", -1
				continue
			}
			section = strings.ToUpper(strings.TrimSpace(trimmed[1:end]))
			last = -1
			if section == "JET" {
				cf.hasSection = true
			}
			continue
		}
		sep := strings.IndexAny(trimmed, "=:")
		if section == "" {
			cf.problems = append(cf.problems, fmt.Sprintf("%s line %d: setting before any section header: put [JET] on the first line", name, lineNo))
			continue
		}
		if section != "JET" {
			last = -1
			continue
		}
		if sep <= 0 {
			cf.problems = append(cf.problems, fmt.Sprintf("%s line %d: not a KEY=value line: write settings as KEY=value", name, lineNo))
			last = -1
			continue
		}
		cf.entries = append(cf.entries, confEntry{
			key:   normKey(trimmed[:sep]),
			value: strings.TrimSpace(trimmed[sep+1:]),
			line:  lineNo,
		})
		last = len(cf.entries) - 1
	}
	if err := sc.Err(); err != nil {
		return cf, fmt.Errorf("read %s: %w", name, err)
	}
	return cf, nil
}

// ReadFile returns the [JET] section of a jet.conf as a map from upstream key
// (upper case, e.g. DATABASE_ENGINE) to value; a key repeated later in the
// file wins. A missing file gives an error matching fs.ErrNotExist; lines that
// cannot be read give a *Problems.
func ReadFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read config file: %w", err)
	}
	defer f.Close()
	cf, err := parseConf(f, path)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(cf.entries))
	for _, e := range cf.entries {
		out[e.key] = e.value
	}
	if len(cf.problems) > 0 {
		return out, &Problems{List: cf.problems}
	}
	return out, nil
}
