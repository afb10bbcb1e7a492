package sqlapi

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/jetbridge/jetbridge/internal/apierr"
)

// Defaults of SQL_MAX_RESPONSE_BYTES and SQL_MAX_VALUE_BYTES.
const (
	DefaultMaxResponseBytes = 64 << 20
	DefaultMaxValueBytes    = 16 << 20
)

// spoolAt is how much of a result's rows is kept in memory: beyond it the
// encoded rows go to an unlinked temporary file until the response is
// written, so a large result costs disk, not memory.
const spoolAt = 1 << 20

// sink collects a result's encoded "data" array: in memory up to spoolAt,
// then in a temporary file; it refuses to grow beyond max bytes.
type sink struct {
	mem    []byte
	file   *os.File
	unlink string // path still to remove (where an open file cannot be)
	onDisk int64
	max    int64
	spool  bool
}

// errTooLarge is returned when the result outgrows the response limit.
type errTooLarge struct{ limit int64 }

func (e errTooLarge) Error() string {
	return "the result is larger than SQL_MAX_RESPONSE_BYTES (" + byteSize(e.limit) +
		"): add a LIMIT, or select fewer or smaller columns"
}

// errValueTooLarge is returned for a value (a row, on PostgreSQL) beyond
// the value limit.
type errValueTooLarge struct {
	limit  int64
	column string
}

func (e errValueTooLarge) Error() string {
	where := "a row of the result"
	if e.column != "" {
		where = "a value in column " + strconv.Quote(e.column)
	}
	return where + " is larger than SQL_MAX_VALUE_BYTES (" + byteSize(e.limit) + ")"
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// limitError turns a size refusal into the 400 the client gets, or nil.
func limitError(err error, maxValue int64) *apierr.Error {
	var tl errTooLarge
	var vl errValueTooLarge
	var pl *pgproto3.ExceededMaxBodyLenErr
	switch {
	case errors.As(err, &tl):
		return &apierr.Error{Status: http.StatusBadRequest, Body: map[string][]string{"non_field_errors": {tl.Error()}}, Cause: err}
	case errors.As(err, &vl):
		return &apierr.Error{Status: http.StatusBadRequest, Body: map[string][]string{"non_field_errors": {vl.Error()}}, Cause: err}
	case errors.As(err, &pl):
		msg := errValueTooLarge{limit: int64(pl.MaxExpectedBodyLen)}.Error()
		return &apierr.Error{Status: http.StatusBadRequest, Body: map[string][]string{"non_field_errors": {msg}}, Cause: err}
	case strings.Contains(err.Error(), "string or blob too big"): // SQLite's SQLITE_LIMIT_LENGTH
		msg := "a value (string or blob) of the result is larger than SQL_MAX_VALUE_BYTES (" + byteSize(maxValue) + ")"
		return &apierr.Error{Status: http.StatusBadRequest, Body: map[string][]string{"non_field_errors": {msg}}, Cause: err}
	}
	return nil
}

// size is the bytes collected so far.
func (s *sink) size() int64 { return s.onDisk + int64(len(s.mem)) }

// grew checks the limit after bytes were appended to s.mem, and spools.
func (s *sink) grew() error {
	if s.max > 0 && s.size() > s.max {
		return errTooLarge{s.max}
	}
	if !s.spool || len(s.mem) < spoolAt {
		return nil
	}
	if s.file == nil {
		f, err := os.CreateTemp("", "jetbridge-sql-*")
		if err != nil {
			return fmt.Errorf("spool the result: %w", err)
		}
		s.file = f
		if os.Remove(f.Name()) != nil {
			s.unlink = f.Name()
		}
	}
	if _, err := s.file.Write(s.mem); err != nil {
		return fmt.Errorf("spool the result: %w", err)
	}
	s.onDisk += int64(len(s.mem))
	s.mem = s.mem[:0]
	return nil
}

// writeTo writes the collected bytes to w.
func (s *sink) writeTo(w io.Writer) (int64, error) {
	var n int64
	if s.file != nil {
		if _, err := s.file.Seek(0, io.SeekStart); err != nil {
			return 0, err
		}
		m, err := io.Copy(w, io.LimitReader(s.file, s.onDisk))
		n += m
		if err != nil {
			return n, err
		}
	}
	m, err := w.Write(s.mem)
	return n + int64(m), err
}

// close releases the temporary file.
func (s *sink) close() {
	if s == nil || s.file == nil {
		return
	}
	_ = s.file.Close()
	if s.unlink != "" {
		_ = os.Remove(s.unlink)
	}
	s.file = nil
}

// Len is the response's size in bytes.
func (r *Response) Len() int64 { return int64(len(r.head)+len(r.tail)) + r.data.size() }

// WriteTo writes the response to w without holding it in memory.
func (r *Response) WriteTo(w io.Writer) (int64, error) {
	n, err := w.Write(r.head)
	total := int64(n)
	if err != nil {
		return total, err
	}
	m, err := r.data.writeTo(w)
	total += m
	if err != nil {
		return total, err
	}
	n, err = w.Write(r.tail)
	return total + int64(n), err
}

// Close releases what the response holds (its temporary file).
func (r *Response) Close() { r.data.close() }

// MarshalJSON returns the encoded response (reading a spooled one back).
func (r *Response) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.Grow(int(r.Len()))
	if _, err := r.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// pgMaxBodyLen bounds the size of one message PostgreSQL sends on conn
// (one row, in a result): a larger row is refused before it is read into
// memory. n = 0 lifts the bound. It reports whether the bound was set.
func pgMaxBodyLen(conn *sql.Conn, n int) bool {
	set := false
	_ = conn.Raw(func(dc any) error {
		if pc, ok := dc.(interface{ Conn() *pgx.Conn }); ok && !pc.Conn().IsClosed() {
			pc.Conn().PgConn().Frontend().SetMaxBodyLen(n)
			set = true
		}
		return nil
	})
	return set
}

// pgForgetPrepared deallocates the connection's prepared statements, on the
// server and in the driver's caches, after an admin request: it may have
// run DEALLOCATE ALL or DISCARD ALL, after which every statement the driver
// still thinks prepared would fail once on this pooled connection. It
// reports false when that failed (the caller drops the connection).
func pgForgetPrepared(ctx context.Context, conn *sql.Conn) bool {
	ok := true
	_ = conn.Raw(func(dc any) error {
		if pc, isPgx := dc.(interface{ Conn() *pgx.Conn }); isPgx && !pc.Conn().IsClosed() {
			ok = pc.Conn().DeallocateAll(ctx) == nil
		}
		return nil
	})
	return ok
}
