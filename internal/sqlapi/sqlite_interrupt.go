package sqlapi

import (
	"database/sql"

	"github.com/jetbridge/jetbridge/internal/db"
)

// sqliteInterrupter returns a function that interrupts the statement running
// on a SQLite connection, or nil (see db.SQLiteInterrupter).
func sqliteInterrupter(conn *sql.Conn) func() { return db.SQLiteInterrupter(conn) }

// sqliteLengthLimit sets the connection's SQLITE_LIMIT_LENGTH and returns
// the previous value, or -1 (see db.SQLiteLengthLimit).
func sqliteLengthLimit(conn *sql.Conn, n int) int { return db.SQLiteLengthLimit(conn, n) }
