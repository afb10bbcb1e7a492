package query

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/jetbridge/jetbridge/internal/schema"
	"github.com/jetbridge/jetbridge/internal/values"
)

// encodeValue turns a value read for column c (a group label, a min/max) into
// its JSON value with the encoder rules of §2: datetimes ISO 8601 ("Z" for
// UTC, no offset for columns without a time zone), dates YYYY-MM-DD, numbers
// (decimals included) as numbers, binary as hex, JSON raw.
func (q *Query) encodeValue(c *schema.Column, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if q.opts.Encode != nil {
		return q.opts.Encode(c, v)
	}
	switch c.Kind {
	case schema.KindDateTime:
		t, ok := toTime(v)
		if !ok {
			return textOfValue(v), nil
		}
		if q.aware(c) {
			return formatISO(t.In(q.Location), true), nil
		}
		return formatISO(t, false), nil
	case schema.KindDate:
		if t, ok := toTime(v); ok {
			return string(values.AppendDate(nil, t)), nil
		}
		return textOfValue(v), nil
	case schema.KindInteger:
		if n, ok := toInt64(v); ok {
			return n, nil
		}
		return numberOrText(v), nil
	case schema.KindFloat, schema.KindDecimal:
		return numberOrText(v), nil
	case schema.KindBoolean:
		switch x := v.(type) {
		case bool:
			return x, nil
		default:
			if n, ok := toInt64(v); ok {
				return n != 0, nil
			}
		}
	case schema.KindJSON:
		s := textOfValue(v)
		if json.Valid([]byte(s)) {
			return json.RawMessage(s), nil
		}
		return s, nil
	case schema.KindBinary:
		if b, ok := v.([]byte); ok {
			return hex.EncodeToString(b), nil
		}
	case schema.KindTime:
		if t, ok := v.(time.Time); ok {
			return string(values.AppendClock(nil, t)), nil
		}
		if s, ok := parseTimeOfDay(textOfValue(v)); ok { // "HH:MM:SS[.ffffff]" as §2
			return s, nil
		}
	case schema.KindUUID:
		if b, ok := v.([16]byte); ok {
			u, _ := parseUUID(hex.EncodeToString(b[:]))
			return u, nil
		}
	}
	switch x := v.(type) {
	case []byte:
		return string(x), nil
	case float64:
		return finite(x), nil
	}
	return v, nil
}

// formatISO writes t like Python's isoformat(): microseconds only when not
// zero (values.ISONaive); with aware, the offset ("Z" for UTC). The offset
// is values.FormatOffset's, which keeps the sign of an offset under a
// minute west (Africa/Accra before 1918: "-00:00") where time.Format's
// "-07:00" (values.ISOZulu, /api/sql/) writes "+00:00".
func formatISO(t time.Time, aware bool) string {
	b := values.AppendDateTime(make([]byte, 0, 32), t, values.ISONaive)
	if !aware {
		return string(b)
	}
	if _, off := t.Zone(); off != 0 {
		return string(append(b, formatOffset(off)...))
	}
	return string(append(b, 'Z'))
}

// toTime reads a time.Time or the "YYYY-MM-DD[ HH:MM:SS[.ffffff]]" text that
// MySQL and SQLite truncations return.
func toTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x, true
	case string:
		t, _, ok := parseDateTime(x, time.UTC)
		return t, ok
	case []byte:
		t, _, ok := parseDateTime(string(x), time.UTC)
		return t, ok
	}
	return time.Time{}, false
}

func textOfValue(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return fmt.Sprint(v)
}

// toFloat reads numbers the drivers return as int64, float64 or decimal text.
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int64:
		return float64(x), true
	case uint64:
		return float64(x), true
	case int32:
		return float64(x), true
	case string:
		f, err := strconv.ParseFloat(x, 64)
		return f, err == nil
	case []byte:
		f, err := strconv.ParseFloat(string(x), 64)
		return f, err == nil
	}
	return 0, false
}

// numberOrText is a JSON number (NaN/Inf -> null), or the text when v is not numeric.
func numberOrText(v any) any {
	if f, ok := toFloat(v); ok {
		return finite(f)
	}
	return textOfValue(v)
}

func finite(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return f
}

// decimalText is the exact text of a decimal result: PostgreSQL and MySQL
// return it as text, SQLite as a float or an integer.
func decimalText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int64:
		return strconv.FormatInt(x, 10)
	}
	return fmt.Sprint(v)
}
