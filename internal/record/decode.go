package record

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/dialect"
	"github.com/jetbridge/jetbridge/internal/dialect/dialects"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
	"github.com/jetbridge/jetbridge/internal/schema"
	"github.com/jetbridge/jetbridge/internal/values"
)

// Field error messages (spec §5).
const (
	MsgRequired   = "this field is required"
	MsgNotNull    = "this field may not be null"
	MsgInteger    = "not a valid integer"
	MsgFloat      = "not a valid float"
	MsgBoolean    = "not a valid boolean"
	MsgDate       = "date has wrong format"
	MsgTime       = "time has wrong format"
	MsgJSON       = "not a valid JSON"
	MsgArray      = "not a valid array"
	MsgHex        = "not a valid hex string"
	MsgUUID       = "not a valid UUID"
	MsgEnumChoice = "not a valid choice"
)

// Decoder turns decoded JSON values into values to bind for one engine.
type Decoder struct {
	Engine config.Engine
	// Loc is the connection's default timezone: aware datetimes written to
	// columns without a time zone are converted to it first.
	Loc *time.Location
}

// dialect is the engine's dialect. An unset or unknown Engine decodes as
// before dialects existed (dialects.Fallback).
func (d Decoder) dialect() dialect.Dialect {
	if dl, err := dialects.For(string(d.Engine)); err == nil {
		return dl
	}
	return dialects.Fallback()
}

// Value converts one JSON value (as decoded with UseNumber) for column c.
// It returns the bind value or a field error message.
func (d Decoder) Value(c *schema.Column, v any) (any, string) {
	if v == nil {
		if !c.Nullable && !c.AutoIncrement {
			return nil, MsgNotNull
		}
		return nil, ""
	}
	if list, ok := v.([]any); ok && c.Kind != schema.KindJSON && c.Kind != schema.KindArray {
		// a JSON list for a non-JSON column is joined with ","
		parts := make([]string, len(list))
		for i, it := range list {
			parts[i] = plain(it)
		}
		v = strings.Join(parts, ",")
	}
	switch c.Kind {
	case schema.KindInteger:
		switch x := v.(type) {
		case bool:
			if x {
				return int64(1), ""
			}
			return int64(0), ""
		case json.Number:
			return parseInt(string(x), c)
		case string:
			return parseInt(strings.TrimSpace(x), c)
		}
		return nil, MsgInteger
	case schema.KindFloat:
		s := plain(v)
		switch s {
		case "true":
			return float64(1), ""
		case "false":
			return float64(0), ""
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, MsgFloat
		}
		return f, ""
	case schema.KindDecimal:
		s := strings.TrimSpace(plain(v))
		switch s {
		case "true":
			s = "1"
		case "false":
			s = "0"
		}
		if _, ok := new(bigFloat).SetString(s); !ok {
			return nil, MsgFloat
		}
		return s, ""
	case schema.KindBoolean:
		var b bool
		switch x := v.(type) {
		case bool:
			b = x
		case json.Number:
			b = x.String() != "0"
		case string:
			b = ParseBool(x)
		default:
			b = true
		}
		if d.dialect().Has(feature.NativeBool) {
			return b, ""
		}
		if b {
			return int64(1), ""
		}
		return int64(0), ""
	case schema.KindDate:
		s, ok := v.(string)
		if !ok {
			return nil, MsgDate
		}
		dt, err := parseInput(s)
		if err != nil {
			return nil, MsgDate
		}
		return string(values.AppendDate(nil, dt.Time)), ""
	case schema.KindDateTime:
		s, ok := v.(string)
		if !ok {
			return nil, MsgDate
		}
		dt, err := parseInput(s)
		if err != nil {
			return nil, MsgDate
		}
		return d.datetime(c, dt), ""
	case schema.KindTime:
		s := strings.TrimSpace(plain(v))
		if _, _, _, _, ok := values.ParseClock(s, true); ok {
			return s, ""
		}
		return nil, MsgTime
	case schema.KindJSON:
		if s, ok := v.(string); ok {
			if json.Valid([]byte(s)) || d.dialect().Has(feature.JSONText) {
				// a string is the JSON text; MySQL's JSON CHECK refuses one
				// that is not JSON (as upstream answers)
				return s, ""
			}
		}
		out, err := json.Marshal(v)
		if err != nil {
			return nil, MsgJSON
		}
		return string(out), ""
	case schema.KindArray:
		var items []any
		switch x := v.(type) {
		case []any:
			items = x
		case string:
			if err := decodeJSON([]byte(x), &items); err != nil {
				// PostgreSQL's own literal is accepted as is
				if strings.HasPrefix(strings.TrimSpace(x), "{") {
					return x, ""
				}
				return nil, MsgArray
			}
		default:
			return nil, MsgArray
		}
		lit, err := PGArrayLiteral(numbersToFloat(items))
		if err != nil {
			return nil, MsgArray
		}
		return lit, ""
	case schema.KindBinary:
		s, ok := v.(string)
		if !ok {
			return nil, MsgHex
		}
		b, err := hex.DecodeString(strings.TrimPrefix(strings.TrimPrefix(s, "\\x"), "0x"))
		if err != nil {
			return nil, MsgHex
		}
		return b, ""
	case schema.KindUUID:
		s := strings.TrimSpace(plain(v))
		if !validUUID(s) {
			return nil, MsgUUID
		}
		return s, ""
	case schema.KindEnum:
		s := plain(v)
		if len(c.EnumValues) > 0 {
			found := false
			for _, e := range c.EnumValues {
				if e == s {
					found = true
					break
				}
			}
			if !found {
				return nil, MsgEnumChoice
			}
		}
		return s, ""
	}
	return plain(v), ""
}

// datetime prepares a parsed datetime for binding: aware values into columns
// without a time zone become wall-clock times in the default zone; naive
// values into aware columns are read as UTC... in the default zone.
func (d Decoder) datetime(c *schema.Column, dt DateTime) any {
	loc := d.Loc
	if loc == nil || loc == NaiveZone {
		loc = time.UTC
	}
	t := dt.Time
	dl := d.dialect()
	if dl.Has(feature.TextDateTimes) {
		return string(values.AppendDateTime(nil, t, values.WallText)) // the wall time, any offset dropped
	}
	if dl.Has(feature.SessionZoneTimestamps) && c.HasTimezone {
		// MySQL TIMESTAMP: as upstream (the recording), an offset is dropped
		// and the wall time is read in the session's zone
		dt.HasOffset = false
	}
	if !dt.HasOffset {
		y, mo, dd := t.Date()
		h, mi, s := t.Clock()
		t = time.Date(y, mo, dd, h, mi, s, t.Nanosecond(), loc)
	}
	if !c.HasTimezone {
		t = t.In(loc)
		y, mo, dd := t.Date()
		h, mi, s := t.Clock()
		return time.Date(y, mo, dd, h, mi, s, t.Nanosecond(), time.UTC)
	}
	return t.UTC()
}

// parseInput reads a date or datetime a client wrote the way filters read
// it (values.ParseDateTime); a value without an offset is a wall time in UTC.
func parseInput(s string) (DateTime, error) {
	t, hasOffset, ok := values.ParseDateTime(s, time.UTC)
	if !ok {
		return DateTime{}, errDateFormat
	}
	return DateTime{Time: t, HasOffset: hasOffset}, nil
}

// ParseBool applies the truth table of §9.4: false spellings are false,
// anything else non-empty is true.
func ParseBool(s string) bool { return values.Truth(s) }

func parseInt(s string, c *schema.Column) (any, string) {
	if c.Unsigned {
		if u, err := strconv.ParseUint(s, 10, 64); err == nil {
			if !c.UintFits(u) {
				return nil, outOfRange(c)
			}
			return u, ""
		}
	}
	i, err := strconv.ParseInt(s, 10, 64)
	if err == nil {
		if !c.IntFits(i) {
			return nil, outOfRange(c)
		}
		return i, ""
	}
	if errors.Is(err, strconv.ErrRange) {
		return nil, outOfRange(c)
	}
	// 12.0 is an integer; 12.5 is not
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		if !c.IntFits(int64(f)) {
			return nil, outOfRange(c)
		}
		return int64(f), ""
	}
	return nil, MsgInteger
}

// outOfRange is the message for an integer the column cannot hold (the
// driver would refuse to send it).
func outOfRange(c *schema.Column) string {
	return c.OutOfRange()
}

// plain renders a JSON scalar as text (Python's str()).
func plain(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "true"
		}
		return "false"
	case nil:
		return ""
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

func numbersToFloat(items []any) []any {
	out := make([]any, len(items))
	for i, it := range items {
		switch x := it.(type) {
		case json.Number:
			f, _ := x.Float64()
			out[i] = f
		case []any:
			out[i] = numbersToFloat(x)
		default:
			out[i] = x
		}
	}
	return out
}

func validUUID(s string) bool {
	h := strings.ReplaceAll(strings.Trim(s, "{}"), "-", "")
	if len(h) != 32 {
		return false
	}
	_, err := hex.DecodeString(h)
	return err == nil
}
