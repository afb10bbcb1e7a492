package values

import (
	"strings"
	"time"
)

// ParseDateTime reads ISO 8601 dates and datetimes: "YYYY-MM-DD", then
// optionally "T" or " " and "HH:MM[:SS[.fraction]]", then optionally "Z" or an
// offset "±HH[:MM]" / "±HHMM". Without an offset the wall clock is placed in
// loc. hasOffset reports whether the text carried one.
func ParseDateTime(s string, loc *time.Location) (t time.Time, hasOffset bool, ok bool) {
	s = strings.TrimSpace(s)
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false, false
	}
	year, ok1 := atoiN(s[0:4])
	month, ok2 := atoiN(s[5:7])
	day, ok3 := atoiN(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return time.Time{}, false, false
	}
	rest := s[10:]
	var hour, minute, sec, nsec int
	if rest != "" {
		if rest[0] != 'T' && rest[0] != 't' && rest[0] != ' ' {
			return time.Time{}, false, false
		}
		rest = rest[1:]
		if len(rest) < 5 || rest[2] != ':' {
			return time.Time{}, false, false
		}
		var okh, okm bool
		hour, okh = atoiN(rest[0:2])
		minute, okm = atoiN(rest[3:5])
		if !okh || !okm {
			return time.Time{}, false, false
		}
		rest = rest[5:]
		if len(rest) >= 3 && rest[0] == ':' {
			var oks bool
			sec, oks = atoiN(rest[1:3])
			if !oks {
				return time.Time{}, false, false
			}
			rest = rest[3:]
			if len(rest) >= 2 && (rest[0] == '.' || rest[0] == ',') {
				j := 1
				for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
					j++
				}
				if j == 1 {
					return time.Time{}, false, false
				}
				frac := rest[1:j]
				if len(frac) > 9 {
					frac = frac[:9]
				}
				v, _ := atoiN(frac)
				for k := len(frac); k < 9; k++ {
					v *= 10
				}
				nsec = v
				rest = rest[j:]
			}
		}
	}
	zone := loc
	if rest != "" {
		off, okz := ParseOffset(rest)
		if !okz {
			return time.Time{}, false, false
		}
		hasOffset = true
		zone = FixedZone(off)
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, zone), hasOffset, true
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
