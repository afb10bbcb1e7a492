package e2e

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// requirePostgres skips the test when the PostgreSQL suite is not configured.
func requirePostgres(t *testing.T) {
	t.Helper()
	if os.Getenv(testdb.PostgresEnv) == "" {
		t.Skipf("PostgreSQL e2e test skipped: set %s (e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable)", testdb.PostgresEnv)
	}
}

// sharedPG creates a fresh database on the shared test server (dropped at
// cleanup), runs script in it and returns its settings.
func sharedPG(t *testing.T, script string) config.Database {
	t.Helper()
	requirePostgres(t)
	cfg := testdb.Config(t, config.EnginePostgres)
	execScript(t, cfg, script)
	return cfg
}

// openDB opens cfg for the test's own checks.
func openDB(t *testing.T, cfg config.Database) *db.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d, err := db.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("open %s database %s: %v", cfg.Engine, cfg.Name, err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

func execScript(t *testing.T, cfg config.Database, script string) {
	t.Helper()
	if script == "" {
		return
	}
	d := openDB(t, cfg)
	testdb.Exec(t, d, script)
	_ = d.Close()
}

// dbEnv is the upstream environment for a database.
func dbEnv(cfg config.Database) map[string]string {
	env := map[string]string{
		"DATABASE_ENGINE": string(cfg.Engine),
		"DATABASE_NAME":   cfg.Name,
	}
	if cfg.Engine != config.EngineSQLite {
		env["DATABASE_HOST"] = cfg.Host
		env["DATABASE_PORT"] = strconv.Itoa(cfg.Port)
		env["DATABASE_USER"] = cfg.User
		if cfg.Password != "" {
			env["DATABASE_PASSWORD"] = cfg.Password
		}
	}
	return env
}

// pgInstance is a dedicated PostgreSQL server in a temporary directory, on a
// spare loopback port, that a test may stop and restart.
type pgInstance struct {
	t        *testing.T
	bin      string
	dir      string
	port     int
	password string
	runAs    string // "postgres" when the test runs as root
	uid, gid int
}

// pgBin finds initdb and pg_ctl.
func pgBin(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("JETBRIDGE_PG_BIN"); d != "" {
		return d
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	sort.Sort(sort.Reverse(sort.StringSlice(matches)))
	if len(matches) > 0 {
		return filepath.Dir(matches[0])
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p)
	}
	t.Skip("dedicated PostgreSQL instance skipped: initdb not found (install the PostgreSQL server or set JETBRIDGE_PG_BIN to the folder of initdb and pg_ctl)")
	return ""
}

func sparePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// newPGInstance initialises and starts a dedicated server whose superuser
// postgres has password (scram-sha-256 over TCP); it is removed at cleanup.
func newPGInstance(t *testing.T, password string) *pgInstance {
	t.Helper()
	requirePostgres(t)
	p := &pgInstance{t: t, bin: pgBin(t), port: sparePort(t), password: password}
	dir, err := os.MkdirTemp("", "jetbridge-pg-*")
	if err != nil {
		t.Fatal(err)
	}
	p.dir = dir
	t.Cleanup(func() {
		_ = p.pgctl("stop", "-m", "immediate")
		_ = os.RemoveAll(dir)
	})
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skip("dedicated PostgreSQL instance skipped: running as root and there is no postgres user to run it as")
		}
		p.uid, _ = strconv.Atoi(u.Uid)
		p.gid, _ = strconv.Atoi(u.Gid)
		if err := os.Chown(dir, p.uid, p.gid); err != nil {
			t.Fatal(err)
		}
		p.runAs = "postgres"
	}
	pw := filepath.Join(dir, "pwfile")
	if err := os.WriteFile(pw, []byte(password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if p.runAs != "" {
		if err := os.Chown(pw, p.uid, p.gid); err != nil {
			t.Fatal(err)
		}
	}
	out, err := p.command(filepath.Join(p.bin, "initdb"), "-D", p.data(), "-U", "postgres",
		"--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "--pwfile="+pw, "-E", "UTF8", "--no-sync", "--locale=C").CombinedOutput()
	if err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	_ = os.Remove(pw)
	p.start()
	return p
}

func (p *pgInstance) data() string { return filepath.Join(p.dir, "data") }

func (p *pgInstance) command(name string, args ...string) *exec.Cmd {
	if p.runAs != "" {
		return exec.Command("runuser", append([]string{"-u", p.runAs, "--", name}, args...)...)
	}
	return exec.Command(name, args...)
}

func (p *pgInstance) pgctl(args ...string) error {
	full := append([]string{"-D", p.data(), "-l", filepath.Join(p.dir, "server.log"), "-w", "-t", "60",
		"-o", fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60", p.port, p.dir)}, args...)
	out, err := p.command(filepath.Join(p.bin, "pg_ctl"), full...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

func (p *pgInstance) start() {
	p.t.Helper()
	if err := p.pgctl("start"); err != nil {
		p.t.Fatalf("%v\n%s", err, p.log())
	}
}

func (p *pgInstance) stop() {
	p.t.Helper()
	if err := p.pgctl("stop", "-m", "fast"); err != nil {
		p.t.Fatal(err)
	}
}

// restart is `pg_ctl restart -m fast`: sessions are terminated, the server
// checkpoints and comes back.
func (p *pgInstance) restart() error { return p.pgctl("restart", "-m", "fast") }

func (p *pgInstance) log() string {
	b, _ := os.ReadFile(filepath.Join(p.dir, "server.log"))
	return string(b)
}

// config is the settings of database name on the instance.
func (p *pgInstance) config(name string) config.Database {
	return config.Database{Engine: config.EnginePostgres, Host: "127.0.0.1", Port: p.port,
		User: "postgres", Password: p.password, Name: name, Connections: 5}
}

// createDB creates database name and runs script in it.
func (p *pgInstance) createDB(name, script string) config.Database {
	p.t.Helper()
	admin := openDB(p.t, p.config("postgres"))
	if _, err := admin.SQL.Exec("CREATE DATABASE " + name); err != nil {
		p.t.Fatalf("create database %s: %v", name, err)
	}
	_ = admin.Close()
	cfg := p.config(name)
	execScript(p.t, cfg, script)
	return cfg
}
