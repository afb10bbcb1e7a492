package query

import (
	"slices"
	"strings"
	"time"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// Spec is the typed form of a list request: what to filter, search and
// order by, which relations to follow, and the aggregate or grouping asked
// for. Parse builds it from URL parameters (the only code that knows their
// names); /api/sql/ builds it from its JSON. Compile checks it against a
// model and dialect and gives the *Query that renders SQL.
type Spec struct {
	// Filters are ANDed in this order (Parse sorts them by parameter name).
	Filters []Filter
	// Search is _search: "" searches nothing (but see SearchEmpty).
	Search string
	// SearchEmpty (GraphQL style, Options.Style) searches even for an
	// empty Search: graphql.md §8's search for "" matches the rows with a
	// searchable value.
	SearchEmpty bool
	// Columns are the columns SelectSQL reads, in this order (nil: every
	// column of the model, except in the GraphQL style).
	Columns []*schema.Column
	// Order is _order_by: the primary key descending is added after it.
	Order []Order
	// Relation is _relation (<local>.<table>.<remote>|…|<column>.<values>).
	Relation string
	// M2M is _m2m (<table>.<column>.<value>…).
	M2M string
	// Segment is _segment: refused, named SQL segments are not supported.
	Segment string
	// Location is the zone of ?tz= (nil: UTC unless Options.Location).
	Location *time.Location
	// Aggregate is aggregate/'s _y_func and _y_column.
	Aggregate Agg
	// Page is the list's page, _per_page and _no_pagination.
	Page Page
	// Group is group/'s _x_column, _x_lookup and _per_page (its aggregate
	// is Aggregate).
	Group Grouping
}

// Filter is one column filter: Column <Lookup> Values, negated by Exclude.
type Filter struct {
	Column *schema.Column
	// Lookup is, in the REST style, one of exact, gt, gte, lt, lte,
	// icontains, in, istartswith, iendswith, isnull, isempty,
	// json_icontains (spec §9.4); in the GraphQL style one of those in
	// graphCond (graph.go).
	Lookup  string
	Exclude bool
	// Values hold the parameter's values as text (REST style); only `in`
	// reads more than the first, and an empty first value means no filter.
	Values []string
	// Path leads from the queried model to Column's table: the filter
	// holds for a row when it holds for a row reached along it (a
	// semi-join, so rows never repeat; builder.semiJoin). Exclude negates
	// the condition on the reached rows.
	Path []Hop
	// Style is the API whose semantics the filter has.
	Style Style
	// Args are the values of a GraphQL-style filter, converted for the
	// column by the GraphQL layer and bound as they are (Values is not read).
	Args []any
	// Float (GraphQL style) binds Args as double precision on engines with
	// typed parameters, so an integer column compares with 2.5 as
	// upstream's float does.
	Float bool
	// Cast (GraphQL style) makes like and like_any match the column's text.
	Cast bool
}

// Style is whose semantics a Filter has; lookup.go's lookupStyle holds
// how each renders.
type Style uint8

// Filter styles.
const (
	// StyleREST is the REST list's (spec §9.4): Values are the client's
	// text, parsed for the column; LIKE patterns match literally; columns
	// compare by their typed value.
	StyleREST Style = iota
	// StyleGraphQL is GraphQL's (graphql.md §4): Args are typed already;
	// LIKE patterns are the client's, % and _ wildcards; JSON compares by
	// containment on PostgreSQL.
	StyleGraphQL
)

// Order is one _order_by term.
type Order struct {
	Column string
	Desc   bool
}

// Pagination of the list (spec §9.1).
const (
	DefaultPerPage = 25
	MaxPerPage     = 10000
)

// Page is the page of a list: Number from 1, PerPage rows (in
// [1, MaxPerPage]); All is _no_pagination (the first MaxPerPage rows).
type Page struct {
	Number  int
	PerPage int
	All     bool
	// Limit and Offset are a window of rows given as such (POST /api/sql/'s
	// limit and offset over a Source), which DataSQL writes: Limit 0 is no
	// limit, Offset 0 no offset.
	Limit, Offset int64
}

// Agg is a function over a column (Column "" = the primary key).
type Agg struct {
	Func   string // count, sum, min, max, avg (case-insensitive)
	Column string
}

// GroupBy is one grouping level: a column and its _x_lookup.
type GroupBy struct {
	Column string
	Lookup string // "", plain, auto, date, date_<unit>
}

// Grouping is group/: levels (none: one bucket) and the row limit (0: DefaultGroupRows).
type Grouping struct {
	By    []GroupBy
	Limit int
}

// Named is a filter as a client names it (col, col__<lookup>,
// exclude__col[__<lookup>]) with its values.
type Named struct {
	Name   string
	Values []string
}

// Filters resolves named filters against model m, in name order; names
// that are no filter of m (unknown columns or lookups, control parameters)
// are dropped, as is a bare or excluded column whose __exact form also has
// a value. It is how both URL parameters and /api/sql/'s JSON filters,
// which share these names, become typed filters.
func Filters(m *schema.Model, named []Named) []Filter {
	if !slices.IsSortedFunc(named, byName) {
		named = slices.Clone(named)
		slices.SortStableFunc(named, byName)
	}
	out := make([]Filter, 0, len(named))
	for _, n := range named {
		c, lk, exclude, ok := resolveKey(m, n.Name, named)
		if !ok {
			continue
		}
		out = append(out, Filter{Column: c, Lookup: lk, Exclude: exclude, Values: n.Values})
	}
	return out
}

// Compile checks spec against model m and dialect d and returns the query
// that renders it. Values that cannot be parsed for their column, unknown
// _order_by columns and malformed special filters are a 400 *apierr.Error.
// Aggregate and Group are checked when rendered (AggregateSQL, GroupSQL).
func Compile(m *schema.Model, d db.Dialect, spec *Spec, opts Options) (*Query, error) {
	q := &Query{Model: m, Dialect: d, Location: opts.Location, opts: opts, spec: *spec}
	if opts.Style != StyleGraphQL {
		q.conds = make([]cond, 0, 4)
	} else if n := len(spec.Filters); n > 0 || spec.Search != "" || spec.SearchEmpty {
		q.conds = make([]cond, 0, n+1) // GraphQL's common page has no condition
	}
	if q.Location == nil {
		q.Location = spec.Location
		if q.Location == nil {
			q.Location = time.UTC
		}
	}
	if m.PKAuto && opts.Style != StyleGraphQL {
		if pk := m.PK(); pk != nil {
			q.conds = append(q.conds, nullCond(pk, false))
		}
	}
	for i := range spec.Filters {
		f := &spec.Filters[i]
		for _, h := range f.Path {
			q.joined = append(q.joined, h.Target)
		}
		if f.Style == StyleGraphQL {
			q.conds = append(q.conds, f.graphCond())
			continue
		}
		c := filterColumn(f.Column)
		lk, ok := lookupByName(f.Lookup)
		if f.Lookup == "" {
			lk, ok = lkExact, true
		}
		if !ok || c == nil || !lookupAllowed(c.Kind, lk) {
			return nil, apierr.NonField("Unknown filter \"" + f.Lookup + "\" on column \"" + colName(c) + "\"")
		}
		cnd, err := q.filter(c, lk, f.Values)
		if err != nil {
			return nil, err
		}
		if cnd == nil {
			continue
		}
		q.conds = append(q.conds, f.wrap(cnd, restStyle))
	}
	if err := q.special(spec); err != nil {
		return nil, err
	}
	return q, nil
}

func colName(c *schema.Column) string {
	if c == nil {
		return ""
	}
	return c.Name
}

// special applies _m2m, _order_by, _relation, _search and _segment.
func (q *Query) special(spec *Spec) error {
	if spec.M2M != "" {
		c, err := q.m2m(spec.M2M)
		if err != nil {
			return err
		}
		q.conds = append(q.conds, c)
	}
	if len(spec.Order) > 0 && !q.opts.ClientNames {
		order := make([]orderTerm, 0, len(spec.Order))
		for _, o := range spec.Order {
			c := q.Model.Column(o.Column)
			if c == nil {
				return unknownColumn(q.Model, o.Column)
			}
			order = append(order, orderTerm{col: c, desc: o.Desc})
		}
		q.order = order
	}
	if spec.Relation != "" {
		c, err := q.relation(spec.Relation)
		if err != nil {
			return err
		}
		q.conds = append(q.conds, c)
	}
	switch {
	case q.opts.Style == StyleGraphQL:
		if spec.Search != "" || spec.SearchEmpty {
			m, s := q.Model, spec.Search
			q.conds = append(q.conds, func(b *builder) { graphSearch(b, m, s) })
		}
	case spec.Search != "":
		q.conds = append(q.conds, q.searchCond(spec.Search))
	}
	if spec.Segment != "" {
		return apierr.NonField("_segment is not supported: named SQL segments cannot be used as filters by this bridge")
	}
	return nil
}

func byName(a, b Named) int { return strings.Compare(a.Name, b.Name) }

// hasExact reports whether the first of named (sorted by name) called
// key+"__exact" has a non-empty first value.
func hasExact(named []Named, key string) bool {
	const suffix = "__exact"
	i, j := 0, len(named)
	for i < j { // the first name >= key+suffix, without building it
		h := int(uint(i+j) >> 1)
		if compareJoined(named[h].Name, key, suffix) < 0 {
			i = h + 1
		} else {
			j = h
		}
	}
	return i < len(named) && compareJoined(named[i].Name, key, suffix) == 0 &&
		len(named[i].Values) > 0 && named[i].Values[0] != ""
}

// compareJoined is strings.Compare(s, a+b).
func compareJoined(s, a, b string) int {
	n := min(len(s), len(a))
	if c := strings.Compare(s[:n], a[:n]); c != 0 || len(s) < len(a) {
		if c != 0 {
			return c
		}
		return -1
	}
	return strings.Compare(s[len(a):], b)
}

// resolveKey maps a filter name to (column, lookup, exclude); named are all
// the filters, sorted by name (an __exact value wins over the bare name).
func resolveKey(m *schema.Model, key string, named []Named) (*schema.Column, string, bool, bool) {
	if c := filterColumn(m.Column(key)); c != nil {
		if isControl(key) || hasExact(named, key) {
			return nil, "", false, false
		}
		return c, "exact", false, true
	}
	if c, lk, ok := splitLookup(m, key); ok {
		return c, lk, false, true
	}
	rest, ok := strings.CutPrefix(key, "exclude__")
	if !ok {
		return nil, "", false, false
	}
	if c := filterColumn(m.Column(rest)); c != nil {
		if hasExact(named, key) {
			return nil, "", false, false
		}
		return c, "exact", true, true
	}
	if c, lk, ok := splitLookup(m, rest); ok {
		return c, lk, true, true
	}
	return nil, "", false, false
}

// splitLookup splits "<column>__<lookup>" when both exist and the lookup
// applies to the column's kind.
func splitLookup(m *schema.Model, name string) (*schema.Column, string, bool) {
	i := strings.LastIndex(name, "__")
	if i <= 0 {
		return nil, "", false
	}
	lk, ok := lookupByName(name[i+2:])
	if !ok {
		return nil, "", false
	}
	c := filterColumn(m.Column(name[:i]))
	if c == nil || !lookupAllowed(c.Kind, lk) {
		return nil, "", false
	}
	return c, name[i+2:], true
}
