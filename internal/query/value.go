package query

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/schema"
	"github.com/jetbridge/jetbridge/internal/values"
)

// Messages of the value parsers (spec §5), sent as {"<column>": ["<msg>"]}.
const (
	msgInteger = "not a valid integer"
	msgFloat   = "not a valid float"
	msgDate    = "date has wrong format"
	msgTime    = "time has wrong format"
	msgUUID    = "not a valid UUID"
	msgHex     = "not a valid hex string"
	msgBool    = "not a valid boolean"
)

func badValue(c *schema.Column, msg string) *apierr.Error { return apierr.InvalidField(c.Name, msg) }

// numberMsg is the message for text that is no number, for column c.
func numberMsg(c *schema.Column) string {
	if c.Kind == schema.KindInteger {
		return msgInteger
	}
	return msgFloat
}

// ErrOutOfRange is the cause of the 400 for an integer outside the range of
// its column (a key outside it addresses no row: 404).
var ErrOutOfRange = errors.New("integer out of the column's range")

// outOfRange is the 400 of an integer the column cannot hold: the driver
// would refuse to send it.
func outOfRange(c *schema.Column) *apierr.Error {
	e := badValue(c, c.OutOfRange())
	e.Cause = ErrOutOfRange
	return e
}

// ParseValue parses the text s for column c and returns the Go value to bind
// for it on any engine, or a 400 *apierr.Error {"<column>": ["<message>"]}:
//
//   - integer: int64 ("true"/"false" give 1/0); float: float64; decimal: the
//     number as a canonical decimal string (exact);
//   - boolean: bool (the truth table of §9.4; any other non-empty text is true);
//   - date: "YYYY-MM-DD" (a datetime's date part is accepted);
//   - datetime: time.Time; text without an offset is taken as UTC (see
//     ParseValueIn);
//   - time: "HH:MM:SS[.ffffff]"; uuid: canonical lower-case string;
//   - JSON and array: JSON text (text that is not JSON becomes a JSON string);
//   - binary: the hex-decoded bytes; text and enum: s unchanged.
func ParseValue(c *schema.Column, s string) (any, error) {
	return ParseValueIn(c, s, time.UTC)
}

// ParseValueIn is ParseValue with the zone that datetimes without an offset
// are read in.
func ParseValueIn(c *schema.Column, s string, loc *time.Location) (any, error) {
	switch c.Kind {
	case schema.KindInteger:
		t := strings.TrimSpace(s)
		switch t {
		case "true":
			return int64(1), nil
		case "false":
			return int64(0), nil
		}
		n, err := strconv.ParseInt(strings.TrimPrefix(t, "+"), 10, 64)
		if err != nil || t == "" {
			if c.Unsigned {
				if u, err := strconv.ParseUint(strings.TrimPrefix(t, "+"), 10, 64); err == nil {
					if !c.UintFits(u) {
						return nil, outOfRange(c)
					}
					return u, nil
				}
			}
			if errors.Is(err, strconv.ErrRange) {
				return nil, outOfRange(c)
			}
			return nil, badValue(c, msgInteger)
		}
		if !c.IntFits(n) {
			return nil, outOfRange(c)
		}
		return n, nil
	case schema.KindFloat:
		f, _, ok := parseNumber(s)
		if !ok {
			return nil, badValue(c, msgFloat)
		}
		return f, nil
	case schema.KindDecimal:
		_, text, ok := parseNumber(s)
		if !ok {
			return nil, badValue(c, msgFloat)
		}
		return text, nil
	case schema.KindBoolean:
		return parseBool(s), nil
	case schema.KindDate:
		t, _, ok := parseDateTime(s, time.UTC)
		if !ok {
			return nil, badValue(c, msgDate)
		}
		return string(values.AppendDate(nil, t)), nil
	case schema.KindDateTime:
		t, _, ok := parseDateTime(s, loc)
		if !ok {
			return nil, badValue(c, msgDate)
		}
		return t, nil
	case schema.KindTime:
		t, ok := parseTimeOfDay(s)
		if !ok {
			return nil, badValue(c, msgTime)
		}
		return t, nil
	case schema.KindUUID:
		u, ok := parseUUID(s)
		if !ok {
			return nil, badValue(c, msgUUID)
		}
		return u, nil
	case schema.KindJSON, schema.KindArray:
		return jsonText(s), nil
	case schema.KindBinary:
		b, err := hex.DecodeString(strings.TrimPrefix(strings.TrimSpace(s), "\\x"))
		if err != nil {
			return nil, badValue(c, msgHex)
		}
		return b, nil
	}
	return s, nil
}

// knownBool: s is a number or one of the truth table's words.
func knownBool(s string) bool {
	t := strings.TrimSpace(s)
	if _, ok := values.Word(t); ok || t == "" {
		return true
	}
	_, _, ok := parseNumber(t)
	return ok
}

// parseBool applies the truth table of §9.4 (values.Truth), as writes do.
func parseBool(s string) bool { return values.Truth(s) }

// parseNumber reads a decimal number the way the Float parser does ("true" is
// 1, "false" is 0, surrounding spaces ignored). It returns the value and a
// canonical decimal text for exact binding. NaN and infinities are refused.
func parseNumber(s string) (float64, string, bool) {
	t := strings.TrimSpace(s)
	switch t {
	case "true":
		return 1, "1", true
	case "false":
		return 0, "0", true
	}
	if !isDecimalSyntax(t) {
		return 0, "", false
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, "", false
	}
	return f, strings.TrimPrefix(t, "+"), true
}

// isDecimalSyntax reports whether s is [+-]digits[.digits][e[+-]digits] with
// at least one digit in the mantissa (no hex, underscores, inf or nan).
func isDecimalSyntax(s string) bool {
	i, n := 0, len(s)
	if i < n && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < n && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < n && s[i] == '.' {
		i++
		for i < n && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < n && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < n && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < n && s[i] >= '0' && s[i] <= '9' {
			i++
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == n
}

// parseDateTime reads ISO 8601 dates and datetimes (values.ParseDateTime):
// writes read them the same way.
func parseDateTime(s string, loc *time.Location) (t time.Time, hasOffset bool, ok bool) {
	return values.ParseDateTime(s, loc)
}

// parseOffset reads "Z", "±HH", "±HH:MM" or "±HHMM" (values.ParseOffset).
func parseOffset(s string) (int, bool) { return values.ParseOffset(s) }

func fixedZone(off int) *time.Location { return values.FixedZone(off) }

// formatOffset gives "+03:00" for 10800.
func formatOffset(off int) string { return values.FormatOffset(off) }

// parseTimeOfDay reads "HH:MM[:SS[.ffffff]]" and returns "HH:MM:SS[.ffffff]".
func parseTimeOfDay(s string) (string, bool) {
	h, m, sec, ns, ok := values.ParseClock(strings.TrimSpace(s), false)
	if !ok {
		return "", false
	}
	return string(values.AppendClock(nil, time.Date(2000, 1, 1, h, m, sec, ns, time.UTC))), true
}

// parseUUID accepts 32 hex digits with or without hyphens (and braces) and
// returns the canonical lower-case form.
func parseUUID(s string) (string, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	var h [32]byte
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '-':
			continue
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f':
		case c >= 'A' && c <= 'F':
			c += 'a' - 'A'
		default:
			return "", false
		}
		if n == 32 {
			return "", false
		}
		h[n] = c
		n++
	}
	if n != 32 {
		return "", false
	}
	out := make([]byte, 0, 36)
	for i, c := range h {
		if i == 8 || i == 12 || i == 16 || i == 20 {
			out = append(out, '-')
		}
		out = append(out, c)
	}
	return string(out), true
}

// jsonText returns s if it is JSON, else s as a JSON string.
func jsonText(s string) string {
	if json.Valid([]byte(s)) {
		return s
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// parseLocation reads ?tz=: an IANA name (Europe/Paris, UTC) or an offset
// (+03:00, -0530, +3, Z). ok is false when tz cannot be understood.
func parseLocation(tz string) (*time.Location, bool) {
	tz = strings.TrimSpace(tz)
	if tz == "" {
		return time.UTC, false
	}
	if tz[0] == '+' || tz[0] == '-' || tz == "Z" || tz == "z" {
		if len(tz) == 2 { // +3
			tz = tz[:1] + "0" + tz[1:]
		}
		off, ok := parseOffset(tz)
		if !ok {
			return time.UTC, false
		}
		return fixedZone(off), true
	}
	if tz == "Local" || strings.ContainsAny(tz, "\\ \x00") {
		return time.UTC, false
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return time.UTC, false
	}
	return loc, true
}
