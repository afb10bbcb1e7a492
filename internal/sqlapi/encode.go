package sqlapi

import (
	"github.com/jetbridge/jetbridge/internal/jsonw"

	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jetbridge/jetbridge/internal/dialect"
	"github.com/jetbridge/jetbridge/internal/values"
)

// encKind is how the values of one result column are written (§10.3, §2).
type encKind uint8

const (
	encAny        encKind = iota // by the Go type the driver returns
	encJSON                      // raw JSON text (PG json/jsonb, MySQL JSON)
	encNumText                   // exact decimal text written as a JSON number (NUMERIC, DECIMAL)
	encFloat32                   // single precision: shortest text for 32 bits
	encDate                      // YYYY-MM-DD
	encAware                     // PG timestamptz: shown in the session's zone
	encSessionTS                 // MySQL TIMESTAMP: naive text in the session's zone
	encInterval                  // PG interval: total seconds as a string, like Python's timedelta
	encPGArray                   // PG array text {..} -> JSON array
	encGroupDate                 // a date-truncated group label: a datetime, whatever the engine returned
	encSQLiteText                // a SQLite date-time: its stored text, as upstream answers
	encGroupDay                  // a day-or-coarser group label on MySQL/SQLite: "YYYY-MM-DD"
	encPGBytes                   // PG bytea: one string per byte, as upstream answers
)

// column is one result column and how to write its values.
type column struct {
	name     string
	nullName bool // PostgreSQL's anonymous ?column?
	dbType   string
	enc      encKind
	elem     arrayElem // encPGArray: element encoding
}

// zones are the time zones values are written in.
type zones struct {
	naive   *time.Location // attached to naive datetimes; nil leaves them without an offset
	session *time.Location // the session's zone (PG timestamptz, MySQL TIMESTAMP)
}

// encOf is the encoding of each dialect.ResultKind.
var encOf = [...]encKind{
	dialect.ResultAny:         encAny,
	dialect.ResultJSON:        encJSON,
	dialect.ResultNumText:     encNumText,
	dialect.ResultFloat32:     encFloat32,
	dialect.ResultDate:        encDate,
	dialect.ResultInstant:     encAware,
	dialect.ResultSessionTime: encSessionTS,
	dialect.ResultInterval:    encInterval,
	dialect.ResultArray:       encPGArray,
	dialect.ResultStoredText:  encSQLiteText,
	dialect.ResultByteList:    encPGBytes,
}

// classify picks the encoding of a result column from the driver's type
// name, as the dialect reads it.
func classify(d dialect.Dialect, dbType string) (encKind, arrayElem) {
	k, elem := d.ResultKind(dbType)
	if int(k) >= len(encOf) {
		return encAny, 0
	}
	if k == dialect.ResultArray {
		return encPGArray, arrayElemOf(elem)
	}
	return encOf[k], 0
}

// appendValue writes one value of column c as JSON.
func appendValue(b []byte, c *column, v any, z *zones) []byte {
	if v == nil {
		return append(b, "null"...)
	}
	switch c.enc {
	case encJSON:
		if t, ok := textOf(v); ok && json.Valid(t) {
			return append(b, trimSpaceBytes(t)...)
		}
	case encNumText:
		if t, ok := textOf(v); ok {
			return appendNumberText(b, t)
		}
	case encFloat32:
		if f, ok := v.(float64); ok {
			return jsonw.AppendFloat(b, f, 32)
		}
	case encDate:
		if t, ok := v.(time.Time); ok {
			b = append(b, '"')
			b = values.AppendDate(b, t)
			return append(b, '"')
		}
	case encPGBytes:
		if x, ok := v.([]byte); ok {
			return appendByteList(b, x)
		}
	case encGroupDay:
		if t, ok := v.(time.Time); ok {
			b = append(b, '"')
			b = values.AppendDate(b, t)
			return append(b, '"')
		}
		if t, ok := textOf(v); ok && len(t) >= len(time.DateOnly) {
			if _, ok := values.ParseDate(string(t[:len(time.DateOnly)])); ok {
				return jsonw.AppendString(b, string(t[:len(time.DateOnly)])) // "YYYY-MM-DD[ HH:MM:SS]" text
			}
		}
	case encAware:
		if t, ok := v.(time.Time); ok {
			return appendDateTime(b, t.In(z.session))
		}
	case encSessionTS:
		if t, ok := v.(time.Time); ok {
			return appendNaive(b, t, z.session)
		}
	case encInterval:
		if s, ok := v.(string); ok {
			if secs, ok := intervalSeconds(s); ok {
				return jsonw.AppendString(b, pyFloat(secs))
			}
		}
	case encPGArray:
		if s, ok := v.(string); ok {
			if out, ok := appendPGArray(b, s, c.elem); ok {
				return out
			}
		}
	case encSQLiteText:
		if t, ok := v.(time.Time); ok { // the driver parsed "YYYY-MM-DD HH:MM:SS[.ffffff]"
			b = append(b, '"')
			b = values.AppendDateTime(b, t, values.WallText)
			return append(b, '"')
		}
	case encGroupDate:
		switch x := v.(type) {
		case time.Time:
			return appendNaiveOrAware(b, x, z)
		case string:
			if out, ok := appendDateText(b, x, z); ok {
				return out
			}
		case []byte:
			if out, ok := appendDateText(b, string(x), z); ok {
				return out
			}
		}
	}
	return appendAny(b, v, z)
}

// appendAny writes a driver value by its Go type.
func appendAny(b []byte, v any, z *zones) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case uint64:
		return strconv.AppendUint(b, x, 10)
	case int32:
		return strconv.AppendInt(b, int64(x), 10)
	case float64:
		return jsonw.AppendFloat(b, x, 64)
	case float32:
		return jsonw.AppendFloat(b, float64(x), 32)
	case bool:
		return strconv.AppendBool(b, x)
	case string:
		return jsonw.AppendString(b, x)
	case []byte:
		return appendBytes(b, x)
	case time.Time:
		return appendNaiveOrAware(b, x, z)
	default:
		return jsonw.AppendString(b, compactJSON(x))
	}
}

// appendDateText writes a date or datetime that an engine returned as text
// (MySQL DATE_FORMAT, SQLite strftime) the way PostgreSQL's typed values
// come out: a date stays "YYYY-MM-DD", a datetime becomes ISO 8601.
func appendDateText(b []byte, s string, z *zones) ([]byte, bool) {
	t, aware, ok := parseDateTimeText(s)
	switch {
	case !ok:
		return b, false
	case len(strings.TrimSpace(s)) == len(time.DateOnly):
		b = append(b, '"')
		b = values.AppendDate(b, t)
		return append(b, '"'), true
	case aware:
		return appendDateTime(b, t), true
	}
	return appendNaive(b, t, z.naive), true
}

// appendNaiveOrAware writes a datetime from a driver that does not say
// whether it had an offset: UTC values are taken as naive (MySQL DATETIME and
// SQLite text parse to UTC), others as aware.
func appendNaiveOrAware(b []byte, t time.Time, z *zones) []byte {
	if t.Location() == time.UTC {
		return appendNaive(b, t, z.naive)
	}
	return appendDateTime(b, t)
}

// appendNaive writes a naive datetime: its wall clock in loc (the default
// timezone, §14.5), or without an offset when there is none.
func appendNaive(b []byte, t time.Time, loc *time.Location) []byte {
	if t.IsZero() {
		return append(b, "null"...) // MySQL's 0000-00-00 00:00:00
	}
	if loc == nil {
		b = append(b, '"')
		b = values.AppendDateTime(b, t, values.ISONaive)
		return append(b, '"')
	}
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	return appendDateTime(b, time.Date(y, mo, d, h, mi, s, t.Nanosecond(), loc))
}

// appendDateTime writes an aware datetime as ISO 8601 with microseconds when
// non-zero and the offset, "Z" for +00:00 (§2; values.ISOZulu, where
// /api/models/ rows write "+00:00").
func appendDateTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = values.AppendDateTime(b, t, values.ISOZulu)
	return append(b, '"')
}

// appendNumberText writes decimal text (NUMERIC/DECIMAL) as a JSON number
// the way upstream does (float(Decimal): a double, which is also all the
// frontend's JSON.parse keeps); NaN and infinities become null.
func appendNumberText(b []byte, t []byte) []byte {
	if isJSONNumber(t) {
		if f, err := strconv.ParseFloat(string(t), 64); err == nil {
			return jsonw.AppendFloat(b, f, 64)
		}
		return append(b, t...)
	}
	if len(t) > 0 && t[0] == '+' && isJSONNumber(t[1:]) {
		return append(b, t[1:]...)
	}
	switch strings.ToLower(string(t)) {
	case "nan", "infinity", "-infinity", "inf", "-inf":
		return append(b, "null"...)
	}
	return appendBytes(b, t)
}

// isJSONNumber checks the JSON number grammar.
func isJSONNumber(t []byte) bool {
	i := 0
	if i < len(t) && t[i] == '-' {
		i++
	}
	if i >= len(t) {
		return false
	}
	if t[i] == '0' {
		i++
	} else if t[i] >= '1' && t[i] <= '9' {
		for i < len(t) && t[i] >= '0' && t[i] <= '9' {
			i++
		}
	} else {
		return false
	}
	if i < len(t) && t[i] == '.' {
		i++
		start := i
		for i < len(t) && t[i] >= '0' && t[i] <= '9' {
			i++
		}
		if i == start {
			return false
		}
	}
	if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
		i++
		if i < len(t) && (t[i] == '+' || t[i] == '-') {
			i++
		}
		start := i
		for i < len(t) && t[i] >= '0' && t[i] <= '9' {
			i++
		}
		if i == start {
			return false
		}
	}
	return i == len(t)
}

// appendBytes writes bytes as UTF-8 text, or lowercase hex when they are
// not valid UTF-8 (§10.3).
// appendByteList writes PostgreSQL bytea the way upstream does (its driver
// hands it a memoryview of one-byte items, each written as a string):
// ["A","B"]. Upstream fails on a byte that is not ASCII; that value is
// written as hex text instead.
func appendByteList(b []byte, x []byte) []byte {
	for _, c := range x {
		if c >= utf8.RuneSelf {
			b = append(b, '"')
			b = hex.AppendEncode(b, x)
			return append(b, '"')
		}
	}
	b = append(b, '[')
	for i, c := range x {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonw.AppendString(b, string(rune(c)))
	}
	return append(b, ']')
}

func appendBytes(b []byte, x []byte) []byte {
	if utf8.Valid(x) {
		return jsonw.AppendString(b, string(x))
	}
	b = append(b, '"')
	b = hex.AppendEncode(b, x)
	return append(b, '"')
}

func textOf(v any) ([]byte, bool) {
	switch x := v.(type) {
	case []byte:
		return x, true
	case string:
		return []byte(x), true
	}
	return nil, false
}

func trimSpaceBytes(t []byte) []byte {
	for len(t) > 0 && (t[0] == ' ' || t[0] == '\n' || t[0] == '\t' || t[0] == '\r') {
		t = t[1:]
	}
	for len(t) > 0 && (t[len(t)-1] == ' ' || t[len(t)-1] == '\n' || t[len(t)-1] == '\t' || t[len(t)-1] == '\r') {
		t = t[:len(t)-1]
	}
	return t
}

// pyFloat formats like Python's repr of a float ("3600.0", "1.5").
func pyFloat(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return s
}

// intervalSeconds reads PostgreSQL's default interval output ("1 year 2 mons
// 3 days 04:05:06.5", "-1 days +02:00:00") as total seconds, counting a month
// as 30 days and a year as 365 days, as Python's driver does.
func intervalSeconds(s string) (float64, bool) {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return 0, false
	}
	var total float64
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		if strings.Contains(f, ":") {
			sign := 1.0
			if f[0] == '-' {
				sign, f = -1, f[1:]
			} else if f[0] == '+' {
				f = f[1:]
			}
			parts := strings.Split(f, ":")
			if len(parts) != 3 {
				return 0, false
			}
			h, err1 := strconv.ParseFloat(parts[0], 64)
			m, err2 := strconv.ParseFloat(parts[1], 64)
			sec, err3 := strconv.ParseFloat(parts[2], 64)
			if err1 != nil || err2 != nil || err3 != nil {
				return 0, false
			}
			total += sign * (h*3600 + m*60 + sec)
			continue
		}
		if i+1 >= len(fields) {
			return 0, false
		}
		n, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return 0, false
		}
		unit := fields[i+1]
		i++
		switch strings.TrimSuffix(unit, "s") {
		case "year":
			total += n * 365 * 86400
		case "mon":
			total += n * 30 * 86400
		case "day":
			total += n * 86400
		default:
			return 0, false
		}
	}
	return total, true
}

// parseDateTimeText reads a datetime or date as databases print them
// (values.SQLText: "2024-05-01 10:00:00", "2024-05-01T10:00:00.5+03:00",
// "2024-05-01", "2024-05").
func parseDateTimeText(s string) (time.Time, bool, bool) {
	return values.ParseDateTimeForm(s, values.SQLText, time.UTC)
}
