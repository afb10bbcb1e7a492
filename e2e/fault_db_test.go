package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const bearerKey = "e2e-bearer-key-7f3a9c1d55"

// faultSchema is the schema of the dedicated-instance fault tests: ledger
// takes creates (one unique (worker, seq) per attempt), counters one row
// per worker for patches.
const faultSchema = `
CREATE TABLE ledger (
  id bigserial PRIMARY KEY,
  worker integer NOT NULL,
  seq integer NOT NULL,
  note text NOT NULL,
  UNIQUE (worker, seq)
);
CREATE TABLE counters (
  id integer PRIMARY KEY,
  value integer NOT NULL DEFAULT 0
);
INSERT INTO counters (id) SELECT g FROM generate_series(1, 64) g;
INSERT INTO ledger (worker, seq, note) VALUES (0, 1, 'seed-1'), (0, 2, 'seed-2'), (0, 3, 'seed-3');
`

// TestDatabaseDownAtStartup: serve starts without its database, says so on
// GET /api/, answers 503 with a JSON reason on data routes, and serves the
// data once the database is started, without a restart of the bridge.
func TestDatabaseDownAtStartup(t *testing.T) {
	pg := newPGInstance(t, "startup-pw-41d2")
	cfg := pg.createDB("jb", faultSchema)
	pg.stop()

	env := dbEnv(cfg)
	env["BEARER_AUTH_KEY"] = bearerKey
	start := time.Now()
	b := startBridge(t, env)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("serve took %v to listen with the database down", d)
	}
	c := newClient(10 * time.Second)
	auth := "Bearer " + bearerKey

	info := request(t, c, "GET", b.URL+"/api/", "", "")
	if info.Status != 200 || !strings.Contains(info.Body, `"database":"unreachable"`) || !strings.Contains(info.Body, `"database_error":"`) {
		t.Fatalf("GET /api/ with the database down: %d %s", info.Status, info.Body)
	}
	for _, path := range []string{"/api/models/ledger/", "/api/models/ledger/1/", "/api/model_descriptions/"} {
		a := request(t, c, "GET", b.URL+path, auth, "")
		var body struct {
			Detail string `json:"detail"`
		}
		if a.Status != 503 || json.Unmarshal([]byte(a.Body), &body) != nil || !strings.Contains(body.Detail, "unreachable") {
			t.Errorf("GET %s with the database down: %d %s (want 503 with a JSON detail naming the problem)", path, a.Status, a.Body)
		}
		if a.Took > 2*time.Second {
			t.Errorf("GET %s took %v with the database down", path, a.Took)
		}
	}
	a := request(t, c, "POST", b.URL+"/api/models/ledger/", auth, `{"worker":1,"seq":1,"note":"x"}`)
	if a.Status != 503 {
		t.Errorf("POST with the database down: %d %s", a.Status, a.Body)
	}

	pg.start()
	up := time.Now()
	for {
		a := request(t, c, "GET", b.URL+"/api/models/ledger/", auth, "")
		if a.Status == 200 {
			if !strings.Contains(a.Body, `"count":3`) || !strings.Contains(a.Body, `"note":"seed-3"`) {
				t.Errorf("list after reconnect: %s", a.Body)
			}
			break
		}
		if a.Status != 503 {
			t.Fatalf("while reconnecting: %d %s", a.Status, a.Body)
		}
		if time.Since(up) > 30*time.Second {
			t.Fatalf("still %d 30 s after the database started: %s\n%s", a.Status, a.Body, b.stderr)
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("data routes answered 200 %v after the database started", time.Since(up).Round(10*time.Millisecond))
	if info := request(t, c, "GET", b.URL+"/api/", "", ""); info.Header.Get("X-Jetbridge-Database") != "connected" || strings.Contains(info.Body, `"database"`) {
		t.Errorf("GET /api/ after reconnect: %v %s", info.Header, info.Body)
	}
	if a := request(t, c, "POST", b.URL+"/api/models/ledger/", auth, `{"worker":1,"seq":1,"note":"after"}`); a.Status != 201 {
		t.Errorf("create after reconnect: %d %s", a.Status, a.Body)
	}
	if !b.running() {
		t.Fatal("the bridge exited")
	}
}

// outcome tallies the answers of a load phase.
type outcome struct {
	mu       sync.Mutex
	statuses map[int]int
	bad      []string // unexpected answers (first few)
	errs     map[string]int
}

func newOutcome() *outcome { return &outcome{statuses: map[int]int{}, errs: map[string]int{}} }

func (o *outcome) add(status int, what string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.statuses[status]++
	if what != "" && len(o.bad) < 10 {
		o.bad = append(o.bad, what)
	}
}

func (o *outcome) addErr(err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	msg := err.Error()
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		msg = "timeout"
	}
	if i := strings.LastIndex(msg, ": "); i > 0 {
		msg = msg[i+2:]
	}
	o.errs[msg]++
}

func (o *outcome) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return fmt.Sprintf("statuses %v, transport errors %v", o.statuses, o.errs)
}

// writeLog is what the clients know they wrote: acknowledged creates and the
// last acknowledged counter value of each worker.
type writeLog struct {
	mu       sync.Mutex
	created  map[[2]int]bool   // (worker, seq) acknowledged with 201
	failed   map[[2]int]string // (worker, seq) answered otherwise: the answer
	tried    int
	counters map[int]int // worker -> last acknowledged value
}

func newWriteLog() *writeLog {
	return &writeLog{created: map[[2]int]bool{}, failed: map[[2]int]string{}, counters: map[int]int{}}
}

func (wl *writeLog) fail(w, seq int, what string) {
	wl.mu.Lock()
	defer wl.mu.Unlock()
	wl.failed[[2]int{w, seq}] = what
}

// TestDatabaseRestartUnderLoad: PostgreSQL restarts (pg_ctl restart -m fast)
// while 32 clients create, patch and list: answers are 2xx or a clean 503
// (never a 500 or another error, never a hang), the pool recovers, and every
// acknowledged write is in the database afterwards.
func TestDatabaseRestartUnderLoad(t *testing.T) {
	pg := newPGInstance(t, "restart-pw-93ab")
	cfg := pg.createDB("jb", faultSchema)
	env := dbEnv(cfg)
	env["BEARER_AUTH_KEY"] = bearerKey
	env["CONNECTIONS"] = "10"
	b := startBridge(t, env)
	b.waitConnected()

	const workers = 32
	client := newClient(15 * time.Second)
	client.Transport = newTransport(workers)
	auth := "Bearer " + bearerKey
	out := newOutcome()
	wl := newWriteLog()
	var restarted atomic.Int64 // unix nanos when the restart finished
	var okAfter atomic.Int64   // 2xx answers sent after the restart finished

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for w := 1; w <= workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := 1; ctx.Err() == nil; seq++ {
				var method, path, body string
				switch seq % 3 {
				case 0:
					method, path = "GET", fmt.Sprintf("/api/models/ledger/?worker=%d&_per_page=5", w)
				case 1:
					method, path, body = "POST", "/api/models/ledger/", fmt.Sprintf(`{"worker":%d,"seq":%d,"note":"w%d-s%d"}`, w, seq, w, seq)
					wl.mu.Lock()
					wl.tried++
					wl.mu.Unlock()
				case 2:
					method, path, body = "PATCH", fmt.Sprintf("/api/models/counters/%d/", w), fmt.Sprintf(`{"value":%d}`, seq)
				}
				a, err := tryRequest(context.Background(), client, method, b.URL+path, auth, body)
				if err != nil {
					out.addErr(err)
					if seq%3 == 1 {
						wl.fail(w, seq, err.Error())
					}
					continue
				}
				if seq%3 == 1 && a.Status != 201 {
					wl.fail(w, seq, fmt.Sprintf("%d %s", a.Status, clip(a.Body)))
				}
				bad := ""
				switch {
				case a.Status >= 200 && a.Status < 300:
					if r := restarted.Load(); r != 0 && time.Now().UnixNano() > r {
						okAfter.Add(1)
					}
				case a.Status == 503 && json.Valid([]byte(a.Body)) && strings.Contains(a.Body, `"detail"`):
				default:
					bad = fmt.Sprintf("%s %s: %d %s", method, path, a.Status, clip(a.Body))
				}
				out.add(a.Status, bad)
				if a.Status >= 200 && a.Status < 300 {
					wl.mu.Lock()
					switch seq % 3 {
					case 1:
						wl.created[[2]int{w, seq}] = true
					case 2:
						wl.counters[w] = seq
					}
					wl.mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	t0 := time.Now()
	if err := pg.restart(); err != nil {
		cancel()
		wg.Wait()
		t.Fatal(err)
	}
	restarted.Store(time.Now().UnixNano())
	t.Logf("PostgreSQL restarted in %v", time.Since(t0).Round(time.Millisecond))
	time.Sleep(4 * time.Second)
	cancel()
	wg.Wait()
	t.Logf("under restart: %s; %d creates acknowledged of %d tried", out, len(wl.created), wl.tried)

	for _, bad := range out.bad {
		t.Errorf("unexpected answer: %s", bad)
	}
	if len(out.errs) > 0 {
		t.Errorf("transport errors (hangs or dropped connections): %v", out.errs)
	}
	if okAfter.Load() == 0 {
		t.Errorf("no request succeeded in the 4 s after the restart: the pool did not recover\n%s", b.stderr)
	}
	// the pool has recovered: a fresh read succeeds
	if a := request(t, client, "GET", b.URL+"/api/models/ledger/?_per_page=1", auth, ""); a.Status != 200 {
		t.Errorf("after the restart: %d %s", a.Status, a.Body)
	}
	verifyWrites(t, openDB(t, cfg), wl)
	if strings.Contains(b.stderr.String(), "panic") {
		t.Errorf("the bridge logged a panic:\n%s", b.stderr)
	}
}
