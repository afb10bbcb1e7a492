package query

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// ReorderRequest is the body of reorder/ (§9.8). SegmentFrom, SegmentTo and
// Item hold decoded JSON scalars (numbers or strings).
type ReorderRequest struct {
	OrderingField          string `json:"ordering_field"`
	Forward                bool   `json:"forward"`
	SegmentFrom            any    `json:"segment_from"`
	SegmentTo              any    `json:"segment_to"`
	Item                   any    `json:"item"`
	SegmentByOrderingField bool   `json:"segment_by_ordering_field"`
}

// ResetOrderRequest is the body of reset_order/ (§9.9).
type ResetOrderRequest struct {
	OrderingField string  `json:"ordering_field"`
	Ordering      *string `json:"ordering,omitempty"`
	ValueOrdering *string `json:"value_ordering,omitempty"`
}

const msgRequired = "this field is required"

// scalarText renders a decoded JSON scalar as the text a parser reads.
func scalarText(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, x != ""
	case json.Number:
		return x.String(), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

func (q *Query) writable() error {
	if q.opts.Source != "" {
		return apierr.NonField("this data source cannot be reordered")
	}
	if q.Model.PK() == nil {
		return apierr.NonField("Table \"" + q.Model.Name + "\" has no primary key")
	}
	return nil
}

// writeAndConds appends the query's conditions, each parenthesised, after an
// existing condition.
func (q *Query) writeAndConds(b *builder) {
	for _, c := range q.conds {
		b.sql(" AND (")
		c(b)
		b.sql(")")
	}
}

// Reorder runs §9.8 on the filtered rows: with forward, rows whose ordering
// value is in [from, to] get value-1, else value+1; then row item gets to.
// from and to are the ordering values of the rows with those primary keys,
// or the values themselves with segment_by_ordering_field. Run it in a
// transaction.
func Reorder(ctx context.Context, tx Execer, q *Query, r ReorderRequest) error {
	if err := q.writable(); err != nil {
		return err
	}
	if r.OrderingField == "" {
		return apierr.Field("ordering_field", msgRequired)
	}
	of := q.Model.Column(r.OrderingField)
	if of == nil {
		return unknownColumn(q.Model, r.OrderingField)
	}
	pkc := q.Model.PK()
	texts := map[string]any{"segment_from": r.SegmentFrom, "segment_to": r.SegmentTo, "item": r.Item}
	vals := map[string]string{}
	for _, k := range []string{"segment_from", "segment_to", "item"} {
		s, ok := scalarText(texts[k])
		if !ok {
			return apierr.Field(k, msgRequired)
		}
		vals[k] = s
	}
	item, err := q.pkValue(pkc, vals["item"])
	if err != nil {
		return err
	}
	var from, to any
	if r.SegmentByOrderingField {
		if from, err = q.pkValue(of, vals["segment_from"]); err != nil {
			return err
		}
		if to, err = q.pkValue(of, vals["segment_to"]); err != nil {
			return err
		}
	} else {
		if from, err = q.orderingOf(ctx, tx, of, "segment_from", vals["segment_from"]); err != nil {
			return err
		}
		if to, err = q.orderingOf(ctx, tx, of, "segment_to", vals["segment_to"]); err != nil {
			return err
		}
	}
	op := " + 1"
	if r.Forward {
		op = " - 1"
	}
	b := q.start(128)
	b.sql("UPDATE ")
	q.writeFrom(b)
	b.sql(" SET ")
	b.col(of)
	b.sql(" = ")
	b.col(of)
	b.sql(op + " WHERE ")
	b.col(of)
	b.sql(" >= ")
	b.arg(from)
	b.sql(" AND ")
	b.col(of)
	b.sql(" <= ")
	b.arg(to)
	q.writeAndConds(b)
	if _, err := tx.ExecContext(ctx, b.String(), b.args...); err != nil {
		return fmt.Errorf("reorder %s: %w", q.Model.Name, err)
	}
	b = q.start(128)
	b.sql("UPDATE ")
	q.writeFrom(b)
	b.sql(" SET ")
	b.col(of)
	b.sql(" = ")
	b.arg(to)
	b.sql(" WHERE ")
	b.col(pkc)
	b.sql(" = ")
	b.arg(item)
	q.writeAndConds(b)
	if _, err := tx.ExecContext(ctx, b.String(), b.args...); err != nil {
		return fmt.Errorf("reorder %s: %w", q.Model.Name, err)
	}
	return nil
}

// orderingOf reads the ordering value of the filtered row with primary key pk.
func (q *Query) orderingOf(ctx context.Context, dbq Querier, of *schema.Column, field, pk string) (any, error) {
	pkc := q.Model.PK()
	v, err := q.pkValue(pkc, pk)
	if err != nil {
		return nil, err
	}
	b := q.start(128)
	b.sql("SELECT ")
	b.col(of)
	b.sql(" FROM ")
	q.writeFrom(b)
	b.sql(" WHERE ")
	b.col(pkc)
	b.sql(" = ")
	b.arg(v)
	q.writeAndConds(b)
	rows, err := dbq.QueryContext(ctx, b.String(), b.args...)
	if err != nil {
		return nil, fmt.Errorf("reorder %s: %w", q.Model.Name, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("reorder %s: %w", q.Model.Name, err)
		}
		return nil, apierr.Field(field, "record "+pk+" not found")
	}
	var out any
	if err := rows.Scan(&out); err != nil {
		return nil, fmt.Errorf("reorder %s: %w", q.Model.Name, err)
	}
	if out == nil {
		return nil, apierr.Field(field, "record "+pk+" has no "+of.Name)
	}
	return out, rows.Err()
}

// resetBatch is how many rows one UPDATE of reset_order renumbers.
const resetBatch = 500

// ResetOrder runs §9.9: the filtered rows are sorted by value_ordering
// ("<field>-<v1>,<v2>,…": rows whose field equals v1 first, then v2, …, the
// rest last), then by ordering ("-a,b"), then by the query's own ordering
// (which ends with the primary key), and ordering_field is renumbered 1, 2,
// 3…. The new order is computed with one SELECT of the primary keys and
// written with batched UPDATE … CASE statements. Run it in a transaction.
func ResetOrder(ctx context.Context, tx Execer, q *Query, r ResetOrderRequest) error {
	if err := q.writable(); err != nil {
		return err
	}
	if r.OrderingField == "" {
		return apierr.Field("ordering_field", msgRequired)
	}
	of := q.Model.Column(r.OrderingField)
	if of == nil {
		return unknownColumn(q.Model, r.OrderingField)
	}
	pkc := q.Model.PK()
	b := q.start(256)
	b.sql("SELECT ")
	b.col(pkc)
	b.sql(" FROM ")
	q.writeFrom(b)
	q.writeWhere(b)
	b.sql(" ORDER BY ")
	if r.ValueOrdering != nil && *r.ValueOrdering != "" {
		field, list, _ := strings.Cut(*r.ValueOrdering, "-")
		fc := q.Model.Column(field)
		if fc == nil {
			return unknownColumn(q.Model, field)
		}
		values := strings.Split(list, ",")
		args, err := q.caseArgs(fc, values)
		if err != nil {
			return err
		}
		wrote := false
		for i, a := range args {
			if a == nil {
				continue
			}
			if !wrote {
				b.sql("CASE")
				wrote = true
			}
			b.sql(" WHEN ")
			b.valueExpr(fc)
			b.sql(" = ")
			b.arg(a)
			b.sql(" THEN " + strconv.Itoa(i))
		}
		if wrote {
			b.sql(" ELSE " + strconv.Itoa(len(values)) + " END, ")
		}
	}
	var terms []orderTerm
	if r.Ordering != nil && *r.Ordering != "" {
		t, err := parseOrdering(q.Model, []string{*r.Ordering})
		if err != nil {
			return err
		}
		terms = t
	}
	terms = append(terms, q.orderTerms()...)
	writeOrderList(b, terms)
	rows, err := tx.QueryContext(ctx, b.String(), b.args...)
	if err != nil {
		return fmt.Errorf("reset order of %s: %w", q.Model.Name, err)
	}
	var pks []any
	for rows.Next() {
		var v any
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return fmt.Errorf("reset order of %s: %w", q.Model.Name, err)
		}
		pks = append(pks, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reset order of %s: %w", q.Model.Name, err)
	}
	for start := 0; start < len(pks); start += resetBatch {
		end := min(start+resetBatch, len(pks))
		b := q.start(64 + 24*(end-start))
		b.sql("UPDATE ")
		q.writeFrom(b)
		b.sql(" SET ")
		b.col(of)
		b.sql(" = CASE ")
		b.col(pkc)
		for i := start; i < end; i++ {
			b.sql(" WHEN ")
			b.arg(pks[i])
			b.sql(" THEN " + strconv.Itoa(i+1))
		}
		b.sql(" END WHERE ")
		b.col(pkc)
		b.sql(" IN (")
		for i := start; i < end; i++ {
			if i > start {
				b.sql(", ")
			}
			b.arg(pks[i])
		}
		b.sql(")")
		if _, err := tx.ExecContext(ctx, b.String(), b.args...); err != nil {
			return fmt.Errorf("reset order of %s: %w", q.Model.Name, err)
		}
	}
	return nil
}

// caseArgs parses the value_ordering values for fc; a value that cannot be
// that column's (e.g. 1.5 for an integer) is nil and never matches.
func (q *Query) caseArgs(fc *schema.Column, values []string) ([]any, error) {
	out := make([]any, len(values))
	for i, v := range values {
		switch fc.Kind {
		case schema.KindInteger:
			n, ok, err := intValue(fc, v)
			if err != nil {
				return nil, err
			}
			if ok {
				out[i] = n
			}
		case schema.KindJSON, schema.KindArray:
			return nil, apierr.NonField("value_ordering cannot compare JSON column \"" + fc.Name + "\"")
		default:
			a, err := q.bindValue(fc, v)
			if err != nil {
				return nil, err
			}
			out[i] = a
		}
	}
	return out, nil
}
