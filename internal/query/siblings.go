package query

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// MaxSiblingRows is the largest filtered set get_siblings looks in (§9.10).
const MaxSiblingRows = 10000

// maxSiblingTerms bounds the ordering columns get_siblings compares (the
// neighbour condition grows with their square).
const maxSiblingTerms = 32

// siblingTerms is the effective ordering up to and including the primary
// key: the key is unique, so later terms never decide anything.
func (q *Query) siblingTerms() ([]orderTerm, error) {
	terms := q.orderTerms()
	pk := q.Model.PK()
	for i, t := range terms {
		if t.col == pk {
			terms = terms[:i+1]
			break
		}
	}
	if len(terms) > maxSiblingTerms {
		return nil, apierr.NonField("get_siblings orders by at most " + strconv.Itoa(maxSiblingTerms) + " columns")
	}
	return terms, nil
}

// SiblingsCountSQL returns one statement answering (the filtered row count,
// capped at MaxSiblingRows+1; 1 if the record is among them, else 0). Both
// stop early: the count reads at most MaxSiblingRows+1 rows.
func (q *Query) SiblingsCountSQL(pk string) (string, []any, error) {
	pkc := q.Model.PK()
	if pkc == nil {
		return "", nil, apierr.NonField("Table \"" + q.Model.Name + "\" has no primary key")
	}
	v, err := q.pkValue(pkc, pk)
	if err != nil {
		return "", nil, err
	}
	b := q.start(256)
	b.sql("SELECT (SELECT COUNT(*) FROM (SELECT 1 AS jb_one FROM ")
	q.writeFrom(b)
	q.writeWhere(b)
	b.sql(" LIMIT " + strconv.Itoa(MaxSiblingRows+1) + ") jb_capped), (SELECT COUNT(*) FROM ")
	q.writeFrom(b)
	q.writeRecordWhere(b, pkc, v)
	b.sql(")")
	return b.String(), b.args, nil
}

// writeRecordWhere writes WHERE <pk> = v AND <the query's conditions>.
func (q *Query) writeRecordWhere(b *builder, pkc *schema.Column, v any) {
	b.sql(" WHERE ")
	b.col(pkc)
	b.sql(" = ")
	b.arg(v)
	q.writeConds(b, " AND ")
}

// SiblingsSQL returns one statement answering (prev pk, next pk): the rows
// just before and after the record in the query's ordering, found from the
// record's own ordering values (keyset), so each is one ordered LIMIT 1
// that an index on the ordering columns serves, instead of numbering rows.
func (q *Query) SiblingsSQL(pk string) (string, []any, error) {
	pkc := q.Model.PK()
	if pkc == nil {
		return "", nil, apierr.NonField("Table \"" + q.Model.Name + "\" has no primary key")
	}
	v, err := q.pkValue(pkc, pk)
	if err != nil {
		return "", nil, err
	}
	terms, err := q.siblingTerms()
	if err != nil {
		return "", nil, err
	}
	b := q.start(512)
	b.sql("SELECT ")
	q.writeNeighbour(b, pkc, v, terms, false)
	b.sql(", ")
	q.writeNeighbour(b, pkc, v, terms, true)
	return b.String(), b.args, nil
}

// writeNeighbour writes the scalar subquery of the record's neighbour: the
// first row after it in the ordering (after) or the first before it.
func (q *Query) writeNeighbour(b *builder, pkc *schema.Column, v any, terms []orderTerm, after bool) {
	b.sql("(SELECT ")
	b.col(pkc)
	b.sql(" FROM ")
	q.writeFrom(b)
	b.sql(", (SELECT ")
	for i, t := range terms {
		if i > 0 {
			b.sql(", ")
		}
		q.writeSortKey(b, t.col)
		b.sql(" AS jb_o" + strconv.Itoa(i))
	}
	b.sql(" FROM ")
	q.writeFrom(b)
	q.writeRecordWhere(b, pkc, v)
	b.sql(") jb_r WHERE (")
	for i := range terms {
		if i > 0 {
			b.sql(" OR ")
		}
		b.sql("(")
		for j := range i {
			q.writeSame(b, terms[j].col, j)
			b.sql(" AND ")
		}
		// after the record: greater in an ascending term, smaller in a
		// descending one; before it: the reverse
		q.writeBeyond(b, terms[i].col, i, after != terms[i].desc)
		b.sql(")")
	}
	b.sql(")")
	q.writeConds(b, " AND ")
	b.sql(" ORDER BY ")
	for i, t := range terms {
		if i > 0 {
			b.sql(", ")
		}
		b.col(t.col)
		if t.desc == after { // the reverse order finds the row before
			b.sql(" DESC")
		}
	}
	b.sql(" LIMIT 1)")
}

// writeSame writes "column equals the record's value", NULL equal to NULL.
func (q *Query) writeSame(b *builder, c *schema.Column, i int) {
	ref := "jb_r.jb_o" + strconv.Itoa(i)
	q.writeSortKey(b, c)
	if c.Nullable {
		b.sql(q.Dialect.NullSafeEqual())
	} else {
		b.sql(" = ")
	}
	b.sql(ref)
}

// writeBeyond writes "column sorts after the record's value" (greater) or
// before it, with NULL sorting as the engine sorts it in ascending order:
// last on PostgreSQL, first on MySQL and SQLite.
func (q *Query) writeBeyond(b *builder, c *schema.Column, i int, greater bool) {
	ref := "jb_r.jb_o" + strconv.Itoa(i)
	op := " < "
	if greater {
		op = " > "
	}
	if !c.Nullable {
		q.writeSortKey(b, c)
		b.sql(op + ref)
		return
	}
	// NULL is the high end when it sorts last and we look for greater
	// values, or it sorts first and we look for smaller ones
	nullHigh := q.Dialect.Has(feature.NullsSortLast)
	b.sql("(")
	q.writeSortKey(b, c)
	b.sql(op + ref + " OR (")
	if nullHigh == greater {
		b.col(c)
		b.sql(" IS NULL AND " + ref + " IS NOT NULL))")
	} else {
		b.col(c)
		b.sql(" IS NOT NULL AND " + ref + " IS NULL))")
	}
}

// writeSortKey writes the value a column sorts by: a MySQL ENUM sorts by
// its index but compares as text, so it is compared by index.
func (q *Query) writeSortKey(b *builder, c *schema.Column) {
	if c.Kind == schema.KindEnum && q.Dialect.Has(feature.EnumSortsByIndex) {
		b.sql("(")
		b.col(c)
		b.sql(" + 0)")
		return
	}
	b.col(c)
}

// pkValue parses a primary-key value from a URL for binding.
func (q *Query) pkValue(c *schema.Column, s string) (any, error) {
	if c.Kind == schema.KindInteger {
		return ParseValueIn(c, s, q.Location)
	}
	return q.bindValue(c, s)
}

// Siblings returns {"prev": {"<pk>": v} | nil, "next": {"<pk>": v} | nil} for
// the record pk within the filtered, ordered rows, an empty map when they
// are more than MaxSiblingRows, or a 404 when the record is not among them.
func Siblings(ctx context.Context, dbq Querier, q *Query, pk string) (map[string]any, error) {
	stmt, args, err := q.SiblingsCountSQL(pk)
	if err != nil {
		return nil, err
	}
	var total, found int64
	if err := scanOne(ctx, dbq, stmt, args, &total, &found); err != nil {
		return nil, fmt.Errorf("siblings in %s: %w", q.Model.Name, err)
	}
	if found == 0 { // as upstream: the row is not there (or not among the filtered rows)
		return nil, apierr.NotFound("Not found: no row has this primary key")
	}
	if total > MaxSiblingRows {
		return map[string]any{}, nil
	}
	stmt, args, err = q.SiblingsSQL(pk)
	if err != nil {
		return nil, err
	}
	var prev, next any
	if err := scanOne(ctx, dbq, stmt, args, &prev, &next); err != nil {
		return nil, fmt.Errorf("siblings in %s: %w", q.Model.Name, err)
	}
	pkc := q.Model.PK()
	out := map[string]any{"prev": nil, "next": nil}
	for key, v := range map[string]any{"prev": prev, "next": next} {
		if v == nil {
			continue
		}
		enc, err := q.encodeValue(pkc, v)
		if err != nil {
			return nil, err
		}
		out[key] = map[string]any{pkc.Name: enc}
	}
	return out, nil
}

// scanOne runs a statement that returns one row and scans it.
func scanOne(ctx context.Context, dbq Querier, stmt string, args []any, dest ...any) error {
	rows, err := dbq.QueryContext(ctx, stmt, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	return rows.Close()
}
