package sqlapi

import (
	"math"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
)

func TestAppendValue(t *testing.T) {
	plus3 := time.FixedZone("", 3*3600)
	utcZones := &zones{naive: time.UTC, session: time.UTC}
	noZone := &zones{naive: nil, session: time.UTC}
	plus3Zones := &zones{naive: plus3, session: plus3}
	ts := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		enc  encKind
		elem arrayElem
		v    any
		z    *zones
		want string
	}{
		{"nil", encAny, 0, nil, utcZones, `null`},
		{"int", encAny, 0, int64(-42), utcZones, `-42`},
		{"uint", encAny, 0, uint64(18446744073709551615), utcZones, `18446744073709551615`},
		{"float", encAny, 0, 1.5, utcZones, `1.5`},
		{"NaN", encAny, 0, math.NaN(), utcZones, `null`},
		{"Inf", encAny, 0, math.Inf(-1), utcZones, `null`},
		{"float32", encFloat32, 0, float64(float32(1.1)), utcZones, `1.1`},
		{"bool", encAny, 0, true, utcZones, `true`},
		{"string escapes", encAny, 0, "a\"b\\c\n<&>\u2028\x01", utcZones, `"a\"b\\c\n<&>\u2028\u0001"`},
		{"utf8 bytes", encAny, 0, []byte("héllo"), utcZones, `"héllo"`},
		{"binary bytes", encAny, 0, []byte{0xff, 0x00, 0x10}, utcZones, `"ff0010"`},
		{"pg bytea as upstream", encPGBytes, 0, []byte("AB"), utcZones, `["A","B"]`},
		{"pg bytea beyond ASCII", encPGBytes, 0, []byte{0xff, 0x41}, utcZones, `"ff41"`},
		{"mysql day bucket", encGroupDay, 0, "2021-01-01 00:00:00", utcZones, `"2021-01-01"`},
		{"sqlite stored text", encSQLiteText, 0, ts, utcZones, `"2024-05-01 10:00:00"`},
		{"naive datetime, default zone UTC", encAny, 0, ts, utcZones, `"2024-05-01T10:00:00Z"`},
		{"naive datetime, default zone +03", encAny, 0, ts, plus3Zones, `"2024-05-01T10:00:00+03:00"`},
		{"naive datetime, no default zone", encAny, 0, ts.Add(123456 * time.Microsecond), noZone, `"2024-05-01T10:00:00.123456"`},
		{"aware datetime", encAware, 0, ts, plus3Zones, `"2024-05-01T13:00:00+03:00"`},
		{"aware datetime utc", encAware, 0, ts.In(plus3), utcZones, `"2024-05-01T10:00:00Z"`},
		{"mysql zero datetime", encAny, 0, time.Time{}, utcZones, `null`},
		{"date", encDate, 0, ts, plus3Zones, `"2024-05-01"`},
		{"decimal text", encNumText, 0, []byte("12.50"), utcZones, `12.5`}, // as upstream: float(Decimal)
		{"decimal string", encNumText, 0, "-0.001", utcZones, `-0.001`},
		{"decimal NaN", encNumText, 0, "NaN", utcZones, `null`},
		{"decimal Infinity", encNumText, 0, "-Infinity", utcZones, `null`},
		{"decimal junk", encNumText, 0, "1,5", utcZones, `"1,5"`},
		{"json", encJSON, 0, []byte(` {"a": [1, 2]} `), utcZones, `{"a": [1, 2]}`},
		{"json invalid", encJSON, 0, []byte(`{nope`), utcZones, `"{nope"`},
		{"interval", encInterval, 0, "1 year 2 mons 3 days 04:05:06.5", utcZones, `"36993906.5"`},
		{"interval negative", encInterval, 0, "-1 days +02:00:00", utcZones, `"-79200.0"`},
		{"interval zero", encInterval, 0, "00:00:00", utcZones, `"0.0"`},
		{"interval other style", encInterval, 0, "P1D", utcZones, `"P1D"`},
		{"int array", encPGArray, elemNumber, "{1,2,NULL}", utcZones, `[1,2,null]`},
		{"nested array", encPGArray, elemNumber, "{{1,2},{3,4}}", utcZones, `[[1,2],[3,4]]`},
		{"text array", encPGArray, elemText, `{"a b","x\"y",NULL,"NULL",plain}`, utcZones, `["a b","x\"y",null,"NULL","plain"]`},
		{"bool array", encPGArray, elemBool, "{t,f}", utcZones, `[true,false]`},
		{"json array", encPGArray, elemJSON, `{"{\"a\": 1}","[2]"}`, utcZones, `[{"a": 1},[2]]`},
		{"empty array", encPGArray, elemNumber, "{}", utcZones, `[]`},
		{"bounded array", encPGArray, elemNumber, "[0:1]={5,6}", utcZones, `[5,6]`},
		{"broken array", encPGArray, elemNumber, "{1,2", utcZones, `"{1,2"`},
		{"group date text", encGroupDate, 0, "2024-02-01 00:00:00", utcZones, `"2024-02-01T00:00:00Z"`},
		{"group date bytes", encGroupDate, 0, []byte("2024-02-01 10:00:00.500000"), noZone, `"2024-02-01T10:00:00.500000"`},
		{"group date only", encGroupDate, 0, "2024-02-01", utcZones, `"2024-02-01"`},
		{"group date other", encGroupDate, 0, "Feb", utcZones, `"Feb"`},
		{"group month label", encGroupDate, 0, "2024-02", utcZones, `"2024-02-01T00:00:00Z"`},
		{"group date aware text", encGroupDate, 0, "2024-02-01 10:00:00+03", utcZones, `"2024-02-01T10:00:00+03:00"`},
		{"group date four-digit offset stays text", encGroupDate, 0, "2024-02-01 10:00:00+0300", utcZones, `"2024-02-01 10:00:00+0300"`},
		{"group date offset after minutes stays text", encGroupDate, 0, "2024-02-01 10:00Z", utcZones, `"2024-02-01 10:00Z"`},
		{"day bucket of a bad date stays text", encGroupDay, 0, "2021-02-30 00:00:00", utcZones, `"2021-02-30 00:00:00"`},
		{"group date time", encGroupDate, 0, ts, utcZones, `"2024-05-01T10:00:00Z"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &column{enc: tc.enc, elem: tc.elem}
			if got := string(appendValue(nil, c, tc.v, tc.z)); got != tc.want {
				t.Errorf("got %s want %s", got, tc.want)
			}
		})
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		eng    config.Engine
		dbType string
		enc    encKind
		elem   arrayElem
	}{
		{config.EnginePostgres, "JSONB", encJSON, 0},
		{config.EnginePostgres, "NUMERIC", encNumText, 0},
		{config.EnginePostgres, "TIMESTAMPTZ", encAware, 0},
		{config.EnginePostgres, "TIMESTAMP", encAny, 0},
		{config.EnginePostgres, "_INT4", encPGArray, elemNumber},
		{config.EnginePostgres, "_TEXT", encPGArray, elemText},
		{config.EnginePostgres, "INTERVAL", encInterval, 0},
		{config.EngineMySQL, "DECIMAL", encNumText, 0},
		{config.EngineMySQL, "JSON", encJSON, 0},
		{config.EngineMySQL, "TIMESTAMP", encSessionTS, 0},
		{config.EngineMySQL, "DATETIME", encAny, 0},
		{config.EngineSQLite, "DATE", encDate, 0},
		{config.EngineSQLite, "NUMERIC", encAny, 0},
	}
	for _, tc := range tests {
		enc, elem := classify(dialectOf(tc.eng), tc.dbType)
		if enc != tc.enc || elem != tc.elem {
			t.Errorf("%s %s: got %d/%d want %d/%d", tc.eng, tc.dbType, enc, elem, tc.enc, tc.elem)
		}
	}
}

func TestParseZone(t *testing.T) {
	r := &Runner{}
	tests := []struct {
		in        string
		ok        bool
		off       int // seconds east at 2024-01-01
		pg, mysql string
	}{
		{"+03:00", true, 3 * 3600, "3", "+03:00"},
		{"-0530", true, -(5*3600 + 1800), "-5.5", "-05:30"},
		{"+3", true, 3 * 3600, "3", "+03:00"},
		{"UTC", true, 0, "UTC", "+00:00"},
		{"Z", true, 0, "UTC", "+00:00"},
		{"UTC+02:00", true, 2 * 3600, "2", "+02:00"},
		{"Europe/Paris", true, 3600, "Europe/Paris", "Europe/Paris"},
		{"Mars/Olympus", false, 0, "", ""},
		{"'; DROP TABLE t; --", false, 0, "", ""},
		{"+25:00", false, 0, "", ""},
		{"Local", false, 0, "", ""},
		{"", false, 0, "", ""},
	}
	for _, tc := range tests {
		z, ok := r.parseZone(tc.in)
		if ok != tc.ok {
			t.Errorf("%q: ok %v want %v", tc.in, ok, tc.ok)
			continue
		}
		if !ok {
			continue
		}
		_, off := time.Date(2024, 1, 1, 0, 0, 0, 0, z.loc).Zone()
		if off != tc.off || z.pg != tc.pg || z.mysql != tc.mysql {
			t.Errorf("%q: got off %d pg %q mysql %q", tc.in, off, z.pg, z.mysql)
		}
	}
}

func TestPgFieldType(t *testing.T) {
	for in, want := range map[string]string{
		"INT4": "IntegerField", "NUMERIC": "FloatField", "TEXT": "TextField", "VARCHAR": "CharField",
		"TIMESTAMPTZ": "DateTimeField", "DATE": "DateField", "JSONB": "JSONField", "_INT4": "IntegerField",
		"UUID": "UUIDField", "BOOL": "BooleanField", "BYTEA": "CharField", "16385": "",
	} {
		if got := pgFieldType(in); got != want {
			t.Errorf("%s: got %q want %q", in, got, want)
		}
	}
}
