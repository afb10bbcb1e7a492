package sqlapi

import (
	"strconv"
	"strings"
	"time"
)

// zone is a time zone a client or the settings name: an IANA name or a UTC offset.
type zone struct {
	loc   *time.Location
	pg    string // the value for PostgreSQL's TimeZone: an IANA name or signed hours ("3", "-5.5")
	mysql string // the value for MySQL's time_zone: an IANA name or "+HH:MM"
}

// parseZone reads "Europe/Paris", "UTC", "Z", "+03:00", "-0530", "+3" or
// "UTC+03:00". Offsets use the ISO sign (east positive) on every engine;
// PostgreSQL gets them as numeric hours, which it reads with that sign
// (a '+03:00' string would be a POSIX zone there, with the opposite sign).
func (r *Runner) parseZone(s string) (zone, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return zone{}, false
	}
	up := strings.ToUpper(s)
	if up == "Z" || up == "UTC" || up == "GMT" || up == "ETC/UTC" {
		return zone{loc: time.UTC, pg: "UTC", mysql: "+00:00"}, true
	}
	if strings.HasPrefix(up, "UTC") || strings.HasPrefix(up, "GMT") {
		if rest := s[3:]; rest != "" && (rest[0] == '+' || rest[0] == '-') {
			s = rest
		}
	}
	if s[0] == '+' || s[0] == '-' {
		off, ok := parseOffset(s)
		if !ok {
			return zone{}, false
		}
		return offsetZone(off), true
	}
	for _, c := range s {
		if !(c == '/' || c == '_' || c == '-' || c == '+' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			return zone{}, false
		}
	}
	if s == "Local" {
		return zone{}, false
	}
	loc, ok := r.location(s)
	if !ok {
		return zone{}, false
	}
	return zone{loc: loc, pg: s, mysql: s}, true
}

// location loads an IANA zone once per name.
func (r *Runner) location(name string) (*time.Location, bool) {
	if v, ok := r.locs.Load(name); ok {
		loc, _ := v.(*time.Location)
		return loc, loc != nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = nil
	}
	r.locs.Store(name, loc)
	return loc, loc != nil
}

// parseOffset reads ±HH[:MM], ±HHMM or ±H as seconds east of UTC.
func parseOffset(s string) (int, bool) {
	sign := 1
	switch s[0] {
	case '-':
		sign = -1
		s = s[1:]
	case '+':
		s = s[1:]
	default:
		return 0, false
	}
	var h, m int
	var err error
	switch {
	case strings.Contains(s, ":"):
		hh, mm, _ := strings.Cut(s, ":")
		if len(hh) == 0 || len(hh) > 2 || len(mm) != 2 {
			return 0, false
		}
		if h, err = strconv.Atoi(hh); err != nil {
			return 0, false
		}
		if m, err = strconv.Atoi(mm); err != nil {
			return 0, false
		}
	case len(s) == 4:
		if h, err = strconv.Atoi(s[:2]); err != nil {
			return 0, false
		}
		if m, err = strconv.Atoi(s[2:]); err != nil {
			return 0, false
		}
	case len(s) == 1 || len(s) == 2:
		if h, err = strconv.Atoi(s); err != nil {
			return 0, false
		}
	default:
		return 0, false
	}
	if h < 0 || h > 15 || m < 0 || m > 59 {
		return 0, false
	}
	return sign * (h*3600 + m*60), true
}

func offsetZone(off int) zone {
	if off == 0 {
		return zone{loc: time.UTC, pg: "UTC", mysql: "+00:00"}
	}
	sign := byte('+')
	a := off
	if a < 0 {
		sign, a = '-', -a
	}
	mysql := string(sign) + twoDigits(a/3600) + ":" + twoDigits(a%3600/60)
	pg := strconv.FormatFloat(float64(off)/3600, 'f', -1, 64)
	return zone{loc: time.FixedZone(mysql, off), pg: pg, mysql: mysql}
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
