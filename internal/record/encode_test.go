package record

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/schema"
)

func col(k schema.Kind, mods ...func(*schema.Column)) *schema.Column {
	c := &schema.Column{Name: "c", Kind: k, Nullable: true}
	for _, m := range mods {
		m(c)
	}
	return c
}

func TestAppendValue(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	aware := func(c *schema.Column) { c.HasTimezone = true }
	ts := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		c    *schema.Column
		v    any
		loc  *time.Location
		want string
	}{
		{"null", col(schema.KindText), nil, nil, `null`},
		{"text escapes", col(schema.KindText), "a\"b\\c\n<x>\x01", nil, `"a\"b\\c\n<x>\u0001"`},
		{"text bytes invalid utf8", col(schema.KindText), []byte{'a', 0xff}, nil, `"a\ufffd"`},
		{"non-ascii", col(schema.KindText), "東京 Zoë 🎵", nil, `"東京 Zoë 🎵"`},
		{"int", col(schema.KindInteger), int64(-42), nil, `-42`},
		{"uint64 big", col(schema.KindInteger), uint64(18446744073709551615), nil, `18446744073709551615`},
		{"int from bytes", col(schema.KindInteger), []byte("9007199254740993"), nil, `9007199254740993`},
		{"float", col(schema.KindFloat), 1.5, nil, `1.5`},
		{"float32", col(schema.KindFloat), float32(0.1), nil, `0.1`},
		{"nan", col(schema.KindFloat), math.NaN(), nil, `null`},
		{"inf", col(schema.KindFloat), math.Inf(1), nil, `null`},
		{"decimal text", col(schema.KindDecimal), "12.50", nil, `"12.50"`},
		{"decimal bytes", col(schema.KindDecimal), []byte("12.50"), nil, `"12.50"`},
		{"bool", col(schema.KindBoolean), true, nil, `true`},
		{"bool int", col(schema.KindBoolean), int64(0), nil, `false`},
		{"date", col(schema.KindDate), ts, nil, `"2024-05-01"`},
		{"datetime aware", col(schema.KindDateTime, aware), ts.In(time.FixedZone("", 3*3600)), nil, `"2024-05-01T13:00:00+03:00"`},
		{"datetime aware utc", col(schema.KindDateTime, aware), ts, nil, `"2024-05-01T10:00:00+00:00"`},
		{"datetime naive gets default zone", col(schema.KindDateTime), ts, berlin, `"2024-05-01T10:00:00+02:00"`},
		{"datetime micro", col(schema.KindDateTime, aware), ts.Add(123456 * time.Microsecond), nil, `"2024-05-01T10:00:00.123456+00:00"`},
		{"datetime text", col(schema.KindDateTime), "2024-05-01 10:00:00", nil, `"2024-05-01T10:00:00+00:00"`},
		{"json", col(schema.KindJSON), []byte(` {"a": [1, 2]} `), nil, `{"a": [1, 2]}`},
		{"json invalid stays text", col(schema.KindJSON), "not json", nil, `"not json"`},
		{"array ints", col(schema.KindArray), "{1,2,3}", nil, `[1,2,3]`},
		{"array text", col(schema.KindArray), `{"東京","a,b",NULL,plain}`, nil, `["東京","a,b",null,"plain"]`},
		{"array nested", col(schema.KindArray), "{{1,2},{3,4}}", nil, `[[1,2],[3,4]]`},
		{"array empty", col(schema.KindArray), "{}", nil, `[]`},
		{"binary hex", col(schema.KindBinary), []byte{0xde, 0xad}, nil, `"dead"`},
		{"uuid", col(schema.KindUUID), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", nil, `"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"`},
		{"time", col(schema.KindTime), []byte("10:00:01"), nil, `"10:00:01"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := string(AppendValue(nil, tc.c, tc.v, tc.loc))
			if got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
			if !json.Valid([]byte(got)) {
				t.Fatalf("invalid JSON %s", got)
			}
		})
	}
}

func TestEncoderDecimalScale(t *testing.T) {
	c := &schema.Column{Name: "price", Kind: schema.KindDecimal, InternalType: "DECIMAL(10, 2)"}
	e := NewEncoder([]*schema.Column{c}, nil)
	for v, want := range map[any]string{int64(10): `{"price":"10.00"}`, 7.5: `{"price":"7.50"}`, "3.10": `{"price":"3.10"}`} {
		if got := string(e.AppendRow(nil, []any{v})); got != want {
			t.Errorf("%v: %s, want %s", v, got, want)
		}
	}
}

func TestDecoderValue(t *testing.T) {
	n := func(s string) json.Number { return json.Number(s) }
	notNull := func(c *schema.Column) { c.Nullable = false }
	aware := func(c *schema.Column) { c.HasTimezone = true }
	pg := Decoder{Engine: config.EnginePostgres}
	lite := Decoder{Engine: config.EngineSQLite}
	int4 := func(c *schema.Column) { c.InternalType, c.IntBits = "INTEGER", 32 }
	my := Decoder{Engine: config.EngineMySQL}
	for _, tc := range []struct {
		name string
		d    Decoder
		c    *schema.Column
		in   any
		want any
		msg  string
	}{
		{"int", pg, col(schema.KindInteger), n("12"), int64(12), ""},
		{"int from float text", pg, col(schema.KindInteger), n("12.0"), int64(12), ""},
		{"int bad", pg, col(schema.KindInteger), "many", nil, MsgInteger},
		{"int fraction", pg, col(schema.KindInteger), n("1.5"), nil, MsgInteger},
		{"int4 out of range", pg, col(schema.KindInteger, int4), n("2147483648"), nil, "out of range: INTEGER holds integers from -2147483648 to 2147483647"},
		{"int4 out of range as text", pg, col(schema.KindInteger, int4), "-2147483649", nil, "out of range: INTEGER holds integers from -2147483648 to 2147483647"},
		{"int4 out of range as float", pg, col(schema.KindInteger, int4), n("3e9"), nil, "out of range: INTEGER holds integers from -2147483648 to 2147483647"},
		{"beyond int64", lite, col(schema.KindInteger), n("99999999999999999999"), nil, "out of range: the column holds integers from -9223372036854775808 to 9223372036854775807"},
		{"int4 edge", pg, col(schema.KindInteger, int4), n("2147483647"), int64(2147483647), ""},
		{"int bool", pg, col(schema.KindInteger), true, int64(1), ""},
		{"float", pg, col(schema.KindFloat), "2.5", 2.5, ""},
		{"float bad", pg, col(schema.KindFloat), "x", nil, MsgFloat},
		{"decimal keeps digits", pg, col(schema.KindDecimal), n("0.10000000000000000001"), "0.10000000000000000001", ""},
		{"bool pg", pg, col(schema.KindBoolean), "off", false, ""},
		{"bool sqlite", lite, col(schema.KindBoolean), true, int64(1), ""},
		{"null ok", pg, col(schema.KindText), nil, nil, ""},
		{"null refused", pg, col(schema.KindText, notNull), nil, nil, MsgNotNull},
		{"list joined", pg, col(schema.KindText), []any{"a", n("1")}, "a,1", ""},
		{"date", pg, col(schema.KindDate), "2024-05-01T10:00:00Z", "2024-05-01", ""},
		{"date bad", pg, col(schema.KindDate), "yesterday", nil, MsgDate},
		{"datetime aware", pg, col(schema.KindDateTime, aware), "2024-05-01T13:00:00+03:00", time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC), ""},
		{"datetime on SQLite keeps the wall time", lite, col(schema.KindDateTime), "2024-05-01T13:00:00+03:00", "2024-05-01 13:00:00", ""},                          // as upstream: the offset is dropped
		{"mysql timestamp keeps the wall time", my, col(schema.KindDateTime, aware), "2024-05-01T13:00:00+03:00", time.Date(2024, 5, 1, 13, 0, 0, 0, time.UTC), ""}, // as upstream
		{"mysql json text as written", my, col(schema.KindJSON), "not json", "not json", ""},                                                                        // the JSON CHECK refuses it
		{"json object", pg, col(schema.KindJSON), map[string]any{"a": n("1")}, `{"a":1}`, ""},
		{"json string that is json", pg, col(schema.KindJSON), `[1,2]`, `[1,2]`, ""},
		{"json plain string", pg, col(schema.KindJSON), `hello`, `"hello"`, ""},
		{"array", pg, col(schema.KindArray), []any{n("1"), "a b", nil}, `{1,"a b",NULL}`, ""},
		{"binary", pg, col(schema.KindBinary), "dead", []byte{0xde, 0xad}, ""},
		{"binary bad", pg, col(schema.KindBinary), "zz", nil, MsgHex},
		{"uuid bad", pg, col(schema.KindUUID), "nope", nil, MsgUUID},
		{"enum bad", pg, col(schema.KindEnum, func(c *schema.Column) { c.EnumValues = []string{"a"} }), "b", nil, MsgEnumChoice},
		{"time", pg, col(schema.KindTime), "10:00", "10:00", ""},
		{"time bad", pg, col(schema.KindTime), "25:00:00", nil, MsgTime},
		{"time one-digit hour", pg, col(schema.KindTime), " 9:05:06.1234567 ", "9:05:06.1234567", ""},
		{"time comma fraction", pg, col(schema.KindTime), "10:00:01,5", "10:00:01,5", ""},
		{"time fraction without seconds", pg, col(schema.KindTime), "10:00.5", nil, MsgTime},
		{"time offset", pg, col(schema.KindTime), "10:00:00Z", nil, MsgTime},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, msg := tc.d.Value(tc.c, tc.in)
			if msg != tc.msg {
				t.Fatalf("msg %q, want %q", msg, tc.msg)
			}
			if tc.msg != "" {
				return
			}
			gb, _ := json.Marshal(got)
			wb, _ := json.Marshal(tc.want)
			if tt, ok := got.(time.Time); ok {
				if !tt.Equal(tc.want.(time.Time)) {
					t.Fatalf("got %v want %v", tt, tc.want)
				}
				return
			}
			if string(gb) != string(wb) {
				t.Fatalf("got %s (%T), want %s", gb, got, wb)
			}
		})
	}
}

func TestParseDateTime(t *testing.T) {
	for in, want := range map[string]string{
		"2024-05-01":                       "2024-05-01T00:00:00Z false",
		"2024-05-01T10:00:00Z":             "2024-05-01T10:00:00Z true",
		"2024-05-01 10:00:00+03":           "2024-05-01T10:00:00+03:00 true",
		"2024-05-01T10:00:00.5+0300":       "2024-05-01T10:00:00.5+03:00 true",
		"2024-05-01T10:00":                 "2024-05-01T10:00:00Z false",
		"2024-05-01 10:00:00.123456":       "2024-05-01T10:00:00.123456Z false",
		"2024-05-01T10:00:00.123456-05:00": "2024-05-01T10:00:00.123456-05:00 true",
		"2024-05-01  9:05":                 "2024-05-01T09:05:00Z false",
		"2024-05-01 10:05+0530":            "2024-05-01T10:05:00+05:30 true",
		" 2024-05-01T10:00:00,5Z ":         "2024-05-01T10:00:00.5Z true",
	} {
		dt, err := ParseDateTime(in)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		got := dt.Time.Format(time.RFC3339Nano) + " " + map[bool]string{true: "true", false: "false"}[dt.HasOffset]
		if got != want {
			t.Errorf("%s: %s, want %s", in, got, want)
		}
	}
	for _, bad := range []string{"", "tomorrow", "2024-13-01", "01/05/2024", "2024-05", "2024-05-01t10:00", "2024-05-01T10:00+03", "2024-05-01T10:00:00 +03:00", "2024-05-01T10:00:00z"} {
		if _, err := ParseDateTime(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func BenchmarkEncodeRow(b *testing.B) {
	cols := []*schema.Column{
		{Name: "id", Kind: schema.KindInteger}, {Name: "name", Kind: schema.KindText},
		{Name: "price", Kind: schema.KindDecimal, InternalType: "NUMERIC(10, 2)"}, {Name: "created_at", Kind: schema.KindDateTime, HasTimezone: true},
		{Name: "active", Kind: schema.KindBoolean}, {Name: "meta", Kind: schema.KindJSON},
	}
	vals := []any{int64(1234), "Some track name", "12.50", time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC), true, []byte(`{"a":1}`)}
	e := NewEncoder(cols, nil)
	row := map[string]any{"id": 1234, "name": "Some track name", "price": "12.50", "created_at": "2024-05-01T10:00:00+00:00", "active": true, "meta": json.RawMessage(`{"a":1}`)}
	b.Run("encoder", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 0, 512)
		for i := 0; i < b.N; i++ {
			buf = e.AppendRow(buf[:0], vals)
		}
	})
	b.Run("baseline_json_marshal_map", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			_, _ = json.Marshal(row)
		}
	})
}

// TestAppendISOMatchesFormat checks the hand-written datetime layout against
// time.Format over many instants and zones, including odd offsets.
func TestAppendISOMatchesFormat(t *testing.T) {
	var zones []*time.Location
	for _, name := range []string{"UTC", "Europe/Berlin", "Asia/Kolkata", "America/St_Johns", "Pacific/Chatham", "Africa/Monrovia", "America/Sao_Paulo"} {
		if loc, err := time.LoadLocation(name); err == nil {
			zones = append(zones, loc)
		}
	}
	zones = append(zones, time.FixedZone("", -30), time.FixedZone("", 5*3600+30*60+17), time.FixedZone("", -(9*3600+30*60)))
	instants := []time.Time{
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(1900, 1, 1, 0, 0, 0, 1000, time.UTC), time.Date(1969, 12, 31, 23, 59, 59, 999999000, time.UTC),
		time.Date(2024, 2, 29, 12, 0, 0, 500, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-5, 3, 1, 0, 0, 0, 0, time.UTC),
	}
	for i := int64(0); i < 2000; i++ {
		instants = append(instants, time.Unix(-2208988800+i*1579031+i*i*7919, (i*7777777)%1e9))
	}
	for _, loc := range zones {
		for _, in := range instants {
			tt := in.In(loc)
			want := tt.Format("2006-01-02T15:04:05")
			if tt.Nanosecond()/1000 != 0 {
				want = tt.Format("2006-01-02T15:04:05.000000")
			}
			want += tt.Format("-07:00")
			if got := string(AppendISO(nil, tt)); got != want {
				t.Fatalf("%v: got %s, want %s", tt, got, want)
			}
		}
	}
}

func BenchmarkAppendISO(b *testing.B) {
	tt := time.Date(2024, 5, 1, 10, 0, 0, 123456000, time.FixedZone("", 7200))
	buf := make([]byte, 0, 64)
	b.Run("digits", func(b *testing.B) {
		for b.Loop() {
			buf = AppendISO(buf[:0], tt)
		}
	})
	b.Run("time_format", func(b *testing.B) {
		appendISOFormat := func(b []byte, t time.Time) []byte {
			if t.Nanosecond()/1000 != 0 {
				b = t.AppendFormat(b, "2006-01-02T15:04:05.000000")
			} else {
				b = t.AppendFormat(b, "2006-01-02T15:04:05")
			}
			return t.AppendFormat(b, "-07:00")
		}
		for b.Loop() {
			buf = appendISOFormat(buf[:0], tt)
		}
	})
}

// TestEncoderWrapped: a wrapped encoder writes each row inside head and
// tail, and the row itself as the plain encoder does.
func TestEncoderWrapped(t *testing.T) {
	cols := []*schema.Column{{Name: "id", Kind: schema.KindInteger}, {Name: `na"me`, Kind: schema.KindText}}
	for _, tc := range []struct {
		cols []*schema.Column
		vals []any
		want string
	}{
		{cols, []any{int64(1), "x}"}, `{"k":{"id":1,"na\"me":"x}"}}`},
		{cols, []any{nil, nil}, `{"k":{"id":null,"na\"me":null}}`},
		{nil, nil, `{"k":{}}`},
	} {
		plain := NewEncoder(tc.cols, time.UTC)
		w := plain.Wrapped([]byte(`{"k":`), "}")
		if got := string(w.AppendRow(nil, tc.vals)); got != tc.want {
			t.Errorf("wrapped: %s, want %s", got, tc.want)
		}
		if got, want := string(plain.AppendRow(nil, tc.vals)), tc.want[5:len(tc.want)-1]; got != want {
			t.Errorf("the plain encoder changed: %s, want %s", got, want)
		}
	}
}
