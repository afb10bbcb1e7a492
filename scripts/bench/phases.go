package main

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/schema"
)

func summarize(engine, what string, ds []time.Duration) timing {
	s := slices.Clone(ds)
	slices.Sort(s)
	return timing{Engine: engine, What: what, Median: s[len(s)/2], Max: s[len(s)-1], N: len(s)}
}

// reflection times schema.Reflect and POST /api/reload/ over the 2,000-table
// schema on PostgreSQL (and MariaDB).
func (h *harness) reflection(ctx context.Context) error {
	runs := 3
	if h.opts.short {
		runs = 2
	}
	pgEnvs, _, err := pgEnv(h.opts.pgDSN, h.opts.dbName, 0)
	if err != nil {
		return err
	}
	type target struct {
		engine string
		env    []string
		schema string
	}
	targets := []target{{"postgresql", append(pgEnvs, "DATABASE_SCHEMA="+reflectSchema), reflectSchema}}
	if h.opts.mysqlDSN != "" {
		env, err := mysqlEnv(h.opts.mysqlDSN, h.opts.dbName+"_reflect")
		if err != nil {
			return err
		}
		targets = append(targets, target{"mariadb", env, ""})
	}
	for _, t := range targets {
		cfg := databaseFromEnv(t.env)
		d, err := db.Open(ctx, cfg)
		if err != nil {
			return fmt.Errorf("reflection on %s: %w", t.engine, err)
		}
		var ds []time.Duration
		for i := 0; i <= runs; i++ {
			t0 := time.Now()
			s, err := schema.Reflect(ctx, d, schema.Options{Schema: t.schema})
			el := time.Since(t0)
			if err != nil {
				d.Close()
				return fmt.Errorf("reflect %s: %w", t.engine, err)
			}
			if len(s.Models) < reflectTables {
				d.Close()
				return fmt.Errorf("reflect %s: %d models, want %d", t.engine, len(s.Models), reflectTables)
			}
			if i > 0 { // the first run warms the server's catalog caches
				ds = append(ds, el)
			}
		}
		d.Close()
		h.rep.Reflect = append(h.rep.Reflect, summarize(t.engine, "reflect", ds))
		logf("%s: schema.Reflect of %d tables: median %s", t.engine, reflectTables, fmtDur(h.rep.Reflect[len(h.rep.Reflect)-1].Median))

		bridge, err := h.startBridge(ctx, "bridge-reflect-"+t.engine, t.env, nil, "/api/models/t0001/?_per_page=1")
		if err != nil {
			return err
		}
		if t.engine == "postgresql" && h.graphqlSelected() {
			if err := h.graphqlFirst(ctx, t.engine, bridge); err != nil {
				h.rep.fail("%v", err)
			}
		}
		client := &http.Client{Timeout: time.Minute}
		ds = nil
		for i := 0; i < runs; i++ {
			t0 := time.Now()
			status, body, err := do(ctx, client, http.MethodPost, "http://"+bridge.addr+"/api/reload/", h.key, []byte("{}"))
			el := time.Since(t0)
			if err != nil || status != 200 || !strings.Contains(string(body), `"success":true`) {
				bridge.stop()
				return fmt.Errorf("POST /api/reload/ on %s: status %d, %v: %.200s", t.engine, status, err, body)
			}
			ds = append(ds, el)
		}
		bridge.stop()
		h.rep.Reflect = append(h.rep.Reflect, summarize(t.engine, "reload", ds))
	}
	return nil
}

// databaseFromEnv turns DATABASE_* assignments into a config.Database.
func databaseFromEnv(env []string) config.Database {
	var d config.Database
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "DATABASE_ENGINE":
			d.Engine = config.Engine(v)
		case "DATABASE_HOST":
			d.Host = v
		case "DATABASE_PORT":
			d.Port, _ = strconv.Atoi(v)
		case "DATABASE_USER":
			d.User = v
		case "DATABASE_PASSWORD":
			d.Password = v
		case "DATABASE_NAME":
			d.Name = v
		case "DATABASE_SCHEMA":
			d.Schema = v
		case "DATABASE_EXTRA":
			d.Extra = v
		}
	}
	d.Connections = 2
	return d
}

// startup measures `serve --demo` from process start to the first 200 of a
// data request: once creating the demo database, then with it in place.
func (h *harness) startup(ctx context.Context) error {
	runs := 5
	if h.opts.short {
		runs = 3
	}
	demoPath := filepath.Join(h.tmp, "demo", "demo.sqlite3")
	var cold, warm []time.Duration
	for i := 0; i <= runs; i++ {
		d, err := h.startOnce(ctx, demoPath)
		if err != nil {
			return err
		}
		if i == 0 {
			cold = append(cold, d)
		} else {
			warm = append(warm, d)
		}
	}
	h.rep.Startup = append(h.rep.Startup, summarize("sqlite", "cold", cold), summarize("sqlite", "warm", warm))
	logf("serve --demo: first 200 after %s (cold), median %s (warm)", fmtDur(cold[0]), fmtDur(h.rep.Startup[1].Median))
	return nil
}

func (h *harness) startOnce(ctx context.Context, demoPath string) (time.Duration, error) {
	port, err := freePort()
	if err != nil {
		return 0, err
	}
	url := "http://127.0.0.1:" + strconv.Itoa(port) + "/api/models/tracks/?_per_page=1"
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	t0 := time.Now()
	p, err := startProc("demo", h.tmp, h.bin,
		[]string{"serve", "--demo", "--demo-path", demoPath, "--port", strconv.Itoa(port), "--address", "127.0.0.1"},
		[]string{"BEARER_AUTH_KEY=" + h.key})
	if err != nil {
		return 0, err
	}
	defer p.stop()
	for {
		status, _, err := get(ctx, client, url, h.key)
		if err == nil && status == http.StatusOK {
			return time.Since(t0), nil
		}
		if p.exited() {
			return 0, fmt.Errorf("serve --demo exited; log:\n%s", p.tail(20))
		}
		if time.Since(t0) > 60*time.Second {
			return 0, fmt.Errorf("serve --demo gave no 200 within 60 s (last status %d, %v); log:\n%s", status, err, p.tail(20))
		}
		time.Sleep(time.Millisecond)
	}
}

// mysql runs the read scenarios against the bridge over MariaDB. There is no
// baseline here (the baseline is PostgreSQL's pgx server); the rows show the
// bridge's own numbers.
func (h *harness) mysql(ctx context.Context) error {
	env, err := mysqlEnv(h.opts.mysqlDSN, h.opts.dbName)
	if err != nil {
		return err
	}
	if h.opts.pool > 0 {
		env = append(env, "CONNECTIONS="+strconv.Itoa(h.opts.pool))
	}
	if h.opts.mysqlExtra != "" {
		env = append(env, "DATABASE_EXTRA="+h.opts.mysqlExtra)
	}
	bridge, err := h.startBridge(ctx, "bridge-mariadb", env, nil, "/api/models/Track/?_per_page=1")
	if err != nil {
		return err
	}
	defer bridge.stop()
	var scens []scenario
	for _, s := range h.selected(scenarios("Track", "GenreId")) {
		if !s.Write {
			scens = append(scens, s)
		}
	}
	return h.measure(ctx, "mariadb", scens, bridge, nil)
}
