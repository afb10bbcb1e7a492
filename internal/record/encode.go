// Package record reads table rows as the spec's JSON (§9.2) and turns JSON
// request bodies into values bound to INSERT and UPDATE statements (§9.3).
package record

import (
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/jetbridge/jetbridge/internal/schema"
	"github.com/jetbridge/jetbridge/internal/values"
)

// Encoder writes rows of one model as JSON objects, keys in column order.
type Encoder struct {
	cols []*schema.Column
	keys [][]byte // `"name":` per column, with the leading comma for all but the first
	// scales of DECIMAL(p,s) columns (-1: unknown), for engines that hand
	// decimals back as floats (SQLite).
	scales []int
	// Loc is attached to naive datetimes (the connection's default timezone).
	Loc *time.Location
	// head and tail are written around each row object (see Wrapped).
	head []byte
	tail string
}

// Wrapped returns a copy of e that writes head before and tail after each
// row object: GraphQL's `{"allAttrs":` and `}` around a row.
func (e *Encoder) Wrapped(head []byte, tail string) *Encoder {
	w := *e
	w.head, w.tail = head, tail
	return &w
}

// NewEncoder prepares an encoder for the model's columns. It is cheap
// (three allocations): handlers make one per request.
func NewEncoder(cols []*schema.Column, loc *time.Location) *Encoder {
	if loc == nil {
		loc = time.UTC
	}
	size := 0
	for _, c := range cols {
		size += len(c.Name) + 4
	}
	e := &Encoder{cols: cols, keys: make([][]byte, len(cols)), scales: make([]int, len(cols)), Loc: loc}
	// every key in one buffer, sliced once it is complete
	buf := make([]byte, 0, size)
	ends := e.scales // borrowed to hold the key ends until the keys are sliced
	for i, c := range cols {
		if i == 0 {
			buf = append(buf, '{')
		} else {
			buf = append(buf, ',')
		}
		buf = AppendString(buf, c.Name)
		buf = append(buf, ':')
		ends[i] = len(buf)
	}
	start := 0
	for i := range cols {
		e.keys[i] = buf[start:ends[i]:ends[i]]
		start = ends[i]
	}
	for i, c := range cols {
		e.scales[i] = DecimalScale(c)
	}
	return e
}

// Scanner holds the scan destinations for one row; reuse it across rows.
type Scanner struct {
	vals []any
	ptrs []any
}

// NewScanner makes scan destinations for n columns.
func NewScanner(n int) *Scanner {
	s := &Scanner{vals: make([]any, n), ptrs: make([]any, n)}
	for i := range s.vals {
		s.ptrs[i] = &s.vals[i]
	}
	return s
}

// Scan reads the current row.
func (s *Scanner) Scan(rows *sql.Rows) error { return rows.Scan(s.ptrs...) }

// Values returns the scanned values of the current row (valid until the next Scan).
func (s *Scanner) Values() []any { return s.vals }

// AppendRow appends one row (values in column order) as a JSON object.
func (e *Encoder) AppendRow(b []byte, vals []any) []byte {
	b = append(b, e.head...)
	if len(e.cols) == 0 {
		return append(append(b, '{', '}'), e.tail...)
	}
	for i := range e.cols {
		b = append(b, e.keys[i]...)
		b = e.appendCol(b, i, vals[i])
	}
	return append(append(b, '}'), e.tail...)
}

// appendCol appends the value of column i.
func (e *Encoder) appendCol(b []byte, i int, v any) []byte {
	c := e.cols[i]
	if c.Kind == schema.KindDecimal && e.scales[i] >= 0 {
		if f, ok := asFloat(v); ok {
			return AppendString(b, strconv.FormatFloat(f, 'f', e.scales[i], 64))
		}
	}
	return AppendValue(b, c, v, e.Loc)
}

// AppendValue appends one column value as JSON per §9.2.
func AppendValue(b []byte, c *schema.Column, v any, loc *time.Location) []byte {
	if v == nil {
		return append(b, "null"...)
	}
	switch c.Kind {
	case schema.KindInteger:
		switch x := v.(type) {
		case int64:
			return strconv.AppendInt(b, x, 10)
		case uint64:
			return strconv.AppendUint(b, x, 10)
		case []byte:
			if isInteger(x) {
				return append(b, x...)
			}
		case string:
			if isInteger([]byte(x)) {
				return append(b, x...)
			}
		case bool:
			if x {
				return append(b, '1')
			}
			return append(b, '0')
		case float64:
			return AppendFloat(b, x, 64)
		}
	case schema.KindFloat:
		switch x := v.(type) {
		case float64:
			return AppendFloat(b, x, 64)
		case float32:
			return AppendFloat(b, float64(x), 32)
		case int64:
			return strconv.AppendInt(b, x, 10)
		case []byte:
			if f, err := strconv.ParseFloat(string(x), 64); err == nil {
				return AppendFloat(b, f, 64)
			}
		case string:
			if f, err := strconv.ParseFloat(x, 64); err == nil {
				return AppendFloat(b, f, 64)
			}
		}
	case schema.KindDecimal:
		switch x := v.(type) {
		case float64:
			return AppendString(b, strconv.FormatFloat(x, 'f', -1, 64))
		case int64:
			return AppendString(b, strconv.FormatInt(x, 10))
		}
	case schema.KindBoolean:
		switch x := v.(type) {
		case bool:
			return strconv.AppendBool(b, x)
		case int64:
			return strconv.AppendBool(b, x != 0)
		case []byte:
			return strconv.AppendBool(b, truthyText(string(x)))
		case string:
			return strconv.AppendBool(b, truthyText(x))
		}
	case schema.KindDateTime:
		if t, ok := v.(time.Time); ok {
			return appendDateTime(b, t, c.HasTimezone, loc)
		}
		if s, ok := text(v); ok {
			if t, err := ParseDateTime(s); err == nil {
				return appendDateTime(b, t.Time, t.HasOffset, loc)
			}
		}
	case schema.KindDate:
		if t, ok := v.(time.Time); ok {
			b = append(b, '"')
			b = values.AppendDate(b, t)
			return append(b, '"')
		}
	case schema.KindJSON:
		if s, ok := text(v); ok {
			if json.Valid([]byte(s)) {
				return append(b, strings.TrimSpace(s)...)
			}
		}
	case schema.KindArray:
		if s, ok := text(v); ok {
			if out, err := appendPGArray(b, s); err == nil {
				return out
			}
		}
	case schema.KindBinary:
		if x, ok := v.([]byte); ok {
			b = append(b, '"')
			b = hex.AppendEncode(b, x)
			return append(b, '"')
		}
	}
	return appendText(b, v, loc)
}

// appendText is the fallback "str(value)" converter.
func appendText(b []byte, v any, loc *time.Location) []byte {
	switch x := v.(type) {
	case string:
		return AppendString(b, x)
	case []byte:
		return AppendString(b, string(x))
	case int64:
		return AppendString(b, strconv.FormatInt(x, 10))
	case float64:
		return AppendString(b, strconv.FormatFloat(x, 'f', -1, 64))
	case float32:
		return AppendString(b, strconv.FormatFloat(float64(x), 'f', -1, 32))
	case bool:
		return AppendString(b, strconv.FormatBool(x))
	case time.Time:
		return appendDateTime(b, x, true, loc)
	case *big.Int:
		return AppendString(b, x.String())
	default:
		return AppendString(b, fmt.Sprint(x))
	}
}

func text(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case []byte:
		return string(x), true
	}
	return "", false
}

func isInteger(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	i := 0
	if b[0] == '-' {
		i = 1
	}
	if i == len(b) {
		return false
	}
	for ; i < len(b); i++ {
		if b[i] < '0' || b[i] > '9' {
			return false
		}
	}
	return true
}

func truthyText(s string) bool { return values.Truthy(s) }

// appendDateTime writes an ISO 8601 datetime like Python's isoformat()
// (values.ISOOffset): microseconds only when non-zero, offset as +HH:MM.
// Values from columns without a time zone are wall-clock times in loc; in
// NaiveZone (SQLite) the wall time is written without an offset.
func appendDateTime(b []byte, t time.Time, aware bool, loc *time.Location) []byte {
	b = append(b, '"')
	if loc == NaiveZone {
		b = values.AppendDateTime(b, t, values.ISONaive)
		return append(b, '"')
	}
	if loc == nil {
		loc = time.UTC
	}
	if !aware {
		y, mo, d := t.Date()
		h, mi, s := t.Clock()
		t = time.Date(y, mo, d, h, mi, s, t.Nanosecond(), loc)
	}
	b = values.AppendDateTime(b, t, values.ISOOffset)
	return append(b, '"')
}

// AppendISO appends t as YYYY-MM-DDTHH:MM:SS[.ffffff]+HH:MM
// (values.ISOOffset, the layout "2006-01-02T15:04:05[.000000]-07:00").
func AppendISO(b []byte, t time.Time) []byte { return values.AppendDateTime(b, t, values.ISOOffset) }

// DecimalScale is the scale decimal values of the column are written with:
// the declared one, or upstream's default of 10 for a bare NUMERIC or
// DECIMAL (only SQLite hands such values over as numbers, REAL/INTEGER
// storage, and upstream writes them with 10 decimals, "1.5000000000"; the
// other engines hand decimals over as text, written as it comes), or -1.
func DecimalScale(c *schema.Column) int {
	if u := strings.ToUpper(strings.TrimSpace(c.InternalType)); u == "NUMERIC" || u == "DECIMAL" {
		return 10
	}
	return c.DeclaredScale()
}

func asFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	}
	return 0, false
}

// AppendColumn appends the value of the encoder's column i (as AppendRow
// writes it, without the key).
func (e *Encoder) AppendColumn(b []byte, i int, v any) []byte { return e.appendCol(b, i, v) }
