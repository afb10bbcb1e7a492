// Command bench is jetbridge's benchmark harness (issue 8). It seeds
// PostgreSQL (and, with -mysql, MariaDB), starts `jetbridge serve` and a
// baseline server - net/http + pgx running the very SQL the bridge runs,
// captured from the bridge's own connection, and encoding the same JSON -
// drives both with the same closed-loop load generator in alternating runs
// at 1, 8 and 32 connections, and prints one table: throughput, p50, p99,
// the ratios, the bridge's RSS, the reflection time of a 2,000-table schema
// and the start-up time of `serve --demo`.
//
//	go run ./scripts/bench            # full run, a few minutes
//	go run ./scripts/bench -short     # under 90 s, for CI
//	go run ./scripts/bench -h         # every option
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type options struct {
	short      bool
	duration   time.Duration
	warmup     time.Duration
	rounds     int
	conns      []int
	pgDSN      string
	mysqlDSN   string
	mysqlExtra string
	bridgeEnv  string
	dbName     string
	reseed     bool
	only       *regexp.Regexp
	bridgeBin  string
	pool       int
	pprof      string
	markdown   string
	verbose    bool
	noStartup  bool
	noReflect  bool
	keepWrites bool
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "baseline" {
		if err := baselineMain(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "baseline:", err)
			os.Exit(1)
		}
		return
	}
	opts, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, opts); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (*options, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	o := &options{}
	var conns, only string
	defPG := firstEnv("JETBRIDGE_BENCH_POSTGRES", "JETBRIDGE_TEST_POSTGRES")
	if defPG == "" {
		defPG = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	fs.BoolVar(&o.short, "short", false, "quick run for CI (< 90 s): shorter runs, one round")
	fs.DurationVar(&o.duration, "duration", 0, "length of one measured run (default 3s, -short 500ms)")
	fs.DurationVar(&o.warmup, "warmup", 0, "warm-up per scenario and target before measuring (default 500ms, -short 200ms)")
	fs.IntVar(&o.rounds, "rounds", 0, "alternating rounds per scenario and connection count (default 2, -short 1)")
	fs.StringVar(&conns, "conns", "1,8,32", "comma-separated client connection counts")
	fs.StringVar(&o.pgDSN, "pg", defPG, "PostgreSQL admin DSN (env JETBRIDGE_BENCH_POSTGRES or JETBRIDGE_TEST_POSTGRES)")
	fs.StringVar(&o.mysqlDSN, "mysql", "", "MariaDB/MySQL admin DSN, e.g. 'root@tcp(127.0.0.1:3306)/': also seed and measure MariaDB (optional)")
	fs.StringVar(&o.mysqlExtra, "mysql-extra", "", "DATABASE_EXTRA for the bridge on MariaDB (driver options, e.g. interpolateParams=true)")
	fs.StringVar(&o.bridgeEnv, "bridge-env", "", "extra environment for the bridge, space-separated KEY=VALUE (e.g. GOGC=200)")
	fs.StringVar(&o.dbName, "db", "jetbridge_bench", "database the benchmark seeds and serves (created, never a test database)")
	fs.BoolVar(&o.reseed, "reseed", false, "drop and seed the benchmark databases even when they are up to date")
	fs.StringVar(&only, "scenarios", "", "regexp: run only the scenarios whose name matches (list-track, list-1m, list-filter, list-search, retrieve, descriptions, group, create, update, graphql)")
	fs.StringVar(&o.bridgeBin, "bridge", "", "jetbridge binary to measure (default: build ./cmd/jetbridge)")
	fs.IntVar(&o.pool, "pool", 0, "CONNECTIONS for the bridge and pool size of the baseline (default: the bridge's default)")
	fs.StringVar(&o.pprof, "pprof", "", "start the bridge with --pprof on this loopback address (for profiling while the harness runs)")
	fs.StringVar(&o.markdown, "markdown", "", "also write the report as Markdown to this file")
	fs.BoolVar(&o.verbose, "v", false, "print the captured SQL and progress of every run")
	fs.BoolVar(&o.noStartup, "no-startup", false, "skip the serve --demo start-up measurement")
	fs.BoolVar(&o.noReflect, "no-reflect", false, "skip the 2,000-table reflection measurement")
	fs.BoolVar(&o.keepWrites, "keep-writes", false, "keep the rows the create scenario inserted")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	for _, s := range strings.Split(conns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 1024 {
			return nil, fmt.Errorf("-conns: %q is not a connection count between 1 and 1024", s)
		}
		o.conns = append(o.conns, n)
	}
	if only != "" {
		re, err := regexp.Compile(only)
		if err != nil {
			return nil, fmt.Errorf("-scenarios: %w", err)
		}
		o.only = re
	}
	def := func(d *time.Duration, full, short time.Duration) {
		if *d == 0 {
			*d = full
			if o.short {
				*d = short
			}
		}
	}
	def(&o.duration, 3*time.Second, 500*time.Millisecond)
	def(&o.warmup, 500*time.Millisecond, 200*time.Millisecond)
	if o.rounds == 0 {
		o.rounds = 2
		if o.short {
			o.rounds = 1
		}
	}
	if !regexp.MustCompile(`^[a-z_][a-z0-9_]*$`).MatchString(o.dbName) {
		return nil, fmt.Errorf("-db %q: use lower-case letters, digits and underscores", o.dbName)
	}
	if strings.HasPrefix(o.dbName, "jetbridge_test") {
		return nil, errors.New("-db must not name a test database")
	}
	return o, nil
}

func firstEnv(keys ...string) string {
	for _, k := range keys {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return ""
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05.000")}, args...)...)
}

// moduleRoot finds the directory of jetbridge's go.mod from the working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.Contains(string(b), "module github.com/jetbridge/jetbridge") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run the harness inside the jetbridge repository (go run ./scripts/bench)")
		}
		dir = parent
	}
}

// buildBridge compiles ./cmd/jetbridge into dir.
func buildBridge(ctx context.Context, root, dir string) (string, error) {
	bin := filepath.Join(dir, "jetbridge")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/jetbridge")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build ./cmd/jetbridge: %w\n%s", err, out)
	}
	return bin, nil
}

func run(ctx context.Context, o *options) error {
	started := time.Now()
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "jetbridge-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	bin := o.bridgeBin
	if bin == "" {
		t0 := time.Now()
		if bin, err = buildBridge(ctx, root, tmp); err != nil {
			return err
		}
		logf("built jetbridge in %s", time.Since(t0).Round(time.Millisecond))
	}
	h := &harness{opts: o, bin: bin, tmp: tmp, key: randomHex(16), rep: &report{Started: started, Opts: o, LoadStart: loadAvg()}}

	t0 := time.Now()
	seeded, err := seedPostgres(ctx, o.pgDSN, o.dbName, o.reseed, logf)
	if err != nil {
		return err
	}
	if seeded {
		logf("PostgreSQL database %s seeded in %s", o.dbName, time.Since(t0).Round(time.Millisecond))
	} else {
		logf("PostgreSQL database %s is seeded already (-reseed to redo)", o.dbName)
	}
	if o.mysqlDSN != "" {
		t0 := time.Now()
		if err := seedMySQL(ctx, o.mysqlDSN, o.dbName, o.reseed, logf); err != nil {
			return err
		}
		logf("MariaDB databases ready in %s", time.Since(t0).Round(time.Millisecond))
	}

	if err := h.postgres(ctx); err != nil {
		return err
	}
	if o.mysqlDSN != "" {
		if err := h.mysql(ctx); err != nil {
			return err
		}
	}
	if !o.noReflect {
		if err := h.reflection(ctx); err != nil {
			return err
		}
	}
	if !o.noStartup {
		if err := h.startup(ctx); err != nil {
			return err
		}
	}
	h.rep.Total = time.Since(started)
	h.rep.LoadEnd = loadAvg()
	h.rep.print(os.Stdout)
	if o.markdown != "" {
		if err := os.WriteFile(o.markdown, []byte(h.rep.markdown()), 0o644); err != nil {
			return err
		}
		logf("wrote %s", o.markdown)
	}
	if h.rep.Failed != "" {
		return errors.New(h.rep.Failed)
	}
	return nil
}
