package record

import (
	"errors"
	"time"

	"github.com/jetbridge/jetbridge/internal/values"
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

// ParseDateTime parses a datetime as databases store it in text
// (values.StoredText): ISO 8601 with or without an offset, a 'T' or spaces
// between date and time, an optional fraction, or a bare date. What clients
// write is read by values.ParseDateTime, as filters read it.
func ParseDateTime(s string) (DateTime, error) {
	t, hasOffset, ok := values.ParseDateTimeForm(s, values.StoredText, time.UTC)
	if !ok {
		return DateTime{}, errDateFormat
	}
	return DateTime{Time: t, HasOffset: hasOffset}, nil
}
