package record

import (
	"context"
	"database/sql/driver"
	"errors"
	"net"
	"regexp"
	"strings"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// Messages for constraint violations.
const MsgDuplicate = "record with the same value already exists"

var (
	pgKeyDetail   = regexp.MustCompile(`^Key \((?:"?)([^)"]+)(?:"?)\)=`)
	myColumnQuote = regexp.MustCompile("(?:column|Column) [`']?(?:[^`']*[`'][.][`'])*([^`'.]+)[`']")
	myDupKey      = regexp.MustCompile(`for key '(?:[^'.]*\.)?([^']+)'`)
	sqliteColumn  = regexp.MustCompile(`constraint failed: (?:[^.\s]+\.)?(\S+)`)
)

// Classify turns a database error from a write into the API error the
// client gets: 400 naming the field where the database names one, 400 with
// the database's message for other constraint errors, 503 when the database
// cannot be reached. Errors that are already *apierr.Error pass through.
func Classify(err error, m *schema.Model) error {
	if err == nil {
		return nil
	}
	if ae, ok := apierr.As(err); ok {
		return ae
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &apierr.Error{Status: 503, Body: map[string]string{"detail": "the database did not answer in time"}, Cause: err}
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return classifyPG(pgErr, m)
	}
	var myErr *gomysql.MySQLError
	if errors.As(err, &myErr) {
		return classifyMySQL(myErr, m)
	}
	msg := err.Error()
	if strings.Contains(msg, "constraint failed") || strings.Contains(msg, "SQL logic error") || strings.Contains(msg, "datatype mismatch") {
		return classifySQLite(msg, m)
	}
	if isConnErr(err) {
		return &apierr.Error{Status: 503, Body: map[string]string{"detail": "the database is unreachable: " + msg}, Cause: err}
	}
	return &apierr.Error{Status: 400, Body: map[string][]string{"non_field_errors": {msg}}, Cause: err}
}

func isConnErr(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, driver.ErrBadConn) {
		return true
	}
	var ce *pgconn.ConnectError
	return errors.As(err, &ce) || pgconn.SafeToRetry(err) || strings.Contains(err.Error(), "conn closed") || strings.Contains(err.Error(), "invalid connection")
}

func field(m *schema.Model, name, msg string, cause error) error {
	if m != nil && m.Column(name) != nil {
		e := apierr.InvalidField(name, msg)
		e.Cause = cause
		return e
	}
	return &apierr.Error{Status: 400, Body: map[string][]string{"non_field_errors": {msg}}, Cause: cause}
}

func classifyPG(e *pgconn.PgError, m *schema.Model) error {
	switch e.Code {
	case "23505": // unique_violation
		if sm := pgKeyDetail.FindStringSubmatch(e.Detail); sm != nil && !strings.Contains(sm[1], ",") {
			return field(m, strings.TrimSpace(sm[1]), MsgDuplicate, e)
		}
	case "23502": // not_null_violation
		if e.ColumnName != "" {
			return field(m, e.ColumnName, MsgRequired, e)
		}
	case "23503": // foreign_key_violation
		if e.Detail != "" && strings.Contains(e.Message, "insert or update") {
			if sm := pgKeyDetail.FindStringSubmatch(e.Detail); sm != nil {
				return field(m, strings.TrimSpace(sm[1]), e.Detail, e)
			}
		}
		msg := e.Message
		if e.Detail != "" {
			msg += ": " + e.Detail
		}
		return &apierr.Error{Status: 400, Body: map[string][]string{"non_field_errors": {msg}}, Cause: e}
	}
	if strings.HasPrefix(e.Code, "08") || strings.HasPrefix(e.Code, "57P") {
		return &apierr.Error{Status: 503, Body: map[string]string{"detail": "the database is unavailable: " + e.Message}, Cause: e}
	}
	if e.ColumnName != "" {
		return field(m, e.ColumnName, e.Message, e)
	}
	return &apierr.Error{Status: 400, Body: map[string][]string{"non_field_errors": {e.Message}}, Cause: e}
}

func classifyMySQL(e *gomysql.MySQLError, m *schema.Model) error {
	switch e.Number {
	case 1062: // duplicate entry
		if sm := myDupKey.FindStringSubmatch(e.Message); sm != nil {
			key := sm[1]
			if key == "PRIMARY" && m != nil && m.PK() != nil {
				key = m.PK().Name
			}
			return field(m, key, MsgDuplicate, e)
		}
	case 1048, 1364: // cannot be null / no default value
		if sm := myColumnQuote.FindStringSubmatch(e.Message); sm != nil {
			return field(m, sm[1], MsgRequired, e)
		}
	case 1406, 1264, 1265, 1366, 1292: // too long, out of range, truncated, incorrect value
		if sm := myColumnQuote.FindStringSubmatch(e.Message); sm != nil {
			return field(m, sm[1], e.Message, e)
		}
	case 2006, 2013, 1053, 1077, 1927:
		return &apierr.Error{Status: 503, Body: map[string]string{"detail": "the database is unavailable: " + e.Message}, Cause: e}
	}
	return &apierr.Error{Status: 400, Body: map[string][]string{"non_field_errors": {e.Message}}, Cause: e}
}

func classifySQLite(msg string, m *schema.Model) error {
	clean := msg
	if i := strings.LastIndex(clean, "constraint failed"); i >= 0 {
		// "UNIQUE constraint failed: t.c (2067)" -> keep from the kind on
		// back over the constraint kind: "UNIQUE", "NOT NULL", "FOREIGN KEY"
		words := strings.Fields(clean[:i])
		k := len(words)
		for k > 0 && words[k-1] == strings.ToUpper(words[k-1]) && strings.Trim(words[k-1], "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == "" {
			k--
		}
		clean = strings.TrimSpace(strings.Join(words[k:], " ") + " " + clean[i:])
	}
	if k := strings.LastIndex(clean, " ("); k > 0 && strings.HasSuffix(clean, ")") {
		clean = clean[:k]
	}
	if sm := sqliteColumn.FindStringSubmatch(clean); sm != nil {
		col := strings.TrimSuffix(sm[1], ",")
		switch {
		case strings.HasPrefix(clean, "UNIQUE"):
			return field(m, col, MsgDuplicate, errors.New(msg))
		case strings.HasPrefix(clean, "NOT NULL"):
			return field(m, col, MsgRequired, errors.New(msg))
		}
	}
	return &apierr.Error{Status: 400, Body: map[string][]string{"non_field_errors": {clean}}, Cause: errors.New(msg)}
}
