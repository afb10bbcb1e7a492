package values

import (
	"testing"
	"time"
)

func TestParseDateTime(t *testing.T) {
	plus3 := time.FixedZone("", 3*3600)
	cases := []struct {
		in        string
		want      time.Time
		hasOffset bool
		ok        bool
	}{
		{"2024-05-01", time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), false, true},
		{"2024-05-01T10:11", time.Date(2024, 5, 1, 10, 11, 0, 0, time.UTC), false, true},
		{"2024-05-01 10:11:12.5", time.Date(2024, 5, 1, 10, 11, 12, 5e8, time.UTC), false, true},
		{"2024-05-01T10:11:12,25Z", time.Date(2024, 5, 1, 10, 11, 12, 25e7, time.UTC), true, true},
		{"2024-05-01T10:11:12+03:00", time.Date(2024, 5, 1, 10, 11, 12, 0, plus3), true, true},
		{"2024-05-01T10:11:12+0300", time.Date(2024, 5, 1, 10, 11, 12, 0, plus3), true, true},
		{"2024-05-01T10:11:12+03", time.Date(2024, 5, 1, 10, 11, 12, 0, plus3), true, true},
		{"2024-02-30", time.Time{}, false, false},
		{"2024-05-01T24:00", time.Time{}, false, false},
		{"2024-05-01T10", time.Time{}, false, false},
		{"2024-05-01X10:00", time.Time{}, false, false},
		{"2024-05-01T10:00+25:00", time.Time{}, false, false},
		{"", time.Time{}, false, false},
	}
	for _, c := range cases {
		got, off, ok := ParseDateTime(c.in, time.UTC)
		if ok != c.ok || off != c.hasOffset || (ok && !got.Equal(c.want)) {
			t.Errorf("ParseDateTime(%q) = %v, %v, %v; want %v, %v, %v", c.in, got, off, ok, c.want, c.hasOffset, c.ok)
		}
	}
}

// FuzzParseDateTime: no panic, and what is read can be written back in
// RFC 3339 and read again as the same instant.
func FuzzParseDateTime(f *testing.F) {
	for _, s := range []string{"2024-05-01", "2024-05-01T10:11:12.123456789+03:00", "2024-05-01 10:11 -0530", "9999-12-31T23:59:59Z", "0000-01-01", "2024-05-01T10:11:12,5 Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, _, ok := ParseDateTime(s, time.UTC)
		if !ok {
			return
		}
		again, hasOffset, ok := ParseDateTime(got.Format("2006-01-02T15:04:05.999999999-07:00"), time.UTC)
		if !ok || !hasOffset || !again.Equal(got) {
			t.Fatalf("%q read as %v, written back and read as %v (%v)", s, got, again, ok)
		}
	})
}
