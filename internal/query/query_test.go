package query

import (
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/schema"
)

var (
	sqliteDialect = db.DialectFor(config.EngineSQLite)
	pgDialect     = db.DialectFor(config.EnginePostgres)
	mysqlDialect  = db.DialectFor(config.EngineMySQL)
	dialects      = []db.Dialect{sqliteDialect, pgDialect, mysqlDialect}
)

// unitFixture is the items model without a database (SQLite flavour).
func unitFixture(t testing.TB) *schema.Model {
	t.Helper()
	return testSchema(config.EngineSQLite, "").Model("items")
}

func mustParse(t *testing.T, d db.Dialect, raw string) *Query {
	t.Helper()
	s := testSchema(d.Engine, "app")
	params, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatal(err)
	}
	q, err := ParseWith(s.Model("items"), d, params, Options{Schema: s})
	if err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	return q
}

func errBody(t *testing.T, err error) string {
	t.Helper()
	ae, ok := apierr.As(err)
	if !ok {
		t.Fatalf("error %v (%T) is not an *apierr.Error", err, err)
	}
	if ae.Status != 400 {
		t.Fatalf("status %d, want 400", ae.Status)
	}
	return toJSON(t, ae.Body)
}

// toJSON is JSON without HTML escaping (as the bridge sends it).
func toJSON(t testing.TB, v any) string {
	t.Helper()
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(sb.String(), "\n")
}

// TestParseErrors: every 400 of Parse, in the spec's error shapes.
func TestParseErrors(t *testing.T) {
	cases := []struct{ q, body string }{
		{"qty=abc", `{"non_field_errors":["qty: not a valid integer"],"qty":["not a valid integer"]}`},
		{"qty__gt=1e400", `{"non_field_errors":["qty: not a valid integer"],"qty":["not a valid integer"]}`},
		{"qty__gt=nan", `{"non_field_errors":["qty: not a valid integer"],"qty":["not a valid integer"]}`},
		{"qty__gt=0x10", `{"non_field_errors":["qty: not a valid integer"],"qty":["not a valid integer"]}`},
		{"qty__in=1,x", `{"non_field_errors":["qty: not a valid integer"],"qty":["not a valid integer"]}`},
		{"qty__icontains=abc", `{"non_field_errors":["qty: not a valid integer"],"qty":["not a valid integer"]}`},
		{"exclude__qty=abc", `{"non_field_errors":["qty: not a valid integer"],"qty":["not a valid integer"]}`},
		{"price__lt=12,5", `{"non_field_errors":["price: not a valid float"],"price":["not a valid float"]}`},
		{"ratio=inf", `{"non_field_errors":["ratio: not a valid float"],"ratio":["not a valid float"]}`},
		{"born=2024-13-01", `{"born":["date has wrong format"],"non_field_errors":["born: date has wrong format"]}`},
		{"born=2024-02-30", `{"born":["date has wrong format"],"non_field_errors":["born: date has wrong format"]}`},
		{"born__gte=yesterday", `{"born":["date has wrong format"],"non_field_errors":["born: date has wrong format"]}`},
		{"created__lt=2024-01-01T25:00", `{"created":["date has wrong format"],"non_field_errors":["created: date has wrong format"]}`},
		{"created=2024-01-01T10:00:00%2B3", `{"created":["date has wrong format"],"non_field_errors":["created: date has wrong format"]}`},
		{"created__in=2024-01-01,nope", `{"created":["date has wrong format"],"non_field_errors":["created: date has wrong format"]}`},
		{"_order_by=nope", `{"non_field_errors":["Table \"items\" does not have column \"nope\""]}`},
		{"_order_by=x", `{"non_field_errors":["Table \"items\" does not have column \"x\""]}`},
		{"_order_by=-", `{"non_field_errors":["Table \"items\" does not have column \"\""]}`},
		{"_order_by=id&_order_by=-nope", `{"non_field_errors":["Table \"items\" does not have column \"nope\""]}`},
		{"_segment=vip", `{"non_field_errors":["_segment is not supported: named SQL segments cannot be used as filters by this bridge"]}`},
		{"_relation=owner_id.nosuch.id|name.x", `{"non_field_errors":["_relation: unknown table \"nosuch\""]}`},
		{"_relation=owner_id.users.nope|name.x", `{"non_field_errors":["Table \"users\" does not have column \"nope\""]}`},
		{"_relation=nope.users.id|name.x", `{"non_field_errors":["Table \"items\" does not have column \"nope\""]}`},
		{"_relation=owner_id.users.id|nope.x", `{"non_field_errors":["Table \"users\" does not have column \"nope\""]}`},
		{"_relation=" + strings.Repeat("owner_id.items.id|", 9) + "name.x", `{"non_field_errors":["_relation has 9 hops: at most 8"]}`},
		{"_relation=owner_id.users|name.x", `{"non_field_errors":["_relation hop \"owner_id.users\" is not <column>.<table>.<column>"]}`},
		{"_relation=abc", `{"non_field_errors":["_relation must end with <column>.<value>[,<value>…]"]}`},
		{"_relation=owner_id.users.id|id.x", `{"id":["not a valid integer"],"non_field_errors":["id: not a valid integer"]}`},
		{"_relation=data.x", `{"non_field_errors":["_relation cannot compare JSON column \"data\""]}`},
		{"_m2m=tags", `{"non_field_errors":["_m2m must be <table>,<value>"]}`},
		{"_m2m=nosuch,1", `{"non_field_errors":["_m2m: unknown table \"nosuch\""]}`},
		{"_m2m=tags,x", `{"non_field_errors":["tag_id: not a valid integer"],"tag_id":["not a valid integer"]}`},
		// integers no column holds: a 400 naming the column, not a guess
		{"qty__gt=1e30", `{"non_field_errors":["qty: out of range: the column holds integers from -9223372036854775808 to 9223372036854775807"],"qty":["out of range: the column holds integers from -9223372036854775808 to 9223372036854775807"]}`},
		{"qty__lt=-1e30", `{"non_field_errors":["qty: out of range: the column holds integers from -9223372036854775808 to 9223372036854775807"],"qty":["out of range: the column holds integers from -9223372036854775808 to 9223372036854775807"]}`},
		{"qty=99999999999999999999", `{"non_field_errors":["qty: out of range: the column holds integers from -9223372036854775808 to 9223372036854775807"],"qty":["out of range: the column holds integers from -9223372036854775808 to 9223372036854775807"]}`},
	}
	for _, d := range dialects {
		s := testSchema(d.Engine, "")
		for _, tc := range cases {
			params, err := url.ParseQuery(tc.q)
			if err != nil {
				t.Fatal(err)
			}
			_, err = ParseWith(s.Model("items"), d, params, Options{Schema: s})
			if err == nil {
				t.Errorf("%s %s: no error, want %s", d.Engine, tc.q, tc.body)
				continue
			}
			if got := errBody(t, err); got != tc.body {
				t.Errorf("%s %s: %s, want %s", d.Engine, tc.q, got, tc.body)
			}
		}
	}
	// without a schema, _relation and _m2m cannot resolve tables
	for _, raw := range []string{"_relation=name.x", "_m2m=tags,1"} {
		params, _ := url.ParseQuery(raw)
		if _, err := Parse(unitFixture(t), sqliteDialect, params); err == nil || !strings.Contains(errBody(t, err), "not available") {
			t.Errorf("%s without schema: %v", raw, err)
		}
	}
	// an `in` list longer than MaxInValues
	long := strings.Repeat("1,", MaxInValues) + "1"
	params := url.Values{"qty__in": {long}}
	if _, err := Parse(unitFixture(t), sqliteDialect, params); err == nil || errBody(t, err) != `{"non_field_errors":["qty: too many values: at most 10000"],"qty":["too many values: at most 10000"]}` {
		t.Errorf("long in: %v", err)
	}
	params = url.Values{"qty__in": {strings.Repeat("1,", MaxInValues-1) + "1"}}
	if _, err := Parse(unitFixture(t), sqliteDialect, params); err != nil {
		t.Errorf("in with %d values: %v", MaxInValues, err)
	}
}

// TestSelectSQL pins the statement text: identifiers quoted, values bound,
// PostgreSQL placeholders numbered across the statement, default ordering.
func TestSelectSQL(t *testing.T) {
	const cols = `"id", "name", "note", "qty", "price", "ratio", "active", "born", "created", "status", "data", "position", "page", "owner_id"`
	mcols := strings.ReplaceAll(cols, `"`, "`")
	cases := []struct {
		d         db.Dialect
		q         string
		limit     int
		offset    int
		sql       string
		args      string
		hasWhere  bool
		countSQL  string
		estimates bool
	}{
		{pgDialect, "", 25, 0, `SELECT ` + cols + ` FROM "app"."items" ORDER BY "id" DESC LIMIT $1`, `[25]`, false,
			`SELECT COUNT(*) FROM "app"."items"`, true},
		{pgDialect, "name=a&qty__gt=1&_order_by=-qty", 10, 20,
			`SELECT ` + cols + ` FROM "app"."items" WHERE ("name" = $1) AND ("qty" > $2) ORDER BY "qty" DESC, "id" DESC LIMIT $3 OFFSET $4`,
			`["a",1,10,20]`, true, `SELECT COUNT(*) FROM "app"."items" WHERE ("name" = $1) AND ("qty" > $2)`, false},
		{mysqlDialect, "name__icontains=50%25_off&_order_by=id", -1, 5,
			"SELECT " + mcols + " FROM `app`.`items` WHERE LOWER(`name`) LIKE LOWER(?) ESCAPE '!' ORDER BY `id` LIMIT 18446744073709551615 OFFSET ?",
			`["%50!%!_off%",5]`, true, "", false},
		{sqliteDialect, "status__in=new,paid&exclude__active=true", -1, 0,
			`SELECT ` + cols + ` FROM "app"."items" WHERE (NOT ("active" = ?)) AND ("status" IN (?, ?)) ORDER BY "id" DESC`,
			`[1,"new","paid"]`, true, "", false},
		{sqliteDialect, "", -1, 3, `SELECT ` + cols + ` FROM "app"."items" ORDER BY "id" DESC LIMIT -1 OFFSET ?`, `[3]`, false, "", false},
		{pgDialect, "page=2&_per_page=5&tz=UTC&cid=1&invoker=x&draft=1&_no_pagination=1&_y_func=count&_x_column=qty", -1, 0,
			`SELECT ` + cols + ` FROM "app"."items" ORDER BY "id" DESC`, `[]`, false, "", true},
		{pgDialect, "_search=Abc", -1, 0,
			`SELECT ` + cols + ` FROM "app"."items" WHERE ("name" ILIKE $1 ESCAPE '!') OR ("note" ILIKE $2 ESCAPE '!') OR (CAST("status" AS text) ILIKE $3 ESCAPE '!') OR (CAST("data" AS text) ILIKE $4 ESCAPE '!') ORDER BY "id" DESC`,
			`["%Abc%","%Abc%","%Abc%","%Abc%"]`, true, "", false},
	}
	for _, tc := range cases {
		q := mustParse(t, tc.d, tc.q)
		got, args := q.SelectSQL(tc.limit, tc.offset)
		if got != tc.sql {
			t.Errorf("%s %q:\n got %s\nwant %s", tc.d.Engine, tc.q, got, tc.sql)
		}
		if a, _ := json.Marshal(args); string(a) != tc.args {
			t.Errorf("%s %q: args %s, want %s", tc.d.Engine, tc.q, a, tc.args)
		}
		if q.HasWhere() != tc.hasWhere {
			t.Errorf("%s %q: HasWhere %v", tc.d.Engine, tc.q, q.HasWhere())
		}
		if tc.countSQL != "" {
			if c, _ := q.CountSQL(); c != tc.countSQL {
				t.Errorf("%s %q: count\n got %s\nwant %s", tc.d.Engine, tc.q, c, tc.countSQL)
			}
		}
		if _, _, ok := q.EstimateSQL(); ok != tc.estimates {
			t.Errorf("%s %q: EstimateSQL ok=%v", tc.d.Engine, tc.q, ok)
		}
	}
}

// TestPKAuto: a table whose key was promoted gets "pk IS NOT NULL" (§8.6).
func TestPKAuto(t *testing.T) {
	m := simpleModel("", "v", textCol("code"), intCol("n"))
	m.PKAuto = true
	q, err := Parse(m, sqliteDialect, url.Values{"n": {"3"}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := q.SelectSQL(-1, 0)
	if want := `SELECT "code", "n" FROM "v" WHERE ("code" IS NOT NULL) AND ("n" = ?) ORDER BY "code" DESC`; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

// TestSource: a raw SQL source keeps its own parameters first.
func TestSource(t *testing.T) {
	m := simpleModel("", "q", intCol("n"), textCol("s"))
	params := url.Values{"n__gte": {"2"}, "_order_by": {"s"}}
	q, err := ParseWith(m, pgDialect, params, Options{Source: "(SELECT n, s FROM t WHERE k = $1) AS q", SourceArgs: []any{"k"}})
	if err != nil {
		t.Fatal(err)
	}
	got, args := q.SelectSQL(5, 0)
	want := `SELECT "n", "s" FROM (SELECT n, s FROM t WHERE k = $1) AS q WHERE "n" >= $2 ORDER BY "s", "n" DESC LIMIT $3`
	if got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	if a, _ := json.Marshal(args); string(a) != `["k",2,5]` {
		t.Errorf("args %s", a)
	}
	if _, _, ok := q.EstimateSQL(); ok {
		t.Error("a source has no estimate")
	}
}

// Integers outside their column's range are a 400 naming the column (with
// ErrOutOfRange as the cause, which a key lookup turns into 404), never a
// value the driver refuses to encode.
func TestIntegerRange(t *testing.T) {
	int4 := &schema.Column{Name: "quantity", Kind: schema.KindInteger, InternalType: "INTEGER", IntBits: 32}
	u8 := &schema.Column{Name: "level", Kind: schema.KindInteger, InternalType: "TINYINT", IntBits: 8, Unsigned: true}
	lite := &schema.Column{Name: "n", Kind: schema.KindInteger, InternalType: "INTEGER"}
	tests := []struct {
		c   *schema.Column
		in  string
		out bool
	}{
		{int4, "2147483647", false}, {int4, "2147483648", true}, {int4, "-2147483649", true},
		{int4, "99999999999999999999", true}, {u8, "255", false}, {u8, "256", true}, {u8, "-1", true},
		{lite, "9223372036854775807", false}, {lite, "9223372036854775808", true},
	}
	for _, tc := range tests {
		_, err := ParseValue(tc.c, tc.in)
		if !tc.out {
			if err != nil {
				t.Errorf("%s %s: %v", tc.c.Name, tc.in, err)
			}
			continue
		}
		if !errors.Is(err, ErrOutOfRange) || !strings.Contains(errBody(t, err), `"`+tc.c.Name+`: out of range: `) {
			t.Errorf("%s %s: %v", tc.c.Name, tc.in, err)
		}
	}
	if _, err := ParseValue(int4, "2147483648"); err == nil || !strings.Contains(errBody(t, err), "INTEGER holds integers from -2147483648 to 2147483647") {
		t.Errorf("message: %v", err)
	}
}

func TestParseValue(t *testing.T) {
	col := func(k schema.Kind) *schema.Column { return &schema.Column{Name: "c", Kind: k} }
	cases := []struct {
		kind schema.Kind
		in   string
		want any
		err  string
	}{
		{schema.KindInteger, "42", int64(42), ""},
		{schema.KindInteger, " -7 ", int64(-7), ""},
		{schema.KindInteger, "true", int64(1), ""},
		{schema.KindInteger, "1.5", nil, msgInteger},
		{schema.KindInteger, "", nil, msgInteger},
		{schema.KindFloat, "1.5", 1.5, ""},
		{schema.KindFloat, "false", 0.0, ""},
		{schema.KindFloat, "1e3", 1000.0, ""},
		{schema.KindFloat, "abc", nil, msgFloat},
		{schema.KindFloat, "NaN", nil, msgFloat},
		{schema.KindDecimal, " 12.50 ", "12.50", ""},
		{schema.KindDecimal, "+3", "3", ""},
		{schema.KindDecimal, "1_000", nil, msgFloat},
		{schema.KindBoolean, "off", false, ""},
		{schema.KindBoolean, "On", true, ""},
		{schema.KindBoolean, "maybe", true, ""},
		{schema.KindBoolean, "", false, ""},
		{schema.KindDate, "2024-02-29", "2024-02-29", ""},
		{schema.KindDate, "2024-02-29T23:00:00+05:00", "2024-02-29", ""},
		{schema.KindDate, "2023-02-29", nil, msgDate},
		{schema.KindDate, "29/02/2024", nil, msgDate},
		{schema.KindDateTime, "2024-05-01T10:00:00Z", time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC), ""},
		{schema.KindDateTime, "2024-05-01 10:00", time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC), ""},
		{schema.KindDateTime, "2024-05-01T13:00:00.5+03:00", time.Date(2024, 5, 1, 10, 0, 0, 5e8, time.UTC), ""},
		{schema.KindDateTime, "2024-05-01T13:00:00+0300", time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC), ""},
		{schema.KindDateTime, "2024-05-01T13:00:00-03", time.Date(2024, 5, 1, 16, 0, 0, 0, time.UTC), ""},
		{schema.KindDateTime, "2024-05-01T24:00:00", nil, msgDate},
		{schema.KindDateTime, "now", nil, msgDate},
		{schema.KindTime, "10:00", "10:00:00", ""},
		{schema.KindTime, "10:00:01.25", "10:00:01.250000", ""},
		{schema.KindTime, "10:00Z", nil, msgTime},
		{schema.KindTime, "25:00", nil, msgTime},
		{schema.KindUUID, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", ""},
		{schema.KindUUID, "{a0eebc999c0b4ef8bb6d6bb9bd380a11}", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", ""},
		{schema.KindUUID, "a0eebc99", nil, msgUUID},
		{schema.KindJSON, `{"a":1}`, `{"a":1}`, ""},
		{schema.KindJSON, `hello`, `"hello"`, ""},
		{schema.KindBinary, "cafe", []byte{0xca, 0xfe}, ""},
		{schema.KindBinary, "xyz", nil, msgHex},
		{schema.KindText, " as is ", " as is ", ""},
	}
	for _, tc := range cases {
		got, err := ParseValue(col(tc.kind), tc.in)
		if tc.err != "" {
			if err == nil || errBody(t, err) != `{"c":["`+tc.err+`"],"non_field_errors":["c: `+tc.err+`"]}` {
				t.Errorf("kind %d %q: err %v, want %s", tc.kind, tc.in, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("kind %d %q: %v", tc.kind, tc.in, err)
			continue
		}
		if tm, ok := tc.want.(time.Time); ok {
			if g, ok := got.(time.Time); !ok || !g.Equal(tm) {
				t.Errorf("kind %d %q: %v, want %v", tc.kind, tc.in, got, tm)
			}
			continue
		}
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(tc.want)
		if string(gj) != string(wj) {
			t.Errorf("kind %d %q: %s (%T), want %s", tc.kind, tc.in, gj, got, wj)
		}
	}
	// without an offset, ParseValueIn reads the wall clock in the zone given
	loc, _ := parseLocation("+03:00")
	got, _ := ParseValueIn(col(schema.KindDateTime), "2024-05-01T13:00:00", loc)
	if !got.(time.Time).Equal(time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("ParseValueIn: %v", got)
	}
}

func TestParseLocation(t *testing.T) {
	cases := []struct {
		in     string
		offset int // seconds east, on 2024-01-15
		ok     bool
	}{
		{"+03:00", 3 * 3600, true},
		{"-0530", -(5*3600 + 30*60), true},
		{"+3", 3 * 3600, true},
		{"Z", 0, true},
		{"UTC", 0, true},
		{"Europe/Paris", 3600, true},
		{"Local", 0, false},
		{"../etc/passwd", 0, false},
		{"Mars/Olympus", 0, false},
		{"+25:00", 0, false},
		{"", 0, false},
	}
	for _, tc := range cases {
		loc, ok := parseLocation(tc.in)
		if ok != tc.ok {
			t.Errorf("%q: ok=%v", tc.in, ok)
		}
		if _, off := time.Date(2024, 1, 15, 12, 0, 0, 0, loc).Zone(); off != tc.offset {
			t.Errorf("%q: offset %d, want %d", tc.in, off, tc.offset)
		}
	}
}

func TestGroupRowJSON(t *testing.T) {
	r := GroupRow{Groups: []any{"2024-01-01T00:00:00Z", int64(3)}, Value: nil}
	b, err := json.Marshal([]GroupRow{r})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `[{"group":"2024-01-01T00:00:00Z","group_2":3,"y_func":null}]` {
		t.Errorf("%s", b)
	}
}

func TestFormatISO(t *testing.T) {
	utc := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		t     time.Time
		aware bool
		want  string
	}{
		{utc, true, "2024-05-01T10:00:00Z"},
		{utc, false, "2024-05-01T10:00:00"},
		{utc.Add(123456 * time.Microsecond), true, "2024-05-01T10:00:00.123456Z"},
		{utc.In(time.FixedZone("", 3*3600)), true, "2024-05-01T13:00:00+03:00"},
		{utc.Add(500 * time.Nanosecond), false, "2024-05-01T10:00:00"},
	}
	for _, tc := range cases {
		if got := formatISO(tc.t, tc.aware); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.t, got, tc.want)
		}
	}
}

func TestEscapeLike(t *testing.T) {
	for in, want := range map[string]string{"abc": "abc", "50%": "50!%", "a_b": "a!_b", "wow!": "wow!!", `\`: `\`} {
		if got := escapeLike(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

// TestIdentMatchesDialect: the builder quotes exactly as db.Dialect does.
func TestIdentMatchesDialect(t *testing.T) {
	for _, d := range dialects {
		for _, name := range []string{"id", "", `a"b`, "a`b", `""`, "``", "sp ace", "ünï", "x.y"} {
			b := newBuilder(d, 16)
			b.ident(name)
			if got, want := b.String(), d.QuoteIdent(name); got != want {
				t.Errorf("%s %q: %s, want %s", d.Engine, name, got, want)
			}
			for _, schemaName := range []string{"", "app", `s"x`} {
				b := newBuilder(d, 16)
				b.table(schemaName, name)
				if got, want := b.String(), d.QuoteTable(schemaName, name); got != want {
					t.Errorf("%s %q.%q: %s, want %s", d.Engine, schemaName, name, got, want)
				}
			}
		}
		b := newBuilder(d, 16)
		for i := 1; i <= 120; i++ {
			b.arg(i)
		}
		var want strings.Builder
		for i := 1; i <= 120; i++ {
			want.WriteString(d.Placeholder(i))
		}
		if b.String() != want.String() {
			t.Errorf("%s placeholders: %s", d.Engine, b.String())
		}
	}
}

// TestMariaDBJSONFiltersAsText: MariaDB's JSON (LONGTEXT with a json_valid
// check) is filtered as the text it is, as upstream does: exact compares the
// JSON text and json_icontains, not a text lookup, is ignored.
func TestMariaDBJSONFiltersAsText(t *testing.T) {
	s := testSchema(config.EngineMySQL, "app")
	m := s.Model("items")
	data := m.Column("data")
	if data == nil || data.Kind != schema.KindJSON {
		t.Fatalf("fixture has no JSON column data: %+v", data)
	}
	for _, textJSON := range []bool{false, true} {
		data.TextJSON = textJSON
		for raw, wantCond := range map[string]bool{"data__json_icontains=x": !textJSON, "data=x": true} {
			params, _ := url.ParseQuery(raw)
			q, err := ParseWith(m, mysqlDialect, params, Options{Schema: s})
			if err != nil {
				t.Fatal(err)
			}
			stmt, args := q.SelectSQL(10, 0)
			if hasCond := strings.Contains(stmt, "WHERE"); hasCond != wantCond {
				t.Errorf("TextJSON=%v %s: %s %v", textJSON, raw, stmt, args)
			}
			if textJSON && raw == "data=x" && (strings.Contains(stmt, "JSON") || len(args) == 0 || args[0] != "x") {
				t.Errorf("MariaDB JSON exact is a text comparison: %s %v", stmt, args)
			}
		}
	}
}

// TestGraphStyle: in the GraphQL style a promoted key adds no condition,
// the conditions are ANDed bare, an empty search still searches, the
// columns are exactly Spec.Columns and the table is named by the Alias.
func TestGraphStyle(t *testing.T) {
	m := simpleModel("", "v", textCol("code"), intCol("n"))
	m.PKAuto = true
	opts := Options{Alias: "t0", Style: StyleGraphQL}
	spec := &Spec{
		Columns:     []*schema.Column{m.Column("n")},
		Filters:     []Filter{{Column: m.Column("n"), Lookup: "exact", Args: []any{int64(3)}, Style: StyleGraphQL}},
		SearchEmpty: true,
		Order:       []Order{{Column: "n"}},
	}
	q, err := Compile(m, sqliteDialect, spec, opts)
	if err != nil {
		t.Fatal(err)
	}
	got, args := q.SelectSQL(10, 0)
	want := `SELECT t0."n" FROM "v" AS t0 WHERE t0."n" = ? AND (t0."code" LIKE ? OR CAST(t0."n" AS TEXT) = ?) ORDER BY t0."n", t0."code" DESC LIMIT ?`
	if got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	if len(args) != 4 {
		t.Errorf("args %#v", args)
	}
	if got, _ := q.CountSQL(); got != `SELECT COUNT(*) FROM "v" AS t0 WHERE t0."n" = ? AND (t0."code" LIKE ? OR CAST(t0."n" AS TEXT) = ?)` {
		t.Errorf("count %s", got)
	}
	q, err = Compile(m, sqliteDialect, &Spec{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if q.HasWhere() {
		t.Error("a GraphQL page without filters has no WHERE")
	}
}
