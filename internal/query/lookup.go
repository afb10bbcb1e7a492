package query

import (
	"strings"

	"github.com/jetbridge/jetbridge/internal/dialect/feature"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// This file holds the one renderer per lookup, for every dialect, that
// both the REST list's filters (filter.go, search.go; spec §9.4) and
// GraphQL's (Filter.graphCond in graph.go; graphql.md §4) write their
// conditions with; one Filter type carries both, its Style choosing.
// Columns go through b.col, so GraphQL's table aliases apply
// (builder.qualified). What differs between the two APIs is documented and
// chosen by a lookupStyle, never by the caller writing its own SQL.

// lookupStyle is how one API's lookups render.
type lookupStyle struct {
	// escaped: LIKE patterns come escaped with escapeLike (and folded with
	// newLike) and are matched with the dialect's ILike over the column's
	// text (builder.textOf) and ESCAPE '!' (REST, where % and _ match
	// literally). Otherwise the pattern is the client's, % and _ are
	// wildcards, the engine's own LIKE is used where it ignores case, and the
	// column is cast to text only when asked (GraphQL).
	escaped bool
	// typed: the column side of comparisons is builder.valueExpr (datetimes
	// normalised, enums compared as text) rather than the column as it is.
	typed bool
	// float binds compared values as double precision (on engines with
	// typed parameters: a CAST, so that an integer column compares with
	// 2.5 as upstream's float does).
	float bool
	// upperTypes writes the type names of casts upper-case (TEXT, JSONB),
	// as GraphQL's statements always have.
	upperTypes bool
	// joinedPath writes a condition on related rows (Filter.Path) as one
	// subquery joining the hops by alias (GraphQL) rather than one nested
	// subquery per hop (REST); see builder.semiJoin.
	joinedPath bool
	// grouped parenthesises each of several conditions ANDed in a WHERE
	// clause (REST); GraphQL writes them bare (writeConds).
	grouped bool
}

// restStyle is the REST list's (spec §9.4).
var restStyle = lookupStyle{escaped: true, typed: true, grouped: true}

// graphStyle is GraphQL's; float is Filter.Float.
func graphStyle(float bool) lookupStyle {
	return lookupStyle{float: float, upperTypes: true, joinedPath: true}
}

// typeName is a type name of a cast in the style's case.
func (st lookupStyle) typeName(t string) string {
	if st.upperTypes {
		return strings.ToUpper(t)
	}
	return t
}

// isNull writes c IS [NOT] NULL (isnull, and isempty on non-text columns).
func (b *builder) isNull(c *schema.Column, null bool) {
	b.col(c)
	if null {
		b.sql(" IS NULL")
	} else {
		b.sql(" IS NOT NULL")
	}
}

// isEmpty writes "c IS NULL OR c = <the empty string>" (empty) or its
// negation, unparenthesised, for text columns; the text is valueExpr's in
// the typed style.
func (b *builder) isEmpty(c *schema.Column, empty bool, st lookupStyle) {
	b.col(c)
	if empty {
		b.sql(" IS NULL OR ")
	} else {
		b.sql(" IS NOT NULL AND ")
	}
	b.lhs(c, st)
	if empty {
		b.sql(" = ''")
	} else {
		b.sql(" <> ''")
	}
}

// lhs writes the column side of a comparison.
func (b *builder) lhs(c *schema.Column, st lookupStyle) {
	if st.typed {
		b.valueExpr(c)
		return
	}
	b.col(c)
}

// value binds v (as double precision in the float style, where parameters
// are typed).
func (b *builder) value(v any, st lookupStyle) {
	if st.float && b.d.Has(feature.TypedParams) {
		b.sql("CAST(")
		b.arg(v)
		b.sql(" AS DOUBLE PRECISION)")
		return
	}
	b.arg(v)
}

// compare writes exact, gt, gte, lt or lte: <column> <op> <value>.
func (b *builder) compare(c *schema.Column, lk lookup, v any, st lookupStyle) {
	b.lhs(c, st)
	b.sql(opSQL(lk))
	b.value(v, st)
}

// in writes <column> IN (<values>); no values match nothing.
func (b *builder) in(c *schema.Column, values []any, st lookupStyle) {
	if len(values) == 0 {
		b.sql(falseSQL)
		return
	}
	b.lhs(c, st)
	b.sql(" IN (")
	for i, v := range values {
		if i > 0 {
			b.sql(", ")
		}
		b.value(v, st)
	}
	b.sql(")")
}

// like writes "the text of c matches pattern, ignoring case" (icontains,
// istartswith, iendswith, json_icontains, search). In the escaped style it
// is the dialect's ILike (PostgreSQL ILIKE, LOWER() on both sides on MySQL,
// the Unicode jetbridge_lower() on SQLite with the pattern folded by
// newLike) over textOf(c), and cast is not read. Otherwise the column is
// cast to text when cast is set (else the database decides, as upstream),
// and engines whose LIKE ignores case (SQLite, ASCII) use it as it is.
func (b *builder) like(c *schema.Column, pattern any, cast bool, st lookupStyle) {
	open, mid, closing := b.d.ILike()
	if st.escaped {
		b.sql(open)
		b.textOf(c)
		b.sql(mid)
		b.arg(pattern)
		b.sql(closing)
		b.sql(" ESCAPE '!'")
		return
	}
	if b.d.Has(feature.CaseInsensitiveLike) {
		open, mid, closing = "", " LIKE ", ""
	}
	b.sql(open)
	if cast {
		b.sql("CAST(")
		b.col(c)
		b.sql(" AS " + st.typeName(b.textType()) + ")")
	} else {
		b.col(c)
	}
	b.sql(mid)
	b.arg(pattern)
	b.sql(closing)
}

// textType is the type CAST turns a value into text with (text where the
// engine needs no cast).
func (b *builder) textType() string {
	if t := b.d.TextCast(); t != "" {
		return t
	}
	return "text"
}

// jsonContains writes PostgreSQL's containment of the JSON text v in c.
func (b *builder) jsonContains(c *schema.Column, v any, st lookupStyle) {
	t := st.typeName("jsonb")
	b.sql("CAST(")
	b.col(c)
	b.sql(" AS " + t + ") @> CAST(")
	b.arg(v)
	b.sql(" AS " + t + ")")
}

// valueExpr writes the column side of a typed comparison.
func (b *builder) valueExpr(c *schema.Column) {
	switch c.Kind {
	case schema.KindDateTime, schema.KindDate:
		if !b.d.WriteTemporal(b, c.Name, c.Kind == schema.KindDate) {
			b.col(c)
		}
	case schema.KindEnum, schema.KindText:
		b.textOf(c)
	default:
		b.col(c)
	}
}
