package tui

import (
	"path/filepath"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
)

func TestAnswersRoundTrip(t *testing.T) {
	tests := []struct {
		name  string
		db    config.Database
		edit  func(a *Answers)
		want  config.Database
		check func(t *testing.T, a Answers)
	}{
		{
			name: "postgres keeps other extra parameters and non-TLS sslmode",
			db:   config.Database{Engine: config.EnginePostgres, Host: "db", Port: 5433, User: "u", Password: "p", Name: "shop", Extra: "sslmode=disable&application_name=x"},
			want: config.Database{Engine: config.EnginePostgres, Host: "db", Port: 5433, User: "u", Password: "p", Name: "shop", Extra: "application_name=x&sslmode=disable"},
			check: func(t *testing.T, a Answers) {
				if a.TLS || a.Port != "5433" {
					t.Errorf("answers %+v", a)
				}
			},
		},
		{
			name: "postgres TLS with a CA",
			db:   config.Database{Engine: config.EnginePostgres, Host: "db", Port: 5432, User: "u", Name: "shop"},
			edit: func(a *Answers) { a.TLS, a.SSLMode, a.SSLCA = true, PGVerifyFull, "/ca.pem" },
			want: config.Database{Engine: config.EnginePostgres, Host: "db", Port: 5432, User: "u", Name: "shop", Extra: "sslmode=verify-full", SSLCA: "/ca.pem"},
		},
		{
			name: "postgres TLS read back from the file",
			db:   config.Database{Engine: config.EnginePostgres, Host: "db", Port: 5432, User: "u", Name: "shop", Extra: "sslmode=verify-ca", SSLCA: "/ca.pem"},
			edit: func(a *Answers) { a.TLS = false },
			want: config.Database{Engine: config.EnginePostgres, Host: "db", Port: 5432, User: "u", Name: "shop"},
			check: func(t *testing.T, a Answers) {
				if !a.TLS || a.SSLMode != PGVerifyCA {
					t.Errorf("TLS not read back: %+v", a)
				}
			},
		},
		{
			name: "mysql verify with CA uses the CA, without it tls=true",
			db:   config.Database{Engine: config.EngineMySQL, Host: "db", Port: 3306, User: "u", Name: "shop"},
			edit: func(a *Answers) { a.TLS, a.SSLMode = true, MySQLVerify },
			want: config.Database{Engine: config.EngineMySQL, Host: "db", Port: 3306, User: "u", Name: "shop", Extra: "tls=true"},
		},
		{
			name: "mysql skip-verify",
			db:   config.Database{Engine: config.EngineMySQL, Host: "db", Port: 3306, User: "u", Name: "shop", SSLCA: "/ca.pem"},
			edit: func(a *Answers) { a.SSLMode = MySQLSkipVerify },
			want: config.Database{Engine: config.EngineMySQL, Host: "db", Port: 3306, User: "u", Name: "shop", Extra: "tls=skip-verify"},
		},
		{
			name: "switching to sqlite clears the server settings and the URL",
			db:   config.Database{Engine: config.EnginePostgres, Host: "db", Port: 5432, User: "u", Password: "p", Name: "shop", URL: "postgresql://u:p@db/shop", Extra: "sslmode=require"},
			edit: func(a *Answers) { a.SetEngine(config.EngineSQLite); a.Path = "data.db" },
			want: config.Database{Engine: config.EngineSQLite, Name: absOf("data.db")}, // stored absolute
		},
		{
			name: "mysql has no schema",
			db:   config.Database{Engine: config.EngineMySQL, Host: "db", Port: 3306, User: "u", Name: "shop", Schema: "x"},
			want: config.Database{Engine: config.EngineMySQL, Host: "db", Port: 3306, User: "u", Name: "shop"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := config.Defaults()
			s.Database = tc.db
			s.Project = " acme "
			a := AnswersFrom(s)
			if tc.check != nil {
				tc.check(t, a)
			}
			if tc.edit != nil {
				tc.edit(&a)
			}
			got := a.Apply(s).Database
			want := tc.want
			if got.Engine != want.Engine || got.Host != want.Host || got.Port != want.Port || got.User != want.User ||
				got.Password != want.Password || got.Name != want.Name || got.Extra != want.Extra || got.SSLCA != want.SSLCA ||
				got.URL != "" || got.Schema != want.Schema {
				t.Errorf("got  %#v\nwant %#v", got, want)
			}
			if p := a.Apply(s).Project; p != "acme" {
				t.Errorf("project %q", p)
			}
		})
	}
}

func TestSetEnginePort(t *testing.T) {
	tests := []struct {
		port   string
		engine config.Engine
		want   string
	}{
		{"", config.EnginePostgres, "5432"},
		{"", config.EngineMySQL, "3306"},
		{"5432", config.EngineMySQL, "3306"},
		{"3306", config.EnginePostgres, "5432"},
		{"6543", config.EngineMySQL, "6543"}, // a port the user chose stays
		{"5432", config.EngineSQLite, ""},
	}
	for _, tc := range tests {
		a := Answers{Port: tc.port}
		a.SetEngine(tc.engine)
		if a.Port != tc.want {
			t.Errorf("port %q -> %s: %q, want %q", tc.port, tc.engine, a.Port, tc.want)
		}
	}
}

func absOf(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		panic(err)
	}
	return abs
}
