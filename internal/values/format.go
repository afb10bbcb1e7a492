package values

import (
	"strconv"
	"time"
)

// DateTimeLayout is how AppendDateTime writes a datetime. The routes write
// datetimes differently on purpose (the recordings of upstream differ);
// each layout names where it is used.
type DateTimeLayout uint8

const (
	// ISOOffset is "2006-01-02T15:04:05[.000000]-07:00" with "+00:00" for
	// UTC too: Python's isoformat() of an aware value, as /api/models/ rows
	// (record.Encoder, the pgx fast path) write datetimes.
	ISOOffset DateTimeLayout = iota
	// ISOZulu is ISOOffset with "Z" for a zero offset, as Django REST
	// framework's encoder writes datetimes: /api/sql/ results (sqlapi) and
	// group labels and aggregates (query).
	ISOZulu
	// ISONaive is "2006-01-02T15:04:05[.000000]", no offset: a naive wall
	// time (/api/models/ rows on SQLite, naive /api/sql/ results without a
	// default zone, query labels of columns without a time zone).
	ISONaive
	// WallText is "2006-01-02 15:04:05.999999", the wall time as SQLite
	// stores it: /api/sql/ results of SQLite DATETIME columns and the text
	// record.Decoder binds on engines that store datetimes as text.
	WallText
)

// AppendDateTime appends t in layout l. Fractions are microseconds
// (truncated), written only when not zero; the offset is t's, minutes
// truncated as time.Format's "-07:00" writes it. Years 0-9999 are written
// digit by digit, others through time.Format.
func AppendDateTime(b []byte, t time.Time, l DateTimeLayout) []byte {
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return appendDateTimeFormat(b, t, l)
	}
	hour, minute, sec := t.Clock()
	b = appendDate(b, year, int(month), day)
	if l == WallText {
		b = append(b, ' ')
	} else {
		b = append(b, 'T')
	}
	b = appendClock(b, hour, minute, sec)
	if us := t.Nanosecond() / 1000; us != 0 {
		b = append(b, '.', byte('0'+us/100000), byte('0'+us/10000%10), byte('0'+us/1000%10),
			byte('0'+us/100%10), byte('0'+us/10%10), byte('0'+us%10))
		if l == WallText { // ".999999": trailing zeros dropped
			for b[len(b)-1] == '0' {
				b = b[:len(b)-1]
			}
		}
	}
	switch l {
	case ISONaive, WallText:
		return b
	}
	_, offset := t.Zone()
	if offset == 0 && l == ISOZulu {
		return append(b, 'Z')
	}
	// as time.Format's "-07:00": minutes truncated, the sign of the minutes
	zone := offset / 60
	if zone < 0 {
		b = append(b, '-')
		zone = -zone
	} else {
		b = append(b, '+')
	}
	b = append2(b, zone/60)
	b = append(b, ':')
	return append2(b, zone%60)
}

// appendDateTimeFormat is AppendDateTime through time.Format.
func appendDateTimeFormat(b []byte, t time.Time, l DateTimeLayout) []byte {
	switch {
	case l == WallText:
		return t.AppendFormat(b, "2006-01-02 15:04:05.999999")
	case t.Nanosecond()/1000 != 0:
		b = t.AppendFormat(b, "2006-01-02T15:04:05.000000")
	default:
		b = t.AppendFormat(b, "2006-01-02T15:04:05")
	}
	switch l {
	case ISONaive:
		return b
	case ISOZulu:
		if _, off := t.Zone(); off == 0 {
			return append(b, 'Z')
		}
	}
	return t.AppendFormat(b, "-07:00")
}

// AppendDate appends t's date as "YYYY-MM-DD" (time.DateOnly).
func AppendDate(b []byte, t time.Time) []byte {
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.AppendFormat(b, time.DateOnly)
	}
	return appendDate(b, year, int(month), day)
}

// AppendClock appends t's time of day as "HH:MM:SS", with ".ffffff"
// (microseconds, truncated) when t has any fraction: TIME values in group
// labels and aggregates.
func AppendClock(b []byte, t time.Time) []byte {
	hour, minute, sec := t.Clock()
	b = appendClock(b, hour, minute, sec)
	if t.Nanosecond() != 0 {
		us := t.Nanosecond() / 1000
		b = append(b, '.', byte('0'+us/100000), byte('0'+us/10000%10), byte('0'+us/1000%10),
			byte('0'+us/100%10), byte('0'+us/10%10), byte('0'+us%10))
	}
	return b
}

func appendDate(b []byte, year, month, day int) []byte {
	b = append(b, byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10), '-')
	b = append2(b, month)
	b = append(b, '-')
	return append2(b, day)
}

func appendClock(b []byte, hour, minute, sec int) []byte {
	b = append2(b, hour)
	b = append(b, ':')
	b = append2(b, minute)
	b = append(b, ':')
	return append2(b, sec)
}

func append2(b []byte, n int) []byte {
	if n >= 100 {
		return strconv.AppendInt(b, int64(n), 10)
	}
	return append(b, byte('0'+n/10), byte('0'+n%10))
}
