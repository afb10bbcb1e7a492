package record

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
)

// Reader runs the read statements of one request and encodes their rows.
// Read hands one to its callback.
type Reader interface {
	// AppendRows runs stmt and appends its rows to b as a JSON array of
	// objects (see Encoder); n is the number of rows.
	AppendRows(ctx context.Context, e *Encoder, b []byte, stmt string, args ...any) (out []byte, n int, err error)
	// AppendOne runs stmt and appends its first row to b as a JSON object;
	// found is false (and b unchanged) when there is no row.
	AppendOne(ctx context.Context, e *Encoder, b []byte, stmt string, args ...any) (out []byte, found bool, err error)
	// Int runs stmt and returns the first column of its first row as an
	// integer; ok is false when there is no row or the value is NULL.
	Int(ctx context.Context, stmt string, args ...any) (n int64, ok bool, err error)
}

// maxBadConnRetries is how often Read retries on a connection that turned out
// broken before a statement was sent (as database/sql does).
const maxBadConnRetries = 2

// Read runs fn with a Reader over one pooled connection of d, admitted
// through d.Gate (first come, first served) when it is set.
//
// On PostgreSQL the Reader works on the pgx connection underneath
// database/sql: rows are encoded straight from the values on the wire,
// without database/sql's per-query and per-value conversions, and every
// statement of fn shares one pool checkout. The output is the same as
// Encoder.AppendRow over database/sql's values (the same result formats and
// the same conversions are used). Elsewhere it is database/sql.
//
// fn may be called again (at most twice) when the connection proved broken
// before any statement reached the server, so it must start from scratch on
// each call and not have side effects beyond its output.
func Read(ctx context.Context, d *db.DB, fn func(r Reader) error) error {
	if d.Dialect.Has(feature.DriverTimeout) {
		// only the driver bounds statements: one gated connection whose
		// statements are interrupted when ctx ends (db.DB.Conn)
		return d.Conn(ctx, func(c *sql.Conn) error { return fn(sqlReader{c}) })
	}
	if err := d.Enter(ctx); err != nil {
		return err
	}
	defer d.Leave()
	if !d.Dialect.Has(feature.PgxFastPath) {
		return fn(sqlReader{d.SQL})
	}
	var err error
	for try := 0; try <= maxBadConnRetries; try++ {
		var retry bool
		retry, err = readPgx(ctx, d.SQL, fn)
		if !retry {
			return err
		}
	}
	return err
}

// pgxConner is pgx's database/sql driver connection (stdlib.Conn).
type pgxConner interface{ Conn() *pgx.Conn }

// readPgx runs fn on one connection; retry reports a broken connection
// that was discarded before anything was sent.
func readPgx(ctx context.Context, pool *sql.DB, fn func(r Reader) error) (retry bool, err error) {
	c, err := pool.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer c.Close()
	var fnErr error
	rawErr := c.Raw(func(dc any) error {
		pc, ok := dc.(pgxConner)
		if !ok {
			fnErr = fn(sqlReader{c})
			return nil
		}
		conn := pc.Conn()
		if conn.IsClosed() {
			retry = true
			return driver.ErrBadConn
		}
		fnErr = fn(&pgxReader{conn: conn})
		if fnErr != nil && (conn.IsClosed() || pgconn.SafeToRetry(fnErr)) {
			// database/sql closes a connection whose Raw callback returns
			// ErrBadConn instead of putting it back into the pool
			retry = pgconn.SafeToRetry(fnErr)
			return driver.ErrBadConn
		}
		return nil
	})
	if retry {
		return true, fnErr
	}
	if fnErr != nil {
		return false, fnErr
	}
	if rawErr != nil && !errors.Is(rawErr, driver.ErrBadConn) {
		return false, fmt.Errorf("read connection: %w", rawErr)
	}
	return false, nil
}

// sqlReader is the database/sql Reader.
type sqlReader struct {
	q interface {
		Querier
		QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	}
}

// QueryContext runs a statement on the reader's connection (a Querier:
// for reads that need more than Int, such as MySQL's EXPLAIN estimate).
func (r sqlReader) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return r.q.QueryContext(ctx, query, args...)
}

func (r sqlReader) AppendRows(ctx context.Context, e *Encoder, b []byte, stmt string, args ...any) ([]byte, int, error) {
	return e.AppendRows(ctx, r.q, b, stmt, args...)
}

func (r sqlReader) AppendOne(ctx context.Context, e *Encoder, b []byte, stmt string, args ...any) ([]byte, bool, error) {
	return e.AppendOne(ctx, r.q, b, stmt, args...)
}

func (r sqlReader) Int(ctx context.Context, stmt string, args ...any) (int64, bool, error) {
	var n sql.NullInt64
	if err := r.q.QueryRowContext(ctx, stmt, args...).Scan(&n); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return 0, false, nil
		}
		return 0, false, err
	}
	return n.Int64, n.Valid, nil
}
