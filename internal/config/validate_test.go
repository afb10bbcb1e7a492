package config

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func validDB() Settings {
	s := Defaults()
	s.Database.Engine = EnginePostgres
	s.Database.Name = "shop"
	return s
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	cert := filepath.Join(dir, "cert.pem")
	writeTo(t, cert, "x")
	tests := []struct {
		name         string
		edit         func(*Settings)
		needDatabase bool
		want         []string // substrings, one per problem; nil = valid
	}{
		{"valid", func(*Settings) {}, true, nil},
		{"defaults without database", func(s *Settings) { *s = Defaults() }, false, nil},
		{"missing engine and name", func(s *Settings) { s.Database = Database{Connections: 5} }, true, []string{
			"DATABASE_ENGINE is not set: set DATABASE_ENGINE (or --database-engine, or DATABASE_ENGINE= in jet.conf) to postgresql, mysql or sqlite",
			"DATABASE_NAME is not set: set DATABASE_NAME (or --database-name, or DATABASE_NAME= in jet.conf) to the database name",
		}},
		{"sqlite name hint", func(s *Settings) { s.Database.Engine, s.Database.Name = EngineSQLite, " " }, true, []string{"to the SQLite file path"}},
		{"database not needed", func(s *Settings) { s.Database = Database{Engine: "oracle"} }, false, nil},
		{"unsupported engine", func(s *Settings) { s.Database.Engine = "cockroachdb" }, true, []string{`DATABASE_ENGINE="cockroachdb" is not supported by jetbridge: use postgresql, mysql or sqlite`}},
		{"ranges", func(s *Settings) {
			s.Port, s.Database.Port, s.Database.Connections, s.Database.MaxTables, s.SQLTimeout = 70000, -1, 0, -2, 0
		}, true, []string{"PORT=70000 is out of range", "DATABASE_PORT=-1 is out of range", "CONNECTIONS=0 is too small", "DATABASE_MAX_TABLES=-2 is negative", "SQL_TIMEOUT is not positive"}},
		{"bad extra", func(s *Settings) { s.Database.Extra = "password=%zz" }, true, []string{"DATABASE_EXTRA is not a query string"}},
		{"extra ignored for sqlite", func(s *Settings) { s.Database.Engine, s.Database.Extra = EngineSQLite, "%zz" }, true, nil},
		{"mysql user with colon", func(s *Settings) { s.Database.Engine, s.Database.User = EngineMySQL, "a:b" }, true, []string{"DATABASE_USER contains ':'"}},
		{"time zone", func(s *Settings) { s.Database.Timezone = "Mars/Olympus" }, true, []string{`DATABASE_TIMEZONE="Mars/Olympus" is not a known time zone`}},
		{"good time zone", func(s *Settings) { s.Database.Timezone = "UTC" }, true, nil},
		{"tls pair", func(s *Settings) { s.SSLCert = cert }, true, []string{"SSL_CERT is set but SSL_KEY is not"}},
		{"tls key only, missing file", func(s *Settings) { s.SSLKey = filepath.Join(dir, "nope.pem") }, true, []string{"SSL_KEY is set but SSL_CERT is not", "nope.pem\" cannot be read (no such file or directory): set SSL_KEY to an existing file"}},
		{"tls both", func(s *Settings) { s.SSLCert, s.SSLKey = cert, cert }, true, nil},
		{"db ssl dir", func(s *Settings) { s.Database.SSLCA = dir }, true, []string{"\" is a directory: set DATABASE_SSL_CA to a file"}},
		{"base urls", func(s *Settings) { s.APIBaseURL, s.WebBaseURL = "api.jetadmin.io", "" }, false, []string{`API_BASE_URL="api.jetadmin.io" is not an http(s) URL`, `WEB_BASE_URL="" is not an http(s) URL`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validDB()
			tt.edit(&s)
			got := problems(t, s.Validate(tt.needDatabase))
			if len(got) != len(tt.want) {
				t.Fatalf("problems %q, want %d: %q", got, len(tt.want), tt.want)
			}
			for _, w := range tt.want {
				if !hasItem(got, w) {
					t.Errorf("problems %q lack %q", got, w)
				}
			}
		})
	}
}

func TestProblemsError(t *testing.T) {
	one := &Problems{List: []string{"a is wrong"}}
	if one.Error() != "invalid settings: a is wrong" {
		t.Fatalf("%q", one.Error())
	}
	two := &Problems{List: []string{"a", "b"}}
	if two.Error() != "invalid settings (2 problems):\n  - a\n  - b" {
		t.Fatalf("%q", two.Error())
	}
	var p *Problems
	wrapped := fmt.Errorf("serve: %w", two)
	if !errors.As(wrapped, &p) || len(p.List) != 2 {
		t.Fatalf("errors.As through wrapping failed")
	}
	if err := validDB().Validate(true); err != nil {
		t.Fatalf("valid settings gave %v (a typed nil would break err != nil checks)", err)
	}
}

// TestSecretsNeverInMessages puts distinctive secrets everywhere a message
// could pick them up and checks no problem or warning shows them.
func TestSecretsNeverInMessages(t *testing.T) {
	const pw, tok, key = "PW-s3cr3t-41", "TOK-s3cr3t-42", "KEY-s3cr3t-43"
	path := writeConf(t, "[JET]\nDATABASE_PASSWORD="+pw+"\nTOKEN="+tok+"\nBEARER_AUTH_KEY="+key+"\nDATABASE_PASWORD="+pw+"\nDATABASE_SSH_PRIVATE_KEY="+key+"\n")
	_ = chmod(path, 0o644)
	cases := []map[string]string{
		{"CONFIG": path, "DATABASE_URL": "postgres://u:" + pw + "@h:99999/d", "DATABASE_ENGINE": "oracle"},
		{"CONFIG": path, "DATABASE_URL": "mysql://u:" + pw + "@h/d", "DATABASE_ENGINE": "postgresql"},
		{"CONFIG": path, "DATABASE_URL": "mongodb+srv://u:" + pw + "@h/d"},
		{"CONFIG": path, "DATABASE_URL": pw + ":" + tok + "@h/d"},
		{"CONFIG": path, "DATABASE_EXTRA": "password=" + pw + "%zz", "DATABASE_ENGINE": "mysql", "DATABASE_USER": "x:" + "y"},
	}
	for i, e := range cases {
		s, err := LoadAndValidate(nil, env(e), true)
		text := fmt.Sprint(err) + strings.Join(s.Warnings, "\n")
		if err == nil {
			t.Fatalf("case %d: no problem", i)
		}
		for _, secret := range []string{pw, tok, key} {
			if strings.Contains(text, secret) {
				t.Fatalf("case %d: secret %q in\n%s", i, secret, text)
			}
		}
		if len(s.Warnings) < 3 { // permissions, typo, ssh key
			t.Fatalf("case %d: warnings %q", i, s.Warnings)
		}
	}
}

func TestValidateTimeout(t *testing.T) {
	s := validDB()
	s.SQLTimeout = time.Nanosecond
	if err := s.Validate(true); err != nil {
		t.Fatal(err)
	}
}
