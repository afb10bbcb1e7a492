package record

import (
	"errors"
	"strings"
	"time"
)

// DateTime is a parsed datetime and whether the input carried an offset.
type DateTime struct {
	Time      time.Time
	HasOffset bool
}

// NaiveZone is the location of an engine without time zones (SQLite): a
// datetime read is written as its stored wall time without an offset, and
// an offset in a value written is dropped (the wall time is kept), as
// upstream does on SQLite.
var NaiveZone = time.FixedZone("naive", 0)

var errDateFormat = errors.New("date has wrong format")

var offsetLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z07",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z07",
	"2006-01-02T15:04Z07:00",
	"2006-01-02 15:04Z07:00",
}

var naiveLayouts = []string{
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	time.DateOnly,
}

// ParseDateTime parses ISO 8601 datetimes with or without an offset (a 'T'
// or a space between date and time, optional fraction), or a bare date, as
// databases store them in text (the stored-text grammar; what clients
// write is read by values.ParseDateTime, as filters read it).
func ParseDateTime(s string) (DateTime, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return DateTime{}, errDateFormat
	}
	// "+0300" style offsets
	if n := len(s); n > 5 && (s[n-5] == '+' || s[n-5] == '-') && strings.IndexByte(s[n-4:], ':') < 0 && strings.Contains(s, ":") {
		s = s[:n-2] + ":" + s[n-2:]
	}
	for _, l := range offsetLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return DateTime{Time: t, HasOffset: true}, nil
		}
	}
	for _, l := range naiveLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return DateTime{Time: t}, nil
		}
	}
	return DateTime{}, errDateFormat
}
