package query

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// Querier runs a query; *sql.DB, *sql.Conn and *sql.Tx satisfy it.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Execer runs queries and statements; *sql.DB, *sql.Conn and *sql.Tx satisfy it.
type Execer interface {
	Querier
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// ValueEncoder turns a value read from the database for column c into its
// JSON value. Aggregate and Group use it, when set, in place of their own
// encoding of group labels and min/max results.
type ValueEncoder func(c *schema.Column, v any) (any, error)

// Options extend Parse.
type Options struct {
	// Schema resolves the tables named by _relation and _m2m; without it those
	// parameters answer 400.
	Schema *schema.Schema
	// Location overrides ?tz= as the zone of datetimes without an offset and
	// of date grouping on timezone-aware columns.
	Location *time.Location
	// Source replaces the model's table in FROM, e.g. "(SELECT ...) AS q" for
	// the raw SQL endpoint. Its placeholders must be numbered 1..len(SourceArgs)
	// (PostgreSQL); the query's own parameters follow them.
	Source     string
	SourceArgs []any
	// ClientNames: the Source's result columns are named by the client
	// (POST /api/sql/), and the model describes only those it declared.
	// Spec.Order and Spec.Aggregate then name columns as the client spelled
	// them, unchecked (the database judges them), and DataSQL and
	// AggregateSQL write them with Dialect.QuoteUserIdent (see source.go).
	ClientNames bool
	// Encode, when set, encodes group labels and aggregate results.
	Encode ValueEncoder
	// Alias names the model's table in FROM (<table> AS <Alias>) and
	// qualifies its columns throughout the statements; GraphQL's is "t0".
	// It does not apply to a Source.
	Alias string
	// Style is the API whose list semantics the query has (the filters
	// carry their own, Filter.Style). StyleGraphQL (graphql.md) differs from
	// the REST list in that there is no "<auto-increment key> IS NOT NULL"
	// condition, the conditions are ANDed unparenthesised, Spec.Search is
	// graphql.md §8's (graphSearch; Spec.SearchEmpty) and SelectSQL writes
	// exactly Spec.Columns.
	Style Style
}

// Query is one model's filtered, searched and ordered selection, built from
// list parameters by Parse. It renders to SQL for every engine; identifiers
// come only from the model (and schema), values are always bound.
type Query struct {
	Model   *schema.Model
	Dialect db.Dialect
	// Location is the request's zone (?tz=, default UTC).
	Location *time.Location

	conds []cond
	order []orderTerm
	opts  Options
	spec  Spec // what Compile was given: Aggregate and Group are read when rendered
	// joined are the other models _relation and _m2m read rows of
	joined []*schema.Model
}

// JoinedModels are the names of the other models whose rows the query reads
// (_relation hops, _m2m association tables), so that the caller can check
// the user may read them too.
func (q *Query) JoinedModels() []string {
	var out []string
	seen := map[string]bool{q.Model.Name: true}
	for _, m := range q.joined {
		if !seen[m.Name] {
			seen[m.Name] = true
			out = append(out, m.Name)
		}
	}
	return out
}

type orderTerm struct {
	col  *schema.Column
	desc bool
}

// Page is the page the query was asked for (Spec.Page).
func (q *Query) Page() Page { return q.spec.Page }

// HasWhere reports whether the query filters rows at all.
func (q *Query) HasWhere() bool { return len(q.conds) > 0 }

// writeFrom writes the table (or the Source).
func (q *Query) writeFrom(b *builder) {
	if q.opts.Source != "" {
		b.sql(q.opts.Source)
		return
	}
	if q.opts.Alias != "" {
		b.from(q.Model, q.opts.Alias)
		return
	}
	b.table(q.Model.Schema, q.Model.Table)
}

// start returns a builder for a statement, its columns qualified by the
// Alias; with a Source its arguments are bound first, so the Source's
// placeholders keep their numbers.
func (q *Query) start(size int) *builder {
	b := newBuilder(q.Dialect, size)
	b.qual = q.opts.Alias
	if len(q.opts.SourceArgs) > 0 {
		b.args = append(b.args, q.opts.SourceArgs...)
	}
	return b
}

// writeConds writes the conditions joined by AND (nothing when there are none).
func (q *Query) writeConds(b *builder, prefix string) {
	st := restStyle
	if q.opts.Style == StyleGraphQL {
		st = graphStyle(false)
	}
	writeConds(b, q.conds, prefix, st)
}

// writeConds writes conds joined by AND after prefix (nothing when there
// are none), each parenthesised when there are several in the grouped
// style. It is the WHERE writer of both the REST list and GraphQL.
func writeConds(b *builder, conds []cond, prefix string, st lookupStyle) {
	for i, c := range conds {
		if i == 0 {
			b.sql(prefix)
		} else {
			b.sql(" AND ")
		}
		if st.grouped && len(conds) > 1 {
			b.sql("(")
			c(b)
			b.sql(")")
		} else {
			c(b)
		}
	}
}

func (q *Query) writeWhere(b *builder) { q.writeConds(b, " WHERE ") }

// WhereSQL returns the query's " WHERE ..." clause ("" without conditions)
// and the arguments of a statement that writes the source (Options.Source)
// and then this clause: the source's arguments first, then the
// conditions', numbered in that order. Callers that wrap the source in
// their own statement (POST /api/sql/) build on it instead of on the text
// of CountSQL.
func (q *Query) WhereSQL() (string, []any) {
	b := q.start(48 * len(q.conds))
	q.writeWhere(b)
	return b.String(), b.args
}

// orderTerms is the effective ordering: _order_by, then the primary key
// descending unless the ordering already holds it.
func (q *Query) orderTerms() []orderTerm {
	pk := q.Model.PK()
	if pk == nil {
		return q.order
	}
	for _, t := range q.order {
		if t.col == pk {
			return q.order
		}
	}
	out := make([]orderTerm, len(q.order), len(q.order)+1)
	copy(out, q.order)
	return append(out, orderTerm{col: pk, desc: true})
}

func writeOrderList(b *builder, terms []orderTerm) {
	for i, t := range terms {
		if i > 0 {
			b.sql(", ")
		}
		b.col(t.col)
		if t.desc {
			b.sql(" DESC")
		}
	}
}

func (q *Query) writeOrder(b *builder) {
	terms := q.orderTerms()
	if len(terms) == 0 {
		return
	}
	b.sql(" ORDER BY ")
	writeOrderList(b, terms)
}

// writeColumns writes Spec.Columns, or every column of the model in table
// order when it is nil (in the GraphQL style, exactly Spec.Columns).
func (q *Query) writeColumns(b *builder) {
	cols := q.spec.Columns
	if cols == nil && q.opts.Style != StyleGraphQL {
		cols = q.Model.Columns
		if len(cols) == 0 {
			b.sql("*")
			return
		}
	}
	for i, c := range cols {
		if i > 0 {
			b.sql(", ")
		}
		b.col(c)
	}
}

// SelectSQL returns SELECT <columns> FROM <table> WHERE … ORDER BY …
// LIMIT/OFFSET (writeColumns). limit < 0 means no limit; offset 0 writes no
// OFFSET.
func (q *Query) SelectSQL(limit, offset int) (string, []any) {
	b := q.start(64 + 24*len(q.Model.Columns) + 48*len(q.conds))
	b.sql("SELECT ")
	q.writeColumns(b)
	b.sql(" FROM ")
	q.writeFrom(b)
	q.writeWhere(b)
	q.writeOrder(b)
	writeLimit(b, limit, offset)
	return b.String(), b.args
}

func writeLimit(b *builder, limit, offset int) {
	switch {
	case limit >= 0:
		b.sql(" LIMIT ")
		b.arg(int64(limit))
	case offset > 0:
		b.sql(b.d.NoLimit())
	}
	if offset > 0 {
		b.sql(" OFFSET ")
		b.arg(int64(offset))
	}
}

// CountSQL returns SELECT COUNT(*) over the filtered rows.
func (q *Query) CountSQL() (string, []any) {
	b := q.start(64 + 48*len(q.conds))
	b.sql("SELECT COUNT(*) FROM ")
	q.writeFrom(b)
	q.writeWhere(b)
	return b.String(), b.args
}

// EstimateSQL returns the statement that estimates the table's row count
// cheaply (§9.1): on PostgreSQL reltuples of the table in pg_class (schema and
// name bound), on MySQL `EXPLAIN SELECT COUNT(*)` (read its "rows" column, or
// use Estimate). ok is false on SQLite, for a Source, or when the query has a
// WHERE clause.
func (q *Query) EstimateSQL() (query string, args []any, ok bool) {
	if q.HasWhere() || q.opts.Source != "" {
		return "", nil, false
	}
	query, args, _, ok = q.Dialect.EstimateSQL(q.Model.Schema, q.Model.Table)
	return query, args, ok
}

// Estimate runs EstimateSQL and returns the estimated row count; ok is false
// when there is no estimate (SQLite, filtered query, unknown table, or a
// PostgreSQL table never analysed).
func Estimate(ctx context.Context, dbq Querier, q *Query) (n int64, ok bool, err error) {
	query, args, ok := q.EstimateSQL()
	if !ok {
		return 0, false, nil
	}
	rows, err := dbq.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, false, fmt.Errorf("estimate rows of %s: %w", q.Model.Name, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, false, fmt.Errorf("estimate rows of %s: %w", q.Model.Name, err)
	}
	idx := 0
	if _, _, name, _ := q.Dialect.EstimateSQL(q.Model.Schema, q.Model.Table); name != "" {
		idx = -1
		for i, c := range cols {
			if c == name {
				idx = i
			}
		}
		if idx < 0 {
			return 0, false, nil
		}
	}
	if !rows.Next() {
		return 0, false, rows.Err()
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return 0, false, fmt.Errorf("estimate rows of %s: %w", q.Model.Name, err)
	}
	n, ok = toInt64(vals[idx])
	if !ok || n < 0 {
		return 0, false, nil
	}
	return n, true, rows.Err()
}

func toInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int32:
		return int64(x), true
	case int:
		return int64(x), true
	case uint64:
		return int64(x), true
	case float64:
		return int64(x), true
	case []byte:
		n, err := strconv.ParseInt(string(x), 10, 64)
		return n, err == nil
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		return n, err == nil
	}
	return 0, false
}
