package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/cmd/initcmd"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/jetadmin/jetadmintest"
	"github.com/jetbridge/jetbridge/internal/register"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

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

// The accessible-mode example of init --help answers the questions asked
// today: run it as printed, in a shell, against the fake Jet Admin API.
func TestInitHelpAccessibleExampleRuns(t *testing.T) {
	bin := buildJetbridge(t)
	example := regexp.MustCompile(`(?m)^\s*(printf .*\| jetbridge init --accessible)\s*$`).FindStringSubmatch(initcmd.NewCmdInit(cmdutil.New(), nil).Example)
	if example == nil {
		t.Fatalf("no accessible example in:\n%s", initcmd.NewCmdInit(cmdutil.New(), nil).Example)
	}
	work := t.TempDir()
	api := jetadmintest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", example[1])
	cmd.Dir = work
	cmd.Env = []string{"PATH=" + filepath.Dir(bin) + string(os.PathListSeparator) + os.Getenv("PATH"), "HOME=" + work, "API_BASE_URL=" + api.URL}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", example[1], err, out)
	}
	kv, err := config.ReadFile(filepath.Join(work, "jet.conf"))
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if kv["DATABASE_ENGINE"] != "sqlite" || kv["DATABASE_NAME"] != filepath.Join(work, "data.db") || len(kv["BEARER_AUTH_KEY"]) != 32 {
		t.Errorf("written %v\n%s", kv, out)
	}
	if strings.Contains(string(out), "Error") {
		t.Errorf("output:\n%s", out)
	}
}
