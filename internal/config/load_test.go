package config

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestLoadDefaults(t *testing.T) {
	chdir(t)
	s := mustLoad(t, nil, nil)
	want := Defaults()
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("Load with nothing set = %+v\nwant %+v", s, want)
	}
	if s.Address != "0.0.0.0" || s.Port != 8888 || s.ConfigPath != "jet.conf" || !s.CORSHeaders ||
		s.AllowOrigin != "*" || s.APIBaseURL != "https://api.jetadmin.io/api" ||
		s.WebBaseURL != "https://app.jetadmin.io" || !s.AutoOpenRegister ||
		s.Database.Connections != 5 || s.SQLTimeout != 30*time.Second || s.ConfigFound {
		t.Fatalf("defaults differ from the documented ones: %+v", s)
	}
}

// TestPrecedence checks defaults < file < explicit flags < environment for a
// number, a string and a boolean (Q24: the file no longer beats a flag).
func TestPrecedence(t *testing.T) {
	type layer struct{ file, flag, env string }
	tests := []struct {
		name  string
		key   string
		in    layer
		check func(Settings) any
		want  any
	}{
		{"port default", "PORT", layer{}, func(s Settings) any { return s.Port }, 8888},
		{"port file", "PORT", layer{file: "1111"}, func(s Settings) any { return s.Port }, 1111},
		{"port flag", "PORT", layer{flag: "2222"}, func(s Settings) any { return s.Port }, 2222},
		{"port env", "PORT", layer{env: "3333"}, func(s Settings) any { return s.Port }, 3333},
		{"port flag beats file", "PORT", layer{file: "1111", flag: "2222"}, func(s Settings) any { return s.Port }, 2222},
		{"port env beats file", "PORT", layer{file: "1111", env: "3333"}, func(s Settings) any { return s.Port }, 3333},
		{"port env beats flag", "PORT", layer{flag: "2222", env: "3333"}, func(s Settings) any { return s.Port }, 3333},
		{"port env beats all", "PORT", layer{file: "1111", flag: "2222", env: "3333"}, func(s Settings) any { return s.Port }, 3333},
		{"port empty env keeps flag", "PORT", layer{flag: "2222", env: " "}, func(s Settings) any { return s.Port }, 2222},
		{"host file", "DATABASE_HOST", layer{file: "f.example"}, func(s Settings) any { return s.Database.Host }, "f.example"},
		{"host flag beats file", "DATABASE_HOST", layer{file: "f.example", flag: "g.example"}, func(s Settings) any { return s.Database.Host }, "g.example"},
		{"host env beats all", "DATABASE_HOST", layer{file: "f.example", flag: "g.example", env: "e.example"}, func(s Settings) any { return s.Database.Host }, "e.example"},
		{"host empty env clears", "DATABASE_HOST", layer{file: "f.example", env: ""}, func(s Settings) any { return s.Database.Host }, ""},
		{"read_only default", "READ_ONLY", layer{}, func(s Settings) any { return s.ReadOnly }, false},
		{"read_only file", "READ_ONLY", layer{file: "yes"}, func(s Settings) any { return s.ReadOnly }, true},
		{"read_only flag false beats file", "READ_ONLY", layer{file: "true", flag: "false"}, func(s Settings) any { return s.ReadOnly }, false},
		{"read_only env beats flag", "READ_ONLY", layer{flag: "false", env: "on"}, func(s Settings) any { return s.ReadOnly }, true},
		{"cors default true, file off", "CORS_HEADERS", layer{file: "off"}, func(s Settings) any { return s.CORSHeaders }, false},
		{"connections env", "CONNECTIONS", layer{file: "7", env: "9"}, func(s Settings) any { return s.Database.Connections }, 9},
		{"sql timeout flag", "SQL_TIMEOUT", layer{file: "10", flag: "45s"}, func(s Settings) any { return s.SQLTimeout }, 45 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chdir(t)
			e := map[string]string{}
			var args []string
			if tt.in.file != "" {
				e["CONFIG"] = writeConf(t, "[JET]\n"+tt.key+"="+tt.in.file+"\n")
			}
			if tt.in.flag != "" {
				args = append(args, "--"+flagName(tt.key)+"="+tt.in.flag)
			}
			if tt.in.env != "" || strings.Contains(tt.name, "empty") {
				e[tt.key] = tt.in.env
			}
			s := mustLoad(t, flags(t, args...), e)
			if got := tt.check(s); got != tt.want {
				t.Fatalf("%s = %v, want %v", tt.key, got, tt.want)
			}
		})
	}
}

// TestUnchangedFlagDoesNotOverride: a bound flag the user did not give keeps
// its default out of the way of the file.
func TestUnchangedFlagDoesNotOverride(t *testing.T) {
	path := writeConf(t, "[JET]\nPORT=1234\nCORS_HEADERS=false\nADDRESS=127.0.0.1\n")
	s := mustLoad(t, flags(t, "--config", path), nil)
	if s.Port != 1234 || s.CORSHeaders || s.Address != "127.0.0.1" {
		t.Fatalf("file values lost: port %d cors %v address %q", s.Port, s.CORSHeaders, s.Address)
	}
	if s.ConfigPath != path || !s.ConfigFound {
		t.Fatalf("ConfigPath %q found %v, want %q true", s.ConfigPath, s.ConfigFound, path)
	}
}

func TestUpstreamConfLoadsUnchanged(t *testing.T) {
	path := copyTestdata(t, "python-jet.conf")
	s, err := Load(nil, env(map[string]string{"CONFIG": path}))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(s.Warnings) != 0 {
		t.Fatalf("warnings for an upstream file: %q", s.Warnings)
	}
	want := Defaults()
	want.ConfigPath = path
	want.ConfigFound = true
	want.Port = 8889
	want.Project = "my-shop"
	want.Token = "1f2e3d4c-5b6a-4789-8abc-def012345678"
	want.Environment = "production"
	want.CORSHeaders = false
	want.ReadOnly = true
	want.MediaRoot = "media"
	want.Database = Database{
		Engine: EnginePostgres, Host: "db.internal", Port: 5433, Name: "shop", User: "jet",
		Password: "s3cr#t;pw%40", Only: []string{"orders", "customers", "products"}, Connections: 5,
	}
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("got  %#v\nwant %#v\npassword equal: %v", s, want, s.Database.Password == want.Database.Password)
	}
	if err := s.Validate(true); err != nil {
		t.Fatalf("Validate: %v", err)
	}
}

func TestConfigPath(t *testing.T) {
	t.Run("missing default ignored", func(t *testing.T) {
		chdir(t)
		s := mustLoad(t, flags(t), nil)
		if s.ConfigFound || s.ConfigPath != "jet.conf" || len(s.Warnings) != 0 {
			t.Fatalf("got found=%v path=%q warnings=%q", s.ConfigFound, s.ConfigPath, s.Warnings)
		}
	})
	t.Run("default in working dir read", func(t *testing.T) {
		chdir(t)
		writeTo(t, "jet.conf", "[JET]\nPROJECT=here\n")
		s := mustLoad(t, nil, nil)
		if !s.ConfigFound || s.Project != "here" {
			t.Fatalf("default jet.conf not read: %+v", s)
		}
	})
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		from string
	}{
		{"missing via flag", []string{"--config", "nope.conf"}, nil, "--config"},
		{"missing via env", nil, map[string]string{"CONFIG": "nope.conf"}, "environment variable CONFIG"},
		{"missing default named explicitly", []string{"--config=jet.conf"}, nil, "--config"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			chdir(t)
			_, err := Load(flags(t, tc.args...), env(tc.env))
			got := problems(t, err)
			if len(got) != 1 || !hasItem(got, "does not exist", tc.from) {
				t.Fatalf("problems %q, want one naming %q", got, tc.from)
			}
		})
	}
	t.Run("env beats flag", func(t *testing.T) {
		a := writeConf(t, "[JET]\nPROJECT=a\n")
		b := writeConf(t, "[JET]\nPROJECT=b\n")
		s := mustLoad(t, flags(t, "--config", a), map[string]string{"CONFIG": b})
		if s.Project != "b" || s.ConfigPath != b {
			t.Fatalf("project %q path %q, want b from %s", s.Project, s.ConfigPath, b)
		}
	})
	t.Run("directory", func(t *testing.T) {
		dir := chdir(t)
		_, err := Load(nil, env(map[string]string{"CONFIG": dir}))
		if got := problems(t, err); !hasItem(got, "is a directory") {
			t.Fatalf("problems %q", got)
		}
	})
	t.Run("CONFIG key in the file is ignored", func(t *testing.T) {
		path := writeConf(t, "[JET]\nCONFIG=other.conf\n")
		s := mustLoad(t, nil, map[string]string{"CONFIG": path})
		if s.ConfigPath != path || len(s.Warnings) != 0 {
			t.Fatalf("path %q warnings %q", s.ConfigPath, s.Warnings)
		}
	})
}

func TestWarnings(t *testing.T) {
	tests := []struct {
		name string
		conf string
		env  map[string]string
		want [][]string // per warning, substrings it holds; nil = no warnings
	}{
		{"upstream-only keys are silent", "[JET]\nWORKERS=2\nTHREADS=4\nSENTRY_DSN=x\nsso_applications={}\nDATABASE_SSH_HOST=\n", nil, nil},
		{"typo suggests", "[JET]\nDATABSE_NAME=x\n", nil, [][]string{{"line 2: unknown setting DATABSE_NAME is ignored (did you mean DATABASE_NAME?)"}}},
		{"far unknown no suggestion", "[JET]\nFROBNICATE=1\n", nil, [][]string{{"unknown setting FROBNICATE is ignored"}}},
		{"ssh tunnel unsupported", "[JET]\nDATABASE_SSH_HOST=bastion\n", nil, [][]string{{"DATABASE_SSH_HOST", "not supported by jetbridge", "ssh -N -L"}}},
		{"ssh in env", "[JET]\n", map[string]string{"DATABASE_SSH_HOST": "bastion"}, [][]string{{"DATABASE_SSH_HOST (environment variable DATABASE_SSH_HOST) is not supported"}}},
		{"duplicate key", "[JET]\nPORT=1\nPORT=2\n", nil, [][]string{{"PORT is set on lines 2 and 3; line 3 wins"}}},
		{"no JET section", "[OTHER]\nPORT=1\n", nil, [][]string{{"has no [JET] section"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := map[string]string{"CONFIG": writeConf(t, tt.conf)}
			for k, v := range tt.env {
				e[k] = v
			}
			s := mustLoad(t, nil, e)
			if len(s.Warnings) != len(tt.want) {
				t.Fatalf("warnings %q, want %d", s.Warnings, len(tt.want))
			}
			for _, w := range tt.want {
				if !hasItem(s.Warnings, w...) {
					t.Fatalf("warnings %q lack %q", s.Warnings, w)
				}
			}
		})
	}
	t.Run("duplicate: last wins", func(t *testing.T) {
		s := mustLoad(t, nil, map[string]string{"CONFIG": writeConf(t, "[JET]\nPORT=1\nPORT=2\n")})
		if s.Port != 2 {
			t.Fatalf("port %d", s.Port)
		}
	})
}

func TestPermissionWarning(t *testing.T) {
	path := writeConf(t, "[JET]\nDATABASE_PASSWORD=pw\n")
	if err := chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	s := mustLoad(t, nil, map[string]string{"CONFIG": path})
	if !hasItem(s.Warnings, "readable by other users", "chmod 600") {
		t.Fatalf("warnings %q", s.Warnings)
	}
	if err := chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	s = mustLoad(t, nil, map[string]string{"CONFIG": path})
	if len(s.Warnings) != 0 {
		t.Fatalf("warnings for a 0600 file: %q", s.Warnings)
	}
	open := writeConf(t, "[JET]\nPORT=1\n")
	_ = chmod(open, 0o644)
	if s := mustLoad(t, nil, map[string]string{"CONFIG": open}); len(s.Warnings) != 0 {
		t.Fatalf("warning for a file without secrets: %q", s.Warnings)
	}
}

func TestBadValuesAllAtOnce(t *testing.T) {
	path := writeConf(t, "[JET]\nCONNECTIONS=0\nSQL_TIMEOUT=soon\nDATABASE_MAX_TABLES=-1\n")
	fs := flags(t, "--read-only=maybe", "--database-port=70000")
	s, err := Load(fs, env(map[string]string{"CONFIG": path, "PORT": "abc", "CORS_HEADERS": "sometimes"}))
	got := problems(t, err)
	want := [][]string{
		{`PORT="abc" (from environment variable PORT) is not a whole number: set PORT to a port number from 0 to 65535`},
		{`READ_ONLY="maybe" (from --read-only) is not a boolean`, "true or false"},
		{`CORS_HEADERS="sometimes" (from environment variable CORS_HEADERS) is not a boolean`},
		{`DATABASE_PORT="70000" (from --database-port) is out of range`, "1 to 65535"},
		{`CONNECTIONS="0" (from ` + path + ` line 2) is out of range`},
		{`SQL_TIMEOUT="soon" (from ` + path + ` line 3) is not a duration`},
		{`DATABASE_MAX_TABLES="-1" (from ` + path + ` line 4) is out of range`},
	}
	if len(got) != len(want) {
		t.Fatalf("%d problems %q, want %d", len(got), got, len(want))
	}
	for _, w := range want {
		if !hasItem(got, w...) {
			t.Errorf("no problem matching %q in\n%s", w, err)
		}
	}
	// the bad values fall back to the defaults
	if s.Port != 8888 || s.ReadOnly || s.Database.Connections != 5 || s.SQLTimeout != 30*time.Second {
		t.Fatalf("bad values not left at defaults: %+v", s)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "invalid settings (7 problems):\n  - ") {
		t.Fatalf("message:\n%s", msg)
	}
}

func TestBooleans(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
		ok   bool
	}{
		{"true", true, true}, {"TRUE", true, true}, {"1", true, true}, {"yes", true, true}, {"On", true, true},
		{"t", true, true}, {"Y", true, true}, {" y ", true, true},
		{"false", false, true}, {"False", false, true}, {"0", false, true}, {"no", false, true}, {"OFF", false, true},
		{"f", false, true}, {"n", false, true},
		{"maybe", false, false}, {"2", false, false}, {"tru", false, false}, {"yess", false, false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			chdir(t)
			s, err := Load(nil, env(map[string]string{"DEBUG": tc.in, "AUTO_OPEN_REGISTER": tc.in}))
			if !tc.ok {
				if got := problems(t, err); len(got) != 2 {
					t.Fatalf("problems %q, want 2", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Debug != tc.want || s.AutoOpenRegister != tc.want {
				t.Fatalf("DEBUG=%q gave %v/%v, want %v", tc.in, s.Debug, s.AutoOpenRegister, tc.want)
			}
		})
	}
	t.Run("empty means unset", func(t *testing.T) {
		chdir(t)
		s := mustLoad(t, nil, map[string]string{"AUTO_OPEN_REGISTER": "", "PORT": ""})
		if !s.AutoOpenRegister || s.Port != 8888 {
			t.Fatalf("empty values did not keep defaults: %+v", s)
		}
	})
}

func TestSQLTimeout(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration // 0 = problem
	}{
		{"45", 45 * time.Second}, {"45s", 45 * time.Second}, {"2m", 2 * time.Minute}, {"1.5", 1500 * time.Millisecond},
		{"1m30s", 90 * time.Second}, {"0", 0}, {"-5s", 0}, {"soon", 0}, {"NaN", 0}, {"1e12", 0},
	} {
		t.Run(tc.in, func(t *testing.T) {
			chdir(t)
			s, err := Load(nil, env(map[string]string{"SQL_TIMEOUT": tc.in}))
			if tc.want == 0 {
				if got := problems(t, err); !hasItem(got, "SQL_TIMEOUT", "45s") {
					t.Fatalf("problems %q", got)
				}
				return
			}
			if err != nil || s.SQLTimeout != tc.want {
				t.Fatalf("SQL_TIMEOUT=%q gave %v, %v; want %v", tc.in, s.SQLTimeout, err, tc.want)
			}
		})
	}
}

func TestEngines(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Engine
		port    int
		problem string
	}{
		{"postgresql", EnginePostgres, 5432, ""},
		{"postgres", EnginePostgres, 5432, ""},
		{" PostgreSQL ", EnginePostgres, 5432, ""},
		{"postgresql+psycopg2", EnginePostgres, 5432, ""},
		{"mysql", EngineMySQL, 3306, ""},
		{"mariadb", EngineMySQL, 3306, ""},
		{"mysql+pymysql", EngineMySQL, 3306, ""},
		{"sqlite", EngineSQLite, 0, ""},
		{"sqlite3", EngineSQLite, 0, ""},
		{"oracle", "oracle", 0, `DATABASE_ENGINE="oracle" is not supported by jetbridge: use postgresql, mysql or sqlite`},
		{"mssql+pyodbc", "mssql+pyodbc", 0, `DATABASE_ENGINE="mssql+pyodbc" is not supported by jetbridge: use postgresql, mysql or sqlite`},
		{"none", "none", 0, `DATABASE_ENGINE="none" is not supported`},
	} {
		t.Run(tc.in, func(t *testing.T) {
			chdir(t)
			s, err := LoadAndValidate(nil, env(map[string]string{"DATABASE_ENGINE": tc.in, "DATABASE_NAME": "x"}), true)
			if s.Database.Engine != tc.want || s.Database.Port != tc.port {
				t.Fatalf("engine %q port %d, want %q %d", s.Database.Engine, s.Database.Port, tc.want, tc.port)
			}
			got := problems(t, err)
			if tc.problem == "" && got != nil || tc.problem != "" && (len(got) != 1 || !hasItem(got, tc.problem)) {
				t.Fatalf("problems %q, want %q", got, tc.problem)
			}
		})
	}
}

func TestDatabaseURL(t *testing.T) {
	for _, tc := range []struct {
		name    string
		env     map[string]string
		want    Database
		problem string
	}{
		{"postgres full", map[string]string{"DATABASE_URL": "postgres://jet:p%40ss%3Aw%2Frd%3F@db.example:6543/shop?sslmode=require"},
			Database{Engine: EnginePostgres, Host: "db.example", Port: 6543, User: "jet", Password: "p@ss:w/rd?", Name: "shop", Extra: "sslmode=require"}, ""},
		{"postgresql scheme, default port", map[string]string{"DATABASE_URL": "postgresql://u@h/d"},
			Database{Engine: EnginePostgres, Host: "h", Port: 5432, User: "u", Name: "d"}, ""},
		{"explicit settings win", map[string]string{"DATABASE_URL": "postgres://u:pw@h:1/d?a=b", "DATABASE_HOST": "other", "DATABASE_PORT": "2", "DATABASE_USER": "me", "DATABASE_PASSWORD": "mine", "DATABASE_NAME": "n", "DATABASE_EXTRA": "x=y"},
			Database{Engine: EnginePostgres, Host: "other", Port: 2, User: "me", Password: "mine", Name: "n", Extra: "x=y"}, ""},
		{"mysql", map[string]string{"DATABASE_URL": "mysql://root:pw@127.0.0.1:3307/chinook"},
			Database{Engine: EngineMySQL, Host: "127.0.0.1", Port: 3307, User: "root", Password: "pw", Name: "chinook"}, ""},
		{"mariadb ipv6", map[string]string{"DATABASE_URL": "mariadb://root@[::1]/db"},
			Database{Engine: EngineMySQL, Host: "::1", Port: 3306, User: "root", Name: "db"}, ""},
		{"sqlite relative", map[string]string{"DATABASE_URL": "sqlite:///data/shop.db"},
			Database{Engine: EngineSQLite, Name: "data/shop.db"}, ""},
		{"sqlite absolute", map[string]string{"DATABASE_URL": "sqlite:////var/lib/shop.db"},
			Database{Engine: EngineSQLite, Name: "/var/lib/shop.db"}, ""},
		{"engine agrees", map[string]string{"DATABASE_URL": "postgres://h/d", "DATABASE_ENGINE": "postgresql"},
			Database{Engine: EnginePostgres, Host: "h", Port: 5432, Name: "d"}, ""},
		{"engine disagrees", map[string]string{"DATABASE_URL": "postgres://u:topsecret@h/d", "DATABASE_ENGINE": "mysql"},
			Database{Engine: EngineMySQL, Port: 3306}, "DATABASE_URL is a postgresql URL but DATABASE_ENGINE is mysql: unset one of them (from environment variable DATABASE_URL)"},
		{"mongo", map[string]string{"DATABASE_URL": "mongodb://u:topsecret@h/d"},
			Database{}, `DATABASE_URL scheme "mongodb" is not supported by jetbridge`},
		{"bad port", map[string]string{"DATABASE_URL": "postgres://u:topsecret@h:99999/d"},
			Database{}, "DATABASE_URL has a bad port"},
		{"not a url", map[string]string{"DATABASE_URL": "u:topsecret@h/d"},
			Database{}, "DATABASE_URL is not a URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			chdir(t)
			s, err := Load(nil, env(tc.env))
			got := problems(t, err)
			if tc.problem != "" {
				if len(got) != 1 || !hasItem(got, tc.problem) {
					t.Fatalf("problems %q, want %q", got, tc.problem)
				}
				if strings.Contains(err.Error(), "topsecret") {
					t.Fatalf("password in %q", err)
				}
			} else if got != nil {
				t.Fatalf("problems %q", got)
			}
			tc.want.Connections = 5
			s.Database.URL = ""
			if !reflect.DeepEqual(s.Database, tc.want) {
				t.Fatalf("database %#v\nwant     %#v (password equal %v)", s.Database, tc.want, s.Database.Password == tc.want.Password)
			}
		})
	}
}

func TestListsTrimmed(t *testing.T) {
	chdir(t)
	s := mustLoad(t, flags(t, "--database-except= audit_log ,, tmp "), map[string]string{"DATABASE_ONLY": " a, b ,c,"})
	if !reflect.DeepEqual(s.Database.Only, []string{"a", "b", "c"}) || !reflect.DeepEqual(s.Database.Except, []string{"audit_log", "tmp"}) {
		t.Fatalf("only %q except %q", s.Database.Only, s.Database.Except)
	}
	s = mustLoad(t, nil, map[string]string{"DATABASE_ONLY": " , "})
	if s.Database.Only != nil {
		t.Fatalf("only %q, want nil", s.Database.Only)
	}
}

func TestLoadAndValidateListsEverything(t *testing.T) {
	chdir(t)
	_, err := LoadAndValidate(nil, env(map[string]string{"PORT": "x", "SSL_CERT": "c.pem"}), true)
	got := problems(t, err)
	for _, w := range []string{`PORT="x"`, "DATABASE_ENGINE is not set", "DATABASE_NAME is not set", "SSL_CERT is set but SSL_KEY is not", `SSL_CERT="c.pem" cannot be read`} {
		if !hasItem(got, w) {
			t.Errorf("no problem %q in %q", w, got)
		}
	}
	if len(got) != 5 {
		t.Fatalf("%d problems: %q", len(got), got)
	}
	if _, err := LoadAndValidate(nil, env(map[string]string{"DATABASE_ENGINE": "sqlite", "DATABASE_NAME": "x.db"}), true); err != nil {
		t.Fatalf("valid settings: %v", err)
	}
}

// An environment variable that overrides a flag typed on the same command
// line is warned about once, naming both; a secret's value never appears.
func TestEnvOverridingFlagWarns(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		env   map[string]string
		warn  string // "" = no warning about overriding
		never string
	}{
		{"PORT=1 --port 2", []string{"--port", "2"}, map[string]string{"PORT": "1"},
			`environment variable PORT overrides --port "2": "1" is used`, ""},
		{"same value is no surprise", []string{"--port", "2"}, map[string]string{"PORT": "2"}, "", ""},
		{"empty number keeps the flag", []string{"--port", "2"}, map[string]string{"PORT": " "}, "", ""},
		{"env without a flag", nil, map[string]string{"PORT": "1"}, "", ""},
		{"secret", []string{"--database-password", "typed-pw"}, map[string]string{"DATABASE_PASSWORD": "env-pw"},
			"environment variable DATABASE_PASSWORD overrides --database-password: its value is used", "pw"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			chdir(t)
			s := mustLoad(t, flags(t, tc.args...), tc.env)
			var over []string
			for _, w := range s.Warnings {
				if strings.Contains(w, "overrides") {
					over = append(over, w)
				}
			}
			switch {
			case tc.warn == "" && len(over) > 0:
				t.Errorf("unexpected warnings %q", over)
			case tc.warn != "" && (len(over) != 1 || !strings.Contains(over[0], tc.warn)):
				t.Errorf("warnings %q, want one containing %q", over, tc.warn)
			}
			if tc.never != "" && strings.Contains(strings.Join(s.Warnings, "\n"), tc.never) {
				t.Errorf("a secret is in the warnings: %q", s.Warnings)
			}
		})
	}
}
