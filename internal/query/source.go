package query

import (
	"strconv"
	"strings"

	"github.com/jetbridge/jetbridge/internal/apierr"
)

// This file renders the statements of POST /api/sql/ over its Source (the
// client's own query, spec §10.2) with Options.ClientNames: the Source's
// result columns are the client's, so Spec.Order and Spec.Aggregate name
// them as the client spelled them and are not checked against the model,
// which only describes the declared columns; the database judges the names.
// They are quoted with Dialect.QuoteUserIdent, so that on SQLite a name that
// matches no column is an error and not a string literal (ORDER BY "typo"
// would sort nothing, SUM("typo") would be 0).

// userIdent writes a name the client gave.
func (b *builder) userIdent(name string) { b.sql(b.d.QuoteUserIdent(name)) }

// DataSQL returns SELECT * FROM <table or Source> WHERE … ORDER BY …
// LIMIT <Page.Limit> OFFSET <Page.Offset>, the window written as literals so
// that the planner sees it (the dialect's no-limit form when there is only
// an offset); its arguments are WhereSQL's. With ClientNames the ordering is
// Spec.Order as the client named it, no key added; else it is SelectSQL's.
func (q *Query) DataSQL() (string, []any) {
	b := q.start(len(q.opts.Source) + 64 + 48*len(q.conds))
	b.sql("SELECT * FROM ")
	q.writeFrom(b)
	q.writeWhere(b)
	if q.opts.ClientNames {
		for i, o := range q.spec.Order {
			if i == 0 {
				b.sql(" ORDER BY ")
			} else {
				b.sql(", ")
			}
			b.userIdent(o.Column)
			if o.Desc {
				b.sql(" DESC")
			}
		}
	} else {
		q.writeOrder(b)
	}
	pg := q.spec.Page
	switch {
	case pg.Limit > 0:
		b.sql(" LIMIT " + strconv.FormatInt(pg.Limit, 10))
	case pg.Offset > 0:
		b.sql(b.d.NoLimit())
	}
	if pg.Offset > 0 {
		b.sql(" OFFSET " + strconv.FormatInt(pg.Offset, 10))
	}
	return b.String(), b.args
}

// clientAggregateSQL is SELECT FUNC(<column>) AS <func>_1 over the filtered
// rows: the column as the client named it (Column "": the model's primary
// key, the constant column /api/sql/ adds so that COUNT counts every row),
// the label SQLAlchemy's anonymous one for func.<func>(…), as upstream.
func (q *Query) clientAggregateSQL() (string, []any, error) {
	a := q.spec.Aggregate
	fn := strings.ToLower(strings.TrimSpace(a.Func))
	switch fn {
	case "count", "sum", "min", "max", "avg":
	case "":
		return "", nil, apierr.MissingArgument("_y_func")
	default:
		return "", nil, apierr.NonField("Unknown _y_func \"" + fn + "\": use count, sum, min, max or avg")
	}
	col := a.Column
	if col == "" {
		pk := q.Model.PK()
		if pk == nil {
			return "", nil, apierr.MissingArgument("_y_column")
		}
		col = pk.Name
	}
	b := q.start(len(q.opts.Source) + 64 + 48*len(q.conds))
	b.sql("SELECT " + strings.ToUpper(fn) + "(")
	b.userIdent(col)
	b.sql(") AS ")
	b.userIdent(fn + "_1")
	b.sql(" FROM ")
	q.writeFrom(b)
	q.writeWhere(b)
	return b.String(), b.args, nil
}
