package query

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// aggFunc is a validated _y_func over a column.
type aggFunc struct {
	name string // count, sum, min, max, avg
	col  *schema.Column
}

// aggOf checks a's function (required, case-insensitive) and column
// (default: the primary key) against m.
func aggOf(m *schema.Model, a Agg) (aggFunc, error) {
	fn := strings.ToLower(strings.TrimSpace(a.Func))
	if fn == "" {
		return aggFunc{}, apierr.MissingArgument("_y_func")
	}
	switch fn {
	case "count", "sum", "min", "max", "avg":
	default:
		return aggFunc{}, apierr.NonField("Unknown _y_func \"" + fn + "\": use count, sum, min, max or avg")
	}
	var c *schema.Column
	if name := a.Column; name != "" {
		if c = m.Column(name); c == nil {
			return aggFunc{}, unknownColumn(m, name)
		}
	} else if c = m.PK(); c == nil {
		return aggFunc{}, apierr.MissingArgument("_y_column")
	}
	switch fn {
	case "sum", "avg":
		if !isNumber(c.Kind) {
			return aggFunc{}, apierr.NonField("Can't apply " + fn + " to non-number field: " + c.Name)
		}
	case "min", "max":
		switch c.Kind {
		case schema.KindJSON, schema.KindArray, schema.KindBinary, schema.KindBoolean:
			return aggFunc{}, apierr.NonField("Can't apply " + fn + " to field: " + c.Name)
		}
	}
	return aggFunc{name: fn, col: c}, nil
}

// writeAgg writes FUNC(column).
func (q *Query) writeAgg(b *builder, a aggFunc) {
	b.sql(strings.ToUpper(a.name) + "(")
	switch {
	case a.name == "count":
		b.col(a.col)
	case a.col.Kind == schema.KindUUID && q.Dialect.Has(feature.UUIDMinMaxAsText):
		b.textOf(a.col)
	case a.col.Kind == schema.KindDateTime || a.col.Kind == schema.KindDate:
		b.valueExpr(a.col)
	default:
		b.col(a.col)
	}
	b.sql(")")
}

// AggregateSQL returns SELECT FUNC(column) over the filtered rows, for the
// Spec's Aggregate. With Options.ClientNames it is clientAggregateSQL.
func (q *Query) AggregateSQL() (string, []any, error) {
	if q.opts.ClientNames {
		return q.clientAggregateSQL()
	}
	a, err := aggOf(q.Model, q.spec.Aggregate)
	if err != nil {
		return "", nil, err
	}
	return q.aggregateSQL(a)
}

func (q *Query) aggregateSQL(a aggFunc) (string, []any, error) {
	b := q.start(128)
	b.sql("SELECT ")
	q.writeAgg(b, a)
	b.sql(" FROM ")
	q.writeFrom(b)
	q.writeWhere(b)
	return b.String(), b.args, nil
}

// Aggregate runs §9.6 and returns the value of "y_func": count as an integer;
// count, sum and avg of no rows as 0 (a NUMERIC sum as upstream's "0");
// other results with the column's row converter: integers as integers (avg as a float), decimals as exact strings,
// floats as numbers, dates and datetimes as ISO text (or through
// Options.Encode when set).
func Aggregate(ctx context.Context, dbq Querier, q *Query) (any, error) {
	a, err := aggOf(q.Model, q.spec.Aggregate)
	if err != nil {
		return nil, err
	}
	query, args, err := q.aggregateSQL(a)
	if err != nil {
		return nil, err
	}
	rows, err := dbq.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("aggregate %s: %w", q.Model.Name, err)
	}
	defer rows.Close()
	var v any
	if rows.Next() {
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("aggregate %s: %w", q.Model.Name, err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("aggregate %s: %w", q.Model.Name, err)
	}
	return q.aggregateValue(a, v, false)
}

// aggregateValue converts an aggregate result. inGroup selects the rules of
// group/ (§2 encoder: decimals as numbers) over those of aggregate/ (row
// converter: decimals as strings).
func (q *Query) aggregateValue(a aggFunc, v any, inGroup bool) (any, error) {
	switch a.name {
	case "count":
		if v == nil {
			return int64(0), nil
		}
		n, ok := toInt64(v)
		if !ok {
			return numberOrText(v), nil
		}
		return n, nil
	case "sum", "avg":
		if v == nil {
			if a.name == "sum" && a.col.Kind == schema.KindDecimal && !inGroup {
				return "0", nil // as upstream: the exact zero of a decimal column
			}
			return int64(0), nil
		}
		if f, ok := v.(float64); ok && a.name == "sum" && a.col.Kind == schema.KindDecimal {
			// SQLite sums NUMERIC(p,s) as REAL: the sum of s-digit values has
			// s digits (as upstream's Numeric(p,s) result shows)
			if s := a.col.DeclaredScale(); s >= 0 {
				v, _ = strconv.ParseFloat(strconv.FormatFloat(f, 'f', s, 64), 64)
			}
		}
		switch {
		case a.name == "sum" && a.col.Kind == schema.KindInteger:
			if n, ok := toInt64(v); ok {
				if f, isF := v.(float64); !isF || float64(n) == f {
					return n, nil
				}
			}
			return numberOrText(v), nil
		case a.col.Kind == schema.KindDecimal && !inGroup:
			return decimalText(v), nil
		}
		return numberOrText(v), nil
	}
	// min, max
	if a.col.Kind == schema.KindDecimal && v != nil {
		if inGroup {
			return numberOrText(v), nil // group/ values are JSON numbers
		}
		if q.opts.Encode == nil {
			return decimalText(v), nil
		}
	}
	return q.encodeValue(a.col, v)
}
