package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"gorm.io/gorm"
)

// Conn runs fn on one pooled connection, admitted through Gate (first come,
// first served). Every statement fn runs on it ends when ctx does: where
// the driver looks at the context only while it prepares a statement
// (SQLite), the running statement is interrupted (sqlite3_interrupt) when
// ctx ends, and a connection whose context ended is not put back into the
// pool (an interrupt that arrived between statements must not hit the next
// user). An error after ctx ended wraps ctx.Err().
func (x *DB) Conn(ctx context.Context, fn func(c *sql.Conn) error) error {
	leave, err := x.Enter(ctx)
	if err != nil {
		return err
	}
	defer leave()
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
	err = fn(c)
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("%w (%w)", ctx.Err(), err)
	}
	return err
}

// Tx runs fn in one transaction on a connection of Conn: committed when fn
// returns nil, rolled back otherwise.
func (x *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return x.Conn(ctx, func(c *sql.Conn) error {
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

// Write runs fn in one GORM transaction on a connection of Conn (gated,
// interruptible, bounded by ctx): the writes of the model routes.
func (x *DB) Write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return x.Conn(ctx, func(c *sql.Conn) error {
		g := x.Gorm.Session(&gorm.Session{Context: ctx, NewDB: true})
		g.Statement.ConnPool = c
		return g.Transaction(fn)
	})
}
