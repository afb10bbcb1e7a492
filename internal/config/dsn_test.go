package config

import (
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
)

// hardPasswords are passwords that break naive DSN building.
var hardPasswords = []string{"p@ss:w/rd?", "a b&c=d#e%f", `q"u'o\te`, "(paren)@tcp(x)/y", "ünïcödé", "semi;colon,comma", ""}

func TestDSNPostgres(t *testing.T) {
	for _, pw := range hardPasswords {
		t.Run(pw, func(t *testing.T) {
			d := Database{Engine: EnginePostgres, Host: "db.example", Port: 6543, User: "us@er:x", Password: pw, Name: "my db/x"}
			dsn, err := d.DSN()
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := pgconn.ParseConfig(dsn)
			if err != nil {
				t.Fatalf("pgx cannot parse the DSN: %v", err)
			}
			if cfg.Password != pw || cfg.User != "us@er:x" || cfg.Host != "db.example" || cfg.Port != 6543 || cfg.Database != "my db/x" {
				t.Fatalf("pgx read user %q password ok %v host %q port %d db %q", cfg.User, cfg.Password == pw, cfg.Host, cfg.Port, cfg.Database)
			}
			if cfg.ConnectTimeout != 5*time.Second {
				t.Fatalf("connect timeout %v", cfg.ConnectTimeout)
			}
		})
	}
}

func TestDSNMySQL(t *testing.T) {
	for _, pw := range hardPasswords {
		t.Run(pw, func(t *testing.T) {
			d := Database{Engine: EngineMySQL, Host: "::1", Port: 3307, User: "admin@server", Password: pw, Name: "chinook"}
			dsn, err := d.DSN()
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := mysql.ParseDSN(dsn)
			if err != nil {
				t.Fatalf("go-sql-driver cannot parse the DSN: %v", err)
			}
			if cfg.Passwd != pw || cfg.User != "admin@server" || cfg.Addr != "[::1]:3307" || cfg.DBName != "chinook" || cfg.Net != "tcp" {
				t.Fatalf("driver read user %q password ok %v addr %q db %q", cfg.User, cfg.Passwd == pw, cfg.Addr, cfg.DBName)
			}
			if !cfg.ParseTime || cfg.Loc.String() != "UTC" || cfg.Timeout != 5*time.Second {
				t.Fatalf("params: parseTime %v loc %v timeout %v", cfg.ParseTime, cfg.Loc, cfg.Timeout)
			}
		})
	}
}

func TestDSNCases(t *testing.T) {
	tests := []struct {
		name string
		d    Database
		want []string // substrings of the DSN
		err  string
	}{
		{"pg defaults", Database{Engine: EnginePostgres, Name: "d"}, []string{"postgres://localhost:5432/d?", "sslmode=prefer", "connect_timeout=5"}, ""},
		{"pg extra kept", Database{Engine: EnginePostgres, Name: "d", Extra: "sslmode=require&application_name=jb"}, []string{"sslmode=require", "application_name=jb"}, ""},
		{"pg ssl ca", Database{Engine: EnginePostgres, Name: "d", SSLCA: "/ca.pem"}, []string{"sslmode=verify-full", "sslrootcert=%2Fca.pem"}, ""},
		{"pg from url", Database{URL: "postgresql://u:p%40w@h:1/d?sslmode=disable"}, []string{"postgres://u:p%40w@h:1/d?", "sslmode=disable", "connect_timeout=5"}, ""},
		{"pg url, explicit host wins", Database{URL: "postgres://u@h:1/d", Host: "other"}, []string{"@other:1/d?"}, ""},
		{"mysql utf8mb4 replaces upstream charset", Database{Engine: EngineMySQL, User: "root", Name: "d", Extra: "charset=utf8"}, []string{"root@tcp(localhost:3306)/d?", "charset=utf8mb4"}, ""},
		{"mysql tls", Database{Engine: EngineMySQL, Name: "d", SSLCA: "ca.pem"}, []string{"tls=jetbridge"}, ""},
		{"mysql from url", Database{URL: "mysql://root:pw@127.0.0.1:3307/chinook"}, []string{"root:pw@tcp(127.0.0.1:3307)/chinook?"}, ""},
		{"sqlite", Database{Engine: EngineSQLite, Name: "data/x.db"}, []string{"data/x.db?_pragma=foreign_keys(1)"}, ""},
		{"sqlite from url", Database{URL: "sqlite:///data/x.db"}, []string{"data/x.db?_pragma="}, ""},
		{"sqlite without name", Database{Engine: EngineSQLite}, nil, "DATABASE_NAME"},
		{"bad extra", Database{Engine: EnginePostgres, Name: "d", Extra: "password=secret%zz"}, nil, "DATABASE_EXTRA is not a query string"},
		{"alias engine", Database{Engine: "postgres", Name: "d"}, []string{"postgres://localhost:5432/d"}, ""},
		{"unsupported", Database{Engine: "oracle", Name: "d"}, nil, "unsupported DATABASE_ENGINE"},
		{"bad url", Database{URL: "mongodb://u:secret@h/d"}, nil, "not supported by jetbridge"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dsn, err := tt.d.DSN()
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || strings.Contains(err.Error(), "secret") {
					t.Fatalf("err %v, want %q without the secret", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(dsn, w) {
					t.Fatalf("DSN %q lacks %q", dsn, w)
				}
			}
		})
	}
}
