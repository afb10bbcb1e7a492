package query

import (
	"strconv"
	"strings"

	"github.com/jetbridge/jetbridge/internal/schema"
)

// searchCond is _search (§9.1): OR over the columns. Numbers match when the
// text is that number (compared as numbers, so "12.5" finds 12.50); text,
// enum, JSON and UUID columns match when their text contains the search text
// case-insensitively, with % and _ taken literally. Other kinds are not
// searched. With no searchable column nothing matches.
func (q *Query) searchCond(s string) cond {
	pattern := newLike(q.Dialect, "%"+escapeLike(s)+"%")
	var intVal any
	intOK := false
	if isDecimalSyntax(s) && !strings.ContainsAny(s, ".eE") {
		n, err := strconv.ParseInt(s, 10, 64)
		intVal, intOK = n, err == nil
	}
	var floatVal, decText any
	numOK := false
	if isDecimalSyntax(s) { // exactly a number: no spaces, no true/false
		var f float64
		var text string
		f, text, numOK = parseNumber(s)
		floatVal, decText = f, text
	}
	cols := q.Model.Columns
	n := 0
	for _, c := range cols {
		if searchable(c.Kind, intOK, numOK) {
			n++
		}
	}
	if n == 0 {
		return constCond(falseSQL)
	}
	return func(b *builder) {
		i := 0
		for _, c := range cols {
			if !searchable(c.Kind, intOK, numOK) {
				continue
			}
			if n > 1 {
				if i > 0 {
					b.sql(" OR ")
				}
				b.sql("(")
			}
			i++
			switch c.Kind {
			case schema.KindInteger:
				eq(b, c, intVal)
			case schema.KindFloat:
				eq(b, c, floatVal)
			case schema.KindDecimal:
				eq(b, c, decText)
			default:
				b.like(c, pattern.v, false, restStyle)
			}
			if n > 1 {
				b.sql(")")
			}
		}
	}
}

// searchable reports whether _search looks at a column of kind k.
func searchable(k schema.Kind, intOK, numOK bool) bool {
	switch k {
	case schema.KindInteger:
		return intOK
	case schema.KindFloat, schema.KindDecimal:
		return numOK
	case schema.KindText, schema.KindEnum, schema.KindJSON, schema.KindUUID:
		return true
	}
	return false
}

func eq(b *builder, c *schema.Column, v any) { b.compare(c, lkExact, v, restStyle) }
