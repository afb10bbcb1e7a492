package values

import (
	"strings"
	"time"
)

// DateTimeForm is one variant of the ISO 8601 text grammar the bridge reads:
// "YYYY-MM-DD", a separator, "HH:MM[:SS[.fraction]]", an offset. Every wire
// format that carries datetimes as text names its variant below (ClientInput,
// StoredText, SQLText, APITimestamp); the fields are where they differ.
// Common to all: a four-digit year, two-digit month, day, minutes and
// seconds, a fraction of any length after "." or "," (read to the
// nanosecond), 'T' between date and time, dates and clocks range-checked.
type DateTimeForm struct {
	Trim      bool // surrounding white space is ignored
	LowerT    bool // 't' separates date and time like 'T'
	SpaceRun  bool // a run of spaces separates date and time (else exactly one)
	ShortHour bool // the hour may have one digit ("9:30")
	NoTime    bool // the date may stand alone ("YYYY-MM-DD")
	NoSeconds bool // the seconds may be left out ("HH:MM")
	YearMonth bool // "YYYY-MM" alone is read too, as the first of the month
	// Offsets are the offsets read after the seconds, MinuteOffsets those
	// read after "HH:MM" (NoSeconds); none: the form has no offset there.
	Offsets, MinuteOffsets OffsetForms
}

// OffsetForms is a set of offset spellings.
type OffsetForms uint8

const (
	OffsetZ     OffsetForms = 1 << iota // "Z"
	OffsetColon                         // "±HH:MM"
	OffsetHHMM                          // "±HHMM"
	OffsetHH                            // "±HH"
	// OffsetLoose reads the offset as ParseOffset does: every spelling
	// above, "z" too, white space before it, at most ±23:59. Without it the
	// spellings are exact, as Go's time.Parse reads them: 'Z' upper-case,
	// no space, hours up to 24 and minutes up to 60.
	OffsetLoose
)

// The variants in use.
var (
	// ClientInput is what clients write: filter values (?created_at__gte=),
	// values written to date and datetime columns. Forgiving: 't' or one
	// space as separator, an offset in any spelling after any clock.
	ClientInput = DateTimeForm{Trim: true, LowerT: true, NoTime: true, NoSeconds: true,
		Offsets: OffsetLoose, MinuteOffsets: OffsetLoose}
	// StoredText is a datetime a database stored and hands back as text
	// (SQLite TEXT columns, MySQL text forms), read back for /api/models/
	// rows and GraphQL filters; "+0300" is read as "+03:00".
	StoredText = DateTimeForm{Trim: true, SpaceRun: true, ShortHour: true, NoTime: true, NoSeconds: true,
		Offsets:       OffsetZ | OffsetColon | OffsetHHMM | OffsetHH,
		MinuteOffsets: OffsetZ | OffsetColon | OffsetHHMM}
	// SQLText is a date or datetime label an engine printed in a raw SQL
	// result or a truncation (MySQL DATE_FORMAT, SQLite strftime) for
	// /api/sql/: "YYYY-MM" too, no offset after "HH:MM", none as "±HHMM".
	SQLText = DateTimeForm{Trim: true, SpaceRun: true, ShortHour: true, NoTime: true, NoSeconds: true, YearMonth: true,
		Offsets: OffsetZ | OffsetColon | OffsetHH}
	// APITimestamp is a timestamp of the Jet Admin API (Django REST
	// framework's ISO 8601): seconds required, the offset "Z" or "±HH:MM"
	// or none, nothing around it.
	APITimestamp = DateTimeForm{SpaceRun: true, ShortHour: true, Offsets: OffsetZ | OffsetColon}
)

// ParseDateTime reads the dates and datetimes clients write (ClientInput):
// "YYYY-MM-DD", then optionally "T", "t" or " " and "HH:MM[:SS[.fraction]]",
// then optionally "Z" or an offset "±HH[:MM]" / "±HHMM". Without an offset
// the wall clock is placed in loc. hasOffset reports whether the text
// carried one.
func ParseDateTime(s string, loc *time.Location) (t time.Time, hasOffset bool, ok bool) {
	return ParseDateTimeForm(s, ClientInput, loc)
}

// ParseDateTimeForm reads s in the variant f of the grammar. Without an
// offset the wall clock is placed in loc; with one, in FixedZone of it.
// hasOffset reports whether the text carried one.
func ParseDateTimeForm(s string, f DateTimeForm, loc *time.Location) (t time.Time, hasOffset bool, ok bool) {
	if f.Trim {
		s = strings.TrimSpace(s)
	}
	if f.YearMonth && len(s) == 7 && s[4] == '-' {
		year, ok1 := atoiN(s[0:4])
		month, ok2 := atoiN(s[5:7])
		if !ok1 || !ok2 || month < 1 || month > 12 {
			return time.Time{}, false, false
		}
		return time.Date(year, time.Month(month), 1, 0, 0, 0, 0, loc), false, true
	}
	year, month, day, ok := readDate(s)
	if !ok {
		return time.Time{}, false, false
	}
	rest := s[10:]
	var c clock
	zone := loc
	if rest == "" {
		if !f.NoTime {
			return time.Time{}, false, false
		}
	} else {
		switch {
		case rest[0] == 'T' || (rest[0] == 't' && f.LowerT):
			rest = rest[1:]
		case rest[0] == ' ' && f.SpaceRun:
			rest = strings.TrimLeft(rest, " ")
		case rest[0] == ' ':
			rest = rest[1:]
		default:
			return time.Time{}, false, false
		}
		if c, rest, ok = readClock(rest, f.ShortHour); !ok || (!c.hasSec && !f.NoSeconds) {
			return time.Time{}, false, false
		}
		if rest != "" {
			forms := f.Offsets
			if !c.hasSec {
				forms = f.MinuteOffsets
			}
			off, okz := readOffset(rest, forms)
			if !okz {
				return time.Time{}, false, false
			}
			hasOffset = true
			zone = FixedZone(off)
		}
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return time.Time{}, false, false
	}
	return time.Date(year, time.Month(month), day, c.hour, c.min, c.sec, c.nsec, zone), hasOffset, true
}

// ParseClock reads a time of day "HH:MM[:SS[.fraction]]" and nothing else
// (with shortHour the hour may have one digit). Values written to TIME
// columns are checked with shortHour (as time.Parse's "15:04:05" layouts
// read them); time-of-day text read back is not.
func ParseClock(s string, shortHour bool) (hour, minute, sec, nsec int, ok bool) {
	c, rest, ok := readClock(s, shortHour)
	if !ok || rest != "" {
		return 0, 0, 0, 0, false
	}
	return c.hour, c.min, c.sec, c.nsec, true
}

// ParseDate reads exactly "YYYY-MM-DD" (a valid date, nothing around it).
func ParseDate(s string) (time.Time, bool) {
	year, month, day, ok := readDate(s)
	if !ok || len(s) != 10 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), true
}

// readDate reads the "YYYY-MM-DD" that s starts with (not range-checked).
func readDate(s string) (year, month, day int, ok bool) {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return 0, 0, 0, false
	}
	year, ok1 := atoiN(s[0:4])
	month, ok2 := atoiN(s[5:7])
	day, ok3 := atoiN(s[8:10])
	return year, month, day, ok1 && ok2 && ok3
}

type clock struct {
	hour, min, sec, nsec int
	hasSec               bool
}

// readClock reads the "HH:MM[:SS[.fraction]]" that s starts with, range
// checked, and returns what follows.
func readClock(s string, shortHour bool) (c clock, rest string, ok bool) {
	n := 0
	for n < len(s) && n < 2 && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n == 0 || (n == 1 && !shortHour) {
		return c, s, false
	}
	c.hour, _ = atoiN(s[:n])
	s = s[n:]
	if len(s) < 3 || s[0] != ':' {
		return c, s, false
	}
	var okm bool
	if c.min, okm = atoiN(s[1:3]); !okm {
		return c, s, false
	}
	s = s[3:]
	if len(s) > 0 && s[0] == ':' {
		var oks bool
		if len(s) < 3 {
			return c, s, false
		}
		if c.sec, oks = atoiN(s[1:3]); !oks {
			return c, s, false
		}
		c.hasSec = true
		s = s[3:]
		if len(s) > 0 && (s[0] == '.' || s[0] == ',') {
			j := 1
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j == 1 {
				return c, s, false
			}
			frac := s[1:j]
			if len(frac) > 9 {
				frac = frac[:9]
			}
			v, _ := atoiN(frac)
			for k := len(frac); k < 9; k++ {
				v *= 10
			}
			c.nsec = v
			s = s[j:]
		}
	}
	if c.hour > 23 || c.min > 59 || c.sec > 59 {
		return c, s, false
	}
	return c, s, true
}

// readOffset reads all of s as an offset in one of forms (seconds east).
func readOffset(s string, forms OffsetForms) (int, bool) {
	if forms&OffsetLoose != 0 {
		return ParseOffset(s)
	}
	if s == "Z" {
		return 0, forms&OffsetZ != 0
	}
	if len(s) < 3 || (s[0] != '+' && s[0] != '-') {
		return 0, false
	}
	var hh, mm string
	switch {
	case len(s) == 6 && s[3] == ':' && forms&OffsetColon != 0:
		hh, mm = s[1:3], s[4:6]
	case len(s) == 5 && forms&OffsetHHMM != 0:
		hh, mm = s[1:3], s[3:5]
	case len(s) == 3 && forms&OffsetHH != 0:
		hh, mm = s[1:3], "00"
	default:
		return 0, false
	}
	h, okh := atoiN(hh)
	m, okm := atoiN(mm)
	if !okh || !okm || h > 24 || m > 60 {
		return 0, false
	}
	off := h*3600 + m*60
	if s[0] == '-' {
		off = -off
	}
	return off, true
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// ParseOffset reads "Z", "±HH", "±HH:MM" or "±HHMM" (with an optional space
// before it) and returns seconds east of UTC.
func ParseOffset(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "Z" || s == "z" {
		return 0, true
	}
	if len(s) < 2 || (s[0] != '+' && s[0] != '-') {
		return 0, false
	}
	sign := 1
	if s[0] == '-' {
		sign = -1
	}
	body := s[1:]
	var h, m int
	var ok bool
	switch {
	case len(body) == 2:
		h, ok = atoiN(body)
	case len(body) == 4:
		h, ok = atoiN(body[:2])
		if ok {
			m, ok = atoiN(body[2:])
		}
	case len(body) == 5 && body[2] == ':':
		h, ok = atoiN(body[:2])
		if ok {
			m, ok = atoiN(body[3:])
		}
	default:
		return 0, false
	}
	if !ok || h > 23 || m > 59 {
		return 0, false
	}
	return sign * (h*3600 + m*60), true
}

// FixedZone is the zone off seconds east of UTC, named like "+03:00"
// (time.UTC for 0).
func FixedZone(off int) *time.Location {
	if off == 0 {
		return time.UTC
	}
	return time.FixedZone(FormatOffset(off), off)
}

// FormatOffset gives "+03:00" for 10800.
func FormatOffset(off int) string {
	sign := byte('+')
	if off < 0 {
		sign = '-'
		off = -off
	}
	b := []byte{sign, 0, 0, ':', 0, 0}
	h, m := off/3600, off%3600/60
	b[1], b[2] = byte('0'+h/10), byte('0'+h%10)
	b[4], b[5] = byte('0'+m/10), byte('0'+m%10)
	return string(b)
}

// atoiN parses a string of ASCII digits only.
func atoiN(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
