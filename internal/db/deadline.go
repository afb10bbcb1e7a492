package db

import (
	"context"
	"errors"
	"strings"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
)

// DeadlineGrace lets the database's own statement timeout (set to
// SQL_TIMEOUT on every pooled connection) fire before the request's context
// does, so that the statement is stopped in the database and its message
// is the one logged.
const DeadlineGrace = 500 * time.Millisecond

// Deadline bounds ctx by the statement timeout plus DeadlineGrace: every
// statement a request runs through Conn, Tx, Write (and record.Read), and
// all of them together, end by then.
func Deadline(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, timeout+DeadlineGrace)
}

// TimedOut reports whether err ended a request run under Deadline(parent)
// (ctx) for taking too long: ctx's deadline passed while parent was still
// live, or the database cancelled a statement for running too long.
func TimedOut(parent, ctx context.Context, err error) bool {
	if err == nil {
		return false
	}
	return errors.Is(ctx.Err(), context.DeadlineExceeded) && parent.Err() == nil || IsStatementTimeout(err)
}

// IsStatementTimeout reports whether the database cancelled a statement for
// running too long.
func IsStatementTimeout(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "57014" && strings.Contains(pe.Message, "statement timeout")
	}
	var me *gomysql.MySQLError
	if errors.As(err, &me) {
		// MariaDB 1969 max_statement_time; MySQL 3024 max_execution_time
		return me.Number == 1969 || me.Number == 3024
	}
	return false
}
