package e2e

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for a process writer and test readers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// bridge is one running `jetbridge serve` process.
type bridge struct {
	t      *testing.T
	cmd    *exec.Cmd
	URL    string // e.g. http://127.0.0.1:41234 (no trailing slash)
	Addr   string // host:port
	stdout *syncBuffer
	stderr *syncBuffer
	done   chan struct{}
	err    error // Wait's result, valid after done
}

var servingURL = regexp.MustCompile(`msg="jetbridge serving" url=(http://(\S+?))/api/`)

// baseEnv is the environment every jetbridge process gets: nothing is
// inherited from the test's environment except PATH, so no setting leaks in.
func baseEnv(t *testing.T) map[string]string {
	return map[string]string{
		"PATH":               os.Getenv("PATH"),
		"HOME":               t.TempDir(),
		"ADDRESS":            "127.0.0.1",
		"PORT":               "0",
		"AUTO_OPEN_REGISTER": "false",
		// loopback only: a closed port answers "connection refused" at once
		"API_BASE_URL": "http://127.0.0.1:1/api",
	}
}

func envList(env map[string]string) []string {
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// startBridge starts `jetbridge serve` with baseEnv plus env and waits for
// its "jetbridge serving" log line. The process is stopped at cleanup.
func startBridge(t *testing.T, env map[string]string, args ...string) *bridge {
	t.Helper()
	full := baseEnv(t)
	for k, v := range env {
		full[k] = v
	}
	b := &bridge{t: t, stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan struct{})}
	b.cmd = exec.Command(binPath, append([]string{"serve"}, args...)...)
	b.cmd.Env = envList(full)
	b.cmd.Dir = t.TempDir()
	b.cmd.Stdout, b.cmd.Stderr = b.stdout, b.stderr
	if err := b.cmd.Start(); err != nil {
		t.Fatalf("start jetbridge: %v", err)
	}
	go func() {
		b.err = b.cmd.Wait()
		close(b.done)
	}()
	t.Cleanup(func() {
		select {
		case <-b.done:
			return
		default:
		}
		_ = b.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-b.done:
		case <-time.After(30 * time.Second):
			_ = b.cmd.Process.Kill()
			<-b.done
			t.Errorf("jetbridge did not stop within 30 s of SIGTERM\n%s", b.stderr.String())
		}
	})
	deadline := time.Now().Add(15 * time.Second)
	for {
		if m := servingURL.FindStringSubmatch(b.stderr.String()); m != nil {
			b.URL, b.Addr = m[1], m[2]
			return b
		}
		select {
		case <-b.done:
			t.Fatalf("jetbridge exited before serving (%v)\nstdout:\n%s\nstderr:\n%s", b.err, b.stdout, b.stderr)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("jetbridge did not log its URL within 15 s\n%s", b.stderr)
		}
	}
}

// signal sends sig and waits up to timeout for the exit; it returns the exit
// status (-1 when killed by a signal).
func (b *bridge) stop(sig os.Signal, timeout time.Duration) int {
	b.t.Helper()
	if err := b.cmd.Process.Signal(sig); err != nil {
		b.t.Fatalf("signal: %v", err)
	}
	return b.wait(timeout)
}

func (b *bridge) wait(timeout time.Duration) int {
	b.t.Helper()
	select {
	case <-b.done:
	case <-time.After(timeout):
		_ = b.cmd.Process.Kill()
		<-b.done
		b.t.Fatalf("jetbridge did not exit within %v\n%s", timeout, b.stderr)
	}
	var ee *exec.ExitError
	if errors.As(b.err, &ee) {
		return ee.ExitCode()
	}
	if b.err != nil {
		b.t.Fatalf("wait: %v", b.err)
	}
	return 0
}

func (b *bridge) running() bool {
	select {
	case <-b.done:
		return false
	default:
		return true
	}
}

// answer is one HTTP answer.
type answer struct {
	Status int
	Header http.Header
	Body   string
	Took   time.Duration
}

// request sends one request; auth is the whole Authorization header ("" for
// none). Transport errors fail the test.
func request(t *testing.T, client *http.Client, method, url, auth, body string) answer {
	t.Helper()
	a, err := tryRequest(context.Background(), client, method, url, auth, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	return a
}

func tryRequest(ctx context.Context, client *http.Client, method, url, auth, body string) (answer, error) {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	if err != nil {
		return answer{}, err
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{}, err
	}
	return answer{Status: resp.StatusCode, Header: resp.Header, Body: string(b), Took: time.Since(start)}, nil
}

// noRedirect is a client that does not follow redirects.
func newClient(timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func clip(s string) string {
	if len(s) > 800 {
		return s[:800] + "..."
	}
	return s
}

// waitConnected waits until GET /api/ reports the database connected.
func (b *bridge) waitConnected() {
	b.t.Helper()
	c := newClient(5 * time.Second)
	deadline := time.Now().Add(20 * time.Second)
	for {
		a, err := tryRequest(context.Background(), c, "GET", b.URL+"/api/", "", "")
		if err == nil && a.Header.Get("X-Jetbridge-Database") == "connected" {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("the bridge did not connect to its database within 20 s (%v %s)\n%s", err, a.Body, b.stderr)
		}
		time.Sleep(25 * time.Millisecond)
	}
}
