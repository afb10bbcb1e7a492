package query

import (
	"net/url"
	"reflect"
	"testing"
)

// WhereSQL is the tail of CountSQL over a source: /api/sql/ builds its
// statements from it, with the source's arguments numbered first.
func TestWhereSQLIsCountTail(t *testing.T) {
	for _, d := range dialects {
		s := testSchema(d.Engine, "")
		source := "(SELECT * FROM items WHERE qty > " + d.Placeholder(1) + ") AS q"
		for _, params := range []string{"", "name=a", "name__icontains=x&qty__gte=2", "_search=zz"} {
			v, _ := url.ParseQuery(params)
			q, err := ParseWith(s.Model("items"), d, v, Options{Schema: s, Source: source, SourceArgs: []any{int64(7)}})
			if err != nil {
				t.Fatalf("%s %q: %v", d.Engine, params, err)
			}
			where, wargs := q.WhereSQL()
			count, cargs := q.CountSQL()
			if count != "SELECT COUNT(*) FROM "+source+where || !reflect.DeepEqual(wargs, cargs) {
				t.Errorf("%s %q:\ncount %s %v\nwhere %s %v", d.Engine, params, count, cargs, where, wargs)
			}
			if (where == "") != (params == "") {
				t.Errorf("%s %q: where %q", d.Engine, params, where)
			}
		}
	}
}

// A filter with a Path is the semi-join _relation writes, and names the
// tables it reads.
func TestFilterPathIsRelation(t *testing.T) {
	for _, d := range dialects {
		s := testSchema(d.Engine, "app")
		items, users, teams := s.Model("items"), s.Model("users"), s.Model("teams")
		rel, err := ParseWith(items, d, url.Values{"_relation": {"owner_id.users.id|team_id.teams.id|name.x,y"}}, Options{Schema: s})
		if err != nil {
			t.Fatal(err)
		}
		path := []Hop{
			{Local: items.Column("owner_id"), Target: users, Remote: users.Column("id")},
			{Local: users.Column("team_id"), Target: teams, Remote: teams.Column("id")},
		}
		spec := &Spec{Filters: []Filter{{Column: teams.Column("name"), Lookup: "in", Values: []string{"x,y"}, Path: path}}}
		q, err := Compile(items, d, spec, Options{})
		if err != nil {
			t.Fatal(err)
		}
		w1, a1 := rel.WhereSQL()
		w2, a2 := q.WhereSQL()
		if w1 != w2 || !reflect.DeepEqual(a1, a2) || !reflect.DeepEqual(rel.JoinedModels(), q.JoinedModels()) {
			t.Errorf("%s:\n_relation %s %v %v\npath      %s %v %v", d.Engine, w1, a1, rel.JoinedModels(), w2, a2, q.JoinedModels())
		}
	}
}
