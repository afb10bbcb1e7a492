package sqlapi

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// TestAdminAndReadOnly checks who may change data, and that refused
// statements leave the table untouched.
func TestAdminAndReadOnly(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		fixture(t, d)
		r := New(d, Options{})
		ro := New(d, Options{ReadOnly: true})
		admin := Caller{Admin: true}
		tests := []struct {
			name   string
			r      *Runner
			body   string
			caller Caller
			status int
			want   string
			rows   int // people rows afterwards
		}{
			{"non-admin DELETE", r, `{"query": "DELETE FROM people"}`, admin, 400, `{"query": ["forbidden query: DELETE is not a read statement (this request may only read: READ_ONLY, a read-only user, or not in admin mode)"]}`, 5},
			{"admin without the claim", r, `{"query": "DELETE FROM people", "admin": true}`, Caller{}, 400, `{"query": ["admin access missing"]}`, 5},
			{"read-only user's admin DELETE", r, `{"query": "DELETE FROM people", "admin": true}`, Caller{Admin: true, ReadOnly: true}, 400, `{"query": ["forbidden query: DELETE is not a read statement (this request may only read: READ_ONLY, a read-only user, or not in admin mode)"]}`, 5},
			{"READ_ONLY admin INSERT", ro, `{"query": "INSERT INTO people (id, name) VALUES (10, 'Zed')", "admin": true}`, admin, 400, `{"query": ["forbidden query: INSERT is not a read statement (this request may only read: READ_ONLY, a read-only user, or not in admin mode)"]}`, 5},
			{"READ_ONLY admin SELECT", ro, `{"query": "SELECT count(*) AS n FROM people", "admin": true}`, admin, 200, `{"row_count": 1, "data": [[5]], "columns": ["n"]}`, 5},
			{"non-admin data-changing CTE", r, `{"query": "WITH d AS (DELETE FROM people RETURNING id) SELECT * FROM d"}`, admin, 400, `{"query": ["forbidden query: DELETE is not allowed in a read statement (this request may only read: READ_ONLY, a read-only user, or not in admin mode)"]}`, 5},
			{"non-admin SELECT FOR UPDATE", r, `{"query": "SELECT * FROM people FOR UPDATE"}`, admin, 400, `{"query": ["forbidden query: UPDATE is not allowed in a read statement (this request may only read: READ_ONLY, a read-only user, or not in admin mode)"]}`, 5},
			{"non-admin harmless literal", r, `{"query": "SELECT 'insert into people' AS s"}`, Caller{}, 200, `{"row_count": 1, "data": [["insert into people"]], "columns": ["s"]}`, 5},
			{"admin INSERT", r, `{"query": "INSERT INTO people (id, name) VALUES (10, 'Zed')", "admin": true}`, admin, 200, `{"row_count": 1, "data": [], "columns": []}`, 6},
			{"admin UPDATE with params", r, `{"query": "UPDATE people SET name = :n WHERE id >= :id", "v": 2, "params_obj": {"n": "X", "id": 5}, "admin": true}`, admin, 200, `{"row_count": 2, "data": [], "columns": []}`, 6},
			{"admin DELETE", r, `{"query": "DELETE FROM people WHERE id = 10", "admin": true}`, admin, 200, `{"row_count": 1, "data": [], "columns": []}`, 5},
			{"admin bad statement", r, `{"query": "INSERT INTO nowhere VALUES (1)", "admin": true}`, admin, 400, "", 5},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				status, body := call(t, tc.r, tc.body, tc.caller)
				if status != tc.status {
					t.Fatalf("status %d, want %d: %v", status, tc.status, body)
				}
				body = normalize(t, body)
				if tc.want == "" {
					m, _ := body.(map[string]any)
					if msgs, _ := m["non_field_errors"].([]any); len(msgs) != 1 || !strings.Contains(strings.ToLower(msgs[0].(string)), "nowhere") {
						t.Errorf("want the database's message about the missing table, got %v", body)
					}
				} else {
					expectJSON(t, body, tc.want)
				}
				if n := countRows(t, d, "people"); n != tc.rows {
					t.Errorf("people has %d rows, want %d", n, tc.rows)
				}
			})
		}
	})
}

// TestReadOnlyTransaction checks the layer under the statement guard: a
// read-only session cannot write even when a statement gets past the guard.
func TestReadOnlyTransaction(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		fixture(t, d)
		r := New(d, Options{})
		ctx := context.Background()
		for _, readOnly := range []bool{true, false} {
			err := r.withSession(ctx, sessionOptions{readOnly: readOnly, commit: !readOnly, timeout: 5 * time.Second}, func(s *session) error {
				_, err := s.q.ExecContext(ctx, "INSERT INTO nums VALUES (5000)")
				return err
			})
			if readOnly && err == nil {
				t.Errorf("read-only session wrote")
			}
			if !readOnly && err != nil {
				t.Errorf("writable session: %v", err)
			}
		}
		if n := countRows(t, d, "nums"); n != 1501 {
			t.Errorf("nums has %d rows, want 1501 (one write, from the writable session)", n)
		}
	})
}

// TestReadOnlyFunction: a SELECT calling a function that writes passes the
// statement guard and is stopped by the read-only transaction.
func TestReadOnlyFunction(t *testing.T) {
	for _, e := range []config.Engine{config.EnginePostgres, config.EngineMySQL} {
		t.Run(string(e), func(t *testing.T) {
			d := testdb.New(t, e)
			fixture(t, d)
			if e == config.EnginePostgres {
				testdb.Exec(t, d, "CREATE FUNCTION bump() RETURNS int LANGUAGE sql AS $$ INSERT INTO nums VALUES (9999) RETURNING n $$;")
			} else {
				testdb.Exec(t, d, "CREATE FUNCTION bump() RETURNS INT MODIFIES SQL DATA BEGIN INSERT INTO nums VALUES (9999); RETURN 1; END;")
			}
			r := New(d, Options{})
			status, body := call(t, r, `{"query": "SELECT bump()"}`, Caller{})
			if status != 400 {
				t.Fatalf("status %d: %v", status, body)
			}
			msg := strings.ToLower(body.(map[string]any)["non_field_errors"].([]any)[0].(string))
			if !strings.Contains(msg, "read") {
				t.Errorf("message %q does not mention the read-only transaction", msg)
			}
			if n := countRows(t, d, "nums"); n != 1500 {
				t.Errorf("nums has %d rows after a refused write", n)
			}
			// the same call as admin writes and is committed
			status, body = call(t, r, `{"query": "SELECT bump() AS b", "admin": true}`, Caller{Admin: true})
			if status != 200 {
				t.Fatalf("admin status %d: %v", status, body)
			}
			if n := countRows(t, d, "nums"); n != 1501 {
				t.Errorf("nums has %d rows after an admin write, want 1501", n)
			}
		})
	}
}

// TestTimeout: a slow statement is stopped after SQL_TIMEOUT with a 400.
func TestTimeout(t *testing.T) {
	slow := map[config.Engine]string{
		config.EnginePostgres: "SELECT pg_sleep(5)",
		config.EngineMySQL:    "SELECT SLEEP(5)",
		config.EngineSQLite:   "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(*) FROM c",
	}
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		r := New(d, Options{Timeout: time.Second})
		start := time.Now()
		status, body := call(t, r, `{"query": "`+slow[d.Dialect.Engine]+`"}`, Caller{})
		took := time.Since(start)
		if status != 400 {
			t.Fatalf("status %d: %v", status, body)
		}
		if took < 900*time.Millisecond || took > 2500*time.Millisecond {
			t.Errorf("took %v, want about 1s", took)
		}
		msg := strings.ToLower(body.(map[string]any)["non_field_errors"].([]any)[0].(string))
		if !strings.Contains(msg, "statement timeout") && !strings.Contains(msg, "max_statement_time") {
			t.Errorf("message %q", msg)
		}
		// the pool still works afterwards
		status, body = call(t, r, `{"query": "SELECT 1 AS one"}`, Caller{})
		if status != 200 {
			t.Fatalf("after timeout: %d %v", status, body)
		}
	})
}

// TestCancel: when the client goes away, the statement stops in the
// database too (checked in pg_stat_activity / the MySQL process list).
func TestCancel(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		r := New(d, Options{Timeout: 30 * time.Second})
		marker := "jet_cancel_marker"
		q := map[config.Engine]string{
			config.EnginePostgres: "SELECT pg_sleep(30), '" + marker + "'",
			config.EngineMySQL:    "SELECT SLEEP(30), '" + marker + "'",
			config.EngineSQLite:   "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(*), '" + marker + "' FROM c",
		}[d.Dialect.Engine]
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		start := time.Now()
		go func() {
			_, err := r.Run(ctx, []byte(`{"query": "`+q+`"}`), Caller{})
			done <- err
		}()
		time.Sleep(300 * time.Millisecond)
		if n := activeQueries(t, d, marker); (d.Dialect.Engine == config.EngineSQLite) == false && n != 1 {
			t.Fatalf("%d active queries before cancel, want 1", n)
		}
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("error %v, want context.Canceled", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Run did not return after cancel")
		}
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("took %v", took)
		}
		deadline := time.Now().Add(2 * time.Second)
		for activeQueries(t, d, marker) > 0 {
			if time.Now().After(deadline) {
				t.Fatal("the query still runs in the database after the client went away")
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

// activeQueries counts running statements that contain marker.
func activeQueries(t *testing.T, d *db.DB, marker string) int {
	t.Helper()
	ctx := context.Background()
	var n int
	var err error
	switch {
	case (d.Dialect.Engine == config.EnginePostgres):
		err = d.SQL.QueryRowContext(ctx, "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND datname = current_database() AND pid <> pg_backend_pid() AND query LIKE $1",
			"%"+marker+"%").Scan(&n)
	case (d.Dialect.Engine == config.EngineMySQL):
		err = d.SQL.QueryRowContext(ctx, "SELECT count(*) FROM information_schema.PROCESSLIST WHERE COMMAND = 'Query' AND DB = DATABASE() AND ID <> CONNECTION_ID() AND INFO LIKE ?",
			"%"+marker+"%").Scan(&n)
	default:
		return 0 // in-process: Run returning is the proof
	}
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSessionReset: settings made for one request do not leak to the next
// request on the same pooled connection.
func TestSessionReset(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		fixture(t, d)
		d.SQL.SetMaxOpenConns(1)
		r := New(d, Options{Timeout: 2 * time.Second})
		if status, body := call(t, r, `{"query": "SELECT 1", "timezone": "+05:00"}`, Caller{}); status != 200 {
			t.Fatalf("%d %v", status, body)
		}
		// a read-only request, then an admin write on the same connection
		status, body := call(t, r, `{"query": "INSERT INTO nums VALUES (7777)", "admin": true}`, Caller{Admin: true})
		if status != 200 {
			t.Fatalf("admin write after a read-only request: %d %v", status, body)
		}
		ctx := context.Background()
		switch {
		case (d.Dialect.Engine == config.EngineMySQL):
			var tz string
			var mst float64
			if err := d.SQL.QueryRowContext(ctx, "SELECT @@session.time_zone, @@session.max_statement_time").Scan(&tz, &mst); err != nil {
				t.Fatal(err)
			}
			if tz == "+05:00" || mst != 0 {
				t.Errorf("session kept time_zone %q / max_statement_time %v", tz, mst)
			}
		case (d.Dialect.Engine == config.EnginePostgres):
			var tz, st string
			if err := d.SQL.QueryRowContext(ctx, "SELECT current_setting('TimeZone'), current_setting('statement_timeout')").Scan(&tz, &st); err != nil {
				t.Fatal(err)
			}
			if tz == "5" || st != "0" {
				t.Errorf("session kept TimeZone %q / statement_timeout %q", tz, st)
			}
		case (d.Dialect.Engine == config.EngineSQLite):
			var qo int
			if err := d.SQL.QueryRowContext(ctx, "PRAGMA query_only").Scan(&qo); err != nil {
				t.Fatal(err)
			}
			if qo != 0 {
				t.Errorf("query_only still on")
			}
		}
	})
}

func TestSQLiteInterrupterFindsHandle(t *testing.T) {
	d := testdb.New(t, config.EngineSQLite)
	conn, err := d.SQL.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if sqliteInterrupter(conn) == nil {
		t.Fatal("the SQLite driver's connection layout changed: statements can no longer be interrupted")
	}
}
