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
// and search (Parse) and GraphQL's leaves (GraphSelect, the related-rows
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
		toUser := GraphHop{Local: col("owner_id"), Target: users, Remote: users.Column("id")}
		toTeam := GraphHop{Local: users.Column("team_id"), Target: teams, Remote: teams.Column("id")}
		search := "a%b"
		leaves := []GraphLeaf{
			{Col: col("qty"), Op: GraphEq, Value: int64(3)},
			{Col: col("qty"), Op: GraphGt, Value: 2.5, Float: true},
			{Col: col("qty"), Op: GraphGte, Value: int64(1)},
			{Col: col("qty"), Op: GraphLt, Value: int64(1), Not: true},
			{Col: col("ratio"), Op: GraphLte, Value: 0.5, Float: true},
			{Col: col("name"), Op: GraphLike, Value: "%a_b%"},
			{Col: col("status"), Op: GraphLike, Value: "%ne%", Cast: true},
			{Col: col("qty"), Op: GraphIn, Values: []any{int64(1), 2.5}, Float: true},
			{Col: col("qty"), Op: GraphIn},
			{Col: col("name"), Op: GraphIsNull},
			{Col: col("name"), Op: GraphNotNull, Not: true},
			{Col: col("name"), Op: GraphEmpty},
			{Col: col("name"), Op: GraphNotEmpty},
			{Col: col("data"), Op: GraphJSONEq, Values: []any{`"x"`, `1`}},
			{Col: col("data"), Op: GraphJSONEq},
			{Col: col("data"), Op: GraphLikeAny, Values: []any{"%x%", "%1%"}, Cast: true},
			{Col: col("data"), Op: GraphLikeAny, Cast: true},
			{Col: col("name"), Op: GraphCoveredBy, Value: "POINT(1 2)"},
			{Col: col("name"), Op: GraphFalse},
			{Path: []GraphHop{toUser}, Col: users.Column("name"), Op: GraphLike, Value: "%a%"},
			{Path: []GraphHop{toUser, toTeam}, Col: teams.Column("name"), Op: GraphEq, Value: "x", Not: true},
		}
		for i, l := range leaves {
			sel := &GraphSelect{Model: items, Cols: []*schema.Column{col("id"), col("name")}, Leaves: []GraphLeaf{l}, Limit: 10}
			q, args := sel.CountSQL(d)
			fmt.Fprintf(&out, "graph %s leaf %d (op %d)\n  %s\n  %#v\n", d.Engine, i, l.Op, q, args)
		}
		sel := &GraphSelect{Model: items, Cols: []*schema.Column{col("id"), col("name")}, Leaves: leaves[:2], Search: &search,
			Order: []GraphOrder{{Col: col("name"), Desc: true}}, Limit: 10, Offset: 5}
		q, args := sel.SQL(d)
		fmt.Fprintf(&out, "graph %s select\n  %s\n  %#v\n", d.Engine, q, args)
		q, args = GraphFetchSQL(d, []GraphHop{toUser, toTeam}, []any{int64(1), int64(2)}, []*schema.Column{teams.Column("name")})
		fmt.Fprintf(&out, "graph %s fetch\n  %s\n  %#v\n", d.Engine, q, args)
		for _, fn := range []string{"Sum", "Count"} {
			q, args = GraphAggregateSQL(d, []GraphHop{toUser}, []any{int64(1)}, fn, users.Column("id"))
			fmt.Fprintf(&out, "graph %s aggregate %s\n  %s\n  %#v\n", d.Engine, fn, q, args)
		}
		q, args = GraphAggregateSQL(d, []GraphHop{toUser}, []any{int64(1)}, "Count", nil)
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
