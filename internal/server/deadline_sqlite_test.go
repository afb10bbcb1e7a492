package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// Every model route's statements stop at SQL_TIMEOUT on SQLite, whose driver
// looks at the context only while it prepares a statement: aggregate and
// group (like list) and GraphQL statements run on a connection of db.DB.Conn, interrupted at the
// deadline. Without the interrupt these statements run for minutes.
func TestSQLiteSlowStatementsStopAtDeadline(t *testing.T) {
	dbcfg := testdb.Config(t, config.EngineSQLite)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	d, err := db.Open(ctx, dbcfg)
	if err != nil {
		t.Fatal(err)
	}
	testdb.Exec(t, d, `CREATE VIEW endless AS
  WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT x AS n FROM c;
CREATE TABLE quick (id INTEGER PRIMARY KEY);
INSERT INTO quick VALUES (1);`)
	d.Close()

	s := config.Defaults()
	s.Database = dbcfg
	s.BearerAuthKey = testKey
	s.SQLTimeout = time.Second
	srv, err := New(Options{Settings: s, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); srv.Close() })
	client := &http.Client{Timeout: 15 * time.Second}
	get := func(path string) (int, string, time.Duration) {
		t.Helper()
		method, body := "GET", io.Reader(nil)
		if q, ok := strings.CutPrefix(path, "graphql:"); ok {
			b, _ := json.Marshal(map[string]string{"query": q})
			method, path, body = "POST", "/api/graphql/", bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, ts.URL+path, body)
		req.Header.Set("Authorization", "Bearer "+testKey)
		req.Header.Set("Content-Type", "application/json")
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v (after %v)", path, err, time.Since(start))
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), time.Since(start)
	}
	for _, path := range []string{
		"/api/models/endless/",
		"/api/models/endless/aggregate/?_y_func=count",
		"/api/models/endless/aggregate/?_y_func=max&_y_column=n",
		"/api/models/endless/group/?_x_column=n&_y_func=count",
		"/api/models/endless/group/?_y_func=max&_y_column=n",
		"graphql:{ endless(filters: [{n: {eq: 5}}]) { pagination { count } } }",
		"graphql:{ endless(search: {query: \"5\"}) { data { attrs { n } } } }",
	} {
		status, body, took := get(path)
		t.Logf("%s: %d %s in %v", path, status, clip(body), took)
		want, wantStatus := "SQL_TIMEOUT", http.StatusServiceUnavailable
		if strings.HasPrefix(path, "graphql:") {
			want, wantStatus = "took too long", http.StatusOK // GraphQL's error shape
		}
		if status != wantStatus || !strings.Contains(body, want) || took > 4*time.Second {
			t.Errorf("%s: %d %s in %v, want %d naming %q within the deadline", path, status, clip(body), took, wantStatus, want)
		}
	}
	// the interrupted connections were not handed to the next request
	if status, body, _ := get("/api/models/quick/aggregate/?_y_func=count"); status != http.StatusOK {
		t.Errorf("aggregate after the interrupted ones: %d %s", status, clip(body))
	}
}
