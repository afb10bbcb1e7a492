package query

import (
	"reflect"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// sourceModel describes a Source's declared columns, as POST /api/sql/
// does, with the constant key column it adds for COUNT.
func sourceModel() *schema.Model {
	m := &schema.Model{Name: "q", Table: "q"}
	for i, c := range []struct {
		name string
		kind schema.Kind
	}{{"id", schema.KindInteger}, {"name", schema.KindText}, {"amount", schema.KindFloat}, {"one", schema.KindInteger}} {
		m.Columns = append(m.Columns, &schema.Column{Name: c.name, Position: i + 1, Kind: c.kind, Nullable: true})
	}
	m.Columns[3].PrimaryKey = true
	m.PrimaryKey = []*schema.Column{m.Columns[3]}
	return schema.New([]*schema.Model{m}).Models[0]
}

// TestSourceStatements: a Spec built directly (not parsed) renders over a
// Source on every engine: the rows with the client's order (names as the
// client spelled them, not checked against the model; no key added) and
// the window as literals, the count, and the aggregate with upstream's
// fn_1 label. The Source's arguments come first.
func TestSourceStatements(t *testing.T) {
	m := sourceModel()
	filters := []Filter{{Column: m.Column("id"), Lookup: "gt", Values: []string{"3"}}}
	type want struct{ sqlite, pg, mysql string }
	cases := []struct {
		name string
		spec Spec
		stmt func(q *Query) (string, []any, error)
		args []any
		want want
	}{
		{
			name: "rows",
			spec: Spec{Filters: filters, Order: []Order{{Column: "name"}, {Column: "un`known", Desc: true}}, Page: Page{Limit: 10, Offset: 20}},
			stmt: func(q *Query) (string, []any, error) { s, a := q.DataSQL(); return s, a, nil },
			args: []any{int64(7), int64(3)},
			want: want{
				"SELECT * FROM (SELECT * FROM t WHERE k = ?) AS q WHERE \"id\" > ? ORDER BY `name`, `un``known` DESC LIMIT 10 OFFSET 20",
				`SELECT * FROM (SELECT * FROM t WHERE k = $1) AS q WHERE "id" > $2 ORDER BY "name", "un` + "`" + `known" DESC LIMIT 10 OFFSET 20`,
				"SELECT * FROM (SELECT * FROM t WHERE k = ?) AS q WHERE `id` > ? ORDER BY `name`, `un``known` DESC LIMIT 10 OFFSET 20",
			},
		},
		{
			name: "offset only",
			spec: Spec{Page: Page{Offset: 5}},
			stmt: func(q *Query) (string, []any, error) { s, a := q.DataSQL(); return s, a, nil },
			args: []any{int64(7)},
			want: want{
				"SELECT * FROM (SELECT * FROM t WHERE k = ?) AS q LIMIT -1 OFFSET 5",
				"SELECT * FROM (SELECT * FROM t WHERE k = $1) AS q OFFSET 5",
				"SELECT * FROM (SELECT * FROM t WHERE k = ?) AS q LIMIT 18446744073709551615 OFFSET 5",
			},
		},
		{
			name: "count",
			spec: Spec{Filters: filters, Order: []Order{{Column: "name"}}, Page: Page{Limit: 10}},
			stmt: func(q *Query) (string, []any, error) { s, a := q.CountSQL(); return s, a, nil },
			args: []any{int64(7), int64(3)},
			want: want{
				`SELECT COUNT(*) FROM (SELECT * FROM t WHERE k = ?) AS q WHERE "id" > ?`,
				`SELECT COUNT(*) FROM (SELECT * FROM t WHERE k = $1) AS q WHERE "id" > $2`,
				"SELECT COUNT(*) FROM (SELECT * FROM t WHERE k = ?) AS q WHERE `id` > ?",
			},
		},
		{
			name: "aggregate",
			spec: Spec{Filters: filters, Aggregate: Agg{Func: "SUM", Column: "undeclared"}},
			stmt: (*Query).AggregateSQL,
			args: []any{int64(7), int64(3)},
			want: want{
				"SELECT SUM(`undeclared`) AS `sum_1` FROM (SELECT * FROM t WHERE k = ?) AS q WHERE \"id\" > ?",
				`SELECT SUM("undeclared") AS "sum_1" FROM (SELECT * FROM t WHERE k = $1) AS q WHERE "id" > $2`,
				"SELECT SUM(`undeclared`) AS `sum_1` FROM (SELECT * FROM t WHERE k = ?) AS q WHERE `id` > ?",
			},
		},
		{
			name: "count of every row",
			spec: Spec{Aggregate: Agg{Func: "count"}},
			stmt: (*Query).AggregateSQL,
			args: []any{int64(7)},
			want: want{
				"SELECT COUNT(`one`) AS `count_1` FROM (SELECT * FROM t WHERE k = ?) AS q",
				`SELECT COUNT("one") AS "count_1" FROM (SELECT * FROM t WHERE k = $1) AS q`,
				"SELECT COUNT(`one`) AS `count_1` FROM (SELECT * FROM t WHERE k = ?) AS q",
			},
		},
		{
			name: "group",
			spec: Spec{Filters: filters, Aggregate: Agg{Func: "max", Column: "amount"}, Group: Grouping{By: []GroupBy{{Column: "name"}}}},
			stmt: (*Query).GroupSQL,
			args: []any{int64(7), int64(3), int64(DefaultGroupRows)},
			want: want{
				`SELECT "name" AS "group", MAX("amount") AS "y_func" FROM (SELECT * FROM t WHERE k = ?) AS q WHERE "id" > ? GROUP BY 1 ORDER BY 1 LIMIT ?`,
				`SELECT "name" AS "group", MAX("amount") AS "y_func" FROM (SELECT * FROM t WHERE k = $1) AS q WHERE "id" > $2 GROUP BY 1 ORDER BY 1 LIMIT $3`,
				"SELECT `name` AS `group`, MAX(`amount`) AS `y_func` FROM (SELECT * FROM t WHERE k = ?) AS q WHERE `id` > ? GROUP BY 1 ORDER BY 1 LIMIT ?",
			},
		},
	}
	for _, tc := range cases {
		for _, d := range dialects {
			spec := tc.spec
			q, err := Compile(m, d, &spec, Options{Source: "(SELECT * FROM t WHERE k = " + d.Placeholder(1) + ") AS q", SourceArgs: []any{int64(7)}, ClientNames: true})
			if err != nil {
				t.Fatalf("%s %s: %v", tc.name, d.Engine, err)
			}
			got, args, err := tc.stmt(q)
			if err != nil {
				t.Fatalf("%s %s: %v", tc.name, d.Engine, err)
			}
			w := map[config.Engine]string{config.EngineSQLite: tc.want.sqlite, config.EnginePostgres: tc.want.pg, config.EngineMySQL: tc.want.mysql}[d.Engine]
			if got != w || !reflect.DeepEqual(args, tc.args) {
				t.Errorf("%s %s:\n got %s %#v\nwant %s %#v", tc.name, d.Engine, got, args, w, tc.args)
			}
		}
	}
}

// TestSourceAggregateErrors: the function is checked over a Source too.
func TestSourceAggregateErrors(t *testing.T) {
	m := sourceModel()
	for _, fn := range []string{"", "median"} {
		q, err := Compile(m, sqliteDialect, &Spec{Aggregate: Agg{Func: fn}}, Options{Source: "(SELECT 1) AS q", ClientNames: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := q.AggregateSQL(); err == nil {
			t.Errorf("%q: no error", fn)
		}
	}
}

// TestDataSQLModelNames: without ClientNames, DataSQL orders as SelectSQL
// does (model columns, checked; the key added) with the literal window.
func TestDataSQLModelNames(t *testing.T) {
	m := sourceModel()
	spec := &Spec{Order: []Order{{Column: "name"}}, Page: Page{Limit: 3}}
	q, err := Compile(m, pgDialect, spec, Options{Source: "(SELECT 1) AS q"})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := q.DataSQL(); got != `SELECT * FROM (SELECT 1) AS q ORDER BY "name", "one" DESC LIMIT 3` {
		t.Errorf("got %s", got)
	}
	spec.Order = []Order{{Column: "nope"}}
	if _, err := Compile(m, pgDialect, spec, Options{Source: "(SELECT 1) AS q"}); err == nil {
		t.Error("an unknown column is checked without ClientNames")
	}
}
