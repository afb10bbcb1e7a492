package db_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// QueryRow, Exec, Query and Session run their statements through the gate
// on one connection, on every engine.
func TestAccessHelpers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.Exec(ctx, "CREATE TABLE h (n INTEGER)"); err != nil {
			t.Fatal(err)
		}
		res, err := d.Exec(ctx, "INSERT INTO h (n) VALUES (1), (2), (3)")
		if err != nil {
			t.Fatal(err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 3 {
			t.Errorf("insert: %d rows affected, %v", n, err)
		}
		var sum int64
		if err := d.QueryRow(ctx, "SELECT SUM(n) FROM h WHERE n > "+d.Dialect.Placeholder(1), []any{1}, &sum); err != nil || sum != 5 {
			t.Errorf("QueryRow: %d, %v (want 5)", sum, err)
		}
		if err := d.QueryRow(ctx, "SELECT n FROM h WHERE n > 9", nil, &sum); !errors.Is(err, sql.ErrNoRows) {
			t.Errorf("QueryRow without a row: %v, want sql.ErrNoRows", err)
		}
		var got []int64
		err = d.Query(ctx, "SELECT n FROM h ORDER BY n", nil, func(rows *sql.Rows) error {
			var n int64
			if err := rows.Scan(&n); err != nil {
				return err
			}
			got = append(got, n)
			return nil
		})
		if err != nil || len(got) != 3 || got[0] != 1 || got[2] != 3 {
			t.Errorf("Query: %v, %v", got, err)
		}
		stop := errors.New("stop")
		calls := 0
		err = d.Query(ctx, "SELECT n FROM h", nil, func(*sql.Rows) error { calls++; return stop })
		if !errors.Is(err, stop) || calls != 1 {
			t.Errorf("Query whose row func fails: %v after %d calls", err, calls)
		}
		var count int64
		err = d.Session(ctx, func(g *gorm.DB) error {
			if !g.Migrator().HasTable("h") {
				return errors.New("Session: no table h")
			}
			return g.Raw("SELECT COUNT(*) FROM h").Scan(&count).Error
		})
		if err != nil || count != 3 {
			t.Errorf("Session: %d, %v", count, err)
		}
	})
}

// Run bounds a caller without a deadline by Timeout (plus the grace) and
// hands on a context that has one as it is.
func TestRunDeadline(t *testing.T) {
	d := testdb.New(t, "sqlite")
	var got context.Context
	keep := func(ctx context.Context, _ *sql.Conn) error { got = ctx; return nil }

	bounded, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	d.Timeout = time.Minute
	if err := d.Run(bounded, keep); err != nil || got != bounded {
		t.Errorf("a context with a deadline: %v, handed on another context", err)
	}
	bare := context.Background()
	if err := d.Run(bare, keep); err != nil {
		t.Fatal(err)
	}
	dl, ok := got.Deadline()
	if want := time.Now().Add(time.Minute + db.DeadlineGrace); !ok || dl.After(want) || dl.Before(want.Add(-5*time.Second)) {
		t.Errorf("a context without a deadline got %v (%v), want about %v", dl, ok, want)
	}
	if got.Err() == nil {
		t.Errorf("the bounded context outlived Run")
	}
	d.Timeout = 0
	if err := d.Run(bare, keep); err != nil || got != bare {
		t.Errorf("without Timeout: %v, handed on another context", err)
	}

	// an endless statement of a caller without a deadline ends by Timeout
	d.Timeout = 100 * time.Millisecond
	start := time.Now()
	var n int64
	err := d.QueryRow(bare, endless, nil, &n)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 3*time.Second {
		t.Errorf("endless query without a deadline: %v after %v, want DeadlineExceeded by Timeout", err, time.Since(start))
	}
	d.Timeout = 0
	if err := d.QueryRow(bare, "SELECT 1", nil, &n); err != nil || n != 1 {
		t.Errorf("after the stopped query: %d, %v", n, err)
	}
}

// Cancel does not wait for a turn at the gate; everything else does.
func TestCancelIsUngated(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		var leaves []func()
		for d.Gate.TryAcquire(1) {
			leaves = append(leaves, func() { d.Gate.Release(1) })
		}
		defer func() {
			for _, l := range leaves {
				l()
			}
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		if _, err := d.Exec(ctx, "SELECT 1"); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Exec with the gate full: %v, want it to wait until its deadline", err)
		}
		cctx, ccancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer ccancel()
		if err := d.Cancel(cctx, "SELECT 1"); err != nil {
			t.Errorf("Cancel with the gate full: %v", err)
		}
	})
}
