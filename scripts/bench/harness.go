package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jetbridge/jetbridge/internal/config"
)

// harness holds what the phases of one benchmark run share.
type harness struct {
	opts *options
	bin  string
	tmp  string
	key  string
	rep  *report
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// bridgePool is the pool size both servers get.
func (h *harness) bridgePool() int {
	if h.opts.pool > 0 {
		return h.opts.pool
	}
	return config.Defaults().Database.Connections
}

// pgEnv returns the bridge's DATABASE_* settings for database name on the
// server of the admin DSN; port overrides the DSN's port when non-zero.
func pgEnv(adminDSN, name string, port int) ([]string, string, error) {
	u, err := url.Parse(adminDSN)
	if err != nil {
		return nil, "", fmt.Errorf("PostgreSQL DSN: %w", err)
	}
	host, p := u.Hostname(), u.Port()
	if host == "" {
		host = "127.0.0.1"
	}
	if p == "" {
		p = "5432"
	}
	target := net.JoinHostPort(host, p)
	if port != 0 {
		host, p = "127.0.0.1", strconv.Itoa(port)
	}
	env := []string{"DATABASE_ENGINE=postgresql", "DATABASE_HOST=" + host, "DATABASE_PORT=" + p,
		"DATABASE_NAME=" + name, "DATABASE_EXTRA=sslmode=disable"}
	if u.User != nil {
		env = append(env, "DATABASE_USER="+u.User.Username())
		if pw, ok := u.User.Password(); ok {
			env = append(env, "DATABASE_PASSWORD="+pw)
		}
	}
	return env, target, nil
}

// startBridge starts `jetbridge serve` with dbEnv and waits for readyPath to
// answer 200.
func (h *harness) startBridge(ctx context.Context, name string, dbEnv []string, extraArgs []string, readyPath string) (*proc, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	dead, err := freePort() // nothing listens there: the Jet Admin API stays out of the measurement
	if err != nil {
		return nil, err
	}
	env := append([]string{
		"ADDRESS=127.0.0.1", "PORT=" + strconv.Itoa(port), "BEARER_AUTH_KEY=" + h.key,
		"TOKEN=" + randomHex(16), "API_BASE_URL=http://127.0.0.1:" + strconv.Itoa(dead) + "/api",
		"AUTO_OPEN_REGISTER=false",
	}, dbEnv...)
	env = append(env, strings.Fields(h.opts.bridgeEnv)...)
	args := append([]string{"serve"}, extraArgs...)
	p, err := startProc(name, h.tmp, h.bin, args, env)
	if err != nil {
		return nil, err
	}
	p.addr = "127.0.0.1:" + strconv.Itoa(port)
	if err := waitOK(ctx, p, "http://"+p.addr+readyPath, h.key, 60*time.Second); err != nil {
		p.stop()
		return nil, err
	}
	return p, nil
}

// postgres runs every scenario against the bridge and the baseline.
func (h *harness) postgres(ctx context.Context) error {
	scens := h.selected(scenarios("track", "genre_id"))
	// 1. capture the SQL the bridge runs for each scenario
	env, target, err := pgEnv(h.opts.pgDSN, h.opts.dbName, 0)
	if err != nil {
		return err
	}
	capt, err := startCapture(target)
	if err != nil {
		return err
	}
	capEnv, _, _ := pgEnv(h.opts.pgDSN, h.opts.dbName, capt.port())
	capBridge, err := h.startBridge(ctx, "bridge-capture", append(capEnv, "CONNECTIONS=1"), nil, "/api/models/track/?_per_page=1")
	if err != nil {
		capt.close()
		return fmt.Errorf("start the bridge for SQL capture: %w", err)
	}
	client := &http.Client{Timeout: 30 * time.Second}
	captured := map[string][]string{}
	for _, s := range scens {
		for i := 0; i < 2; i++ { // the first request warms caches; record the second
			if i == 1 {
				capt.start()
			}
			status, body, err := h.send(ctx, client, capBridge.addr, s, 0, i)
			stmts := capt.stop()
			if err != nil || status != s.Status {
				capBridge.stop()
				capt.close()
				return fmt.Errorf("capture %s: status %d (want %d), %v: %.300s", s.Name, status, s.Status, err, body)
			}
			if i == 1 {
				captured[s.Name] = stmts
			}
		}
		if h.opts.verbose {
			logf("SQL of %s:", s.Name)
			for _, q := range captured[s.Name] {
				fmt.Fprintf(os.Stderr, "    %s\n", q)
			}
		}
		h.rep.SQL = append(h.rep.SQL, sqlOf{s.Name, captured[s.Name]})
	}
	if h.graphqlSelected() {
		h.graphqlCapture(ctx, client, capBridge.addr, capt)
	}
	capBridge.stop()
	capt.close()

	// rows a previous, interrupted run may have left
	dsn, err := pgDSN(h.opts.pgDSN, h.opts.dbName)
	if err != nil {
		return err
	}
	if err := h.cleanupPostgres(ctx, dsn); err != nil {
		return fmt.Errorf("clean %s: %w", h.opts.dbName, err)
	}

	// 2. the bridge and the baseline, both straight to PostgreSQL
	bEnv := env
	if h.opts.pool > 0 {
		bEnv = append(bEnv, "CONNECTIONS="+strconv.Itoa(h.opts.pool))
	}
	var extra []string
	if h.opts.pprof != "" {
		extra = append(extra, "--pprof", h.opts.pprof)
	}
	bridge, err := h.startBridge(ctx, "bridge", bEnv, extra, "/api/models/track/?_per_page=1")
	if err != nil {
		return err
	}
	defer bridge.stop()
	_, desc, err := get(ctx, client, "http://"+bridge.addr+"/api/model_descriptions/", h.key)
	if err != nil {
		return err
	}
	base, err := h.startBaseline(ctx, baselineConfig{DSN: dsn, Pool: h.bridgePool(), Key: h.key, Descriptions: desc, SQL: captured})
	if err != nil {
		return err
	}
	defer base.stop()
	h.rep.Pool = h.bridgePool()

	// 3. same answers?
	for _, s := range scens {
		if err := h.compare(ctx, client, bridge.addr, base.addr, s); err != nil {
			h.rep.fail("%s: the bridge and the baseline answer differently: %v", s.Name, err)
		}
	}
	// 4. alternating runs
	if err := h.measure(ctx, "postgresql", scens, bridge, base); err != nil {
		return err
	}
	// 5. GraphQL against the REST list of the same page, same bridge
	if h.graphqlSelected() {
		if err := h.graphqlCompare(ctx, client, bridge.addr); err != nil {
			h.rep.fail("graphql: the GraphQL page and the REST page differ: %v", err)
		} else if err := h.graphqlMeasure(ctx, bridge); err != nil {
			return err
		}
	}
	if !h.opts.keepWrites {
		if err := h.cleanupPostgres(ctx, dsn); err != nil {
			logf("cleanup: %v", err)
		}
	}
	return nil
}

func (h *harness) selected(all []scenario) []scenario {
	if h.opts.only == nil {
		return all
	}
	var out []scenario
	for _, s := range all {
		if h.opts.only.MatchString(s.Name) {
			out = append(out, s)
		}
	}
	return out
}

// send makes one request of scenario s through net/http.
func (h *harness) send(ctx context.Context, client *http.Client, addr string, s scenario, w, i int) (int, []byte, error) {
	var body []byte
	if s.Body != nil {
		body = s.Body(w, i)
	}
	return do(ctx, client, s.Method, "http://"+addr+s.Path(w, i), h.key, body)
}

var (
	reTimes = regexp.MustCompile(`,"(data|count)_query_time":[-0-9.e]+`)
	reHost  = regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+/`)
	reID    = regexp.MustCompile(`"id":[0-9]+`)
)

// compare checks that both servers answer request (0, 0) of s alike: equal
// status and body, apart from the query timings, the host in page links and
// (for writes) the new row's id.
func (h *harness) compare(ctx context.Context, client *http.Client, bridge, base string, s scenario) error {
	norm := func(b []byte) []byte {
		b = reTimes.ReplaceAll(b, nil)
		b = reHost.ReplaceAll(b, []byte("http://HOST/"))
		if s.Write {
			b = reID.ReplaceAll(b, []byte(`"id":N`))
		}
		return b
	}
	st1, b1, err := h.send(ctx, client, bridge, s, 0, 0)
	if err != nil {
		return fmt.Errorf("bridge: %w", err)
	}
	st2, b2, err := h.send(ctx, client, base, s, 0, 0)
	if err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	if st1 != st2 {
		return fmt.Errorf("status %d (bridge) vs %d (baseline): %.300s | %.300s", st1, st2, b1, b2)
	}
	n1, n2 := norm(b1), norm(b2)
	if !bytes.Equal(n1, n2) {
		i := 0
		for i < len(n1) && i < len(n2) && n1[i] == n2[i] {
			i++
		}
		from := max(0, i-80)
		return fmt.Errorf("bodies differ at byte %d:\n  bridge:   ...%s\n  baseline: ...%s", i, clip(n1[from:], 200), clip(n2[from:], 200))
	}
	if h.opts.verbose {
		logf("%s: same answer (%d bytes)", s.Name, len(b1))
	}
	return nil
}

func clip(b []byte, n int) string {
	if len(b) > n {
		b = b[:n]
	}
	return string(b)
}

// startBaseline runs this program's baseline mode as its own process.
func (h *harness) startBaseline(ctx context.Context, cfg baselineConfig) (*proc, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cfgPath := filepath.Join(h.tmp, "baseline.json")
	b, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(cfgPath, b, 0o600); err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	p, err := startProc("baseline", h.tmp, self, []string{"baseline", "-config", cfgPath, "-addr", addr}, nil)
	if err != nil {
		return nil, err
	}
	p.addr = addr
	if err := waitOK(ctx, p, "http://"+addr+"/ready", h.key, 30*time.Second); err != nil {
		p.stop()
		return nil, err
	}
	return p, nil
}

// measure runs every scenario at every connection count, alternating the
// order of the two targets from round to round.
func (h *harness) measure(ctx context.Context, engine string, scens []scenario, bridge, base *proc) error {
	targets := []*proc{bridge, base}
	for _, s := range scens {
		for _, t := range targets {
			if t == nil {
				continue
			}
			r := runLoad(ctx, t.addr, 8, h.opts.warmup, s.rawRequest(t.addr, h.key), s.Status)
			if r.Errors > 0 && r.Requests == 0 {
				return fmt.Errorf("%s warm-up on %s failed: %s", s.Name, t.name, r.FirstErr)
			}
		}
		for _, n := range h.opts.conns {
			row := h.rep.row(engine, s, n)
			rounds := h.opts.rounds
			if base == nil {
				rounds = 1 // nothing to alternate with
			}
			for round := 0; round < rounds; round++ {
				order := targets
				if round%2 == 1 {
					order = []*proc{base, bridge}
				}
				for _, t := range order {
					if t == nil {
						continue
					}
					if ctx.Err() != nil {
						return ctx.Err()
					}
					cpu0 := t.cpuTime()
					res := runLoad(ctx, t.addr, n, h.opts.duration, s.rawRequest(t.addr, h.key), s.Status)
					res.CPU = t.cpuTime() - cpu0
					side := &row.Bridge
					if t == base {
						side = &row.Base
					} else {
						rss, _ := t.memory()
						row.RSS = max(row.RSS, rss)
					}
					side.add(res)
					if h.opts.verbose {
						logf("%-12s %-8s c=%-3d %8.0f req/s  p50 %6s  p99 %6s  errors %d %s", s.Name, t.name, n, res.RPS(),
							fmtDur(res.Hist.quantile(0.5)), fmtDur(res.Hist.quantile(0.99)), res.Errors, res.FirstErr)
					}
				}
			}
			for _, sd := range []struct {
				who string
				s   *side
			}{{"bridge", &row.Bridge}, {"baseline", &row.Base}} {
				if sd.s.Errors > 0 {
					h.rep.fail("%s %s at %d connections: %d failed requests on the %s, first: %s", engine, s.Name, n, sd.s.Errors, sd.who, sd.s.FirstErr)
				}
			}
			logf("%-8s %-12s c=%-3d bridge %7.0f req/s p99 %7s | baseline %7.0f req/s p99 %7s", engine, s.Name, n,
				row.Bridge.rps(), fmtDur(row.Bridge.q(0.99)), row.Base.rps(), fmtDur(row.Base.q(0.99)))
		}
	}
	_, peak := bridge.memory()
	if engine == "postgresql" {
		h.rep.PeakRSS = peak
	}
	return nil
}

// cleanupPostgres removes the rows the create scenario added and vacuums.
func (h *harness) cleanupPostgres(ctx context.Context, dsn string) error {
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer c.Close(context.Background())
	// the deleted rows would otherwise sit as dead index entries at the top
	// of the key order that the next run's list-1m reads first
	if _, err := c.Exec(ctx, fmt.Sprintf("DELETE FROM bench_items WHERE id > %d", itemRows)); err != nil {
		return err
	}
	_, err = c.Exec(ctx, "VACUUM (ANALYZE) bench_items") // not in a transaction: a statement of its own
	return err
}
