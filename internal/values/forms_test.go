package values

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// sameRead compares a form's reading with its oracle's: both refuse, or
// both read the same instant with the same offset, hasOffset, and naive
// values in UTC.
func sameRead(t1 time.Time, off1, ok1 bool, t2 time.Time, off2, ok2 bool) error {
	if ok1 != ok2 {
		return fmt.Errorf("ok %v, oracle %v", ok1, ok2)
	}
	if !ok1 {
		return nil
	}
	_, z1 := t1.Zone()
	_, z2 := t2.Zone()
	if off1 != off2 || !t1.Equal(t2) || z1 != z2 || t1.Nanosecond() != t2.Nanosecond() {
		return fmt.Errorf("%v (offset %v), oracle %v (offset %v)", t1, off1, t2, off2)
	}
	if !off1 && (t1.Location() != time.UTC || t2.Location() != time.UTC) {
		return fmt.Errorf("naive %v in %v, oracle in %v", t1, t1.Location(), t2.Location())
	}
	return nil
}

// checkForms compares every form with the copy it replaced on s.
func checkForms(t *testing.T, s string) {
	t.Helper()
	for _, c := range []struct {
		name   string
		form   DateTimeForm
		oracle func(string) (time.Time, bool, bool)
	}{
		{"ClientInput", ClientInput, func(s string) (time.Time, bool, bool) { return oldClient(s, time.UTC) }},
		{"StoredText", StoredText, oldStored},
		{"SQLText", SQLText, oldSQLText},
		{"APITimestamp", APITimestamp, oldAPI},
	} {
		got, off, ok := ParseDateTimeForm(s, c.form, time.UTC)
		want, woff, wok := c.oracle(s)
		if err := sameRead(got, off, ok, want, woff, wok); err != nil {
			t.Errorf("%s(%q): %v", c.name, s, err)
		}
	}
	if _, _, _, _, ok := ParseClock(s, true); ok != oldTimeColumn(s) {
		t.Errorf("ParseClock(%q, true) = %v, oracle %v", s, ok, !ok)
	}
	// query's time-of-day reading went through the client grammar
	_, hasOffset, okc := oldClient("2000-01-01T"+s, time.UTC)
	if _, _, _, _, ok := ParseClock(s, false); ok != (okc && !hasOffset) && s == strings.TrimSpace(s) {
		t.Errorf("ParseClock(%q, false) = %v, oracle %v", s, ok, !ok)
	}
	if _, ok := ParseDate(s); ok != oldDate(s) {
		t.Errorf("ParseDate(%q) = %v, oracle %v", s, ok, !ok)
	}
}

var (
	formDates   = []string{"2024-05-01", "2024-02-29", "2023-02-29", "0000-01-01", "9999-12-31", "2024-13-01", "2024-00-10", "2024-05-32", "2024-5-01", "24-05-01", "2024/05/01", "2024-05", "2024-00", "2024-13", "2024-05-1", "+024-05-01", "2024-05-0x"}
	formSeps    = []string{"", "T", "t", " ", "  ", "\t", "T ", " T", "x", "_"}
	formHours   = []string{"", "10", "9", "09", "0", "23", "24", "1", "001", "1x", " 1"}
	formMinutes = []string{"", ":11", ":5", ":60", ":59", "11", ":1x"}
	formSeconds = []string{"", ":12", ":1", ":60", ":59", ":", "::", ":12:"}
	formFracs   = []string{"", ".5", ",25", ".123456789", ".1234567891234", ".", ".x", ",", "..5", ".5.5"}
	formOffsets = []string{"", "Z", "z", "+03:00", "-05:30", "+0300", "-0530", "+03", "-11", "+3", "+24:00", "+24:60", "+2460", "+25:00", "+23:61", " +03:00", " Z", "+03:00:00", "-00:00", "-0000", "+0", "Z+03:00", "UTC", "+03:0", "+0:300", "+ab:cd", "+abcd", "+12345", "++03:00", "ZZ"}
	formPads    = []string{"", " ", "\t", " \n"}
)

// TestFormsMatchOracles compares the forms with the copies they replaced on
// the named forms, then on a large sample of the grammar's pieces combined.
func TestFormsMatchOracles(t *testing.T) {
	for _, s := range []string{
		"", "2024-05-01", "2024-05-01T10:11", "2024-05-01 10:11:12.5", "2024-05-01T10:11:12,25Z",
		"2024-05-01T10:11:12+03:00", "2024-05-01T10:11:12+0300", "2024-05-01T10:11:12+03", "2024-05-01 10:11+0300",
		"2024-05-01 9:30", "2024-05-01   10:11:12", "2024-05", "10:11", "9:05:06.1234567", "10:11:12,5",
		"2024-05-01T10:11:12.123456789123Z", " 2024-05-01T10:11:12Z ", "2024-05-01t10:11", "2024-05-01T10:11:12 +03:00",
		"2024-05-01T10:11:12+24:60", "2024-05-01 10:11:12-00:00",
	} {
		checkForms(t, s)
	}
	r := rand.New(rand.NewPCG(13, 13))
	pick := func(l []string) string { return l[r.IntN(len(l))] }
	n := 200000
	if testing.Short() {
		n = 20000
	}
	for range n {
		s := pick(formPads) + pick(formDates) + pick(formSeps) + pick(formHours) + pick(formMinutes) + pick(formSeconds) + pick(formFracs) + pick(formOffsets) + pick(formPads)
		checkForms(t, s)
		if r.IntN(4) == 0 { // a clock alone
			checkForms(t, pick(formHours)+pick(formMinutes)+pick(formSeconds)+pick(formFracs))
		}
		if t.Failed() {
			return
		}
	}
}

// TestForms pins what each variant reads, the forms each wire format's
// copy accepted.
func TestForms(t *testing.T) {
	plus3 := time.FixedZone("", 3*3600)
	utc := func(y, mo, d, h, mi, s, ns int) time.Time {
		return time.Date(y, time.Month(mo), d, h, mi, s, ns, time.UTC)
	}
	type read struct {
		want      time.Time
		hasOffset bool
		ok        bool
	}
	no := read{}
	naive := func(t time.Time) read { return read{t, false, true} }
	aware := func(t time.Time) read { return read{t, true, true} }
	cases := []struct {
		in                        string
		client, stored, sqlt, api read
	}{
		{"2024-05-01", naive(utc(2024, 5, 1, 0, 0, 0, 0)), naive(utc(2024, 5, 1, 0, 0, 0, 0)), naive(utc(2024, 5, 1, 0, 0, 0, 0)), no},
		{"2024-05", no, no, naive(utc(2024, 5, 1, 0, 0, 0, 0)), no},
		{"2024-05-01T10:11", naive(utc(2024, 5, 1, 10, 11, 0, 0)), naive(utc(2024, 5, 1, 10, 11, 0, 0)), naive(utc(2024, 5, 1, 10, 11, 0, 0)), no},
		{"2024-05-01 10:11:12.5", naive(utc(2024, 5, 1, 10, 11, 12, 5e8)), naive(utc(2024, 5, 1, 10, 11, 12, 5e8)), naive(utc(2024, 5, 1, 10, 11, 12, 5e8)), naive(utc(2024, 5, 1, 10, 11, 12, 5e8))},
		{"2024-05-01t10:11:12", naive(utc(2024, 5, 1, 10, 11, 12, 0)), no, no, no},
		{"2024-05-01  10:11:12", no, naive(utc(2024, 5, 1, 10, 11, 12, 0)), naive(utc(2024, 5, 1, 10, 11, 12, 0)), naive(utc(2024, 5, 1, 10, 11, 12, 0))},
		{"2024-05-01 9:11:12", no, naive(utc(2024, 5, 1, 9, 11, 12, 0)), naive(utc(2024, 5, 1, 9, 11, 12, 0)), naive(utc(2024, 5, 1, 9, 11, 12, 0))},
		{"2024-05-01T10:11:12,25Z", aware(utc(2024, 5, 1, 10, 11, 12, 25e7)), aware(utc(2024, 5, 1, 10, 11, 12, 25e7)), aware(utc(2024, 5, 1, 10, 11, 12, 25e7)), aware(utc(2024, 5, 1, 10, 11, 12, 25e7))},
		{"2024-05-01T10:11:12z", aware(utc(2024, 5, 1, 10, 11, 12, 0)), no, no, no},
		{"2024-05-01T10:11:12+03:00", aware(time.Date(2024, 5, 1, 10, 11, 12, 0, plus3)), aware(time.Date(2024, 5, 1, 10, 11, 12, 0, plus3)), aware(time.Date(2024, 5, 1, 10, 11, 12, 0, plus3)), aware(time.Date(2024, 5, 1, 10, 11, 12, 0, plus3))},
		{"2024-05-01T10:11:12+0300", aware(time.Date(2024, 5, 1, 10, 11, 12, 0, plus3)), aware(time.Date(2024, 5, 1, 10, 11, 12, 0, plus3)), no, no},
		{"2024-05-01T10:11:12+03", aware(time.Date(2024, 5, 1, 10, 11, 12, 0, plus3)), aware(time.Date(2024, 5, 1, 10, 11, 12, 0, plus3)), aware(time.Date(2024, 5, 1, 10, 11, 12, 0, plus3)), no},
		{"2024-05-01T10:11+03:00", aware(time.Date(2024, 5, 1, 10, 11, 0, 0, plus3)), aware(time.Date(2024, 5, 1, 10, 11, 0, 0, plus3)), no, no},
		{"2024-05-01T10:11+03", aware(time.Date(2024, 5, 1, 10, 11, 0, 0, plus3)), no, no, no},
		{"2024-05-01T10:11:12 +03:00", aware(time.Date(2024, 5, 1, 10, 11, 12, 0, plus3)), no, no, no},
		{"2024-05-01T10:11:12+24:00", no, aware(time.Date(2024, 5, 1, 10, 11, 12, 0, time.FixedZone("", 24*3600))), aware(time.Date(2024, 5, 1, 10, 11, 12, 0, time.FixedZone("", 24*3600))), aware(time.Date(2024, 5, 1, 10, 11, 12, 0, time.FixedZone("", 24*3600)))},
		{" 2024-05-01T10:11:12Z", aware(utc(2024, 5, 1, 10, 11, 12, 0)), aware(utc(2024, 5, 1, 10, 11, 12, 0)), aware(utc(2024, 5, 1, 10, 11, 12, 0)), no},
		{"2024-02-30", no, no, no, no},
		{"2024-05-01T24:00", no, no, no, no},
		{"2024-05-01T10", no, no, no, no},
		{"2024-05-01T10:11.5", no, no, no, no},
		{"", no, no, no, no},
	}
	for _, c := range cases {
		for _, f := range []struct {
			name string
			form DateTimeForm
			want read
		}{{"ClientInput", ClientInput, c.client}, {"StoredText", StoredText, c.stored}, {"SQLText", SQLText, c.sqlt}, {"APITimestamp", APITimestamp, c.api}} {
			got, off, ok := ParseDateTimeForm(c.in, f.form, time.UTC)
			if err := sameRead(got, off, ok, f.want.want, f.want.hasOffset, f.want.ok); err != nil {
				t.Errorf("%s(%q): %v", f.name, c.in, err)
			}
		}
	}
}

func TestParseClock(t *testing.T) {
	for _, c := range []struct {
		in        string
		short, ok bool
		h, m, s   int
		ns        int
	}{
		{"10:11", false, true, 10, 11, 0, 0},
		{"10:11:12.5", false, true, 10, 11, 12, 5e8},
		{"9:05", true, true, 9, 5, 0, 0},
		{"9:05", false, false, 0, 0, 0, 0},
		{"23:59:59,123456789", true, true, 23, 59, 59, 123456789},
		{"24:00", true, false, 0, 0, 0, 0},
		{"10:11Z", true, false, 0, 0, 0, 0},
		{"10:11.5", true, false, 0, 0, 0, 0},
	} {
		h, m, s, ns, ok := ParseClock(c.in, c.short)
		if ok != c.ok || h != c.h || m != c.m || s != c.s || ns != c.ns {
			t.Errorf("ParseClock(%q, %v) = %d %d %d %d %v", c.in, c.short, h, m, s, ns, ok)
		}
	}
}

// FuzzDateTimeForms: every form reads what the copy it replaced read, and
// nothing else.
func FuzzDateTimeForms(f *testing.F) {
	for _, s := range []string{"2024-05-01", "2024-05-01T10:11:12.123456789+03:00", "2024-05-01 10:11 -0530", "9999-12-31T23:59:59Z",
		"2024-05", "9:05:06,5", "2024-05-01  1:02:03+0300", "2024-05-01T10:11:12+24:60", "2024-05-01t10:11z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkForms(t, s) })
}
