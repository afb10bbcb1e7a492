package query

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
	"github.com/jetbridge/jetbridge/internal/schema"
	"github.com/jetbridge/jetbridge/internal/values"
)

// Group row limits (§9.7 _per_page).
const (
	DefaultGroupRows = 10000
	MaxGroupRows     = 100000
)

// GroupRow is one row of group/: {"group": …, "group_2": …, "y_func": …} in
// that key order.
type GroupRow struct {
	Groups []any // the label of each level
	Value  any   // y_func
}

// MarshalJSON writes the keys in the spec's order.
func (r GroupRow) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, g := range r.Groups {
		if i == 0 {
			buf.WriteString(`"group":`)
		} else {
			buf.WriteString(`,"group_` + strconv.Itoa(i+1) + `":`)
		}
		b, err := json.Marshal(g)
		if err != nil {
			return nil, err
		}
		buf.Write(b)
	}
	if len(r.Groups) > 0 {
		buf.WriteByte(',')
	}
	buf.WriteString(`"y_func":`)
	b, err := json.Marshal(r.Value)
	if err != nil {
		return nil, err
	}
	buf.Write(b)
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// groupLevel is one _x_column with its truncation ("" = plain).
type groupLevel struct {
	col  *schema.Column
	unit string
}

type groupSpec struct {
	levels []groupLevel
	agg    aggFunc
	limit  int
}

// groupOf checks g and its aggregate a against m.
func groupOf(m *schema.Model, g Grouping, a Agg) (groupSpec, error) {
	var out groupSpec
	// without levels, as upstream: one bucket over all rows, {"y_func": N}
	for _, l := range g.By {
		c := m.Column(l.Column)
		if c == nil {
			return out, unknownColumn(m, l.Column)
		}
		unit, err := parseXLookup(c, l.Lookup)
		if err != nil {
			return out, err
		}
		out.levels = append(out.levels, groupLevel{col: c, unit: unit})
	}
	agg, err := aggOf(m, a)
	if err != nil {
		return out, err
	}
	out.agg = agg
	out.limit = DefaultGroupRows
	if g.Limit != 0 {
		out.limit = min(max(g.Limit, 1), MaxGroupRows)
	}
	return out, nil
}

// parseXLookup reads `<type>[_<param>]`: plain; auto (date_day on date and
// datetime columns, else plain); date_<unit> (default day). As upstream, an
// unknown type or unit groups by the plain column; date functions on a
// non-date column are a 400.
func parseXLookup(c *schema.Column, lk string) (string, error) {
	typ, param, _ := strings.Cut(strings.TrimSpace(lk), "_")
	isDate := c.Kind == schema.KindDate || c.Kind == schema.KindDateTime
	switch typ {
	case "auto":
		if isDate {
			return "day", nil
		}
		return "", nil
	case "date":
		if !isDate {
			return "", apierr.NonField("Can't apply date functions to non-date field: " + c.Name)
		}
		if param == "" {
			return "day", nil
		}
		if isDateUnit(param) {
			return param, nil
		}
	}
	return "", nil
}

// GroupSQL returns the group/ statement of the Spec's Group and Aggregate.
func (q *Query) GroupSQL() (string, []any, error) {
	g, err := groupOf(q.Model, q.spec.Group, q.spec.Aggregate)
	if err != nil {
		return "", nil, err
	}
	query, args := q.groupSQL(g)
	return query, args, nil
}

func (q *Query) groupSQL(g groupSpec) (string, []any) {
	b := q.start(256)
	b.sql("SELECT ")
	for i, l := range g.levels {
		if i > 0 {
			b.sql(", ")
		}
		q.writeGroupExpr(b, l.col, l.unit)
		b.sql(" AS ")
		if i == 0 {
			b.ident("group")
		} else {
			b.ident("group_" + strconv.Itoa(i+1))
		}
	}
	if len(g.levels) > 0 {
		b.sql(", ")
	}
	q.writeAgg(b, g.agg)
	b.sql(" AS ")
	b.ident("y_func")
	b.sql(" FROM ")
	q.writeFrom(b)
	q.writeWhere(b)
	for _, kw := range []string{" GROUP BY ", " ORDER BY "} {
		if len(g.levels) == 0 {
			break
		}
		b.sql(kw)
		for i := range g.levels {
			if i > 0 {
				b.sql(", ")
			}
			b.sql(strconv.Itoa(i + 1))
		}
	}
	writeLimit(b, g.limit, 0)
	return b.String(), b.args
}

// Group runs §9.7: rows grouped by each _x_column (truncated per _x_lookup;
// none: one bucket), ordered by the group keys ascending (NULL where the
// engine sorts it: last on PostgreSQL, as upstream), at most _per_page rows
// (default 10,000, clamped to [1, 100,000]).
func Group(ctx context.Context, dbq Querier, q *Query) ([]GroupRow, error) {
	g, err := groupOf(q.Model, q.spec.Group, q.spec.Aggregate)
	if err != nil {
		return nil, err
	}
	query, args := q.groupSQL(g)
	rows, err := dbq.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("group %s: %w", q.Model.Name, err)
	}
	defer rows.Close()
	n := len(g.levels) + 1
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	out := []GroupRow{}
	for rows.Next() {
		for i := range vals {
			vals[i] = nil
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("group %s: %w", q.Model.Name, err)
		}
		r := GroupRow{Groups: make([]any, len(g.levels))}
		for i, l := range g.levels {
			v := vals[i]
			if l.unit != "" && (q.Dialect.Has(feature.TruncToTimestamp) || dayOrCoarser(l.unit)) {
				if label, ok := q.bucketLabel(l.col, v); ok {
					r.Groups[i] = label
					continue
				}
			}
			if l.unit != "" && q.aware(l.col) {
				// date_trunc(… AT TIME ZONE zone) is the wall clock in the zone
				if t, ok := v.(time.Time); ok {
					v = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), q.Location)
				}
			}
			if r.Groups[i], err = q.encodeValue(l.col, v); err != nil {
				return nil, err
			}
		}
		if r.Value, err = q.aggregateValue(g.agg, vals[n-1], true); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("group %s: %w", q.Model.Name, err)
	}
	return out, nil
}

// bucketLabel is the label of a date bucket as upstream writes it: a date
// string on MySQL and SQLite (day or coarser units); on PostgreSQL, where
// date_trunc gives a timestamp, an aware midnight UTC for a DATE column and a
// naive date-time for a timestamp without time zone. It reports false where
// the row encoder's label applies (timestamptz).
func (q *Query) bucketLabel(c *schema.Column, v any) (any, bool) {
	if v == nil {
		return nil, true
	}
	t, ok := toTime(v)
	if !ok {
		return nil, false
	}
	switch {
	case !q.Dialect.Has(feature.TruncToTimestamp):
		return string(values.AppendDate(nil, t)), true
	case c.Kind == schema.KindDate:
		return formatISO(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true), true
	case !c.HasTimezone:
		return formatISO(t, false), true
	}
	return nil, false
}

func dayOrCoarser(unit string) bool {
	switch unit {
	case "day", "week", "month", "quarter", "year":
		return true
	}
	return false
}
