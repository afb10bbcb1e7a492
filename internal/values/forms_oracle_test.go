package values

import (
	"strings"
	"time"
)

// The copies the forms replaced, kept verbatim as oracles: each variant must
// accept exactly what its copy accepted and read the same instant, offset
// and hasOffset.

// oldStored is record.ParseDateTime before StoredText.
func oldStored(s string) (time.Time, bool, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false, false
	}
	// "+0300" style offsets
	if n := len(s); n > 5 && (s[n-5] == '+' || s[n-5] == '-') && strings.IndexByte(s[n-4:], ':') < 0 && strings.Contains(s, ":") {
		s = s[:n-2] + ":" + s[n-2:]
	}
	for _, l := range []string{
		time.RFC3339Nano,
		"2006-01-02T15:04:05.999999999Z07",
		"2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.999999999Z07",
		"2006-01-02T15:04Z07:00",
		"2006-01-02 15:04Z07:00",
	} {
		if t, err := time.Parse(l, s); err == nil {
			return t, true, true
		}
	}
	for _, l := range []string{
		"2006-01-02T15:04:05.999999999",
		"2006-01-02 15:04:05.999999999",
		"2006-01-02T15:04",
		"2006-01-02 15:04",
		time.DateOnly,
	} {
		if t, err := time.Parse(l, s); err == nil {
			return t, false, true
		}
	}
	return time.Time{}, false, false
}

// oldSQLText is sqlapi.parseDateTimeText before SQLText.
func oldSQLText(s string) (time.Time, bool, bool) {
	s = strings.TrimSpace(s)
	for _, l := range []string{"2006-01-02 15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.999999999Z07", "2006-01-02T15:04:05.999999999Z07"} {
		if t, err := time.Parse(l, s); err == nil {
			return t, true, true
		}
	}
	for _, l := range []string{"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999",
		"2006-01-02 15:04", "2006-01-02T15:04", time.DateOnly, "2006-01"} {
		if t, err := time.Parse(l, s); err == nil {
			return t, false, true
		}
	}
	return time.Time{}, false, false
}

// oldAPI is jetadmin.parseTime before APITimestamp (hasOffset was not
// reported; it is whether the layout had one).
func oldAPI(s string) (time.Time, bool, bool) {
	for i, layout := range []string{
		time.RFC3339Nano,
		"2006-01-02T15:04:05.999999999",
		"2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.999999999",
	} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, i%2 == 0, true
		}
	}
	return time.Time{}, false, false
}

// oldTimeColumn is the check of values written to TIME columns
// (record.Decoder) before ParseClock.
func oldTimeColumn(s string) bool {
	for _, l := range []string{"15:04:05.999999", "15:04:05", "15:04"} {
		if _, err := time.Parse(l, s); err == nil {
			return true
		}
	}
	return false
}

// oldDate is sqlapi's check of a "YYYY-MM-DD" prefix before ParseDate.
func oldDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// oldClient is ParseDateTime before the forms (ClientInput).
func oldClient(s string, loc *time.Location) (t time.Time, hasOffset bool, ok bool) {
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
