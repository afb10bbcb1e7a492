package db

import (
	"database/sql"

	"github.com/jetbridge/jetbridge/internal/dialect/sqlite"
)

// SQLiteInterrupter returns a function that interrupts the statement running
// on a SQLite connection, or nil (see sqlite.Interrupter). Code that holds a
// Dialect asks its Interrupter instead.
func SQLiteInterrupter(conn *sql.Conn) func() { return sqlite.Interrupter(conn) }

// SQLiteLengthLimit sets the connection's SQLITE_LIMIT_LENGTH and returns
// the previous value, or -1 (see sqlite.LengthLimit).
func SQLiteLengthLimit(conn *sql.Conn, n int) int { return sqlite.LengthLimit(conn, n) }
