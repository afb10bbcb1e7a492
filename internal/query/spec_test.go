package query

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// specCase is a typed query built without URL parameters, and the list
// parameters that mean the same.
type specCase struct {
	name string
	spec func(m *schema.Model) *Spec
	raw  string
}

func specCases() []specCase {
	loc := time.FixedZone("", 3*3600)
	return []specCase{
		{"empty", func(*schema.Model) *Spec { return &Spec{} }, ""},
		{"filters", func(m *schema.Model) *Spec {
			return &Spec{Filters: []Filter{
				{Column: m.Column("created"), Lookup: "lt", Values: []string{"2024-01-01"}},
				{Column: m.Column("qty"), Lookup: "gte", Values: []string{"10"}},
				{Column: m.Column("status"), Lookup: "exact", Values: []string{"paid"}},
			}}
		}, "status=paid&qty__gte=10&created__lt=2024-01-01"},
		{"exclude in and empty value", func(m *schema.Model) *Spec {
			return &Spec{Filters: []Filter{
				{Column: m.Column("name"), Lookup: "icontains", Values: []string{""}},
				{Column: m.Column("qty"), Lookup: "in", Exclude: true, Values: []string{"1,2,3"}},
				{Column: m.Column("note"), Lookup: "isnull", Values: []string{"true"}},
			}}
		}, "name__icontains=&exclude__qty__in=1,2,3&note__isnull=true"},
		{"search order zone", func(*schema.Model) *Spec {
			return &Spec{Search: "ab", Order: []Order{{Column: "created", Desc: true}, {Column: "name"}}, Location: loc}
		}, "_search=ab&_order_by=-created,name&tz=%2B03:00"},
		{"relation", func(*schema.Model) *Spec {
			return &Spec{Relation: "owner_id.users.id|team_id.teams.id|name.a,b"}
		}, "_relation=owner_id.users.id|team_id.teams.id|name.a,b"},
	}
}

// TestCompileSpec builds typed queries directly and renders them on every
// dialect: the statements are exactly those of the same list parameters.
func TestCompileSpec(t *testing.T) {
	for _, tc := range specCases() {
		for _, d := range dialects {
			s := testSchema(d.Engine, "app")
			m := s.Model("items")
			q, err := Compile(m, d, tc.spec(m), Options{Schema: s})
			if err != nil {
				t.Fatalf("%s on %s: %v", tc.name, d.Engine, err)
			}
			want := mustParse(t, d, tc.raw)
			for _, pair := range [][2]func(*Query) (string, []any){
				{func(q *Query) (string, []any) { return q.SelectSQL(25, 50) }},
				{func(q *Query) (string, []any) { return q.CountSQL() }},
				{func(q *Query) (string, []any) { return q.WhereSQL() }},
			} {
				gs, ga := pair[0](q)
				ws, wa := pair[0](want)
				if gs != ws || !reflect.DeepEqual(ga, wa) {
					t.Errorf("%s on %s:\n got  %s %v\n want %s %v", tc.name, d.Engine, gs, ga, ws, wa)
				}
			}
		}
	}
}

// TestCompileSpecSQL: the text of a directly built query on each engine.
func TestCompileSpecSQL(t *testing.T) {
	want := map[string]string{
		"sqlite":     `SELECT COUNT(*) FROM "app"."items" WHERE ("qty" > ?) AND (NOT (jetbridge_lower("name") LIKE ? ESCAPE '!'))`,
		"postgresql": `SELECT COUNT(*) FROM "app"."items" WHERE ("qty" > $1) AND (NOT ("name" ILIKE $2 ESCAPE '!'))`,
		"mysql":      "SELECT COUNT(*) FROM `app`.`items` WHERE (`qty` > ?) AND (NOT (LOWER(`name`) LIKE LOWER(?) ESCAPE '!'))",
	}
	for _, d := range dialects {
		s := testSchema(d.Engine, "app")
		m := s.Model("items")
		spec := &Spec{
			Filters: []Filter{
				{Column: m.Column("qty"), Lookup: "gt", Values: []string{"8.5"}},
				{Column: m.Column("name"), Lookup: "istartswith", Exclude: true, Values: []string{"a_%"}},
			},
			Order: []Order{{Column: "qty"}},
		}
		q, err := Compile(m, d, spec, Options{})
		if err != nil {
			t.Fatal(err)
		}
		stmt, args := q.CountSQL()
		if stmt != want[string(d.Engine)] || !reflect.DeepEqual(args, []any{int64(8), "a!_!%%"}) {
			t.Errorf("%s: %s %#v", d.Engine, stmt, args)
		}
	}
}

// TestCompileSpecGroup: Aggregate and Group set directly render as their
// parameters do, and are checked when rendered.
func TestCompileSpecGroup(t *testing.T) {
	raw := "_x_column=created&_x_lookup=date_week&_x_column=status&_y_func=SUM&_y_column=qty&_per_page=0"
	for _, d := range dialects {
		s := testSchema(d.Engine, "app")
		m := s.Model("items")
		spec := &Spec{
			Aggregate: Agg{Func: "SUM", Column: "qty"},
			Group:     Grouping{By: []GroupBy{{Column: "created", Lookup: "date_week"}, {Column: "status"}}, Limit: 1},
		}
		q, err := Compile(m, d, spec, Options{Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		params, _ := url.ParseQuery(raw)
		want, err := ParseWith(m, d, params, Options{Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		gs, ga, err := q.GroupSQL()
		ws, wa, werr := want.GroupSQL()
		if err != nil || werr != nil || gs != ws || !reflect.DeepEqual(ga, wa) {
			t.Errorf("%s group:\n got  %s %v %v\n want %s %v %v", d.Engine, gs, ga, err, ws, wa, werr)
		}
		gs, ga, err = q.AggregateSQL()
		ws, wa, werr = want.AggregateSQL()
		if err != nil || werr != nil || gs != ws || !reflect.DeepEqual(ga, wa) {
			t.Errorf("%s aggregate:\n got  %s %v %v\n want %s %v %v", d.Engine, gs, ga, err, ws, wa, werr)
		}
		q.spec.Aggregate.Column = "name"
		if _, _, err := q.GroupSQL(); errBody(t, err) != `{"non_field_errors":["Can't apply sum to non-number field: name"]}` {
			t.Errorf("%s: sum over text: %v", d.Engine, err)
		}
	}
}

// TestCompileSpecErrors: a typed filter the column does not take is a 400
// rather than being ignored (only names from parameters are ignored).
func TestCompileSpecErrors(t *testing.T) {
	for _, d := range []db.Dialect{sqliteDialect, pgDialect, mysqlDialect} {
		m := testSchema(d.Engine, "app").Model("items")
		for _, spec := range []*Spec{
			{Filters: []Filter{{Column: m.Column("qty"), Lookup: "istartswith", Values: []string{"1"}}}},
			{Filters: []Filter{{Column: m.Column("qty"), Lookup: "nope", Values: []string{"1"}}}},
			{Filters: []Filter{{Lookup: "exact", Values: []string{"1"}}}},
			{Order: []Order{{Column: "nope"}}},
			{Segment: "x"},
		} {
			if _, err := Compile(m, d, spec, Options{}); err == nil {
				t.Errorf("%s: %+v compiled", d.Engine, spec)
			} else {
				errBody(t, err)
			}
		}
	}
}

// TestFilters: names resolve as list parameters do (an __exact value wins
// over the bare name, unknown names and control parameters are dropped).
func TestFilters(t *testing.T) {
	m := testSchema(sqliteDialect.Engine, "app").Model("items")
	got := Filters(m, []Named{
		{Name: "qty", Values: []string{"1"}},
		{Name: "qty__exact", Values: []string{"2"}},
		{Name: "exclude__name__icontains", Values: []string{"x"}},
		{Name: "nope__gt", Values: []string{"1"}},
		{Name: "page", Values: []string{"2"}},
		{Name: "name__gt", Values: []string{"1"}},
	})
	want := []Filter{
		{Column: m.Column("name"), Lookup: "icontains", Exclude: true, Values: []string{"x"}},
		{Column: m.Column("qty"), Lookup: "exact", Values: []string{"2"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestCompareJoined(t *testing.T) {
	for _, s := range []string{"", "a", "ab", "abc", "ab__exact", "ab__exacu", "ab__exac", "ab_", "b", "aa__exact_"} {
		for _, a := range []string{"", "a", "ab", "b"} {
			if got, want := compareJoined(s, a, "__exact"), strings.Compare(s, a+"__exact"); got != want {
				t.Errorf("compareJoined(%q, %q) = %d, want %d", s, a, got, want)
			}
		}
	}
}

// TestParsePage: page, _per_page and _no_pagination (last value, trimmed,
// clamped).
func TestParsePage(t *testing.T) {
	m := unitFixture(t)
	for _, tc := range []struct {
		raw  string
		want Page
	}{
		{"", Page{Number: 1, PerPage: DefaultPerPage}},
		{"page=3&_per_page=10", Page{Number: 3, PerPage: 10}},
		{"page=0&_per_page=0", Page{Number: 1, PerPage: 1}},
		{"page=x&_per_page=99999", Page{Number: 1, PerPage: MaxPerPage}},
		{"page=2&page=+%205&_per_page=7&_per_page=8", Page{Number: 5, PerPage: 8}},
		{"_no_pagination=1", Page{Number: 1, PerPage: DefaultPerPage, All: true}},
		{"_no_pagination=1&_no_pagination=", Page{Number: 1, PerPage: DefaultPerPage}},
	} {
		params, _ := url.ParseQuery(tc.raw)
		q, err := Parse(m, sqliteDialect, params)
		if err != nil {
			t.Fatal(err)
		}
		if got := q.Page(); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.raw, got, tc.want)
		}
	}
}
