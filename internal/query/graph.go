package query

import (
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// This file holds what is GraphQL's own (spec graphql.md): its filters'
// conditions, its search, and the statements that read related rows, for
// every engine. The page and its count are a Spec compiled with
// Options{Alias: "t0", Style: StyleGraphQL} (Query.SelectSQL, CountSQL).
// Identifiers come only from the schema.Models handed in; every value is a
// bound parameter. The filter semantics are GraphQL's, not the REST list's:
// LIKE patterns are not escaped (spec §4: % and _ are wildcards).

// graphCond is the condition of a GraphQL-style filter (graphql.md §4),
// written with the shared lookup renderers (lookup.go). Its lookups:
//
//	exact, gt, gte, lt, lte  the column compared with Args[0]
//	in                       the column is one of Args (none: no row)
//	isnull                   IS NULL (Args[0] true) or IS NOT NULL
//	isempty                  IS NULL OR = '' (Args[0] true) or neither
//	like                     LIKE the pattern Args[0], ignoring case
//	like_any                 LIKE any of the patterns in Args
//	json_contains            (PostgreSQL) contains any of the JSON texts in Args
//	covered_by               ST_CoveredBy the geometry whose WKT is Args[0]
//
// and any other matches no row.
func (f *Filter) graphCond() cond {
	c, st, args, cast := f.Column, graphStyle(f.Float), f.Args, f.Cast
	var arg any
	if len(args) > 0 {
		arg = args[0]
	}
	var w cond
	switch f.Lookup {
	case "exact", "gt", "gte", "lt", "lte":
		lk, _ := lookupByName(f.Lookup)
		w = func(b *builder) { b.compare(c, lk, arg, st) }
	case "in":
		w = func(b *builder) { b.in(c, args, st) }
	case "isnull":
		null, _ := arg.(bool)
		w = func(b *builder) { b.isNull(c, null) }
	case "isempty":
		empty, _ := arg.(bool)
		w = func(b *builder) {
			b.sql("(")
			b.isEmpty(c, empty, st)
			b.sql(")")
		}
	case "like":
		w = func(b *builder) { b.like(c, arg, cast, st) }
	case "like_any":
		w = func(b *builder) { anyOf(b, len(args), func(i int) { b.like(c, args[i], cast, st) }) }
	case "json_contains":
		w = func(b *builder) { anyOf(b, len(args), func(i int) { b.jsonContains(c, args[i], st) }) }
	case "covered_by":
		w = func(b *builder) {
			b.sql("ST_CoveredBy(")
			b.col(c)
			b.sql(", ST_GeomFromText(")
			b.arg(arg)
			b.sql("))")
		}
	default:
		w = constCond(falseSQL)
	}
	return f.wrap(w, st)
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

// graphSearch is spec §8: numbers by their exact text, strings, JSON and
// enums by a case-insensitive substring; dates and booleans are not
// searched.
func graphSearch(b *builder, m *schema.Model, q string) {
	st := graphStyle(false)
	n := 0
	b.sql("(")
	for _, c := range m.Columns {
		var write func()
		switch c.Kind {
		case schema.KindInteger, schema.KindFloat, schema.KindDecimal:
			write = func() {
				b.sql("CAST(")
				b.col(c)
				b.sql(" AS " + st.typeName(b.textType()) + ") = ")
				b.arg(q)
			}
		case schema.KindText, schema.KindUUID:
			write = func() {
				b.like(c, "%"+q+"%", c.Kind == schema.KindUUID || !b.d.NativeText(false, c.DataType), st)
			}
		case schema.KindJSON, schema.KindEnum, schema.KindArray:
			write = func() { b.like(c, "%"+q+"%", true, st) }
		default:
			continue
		}
		if n > 0 {
			b.sql(" OR ")
		}
		write()
		n++
	}
	if n == 0 {
		b.sql(falseSQL)
	}
	b.sql(")")
}

// GraphFetchSQL selects, for the rows reached along hops from the keys
// (values of hops[0].Local), the key and cols of the last table, ordered by
// the keys of every table on the way.
func GraphFetchSQL(d db.Dialect, hops []Hop, keys []any, cols []*schema.Column) (string, []any) {
	b := newBuilder(d, 256)
	aliases := b.hopAliases(hops)
	last := aliases[len(aliases)-1]
	b.sql("SELECT ")
	b.qcol(aliases[0], hops[0].Remote)
	for _, c := range cols {
		b.sql(", ")
		b.qcol(last, c)
	}
	reachedFrom(b, hops, aliases, keys)
	b.sql(" ORDER BY ")
	for i, h := range hops {
		if i > 0 {
			b.sql(", ")
		}
		if pk := h.Target.PK(); pk != nil {
			b.qcol(aliases[i], pk)
		} else {
			b.qcol(aliases[i], h.Remote)
		}
	}
	return b.String(), b.args
}

// GraphAggregateSQL computes fn(attr) (attr nil: the primary key) over the
// rows reached along hops, grouped by the key.
func GraphAggregateSQL(d db.Dialect, hops []Hop, keys []any, fn string, attr *schema.Column) (string, []any) {
	b := newBuilder(d, 256)
	aliases := b.hopAliases(hops)
	last := aliases[len(aliases)-1]
	b.sql("SELECT ")
	b.qcol(aliases[0], hops[0].Remote)
	b.sql(", ")
	switch fn {
	case "Sum":
		b.sql("SUM(")
	case "Min":
		b.sql("MIN(")
	case "Max":
		b.sql("MAX(")
	case "Avg":
		b.sql("AVG(")
	default:
		b.sql("COUNT(")
	}
	if attr == nil {
		b.sql("*")
	} else {
		b.qcol(last, attr)
	}
	b.sql(")")
	reachedFrom(b, hops, aliases, keys)
	b.sql(" GROUP BY ")
	b.qcol(aliases[0], hops[0].Remote)
	return b.String(), b.args
}

// reachedFrom writes the FROM and WHERE of the rows reached along hops
// from the keys.
func reachedFrom(b *builder, hops []Hop, aliases []string, keys []any) {
	b.joinHops(hops, aliases)
	b.sql(" WHERE ")
	b.qcol(aliases[0], hops[0].Remote)
	b.sql(" IN (")
	for i, k := range keys {
		if i > 0 {
			b.sql(", ")
		}
		b.arg(k)
	}
	b.sql(")")
}
