package query

import (
	"strconv"

	"github.com/jetbridge/jetbridge/internal/schema"
)

// This file writes the ways a statement reaches related rows: a chain of
// hops joined in FROM (GraphQL's related-rows fetch and aggregate) and the
// semi-join of a condition on related rows (Filter.Path, _relation, _m2m).

// Hop leads from a table to the rows of Target whose Remote equals the
// table's Local.
type Hop struct {
	Local  *schema.Column
	Target *schema.Model
	Remote *schema.Column
}

// alias names the next table of the statement: g1, g2, ...
func (b *builder) alias() string {
	b.aliases++
	return "g" + strconv.Itoa(b.aliases)
}

// hopAliases names one table per hop.
func (b *builder) hopAliases(hops []Hop) []string {
	out := make([]string, len(hops))
	for i := range hops {
		out[i] = b.alias()
	}
	return out
}

// qcol writes column c of the table named alias (whatever b.qual is).
func (b *builder) qcol(alias string, c *schema.Column) {
	b.sql(alias)
	b.sql(".")
	b.ident(c.Name)
}

// from writes "<table of m> AS <alias>".
func (b *builder) from(m *schema.Model, alias string) {
	b.table(m.Schema, m.Table)
	b.sql(" AS ")
	b.sql(alias)
}

// joinHops writes " FROM <Target 0> AS a0 JOIN <Target 1> AS a1 ON
// a1.<Remote 1> = a0.<Local 1> ...": the rows reached along hops, each
// table named by its alias.
func (b *builder) joinHops(hops []Hop, aliases []string) {
	b.sql(" FROM ")
	for i, h := range hops {
		if i > 0 {
			b.sql(" JOIN ")
		}
		b.from(h.Target, aliases[i])
		if i > 0 {
			b.sql(" ON ")
			b.qcol(aliases[i], h.Remote)
			b.sql(" = ")
			b.qcol(aliases[i-1], h.Local)
		}
	}
}

// semiJoin writes "a row reached along path satisfies inner" as
// "<Local 0> IN (SELECT <Remote 0> ...)": rows never repeat, and the
// subquery is not correlated, so engines without semi-join planning
// (SQLite) run it once instead of once per row. The style chooses the shape
// (lookupStyle.joinedPath): REST nests one unqualified subquery per hop,
// GraphQL joins the hops, named by alias, in one.
func (b *builder) semiJoin(path []Hop, st lookupStyle, inner cond) {
	if !st.joinedPath {
		for _, h := range path {
			b.col(h.Local)
			b.sql(" IN (SELECT ")
			b.col(h.Remote)
			b.sql(" FROM ")
			b.table(h.Target.Schema, h.Target.Table)
			b.sql(" WHERE ")
		}
		inner(b)
		for range path {
			b.sql(")")
		}
		return
	}
	b.col(path[0].Local)
	b.sql(" IN (SELECT ")
	aliases := b.hopAliases(path)
	b.qcol(aliases[0], path[0].Remote)
	b.joinHops(path, aliases)
	b.sql(" WHERE ")
	b.qualified(aliases[len(aliases)-1], func() { inner(b) })
	b.sql(")")
}
