package e2e

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// slowViewSchema adds a view whose every read takes about 2 s.
const slowViewSchema = `
CREATE VIEW slow_items AS
  SELECT g AS id, 'slow ' || g AS title FROM generate_series(1, 3) g, pg_sleep(2) s;
`

// TestSIGTERMDuringLoad: SIGTERM while 40 clients write and a slow request
// is in flight: the listener closes at once (new connections are refused),
// the in-flight requests complete, the exit status is 0, and every write is
// either acknowledged and present or absent (none half-done).
func TestSIGTERMDuringLoad(t *testing.T) {
	cfg := sharedPG(t, faultSchema+slowViewSchema)
	env := dbEnv(cfg)
	env["BEARER_AUTH_KEY"] = bearerKey
	b := startBridge(t, env)
	b.waitConnected()
	auth := "Bearer " + bearerKey

	const workers = 40
	client := newClient(30 * time.Second)
	client.Transport = newTransport(workers + 2)
	wl := newWriteLog()
	out := newOutcome()
	var termSent atomic.Bool
	var errsBefore atomic.Int64

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	for w := 1; w <= workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := 1; ctx.Err() == nil; seq++ {
				body := fmt.Sprintf(`{"worker":%d,"seq":%d,"note":"w%d-s%d"}`, w, seq, w, seq)
				wl.mu.Lock()
				wl.tried++
				wl.mu.Unlock()
				after := termSent.Load()
				a, err := tryRequest(context.Background(), client, "POST", b.URL+"/api/models/ledger/", auth, body)
				if err != nil {
					if !after && !termSent.Load() {
						errsBefore.Add(1)
						out.addErr(err)
					}
					wl.fail(w, seq, err.Error())
					if termSent.Load() {
						time.Sleep(20 * time.Millisecond) // refused: the bridge is going away
					}
					continue
				}
				bad := ""
				if a.Status != 201 {
					bad = fmt.Sprintf("create: %d %s", a.Status, clip(a.Body))
					wl.fail(w, seq, bad)
				} else {
					wl.mu.Lock()
					wl.created[[2]int{w, seq}] = true
					wl.mu.Unlock()
				}
				out.add(a.Status, bad)
			}
		}()
	}

	time.Sleep(time.Second)
	slow := make(chan answer, 1)
	slowErr := make(chan error, 1)
	go func() {
		a, err := tryRequest(context.Background(), newClient(30*time.Second), "GET", b.URL+"/api/models/slow_items/", auth, "")
		slow <- a
		slowErr <- err
	}()
	time.Sleep(500 * time.Millisecond) // the slow request is in flight
	termSent.Store(true)
	if err := b.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	termAt := time.Now()

	// new connections are refused while the in-flight requests finish
	refusedAt := time.Duration(-1)
	for time.Since(termAt) < time.Second {
		conn, err := net.DialTimeout("tcp", b.Addr, 200*time.Millisecond)
		if err != nil {
			refusedAt = time.Since(termAt)
			break
		}
		conn.Close()
		time.Sleep(10 * time.Millisecond)
	}
	if refusedAt < 0 {
		t.Errorf("new connections still accepted 1 s after SIGTERM")
	} else if b.running() {
		if conn, err := net.DialTimeout("tcp", b.Addr, 200*time.Millisecond); err == nil {
			conn.Close()
			t.Errorf("a connection was accepted after the listener had closed")
		}
	} else {
		t.Errorf("the bridge exited before its in-flight requests could finish")
	}

	a, err := <-slow, <-slowErr
	if err != nil {
		t.Errorf("the in-flight slow request failed: %v", err)
	} else if a.Status != 200 || !strings.Contains(a.Body, `"title":"slow 3"`) {
		t.Errorf("the in-flight slow request: %d %s", a.Status, clip(a.Body))
	}
	code := b.wait(30 * time.Second)
	cancel()
	wg.Wait()
	if code != 0 {
		t.Errorf("exit status %d after SIGTERM, want 0\n%s", code, b.stderr)
	}
	t.Logf("SIGTERM: listener closed after %v, in-flight slow request answered %d after %v, exit %d in %v; %s",
		refusedAt.Round(time.Millisecond), a.Status, a.Took.Round(time.Millisecond), code, time.Since(termAt).Round(time.Millisecond), out)
	for _, bad := range out.bad {
		t.Errorf("unexpected answer: %s", bad)
	}
	if n := errsBefore.Load(); n > 0 {
		t.Errorf("%d transport errors before SIGTERM: %v", n, out.errs)
	}
	if !strings.Contains(b.stderr.String(), "shutting down") {
		t.Errorf("no shutdown log line:\n%s", b.stderr)
	}
	verifyWrites(t, openDB(t, cfg), wl)
}
