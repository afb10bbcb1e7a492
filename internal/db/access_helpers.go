package db

import (
	"context"
	"database/sql"
)

// Small shapes of Run for callers that run one statement.

// QueryRow runs query on a connection of Run and scans its first row into
// dest (sql.ErrNoRows when there is none).
func (x *DB) QueryRow(ctx context.Context, query string, args []any, dest ...any) error {
	return x.Run(ctx, func(ctx context.Context, c *sql.Conn) error {
		return c.QueryRowContext(ctx, query, args...).Scan(dest...)
	})
}

// Exec runs one statement on a connection of Run.
func (x *DB) Exec(ctx context.Context, stmt string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := x.Run(ctx, func(ctx context.Context, c *sql.Conn) (err error) {
		res, err = c.ExecContext(ctx, stmt, args...)
		return err
	})
	return res, err
}

// Query runs query on a connection of Run and calls row once for each row
// of the result (row scans it); the first error ends the reading.
func (x *DB) Query(ctx context.Context, query string, args []any, row func(rows *sql.Rows) error) error {
	return x.Run(ctx, func(ctx context.Context, c *sql.Conn) error {
		rows, err := c.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := row(rows); err != nil {
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return rows.Close()
	})
}
