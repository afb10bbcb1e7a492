package server

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/testdb"
	"github.com/jetbridge/jetbridge/internal/version"
)

// served is a server over the SQLite fixture reached through Serve (so the
// http.Server timeouts apply), for the hostile-input tests.
type served struct {
	base string
	logs *strings.Builder
}

func serveSQLite(t *testing.T, headerTimeout time.Duration) *served {
	t.Helper()
	dbcfg := testdb.Config(t, config.EngineSQLite)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	d, err := db.Open(ctx, dbcfg)
	if err != nil {
		t.Fatal(err)
	}
	testdb.LoadTypes(t, d)
	d.Close()

	s := config.Defaults()
	s.Database = dbcfg
	s.BearerAuthKey = testKey
	logs := &strings.Builder{}
	srv, err := New(Options{Settings: s, ReadHeaderTimeout: headerTimeout,
		Logger: slog.New(slog.NewTextHandler(&lockedWriter{w: logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(sctx, ln) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return &served{base: "http://" + ln.Addr().String(), logs: logs}
}

// call sends one request with the Bearer key; body may be nil.
func (s *served) call(t *testing.T, method, path string, body io.Reader, header ...string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testKey)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, clip(path), err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, clip(path), err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

// nested returns depth levels of JSON arrays around 1.
func nested(depth int) string {
	return strings.Repeat("[", depth) + "1" + strings.Repeat("]", depth)
}

// bigBody yields n bytes of a valid JSON string body without holding them.
type bigBody struct{ n, off int }

func (b *bigBody) Read(p []byte) (int, error) {
	if b.off >= b.n {
		return 0, io.EOF
	}
	i := 0
	for ; i < len(p) && b.off < b.n; i, b.off = i+1, b.off+1 {
		switch {
		case b.off < len(`{"description":"`):
			p[i] = `{"description":"`[b.off]
		case b.off == b.n-2:
			p[i] = '"'
		case b.off == b.n-1:
			p[i] = '}'
		default:
			p[i] = 'x'
		}
	}
	return i, nil
}

func inList(n int) string {
	var sb strings.Builder
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(strconv.Itoa(i))
	}
	return sb.String()
}

// TestHostileInput: every hostile request gets the right 4xx (or a clamped
// answer) in the JSON error shape, never a 5xx.
func TestHostileInput(t *testing.T) {
	s := serveSQLite(t, 0)
	type hostile struct {
		name   string
		method string
		path   string
		body   func() io.Reader
		header []string
		status int
		has    []string
	}
	str := func(v string) func() io.Reader { return func() io.Reader { return strings.NewReader(v) } }
	cases := []hostile{
		{name: "oversized body with length", method: "POST", path: "/api/models/items/",
			body: func() io.Reader { return strings.NewReader(bigString(BodyLimit + 1024)) }, status: 413, has: []string{`"detail"`, "too large"}},
		{name: "oversized body chunked", method: "POST", path: "/api/models/items/",
			body: func() io.Reader { return io.MultiReader(&bigBody{n: BodyLimit + 4096}) }, status: 413, has: []string{"too large"}},
		{name: "oversized patch", method: "PATCH", path: "/api/models/items/1/",
			body: func() io.Reader { return &bigBody{n: BodyLimit + 1} }, status: 413},
		{name: "body just under the limit is decoded", method: "PATCH", path: "/api/models/items/1/",
			body: func() io.Reader { return &bigBody{n: 1 << 20} }, status: 200, has: []string{`"id":1`}},
		{name: "deeply nested JSON (100000)", method: "POST", path: "/api/models/items/", body: str(`{"meta":` + nested(100000) + `}`),
			status: 400, has: []string{"non_field_errors", "nested"}},
		{name: "deeply nested JSON (1000)", method: "POST", path: "/api/models/items/", body: str(`{"title":"x","meta":` + nested(1000) + `}`),
			status: 400, has: []string{"non_field_errors", "nested"}},
		{name: "deeply nested objects", method: "PATCH", path: "/api/models/items/1/", body: str(strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000)),
			status: 400, has: []string{"nested"}},
		{name: "moderate nesting is fine", method: "PATCH", path: "/api/models/items/1/", body: str(`{"meta":` + nested(20) + `}`),
			status: 200, has: []string{`"id":1`}},
		{name: "invalid UTF-8 in body", method: "POST", path: "/api/models/items/", body: str("{\"title\":\"bad \xff\xfe byte\"}"),
			status: 400, has: []string{"UTF-8"}},
		{name: "invalid UTF-8 in key", method: "PATCH", path: "/api/models/items/1/", body: str("{\"ti\xc3tle\":\"x\"}"),
			status: 400, has: []string{"UTF-8"}},
		{name: "invalid UTF-8 in filter", method: "GET", path: "/api/models/items/?title=%FF%FE", status: 400, has: []string{"UTF-8"}},
		{name: "invalid UTF-8 in search", method: "GET", path: "/api/models/items/?_search=%C3", status: 400, has: []string{"UTF-8"}},
		{name: "invalid UTF-8 in pk", method: "GET", path: "/api/models/items/%FF/", status: 400, has: []string{"UTF-8"}},
		{name: "invalid UTF-8 in model", method: "GET", path: "/api/models/it%FFems/", status: 400, has: []string{"UTF-8"}},
		{name: "huge _per_page clamped", method: "GET", path: "/api/models/items/?_per_page=100000000", status: 200,
			has: []string{`"per_page":10000`, `"results":[{`}},
		{name: "overflowing _per_page", method: "GET", path: "/api/models/items/?_per_page=99999999999999999999999", status: 200,
			has: []string{`"per_page":25`}},
		{name: "negative _per_page", method: "GET", path: "/api/models/items/?_per_page=-5", status: 200, has: []string{`"per_page":1`}},
		{name: "huge page", method: "GET", path: "/api/models/items/?page=9223372036854775807&_per_page=10000", status: 200,
			has: []string{`"results":[]`, `"next":null`}},
		{name: "huge page small per_page", method: "GET", path: "/api/models/items/?page=922337203685477580&_per_page=100", status: 200,
			has: []string{`"results":[]`}},
		{name: "in list of 100000 values", method: "GET", path: "/api/models/items/?id__in=" + inList(100000), status: 400, has: []string{`{"id":["too many values`}},
		{name: "in list of 100000 repeated params", method: "GET", path: "/api/models/items/?" + strings.Repeat("id__in=7&", 100000), status: 400, has: []string{"too many query parameters"}},
		{name: "in list of 10000 repeated params", method: "GET", path: "/api/models/items/?" + strings.Repeat("id__in=7&", 9999) + "id__in=8", status: 200, has: []string{`"count":2`}},
		{name: "in list of 10001 repeated params", method: "GET", path: "/api/models/items/?" + strings.Repeat("id__in=7&", 10000) + "id__in=8", status: 400, has: []string{"too many"}},
		// over MaxHeaderBytes (1 MB) net/http itself answers 431 before any handler
		{name: "in list beyond the header limit", method: "GET", path: "/api/models/items/?" + repeated("id__in", 100000), status: 431},
		{name: "in list at the limit is handled", method: "GET", path: "/api/models/items/?_per_page=5&id__in=" + inList(10000), status: 200, has: []string{`"per_page":5`, `"results":[{`}},
		{name: "1 MB of query string", method: "GET", path: "/api/models/items/?title=" + strings.Repeat("a", 900<<10), status: 200, has: []string{`"count":0`}},
		{name: "_order_by with injection", method: "GET", path: "/api/models/items/?_order_by=" + url.QueryEscape("id; DROP TABLE items"), status: 400},
		// SQLite refuses more than 10000 ORDER BY terms: a 400 with its message
		{name: "many order terms", method: "GET", path: "/api/models/items/?_order_by=" + strings.Repeat("id,", 20000) + "id", status: 400, has: []string{"ORDER BY"}},
		{name: "some order terms", method: "GET", path: "/api/models/items/?_order_by=" + strings.Repeat("id,", 500) + "id", status: 200},
		{name: "null byte in filter", method: "GET", path: "/api/models/items/?title=a%00b", status: 200, has: []string{`"count":0`}},
		{name: "null byte in body", method: "PATCH", path: "/api/models/items/1/", body: str(`{"description":"a\u0000b"}`), status: 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var body io.Reader
			if c.body != nil {
				body = c.body()
			}
			status, h, got := s.call(t, c.method, c.path, body, c.header...)
			if status != c.status {
				t.Fatalf("status %d, want %d\n%s", status, c.status, clip(got))
			}
			if h.Get("X-Content-Type-Options") != "nosniff" && status != 431 {
				t.Errorf("no X-Content-Type-Options: nosniff")
			}
			if status >= 400 && status != 431 && !json.Valid([]byte(got)) {
				t.Errorf("error body is not JSON: %s", clip(got))
			}
			for _, f := range c.has {
				if !strings.Contains(got, f) {
					t.Errorf("body lacks %q\n%s", f, clip(got))
				}
			}
		})
	}
	if strings.Contains(s.logs.String(), "panic") {
		t.Errorf("a handler panicked:\n%s", s.logs.String())
	}
}

func bigString(n int) string { return `{"description":"` + strings.Repeat("x", n) + `"}` }

func repeated(name string, n int) string {
	var sb strings.Builder
	for i := range n {
		if i > 0 {
			sb.WriteByte('&')
		}
		sb.WriteString(name + "=" + strconv.Itoa(i))
	}
	return sb.String()
}

// TestHostileInListMemory: a 100,000-value `in` list is refused without the
// server allocating much more than the request itself.
func TestHostileInListMemory(t *testing.T) {
	s := serveSQLite(t, 0)
	path := "/api/models/items/?id__in=" + inList(100000) // ~590 kB
	s.call(t, "GET", path, nil)                           // warm up
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	const n = 10
	for range n {
		if status, _, body := s.call(t, "GET", path, nil); status != 400 {
			t.Fatalf("status %d: %s", status, clip(body))
		}
	}
	runtime.ReadMemStats(&after)
	perRequest := (after.TotalAlloc - before.TotalAlloc) / n
	// the client side (building and sending the request) is in the same
	// process; the bound covers both with room to spare.
	const bound = 40 << 20
	t.Logf("in list of 100000 values: %.1f MB allocated per request (client and server), bound %d MB", float64(perRequest)/(1<<20), bound>>20)
	if perRequest > bound {
		t.Errorf("a 100000-value in list allocates %d MB per request (bound %d MB)", perRequest>>20, bound>>20)
	}
}

// TestSlowLoris: a client that dribbles its headers is cut off by the
// read-header timeout, while other clients are served.
func TestSlowLoris(t *testing.T) {
	const timeout = 400 * time.Millisecond
	s := serveSQLite(t, timeout)
	for _, tc := range []struct {
		name  string
		start string
	}{
		{"never finishes the headers", "GET /api/ HTTP/1.1\r\nHost: x\r\n"},
		{"never finishes the request line", "GET /api/models/items/?page="},
		{"sends nothing", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", strings.TrimPrefix(s.base, "http://"))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			start := time.Now()
			if _, err := io.WriteString(conn, tc.start); err != nil {
				t.Fatal(err)
			}
			// dribble one header byte every 100 ms
			cut := make(chan time.Duration, 1)
			go func() {
				r := bufio.NewReader(conn)
				_, _ = io.Copy(io.Discard, r) // returns when the server closes
				cut <- time.Since(start)
			}()
			tick := time.NewTicker(100 * time.Millisecond)
			defer tick.Stop()
			deadline := time.After(10 * timeout)
			for {
				select {
				case d := <-cut:
					if d < timeout/2 || d > 4*timeout {
						t.Errorf("connection closed after %v; read-header timeout is %v", d, timeout)
					}
					// the server still serves others
					if status, _, body := s.call(t, "GET", "/api/", nil); status != 200 {
						t.Errorf("GET /api/ after slow-loris: %d %s", status, body)
					}
					return
				case <-tick.C:
					_, _ = io.WriteString(conn, "X")
				case <-deadline:
					t.Fatalf("slow client still connected after %v (read-header timeout %v)", 10*timeout, timeout)
				}
			}
		})
	}
}

// TestDefaultReadHeaderTimeout: without an option the timeout is 10 s.
func TestDefaultReadHeaderTimeout(t *testing.T) {
	srv, err := New(Options{Settings: config.Defaults()})
	if err != nil {
		t.Fatal(err)
	}
	if srv.headerWait != 10*time.Second || DefaultReadHeaderTimeout != 10*time.Second {
		t.Errorf("read-header timeout %v, want 10s", srv.headerWait)
	}
}

// TestResponseHeaders: every response carries X-Content-Type-Options:
// nosniff, none names the server software, and only GET /api/ carries the
// version.
func TestResponseHeaders(t *testing.T) {
	s := serveSQLite(t, 0)
	ver := version.Get().Version
	type req struct {
		method, path, body string
		auth               bool
		status             int
	}
	reqs := []req{
		{"GET", "/", "", false, 302},
		{"GET", "/api/", "", false, 200},
		{"HEAD", "/api/", "", false, 0},
		{"GET", "/api/model_descriptions/", "", true, 200},
		{"GET", "/api/model_descriptions/", "", false, 403},
		{"GET", "/api/models/items/", "", true, 200},
		{"GET", "/api/models/items/1/", "", true, 200},
		{"GET", "/api/models/items/999999/", "", true, 404},
		{"GET", "/api/models/items/abc/", "", true, 400},
		{"GET", "/api/models/nope/", "", true, 404},
		{"GET", "/api/nothing/", "", false, 404},
		{"GET", "/nothing", "", false, 404},
		{"GET", "/api/models/items", "", true, 404},
		{"POST", "/api/models/items/1/", "{}", true, 404},
		{"TRACE", "/api/", "", false, 404},
		{"OPTIONS", "/api/models/items/", "", false, 204},
		{"POST", "/api/models/items/", `{"title":`, true, 400},
		{"POST", "/api/models/items/", `{"title":"h"}`, true, 201},
		{"PATCH", "/api/models/items/2/", `{"quantity":"x"}`, true, 400},
		{"DELETE", "/api/models/items/29/", "", true, 204},
		{"GET", "/api/models/items/?_order_by=nope", "", true, 400},
		{"POST", "/api/sql/", `{"query":"SELECT nonsense FROM nowhere"}`, true, 400},
		{"POST", "/api/reload/", "", true, 200},
		{"GET", "/api/register/", "", false, 400},
	}
	for _, r := range reqs {
		name := r.method + " " + r.path
		t.Run(name, func(t *testing.T) {
			req, err := http.NewRequest(r.method, s.base+r.path, strings.NewReader(r.body))
			if err != nil {
				t.Fatal(err)
			}
			if r.auth {
				req.Header.Set("Authorization", "Bearer "+testKey)
			}
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != r.status && r.status != 0 && !(r.path == "/api/register/" && resp.StatusCode < 500) {
				t.Errorf("status %d, want %d: %s", resp.StatusCode, r.status, clip(string(b)))
			}
			if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options %q, want nosniff", got)
			}
			for _, h := range []string{"Server", "X-Powered-By"} {
				if v := resp.Header.Get(h); v != "" {
					t.Errorf("%s header %q names the software", h, v)
				}
			}
			for name, vs := range resp.Header {
				for _, v := range vs {
					if strings.Contains(strings.ToLower(v), "echo") || strings.Contains(v, "Go-http") {
						t.Errorf("header %s: %q names the software", name, v)
					}
				}
			}
			if !(r.method == "GET" && r.path == "/api/") {
				if strings.Contains(string(b), "jetbridge_version") || (len(ver) > 3 && strings.Contains(string(b), ver)) {
					t.Errorf("body names the version: %s", clip(string(b)))
				}
			} else if resp.Header.Get("X-Jetbridge-Version") == "" || strings.Contains(string(b), "jetbridge_version") {
				t.Errorf("GET /api/: the version belongs in X-Jetbridge-Version, not the body: %s", clip(string(b)))
			}
			if resp.StatusCode >= 500 || strings.Contains(string(b), "goroutine ") || strings.Contains(string(b), ".go:") {
				t.Errorf("internal details in the answer: %s", clip(string(b)))
			}
		})
	}
}

// TestHostilePanicAnswer: a panic in a handler becomes a JSON 500 without a
// stack, with nosniff, and the server keeps serving.
func TestHostilePanicAnswer(t *testing.T) {
	srv, err := New(Options{Settings: config.Defaults()})
	if err != nil {
		t.Fatal(err)
	}
	srv.echo.GET("/boom/", func(c echo.Context) error { panic(errors.New("kaboom at secret.go:12")) })
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/boom/", nil))
	if rec.Code != 500 || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("panic answer %d %v", rec.Code, rec.Header())
	}
	if body := rec.Body.String(); strings.Contains(body, "kaboom") || strings.Contains(body, ".go:") || !json.Valid([]byte(body)) {
		t.Errorf("panic answer leaks: %s", body)
	}
}

// TestSQLInjectionClassics: the classics in filter values, _search, column
// names, _order_by, model names and pk values match nothing, are refused
// with a 4xx, or are ignored as unknown columns; nothing is changed.
func TestSQLInjectionClassics(t *testing.T) {
	s := serveSQLite(t, 0)
	count := func(t *testing.T, path string) (int, string) {
		t.Helper()
		status, _, body := s.call(t, "GET", path, nil)
		if status != 200 {
			return status, body
		}
		var v struct {
			Count int `json:"count"`
		}
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return v.Count, body
	}
	for _, inj := range injections {
		q := url.QueryEscape(inj)
		p := url.PathEscape(inj)
		t.Run(clip(inj), func(t *testing.T) {
			for _, path := range []string{
				"/api/models/items/?title=" + q,
				"/api/models/items/?title__icontains=" + q,
				"/api/models/items/?_search=" + q,
				"/api/models/items/?description__in=" + q,
			} {
				if n, body := count(t, path); n != 0 {
					t.Errorf("%s: %d rows match (want 0): %s", path, n, clip(body))
				}
			}
			// an unknown column name is ignored, as upstream
			if n, body := count(t, "/api/models/items/?"+q+"=1"); n != 30 {
				t.Errorf("column %q: count %d (want the 30 rows unfiltered): %s", inj, n, clip(body))
			}
			for _, c := range []struct {
				method, path string
				want         []int
			}{
				{"GET", "/api/models/items/?_order_by=" + q, []int{400}},
				{"GET", "/api/models/items/?id__in=" + q, []int{400}},
				{"GET", "/api/models/items/?id=" + q, []int{400}},
				{"GET", "/api/models/" + p + "/", []int{404}},
				{"DELETE", "/api/models/" + p + "/1/", []int{404}},
				{"GET", "/api/models/items/" + p + "/", []int{400, 404}},
				{"DELETE", "/api/models/items/" + p + "/", []int{400, 404}},
				{"GET", "/api/models/event_log/" + p + "/", []int{404}},
			} {
				status, _, body := s.call(t, c.method, c.path, nil)
				ok := false
				for _, w := range c.want {
					ok = ok || status == w
				}
				if !ok {
					t.Errorf("%s %s: status %d, want one of %v: %s", c.method, c.path, status, c.want, clip(body))
				}
			}
		})
	}
	if n, body := count(t, "/api/models/items/"); n != 30 {
		t.Errorf("items has %d rows after the injections, want 30: %s", n, clip(body))
	}
	if status, _, body := s.call(t, "GET", "/api/model_descriptions/", nil); status != 200 || !strings.Contains(body, `"model":"OrderItems"`) {
		t.Errorf("schema changed: %d %s", status, clip(body))
	}
}
