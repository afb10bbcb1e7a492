package query

import (
	"context"
	"slices"
	"testing"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/config"
)

var all = []int64{1, 2, 3, 4, 5, 6, 7, 8}

// filterCases: query string -> expected ids (any order). pg/other override
// the expectation on PostgreSQL / the other engines where §9.4 differs.
var filterCases = []struct {
	q     string
	want  []int64
	pg    []int64 // when set: PostgreSQL's expectation
	other []int64 // when set: MySQL's and SQLite's expectation
}{
	// text
	{q: "name=Alpha", want: []int64{1}},
	{q: "name__exact=beta", want: []int64{2}},
	{q: "name=Alpha&name__exact=beta", want: []int64{2}}, // __exact wins over the bare form
	{q: "name__icontains=éco", want: []int64{3, 5}},
	{q: "name__icontains=%C3%89CO", want: []int64{3, 5}}, // ÉCO
	{q: "name__icontains=straße", want: []int64{7}},
	{q: "name__icontains=%25", want: []int64{4}}, // a literal %
	{q: "name__icontains=_", want: []int64{6}},   // a literal _
	{q: "name__icontains=!", want: []int64{8}},   // the escape character itself
	{q: `name__icontains=k\s`, want: []int64{8}}, // a backslash
	{q: "name__istartswith=AL", want: []int64{1}},
	{q: "name__istartswith=é", want: []int64{3, 5}},
	{q: "name__iendswith=RAY", want: []int64{6}},
	{q: "name__iendswith=ße", want: []int64{7}},
	{q: "name__in=Alpha,beta", want: []int64{1, 2}},
	{q: "name__in=Alpha&name__in=beta,x", want: []int64{1}}, // repeated: the list as is
	{q: "exclude__name=Alpha", want: []int64{2, 3, 4, 5, 6, 7, 8}},
	{q: "exclude__name__icontains=éco", want: []int64{1, 2, 4, 6, 7, 8}},
	{q: "name=", want: all}, // empty values are ignored
	{q: "note__isnull=true", want: []int64{2}},
	{q: "note__isnull=false", want: []int64{1, 3, 4, 5, 6, 7, 8}},
	{q: "exclude__note__isnull=true", want: []int64{1, 3, 4, 5, 6, 7, 8}},
	{q: "note__isempty=true", want: []int64{2, 3}},
	{q: "note__isempty=false", want: []int64{1, 4, 5, 6, 7, 8}},
	{q: "note__icontains=note", want: []int64{1, 5}},
	{q: "note__icontains=strasse", want: []int64{7}},
	{q: "note__icontains=x%25y", want: []int64{6}},
	{q: "note__icontains=_", want: []int64{4}},
	{q: "note__icontains=%25", want: []int64{6}},
	{q: "exclude__note__icontains=note", want: []int64{3, 4, 6, 7, 8}}, // NULL note excluded (Q18)
	// integer
	{q: "qty=10", want: []int64{1}},
	{q: "qty__exact=10", want: []int64{1}},
	{q: "qty__gt=10", want: []int64{2, 5}},
	{q: "qty__gte=10", want: []int64{1, 2, 5}},
	{q: "qty__lt=5", want: []int64{6, 7}},
	{q: "qty__lte=5", want: []int64{4, 6, 7}},
	{q: "qty__gt=9.5", want: []int64{1, 2, 5}},
	{q: "qty__lt=5.5", want: []int64{4, 6, 7}},
	{q: "qty__lte=7.5", want: []int64{4, 6, 7, 8}},
	{q: "qty=10.5", want: nil},
	{q: "qty__gte=14.2", want: []int64{2, 5}},
	{q: "qty__lte=-2.5", want: []int64{7}},
	{q: "qty__gt=1e1", want: []int64{2, 5}},
	{q: "qty__in=10,20,99", want: []int64{1, 2}},
	{q: "qty__in=1.5,5", want: []int64{4}},
	{q: "qty__in=1.5", want: nil},
	{q: "qty__in=10&qty__in=20", want: []int64{1, 2}},
	{q: "qty__in=10,,20,", want: []int64{1, 2}},
	{q: "qty__isnull=true", want: []int64{3}},
	{q: "qty__isempty=true", want: []int64{3}},
	{q: "qty__isnull=false", want: []int64{1, 2, 4, 5, 6, 7, 8}},
	{q: "exclude__qty__gt=10", want: []int64{1, 4, 6, 7, 8}},
	{q: "qty__icontains=1", want: []int64{1, 5}},
	{q: "qty=false", want: []int64{6}},
	{q: "qty=true", want: nil},
	{q: "qty__istartswith=1", want: all}, // lookup not allowed for numbers: ignored
	// decimal
	{q: "price=12.5", want: []int64{1, 6}},
	{q: "price=12.50", want: []int64{1, 6}},
	{q: "price__gt=12.5", want: []int64{4}},
	{q: "price__lt=1", want: []int64{5}},
	{q: "price__lte=1", want: []int64{5, 8}},
	{q: "price__gte=7.25", want: []int64{1, 2, 4, 6}},
	{q: "price__in=7.25,0.99", want: []int64{2, 5}},
	{q: "price__isnull=true", want: []int64{3}},
	{q: "price__icontains=.99", want: []int64{5}},
	// float
	{q: "ratio=0.5", want: []int64{1}},
	{q: "ratio__lt=0", want: []int64{4}},
	{q: "ratio__gte=2.5", want: []int64{5, 7, 8}},
	{q: "ratio__in=0,1.5", want: []int64{2, 6}},
	// boolean
	{q: "active=true", want: []int64{1, 4, 6, 7}},
	{q: "active=1", want: []int64{1, 4, 6, 7}},
	{q: "active=yes", want: []int64{1, 4, 6, 7}},
	{q: "active=false", want: []int64{2, 5}},
	{q: "active=0", want: []int64{2, 5}},
	{q: "active=off", want: []int64{2, 5}},
	{q: "active=NO", want: []int64{2, 5}},
	{q: "active__in=true,false", want: []int64{1, 2, 4, 5, 6, 7}},
	{q: "active__isnull=true", want: []int64{3, 8}},
	{q: "active__isempty=1", want: []int64{3, 8}},
	{q: "exclude__active=true", want: []int64{2, 5}},
	{q: "active__gt=0", want: all}, // not a boolean lookup: ignored
	// date
	{q: "born=2024-01-15", want: []int64{1}},
	{q: "born=2024-01-15T23:00:00", want: []int64{1}},
	{q: "born__gt=2024-02-01", want: []int64{2, 5, 6, 7, 8}},
	{q: "born__lt=2024-01-01", want: []int64{4}},
	{q: "born__gte=2024-02-29", want: []int64{2, 5, 6, 7, 8}},
	{q: "born__lte=2024-01-15", want: []int64{1, 4}},
	{q: "born__in=2024-01-15,2024-03-01", want: []int64{1, 5}},
	{q: "born__icontains=2024-0", want: []int64{1, 2, 5, 6, 7, 8}},
	{q: "born__isnull=true", want: []int64{3}},
	{q: "exclude__born__lt=2024-03-01", want: []int64{5, 6, 7, 8}},
	// datetime without time zone: wall-clock values
	{q: "created=2024-01-15T10:30:00.123456", want: []int64{1}},
	{q: "created=2024-01-15+10:30:00.123456", want: []int64{1}}, // space separator
	{q: "created__gt=2024-01-01", want: []int64{1, 2, 5, 6, 7, 8}},
	{q: "created__lt=2024-01-01", want: []int64{4}},
	{q: "created__gte=2024-02-29T23:59:59", want: []int64{2, 5, 6, 7, 8}},
	{q: "created__lte=2024-02-29T23:59:59", want: []int64{1, 2, 4}},
	{q: "created__lt=2024-07-01T00:00:00.000001", want: []int64{1, 2, 4, 5, 6, 8}},
	{q: "created=2024-07-01T00:00:00.000001", want: []int64{7}},
	{q: "created=2024-04-01T12:00:00.5", want: []int64{6}},
	{q: "created=2024-05-05T05:05:05", want: []int64{8}},
	{q: "created__gte=2024-01-15T13:30:00%2B03:00", want: []int64{1, 2, 5, 6, 7, 8}},
	{q: "created__gte=2024-01-15T13:30:00&tz=%2B03:00", want: []int64{2, 5, 6, 7, 8}},
	{q: "created__gte=2024-01-15T10:30:00Z&tz=%2B03:00", want: []int64{2, 5, 6, 7, 8}},
	{q: "created__gte=2024-01-15T10:30:00Z&tz=Europe/Moscow", want: []int64{2, 5, 6, 7, 8}},
	{q: "created__in=2024-02-29T23:59:59,2023-12-31T23:00:00", want: []int64{2, 4}},
	{q: "created__isnull=true", want: []int64{3}},
	{q: "created__icontains=2024-0", want: []int64{1, 2, 5, 6, 7, 8}},
	// enum
	{q: "status=new", want: []int64{1, 5}},
	{q: "status=nope", want: nil},
	{q: "status__in=new,paid", want: []int64{1, 2, 5, 6}},
	{q: "status__icontains=AI", want: []int64{2, 6}},
	{q: "status__istartswith=D", want: []int64{4, 7, 8}},
	{q: "status__isempty=true", want: []int64{3}},
	{q: "exclude__status=new", want: []int64{2, 4, 6, 7, 8}},
	// JSON: containment on PostgreSQL, text match elsewhere (§9.4)
	{q: "data=5", want: []int64{6}},
	{q: "data__json_icontains=RED", want: []int64{1, 4, 7}},
	{q: "data=red", pg: []int64{4, 7}, other: []int64{1, 4, 7}},
	{q: "data__in=red,5", pg: []int64{4, 6, 7}, other: []int64{1, 4, 6, 7}},
	{q: `data={"color":"red"}`, pg: []int64{1}, other: nil},
	{q: "data__isnull=true", want: []int64{3}},
	// control parameters are not filters; col__exact still is (Q19)
	{q: "page=3", want: all},
	{q: "page__exact=3", want: []int64{1}},
	{q: "exclude__page=3", want: []int64{2, 3, 4, 5, 6, 7, 8}},
	{q: "foo=1&name__nope=x&_per_page=2", want: all},
	// _relation, _m2m
	{q: "_relation=owner_id.users.id|team_id.teams.id|name.Red", want: []int64{1, 3, 4, 7}},
	{q: "_relation=owner_id.users.id|name.bob", want: []int64{2, 6, 8}},
	{q: "_relation=owner_id.users.id|id.1,3", want: []int64{1, 3, 4, 7}},
	{q: "_relation=name.Alpha", want: []int64{1}},
	{q: "_relation=owner_id.users.id|team_id.teams.id|name.Red&active=true", want: []int64{1, 4, 7}},
	{q: "_m2m=tags,1", want: []int64{1, 2}},
	{q: "_m2m=tags,2", want: []int64{4}},
	{q: "_m2m=teams,1", want: nil},
	// _search
	{q: "_search=éco", want: []int64{3, 5}},
	{q: "_search=10", want: []int64{1, 4}},
	{q: "_search=12.5", want: []int64{1, 6}},
	{q: "_search=%25", want: []int64{4, 6}},
	{q: "_search=_", want: []int64{4, 6}},
	{q: "_search=red", want: []int64{1, 4, 7}},
	{q: "_search=NEW", want: []int64{1, 5}},
	{q: "_search=zzz", want: nil},
	{q: "active=true&qty__gte=5&_search=a", want: []int64{1}},
}

func testFilters(t *testing.T, f *fixture) {
	d := f.d
	{
		for _, tc := range filterCases {
			want := tc.want
			if d.Dialect.Engine == config.EnginePostgres && tc.pg != nil {
				want = tc.pg
			} else if d.Dialect.Engine != config.EnginePostgres && (tc.other != nil || tc.pg != nil) {
				want = tc.other
			}
			q, err := f.parse(t, f.items, tc.q)
			if err != nil {
				t.Errorf("%s: %v", tc.q, err)
				continue
			}
			got := sorted(f.ids(t, q))
			if !slices.Equal(got, want) {
				query, args := q.SelectSQL(-1, 0)
				t.Errorf("%s: ids %v, want %v\n%s %v", tc.q, got, want, query, args)
				continue
			}
			// the count query agrees with the rows
			cq, cargs := q.CountSQL()
			var n int64
			if err := d.SQL.QueryRowContext(context.Background(), cq, cargs...).Scan(&n); err != nil {
				t.Fatalf("%s: count: %v", tc.q, err)
			}
			if n != int64(len(want)) {
				t.Errorf("%s: count %d, want %d", tc.q, n, len(want))
			}
		}
	}
	// a boolean filter value that is no boolean word: true, but on MySQL
	// (TINYINT(1)) a 400 as upstream answers
	q, err := f.parse(t, f.items, "active=whatever")
	if d.Dialect.Engine == config.EngineMySQL {
		if ae, ok := apierr.As(err); !ok || ae.Status != 400 {
			t.Errorf("active=whatever on MySQL: %v, want 400", err)
		}
	} else if err != nil {
		t.Errorf("active=whatever: %v", err)
	} else if got := sorted(f.ids(t, q)); !slices.Equal(got, []int64{1, 4, 6, 7}) {
		t.Errorf("active=whatever: ids %v", got)
	}
}

func testOrdering(t *testing.T, f *fixture) {
	d := f.d
	cases := []struct {
		q    string
		want []int64
	}{
		{"", []int64{8, 7, 6, 5, 4, 3, 2, 1}}, // default: pk descending
		{"_order_by=id", []int64{1, 2, 3, 4, 5, 6, 7, 8}},
		{"_order_by=-id", []int64{8, 7, 6, 5, 4, 3, 2, 1}},
		{"qty__isnull=false&_order_by=qty", []int64{7, 6, 4, 8, 1, 5, 2}},
		{"qty__isnull=false&_order_by=-qty", []int64{2, 5, 1, 8, 4, 6, 7}},
		{"active__isnull=false&_order_by=active", []int64{5, 2, 7, 6, 4, 1}}, // then pk desc
		{"active__isnull=false&_order_by=active,id", []int64{2, 5, 1, 4, 6, 7}},
		{"active__isnull=false&_order_by=-active&_order_by=id", []int64{1, 4, 6, 7, 2, 5}}, // repeated: joined
		{"price__isnull=false&_order_by=-price,-id", []int64{4, 6, 1, 2, 7, 8, 5}},
		{"_order_by=page,-position", []int64{8, 7, 6, 5, 4, 3, 2, 1}},
		{"born__isnull=false&_order_by=born", []int64{4, 1, 2, 5, 6, 8, 7}},
		{"created__isnull=false&_order_by=-created", []int64{7, 8, 6, 5, 2, 1, 4}},
	}
	{
		for _, tc := range cases {
			q, err := f.parse(t, f.items, tc.q)
			if err != nil {
				t.Fatalf("%s: %v", tc.q, err)
			}
			if got := f.ids(t, q); !slices.Equal(got, tc.want) {
				query, _ := q.SelectSQL(-1, 0)
				t.Errorf("%s: %v, want %v\n%s", tc.q, got, tc.want, query)
			}
		}
		// pagination: LIMIT/OFFSET
		q, _ := f.parse(t, f.items, "_order_by=id")
		for _, p := range []struct {
			limit, offset int
			want          []int64
		}{{3, 0, []int64{1, 2, 3}}, {3, 3, []int64{4, 5, 6}}, {3, 6, []int64{7, 8}}, {-1, 6, []int64{7, 8}}, {0, 0, nil}} {
			query, args := q.SelectSQL(p.limit, p.offset)
			if got := queryIDs(t, d, query, args); !slices.Equal(got, p.want) {
				t.Errorf("limit %d offset %d: %v, want %v", p.limit, p.offset, got, p.want)
			}
		}
	}
}
