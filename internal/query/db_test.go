package query

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/schema"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// TestDB runs the database suites on every engine, sharing one database per
// engine (writes happen in transactions that are rolled back).
func TestDB(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		events := setupEvents(t, d)
		big := setupBig(t, d)
		t.Run("filters", func(t *testing.T) { testFilters(t, f) })
		t.Run("ordering", func(t *testing.T) { testOrdering(t, f) })
		t.Run("aggregate", func(t *testing.T) { testAggregate(t, f) })
		t.Run("group", func(t *testing.T) { testGroup(t, f) })
		t.Run("group_units", func(t *testing.T) { testGroupDateUnits(t, d, events) })
		t.Run("siblings", func(t *testing.T) { testSiblings(t, f, big) })
		t.Run("siblings_keyset", func(t *testing.T) { testSiblingsKeyset(t, f) })
		t.Run("reorder", func(t *testing.T) { testReorder(t, f) })
		t.Run("reset_order", func(t *testing.T) { testResetOrder(t, f, big) })
		t.Run("estimate", func(t *testing.T) { testEstimate(t, f, big) })
		t.Run("read_page", func(t *testing.T) { testReadPage(t, f, big) })
		if d.Dialect.Engine == config.EnginePostgres {
			t.Run("group_timezone", func(t *testing.T) { testGroupTimezone(t, d) })
			t.Run("postgres_types", func(t *testing.T) { testPostgresTypes(t, d) })
		}
	})
}

// setupBig creates big(id, position) with 10,001 rows.
func setupBig(t *testing.T, d *db.DB) *schema.Model {
	t.Helper()
	testdb.Exec(t, d, `CREATE TABLE digits (n INTEGER);
INSERT INTO digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9);
CREATE TABLE big (id INTEGER PRIMARY KEY, position INTEGER);
INSERT INTO big (id, position) SELECT a.n * 1000 + b.n * 100 + c.n * 10 + e.n + 1, 0 FROM digits a, digits b, digits c, digits e;
INSERT INTO big (id, position) VALUES (10001, 0);`)
	if d.Dialect.Engine == config.EnginePostgres {
		testdb.Exec(t, d, "ANALYZE big;")
	}
	if d.Dialect.Engine == config.EngineMySQL {
		testdb.Exec(t, d, "ANALYZE TABLE big;")
	}
	return simpleModel(modelSchema(d), "big", intCol("id"), intCol("position"))
}

func testSiblings(t *testing.T, f *fixture, big *schema.Model) {
	cases := []struct {
		q, pk, want string
	}{
		{"", "5", `{"next":{"id":4},"prev":{"id":6}}`},
		{"", "8", `{"next":{"id":7},"prev":null}`},
		{"", "1", `{"next":null,"prev":{"id":2}}`},
		{"active=true", "6", `{"next":{"id":4},"prev":{"id":7}}`},
		{"active=true", "2", `404`}, // not among the filtered rows
		{"", "99", `404`},
		{"qty__isnull=false&_order_by=qty", "8", `{"next":{"id":1},"prev":{"id":4}}`},
		{"_search=%C3%A9co&_order_by=id", "5", `{"next":null,"prev":{"id":3}}`},
	}
	ctx := context.Background()
	for _, tc := range cases {
		q, err := f.parse(t, f.items, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Siblings(ctx, f.d.SQL, q, tc.pk)
		if tc.want == "404" { // as upstream: a row that is not there is 404
			if ae, ok := apierr.As(err); !ok || ae.Status != 404 {
				t.Errorf("%s pk %s: %v %v, want 404", tc.q, tc.pk, got, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s pk %s: %v", tc.q, tc.pk, err)
			continue
		}
		if b, _ := json.Marshal(got); string(b) != tc.want {
			t.Errorf("%s pk %s: %s, want %s", tc.q, tc.pk, b, tc.want)
		}
	}
	q, _ := f.parse(t, f.items, "")
	if _, err := Siblings(ctx, f.d.SQL, q, "abc"); err == nil || errBody(t, err) != `{"id":["not a valid integer"],"non_field_errors":["id: not a valid integer"]}` {
		t.Errorf("bad pk: %v", err)
	}
	// more than 10,000 rows: {}; 10,000 rows: an answer
	bq, _ := Parse(big, f.d.Dialect, url.Values{})
	if got, err := Siblings(ctx, f.d.SQL, bq, "5000"); err != nil || len(got) != 0 {
		t.Errorf("10,001 rows: %v %v", got, err)
	}
	bq, _ = Parse(big, f.d.Dialect, url.Values{"id__lte": {"10000"}})
	if got, err := Siblings(ctx, f.d.SQL, bq, "5000"); err != nil || len(got) != 2 {
		t.Errorf("10,000 rows: %v %v", got, err)
	}
}

// inTx runs fn in a transaction that is rolled back.
func inTx(t *testing.T, d *db.DB, fn func(tx *sql.Tx)) {
	t.Helper()
	tx, err := d.SQL.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	fn(tx)
}

// positions reads the ordering column by id.
func positions(t *testing.T, tx *sql.Tx, table string, d db.Dialect) map[int64]int64 {
	t.Helper()
	rows, err := tx.QueryContext(context.Background(), "SELECT id, "+d.QuoteIdent("position")+" FROM "+table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var id, pos int64
		if err := rows.Scan(&id, &pos); err != nil {
			t.Fatal(err)
		}
		out[id] = pos
	}
	return out
}

func posList(m map[int64]int64, n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = m[int64(i+1)]
	}
	return out
}

func testReorder(t *testing.T, f *fixture) {
	cases := []struct {
		q    string
		body string
		want []int64 // position of ids 1..8
		err  string
	}{
		{"", `{"ordering_field":"position","forward":true,"segment_from":2,"segment_to":5,"item":2}`,
			[]int64{1, 5, 2, 3, 4, 6, 7, 8}, ""},
		{"", `{"ordering_field":"position","forward":false,"segment_from":3,"segment_to":6,"item":7,"segment_by_ordering_field":true}`,
			[]int64{1, 2, 4, 5, 6, 7, 6, 8}, ""},
		{"active=true", `{"ordering_field":"position","forward":true,"segment_from":"1","segment_to":"6","item":"1"}`,
			[]int64{6, 2, 3, 3, 5, 5, 7, 8}, ""},
		{"", `{"ordering_field":"nope","forward":true,"segment_from":1,"segment_to":2,"item":1}`, nil,
			`{"non_field_errors":["Table \"items\" does not have column \"nope\""]}`},
		{"", `{"ordering_field":"position","forward":true,"segment_from":99,"segment_to":2,"item":1}`, nil,
			`{"segment_from":["record 99 not found"]}`},
		{"active=true", `{"ordering_field":"position","forward":true,"segment_from":2,"segment_to":6,"item":1}`, nil,
			`{"segment_from":["record 2 not found"]}`},
		{"", `{"ordering_field":"position","forward":true,"segment_from":1,"segment_to":2}`, nil,
			`{"item":["this field is required"]}`},
		{"", `{"forward":true,"segment_from":1,"segment_to":2,"item":1}`, nil,
			`{"ordering_field":["this field is required"]}`},
		{"", `{"ordering_field":"position","forward":true,"segment_from":1,"segment_to":2,"item":"x"}`, nil,
			`{"id":["not a valid integer"],"non_field_errors":["id: not a valid integer"]}`},
	}
	for _, tc := range cases {
		var r ReorderRequest
		if err := json.Unmarshal([]byte(tc.body), &r); err != nil {
			t.Fatal(err)
		}
		q, err := f.parse(t, f.items, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		inTx(t, f.d, func(tx *sql.Tx) {
			err := Reorder(context.Background(), tx, q, r)
			if tc.err != "" {
				if err == nil || errBody(t, err) != tc.err {
					t.Errorf("%s %s: %v, want %s", tc.q, tc.body, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s %s: %v", tc.q, tc.body, err)
			}
			if got := posList(positions(t, tx, "items", f.d.Dialect), 8); !slices.Equal(got, tc.want) {
				t.Errorf("%s %s: positions %v, want %v", tc.q, tc.body, got, tc.want)
			}
		})
	}
}

func testResetOrder(t *testing.T, f *fixture, big *schema.Model) {
	cases := []struct {
		q    string
		body string
		want []int64
		err  string
	}{
		{"", `{"ordering_field":"position","value_ordering":"status-paid,new","ordering":"-id"}`,
			[]int64{4, 2, 8, 7, 3, 1, 6, 5}, ""},
		{"active=true", `{"ordering_field":"position","ordering":"id"}`,
			[]int64{1, 2, 3, 2, 5, 3, 4, 8}, ""},
		{"", `{"ordering_field":"position"}`,
			[]int64{8, 7, 6, 5, 4, 3, 2, 1}, ""},
		{"", `{"ordering_field":"position","value_ordering":"qty-20,10","ordering":"id"}`,
			[]int64{2, 1, 3, 4, 5, 6, 7, 8}, ""},
		{"", `{"ordering_field":"position","value_ordering":"qty-1.5","ordering":"id"}`,
			[]int64{1, 2, 3, 4, 5, 6, 7, 8}, ""},
		{"", `{"ordering_field":"nope"}`, nil, `{"non_field_errors":["Table \"items\" does not have column \"nope\""]}`},
		{"", `{"ordering_field":"position","ordering":"-nope"}`, nil, `{"non_field_errors":["Table \"items\" does not have column \"nope\""]}`},
		{"", `{"ordering_field":"position","value_ordering":"nope-1"}`, nil, `{"non_field_errors":["Table \"items\" does not have column \"nope\""]}`},
		{"", `{"ordering_field":"position","value_ordering":"qty-x"}`, nil, `{"non_field_errors":["qty: not a valid integer"],"qty":["not a valid integer"]}`},
	}
	for _, tc := range cases {
		var r ResetOrderRequest
		if err := json.Unmarshal([]byte(tc.body), &r); err != nil {
			t.Fatal(err)
		}
		q, err := f.parse(t, f.items, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		inTx(t, f.d, func(tx *sql.Tx) {
			err := ResetOrder(context.Background(), tx, q, r)
			if tc.err != "" {
				if err == nil || errBody(t, err) != tc.err {
					t.Errorf("%s %s: %v, want %s", tc.q, tc.body, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s %s: %v", tc.q, tc.body, err)
			}
			if got := posList(positions(t, tx, "items", f.d.Dialect), 8); !slices.Equal(got, tc.want) {
				t.Errorf("%s %s: positions %v, want %v", tc.q, tc.body, got, tc.want)
			}
		})
	}
	// 10,001 rows: several UPDATE batches
	bq, _ := Parse(big, f.d.Dialect, url.Values{"_order_by": {"-id"}})
	inTx(t, f.d, func(tx *sql.Tx) {
		if err := ResetOrder(context.Background(), tx, bq, ResetOrderRequest{OrderingField: "position"}); err != nil {
			t.Fatal(err)
		}
		var wrong int
		if err := tx.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM big WHERE "+f.d.Dialect.QuoteIdent("position")+" <> 10002 - id").Scan(&wrong); err != nil {
			t.Fatal(err)
		}
		if wrong != 0 {
			t.Errorf("%d rows of big misnumbered", wrong)
		}
	})
}

func testEstimate(t *testing.T, f *fixture, big *schema.Model) {
	ctx := context.Background()
	q, _ := Parse(big, f.d.Dialect, url.Values{})
	n, ok, err := Estimate(ctx, f.d.SQL, q)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case (f.d.Dialect.Engine == config.EngineSQLite):
		if ok {
			t.Errorf("SQLite estimate %d", n)
		}
	default:
		// statistics are approximate; they must be in the right range
		if !ok || n < 5000 || n > 20000 {
			sqlText, args, _ := q.EstimateSQL()
			t.Errorf("estimate %d %v (%s %v)", n, ok, sqlText, args)
		}
	}
	q, _ = Parse(big, f.d.Dialect, url.Values{"id__gt": {"5"}})
	if _, ok, _ := Estimate(ctx, f.d.SQL, q); ok {
		t.Error("estimate with a WHERE clause")
	}
}

// TestErrorsAreAPIErrors: client mistakes never surface as plain errors.
func TestErrorsAreAPIErrors(t *testing.T) {
	m := unitFixture(t)
	for _, raw := range []string{"qty=x", "_order_by=zz", "_segment=a", "born=x", "created__in=x"} {
		params, _ := url.ParseQuery(raw)
		_, err := Parse(m, sqliteDialect, params)
		if _, ok := apierr.As(err); !ok || !strings.Contains(err.Error(), "400") {
			t.Errorf("%s: %v", raw, err)
		}
	}
}

// testPostgresTypes: arrays, uuid, timestamptz, time and json (not jsonb).
func testPostgresTypes(t *testing.T, d *db.DB) {
	testdb.Exec(t, d, `CREATE TABLE pgt (id INTEGER PRIMARY KEY, tags TEXT[], nums INTEGER[], uid UUID, at TIMESTAMPTZ, tm TIME, doc JSON);
INSERT INTO pgt VALUES
 (1, '{red,green}', '{1,2}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-01-01 22:30:00+00', '10:00:00', '{"a": 1}'),
 (2, '{blue}', '{2,3}', 'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12', '2024-01-02 01:00:00+00', '12:30:15.5', '["x", "y"]'),
 (3, '{}', '{}', NULL, NULL, NULL, NULL),
 (4, NULL, NULL, 'c0eebc99-9c0b-4ef8-bb6d-6bb9bd380a13', '2024-01-02 21:00:00+00', '23:59:59', '"x"');`)
	m := simpleModel(modelSchema(d), "pgt", intCol("id"),
		&schema.Column{Name: "tags", Kind: schema.KindArray, DataType: "ARRAY"},
		&schema.Column{Name: "nums", Kind: schema.KindArray, DataType: "ARRAY"},
		&schema.Column{Name: "uid", Kind: schema.KindUUID, DataType: "uuid"},
		&schema.Column{Name: "at", Kind: schema.KindDateTime, DataType: "timestamp with time zone", HasTimezone: true},
		&schema.Column{Name: "tm", Kind: schema.KindTime, DataType: "time without time zone"},
		&schema.Column{Name: "doc", Kind: schema.KindJSON, DataType: "json"})
	cases := []struct {
		q    string
		want []int64
		err  string
	}{
		{q: "tags=red", want: []int64{1}},
		{q: "tags=%5B%22red%22,%22green%22%5D", want: []int64{1}}, // ["red","green"]: every element
		{q: "tags__in=red,blue", want: []int64{1, 2}},
		{q: "exclude__tags=red", want: []int64{2, 3}},
		{q: "tags__json_icontains=GRE", want: []int64{1}},
		{q: "tags__isnull=true", want: []int64{4}},
		{q: "nums=2", want: []int64{1, 2}},
		{q: "nums=%5B2,3%5D", want: []int64{2}},
		{q: "nums__in=1,3", want: []int64{1, 2}},
		{q: "uid=A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", want: []int64{1}},
		{q: "uid__in=a0eebc999c0b4ef8bb6d6bb9bd380a11,c0eebc99-9c0b-4ef8-bb6d-6bb9bd380a13", want: []int64{1, 4}},
		{q: "uid__icontains=BD380A1", want: []int64{1, 2, 4}},
		{q: "uid__istartswith=b0", want: []int64{2}},
		{q: "uid=nope", err: `{"non_field_errors":["uid: not a valid UUID"],"uid":["not a valid UUID"]}`},
		{q: "_search=b0eebc99", want: []int64{2}},
		{q: "at__gte=2024-01-02T03:00:00%2B03:00", want: []int64{2, 4}},
		{q: "at__lt=2024-01-02", want: []int64{1}},
		{q: "at__lt=2024-01-02&tz=%2B03:00", want: nil},
		{q: "at__lt=2024-01-02T04:00:00&tz=Europe/Moscow", want: []int64{1}},
		{q: "at=2024-01-02T01:00:00Z", want: []int64{2}},
		{q: "at__in=2024-01-02T01:00:00Z,2024-01-02T00:00:00%2B03:00", want: []int64{2}},
		{q: "tm=10:00", want: []int64{1}},
		{q: "tm__in=12:30:15.5,23:59:59", want: []int64{2, 4}},
		{q: "tm__icontains=30:1", want: []int64{2}},
		{q: "tm=25:00", err: `{"non_field_errors":["tm: time has wrong format"],"tm":["time has wrong format"]}`},
		{q: "doc=x", want: []int64{2, 4}},
		{q: "doc=%7B%22a%22:1%7D", want: []int64{1}},
		{q: "doc__json_icontains=%22A%22", want: []int64{1}},
	}
	f := &fixture{d: d}
	for _, tc := range cases {
		q, err := f.parse(t, m, tc.q)
		if tc.err != "" {
			if err == nil || errBody(t, err) != tc.err {
				t.Errorf("%s: %v, want %s", tc.q, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.q, err)
			continue
		}
		if got := sorted(f.ids(t, q)); !slices.Equal(got, tc.want) {
			stmt, args := q.SelectSQL(-1, 0)
			t.Errorf("%s: %v, want %v\n%s %v", tc.q, got, tc.want, stmt, args)
		}
	}
	for raw, want := range map[string]string{
		"_x_column=doc&_y_func=count":                 `[{"group":"x","y_func":1},{"group":["x","y"],"y_func":1},{"group":{"a":1},"y_func":1},{"group":null,"y_func":1}]`,
		"_x_column=uid&_y_func=max&_y_column=uid":     `[{"group":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11","y_func":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},{"group":"b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12","y_func":"b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12"},{"group":"c0eebc99-9c0b-4ef8-bb6d-6bb9bd380a13","y_func":"c0eebc99-9c0b-4ef8-bb6d-6bb9bd380a13"},{"group":null,"y_func":null}]`,
		"_x_column=tm&_y_func=count&tm__isnull=false": `[{"group":"10:00:00","y_func":1},{"group":"12:30:15.500000","y_func":1},{"group":"23:59:59","y_func":1}]`,
	} {
		rows, err := runGroup(t, d, m, raw)
		if err != nil {
			t.Errorf("%s: %v", raw, err)
			continue
		}
		if got, _ := json.Marshal(rows); string(got) != want {
			t.Errorf("%s:\n got %s\nwant %s", raw, got, want)
		}
	}
}
