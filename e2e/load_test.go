package e2e

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
)

var loadDuration = flag.Duration("load.duration", 0, "length of TestLoad (default JETBRIDGE_LOAD_SECONDS or 15s; at most 60s)")

// Load test parameters.
const (
	loadConns    = 200
	loadSeedRows = 20000
	loadMaxTime  = 60 * time.Second
	// loadRSSBound bounds the bridge's peak RSS under this load (issue 9's
	// aim; measured 46-49 MB for 15-60 s runs on a 2-core machine).
	loadRSSBound = 60 << 20
)

func loadTime(t *testing.T) time.Duration {
	d := 15 * time.Second
	if v := os.Getenv("JETBRIDGE_LOAD_SECONDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			t.Fatalf("JETBRIDGE_LOAD_SECONDS=%q is not a positive number of seconds", v)
		}
		d = time.Duration(n) * time.Second
	}
	if *loadDuration > 0 {
		d = *loadDuration
	}
	return min(d, loadMaxTime)
}

const loadSchema = `
CREATE TABLE products (
  id bigserial PRIMARY KEY,
  title varchar(120) NOT NULL,
  category integer NOT NULL,
  price numeric(10,2) NOT NULL,
  active boolean NOT NULL DEFAULT true,
  note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  worker integer NOT NULL DEFAULT 0,
  seq integer NOT NULL DEFAULT 0
);
CREATE INDEX products_category ON products (category);
INSERT INTO products (title, category, price, active, note)
  SELECT 'Product ' || g, g % 50, (g % 1000) * 1.25, g % 3 <> 0, CASE WHEN g % 7 = 0 THEN NULL ELSE 'note ' || g END
  FROM generate_series(1, 20000) g;
ANALYZE products;
`

// rssSampler polls a process's resident set size.
type rssSampler struct {
	pid  int
	peak atomic.Int64
	stop chan struct{}
	done chan struct{}
}

func readStatusKB(pid int, key string) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, key+":"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n << 10
			}
		}
	}
	return -1
}

func sampleRSS(pid int) *rssSampler {
	s := &rssSampler{pid: pid, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			if v := readStatusKB(pid, "VmRSS"); v > s.peak.Load() {
				s.peak.Store(v)
			}
			select {
			case <-s.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return s
}

// TestLoad: 200 concurrent connections of mixed reads (list, filter,
// retrieve) and writes (create, patch) against PostgreSQL through the real
// binary on loopback: zero 5xx, every acknowledged write present, p99 and
// the bridge's peak RSS reported, RSS bounded.
func TestLoad(t *testing.T) {
	if raceEnabled {
		t.Skip("load test skipped under -race: it measures the real binary's latency and memory; run go test ./e2e/ without -race (.ci/run does)")
	}
	dur := loadTime(t)
	cfg := sharedPG(t, loadSchema)
	env := dbEnv(cfg)
	env["BEARER_AUTH_KEY"] = bearerKey
	b := startBridge(t, env)
	b.waitConnected()
	pid := b.cmd.Process.Pid
	auth := "Bearer " + bearerKey
	client := newClient(30 * time.Second)
	tr := newTransport(loadConns)
	client.Transport = tr

	// warm-up (schema, pool, connections) before measuring
	if a := request(t, client, "GET", b.URL+"/api/models/products/?_per_page=1", auth, ""); a.Status != 200 {
		t.Fatalf("warm-up: %d %s", a.Status, a.Body)
	}
	rss := sampleRSS(pid)

	type opStats struct {
		lat []time.Duration
	}
	ops := []string{"list", "filter", "retrieve", "create", "patch"}
	var (
		mu        sync.Mutex
		all       = map[string]*opStats{}
		statuses  = map[int]int{}
		bad       []string
		errs      = map[string]int{}
		created   = map[int64]string{} // id -> title acknowledged
		patched   = map[int64]string{} // id -> note last acknowledged (each id patched by one worker)
		createSeq atomic.Int64
	)
	for _, op := range ops {
		all[op] = &opStats{}
	}
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for w := range loadConns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			local := map[string][]time.Duration{}
			localStatus := map[int]int{}
			var mine []int64 // rows this worker created (it alone patches them)
			for n := 0; ctx.Err() == nil; n++ {
				var op, method, path, body, title string
				var patchID int64
				switch r := rng.IntN(100); {
				case r < 30:
					op, method = "list", "GET"
					path = fmt.Sprintf("/api/models/products/?page=%d&_per_page=25", 1+rng.IntN(40))
				case r < 50:
					op, method = "filter", "GET"
					path = fmt.Sprintf("/api/models/products/?category=%d&price__gte=%d&_order_by=-price&_per_page=20", rng.IntN(50), rng.IntN(800))
				case r < 75:
					op, method = "retrieve", "GET"
					path = fmt.Sprintf("/api/models/products/%d/", 1+rng.IntN(loadSeedRows))
				case r < 90:
					op, method = "create", "POST"
					seq := createSeq.Add(1)
					title = fmt.Sprintf("load-w%d-%d", w, seq)
					path = "/api/models/products/"
					body = fmt.Sprintf(`{"title":%q,"category":%d,"price":"%d.50","worker":%d,"seq":%d,"note":"créé"}`, title, rng.IntN(50), rng.IntN(900), w, seq)
				default:
					op, method = "patch", "PATCH"
					if len(mine) == 0 {
						patchID = int64(loadSeedRows - w) // a seed row of this worker's own
					} else {
						patchID = mine[rng.IntN(len(mine))]
					}
					title = fmt.Sprintf("patched-w%d-n%d", w, n)
					path = fmt.Sprintf("/api/models/products/%d/", patchID)
					body = fmt.Sprintf(`{"note":%q,"active":%t}`, title, n%2 == 0)
				}
				a, err := tryRequest(context.Background(), client, method, b.URL+path, auth, body)
				if err != nil {
					mu.Lock()
					errs[op+": "+err.Error()]++
					mu.Unlock()
					continue
				}
				local[op] = append(local[op], a.Took)
				localStatus[a.Status]++
				ok := a.Status == 200 || (op == "create" && a.Status == 201)
				if !ok {
					mu.Lock()
					if len(bad) < 10 {
						bad = append(bad, fmt.Sprintf("%s %s: %d %s", method, path, a.Status, clip(a.Body)))
					}
					mu.Unlock()
					continue
				}
				switch op {
				case "create":
					id := jsonID(a.Body)
					if id == 0 {
						mu.Lock()
						bad = append(bad, "create answered without an id: "+clip(a.Body))
						mu.Unlock()
						continue
					}
					mine = append(mine, id)
					mu.Lock()
					created[id] = title
					mu.Unlock()
				case "patch":
					if !strings.Contains(a.Body, `"note":"`+title+`"`) {
						mu.Lock()
						bad = append(bad, "patch answered another row state: "+clip(a.Body))
						mu.Unlock()
						continue
					}
					mu.Lock()
					patched[patchID] = title
					mu.Unlock()
				}
			}
			mu.Lock()
			for op, l := range local {
				all[op].lat = append(all[op].lat, l...)
			}
			for s, n := range localStatus {
				statuses[s] += n
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(rss.stop)
	<-rss.done
	peak := rss.peak.Load()
	hwm := readStatusKB(pid, "VmHWM")

	var every []time.Duration
	var lines []string
	for _, op := range ops {
		l := all[op].lat
		every = append(every, l...)
		slices.Sort(l)
		lines = append(lines, fmt.Sprintf("%s n=%d p50=%v p99=%v", op, len(l), pct(l, 50), pct(l, 99)))
	}
	slices.Sort(every)
	total := len(every)
	fivexx := 0
	for s, n := range statuses {
		if s >= 500 {
			fivexx += n
		}
	}
	summary := fmt.Sprintf("load: %d conns, %v, %d requests (%.0f req/s), 5xx=%d, statuses=%v, p50=%v p99=%v max=%v, creates acked=%d, patched rows=%d, bridge peak RSS=%.1f MB (VmRSS sampled every 100 ms; VmHWM %.1f MB; bound %d MB)",
		loadConns, elapsed.Round(time.Millisecond), total, float64(total)/elapsed.Seconds(), fivexx, statuses,
		pct(every, 50), pct(every, 99), pct(every, 100), len(created), len(patched),
		float64(peak)/(1<<20), float64(hwm)/(1<<20), loadRSSBound>>20)
	fmt.Println(summary)
	t.Log(summary)
	t.Log("per operation: " + strings.Join(lines, "; "))

	if fivexx > 0 {
		t.Errorf("%d answers were 5xx", fivexx)
	}
	for _, s := range bad {
		t.Errorf("unexpected answer: %s", s)
	}
	if len(errs) > 0 {
		t.Errorf("transport errors: %v", errs)
	}
	if total < loadConns {
		t.Errorf("only %d requests in %v", total, elapsed)
	}
	if peak > loadRSSBound || hwm > loadRSSBound {
		t.Errorf("bridge RSS peaked at %.1f MB (VmHWM %.1f MB): above the %d MB bound", float64(peak)/(1<<20), float64(hwm)/(1<<20), loadRSSBound>>20)
	}
	if peak <= 0 {
		t.Log("note: RSS not measured (no /proc on this system)")
	}
	verifyLoadWrites(t, cfgDB(t, cfg), created, patched)
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p+99)/100 - 1
	i = max(0, min(i, len(sorted)-1))
	return sorted[i].Round(100 * time.Microsecond)
}

// jsonID reads "id":<n> from a row body.
func jsonID(body string) int64 {
	_, rest, ok := strings.Cut(body, `"id":`)
	if !ok {
		return 0
	}
	end := strings.IndexAny(rest, ",}")
	if end < 0 {
		return 0
	}
	n, _ := strconv.ParseInt(strings.TrimSpace(rest[:end]), 10, 64)
	return n
}

func cfgDB(t *testing.T, cfg config.Database) *db.DB { return openDB(t, cfg) }

// verifyLoadWrites checks every acknowledged create (by id and title) and
// the last acknowledged note of every patched row.
func verifyLoadWrites(t *testing.T, d *db.DB, created map[int64]string, patched map[int64]string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rows, err := d.SQL.QueryContext(ctx, "SELECT id, title, coalesce(note, '') FROM products")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	titles, notes := map[int64]string{}, map[int64]string{}
	for rows.Next() {
		var id int64
		var title, note string
		if err := rows.Scan(&id, &title, &note); err != nil {
			t.Fatal(err)
		}
		titles[id], notes[id] = title, note
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	missing, wrong := 0, 0
	for id, title := range created {
		got, ok := titles[id]
		switch {
		case !ok:
			missing++
		case got != title:
			wrong++
			t.Errorf("created row %d has title %q, acknowledged %q", id, got, title)
		}
	}
	for id, note := range patched {
		if notes[id] != note {
			wrong++
			if wrong < 5 {
				t.Errorf("row %d has note %q, last acknowledged patch set %q", id, notes[id], note)
			}
		}
	}
	if missing > 0 || wrong > 0 {
		t.Errorf("%d acknowledged creates missing, %d rows not as acknowledged", missing, wrong)
	}
	if n := len(titles) - loadSeedRows; n != len(created) {
		t.Errorf("%d rows were added but %d creates acknowledged", n, len(created))
	}
	t.Logf("verified: %d acknowledged creates present, %d patched rows as last acknowledged", len(created), len(patched))
}
