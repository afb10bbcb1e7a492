package config

import (
	"errors"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseConf(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		want     map[string]string
		problems []string
	}{
		{"basic", "[JET]\nPORT=1\nADDRESS = 127.0.0.1 \n", map[string]string{"PORT": "1", "ADDRESS": "127.0.0.1"}, nil},
		{"keys case-insensitive, dashes", "[JET]\ndatabase_name=a\nDatabase-Host=b\n", map[string]string{"DATABASE_NAME": "a", "DATABASE_HOST": "b"}, nil},
		{"colon separator", "[JET]\nPROJECT: p\n", map[string]string{"PROJECT": "p"}, nil},
		{"first separator splits", "[JET]\nDATABASE_URL=postgres://u:p@h:1/d\n", map[string]string{"DATABASE_URL": "postgres://u:p@h:1/d"}, nil},
		{"comments, no inline comments, no interpolation", "# c\n; c\n[JET]\n  # indented comment\nDATABASE_PASSWORD=a#b;c%(x)s%%\n", map[string]string{"DATABASE_PASSWORD": "a#b;c%(x)s%%"}, nil},
		{"empty value", "[JET]\nTOKEN=\n", map[string]string{"TOKEN": ""}, nil},
		{"section case-insensitive", "[jet]\nPORT=1\n", map[string]string{"PORT": "1"}, nil},
		{"other sections skipped", "[OTHER]\nPORT=9\n  more\n[JET]\nPORT=1\n[LATER]\nPROJECT=x\n", map[string]string{"PORT": "1"}, nil},
		{"continuation lines", "[JET]\nJWT_VERIFY_KEY=-----BEGIN PUBLIC KEY-----\n\tAAAA\n    BBBB\n  -----END PUBLIC KEY-----\nPORT=1\n",
			map[string]string{"JWT_VERIFY_KEY": "-----BEGIN PUBLIC KEY-----\nAAAA\nBBBB\n-----END PUBLIC KEY-----", "PORT": "1"}, nil},
		{"continuation after empty value", "[JET]\nJWT_VERIFY_KEY=\n  a\n  b\n", map[string]string{"JWT_VERIFY_KEY": "a\nb"}, nil},
		{"CRLF and BOM", "\ufeff[JET]\r\nPORT=1\r\nPROJECT=p\r\n", map[string]string{"PORT": "1", "PROJECT": "p"}, nil},
		{"no header", "PORT=1\nPROJECT=p\n", map[string]string{}, []string{"line 1: setting before any section header: put [JET] on the first line", "line 2: setting before"}},
		{"broken header", "[JET\nPORT=1\n", map[string]string{}, []string{"line 1: section header without ']'"}},
		{"not key=value", "[JET]\njust words\n=novalue\n", map[string]string{}, []string{"line 2: not a KEY=value line", "line 3: not a KEY=value line"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cf, err := parseConf(strings.NewReader(tt.text), "jet.conf")
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, e := range cf.entries {
				got[e.key] = e.value
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("entries %q, want %q", got, tt.want)
			}
			if len(cf.problems) != len(tt.problems) {
				t.Fatalf("problems %q, want %q", cf.problems, tt.problems)
			}
			for _, p := range tt.problems {
				if !hasItem(cf.problems, p) {
					t.Fatalf("problems %q lack %q", cf.problems, p)
				}
			}
		})
	}
}

func TestParseConfLineNumbers(t *testing.T) {
	cf, err := parseConf(strings.NewReader("# x\n\n[JET]\nA=1\n\nB=2\n"), "f")
	if err != nil {
		t.Fatal(err)
	}
	if len(cf.entries) != 2 || cf.entries[0].line != 4 || cf.entries[1].line != 6 {
		t.Fatalf("entries %+v", cf.entries)
	}
}

func TestReadFile(t *testing.T) {
	path := writeConf(t, "[JET]\nport=1\nPORT=2\ndatabase_engine=sqlite\n")
	m, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(m, map[string]string{"PORT": "2", "DATABASE_ENGINE": "sqlite"}) {
		t.Fatalf("ReadFile = %q", m)
	}
	if _, err := ReadFile(filepath.Join(t.TempDir(), "missing.conf")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing file: %v, want fs.ErrNotExist", err)
	}
	_, err = ReadFile(writeConf(t, "PORT=1\n"))
	if got := problems(t, err); len(got) != 1 {
		t.Fatalf("no header: problems %q", got)
	}
}

// TestConfProblemsReachLoad: unreadable lines are reported by Load, with the
// file's good lines still applied.
func TestConfProblemsReachLoad(t *testing.T) {
	path := writeConf(t, "[JET]\nPORT=1234\noops\n")
	s, err := Load(nil, env(map[string]string{"CONFIG": path}))
	if got := problems(t, err); len(got) != 1 || !hasItem(got, path+" line 3: not a KEY=value line") {
		t.Fatalf("problems %q", got)
	}
	if s.Port != 1234 {
		t.Fatalf("port %d", s.Port)
	}
}
