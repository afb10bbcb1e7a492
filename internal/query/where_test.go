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
