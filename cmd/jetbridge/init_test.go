package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/cli/iostreams"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/jetadmin/jetadmintest"
	"github.com/jetbridge/jetbridge/internal/register"
	"github.com/jetbridge/jetbridge/internal/testdb"
	"github.com/jetbridge/jetbridge/internal/tui"
)

// Flag parsing and mode choice, apart from the behaviour (runF hook).
func TestInitFlagsAndMode(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "old.conf")
	if err := os.WriteFile(existing, []byte("[JET]\nDATABASE_ENGINE=mysql\nDATABASE_NAME=shop\nDATABASE_USER=app\nPROJECT=acme\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	pgConf := filepath.Join(dir, "pg.conf")
	if err := os.WriteFile(pgConf, []byte("[JET]\nDATABASE_ENGINE=postgresql\nDATABASE_HOST=pg.example\nDATABASE_PORT=6543\nDATABASE_USER=app\n"+
		"DATABASE_PASSWORD=old-pw\nDATABASE_NAME=shop\nDATABASE_SCHEMA=sales\nDATABASE_EXTRA=sslmode=disable\nPROJECT=acme\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		inTerm   bool
		outTerm  bool
		mode     initMode
		check    func(t *testing.T, o *initOptions)
		problems int
	}{
		{name: "terminal gets the wizard", inTerm: true, outTerm: true, mode: modeWizard},
		{name: "no terminal means no input", inTerm: false, outTerm: true, mode: modeNoInput},
		{name: "--no-input wins over --accessible", args: []string{"--no-input", "--accessible"}, inTerm: true, outTerm: true, mode: modeNoInput},
		{name: "--accessible with a pipe", args: []string{"--accessible"}, mode: modeAccessible},
		{name: "ACCESSIBLE=1", env: map[string]string{"ACCESSIBLE": "1"}, mode: modeAccessible},
		{name: "ACCESSIBLE=0 is off", env: map[string]string{"ACCESSIBLE": "0"}, inTerm: true, outTerm: true, mode: modeWizard},
		{name: "TERM=dumb on a terminal", env: map[string]string{"TERM": "dumb"}, inTerm: true, outTerm: true, mode: modeAccessible},
		{name: "TERM=dumb without a terminal", env: map[string]string{"TERM": "dumb"}, mode: modeNoInput},
		{name: "output not a terminal", inTerm: true, mode: modeAccessible},
		{name: "flags are serve's", args: []string{"--database-engine", "postgresql", "--database-host", "db", "--database-user", "u", "--database-name", "n", "--project", "p", "--force"},
			mode: modeNoInput, check: func(t *testing.T, o *initOptions) {
				d := o.Settings.Database
				if d.Engine != config.EnginePostgres || d.Host != "db" || d.User != "u" || d.Name != "n" || d.Port != 5432 || o.Settings.Project != "p" || !o.Force {
					t.Errorf("settings %+v project %q force %v", d, o.Settings.Project, o.Force)
				}
				if o.Settings.ConfigPath != config.DefaultConfigPath {
					t.Errorf("config path %q", o.Settings.ConfigPath)
				}
			}},
		{name: "a missing --config is the file to write", args: []string{"--config", filepath.Join(dir, "new.conf")}, mode: modeNoInput,
			check: func(t *testing.T, o *initOptions) {
				if o.Settings.ConfigPath != filepath.Join(dir, "new.conf") || o.Settings.ConfigFound {
					t.Errorf("config path %q found %v", o.Settings.ConfigPath, o.Settings.ConfigFound)
				}
			}},
		{name: "an existing config prefills", args: []string{"--config", existing}, mode: modeNoInput,
			check: func(t *testing.T, o *initOptions) {
				if o.Settings.Database.Engine != config.EngineMySQL || o.Settings.Database.Name != "shop" || o.Settings.Project != "acme" || o.Settings.Database.Port != 3306 {
					t.Errorf("not prefilled: %+v", o.Settings)
				}
			}},
		{name: "another engine drops the file's engine settings", args: []string{"--config", pgConf, "--database-engine", "mysql"}, mode: modeNoInput,
			check: func(t *testing.T, o *initOptions) {
				d := o.Settings.Database
				if d.Engine != config.EngineMySQL || d.Password != "" || d.Extra != "" || d.Schema != "" || d.Port != 3306 {
					t.Errorf("PostgreSQL settings carried to MySQL: %+v", d)
				}
				if d.Host != "pg.example" || d.User != "app" || d.Name != "shop" || o.Settings.Project != "acme" {
					t.Errorf("common settings lost: %+v", o.Settings)
				}
				if w := strings.Join(o.Settings.Warnings, "\n"); !strings.Contains(w, "DATABASE_PASSWORD, DATABASE_EXTRA, DATABASE_SCHEMA, DATABASE_PORT are not used") {
					t.Errorf("warnings %q", w)
				}
			}},
		{name: "values given for the new engine stay", args: []string{"--config", pgConf, "--database-engine", "mysql", "--database-extra", "tls=true"},
			env: map[string]string{"DATABASE_PASSWORD": "new-pw"}, mode: modeNoInput,
			check: func(t *testing.T, o *initOptions) {
				if d := o.Settings.Database; d.Password != "new-pw" || d.Extra != "tls=true" {
					t.Errorf("given values dropped: %+v", d)
				}
			}},
		{name: "the same engine keeps everything", args: []string{"--config", pgConf}, mode: modeNoInput,
			check: func(t *testing.T, o *initOptions) {
				if d := o.Settings.Database; d.Password != "old-pw" || d.Extra != "sslmode=disable" || d.Port != 6543 || d.Schema != "sales" {
					t.Errorf("settings lost: %+v", d)
				}
			}},
		{name: "bad values are problems", env: map[string]string{"DATABASE_PORT": "abc"}, mode: modeNoInput, problems: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range tc.env {
				env[k] = v
			}
			f := cmdutil.New()
			f.IOStreams, _, _, _ = iostreams.Test()
			f.LookupEnv = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
			f.Backend = func() tui.Backend { return nil }
			var got *initOptions
			cmd := newInitCmd(f, func(_ context.Context, o *initOptions) error { got = o; return nil })
			cmd.SetArgs(tc.args)
			cmd.SetIn(strings.NewReader(""))
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			if err := cmd.Execute(); err != nil {
				t.Fatal(err)
			}
			if got.IO != f.IOStreams {
				t.Error("init does not use the Factory's streams")
			}
			got.IO.SetStdinTTY(tc.inTerm)
			got.IO.SetStdoutTTY(tc.outTerm)
			if m := chooseInitMode(got); m != tc.mode {
				t.Errorf("mode %v, want %v", m, tc.mode)
			}
			if len(got.Problems) != tc.problems {
				t.Errorf("problems %q, want %d", got.Problems, tc.problems)
			}
			if tc.check != nil {
				tc.check(t, got)
			}
		})
	}
}

// initE2E is one end-to-end run's world: a work folder, the fake Jet Admin
// API, and the environment of the binary.
type initE2E struct {
	t    *testing.T
	bin  string
	work string
	api  *jetadmintest.Server
	env  []string
}

func newInitE2E(t *testing.T, bin string) *initE2E {
	work := t.TempDir()
	api := jetadmintest.New(t)
	return &initE2E{t: t, bin: bin, work: work, api: api, env: []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + work,
		"API_BASE_URL=" + api.URL,
		"WEB_BASE_URL=https://app.example.test",
	}}
}

type runResult struct {
	stdout, stderr string
	code           int
}

func (e *initE2E) run(stdin string, env []string, args ...string) runResult {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, e.bin, append([]string{"init"}, args...)...)
	cmd.Dir = e.work
	cmd.Env = append(append([]string{}, e.env...), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		e.t.Fatalf("run: %v", err)
	}
	return runResult{out.String(), errOut.String(), code}
}

// storedToken reads the token row jetbridge stored in the database.
func storedToken(t *testing.T, d config.Database) (register.Token, bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	x, err := db.Open(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	tok, found, err := register.NewStore(x).Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return tok, found
}

// readConf checks the file's mode and returns its [JET] keys.
func readConf(t *testing.T, path string) map[string]string {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatalf("config not written: %v", err)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Errorf("mode %04o, want 0600", st.Mode().Perm())
	}
	kv, err := config.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return kv
}

func wantKeys(t *testing.T, kv map[string]string, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if kv[k] != v {
			t.Errorf("%s=%q, want %q (file %v)", k, kv[k], v, keysOf(kv))
		}
	}
}

func keysOf(m map[string]string) []string {
	var out []string
	for k := range m {
		if k == "DATABASE_PASSWORD" || k == "TOKEN" || k == "BEARER_AUTH_KEY" {
			out = append(out, k+"=<secret>")
			continue
		}
		out = append(out, k+"="+m[k])
	}
	return out
}

func noFile(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s exists (err %v); nothing should have been written", path, err)
	}
}

// pgBehindPassword is a fresh PostgreSQL database reached through the
// password-checking proxy: only password "s3cret pass" gets in.
func pgBehindPassword(t *testing.T) (config.Database, string, string) {
	d := testdb.Config(t, config.EnginePostgres)
	const password = "s3cret pass"
	p := startPGPasswordProxy(t, net.JoinHostPort(d.Host, strconv.Itoa(d.Port)), password)
	host, port, _ := net.SplitHostPort(p.Addr)
	d.Host = host
	d.Port, _ = strconv.Atoi(port)
	d.Password = password
	d.Extra = "sslmode=disable"
	return d, host, port
}

func TestInitEndToEnd(t *testing.T) {
	bin := buildJetbridge(t)

	t.Run("accessible with piped answers", func(t *testing.T) {
		t.Parallel()
		d, host, port := pgBehindPassword(t)
		e := newInitE2E(t, bin)
		conf := filepath.Join(e.work, "conf", "jet.conf")
		if err := os.Mkdir(filepath.Dir(conf), 0o755); err != nil {
			t.Fatal(err)
		}
		answers := strings.Join([]string{
			"1",        // PostgreSQL
			host,       // host
			port,       // port
			d.User,     // user
			"wrong",    // password: fails first
			d.Name,     // database
			"",         // schema: default
			"n",        // TLS
			"1",        // failed: edit the answers
			"", "", "", // host, port, user kept
			d.Password, // the right password
			"", "", "", // database, schema, TLS kept
			"acme", // project
			"",     // generate a Bearer key: yes
			conf,   // config path
			"n",    // do not open the browser
		}, "\n") + "\n"
		r := e.run(answers, []string{"TERM=dumb"}, "--accessible")
		if r.code != 0 {
			t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
		}
		for _, want := range []string{"Connection failed: Wrong password for user " + d.User, "Password (Enter for none): *****",
			"OK: Connected to PostgreSQL", "0 tables in schema public", "Jet Bridge is set up.", "jetbridge serve --config " + conf} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("output lacks %q:\n%s", want, r.stdout)
			}
		}
		if strings.Contains(r.stdout, d.Password) || strings.Contains(r.stderr, d.Password) {
			t.Error("the password was printed")
		}
		kv := readConf(t, conf)
		wantKeys(t, kv, map[string]string{"DATABASE_ENGINE": "postgresql", "DATABASE_HOST": host, "DATABASE_PORT": port,
			"DATABASE_USER": d.User, "DATABASE_PASSWORD": d.Password, "DATABASE_NAME": d.Name, "PROJECT": "acme", "API_BASE_URL": e.api.URL})
		issued := e.api.IssuedTokens()
		if len(issued) != 1 {
			t.Fatalf("issued %d tokens, want 1", len(issued))
		}
		tok, found := storedToken(t, d)
		if !found || tok.Token != jetadmintest.Normalize(issued[0]) || tok.Project != "acme" {
			t.Errorf("stored token %+v found %v, want %s", tok, found, issued[0])
		}
		if !strings.Contains(r.stdout, register.Mask(tok.Token)) || strings.Contains(r.stdout, tok.Token) {
			t.Errorf("the summary should show the token masked (output is not a terminal):\n%s", r.stdout)
		}
	})

	t.Run("no-input success", func(t *testing.T) {
		t.Parallel()
		d := testdb.Config(t, config.EnginePostgres)
		e := newInitE2E(t, bin)
		r := e.run("", []string{
			"DATABASE_ENGINE=postgresql", "DATABASE_HOST=" + d.Host, "DATABASE_PORT=" + strconv.Itoa(d.Port),
			"DATABASE_USER=" + d.User, "DATABASE_NAME=" + d.Name, "PROJECT=acme",
		}, "--no-input", "--database-extra", "sslmode=disable")
		if r.code != 0 {
			t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
		}
		kv := readConf(t, filepath.Join(e.work, "jet.conf"))
		wantKeys(t, kv, map[string]string{"DATABASE_ENGINE": "postgresql", "DATABASE_NAME": d.Name, "DATABASE_USER": d.User,
			"PROJECT": "acme", "DATABASE_EXTRA": "sslmode=disable"})
		if tok, found := storedToken(t, d); !found || len(e.api.IssuedTokens()) != 1 || tok.Token != jetadmintest.Normalize(e.api.IssuedTokens()[0]) {
			t.Errorf("token row %+v found %v, issued %v", tok, found, e.api.IssuedTokens())
		}
		if !strings.Contains(r.stdout, "Next, start the bridge:\n\n  jetbridge serve\n") {
			t.Errorf("no next command:\n%s", r.stdout)
		}

		// a second run refuses to replace the file, then --force does
		before, _ := os.ReadFile(filepath.Join(e.work, "jet.conf"))
		r = e.run("", nil, "--no-input")
		if r.code != 1 || !strings.Contains(r.stderr, "--force") {
			t.Errorf("second run: exit %d, stderr %q", r.code, r.stderr)
		}
		after, _ := os.ReadFile(filepath.Join(e.work, "jet.conf"))
		if !bytes.Equal(before, after) {
			t.Error("the config file changed without --force")
		}
		r = e.run("", nil, "--no-input", "--force", "--project", "other")
		if r.code != 0 {
			t.Fatalf("--force: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		kv = readConf(t, filepath.Join(e.work, "jet.conf"))
		wantKeys(t, kv, map[string]string{"PROJECT": "other", "DATABASE_NAME": d.Name})
		if !strings.Contains(r.stdout, "kept from the table __jet__token") || len(e.api.IssuedTokens()) != 1 {
			t.Errorf("the stored token should be kept (issued %d):\n%s", len(e.api.IssuedTokens()), r.stdout)
		}
	})

	t.Run("no-input lists every missing value", func(t *testing.T) {
		t.Parallel()
		e := newInitE2E(t, bin)
		r := e.run("", []string{"DATABASE_HOST=db.example.test"}, "--no-input")
		if r.code != 2 {
			t.Fatalf("exit %d, want 2\n%s", r.code, r.stderr)
		}
		for _, want := range []string{"DATABASE_ENGINE is not set", "DATABASE_NAME is not set", "--database-engine"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
			}
		}
		r = e.run("", []string{"DATABASE_ENGINE=mysql", "DATABASE_PORT=99999"}, "--no-input")
		if r.code != 2 {
			t.Fatalf("exit %d, want 2\n%s", r.code, r.stderr)
		}
		for _, want := range []string{"DATABASE_NAME is not set", "DATABASE_USER is not set", "DATABASE_PORT", "3 problems"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
			}
		}
		noFile(t, filepath.Join(e.work, "jet.conf"))
		if e.api.TotalCalls() != 0 {
			t.Errorf("the API was called %d times", e.api.TotalCalls())
		}
	})

	t.Run("no-input wrong password", func(t *testing.T) {
		t.Parallel()
		d, host, port := pgBehindPassword(t)
		e := newInitE2E(t, bin)
		r := e.run("", []string{
			"DATABASE_ENGINE=postgresql", "DATABASE_HOST=" + host, "DATABASE_PORT=" + port,
			"DATABASE_USER=" + d.User, "DATABASE_NAME=" + d.Name, "DATABASE_PASSWORD=not it",
		}, "--no-input", "--database-extra", "sslmode=disable")
		if r.code != 1 {
			t.Fatalf("exit %d, want 1\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		for _, want := range []string{"Connection failed: Wrong password for user " + d.User, "Hint: Check the password"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
			}
		}
		if strings.Contains(r.stderr, "not it") {
			t.Error("the password was printed")
		}
		noFile(t, filepath.Join(e.work, "jet.conf"))
		if e.api.TotalCalls() != 0 {
			t.Errorf("the API was called %d times", e.api.TotalCalls())
		}
		if _, found := storedToken(t, d); found {
			t.Error("a token was stored")
		}
	})

	t.Run("no-input sqlite creates the file", func(t *testing.T) {
		t.Parallel()
		e := newInitE2E(t, bin)
		r := e.run("", []string{"DATABASE_ENGINE=sqlite", "DATABASE_NAME=data.db"}, "--no-input", "--config", "my.conf")
		if r.code != 0 {
			t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		data := filepath.Join(e.work, "data.db") // the relative path is stored absolute
		if !strings.Contains(r.stdout, "Created "+data) || !strings.Contains(r.stdout, "jetbridge serve --config my.conf") {
			t.Errorf("output:\n%s", r.stdout)
		}
		kv := readConf(t, filepath.Join(e.work, "my.conf"))
		wantKeys(t, kv, map[string]string{"DATABASE_ENGINE": "sqlite", "DATABASE_NAME": data})
		// a Bearer key is generated, shown masked (not a terminal) with a curl line
		key := kv["BEARER_AUTH_KEY"]
		if len(key) != 32 || !strings.Contains(r.stdout, register.Mask(key)+", generated and saved as BEARER_AUTH_KEY") ||
			!strings.Contains(r.stdout, "curl -H 'Authorization: Bearer <BEARER_AUTH_KEY from my.conf>' http://localhost:8888/api/model_descriptions/") {
			t.Errorf("no usable Bearer key (%d characters) in the output:\n%s", len(key), r.stdout)
		}
		if strings.Contains(r.stdout, key) {
			t.Errorf("the Bearer key was printed to a pipe:\n%s", r.stdout)
		}
		// --generate-bearer-key=false writes none
		r = e.run("", []string{"DATABASE_ENGINE=sqlite", "DATABASE_NAME=data.db"}, "--no-input", "--config", "nokey.conf", "--generate-bearer-key=false")
		if r.code != 0 {
			t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		if kv := readConf(t, filepath.Join(e.work, "nokey.conf")); kv["BEARER_AUTH_KEY"] != "" || !strings.Contains(r.stdout, "Bearer    none") {
			t.Errorf("a key was written with --generate-bearer-key=false:\n%s", r.stdout)
		}
		if tok, found := storedToken(t, config.Database{Engine: config.EngineSQLite, Name: filepath.Join(e.work, "data.db")}); !found || tok.Token == "" {
			t.Error("no token stored in the SQLite database")
		}
	})
}
