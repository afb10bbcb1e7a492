package config

import (
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

func TestBindRegistersEveryFlag(t *testing.T) {
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	Bind(fs)
	names := []string{"database-engine", "database-host", "database-port", "database-user", "database-password",
		"database-name", "database-url", "database-schema", "database-only", "database-except", "database-max-tables",
		"database-extra", "database-timezone", "database-ssl-ca", "database-ssl-cert", "database-ssl-key", "address",
		"port", "config", "read-only", "cors-headers", "allow-origin", "project", "token", "environment",
		"environment-type", "bearer-auth-key", "jwt-verify-key", "api-base-url", "web-base-url", "auto-open-register",
		"ssl-cert", "ssl-key", "connections", "disable-auth", "debug", "sql-timeout", "project-auth-timeout", "media-base-url",
		"public-url", "body-buffer-bytes", "sql-max-response-bytes", "sql-max-value-bytes", "media-root", "media-max-upload-mb", "store-path"}
	n := 0
	fs.VisitAll(func(*pflag.Flag) { n++ })
	if n != len(names) {
		t.Errorf("%d flags registered, want %d", n, len(names))
	}
	for _, name := range names {
		f := fs.Lookup(name)
		if f == nil {
			t.Errorf("no flag --%s", name)
			continue
		}
		key := strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
		if !strings.Contains(f.Usage, "[env "+key+"]") || len(f.Usage) < len(key)+20 {
			t.Errorf("--%s usage %q does not explain itself and name %s", name, f.Usage, key)
		}
	}
	usage := fs.FlagUsages()
	for _, want := range []string{"--port int ", "(default 8888)", "--read-only[=true|false] ", "--database-only strings", "--sql-timeout duration", `--address string`, `(default "0.0.0.0")`, "--cors-headers[=true|false] ", "(default true)"} {
		if !strings.Contains(usage, want) {
			t.Errorf("help lacks %q:\n%s", want, usage)
		}
	}
	if strings.Contains(usage, "--read-only string") || strings.Contains(usage, "--read-only bool") {
		t.Errorf("bool flag shown with a value:\n%s", usage)
	}
}

func TestBoolFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{nil, false},
		{[]string{"--read-only"}, true},
		{[]string{"--read-only=true"}, true},
		{[]string{"--read-only=false"}, false},
		{[]string{"--read-only=no"}, false},
		{[]string{"--read-only=yes"}, true},
		{[]string{"--read-only", "--read-only=false"}, false},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			chdir(t)
			s := mustLoad(t, flags(t, tc.args...), nil)
			if s.ReadOnly != tc.want {
				t.Fatalf("ReadOnly %v, want %v", s.ReadOnly, tc.want)
			}
		})
	}
	t.Run("bare bool leaves positional args", func(t *testing.T) {
		fs := flags(t, "--debug", "serve")
		if fs.Arg(0) != "serve" {
			t.Fatalf("args %q", fs.Args())
		}
	})
	t.Run("cors off by flag", func(t *testing.T) {
		chdir(t)
		if s := mustLoad(t, flags(t, "--cors-headers=false"), nil); s.CORSHeaders {
			t.Fatal("CORS still on")
		}
	})
}

func TestFlagsAllTypes(t *testing.T) {
	chdir(t)
	s := mustLoad(t, flags(t, "--database-engine", "mariadb", "--database-host", "h", "--database-port", "3307",
		"--database-user", "u", "--database-password", "pw", "--database-name", "n", "--database-schema", "sc",
		"--database-only", "a,b", "--database-max-tables", "7", "--connections", "3", "--port", "9000",
		"--sql-timeout", "12", "--bearer-auth-key", "k", "--disable-auth", "--media-base-url", "https://m.example/"), nil)
	d := s.Database
	if d.Engine != EngineMySQL || d.Host != "h" || d.Port != 3307 || d.User != "u" || d.Password != "pw" || d.Name != "n" ||
		d.Schema != "sc" || len(d.Only) != 2 || d.MaxTables != 7 || d.Connections != 3 || s.Port != 9000 ||
		s.SQLTimeout.Seconds() != 12 || s.BearerAuthKey != "k" || !s.DisableAuth || s.MediaBaseURL != "https://m.example/" {
		t.Fatalf("flags not applied: %+v (password ok %v)", s, d.Password == "pw")
	}
}

// TestForeignFlagSet: Load reads flags registered by the caller with plain
// pflag types too (only the names matter).
func TestForeignFlagSet(t *testing.T) {
	chdir(t)
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	fs.Bool("read-only", false, "")
	fs.Int("port", 8888, "")
	fs.Bool("demo", false, "")
	if err := fs.Parse([]string{"--read-only", "--port=1", "--demo"}); err != nil {
		t.Fatal(err)
	}
	s := mustLoad(t, fs, nil)
	if !s.ReadOnly || s.Port != 1 {
		t.Fatalf("ReadOnly %v Port %d", s.ReadOnly, s.Port)
	}
}
