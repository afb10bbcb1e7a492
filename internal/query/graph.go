package query

import (
	"strconv"

	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// This file renders the statements of the GraphQL API (spec graphql.md):
// the page, its count, and the lookups of related rows, for every engine.
// Identifiers come only from the schema.Models handed in; every value is a
// bound parameter. The filter semantics are GraphQL's, not the REST list's:
// LIKE patterns are not escaped (spec §4: % and _ are wildcards).

// GraphHop joins Target on Target.Remote = <previous table>.Local.
type GraphHop struct {
	Local  *schema.Column
	Target *schema.Model
	Remote *schema.Column
}

// GraphOp is a lookup of spec §4.
type GraphOp uint8

// GraphQL lookups.
const (
	GraphEq GraphOp = iota
	GraphGt
	GraphGte
	GraphLt
	GraphLte
	GraphLike    // case-insensitive LIKE with the pattern in Value
	GraphIn      // Values
	GraphIsNull  // IS NULL
	GraphNotNull // IS NOT NULL
	GraphEmpty   // IS NULL OR = ''
	GraphNotEmpty
	GraphJSONEq // PostgreSQL containment of each of Values (JSON texts), ORed
	GraphCoveredBy
	GraphLikeAny // any of the patterns in Values
	GraphFalse   // no row
)

// GraphLeaf is one condition on a column of the table reached along Path
// from the queried model; with a Path it is a semi-join over the joined
// rows, so parents never repeat.
type GraphLeaf struct {
	Path   []GraphHop
	Col    *schema.Column
	Op     GraphOp
	Value  any
	Values []any
	// Cast compares the column's text (LIKE on JSON and enums).
	Cast bool
	// Float binds the value(s) as double precision (PostgreSQL: a CAST, so
	// an integer column compares with 2.5 as upstream's float does).
	Float bool
	Not   bool
}

// GraphOrder is one sort term.
type GraphOrder struct {
	Col  *schema.Column
	Desc bool
}

// GraphSelect is one root field's selection.
type GraphSelect struct {
	Model  *schema.Model
	Cols   []*schema.Column // fetched columns, in this order
	Leaves []GraphLeaf
	Search *string
	Order  []GraphOrder
	Limit  int
	Offset int
}

const mainAlias = "t0"

type gbuilder struct {
	*builder
	n int // subquery alias counter
}

func (g *gbuilder) alias() string {
	g.n++
	return "g" + strconv.Itoa(g.n)
}

func (g *gbuilder) qcol(alias string, c *schema.Column) {
	g.sql(alias)
	g.sql(".")
	g.col(c)
}

func (g *gbuilder) from(m *schema.Model, alias string) {
	g.table(m.Schema, m.Table)
	g.sql(" AS ")
	g.sql(alias)
}

// SQL is SELECT <Cols> FROM <model> WHERE … ORDER BY … LIMIT … OFFSET ….
func (s *GraphSelect) SQL(d db.Dialect) (string, []any) {
	g := &gbuilder{builder: newBuilder(d, 256)}
	g.sql("SELECT ")
	for i, c := range s.Cols {
		if i > 0 {
			g.sql(", ")
		}
		g.qcol(mainAlias, c)
	}
	g.sql(" FROM ")
	g.from(s.Model, mainAlias)
	s.where(g)
	terms := s.orderTerms()
	for i, t := range terms {
		if i == 0 {
			g.sql(" ORDER BY ")
		} else {
			g.sql(", ")
		}
		g.qcol(mainAlias, t.Col)
		if t.Desc {
			g.sql(" DESC")
		}
	}
	g.sql(" LIMIT ")
	g.arg(int64(s.Limit))
	if s.Offset > 0 {
		g.sql(" OFFSET ")
		g.arg(int64(s.Offset))
	}
	return g.String(), g.args
}

// CountSQL is SELECT COUNT(*) over the filtered, searched rows.
func (s *GraphSelect) CountSQL(d db.Dialect) (string, []any) {
	g := &gbuilder{builder: newBuilder(d, 128)}
	g.sql("SELECT COUNT(*) FROM ")
	g.from(s.Model, mainAlias)
	s.where(g)
	return g.String(), g.args
}

// HasWhere reports whether the selection filters or searches.
func (s *GraphSelect) HasWhere() bool { return len(s.Leaves) > 0 || s.Search != nil }

func (s *GraphSelect) orderTerms() []GraphOrder {
	pk := s.Model.PK()
	if pk == nil {
		return s.Order
	}
	for _, t := range s.Order {
		if t.Col == pk {
			return s.Order
		}
	}
	return append(append([]GraphOrder(nil), s.Order...), GraphOrder{Col: pk, Desc: true})
}

func (s *GraphSelect) where(g *gbuilder) {
	n := 0
	and := func() {
		if n == 0 {
			g.sql(" WHERE ")
		} else {
			g.sql(" AND ")
		}
		n++
	}
	for _, l := range s.Leaves {
		and()
		g.leaf(mainAlias, l)
	}
	if s.Search != nil {
		and()
		g.search(s.Model, *s.Search)
	}
}

// leaf writes one condition. A Path becomes a semi-join,
// "<local> IN (SELECT <remote> FROM <hops> WHERE <condition>)": parents never
// repeat, and the subquery is not correlated, so engines without semi-join
// planning (SQLite) run it once instead of once per row.
func (g *gbuilder) leaf(base string, l GraphLeaf) {
	if len(l.Path) == 0 {
		if l.Not {
			g.sql("NOT (")
			g.cond(base, l)
			g.sql(")")
			return
		}
		g.cond(base, l)
		return
	}
	g.qcol(base, l.Path[0].Local)
	g.sql(" IN (SELECT ")
	aliases := make([]string, len(l.Path))
	for i := range l.Path {
		aliases[i] = g.alias()
	}
	g.qcol(aliases[0], l.Path[0].Remote)
	g.sql(" FROM ")
	for i, h := range l.Path {
		if i > 0 {
			g.sql(" JOIN ")
		}
		g.from(h.Target, aliases[i])
		if i > 0 {
			g.sql(" ON ")
			g.qcol(aliases[i], h.Remote)
			g.sql(" = ")
			g.qcol(aliases[i-1], h.Local)
		}
	}
	g.sql(" WHERE ")
	inner := l
	inner.Path = nil
	g.leaf(aliases[len(aliases)-1], inner)
	g.sql(")")
}

// graphLookups are the REST lookups GraphQL's comparison ops are.
var graphLookups = [...]lookup{GraphEq: lkExact, GraphGt: lkGt, GraphGte: lkGte, GraphLt: lkLt, GraphLte: lkLte}

// cond writes one condition with the shared lookup renderers (lookup.go)
// in GraphQL's style, the columns qualified by alias a.
func (g *gbuilder) cond(a string, l GraphLeaf) {
	g.qualified(a, func() { graphCond(g.builder, l) })
}

func graphCond(b *builder, l GraphLeaf) {
	st := graphStyle(l.Float)
	switch l.Op {
	case GraphEq, GraphGt, GraphGte, GraphLt, GraphLte:
		b.compare(l.Col, graphLookups[l.Op], l.Value, st)
	case GraphLike:
		b.like(l.Col, l.Value, l.Cast, st)
	case GraphIn:
		b.in(l.Col, l.Values, st)
	case GraphLikeAny:
		anyOf(b, len(l.Values), func(i int) { b.like(l.Col, l.Values[i], l.Cast, st) })
	case GraphIsNull, GraphNotNull:
		b.isNull(l.Col, l.Op == GraphIsNull)
	case GraphEmpty, GraphNotEmpty:
		b.sql("(")
		b.isEmpty(l.Col, l.Op == GraphEmpty, st)
		b.sql(")")
	case GraphJSONEq:
		anyOf(b, len(l.Values), func(i int) { b.jsonContains(l.Col, l.Values[i], st) })
	case GraphCoveredBy:
		b.sql("ST_CoveredBy(")
		b.col(l.Col)
		b.sql(", ST_GeomFromText(")
		b.arg(l.Value)
		b.sql("))")
	default:
		b.sql(falseSQL)
	}
}

// anyOf writes (c0 OR c1 ...); none matches nothing.
func anyOf(b *builder, n int, write func(i int)) {
	if n == 0 {
		b.sql(falseSQL)
		return
	}
	b.sql("(")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.sql(" OR ")
		}
		write(i)
	}
	b.sql(")")
}

// search is spec §8: numbers by their exact text, strings, JSON and enums
// by a case-insensitive substring; dates and booleans are not searched.
func (g *gbuilder) search(m *schema.Model, q string) {
	st := graphStyle(false)
	n := 0
	g.sql("(")
	g.qualified(mainAlias, func() {
		for _, c := range m.Columns {
			var write func()
			switch c.Kind {
			case schema.KindInteger, schema.KindFloat, schema.KindDecimal:
				write = func() {
					g.sql("CAST(")
					g.col(c)
					g.sql(" AS " + st.typeName(g.textType()) + ") = ")
					g.arg(q)
				}
			case schema.KindText, schema.KindUUID:
				write = func() {
					g.like(c, "%"+q+"%", c.Kind == schema.KindUUID || !g.d.NativeText(false, c.DataType), st)
				}
			case schema.KindJSON, schema.KindEnum, schema.KindArray:
				write = func() { g.like(c, "%"+q+"%", true, st) }
			default:
				continue
			}
			if n > 0 {
				g.sql(" OR ")
			}
			write()
			n++
		}
	})
	if n == 0 {
		g.sql(falseSQL)
	}
	g.sql(")")
}

// GraphFetchSQL selects, for the rows reached along hops from the keys
// (values of hops[0].Local), the key and cols of the last table, ordered by
// the keys of every table on the way.
func GraphFetchSQL(d db.Dialect, hops []GraphHop, keys []any, cols []*schema.Column) (string, []any) {
	g := &gbuilder{builder: newBuilder(d, 256)}
	aliases := make([]string, len(hops))
	for i := range hops {
		aliases[i] = g.alias()
	}
	last := aliases[len(aliases)-1]
	g.sql("SELECT ")
	g.qcol(aliases[0], hops[0].Remote)
	for _, c := range cols {
		g.sql(", ")
		g.qcol(last, c)
	}
	g.joins(hops, aliases, keys)
	g.sql(" ORDER BY ")
	for i, h := range hops {
		if i > 0 {
			g.sql(", ")
		}
		if pk := h.Target.PK(); pk != nil {
			g.qcol(aliases[i], pk)
		} else {
			g.qcol(aliases[i], h.Remote)
		}
	}
	return g.String(), g.args
}

// GraphAggregateSQL computes fn(attr) (attr nil: the primary key) over the
// rows reached along hops, grouped by the key.
func GraphAggregateSQL(d db.Dialect, hops []GraphHop, keys []any, fn string, attr *schema.Column) (string, []any) {
	g := &gbuilder{builder: newBuilder(d, 256)}
	aliases := make([]string, len(hops))
	for i := range hops {
		aliases[i] = g.alias()
	}
	last := aliases[len(aliases)-1]
	g.sql("SELECT ")
	g.qcol(aliases[0], hops[0].Remote)
	g.sql(", ")
	switch fn {
	case "Sum":
		g.sql("SUM(")
	case "Min":
		g.sql("MIN(")
	case "Max":
		g.sql("MAX(")
	case "Avg":
		g.sql("AVG(")
	default:
		g.sql("COUNT(")
	}
	if attr == nil {
		g.sql("*")
	} else {
		g.qcol(last, attr)
	}
	g.sql(")")
	g.joins(hops, aliases, keys)
	g.sql(" GROUP BY ")
	g.qcol(aliases[0], hops[0].Remote)
	return g.String(), g.args
}

func (g *gbuilder) joins(hops []GraphHop, aliases []string, keys []any) {
	g.sql(" FROM ")
	for i, h := range hops {
		if i > 0 {
			g.sql(" JOIN ")
		}
		g.from(h.Target, aliases[i])
		if i > 0 {
			g.sql(" ON ")
			g.qcol(aliases[i], h.Remote)
			g.sql(" = ")
			g.qcol(aliases[i-1], h.Local)
		}
	}
	g.sql(" WHERE ")
	g.qcol(aliases[0], hops[0].Remote)
	g.sql(" IN (")
	for i, k := range keys {
		if i > 0 {
			g.sql(", ")
		}
		g.arg(k)
	}
	g.sql(")")
}
