package sqlapi

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// TestSessionStateDoesNotOutliveRequest (issue 17 H4): advisory locks,
// named locks and user variables taken through /api/sql/ by a read-only
// user are gone once the request ends, on the same pooled connection.
func TestSessionStateDoesNotOutliveRequest(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		if d.Dialect.Engine == config.EngineSQLite {
			t.Skip("SQLite has no session locks or variables")
		}
		fixture(t, d)
		d.SQL.SetMaxOpenConns(1)
		r := New(d, Options{Timeout: 5 * time.Second})
		ro := Caller{ReadOnly: true}
		ctx := context.Background()
		lockName := fmt.Sprintf("jb_h4_%d", time.Now().UnixNano())
		if d.Dialect.Engine == config.EnginePostgres {
			if status, body := call(t, r, sqlBody("select count(pg_advisory_lock(g)) from generate_series(1, 1000) g"), ro); status != 200 {
				t.Fatalf("advisory locks: %d %v", status, body)
			}
			var held int
			if err := d.SQL.QueryRowContext(ctx, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()").Scan(&held); err != nil {
				t.Fatal(err)
			}
			if held != 0 {
				t.Errorf("%d advisory locks outlived the request on the pooled connection", held)
			}
			return
		}
		if status, body := call(t, r, sqlBody("SELECT GET_LOCK('"+lockName+"', 0) AS got"), ro); status != 200 {
			t.Fatalf("GET_LOCK: %d %v", status, body)
		}
		var free sql.NullInt64
		if err := d.SQL.QueryRowContext(ctx, "SELECT IS_FREE_LOCK(?)", lockName).Scan(&free); err != nil {
			t.Fatal(err)
		}
		if free.Int64 != 1 {
			t.Errorf("the named lock %s outlived the request", lockName)
		}
		status, body := call(t, r, sqlBody("SELECT @jb_h4 := 42 AS v"), ro)
		if status != 200 {
			t.Logf("user variable assignment refused: %d %v", status, body)
		}
		status, body = call(t, r, sqlBody("SELECT @jb_h4 AS v"), ro)
		if status != 200 || jsonText(body) == "" || !strings.Contains(jsonText(body), `"data":[[null]]`) {
			t.Errorf("a user variable outlived the request: %d %s", status, clip(jsonText(body)))
		}
	})
}

// TestSQLModePinned (issue 17 H5): with ANSI_QUOTES and NO_BACKSLASH_ESCAPES
// in the connection's sql_mode, a statement that hides INTO OUTFILE from
// the guard's lexer runs as the lexer read it (a syntax error), and writes
// nothing.
func TestSQLModePinned(t *testing.T) {
	if os.Getenv(testdb.MySQLEnv) == "" {
		t.Skipf("set %s to run the MySQL/MariaDB suite", testdb.MySQLEnv)
	}
	cfg := testdb.Config(t, config.EngineMySQL)
	cfg.Extra = "sql_mode='ANSI_QUOTES,NO_BACKSLASH_ESCAPES'"
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d, err := db.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	testdb.Exec(t, d, "CREATE TABLE t (secret VARCHAR(20));\nINSERT INTO t VALUES ('s3cret');")
	d.SQL.SetMaxOpenConns(1)
	var mode string
	if err := d.SQL.QueryRowContext(ctx, "SELECT @@SESSION.sql_mode").Scan(&mode); err != nil || !strings.Contains(mode, "ANSI_QUOTES") {
		t.Fatalf("the test connection's sql_mode is %q (%v), want ANSI_QUOTES", mode, err)
	}
	r := New(d, Options{Timeout: 5 * time.Second})
	target := "/nonexistent-jetbridge-dir/h5.txt"
	status, body := call(t, r, sqlBody(`select secret from t where '\' <> 'x' into outfile '`+target+`' -- '`), Caller{ReadOnly: true})
	text := jsonText(body)
	if status == 200 || strings.Contains(text, "Can't create") || strings.Contains(text, "Errcode") {
		t.Errorf("the statement ran as INTO OUTFILE: %d %s", status, clip(text))
	}
	if !strings.Contains(text, "SQL syntax") && !strings.Contains(text, "forbidden") {
		t.Errorf("want a syntax error (the server lexing as the guard) or a refusal, got %d %s", status, clip(text))
	}
	// double quotes are strings again for the guard and the server alike
	status, body = call(t, r, sqlBody(`SELECT "secret" AS v FROM t`), Caller{ReadOnly: true})
	if status != 200 || !strings.Contains(jsonText(body), `"data":[["secret"]]`) {
		t.Errorf(`"secret" under the pinned sql_mode: %d %s`, status, clip(jsonText(body)))
	}
}

// TestPreparedStatementsSurviveAdminSQL: DEALLOCATE ALL or DISCARD ALL run
// by an admin through /api/sql/ drop the prepared statements the driver
// keeps for the pooled connection; the next requests on that connection
// must not fail on statements the driver still thinks are prepared.
func TestPreparedStatementsSurviveAdminSQL(t *testing.T) {
	d := testdb.New(t, config.EnginePostgres)
	fixture(t, d)
	d.SQL.SetMaxOpenConns(1)
	r := New(d, Options{Timeout: 5 * time.Second})
	ctx := context.Background()
	cached := func() {
		t.Helper()
		var n int
		if err := d.SQL.QueryRowContext(ctx, "SELECT $1::int + 1", 41).Scan(&n); err != nil || n != 42 {
			t.Fatalf("a cached statement after admin SQL: %d %v", n, err)
		}
	}
	cached()
	for _, stmt := range []string{"DEALLOCATE ALL", "DISCARD ALL"} {
		if status, body := call(t, r, `{"query": "`+stmt+`", "admin": true}`, Caller{Admin: true}); status != 200 {
			t.Fatalf("%s: %d %v", stmt, status, body)
		}
		cached()
		cached()
	}
}
