package sqlapi

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jetbridge/jetbridge/internal/dialect/feature"
)

// queryer is what statements run on: a transaction or a dedicated connection.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// sessionOptions says how one request's statements run.
type sessionOptions struct {
	readOnly bool // read-only transaction (PG, MySQL) / PRAGMA query_only (SQLite)
	commit   bool // commit at the end (admin statements); otherwise roll back
	timeout  time.Duration
	tz       *zone  // per-request time zone, nil if none
	schema   string // PostgreSQL search_path, "" if none
	userVars bool   // the statement may use MySQL user variables (@name)
}

// session is one request's connection state while its statements run.
type session struct {
	q     queryer
	zones zones
	fly   *inflight
}

// inflight lets a context watcher cancel the statement that is running on
// the session's connection, and only while one is.
type inflight struct {
	mu      sync.Mutex
	running bool
	fired   bool
	cancel  func() // engine-specific: cancel the running statement in the database
	// ctx is the request's; when it has ended by the time the statement
	// returns (the driver gave up first, e.g. MySQL closes its connection),
	// the statement is cancelled in the database all the same.
	ctx context.Context
}

// do runs fn (a statement and the reading of its rows) as the running statement.
func (f *inflight) do(fn func() error) error {
	f.mu.Lock()
	f.running = true
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		if f.ctx != nil && f.ctx.Err() != nil && !f.fired && f.cancel != nil {
			f.fired = true
			f.cancel()
		}
		f.running = false
		f.mu.Unlock()
	}()
	return fn()
}

// fire cancels the running statement, if any. The lock is held while the
// cancel request is in flight, so the statement cannot be marked finished
// (and the connection handed to another request) before the request has
// reached the server: it can only hit this request's statement, or an idle
// session, where PostgreSQL and MySQL ignore it.
func (f *inflight) fire() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.running && f.cancel != nil && !f.fired {
		f.fired = true
		f.cancel()
	}
}

// cancelTimeout bounds the out-of-band statements (cancel requests, resets).
const cancelTimeout = 5 * time.Second

// withSession opens a session on the engine, runs fn in it and cleans up:
// the transaction is committed only when o.commit is set and fn succeeded,
// and session settings on pooled connections are reset (the connection is
// discarded when that fails). When ctx ends while a statement runs, the
// statement is cancelled in the database, not only on the client side.
// The session follows the engine's protocol: set_config() settings and
// pg_cancel_backend (feature.SetConfig), session variables and KILL QUERY
// (feature.KillQuery), or a database file's PRAGMAs and interrupts.
func (r *Runner) withSession(ctx context.Context, o sessionOptions, fn func(*session) error) error {
	switch d := r.d.Dialect; {
	case d.Has(feature.SetConfig):
		return r.pgSession(ctx, o, fn)
	case d.Has(feature.KillQuery):
		return r.mysqlSession(ctx, o, fn)
	default:
		return r.sqliteSession(ctx, o, fn)
	}
}

// pgSession runs read-only requests in a READ ONLY transaction with
// transaction-local settings (SET LOCAL), and writable admin requests in
// autocommit mode on a dedicated connection, so that statements that cannot
// run in a transaction block (VACUUM, CREATE INDEX CONCURRENTLY, CREATE
// DATABASE) work; that connection's settings are restored with RESET ALL,
// which also undoes any SET the admin statement made.
//
// Either way the connection goes back to the pool without what the request
// left on it (issue 17 H4): session-level advisory locks are released
// (pg_advisory_unlock_all; a rollback does not release them), and after an
// admin request its settings are reset and its temporary tables dropped
// (RESET ALL, DISCARD TEMP). When that fails the connection is dropped. Rows
// larger than MaxValueBytes are refused before they are read.
func (r *Runner) pgSession(ctx context.Context, o sessionOptions, fn func(*session) error) error {
	return r.onConn(ctx, func(conn *sql.Conn) error { return r.pgConn(ctx, conn, o, fn) })
}

// pgConn is pgSession on its connection.
func (r *Runner) pgConn(ctx context.Context, conn *sql.Conn, o sessionOptions, fn func(*session) error) error {
	capped := pgMaxBodyLen(conn, int(min(r.opt.MaxValueBytes, 1<<30)))
	defer func() {
		reset := "SELECT pg_advisory_unlock_all()"
		if o.commit {
			reset = "ROLLBACK; RESET ALL; DISCARD TEMP; SELECT pg_advisory_unlock_all()"
		}
		rctx, cancel := context.WithTimeout(context.Background(), cancelTimeout)
		defer cancel()
		if _, err := conn.ExecContext(rctx, reset); err != nil {
			discard(conn)
			return
		}
		if o.commit && !pgForgetPrepared(rctx, conn) {
			discard(conn)
			return
		}
		if capped {
			pgMaxBodyLen(conn, 0)
		}
	}()
	if o.commit {
		pid, z, err := r.pgSetup(ctx, conn, o, false)
		if err != nil && o.tz != nil && ctx.Err() == nil {
			o.tz = nil // an unknown zone name: upstream ignores the error
			pid, z, err = r.pgSetup(ctx, conn, o, false)
		}
		if err != nil {
			return err
		}
		return r.pgRun(ctx, conn, pid, z, fn)
	}
	err := r.pgReadOnly(ctx, conn, o, fn)
	if err != nil && o.tz != nil && errors.Is(err, errUnknownZone) && ctx.Err() == nil {
		// an unknown zone name spoils the transaction: start again without it
		o.tz = nil
		err = r.pgReadOnly(ctx, conn, o, fn)
	}
	return err
}

// errUnknownZone marks a failed session setup with a time zone.
var errUnknownZone = errors.New("session setup with a time zone failed")

// pgReadOnly runs fn in a read-only transaction on conn, rolled back.
func (r *Runner) pgReadOnly(ctx context.Context, conn *sql.Conn, o sessionOptions, fn func(*session) error) error {
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: o.readOnly})
	if err != nil {
		return connError{err}
	}
	defer func() { _ = tx.Rollback() }() // read-only: nothing to commit
	pid, z, err := r.pgSetup(ctx, tx, o, true)
	if err != nil {
		if o.tz != nil {
			return fmt.Errorf("%w: %w", errUnknownZone, err)
		}
		return err
	}
	return r.pgRun(ctx, tx, pid, z, fn)
}

// pgSetup applies the statement timeout, search_path and time zone (local
// to the transaction, or to the session) and reads the backend pid and the
// session's zone, in one round trip.
func (r *Runner) pgSetup(ctx context.Context, q queryer, o sessionOptions, local bool) (int64, zones, error) {
	scope := "false"
	if local {
		scope = "true"
	}
	var sb strings.Builder
	sb.WriteString("SELECT pg_backend_pid(), set_config('statement_timeout', $1, " + scope + ")")
	args := []any{strconv.FormatInt(max(o.timeout.Milliseconds(), 1), 10)}
	if o.schema != "" {
		args = append(args, r.d.Dialect.QuoteIdent(o.schema))
		sb.WriteString(", set_config('search_path', $" + strconv.Itoa(len(args)) + ", " + scope + ")")
	}
	if o.tz != nil {
		args = append(args, o.tz.pg)
		sb.WriteString(", set_config('TimeZone', $" + strconv.Itoa(len(args)) + ", " + scope + ")")
	} else {
		sb.WriteString(", current_setting('TimeZone'), CAST(EXTRACT(TIMEZONE FROM now()) AS integer)")
	}
	var pid int64
	var ignore, tzName sql.NullString
	var tzOff sql.NullInt64
	dest := []any{&pid, &ignore}
	if o.schema != "" {
		dest = append(dest, new(sql.NullString))
	}
	if o.tz != nil {
		dest = append(dest, new(sql.NullString))
	} else {
		dest = append(dest, &tzName, &tzOff)
	}
	rows, err := q.QueryContext(ctx, sb.String(), args...)
	if err != nil {
		return 0, zones{}, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return 0, zones{}, err
		}
		return 0, zones{}, errors.New("session setup returned no row")
	}
	if err := rows.Scan(dest...); err != nil {
		return 0, zones{}, err
	}
	if err := rows.Close(); err != nil {
		return 0, zones{}, err
	}
	z := zones{naive: r.defaultLoc, session: time.UTC}
	switch {
	case o.tz != nil:
		z.session = o.tz.loc
	case tzName.Valid:
		if zz, ok := r.parseZone(tzName.String); ok {
			z.session = zz.loc
		} else if tzOff.Valid {
			z.session = offsetZone(int(tzOff.Int64)).loc
		}
	}
	return pid, z, nil
}

// pgRun runs fn with the backend's statements cancellable by pid.
func (r *Runner) pgRun(ctx context.Context, q queryer, pid int64, z zones, fn func(*session) error) error {
	fly := &inflight{ctx: ctx, cancel: func() {
		cctx, cancel := context.WithTimeout(context.Background(), cancelTimeout)
		defer cancel()
		_ = r.d.Cancel(cctx, "SELECT pg_cancel_backend($1)", pid)
	}}
	stop := context.AfterFunc(ctx, fly.fire)
	defer stop()
	return fn(&session{q: q, zones: z, fly: fly})
}

func (r *Runner) mysqlSession(ctx context.Context, o sessionOptions, fn func(*session) error) error {
	return r.onConn(ctx, func(conn *sql.Conn) error { return r.mysqlConn(ctx, conn, o, fn) })
}

// mysqlConn is mysqlSession on its connection.
func (r *Runner) mysqlConn(ctx context.Context, conn *sql.Conn, o sessionOptions, fn func(*session) error) error {
	var id int64
	var mode string
	if err := conn.QueryRowContext(ctx, "SELECT CONNECTION_ID(), @@SESSION.sql_mode").Scan(&id, &mode); err != nil {
		return connError{err}
	}
	// The statement guard lexes quotes and backslashes as the default
	// sql_mode does: pin the modes that change that off (issue 17 H5).
	if pinned, changed := lexableSQLMode(mode); changed {
		if _, err := conn.ExecContext(ctx, "SET SESSION sql_mode = ?", pinned); err != nil {
			discard(conn)
			return connError{fmt.Errorf("pin sql_mode: %w", err)}
		}
	}
	// A request that may have set user variables (@name) gives its
	// connection up: nothing but a new session clears them (issue 17 H4).
	if o.userVars {
		defer discard(conn)
	}
	// MariaDB: max_statement_time (seconds, any statement); MySQL:
	// max_execution_time (milliseconds, SELECT only).
	timeoutVar := "max_execution_time"
	if r.mariadb {
		timeoutVar = "max_statement_time"
	}
	timeoutVal := timeoutLiteral(r.mariadb, o.timeout)
	// a server without the variable still has the context deadline and KILL
	// QUERY; pooled connections carry SQL_TIMEOUT already (db.Open)
	timeoutSet := false
	if r.d.StatementTimeout != o.timeout {
		if _, err := conn.ExecContext(ctx, "SET SESSION "+timeoutVar+" = "+timeoutVal); err == nil {
			timeoutSet = true
		}
	}
	z := zones{naive: r.defaultLoc, session: r.defaultLoc}
	tzSet := false
	if o.tz != nil {
		// errors (e.g. zone tables not loaded for a name) are ignored, as upstream does
		if _, err := conn.ExecContext(ctx, "SET time_zone = ?", o.tz.mysql); err == nil {
			tzSet = true
			z.session = o.tz.loc
		}
	}
	defer func() {
		var sets []string
		// back to the values every pooled connection has (db.Open, the DSN),
		// not to the server's global defaults
		if timeoutSet {
			base := "DEFAULT"
			if r.d.StatementTimeout > 0 {
				base = timeoutLiteral(r.mariadb, r.d.StatementTimeout)
			}
			sets = append(sets, timeoutVar+" = "+base)
		}
		if tzSet {
			sets = append(sets, "time_zone = '+00:00'")
		}
		rctx, cancel := context.WithTimeout(context.Background(), cancelTimeout)
		defer cancel()
		// named locks (GET_LOCK) are the session's, not the transaction's
		if _, err := conn.ExecContext(rctx, "DO RELEASE_ALL_LOCKS()"); err != nil {
			discard(conn)
			return
		}
		if len(sets) == 0 {
			return
		}
		if _, err := conn.ExecContext(rctx, "SET SESSION "+strings.Join(sets, ", ")); err != nil {
			discard(conn)
		}
	}()
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: o.readOnly})
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			_ = tx.Rollback()
		}
	}()
	fly := &inflight{ctx: ctx, cancel: func() {
		cctx, cancel := context.WithTimeout(context.Background(), cancelTimeout)
		defer cancel()
		// the id is the server's own connection number, not client input
		_ = r.d.Cancel(cctx, "KILL QUERY "+strconv.FormatInt(id, 10))
	}}
	stop := context.AfterFunc(ctx, fly.fire)
	defer stop()
	if err := fn(&session{q: tx, zones: z, fly: fly}); err != nil {
		return err
	}
	done = true
	if o.commit {
		return tx.Commit()
	}
	return tx.Rollback()
}

func (r *Runner) sqliteSession(ctx context.Context, o sessionOptions, fn func(*session) error) error {
	return r.onConn(ctx, func(conn *sql.Conn) error { return r.sqliteConn(ctx, conn, o, fn) })
}

// sqliteConn is sqliteSession on its connection.
func (r *Runner) sqliteConn(ctx context.Context, conn *sql.Conn, o sessionOptions, fn func(*session) error) error {
	// The driver checks the context only while preparing a statement, so a
	// long query is interrupted here (sqlite3_interrupt) when ctx ends.
	fly := &inflight{cancel: sqliteInterrupter(conn)}
	// no string or blob beyond MaxValueBytes (zeroblob(1000000000) would
	// be built in memory)
	if prev := sqliteLengthLimit(conn, int(r.opt.MaxValueBytes)); prev >= 0 {
		defer sqliteLengthLimit(conn, prev)
	}
	if o.readOnly {
		if _, err := conn.ExecContext(ctx, "PRAGMA query_only = 1"); err != nil {
			return connError{err}
		}
		defer func() {
			rctx, cancel := context.WithTimeout(context.Background(), cancelTimeout)
			defer cancel()
			if _, err := conn.ExecContext(rctx, "PRAGMA query_only = 0"); err != nil {
				discard(conn)
			}
		}()
	}
	stop := context.AfterFunc(ctx, fly.fire)
	defer stop()
	// Statements run in autocommit mode: each one commits on its own (admin)
	// or cannot write at all (query_only).
	return fn(&session{q: conn, zones: zones{naive: r.defaultLoc, session: r.defaultLoc}, fly: fly})
}

// onConn runs fn on one connection of the data-access layer (db.DB.Conn: a
// turn at the gate, then a pooled connection; fn leaves it as it found it,
// or discards it). Not getting one is a connError. The statements fn starts
// to cancel a running one (pg_cancel_backend, KILL QUERY) go through
// db.DB.Cancel, which does not wait at the gate.
func (r *Runner) onConn(ctx context.Context, fn func(conn *sql.Conn) error) error {
	got := false
	err := r.d.Conn(ctx, func(conn *sql.Conn) error {
		got = true
		return fn(conn)
	})
	if err != nil && !got {
		return connError{err}
	}
	return err
}

// discard drops a pooled connection whose session state could not be reset.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
}

// connError marks a failure to get or prepare a connection (not the
// client's query): the message is generic, the cause is for logs.
type connError struct{ err error }

func (e connError) Error() string { return fmt.Sprintf("database connection: %v", e.err) }
func (e connError) Unwrap() error { return e.err }

// timeoutLiteral is a statement timeout as MariaDB's max_statement_time
// (seconds) or MySQL's max_execution_time (milliseconds) takes it.
func timeoutLiteral(mariadb bool, t time.Duration) string {
	if mariadb {
		return strconv.FormatFloat(max(t.Seconds(), 0.001), 'f', 3, 64)
	}
	return strconv.FormatInt(max(t.Milliseconds(), 1), 10)
}

// lexableSQLMode removes from a MySQL sql_mode the modes under which the
// statement guard's lexer would read quotes or backslashes differently
// from the server: ANSI_QUOTES ("..." is an identifier) and
// NO_BACKSLASH_ESCAPES ('\' is a whole string).
func lexableSQLMode(mode string) (string, bool) {
	parts := strings.Split(mode, ",")
	kept := parts[:0]
	for _, p := range parts {
		switch strings.ToUpper(strings.TrimSpace(p)) {
		case "ANSI_QUOTES", "NO_BACKSLASH_ESCAPES", "":
			continue
		}
		kept = append(kept, p)
	}
	out := strings.Join(kept, ",")
	return out, out != mode
}

// usesUserVars reports whether a MySQL statement may read or set user
// variables: an @ outside @@system variables (strings included: a false
// alarm costs one reconnection).
func usesUserVars(query string) bool {
	return strings.Contains(strings.ReplaceAll(query, "@@", ""), "@")
}
