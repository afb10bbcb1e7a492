package sqlapi

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/jetbridge/jetbridge/internal/query"
)

// TestFilterSpec: `filters` become a typed query directly: the first item
// of a name counts (an item of nulls only gives way to a later one),
// _search is the search, tz and other special names are dropped, and names
// resolve as list parameters do.
func TestFilterSpec(t *testing.T) {
	req := &request{
		columns: []columnDecl{{"id", "IntegerField"}, {"name", "CharField"}, {"page", "IntegerField"}},
		filters: []filterItem{
			{name: "name__icontains", value: []any{nil}, hasValue: true},
			{name: "name__icontains", value: "b", hasValue: true},
			{name: "name__icontains", value: "c", hasValue: true},
			{name: "exclude__id__in", value: []any{json.Number("1"), nil, json.Number("2")}, hasValue: true},
			{name: "id", value: json.Number("3"), hasValue: true},
			{name: "id__exact", value: json.Number("4"), hasValue: true},
			{name: "page", value: json.Number("2"), hasValue: true},
			{name: "nope__gt", value: "x", hasValue: true},
			{name: "_order_by", value: "name", hasValue: true},
			{name: "tz", value: "+03:00", hasValue: true},
			{name: "_search", value: "q", hasValue: true},
			{name: "_search", value: "r", hasValue: true},
			{name: "name", value: nil, hasValue: true},
		},
	}
	m := syntheticModel(req, false)
	spec := filterSpec(req, m)
	want := &query.Spec{
		Search: "q",
		Filters: []query.Filter{
			{Column: m.Column("id"), Lookup: "in", Exclude: true, Values: []string{"1", "2"}},
			{Column: m.Column("id"), Lookup: "exact", Values: []string{"4"}},
			{Column: m.Column("name"), Lookup: "icontains", Values: []string{"b"}},
		},
	}
	if !reflect.DeepEqual(spec, want) {
		t.Errorf("got  %+v\nwant %+v", spec, want)
	}
}
