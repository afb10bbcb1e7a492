package query

import (
	"context"
	"fmt"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// MaxSiblingRows is the largest filtered set get_siblings looks in (§9.10).
const MaxSiblingRows = 10000

// SiblingsSQL returns one statement that numbers the filtered, ordered rows
// (ROW_NUMBER() over the query's ordering, default included), and returns
// the rows at the record's position -1, 0 and +1 as (pk, offset+1, total).
// The count comes with it (COUNT(*) OVER ()), so no separate count query runs.
func (q *Query) SiblingsSQL(pk string) (string, []any, error) {
	pkc := q.Model.PK()
	if pkc == nil {
		return "", nil, apierr.NonField("Table \"" + q.Model.Name + "\" has no primary key")
	}
	v, err := q.pkValue(pkc, pk)
	if err != nil {
		return "", nil, err
	}
	b := q.start(256)
	b.sql("WITH jb_numbered AS (SELECT ")
	b.col(pkc)
	b.sql(" AS jb_pk, ROW_NUMBER() OVER (ORDER BY ")
	writeOrderList(b, q.orderTerms())
	b.sql(") AS jb_pos, COUNT(*) OVER () AS jb_total FROM ")
	q.writeFrom(b)
	q.writeWhere(b)
	b.sql(") SELECT s.jb_pk, s.jb_pos + 1 - t.jb_pos, s.jb_total FROM jb_numbered s JOIN (SELECT jb_pos FROM jb_numbered WHERE jb_pk = ")
	b.arg(v)
	b.sql(") t ON s.jb_pos BETWEEN t.jb_pos - 1 AND t.jb_pos + 1")
	return b.String(), b.args, nil
}

// pkValue parses a primary-key value from a URL for binding.
func (q *Query) pkValue(c *schema.Column, s string) (any, error) {
	if c.Kind == schema.KindInteger {
		return ParseValueIn(c, s, q.Location)
	}
	return q.bindValue(c, s)
}

// Siblings returns {"prev": {"<pk>": v} | nil, "next": {"<pk>": v} | nil} for
// the record pk within the filtered, ordered rows, or an empty map when the
// record is not among them or they are more than MaxSiblingRows.
func Siblings(ctx context.Context, dbq Querier, q *Query, pk string) (map[string]any, error) {
	query, args, err := q.SiblingsSQL(pk)
	if err != nil {
		return nil, err
	}
	rows, err := dbq.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("siblings in %s: %w", q.Model.Name, err)
	}
	defer rows.Close()
	pkc := q.Model.PK()
	out := map[string]any{"prev": nil, "next": nil}
	found := false
	for rows.Next() {
		var key, offset, total any
		if err := rows.Scan(&key, &offset, &total); err != nil {
			return nil, fmt.Errorf("siblings in %s: %w", q.Model.Name, err)
		}
		if n, _ := toInt64(total); n > MaxSiblingRows {
			return map[string]any{}, rows.Err()
		}
		off, _ := toInt64(offset)
		enc, err := q.encodeValue(pkc, key)
		if err != nil {
			return nil, err
		}
		switch off { // position + 1 - the record's position, never negative
		case 0:
			out["prev"] = map[string]any{pkc.Name: enc}
		case 2:
			out["next"] = map[string]any{pkc.Name: enc}
		case 1:
			found = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("siblings in %s: %w", q.Model.Name, err)
	}
	if !found { // as upstream: the row is not there
		return nil, apierr.NotFound("Not found: no row has this primary key")
	}
	return out, nil
}
