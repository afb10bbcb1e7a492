package e2e

import (
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// sharedMySQL creates a fresh database on the shared MariaDB/MySQL server
// (dropped at cleanup), runs script in it and returns its settings.
func sharedMySQL(t *testing.T, script string) config.Database {
	t.Helper()
	if os.Getenv(testdb.MySQLEnv) == "" {
		t.Skipf("MySQL e2e test skipped: set %s", testdb.MySQLEnv)
	}
	cfg := testdb.Config(t, config.EngineMySQL)
	execScript(t, cfg, script)
	return cfg
}

// TestModelRouteDeadlines (issue 17 H3): every statement of a model route
// runs under SQL_TIMEOUT, in the database too. On PostgreSQL:
// get_siblings on a 200,000-row table answers at once (it no longer numbers
// rows), a 100-hop _relation is refused, and six requests on a view that
// sleeps 30 s (more than the pool's five connections) are answered 503 in
// about SQL_TIMEOUT, leave no statement running, and do not freeze the
// bridge.
func TestModelRouteDeadlines(t *testing.T) {
	cfg := sharedPG(t, `
CREATE TABLE big (id serial PRIMARY KEY, position integer NOT NULL, title text);
INSERT INTO big (position, title) SELECT g % 1000, 'row ' || g FROM generate_series(1, 200000) g;
ANALYZE big;
CREATE VIEW sleepy AS SELECT g AS id, md5(g::text) AS title FROM generate_series(1, 3) g, pg_sleep(30) s;
`)
	env := dbEnv(cfg)
	env["BEARER_AUTH_KEY"] = bearerKey
	env["SQL_TIMEOUT"] = "1s"
	b := startBridge(t, env)
	b.waitConnected()
	auth := "Bearer " + bearerKey
	client := newClient(8 * time.Second)
	get := func(path string) answer {
		t.Helper()
		return request(t, client, "GET", b.URL+path, auth, "")
	}

	for _, c := range []struct{ path, want string }{
		{"/api/models/big/150000/get_siblings/", `{}`},
		{"/api/models/big/150000/get_siblings/?_order_by=-position", `{}`},
		{"/api/models/big/195000/get_siblings/?id__gt=190000", `{"next":{"id":194999},"prev":{"id":195001}}`},
		{"/api/models/big/195000/get_siblings/?id__gt=190000&_order_by=position", `{"next":{"id":194000},"prev":{"id":196000}}`}, // ties by position: id descending
	} {
		a := get(c.path)
		t.Logf("GET %s: %d in %v", c.path, a.Status, a.Took.Round(time.Millisecond))
		if a.Status != 200 || a.Body != c.want || a.Took > 900*time.Millisecond {
			t.Errorf("GET %s: %d %s in %v, want 200 %s within SQL_TIMEOUT", c.path, a.Status, clip(a.Body), a.Took, c.want)
		}
	}

	hops := strings.Repeat("id.big.id|", 100) + "title.x"
	if a := get("/api/models/big/?_relation=" + hops); a.Status != 400 || !strings.Contains(a.Body, "at most 8") {
		t.Errorf("100-hop _relation: %d %s", a.Status, clip(a.Body))
	}

	start := time.Now()
	var wg sync.WaitGroup
	answers := make([]answer, 6)
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = get("/api/models/sleepy/")
		}()
	}
	wg.Wait()
	took := time.Since(start)
	for i, a := range answers {
		if a.Status != 503 || !strings.Contains(a.Body, "SQL_TIMEOUT") {
			t.Errorf("slow list %d: %d %s in %v, want 503 naming SQL_TIMEOUT", i, a.Status, clip(a.Body), a.Took)
		}
	}
	t.Logf("6 lists of a 30 s view, SQL_TIMEOUT 1s: all answered in %v", took.Round(time.Millisecond))
	if took > 4*time.Second {
		t.Errorf("6 slow lists took %v with SQL_TIMEOUT 1s", took)
	}
	if a := get("/api/models/big/?_per_page=1"); a.Status != 200 || a.Took > time.Second {
		t.Errorf("list after the slow ones: %d in %v", a.Status, a.Took)
	}
	// The cancel requests reach PostgreSQL on their own connections: allow
	// them a moment on a loaded machine, far less than the view's 30 s.
	watch := openDB(t, cfg)
	var running int
	for wait := time.Now().Add(2 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if err := watch.SQL.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
			AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%sleepy%'`).Scan(&running); err != nil {
			t.Fatal(err)
		}
		if running == 0 || time.Now().After(wait) {
			break
		}
	}
	if running != 0 {
		t.Errorf("%d statements on the slow view still run in PostgreSQL 2 s after their 503", running)
	}
}

// TestModelRouteDeadlineMariaDB: on MariaDB/MySQL too, SQL_TIMEOUT is
// enforced by the server on model routes (max_statement_time /
// max_execution_time): the statement is gone from the process list.
func TestModelRouteDeadlineMariaDB(t *testing.T) {
	cfg := sharedMySQL(t, `
CREATE TABLE plain (id INTEGER PRIMARY KEY, title VARCHAR(20));
INSERT INTO plain VALUES (1, 'a'), (2, 'b');
CREATE VIEW sleepy AS SELECT id, title, SLEEP(10) AS z FROM plain;
`)
	env := dbEnv(cfg)
	env["BEARER_AUTH_KEY"] = bearerKey
	env["SQL_TIMEOUT"] = "1s"
	b := startBridge(t, env)
	b.waitConnected()
	client := newClient(8 * time.Second)
	a := request(t, client, "GET", b.URL+"/api/models/sleepy/", "Bearer "+bearerKey, "")
	t.Logf("list of a sleeping view, SQL_TIMEOUT 1s: %d in %v", a.Status, a.Took.Round(time.Millisecond))
	if a.Status != 503 || !strings.Contains(a.Body, "SQL_TIMEOUT") || a.Took > 3*time.Second {
		t.Errorf("slow list: %d %s in %v, want 503 naming SQL_TIMEOUT", a.Status, clip(a.Body), a.Took)
	}
	watch := openDB(t, cfg)
	var running int
	if err := watch.SQL.QueryRow(`SELECT count(*) FROM information_schema.processlist
		WHERE db = DATABASE() AND id <> CONNECTION_ID() AND info LIKE '%sleepy%'`).Scan(&running); err != nil {
		t.Fatal(err)
	}
	if running != 0 {
		t.Errorf("%d statements on the slow view still run in MariaDB", running)
	}
}

// TestModelRouteDeadlineSQLite: SQLite checks no context while a statement
// runs, so the bridge interrupts it (sqlite3_interrupt) at SQL_TIMEOUT.
func TestModelRouteDeadlineSQLite(t *testing.T) {
	cfg := sqliteFixture(t)
	execScript(t, cfg, `CREATE VIEW endless AS
  WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(*) AS n FROM c;`)
	env := dbEnv(cfg)
	env["BEARER_AUTH_KEY"] = bearerKey
	env["SQL_TIMEOUT"] = "1s"
	b := startBridge(t, env)
	b.waitConnected()
	client := newClient(8 * time.Second)
	a := request(t, client, "GET", b.URL+"/api/models/endless/", "Bearer "+bearerKey, "")
	t.Logf("list of an endless SQLite view, SQL_TIMEOUT 1s: %d in %v", a.Status, a.Took.Round(time.Millisecond))
	if a.Status != 503 || !strings.Contains(a.Body, "SQL_TIMEOUT") || a.Took > 3*time.Second {
		t.Errorf("endless view: %d %s in %v, want 503 naming SQL_TIMEOUT", a.Status, clip(a.Body), a.Took)
	}
	if a := request(t, client, "GET", b.URL+"/api/models/items/?_per_page=1", "Bearer "+bearerKey, ""); a.Status != 200 {
		t.Errorf("list after the interrupted one: %d %s", a.Status, clip(a.Body))
	}
}
