package values

import (
	"testing"
	"time"
)

// formatOracle is each layout through time.Format, as the copies wrote it.
func formatOracle(t time.Time, l DateTimeLayout) string {
	switch l {
	case WallText:
		return t.Format("2006-01-02 15:04:05.999999")
	}
	s := t.Format("2006-01-02T15:04:05")
	if t.Nanosecond()/1000 != 0 {
		s = t.Format("2006-01-02T15:04:05.000000")
	}
	switch l {
	case ISONaive:
		return s
	case ISOZulu:
		if _, off := t.Zone(); off == 0 {
			return s + "Z"
		}
	}
	return s + t.Format("-07:00")
}

// TestAppendMatchesFormat checks the hand-written layouts against
// time.Format over many instants and zones, odd offsets included.
func TestAppendMatchesFormat(t *testing.T) {
	var zones []*time.Location
	for _, name := range []string{"UTC", "Europe/Berlin", "Asia/Kolkata", "America/St_Johns", "Pacific/Chatham", "Africa/Monrovia", "America/Sao_Paulo"} {
		if loc, err := time.LoadLocation(name); err == nil {
			zones = append(zones, loc)
		}
	}
	zones = append(zones, time.FixedZone("", -30), time.FixedZone("", 5*3600+30*60+17), time.FixedZone("", -(9*3600+30*60)), FixedZone(25*3600))
	instants := []time.Time{
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(1900, 1, 1, 0, 0, 0, 1000, time.UTC), time.Date(1969, 12, 31, 23, 59, 59, 999999000, time.UTC),
		time.Date(2024, 2, 29, 12, 0, 0, 500, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-5, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 5, 1, 10, 0, 0, 120000000, time.UTC),
		time.Date(12345, 5, 1, 10, 0, 0, 120000000, time.UTC),
	}
	for i := int64(0); i < 2000; i++ {
		instants = append(instants, time.Unix(-2208988800+i*1579031+i*i*7919, (i*7777777)%1e9))
	}
	for _, loc := range zones {
		for _, in := range instants {
			tt := in.In(loc)
			for _, l := range []DateTimeLayout{ISOOffset, ISOZulu, ISONaive, WallText} {
				if got, want := string(AppendDateTime(nil, tt, l)), formatOracle(tt, l); got != want {
					t.Fatalf("%v layout %d: got %s, want %s", tt, l, got, want)
				}
			}
			if got, want := string(AppendDate(nil, tt)), tt.Format(time.DateOnly); got != want {
				t.Fatalf("%v: date %s, want %s", tt, got, want)
			}
			want := tt.Format(time.TimeOnly)
			if tt.Nanosecond() != 0 {
				want = tt.Format("15:04:05.000000")
			}
			if got := string(AppendClock(nil, tt)); got != want {
				t.Fatalf("%v: clock %s, want %s", tt, got, want)
			}
		}
	}
}

func BenchmarkAppendDateTime(b *testing.B) {
	tt := time.Date(2024, 5, 1, 10, 0, 0, 123456000, time.FixedZone("", 7200))
	buf := make([]byte, 0, 64)
	for b.Loop() {
		buf = AppendDateTime(buf[:0], tt, ISOOffset)
	}
}
