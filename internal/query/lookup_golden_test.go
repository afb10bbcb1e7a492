package query

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/schema"
)

var update = flag.Bool("update", false, "rewrite testdata/lookups.golden")

// TestLookupGolden pins the SQL of every lookup, as the REST list's filters
// and search (Parse) and GraphQL's leaves (a Spec compiled in the GraphQL style, the related-rows
// fetch and aggregate) render it on every engine, in
// testdata/lookups.golden (rewrite with -update after a deliberate change).
func TestLookupGolden(t *testing.T) {
	var out strings.Builder
	rest := []string{
		"qty=3", "qty__gt=2.5", "qty__lte=2.5", "qty__in=1,2,x3", "exclude__qty__in=1,2",
		"price__gte=1.50", "ratio__lt=0.5", "ratio__icontains=1.5", "qty__icontains=12",
		"name=a", "name__icontains=a%25_!b", "name__istartswith=Ab", "name__iendswith=Ab", "name__in=a,,b",
		"name__isnull=true", "name__isnull=false", "name__isempty=true", "name__isempty=false",
		"qty__isempty=true", "status=new", "status__icontains=NE", "status__isempty=1", "status__in=new,paid",
		"active=true", "born=2024-01-02", "born__gt=2024-01-02", "created__lt=2024-01-02T10:00:00",
		"created__icontains=2024-01", "data=x", "data={\"a\":1}", "data__in=1,x", "data__json_icontains=Ab",
		"data__isnull=1", "_search=12", "_search=1.5", "_search=a%25b", "_relation=owner_id.users.id|team_id.teams.id|name.x,y",
	}
	for _, d := range dialects {
		s := testSchema(d.Engine, "app")
		for _, raw := range rest {
			v, _ := url.ParseQuery(raw)
			q, err := ParseWith(s.Model("items"), d, v, Options{Schema: s})
			if err != nil {
				fmt.Fprintf(&out, "rest %s %s\n  error %v\n", d.Engine, raw, err)
				continue
			}
			where, args := q.WhereSQL()
			fmt.Fprintf(&out, "rest %s %s\n  %s\n  %#v\n", d.Engine, raw, where, args)
		}
	}
	for _, d := range dialects {
		s := testSchema(d.Engine, "app")
		items, users, teams := s.Model("items"), s.Model("users"), s.Model("teams")
		col := items.Column
		toUser := Hop{Local: col("owner_id"), Target: users, Remote: users.Column("id")}
		toTeam := Hop{Local: users.Column("team_id"), Target: teams, Remote: teams.Column("id")}
		search := "a%b"
		g := func(c *schema.Column, lookup string, args ...any) Filter {
			return Filter{Column: c, Lookup: lookup, Args: args, Style: StyleGraphQL}
		}
		float := func(f Filter) Filter { f.Float = true; return f }
		cast := func(f Filter) Filter { f.Cast = true; return f }
		not := func(f Filter) Filter { f.Exclude = true; return f }
		along := func(f Filter, path ...Hop) Filter { f.Path = path; return f }
		// op numbers what the test printed before GraphQL's conditions
		// became Filters, keeping the golden file as it was
		leaves := []struct {
			op int
			f  Filter
		}{
			{0, g(col("qty"), "exact", int64(3))},
			{1, float(g(col("qty"), "gt", 2.5))},
			{2, g(col("qty"), "gte", int64(1))},
			{3, not(g(col("qty"), "lt", int64(1)))},
			{4, float(g(col("ratio"), "lte", 0.5))},
			{5, g(col("name"), "like", "%a_b%")},
			{5, cast(g(col("status"), "like", "%ne%"))},
			{6, float(g(col("qty"), "in", int64(1), 2.5))},
			{6, g(col("qty"), "in")},
			{7, g(col("name"), "isnull", true)},
			{8, not(g(col("name"), "isnull", false))},
			{9, g(col("name"), "isempty", true)},
			{10, g(col("name"), "isempty", false)},
			{11, g(col("data"), "json_contains", `"x"`, `1`)},
			{11, g(col("data"), "json_contains")},
			{13, cast(g(col("data"), "like_any", "%x%", "%1%"))},
			{13, cast(g(col("data"), "like_any"))},
			{12, g(col("name"), "covered_by", "POINT(1 2)")},
			{14, g(col("name"), "none")},
			{5, along(g(users.Column("name"), "like", "%a%"), toUser)},
			{0, along(not(g(teams.Column("name"), "exact", "x")), toUser, toTeam)},
		}
		graph := func(spec *Spec) *Query {
			t.Helper()
			q, err := Compile(items, d, spec, Options{Alias: "t0", Style: StyleGraphQL})
			if err != nil {
				t.Fatal(err)
			}
			return q
		}
		for i, l := range leaves {
			q, args := graph(&Spec{Columns: []*schema.Column{col("id"), col("name")}, Filters: []Filter{l.f}}).CountSQL()
			fmt.Fprintf(&out, "graph %s leaf %d (op %d)\n  %s\n  %#v\n", d.Engine, i, l.op, q, args)
		}
		q, args := graph(&Spec{Columns: []*schema.Column{col("id"), col("name")}, Filters: []Filter{leaves[0].f, leaves[1].f}, Search: search,
			Order: []Order{{Column: "name", Desc: true}}}).SelectSQL(10, 5)
		fmt.Fprintf(&out, "graph %s select\n  %s\n  %#v\n", d.Engine, q, args)
		q, args = GraphFetchSQL(d, []Hop{toUser, toTeam}, []any{int64(1), int64(2)}, []*schema.Column{teams.Column("name")})
		fmt.Fprintf(&out, "graph %s fetch\n  %s\n  %#v\n", d.Engine, q, args)
		for _, fn := range []string{"Sum", "Count"} {
			q, args = GraphAggregateSQL(d, []Hop{toUser}, []any{int64(1)}, fn, users.Column("id"))
			fmt.Fprintf(&out, "graph %s aggregate %s\n  %s\n  %#v\n", d.Engine, fn, q, args)
		}
		q, args = GraphAggregateSQL(d, []Hop{toUser}, []any{int64(1)}, "Count", nil)
		fmt.Fprintf(&out, "graph %s aggregate count(*)\n  %s\n  %#v\n", d.Engine, q, args)
	}
	const path = "testdata/lookups.golden"
	if *update {
		if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("line %d:\n got %s\nwant %s", i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("got %d lines, want %d", len(gl), len(wl))
	}
}
