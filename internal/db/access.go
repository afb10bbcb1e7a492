package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"gorm.io/gorm"
)

// Run runs fn on one pooled connection, admitted through Gate (first come,
// first served), and hands fn the context its statements are to use: ctx
// itself, or, when ctx carries no deadline and Timeout is set, ctx bounded
// by Deadline(ctx, Timeout) (a ctx with a deadline is passed on as it is,
// without a new context). Every statement fn runs on the connection ends
// when that context does: where the driver looks at the context only
// while it prepares a statement (SQLite), the running statement is
// interrupted (sqlite3_interrupt) when the context ends, and a connection
// whose context ended is not put back into the pool (an interrupt that
// arrived between statements must not hit the next user). An error after
// the context ended wraps its Err().
//
// fn must not call Run, Conn, Tx, Write or the helpers built on them (the
// gate has as many turns as the pool has connections: a nested call may wait
// for its own turn forever); it runs everything on c.
func (x *DB) Run(ctx context.Context, fn func(ctx context.Context, c *sql.Conn) error) error {
	if x.Timeout > 0 {
		if _, ok := ctx.Deadline(); !ok {
			var cancel context.CancelFunc
			ctx, cancel = Deadline(ctx, x.Timeout)
			defer cancel()
		}
	}
	if err := x.Enter(ctx); err != nil {
		return err
	}
	defer x.Leave()
	c, err := x.SQL.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if interrupt := x.Dialect.Interrupter(c); interrupt != nil {
		stop := context.AfterFunc(ctx, interrupt)
		defer func() {
			if !stop() {
				_ = c.Raw(func(any) error { return driver.ErrBadConn })
			}
		}()
	}
	err = fn(ctx, c)
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("%w (%w)", ctx.Err(), err)
	}
	return err
}

// Conn is Run for a fn that runs its statements with the caller's own ctx
// (one that carries its deadline: a request's, under Deadline).
func (x *DB) Conn(ctx context.Context, fn func(c *sql.Conn) error) error {
	return x.Run(ctx, func(_ context.Context, c *sql.Conn) error { return fn(c) })
}

// Tx runs fn in one transaction on a connection of Run: committed when fn
// returns nil, rolled back otherwise.
func (x *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return x.Run(ctx, func(ctx context.Context, c *sql.Conn) error {
		tx, err := c.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := fn(tx); err != nil {
			_ = tx.Rollback()
			return err
		}
		return tx.Commit()
	})
}

// Write runs fn in one GORM transaction on a connection of Run (gated,
// interruptible, bounded by ctx): the writes of the model routes.
func (x *DB) Write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return x.Run(ctx, func(ctx context.Context, c *sql.Conn) error {
		return x.gormOn(ctx, c).Transaction(fn)
	})
}

// Session runs fn with GORM on one connection of Run, outside a
// transaction (reads, migrations; GORM's own Transaction inside fn stays on
// that connection).
func (x *DB) Session(ctx context.Context, fn func(g *gorm.DB) error) error {
	return x.Run(ctx, func(ctx context.Context, c *sql.Conn) error {
		return fn(x.gormOn(ctx, c))
	})
}

// gormOn is GORM bound to ctx and running its statements on c.
func (x *DB) gormOn(ctx context.Context, c *sql.Conn) *gorm.DB {
	g := x.Gorm.Session(&gorm.Session{Context: ctx, NewDB: true})
	g.Statement.ConnPool = c
	return g
}

// Cancel runs a statement that stops a statement running on another
// connection (pg_cancel_backend, KILL QUERY) straight on the pool: it does
// not take a turn at Gate, where it could wait behind the very statement it
// is to cancel (or behind the requests that statement keeps waiting).
// Nothing else may bypass the gate.
func (x *DB) Cancel(ctx context.Context, stmt string, args ...any) error {
	_, err := x.SQL.ExecContext(ctx, stmt, args...)
	return err
}
