// The baseline server's statements and its row encoder from PostgreSQL's
// wire values.

package main

import (
	"encoding/binary"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jetbridge/jetbridge/internal/jsonw"
)

// stmt is one statement with its row encoder, built from the first result.
type stmt struct {
	sql string
	n   int // placeholders
	enc atomic.Pointer[rowEncoder]
}

var rePlaceholder = regexp.MustCompile(`\$([0-9]+)`)

func newStmt(sql string) *stmt {
	n := 0
	for _, m := range rePlaceholder.FindAllStringSubmatch(sql, -1) {
		if v, _ := strconv.Atoi(m[1]); v > n {
			n = v
		}
	}
	return &stmt{sql: sql, n: n}
}

// formats asks PostgreSQL for text values except timestamptz (binary, so
// the zone handling matches pgx's time.Time in the bridge).
var formats = pgx.QueryResultFormatsByOID{pgtype.TimestamptzOID: pgx.BinaryFormatCode}

func (s *stmt) encoder(fds []pgconn.FieldDescription) *rowEncoder {
	if e := s.enc.Load(); e != nil {
		return e
	}
	e := newRowEncoder(fds)
	s.enc.Store(e)
	return e
}

// Row encoding from PostgreSQL's wire values.

type valueKind uint8

const (
	kindText valueKind = iota
	kindNumber
	kindQuoted // numeric, date: the text, as a JSON string
	kindBool
	kindJSON
	kindTimestamptz
)

func kindOf(oid uint32) valueKind {
	switch oid {
	case pgtype.Int2OID, pgtype.Int4OID, pgtype.Int8OID, pgtype.OIDOID:
		return kindNumber
	case pgtype.NumericOID, pgtype.DateOID:
		return kindQuoted
	case pgtype.BoolOID:
		return kindBool
	case pgtype.JSONOID, pgtype.JSONBOID:
		return kindJSON
	case pgtype.TimestamptzOID:
		return kindTimestamptz
	}
	return kindText
}

type rowEncoder struct {
	keys  [][]byte
	kinds []valueKind
}

func newRowEncoder(fds []pgconn.FieldDescription) *rowEncoder {
	e := &rowEncoder{keys: make([][]byte, len(fds)), kinds: make([]valueKind, len(fds))}
	for i, fd := range fds {
		k := []byte{','}
		if i == 0 {
			k[0] = '{'
		}
		k = appendJSONString(k, fd.Name)
		e.keys[i] = append(k, ':')
		e.kinds[i] = kindOf(fd.DataTypeOID)
	}
	return e
}

func (e *rowEncoder) appendRow(b []byte, vals [][]byte) []byte {
	for i, v := range vals {
		b = append(b, e.keys[i]...)
		b = appendValue(b, e.kinds[i], v)
	}
	return append(b, '}')
}

// pgEpochMicros is 2000-01-01 in Unix microseconds.
const pgEpochMicros = 946684800 * 1_000_000

func appendValue(b []byte, k valueKind, v []byte) []byte {
	if v == nil {
		return append(b, "null"...)
	}
	switch k {
	case kindNumber:
		return append(b, v...)
	case kindQuoted:
		b = append(b, '"')
		b = append(b, v...)
		return append(b, '"')
	case kindBool:
		if len(v) > 0 && v[0] == 't' {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case kindJSON:
		return append(b, strings.TrimSpace(string(v))...)
	case kindTimestamptz:
		if len(v) != 8 {
			return append(b, "null"...)
		}
		t := time.UnixMicro(int64(binary.BigEndian.Uint64(v)) + pgEpochMicros)
		b = append(b, '"')
		if t.Nanosecond() != 0 {
			b = t.AppendFormat(b, "2006-01-02T15:04:05.000000-07:00")
		} else {
			b = t.AppendFormat(b, "2006-01-02T15:04:05-07:00")
		}
		return append(b, '"')
	}
	return appendJSONString(b, string(v))
}

// appendJSONString writes s as a JSON string. The baseline shares the
// bridge's string writer so that the two are compared on the same JSON.
func appendJSONString(b []byte, s string) []byte { return jsonw.AppendString(b, s) }
