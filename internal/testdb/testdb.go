// Package testdb gives tests fresh, empty databases on every engine: a SQLite
// file always, and PostgreSQL and MySQL/MariaDB databases when the
// JETBRIDGE_TEST_POSTGRES / JETBRIDGE_TEST_MYSQL DSNs are set (skipped with a
// message naming the variable otherwise). Each call creates a new database
// that is dropped when the test ends.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
)

// Environment variables holding the admin DSNs of the test servers.
const (
	PostgresEnv = "JETBRIDGE_TEST_POSTGRES" // e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
	MySQLEnv    = "JETBRIDGE_TEST_MYSQL"    // e.g. root@tcp(127.0.0.1:3306)/
)

// Engines lists the engines in the order tests run them.
var Engines = []config.Engine{config.EngineSQLite, config.EnginePostgres, config.EngineMySQL}

// Each runs fn as a subtest once per engine with a fresh empty database;
// engines whose server is not configured are skipped with a message.
func Each(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	for _, e := range Engines {
		t.Run(string(e), func(t *testing.T) {
			fn(t, New(t, e))
		})
	}
}

// New returns an open, empty database of the engine, dropped at cleanup.
func New(t testing.TB, e config.Engine) *db.DB {
	t.Helper()
	cfg := Config(t, e)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d, err := db.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("testdb: open %s: %v", e, err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// Config creates a fresh empty database of the engine and returns settings
// that reach it (for tests that start a server or a command on their own).
func Config(t testing.TB, e config.Engine) config.Database {
	t.Helper()
	switch e {
	case config.EngineSQLite:
		return config.Database{Engine: e, Name: filepath.Join(t.TempDir(), "test.db")}
	case config.EnginePostgres:
		return postgres(t)
	case config.EngineMySQL:
		return mysql(t)
	}
	t.Fatalf("testdb: unknown engine %q", e)
	return config.Database{}
}

func uniqueName() string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return "jbt_" + hex.EncodeToString(b)
}

func postgres(t testing.TB) config.Database {
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		t.Skipf("PostgreSQL tests skipped: set %s (e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable)", PostgresEnv)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("testdb: %s is not a URL: %v", PostgresEnv, err)
	}
	host, portS, err := net.SplitHostPort(u.Host)
	if err != nil {
		host, portS = u.Host, "5432"
	}
	port, _ := strconv.Atoi(portS)
	pw, _ := u.User.Password()
	admin := config.Database{Engine: config.EnginePostgres, Host: host, Port: port, User: u.User.Username(),
		Password: pw, Name: strings.TrimPrefix(u.Path, "/"), Extra: u.RawQuery, Connections: 2}
	if admin.Name == "" {
		admin.Name = "postgres"
	}
	name := uniqueName()
	adminExec(t, admin, "CREATE DATABASE "+name)
	t.Cleanup(func() { adminExec(t, admin, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") })
	out := admin
	out.Name = name
	out.Connections = 5
	return out
}

func mysql(t testing.TB) config.Database {
	dsn := os.Getenv(MySQLEnv)
	if dsn == "" {
		t.Skipf("MySQL/MariaDB tests skipped: set %s (e.g. root@tcp(127.0.0.1:3306)/)", MySQLEnv)
	}
	c, err := gomysql.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("testdb: %s: %v", MySQLEnv, err)
	}
	host, portS, err := net.SplitHostPort(c.Addr)
	if err != nil {
		host, portS = c.Addr, "3306"
	}
	port, _ := strconv.Atoi(portS)
	admin := config.Database{Engine: config.EngineMySQL, Host: host, Port: port, User: c.User,
		Password: c.Passwd, Name: c.DBName, Connections: 2}
	name := uniqueName()
	adminExec(t, admin, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
	t.Cleanup(func() { adminExec(t, admin, "DROP DATABASE IF EXISTS "+name) })
	out := admin
	out.Name = name
	out.Connections = 5
	return out
}

func adminExec(t testing.TB, admin config.Database, stmt string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d, err := db.Open(ctx, admin)
	if err != nil {
		t.Fatalf("testdb: connect to the %s test server: %v", admin.Engine, err)
	}
	defer d.Close()
	if _, err := d.SQL.ExecContext(ctx, stmt); err != nil {
		t.Fatalf("testdb: %s: %v", stmt, err)
	}
}

// Exec runs a script of statements, each ending with ';' at the end of a line.
func Exec(t testing.TB, d *db.DB, script string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	for i, stmt := range SplitStatements(script) {
		if _, err := d.SQL.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("testdb: statement %d: %v\n%s", i+1, err, trim(stmt))
		}
	}
}

// ExecFile runs a script file (see Exec).
func ExecFile(t testing.TB, d *db.DB, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	Exec(t, d, string(b))
}

// SplitStatements splits a script into statements at lines ending with ';'
// (outside comments). Lines starting with "--" are dropped.
func SplitStatements(script string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(strings.ReplaceAll(script, "\r\n", "\n"), "\n") {
		trimmed := strings.TrimSpace(line)
		if cur.Len() == 0 && (trimmed == "" || strings.HasPrefix(trimmed, "--")) {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(trimmed, ";") {
			s := strings.TrimSpace(cur.String())
			out = append(out, strings.TrimSuffix(s, ";"))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

func trim(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}

// MustExec runs one statement with bound args.
func MustExec(t testing.TB, d *db.DB, stmt string, args ...any) {
	t.Helper()
	if _, err := d.SQL.ExecContext(context.Background(), stmt, args...); err != nil {
		t.Fatalf("testdb: %s: %v", stmt, err)
	}
}

// String describes the database for messages.
func String(d *db.DB) string { return fmt.Sprintf("%s %s", d.Dialect.Engine, d.Version) }
