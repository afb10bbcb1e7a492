package server

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

const testKey = "test-bearer-key-0123456789"

// env is one server over a fresh fixture database, reached through real HTTP.
type env struct {
	t      *testing.T
	srv    *Server
	ts     *httptest.Server
	db     *db.DB
	engine config.Engine
	logs   *strings.Builder
}

// newEnv starts a server over a fresh database of the engine loaded with the
// shared types fixture; mutate adjusts the settings first.
func newEnv(t *testing.T, e config.Engine, mutate func(*config.Settings)) *env {
	t.Helper()
	dbcfg := testdb.Config(t, e)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	d, err := db.Open(ctx, dbcfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	testdb.LoadTypes(t, d)

	s := config.Defaults()
	s.Database = dbcfg
	s.BearerAuthKey = testKey
	s.Project = "acme"
	s.SQLTimeout = 5 * time.Second
	if mutate != nil {
		mutate(&s)
	}
	logs := &strings.Builder{}
	lw := &lockedWriter{w: logs}
	srv, err := New(Options{Settings: s, Logger: slog.New(slog.NewTextHandler(lw, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return &env{t: t, srv: srv, ts: ts, db: d, engine: e, logs: logs}
}

// do sends a request with the Bearer key unless headers set Authorization.
func (e *env) do(method, path, body string, headers ...string) (int, http.Header, string) {
	e.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.ts.URL+path, r)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testKey)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else if headers[i] == "Host" {
			req.Host = headers[i+1]
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// json decodes a body.
func decode[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("body is not the expected JSON: %v\n%s", err, body)
	}
	return v
}

type lockedWriter struct {
	mu sync.Mutex
	w  *strings.Builder
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// engines runs fn for every engine whose server is available.
func engines(t *testing.T, fn func(t *testing.T, e config.Engine)) {
	for _, e := range testdb.Engines {
		t.Run(string(e), func(t *testing.T) {
			if e == config.EnginePostgres && os.Getenv(testdb.PostgresEnv) == "" {
				t.Skipf("set %s to run the PostgreSQL suite", testdb.PostgresEnv)
			}
			if e == config.EngineMySQL && os.Getenv(testdb.MySQLEnv) == "" {
				t.Skipf("set %s to run the MySQL/MariaDB suite", testdb.MySQLEnv)
			}
			fn(t, e)
		})
	}
}
