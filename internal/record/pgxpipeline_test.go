package record

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/schema"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// pipeFixture is a PostgreSQL database with one pooled connection (so every
// Read reuses it) and a table t of three rows.
func pipeFixture(t *testing.T) (*db.DB, *Encoder) {
	t.Helper()
	d := testdb.New(t, config.EnginePostgres)
	d.SQL.SetMaxOpenConns(1)
	testdb.Exec(t, d, "CREATE TABLE t (id integer PRIMARY KEY, v integer); INSERT INTO t VALUES (1, 10), (2, 20), (3, 30)")
	cols := []*schema.Column{{Name: "id", Kind: schema.KindInteger}, {Name: "v", Kind: schema.KindInteger}}
	return d, NewEncoder(cols, time.UTC)
}

// pipe runs one AppendRowsInt through Read.
func pipe(ctx context.Context, d *db.DB, e *Encoder, stmt string, args []any, intStmt string, intArgs []any) (string, int64, bool, error) {
	var (
		out []byte
		v   int64
		ok  bool
	)
	err := Read(ctx, d, func(r Reader) error {
		var err error
		out, _, v, ok, err = r.(RowsIntReader).AppendRowsInt(ctx, e, nil, stmt, args, intStmt, intArgs)
		return err
	})
	return string(out), v, ok, err
}

// preparedByUs counts the connection's statements prepared by name (pgx's
// Prepare names them stmt_<digest>; its own cache uses stmtcache_).
func preparedByUs(t *testing.T, ctx context.Context, d *db.DB) int {
	t.Helper()
	var n int
	if err := d.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_prepared_statements WHERE name LIKE 'stmt\_%'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPipelineRowsAndInt(t *testing.T) {
	d, e := pipeFixture(t)
	ctx := context.Background()
	const rows = "SELECT id, v FROM t WHERE v > $1 ORDER BY id"
	for _, tc := range []struct {
		name    string
		intStmt string
		intArgs []any
		want    int64
		wantOK  bool
	}{
		{"count", "SELECT COUNT(*) FROM t WHERE v > $1", []any{15}, 2, true},
		{"estimate-like text argument", "SELECT CAST(COUNT(*) AS bigint) FROM pg_class WHERE relname = $1", []any{"t"}, 1, true},
		{"no row", "SELECT 1::bigint WHERE false", nil, 0, false},
		{"null", "SELECT NULL::bigint", nil, 0, false},
		{"failing integer statement keeps the rows", "SELECT 1/0", nil, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, v, ok, err := pipe(ctx, d, e, rows, []any{15}, tc.intStmt, tc.intArgs)
			if err != nil {
				t.Fatal(err)
			}
			if got != `[{"id":2,"v":20},{"id":3,"v":30}]` || v != tc.want || ok != tc.wantOK {
				t.Fatalf("got %s %d %v, want two rows and %d %v", got, v, ok, tc.want, tc.wantOK)
			}
		})
	}

	// a failing rows statement is the error, and the connection stays usable
	for i := 0; i < 2; i++ {
		if _, _, _, err := pipe(ctx, d, e, "SELECT id, v / 0 AS v FROM t", nil, "SELECT 1::bigint", nil); err == nil || !strings.Contains(err.Error(), "division by zero") {
			t.Fatalf("want division by zero, got %v", err)
		}
	}
	if got, v, _, err := pipe(ctx, d, e, rows, []any{25}, "SELECT 7::bigint", nil); err != nil || got != `[{"id":3,"v":30}]` || v != 7 {
		t.Fatalf("after errors: %s %d %v", got, v, err)
	}
}

// TestPipelineStaleStatements: a statement prepared before DDL changed its
// result, or dropped by DEALLOCATE/DISCARD on the connection, is prepared
// again and the answer is the new one.
func TestPipelineStaleStatements(t *testing.T) {
	d, e := pipeFixture(t)
	ctx := context.Background()
	const rows, count = "SELECT id, v FROM t ORDER BY id", "SELECT COUNT(*) FROM t"
	if got, _, _, err := pipe(ctx, d, e, rows, nil, count, nil); err != nil || got != `[{"id":1,"v":10},{"id":2,"v":20},{"id":3,"v":30}]` {
		t.Fatalf("first: %s %v", got, err)
	}
	const doubled = `[{"id":1,"v":20},{"id":2,"v":40},{"id":3,"v":60}]`
	for _, tc := range []struct{ change, want string }{
		{"ALTER TABLE t ALTER COLUMN v TYPE bigint USING v * 2", doubled},
		{"DEALLOCATE ALL", doubled},
		{"DISCARD ALL", doubled},
	} {
		if _, err := d.SQL.ExecContext(ctx, tc.change); err != nil {
			t.Fatal(err)
		}
		// twice: the retry itself must leave the statements usable
		for i := 0; i < 2; i++ {
			got, v, ok, err := pipe(ctx, d, e, rows, nil, count, nil)
			if err != nil || got != tc.want || v != 3 || !ok {
				t.Fatalf("after %s (%d): %s %d %v %v", tc.change, i, got, v, ok, err)
			}
		}
	}
}

// TestPipelineStatementsBounded: however many distinct statements a
// connection pipelines, it keeps at most pipelineStatements prepared.
func TestPipelineStatementsBounded(t *testing.T) {
	d, e := pipeFixture(t)
	ctx := context.Background()
	for i := 0; i < pipelineStatements+40; i++ {
		stmt := fmt.Sprintf("SELECT id, v + %d AS v FROM t WHERE id = 1", i)
		want := fmt.Sprintf(`[{"id":1,"v":%d}]`, 10+i)
		if got, _, _, err := pipe(ctx, d, e, stmt, nil, "SELECT 1::bigint", nil); err != nil || got != want {
			t.Fatalf("statement %d: %s %v", i, got, err)
		}
	}
	if n := preparedByUs(t, ctx, d); n > pipelineStatements || n < pipelineStatements/2 {
		t.Fatalf("%d statements prepared, want at most %d (and the recent ones kept)", n, pipelineStatements)
	}
}

// TestPipelineDeadline: a pipeline under a deadline ends with the deadline,
// and the pool's next request works.
func TestPipelineDeadline(t *testing.T) {
	d, e := pipeFixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, _, err := pipe(ctx, d, e, "SELECT id, v FROM t, pg_sleep(5)", nil, "SELECT 1::bigint", nil)
	if err == nil || time.Since(start) > 3*time.Second {
		t.Fatalf("want the deadline within 3 s, got %v after %s", err, time.Since(start))
	}
	if !errors.Is(err, context.DeadlineExceeded) && !strings.Contains(err.Error(), "cancel") && !strings.Contains(err.Error(), "timeout") {
		t.Logf("deadline error: %v", err)
	}
	got, v, _, err := pipe(context.Background(), d, e, "SELECT id, v FROM t WHERE id = $1", []any{2}, "SELECT 5::bigint", nil)
	if err != nil || got != `[{"id":2,"v":20}]` || v != 5 {
		t.Fatalf("after the deadline: %s %d %v", got, v, err)
	}
}
