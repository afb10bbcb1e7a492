package query

import (
	"context"
	"encoding/json"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/schema"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// eventRows are the datetimes grouped in TestGroupDateUnits, chosen on the
// edges of every unit (week edges: 2024-01-01 and 2024-01-08 are Mondays).
var eventRows = []struct {
	ts string // "" = NULL
	d  string
}{
	{"2024-01-01 00:00:00", "2024-01-01"},
	{"2024-01-07 23:59:59.999999", "2024-01-07"},
	{"2024-01-08 00:00:00.000001", "2024-01-08"},
	{"2024-02-29 23:59:59.9995", "2024-02-29"},
	{"2024-03-31 12:30:45.123456", "2024-03-31"},
	{"2024-04-01 00:00:00.5", "2024-04-01"},
	{"2024-12-31 23:59:59.9995", "2024-12-31"},
	{"2024-12-31 23:59:59.999999", "2024-12-30"},
	{"2025-02-15 08:15:30.25", "2025-02-15"},
	{"", ""},
	{"2023-06-30 23:59:59", "2023-06-30"},
}

// boundEvent is inserted through a bound time.Time (on SQLite the driver
// stores it with a "+00:00" offset).
var boundEvent = time.Date(2024, 1, 7, 12, 0, 0, 250000, time.UTC)

func setupEvents(t *testing.T, d *db.DB) *schema.Model {
	t.Helper()
	tsType := map[config.Engine]string{config.EnginePostgres: "TIMESTAMP(6)", config.EngineMySQL: "DATETIME(6)", config.EngineSQLite: "DATETIME"}[d.Dialect.Engine]
	var sb strings.Builder
	sb.WriteString("CREATE TABLE events (id INTEGER PRIMARY KEY, ts " + tsType + ", d DATE, v INTEGER, amount DECIMAL(10,2));\n")
	sb.WriteString("INSERT INTO events VALUES ")
	for i, r := range eventRows {
		if i > 0 {
			sb.WriteString(", ")
		}
		ts, dd := "NULL", "NULL"
		if r.ts != "" {
			ts, dd = "'"+r.ts+"'", "'"+r.d+"'"
		}
		sb.WriteString("(" + strconv.Itoa(i+1) + ", " + ts + ", " + dd + ", " + strconv.Itoa(1<<i) + ", " + strconv.Itoa(i) + ".25)")
	}
	sb.WriteString(";\n")
	testdb.Exec(t, d, sb.String())
	ph := func(n int) string { return d.Dialect.Placeholder(n) }
	testdb.MustExec(t, d, "INSERT INTO events VALUES ("+ph(1)+", "+ph(2)+", "+ph(3)+", "+ph(4)+", "+ph(5)+")",
		len(eventRows)+1, boundEvent, "2023-01-01", 1<<len(eventRows), "0.50")
	m := simpleModel(modelSchema(d), "events", intCol("id"),
		&schema.Column{Name: "ts", Kind: schema.KindDateTime, DataType: strings.ToLower(tsType)},
		&schema.Column{Name: "d", Kind: schema.KindDate, DataType: "date"},
		intCol("v"),
		&schema.Column{Name: "amount", Kind: schema.KindDecimal, DataType: "numeric"})
	return m
}

// truncate is the test's own truncation of t to unit (Monday weeks).
func truncate(t time.Time, unit string) time.Time {
	y, mo, d := t.Date()
	switch unit {
	case "microsecond":
		return t.Truncate(time.Microsecond)
	case "millisecond":
		return t.Truncate(time.Millisecond)
	case "second":
		return t.Truncate(time.Second)
	case "minute":
		return t.Truncate(time.Minute)
	case "hour":
		return t.Truncate(time.Hour)
	case "day":
		return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	case "week":
		back := (int(t.Weekday()) + 6) % 7
		return time.Date(y, mo, d-back, 0, 0, 0, 0, time.UTC)
	case "month":
		return time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC)
	case "quarter":
		return time.Date(y, (mo-1)/3*3+1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
}

type bucket struct {
	key   time.Time
	isNil bool
	sum   int64
}

// expectedGroups computes group/ for sum(v) grouped by ts (or d) truncated to unit.
// Labels and NULL order per engine as the recording shows: NULL last on
// PostgreSQL; day-or-coarser buckets as dates on MySQL and SQLite, as an
// aware UTC midnight for a PostgreSQL DATE column.
func expectedGroups(pg bool, unit string, dateCol bool) string {
	var buckets []*bucket
	find := func(k time.Time, isNil bool) *bucket {
		for _, b := range buckets {
			if b.isNil == isNil && b.key.Equal(k) {
				return b
			}
		}
		b := &bucket{key: k, isNil: isNil}
		buckets = append(buckets, b)
		return b
	}
	add := func(raw string, v int64) {
		if raw == "" {
			find(time.Time{}, true).sum += v
			return
		}
		tm, _, ok := parseDateTime(raw, time.UTC)
		if !ok {
			panic(raw)
		}
		if dateCol {
			if !subDay(unit) && unit != "" {
				tm = truncate(tm, unit)
			}
		} else if unit != "" {
			tm = truncate(tm, unit)
		}
		find(tm, false).sum += v
	}
	for i, r := range eventRows {
		if dateCol {
			add(r.d, 1<<i)
		} else {
			add(r.ts, 1<<i)
		}
	}
	if dateCol {
		add("2023-01-01", 1<<len(eventRows))
	} else {
		add(boundEvent.Format("2006-01-02 15:04:05.999999"), 1<<len(eventRows))
	}
	sort.Slice(buckets, func(i, j int) bool {
		if buckets[i].isNil != buckets[j].isNil {
			return buckets[i].isNil != pg
		}
		return buckets[i].key.Before(buckets[j].key)
	})
	rows := make([]GroupRow, len(buckets))
	for i, b := range buckets {
		var label any
		if !b.isNil {
			switch {
			case unit != "" && pg && dateCol:
				label = b.key.Format(time.DateOnly) + "T00:00:00Z"
			case dayOrCoarser(unit) && !pg:
				label = b.key.Format(time.DateOnly)
			case dateCol:
				label = b.key.Format(time.DateOnly)
			default:
				label = formatISO(b.key, false)
			}
		}
		rows[i] = GroupRow{Groups: []any{label}, Value: b.sum}
	}
	out, _ := json.Marshal(rows)
	return string(out)
}

func runGroup(t *testing.T, d *db.DB, m *schema.Model, raw string) ([]GroupRow, error) {
	t.Helper()
	params, _ := url.ParseQuery(raw)
	q, err := Parse(m, d.Dialect, params)
	if err != nil {
		return nil, err
	}
	return Group(context.Background(), d.SQL, q)
}

func testGroupDateUnits(t *testing.T, d *db.DB, m *schema.Model) {
	units := []string{"microsecond", "millisecond", "second", "minute", "hour", "day", "week", "month", "quarter", "year"}
	{
		for _, col := range []string{"ts", "d"} {
			lookups := append([]string{"plain", "auto", "date"}, units...)
			for _, lk := range lookups {
				unit := lk
				switch lk {
				case "plain":
					unit = ""
				case "auto", "date":
					unit = "day"
				}
				x := lk
				if isDateUnit(lk) {
					x = "date_" + lk
				}
				raw := "_x_column=" + col + "&_x_lookup=" + x + "&_y_func=sum&_y_column=v"
				rows, err := runGroup(t, d, m, raw)
				if err != nil {
					t.Fatalf("%s: %v", raw, err)
				}
				got, _ := json.Marshal(rows)
				if want := expectedGroups((d.Dialect.Engine == config.EnginePostgres), unit, col == "d"); string(got) != want {
					params, _ := url.ParseQuery(raw)
					q, _ := Parse(m, d.Dialect, params)
					sqlText, _, _ := q.GroupSQL()
					t.Errorf("%s:\n got %s\nwant %s\n%s", raw, got, want, sqlText)
				}
			}
		}
	}
}

func testGroup(t *testing.T, f *fixture) {
	d := f.d
	// pg, when set, is PostgreSQL's answer: NULL groups last, a DATE bucket
	// as an aware UTC midnight (as upstream answers).
	cases := []struct {
		q    string
		want string
		pg   string
	}{
		{"_x_column=active&_y_func=count", `[{"group":null,"y_func":2},{"group":false,"y_func":2},{"group":true,"y_func":4}]`,
			`[{"group":false,"y_func":2},{"group":true,"y_func":4},{"group":null,"y_func":2}]`},
		{"_x_column=active&_y_func=count&_y_column=owner_id", `[{"group":null,"y_func":2},{"group":false,"y_func":1},{"group":true,"y_func":4}]`,
			`[{"group":false,"y_func":1},{"group":true,"y_func":4},{"group":null,"y_func":2}]`},
		{"_x_column=active&_y_func=sum&_y_column=qty", `[{"group":null,"y_func":7},{"group":false,"y_func":35},{"group":true,"y_func":12}]`,
			`[{"group":false,"y_func":35},{"group":true,"y_func":12},{"group":null,"y_func":7}]`},
		{"_x_column=active&_y_func=MAX&_y_column=born", `[{"group":null,"y_func":"2024-05-05"},{"group":false,"y_func":"2024-03-01"},{"group":true,"y_func":"2024-07-01"}]`,
			`[{"group":false,"y_func":"2024-03-01"},{"group":true,"y_func":"2024-07-01"},{"group":null,"y_func":"2024-05-05"}]`},
		{"_x_column=active&_y_func=min&_y_column=created", `[{"group":null,"y_func":"2024-05-05T05:05:05"},{"group":false,"y_func":"2024-02-29T23:59:59"},{"group":true,"y_func":"2023-12-31T23:00:00"}]`,
			`[{"group":false,"y_func":"2024-02-29T23:59:59"},{"group":true,"y_func":"2023-12-31T23:00:00"},{"group":null,"y_func":"2024-05-05T05:05:05"}]`},
		{"_x_column=price&_y_func=count", `[{"group":null,"y_func":1},{"group":0.99,"y_func":1},{"group":1,"y_func":1},{"group":3.1,"y_func":1},{"group":7.25,"y_func":1},{"group":12.5,"y_func":2},{"group":100,"y_func":1}]`,
			`[{"group":0.99,"y_func":1},{"group":1,"y_func":1},{"group":3.1,"y_func":1},{"group":7.25,"y_func":1},{"group":12.5,"y_func":2},{"group":100,"y_func":1},{"group":null,"y_func":1}]`},
		{"_x_column=qty&_y_func=sum&_y_column=price&qty__gte=10", `[{"group":10,"y_func":12.5},{"group":15,"y_func":0.99},{"group":20,"y_func":7.25}]`, ""},
		{"_x_column=qty&_y_func=avg&_y_column=qty&qty__in=10,20", `[{"group":10,"y_func":10},{"group":20,"y_func":20}]`, ""},
		{"_x_column=active&_x_column=born&_x_lookup=plain&_x_lookup=date_year&_y_func=count&active__isnull=false",
			`[{"group":false,"group_2":"2024-01-01","y_func":2},{"group":true,"group_2":"2023-01-01","y_func":1},{"group":true,"group_2":"2024-01-01","y_func":3}]`,
			`[{"group":false,"group_2":"2024-01-01T00:00:00Z","y_func":2},{"group":true,"group_2":"2023-01-01T00:00:00Z","y_func":1},{"group":true,"group_2":"2024-01-01T00:00:00Z","y_func":3}]`},
		{"_x_column=born&_x_lookup=date_month&_y_func=count&_per_page=2", `[{"group":null,"y_func":1},{"group":"2023-12-01","y_func":1}]`,
			`[{"group":"2023-12-01T00:00:00Z","y_func":1},{"group":"2024-01-01T00:00:00Z","y_func":1}]`},
		{"_x_column=qty&_x_lookup=bogus&_y_func=count&qty__lt=1", `[{"group":-3,"y_func":1},{"group":0,"y_func":1}]`, ""},
		{"_x_column=created&_x_lookup=date_month&_y_func=count&_search=gamma_", `[{"group":"2024-04-01","y_func":1}]`,
			`[{"group":"2024-04-01T00:00:00","y_func":1}]`},
		{"_x_column=active&_y_func=count&qty__gt=100", `[]`, ""},
		{"_y_func=count", `[{"y_func":8}]`, ""}, // no _x_column: one bucket, as upstream
	}
	{
		for _, tc := range cases {
			rows, err := runGroup(t, d, f.items, tc.q)
			if err != nil {
				t.Errorf("%s: %v", tc.q, err)
				continue
			}
			got, _ := json.Marshal(rows)
			want := tc.want
			if (d.Dialect.Engine == config.EnginePostgres) && tc.pg != "" {
				want = tc.pg
			}
			if string(got) != want {
				t.Errorf("%s:\n got %s\nwant %s", tc.q, got, want)
			}
		}
	}
}

// testGroupTimezone (PostgreSQL): a timestamptz column is bucketed in the request zone.
func testGroupTimezone(t *testing.T, d *db.DB) {
	testdb.Exec(t, d, `CREATE TABLE tzev (id INTEGER PRIMARY KEY, at TIMESTAMPTZ);
INSERT INTO tzev VALUES (1, '2024-01-01 22:30:00+00'), (2, '2024-01-02 01:00:00+00'), (3, '2024-01-02 21:00:00+00');`)
	m := simpleModel(modelSchema(d), "tzev", intCol("id"), &schema.Column{Name: "at", Kind: schema.KindDateTime, DataType: "timestamp with time zone", HasTimezone: true})
	cases := []struct{ q, want string }{
		{"_x_column=at&_x_lookup=date_day&_y_func=count", `[{"group":"2024-01-01T00:00:00Z","y_func":1},{"group":"2024-01-02T00:00:00Z","y_func":2}]`},
		{"_x_column=at&_x_lookup=date_day&_y_func=count&tz=%2B03:00", `[{"group":"2024-01-02T00:00:00+03:00","y_func":2},{"group":"2024-01-03T00:00:00+03:00","y_func":1}]`},
		{"_x_column=at&_x_lookup=date_day&_y_func=count&tz=America/New_York", `[{"group":"2024-01-01T00:00:00-05:00","y_func":2},{"group":"2024-01-02T00:00:00-05:00","y_func":1}]`},
		{"_x_column=at&_x_lookup=date_hour&_y_func=count&tz=Asia/Kolkata&at__lt=2024-01-02T05:00:00", `[{"group":"2024-01-02T04:00:00+05:30","y_func":1}]`},
		{"_x_column=at&_y_func=count&tz=%2B01:00&at__gte=2024-01-02T03:00:00", `[{"group":"2024-01-02T22:00:00+01:00","y_func":1}]`},
		{"_x_column=at&_y_func=max&_y_column=at&at=2024-01-02T01:00:00Z", `[{"group":"2024-01-02T01:00:00Z","y_func":"2024-01-02T01:00:00Z"}]`},
	}
	for _, tc := range cases {
		rows, err := runGroup(t, d, m, tc.q)
		if err != nil {
			t.Fatalf("%s: %v", tc.q, err)
		}
		got, _ := json.Marshal(rows)
		if string(got) != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}

func testAggregate(t *testing.T, f *fixture) {
	d := f.d
	cases := []struct {
		q    string
		want any // int64, float64 (approximate), string, or *apierr body JSON
	}{
		{"_y_func=count", int64(8)},
		{"_y_func=COUNT&active=true", int64(4)},
		{"_y_func=count&_y_column=note", int64(7)},
		{"_y_func=sum&_y_column=qty", int64(54)},
		{"_y_func=avg&_y_column=qty", 54.0 / 7},
		{"_y_func=sum&_y_column=price", 137.34},
		{"_y_func=sum&_y_column=ratio", 14.75},
		{"_y_func=sum&_y_column=qty&qty__gt=100", int64(0)},
		{"_y_func=sum&_y_column=price&qty__gt=100", "0"}, // as upstream: the decimal zero
		{"_y_func=avg&_y_column=price&qty__gt=100", int64(0)},
		{"_y_func=count&qty__gt=100", int64(0)},
		{"_y_func=min&_y_column=created", "2023-12-31T23:00:00"},
		{"_y_func=max&_y_column=created", "2024-07-01T00:00:00.000001"},
		{"_y_func=max&_y_column=born", "2024-07-01"},
		{"_y_func=min&_y_column=qty", int64(-3)},
		{"_y_func=max&_y_column=price", 100.0},
		{"_y_func=max&_y_column=qty&qty__gt=100", nil},
		{"", `{"error":"Missing argument _y_func","error_code":"invalid"}`},
		{"_y_func=median", `{"non_field_errors":["Unknown _y_func \"median\": use count, sum, min, max or avg"]}`},
		{"_y_func=sum&_y_column=nope", `{"non_field_errors":["Table \"items\" does not have column \"nope\""]}`},
		{"_y_func=count&_y_column=nope", `{"non_field_errors":["Table \"items\" does not have column \"nope\""]}`},
		{"_y_func=sum&_y_column=name", `{"non_field_errors":["Can't apply sum to non-number field: name"]}`},
		{"_y_func=max&_y_column=data", `{"non_field_errors":["Can't apply max to field: data"]}`},
	}
	{
		for _, tc := range cases {
			params, _ := url.ParseQuery(tc.q)
			q, err := ParseWith(f.items, d.Dialect, params, Options{Schema: f.s})
			if err != nil {
				t.Fatal(err)
			}
			got, err := Aggregate(context.Background(), d.SQL, q)
			if body, isErr := tc.want.(string); isErr && strings.HasPrefix(body, "{") {
				ae, ok := apierr.As(err)
				if !ok || ae.Status != 400 {
					t.Errorf("%s: err %v, want 400 %s", tc.q, err, body)
					continue
				}
				if b, _ := json.Marshal(ae.Body); string(b) != body {
					t.Errorf("%s: body %s, want %s", tc.q, b, body)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", tc.q, err)
				continue
			}
			switch w := tc.want.(type) {
			case float64:
				var f float64
				switch g := got.(type) {
				case float64:
					f = g
				case string: // decimals come back as exact strings
					f, _ = strconv.ParseFloat(g, 64)
				default:
					t.Errorf("%s: %T %v, want a number near %v", tc.q, got, got, w)
					continue
				}
				tolerance := 1e-9
				if d.Dialect.Engine == config.EngineMySQL {
					tolerance = 1e-4 // AVG of integers: DECIMAL with 4 more digits (div_precision_increment)
				}
				if math.Abs(f-w) > tolerance {
					t.Errorf("%s: %v, want %v", tc.q, got, w)
				}
			default:
				if got != tc.want {
					t.Errorf("%s: %T %v, want %T %v", tc.q, got, got, tc.want, tc.want)
				}
			}
		}
		// decimals: exact strings where the engine keeps them
		params := url.Values{"_y_func": {"sum"}, "_y_column": {"price"}}
		q, _ := Parse(f.items, d.Dialect, params)
		got, err := Aggregate(context.Background(), d.SQL, q)
		if err != nil {
			t.Fatal(err)
		}
		if s, ok := got.(string); !ok || (!(d.Dialect.Engine == config.EngineSQLite) && s != "137.34") {
			t.Errorf("sum(price) = %T %v, want the string 137.34", got, got)
		}
	}
}

func TestGroupErrors(t *testing.T) {
	f := unitFixture(t)
	cases := []struct{ q, body string }{
		{"_x_column=nope&_y_func=count", `{"non_field_errors":["Table \"items\" does not have column \"nope\""]}`},
		{"_x_column=qty&_x_lookup=date_day&_y_func=count", `{"non_field_errors":["Can't apply date functions to non-date field: qty"]}`},
		{"_x_column=qty", `{"error":"Missing argument _y_func","error_code":"invalid"}`},
		{"_x_column=qty&_y_func=sum&_y_column=nope", `{"non_field_errors":["Table \"items\" does not have column \"nope\""]}`},
	}
	for _, tc := range cases {
		params, _ := url.ParseQuery(tc.q)
		q, err := Parse(f, sqliteDialect, params)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Group(context.Background(), nil, q)
		ae, ok := apierr.As(err)
		if !ok || ae.Status != 400 {
			t.Errorf("%s: %v, want 400", tc.q, err)
			continue
		}
		if b, _ := json.Marshal(ae.Body); string(b) != tc.body {
			t.Errorf("%s: %s, want %s", tc.q, b, tc.body)
		}
	}
}
