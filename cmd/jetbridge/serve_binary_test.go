package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/jetadmin/jetadmintest"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

var servingURL = regexp.MustCompile(`jetbridge serving"? url=(\S+)`)

// startServe runs the built binary with env and waits for its URL.
func startServe(t *testing.T, bin string, env []string, args ...string) (base string, cmd *exec.Cmd, started time.Time, stdout *syncBuf) {
	t.Helper()
	cmd = exec.Command(bin, append([]string{"serve"}, args...)...)
	cmd.Env = env
	cmd.Dir = t.TempDir()
	stdout = &syncBuf{}
	cmd.Stdout = stdout
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	started = time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	found := make(chan string, 1)
	var (
		mu     sync.Mutex
		errLog strings.Builder
	)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			mu.Lock()
			errLog.WriteString(sc.Text() + "\n")
			mu.Unlock()
			if m := servingURL.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
	}()
	select {
	case base = <-found:
	case <-time.After(15 * time.Second):
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("serve did not report its URL within 15 s; stderr so far:\n%s", errLog.String())
	}
	return base, cmd, started, stdout
}

func get(t *testing.T, url, key string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitOK polls url until it answers 200 (the schema is reflected in the
// background right after the listener opens).
func waitOK(t *testing.T, url, key string) (int, string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		code, body := get(t, url, key)
		if code == 200 || time.Now().After(deadline) {
			return code, body
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The built binary serves Chinook on PostgreSQL and MariaDB configured only
// through upstream's environment variables.
func TestServeChinookFromEnvironment(t *testing.T) {
	bin := buildJetbridge(t)
	for _, tc := range []struct {
		engine config.Engine
		track  string
	}{{config.EnginePostgres, "track"}, {config.EngineMySQL, "Track"}, {config.EngineSQLite, "Track"}} {
		t.Run(string(tc.engine), func(t *testing.T) {
			cfg := testdb.Config(t, tc.engine)
			ctx := context.Background()
			d, err := db.Open(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			testdb.LoadChinook(t, d)
			d.Close()
			api := jetadmintest.New(t)
			key := "chinook-key-123"
			env := []string{
				"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(),
				"DATABASE_ENGINE=" + string(cfg.Engine), "DATABASE_NAME=" + cfg.Name,
				"BEARER_AUTH_KEY=" + key, "PORT=0", "ADDRESS=127.0.0.1",
				"API_BASE_URL=" + api.URL, "AUTO_OPEN_REGISTER=false",
			}
			if cfg.Engine != config.EngineSQLite {
				env = append(env, "DATABASE_HOST="+cfg.Host, "DATABASE_PORT="+strconv.Itoa(cfg.Port),
					"DATABASE_USER="+cfg.User, "DATABASE_PASSWORD="+cfg.Password)
			}
			base, cmd, started, _ := startServe(t, bin, env)
			code, body := waitOK(t, base+"model_descriptions/", key)
			ready := time.Since(started)
			if code != 200 || !strings.Contains(body, `"model":"`+tc.track+`"`) {
				t.Fatalf("model_descriptions: %d %.300s", code, body)
			}
			t0 := time.Now()
			code, body = get(t, base+"models/"+tc.track+"/?_per_page=25", key)
			listTime := time.Since(t0)
			if code != 200 {
				t.Fatalf("list: %d %.300s", code, body)
			}
			var page struct {
				Count   int              `json:"count"`
				Results []map[string]any `json:"results"`
			}
			if err := json.Unmarshal([]byte(body), &page); err != nil {
				t.Fatal(err)
			}
			if page.Count != 3503 || len(page.Results) != 25 {
				t.Fatalf("count %d, rows %d", page.Count, len(page.Results))
			}
			// warm latency over a few requests
			t1 := time.Now()
			for i := 0; i < 20; i++ {
				get(t, base+"models/"+tc.track+"/?_per_page=25", key)
			}
			t.Logf("%s: ready %v after start, first list %v, warm list %v/request", tc.engine, ready.Round(time.Millisecond), listTime.Round(time.Microsecond), (time.Since(t1) / 20).Round(time.Microsecond))
			if code, _ := get(t, base+"models/"+tc.track+"/", ""); code != 403 {
				t.Fatalf("no key: %d, want 403", code)
			}
			_ = cmd.Process.Signal(syscall.SIGTERM)
			if err := cmd.Wait(); err != nil {
				t.Fatalf("exit after SIGTERM: %v", err)
			}
		})
	}
}

// serve --demo creates the sample database, prints a working key and curl
// command, and answers quickly.
func TestServeDemo(t *testing.T) {
	bin := buildJetbridge(t)
	dir := t.TempDir()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "XDG_CACHE_HOME=" + filepath.Join(dir, "cache"), "PORT=0", "ADDRESS=127.0.0.1"}
	for run := 1; run <= 2; run++ { // create, then reuse
		base, cmd, started, stdout := startServe(t, bin, env, "--demo")
		code, body := waitOK(t, base+"models/tracks/?_per_page=2", keyFrom(t, stdout))
		took := time.Since(started)
		if code != 200 || !strings.Contains(body, `"count":1544`) {
			t.Fatalf("demo list: %d %.300s", code, body)
		}
		t.Logf("run %d: first 200 after %v", run, took.Round(time.Millisecond))
		if !strings.Contains(stdout.String(), "curl -H 'Authorization: Bearer ") {
			t.Fatalf("no curl command printed:\n%s", stdout)
		}
		_ = cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
	}
}

func keyFrom(t *testing.T, out *syncBuf) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if m := regexp.MustCompile(`Bearer key: (\S+)`).FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no Bearer key printed:\n%s", out)
	return ""
}

// Invalid settings: every problem listed at once, exit status 2, no secret.
func TestServeInvalidSettings(t *testing.T) {
	bin := buildJetbridge(t)
	cmd := exec.Command(bin, "serve")
	cmd.Dir = t.TempDir()
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "DATABASE_PORT=notanumber", "DATABASE_PASSWORD=s3cret-pw", "READ_ONLY=maybe"}
	out, err := cmd.CombinedOutput()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 2 {
		t.Fatalf("exit %v, want status 2\n%s", err, out)
	}
	for _, want := range []string{"DATABASE_ENGINE", "DATABASE_PORT", "READ_ONLY"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("message lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "s3cret-pw") {
		t.Fatalf("password printed:\n%s", out)
	}
}

// serve without any configuration points at init and --demo.
func TestServeWithoutConfigSuggestsInit(t *testing.T) {
	bin := buildJetbridge(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "serve")
	cmd.Dir = t.TempDir()
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + cmd.Dir}
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
		t.Fatalf("exit %v, want status 2\n%s", err, out)
	}
	for _, want := range []string{"DATABASE_ENGINE is not set", "jetbridge init", "jetbridge serve --demo"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// A SQLite path that does not exist is refused with its absolute path, and
// no empty database file is created: not for a typo, not for a relative
// path read from another folder.
func TestServeRefusesMissingSQLiteFile(t *testing.T) {
	bin := buildJetbridge(t)
	for _, name := range []string{"./data.db", "missing/../typo.db", "/nonexistent-folder-jetbridge/x.db"} {
		t.Run(name, func(t *testing.T) {
			work := t.TempDir()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, "serve", "--port", "0")
			cmd.Dir = work
			cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + work, "DATABASE_ENGINE=sqlite", "DATABASE_NAME=" + name}
			out, err := cmd.CombinedOutput()
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
				t.Fatalf("exit %v, want status 2\n%s", err, out)
			}
			abs := name
			if !filepath.IsAbs(name) {
				abs = filepath.Join(work, name)
			}
			if !strings.Contains(string(out), abs+" does not exist") {
				t.Errorf("message does not name %s:\n%s", abs, out)
			}
			if _, err := os.Stat(abs); err == nil {
				t.Errorf("serve created %s", abs)
			}
			if entries, _ := os.ReadDir(work); len(entries) != 0 {
				t.Errorf("serve left files in the work folder: %v", entries)
			}
		})
	}
}

// syncBuf is a strings.Builder safe for a writer and a reader at once.
type syncBuf struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
