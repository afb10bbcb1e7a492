package e2e

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/server"
)

// TestClientDisconnectCancelsQuery: a client that goes away mid-query gets
// its query cancelled in PostgreSQL (it leaves pg_stat_activity), and the
// server keeps no goroutine for it. The server runs in this process, so its
// goroutines can be counted.
func TestClientDisconnectCancelsQuery(t *testing.T) {
	cfg := sharedPG(t, `
CREATE TABLE plain (id serial PRIMARY KEY, title text NOT NULL);
INSERT INTO plain (title) VALUES ('a'), ('b');
CREATE VIEW sleepy_view AS
  SELECT g AS id, md5(g::text) AS title FROM generate_series(1, 5) g, pg_sleep(30) s;
`)
	s := config.Defaults()
	s.Database = cfg
	s.BearerAuthKey = bearerKey
	srv, err := server.New(server.Options{Settings: s, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(sctx, ln) }()
	defer func() {
		stop()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()
	base := "http://" + ln.Addr().String()
	auth := "Bearer " + bearerKey
	watch := openDB(t, cfg)
	active := func() int {
		var n int
		err := watch.SQL.QueryRow(`SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid()
			AND state = 'active' AND query LIKE '%sleepy_view%'`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	// warm up: the pool, the HTTP machinery, the client transport
	tr := newTransport(4)
	client := &http.Client{Transport: tr}
	for range 5 {
		if a := request(t, client, "GET", base+"/api/models/plain/", auth, ""); a.Status != 200 {
			t.Fatalf("warm-up: %d %s", a.Status, a.Body)
		}
	}
	tr.CloseIdleConnections()
	before := settledGoroutines(0, 2*time.Second)

	const rounds = 8
	var worst time.Duration
	for i := range rounds {
		rctx, rcancel := context.WithCancel(context.Background())
		errc := make(chan error, 1)
		go func() {
			_, err := tryRequest(rctx, client, "GET", base+"/api/models/sleepy_view/", auth, "")
			errc <- err
		}()
		// the query must be seen running, or the test proves nothing
		deadline := time.Now().Add(5 * time.Second)
		for active() == 0 {
			if time.Now().After(deadline) {
				rcancel()
				t.Fatalf("round %d: the slow query never showed in pg_stat_activity", i)
			}
			time.Sleep(20 * time.Millisecond)
		}
		rcancel() // the client goes away
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Fatalf("round %d: the request ended with %v, not the client's cancellation", i, err)
		}
		cancelled := time.Now()
		for active() > 0 {
			if time.Since(cancelled) > 5*time.Second {
				t.Fatalf("round %d: the query still runs in PostgreSQL 5 s after the client left", i)
			}
			time.Sleep(20 * time.Millisecond)
		}
		worst = max(worst, time.Since(cancelled))
	}
	// the server still answers, over a fresh connection
	if a := request(t, client, "GET", base+"/api/models/plain/", auth, ""); a.Status != 200 {
		t.Errorf("after the disconnects: %d %s", a.Status, a.Body)
	}
	tr.CloseIdleConnections()
	after := settledGoroutines(before+2, 5*time.Second)
	t.Logf("%d disconnects: queries left pg_stat_activity within %v; goroutines %d before, %d after",
		rounds, worst.Round(time.Millisecond), before, after)
	if after > before+2 {
		var sb strings.Builder
		_ = pprof.Lookup("goroutine").WriteTo(&sb, 1)
		t.Errorf("goroutine leak: %d before %d disconnected requests, %d after\n%s", before, rounds, after, sb.String())
	}
}

// settledGoroutines waits up to wait for the goroutine count to fall to
// target or below (0: until it stops changing) and returns it.
func settledGoroutines(target int, wait time.Duration) int {
	deadline := time.Now().Add(wait)
	last := runtime.NumGoroutine()
	for time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		runtime.GC()
		n := runtime.NumGoroutine()
		if (target > 0 && n <= target) || (target == 0 && n == last) {
			return n
		}
		last = n
	}
	return runtime.NumGoroutine()
}
