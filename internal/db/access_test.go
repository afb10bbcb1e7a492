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

const endless = `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(*) FROM c`

// Reads on Conn and writes in Write end when their context does, on every
// engine (SQLite by the interrupt; the others by their drivers), and the pool
// serves the next caller afterwards.
func TestAccessStopsAtDeadline(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		testdb.Exec(t, d, "CREATE TABLE w (n BIGINT)")
		endless := endless
		if d.Dialect.Engine == "mysql" {
			endless = "SELECT SLEEP(5)" // MariaDB ends a recursion at max_recursive_iterations
		}
		cases := map[string]func(ctx context.Context) error{
			"conn": func(ctx context.Context) error {
				return d.Conn(ctx, func(c *sql.Conn) error {
					var n int64
					return c.QueryRowContext(ctx, endless).Scan(&n)
				})
			},
			"tx": func(ctx context.Context) error {
				return d.Tx(ctx, func(tx *sql.Tx) error {
					_, err := tx.ExecContext(ctx, "INSERT INTO w "+endless)
					return err
				})
			},
			"write": func(ctx context.Context) error {
				return d.Write(ctx, func(tx *gorm.DB) error {
					return tx.Exec("INSERT INTO w " + endless).Error
				})
			},
		}
		for name, run := range cases {
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			start := time.Now()
			err := run(ctx)
			cancel()
			if err == nil || time.Since(start) > 3*time.Second {
				t.Errorf("%s: %v after %v, want an error by the deadline", name, err, time.Since(start))
			}
			if !errors.Is(err, context.DeadlineExceeded) && d.Dialect.Engine == "sqlite" {
				t.Errorf("%s: %v, want it to wrap context.DeadlineExceeded", name, err)
			}
		}
		var n int64
		err := d.Write(context.Background(), func(tx *gorm.DB) error {
			if err := tx.Exec("INSERT INTO w VALUES (1)").Error; err != nil {
				return err
			}
			return tx.Raw("SELECT COUNT(*) FROM w").Scan(&n).Error
		})
		if err != nil || n != 1 {
			t.Fatalf("write after the stopped ones: %d rows, %v (want 1: the stopped writes rolled back)", n, err)
		}
	})
}
