package query

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
	"github.com/jetbridge/jetbridge/internal/schema"
)

type lookup uint8

const (
	lkExact lookup = iota
	lkGt
	lkGte
	lkLt
	lkLte
	lkIContains
	lkIn
	lkIStartsWith
	lkIEndsWith
	lkIsNull
	lkIsEmpty
	lkJSONIContains
)

func lookupByName(s string) (lookup, bool) {
	switch s {
	case "exact":
		return lkExact, true
	case "gt":
		return lkGt, true
	case "gte":
		return lkGte, true
	case "lt":
		return lkLt, true
	case "lte":
		return lkLte, true
	case "icontains":
		return lkIContains, true
	case "in":
		return lkIn, true
	case "istartswith":
		return lkIStartsWith, true
	case "iendswith":
		return lkIEndsWith, true
	case "isnull":
		return lkIsNull, true
	case "isempty":
		return lkIsEmpty, true
	case "json_icontains":
		return lkJSONIContains, true
	}
	return 0, false
}

// lookupAllowed is the table of §9.4: which lookups apply to which kind.
func lookupAllowed(k schema.Kind, lk lookup) bool {
	switch lk {
	case lkExact, lkIn, lkIsNull, lkIsEmpty:
		return true
	case lkGt, lkGte, lkLt, lkLte:
		return isNumber(k) || k == schema.KindDate || k == schema.KindDateTime
	case lkIContains:
		return isNumber(k) || isText(k) || k == schema.KindDate || k == schema.KindDateTime
	case lkIStartsWith, lkIEndsWith:
		return isText(k)
	case lkJSONIContains:
		return k == schema.KindJSON || k == schema.KindArray
	}
	return false
}

func isNumber(k schema.Kind) bool {
	return k == schema.KindInteger || k == schema.KindFloat || k == schema.KindDecimal
}

// isText: the kinds with the text lookup set of §9.4.
func isText(k schema.Kind) bool {
	return k == schema.KindText || k == schema.KindEnum || k == schema.KindUUID || k == schema.KindTime
}

func notCond(c cond) cond {
	return func(b *builder) {
		b.sql("NOT (")
		c(b)
		b.sql(")")
	}
}

// wrap applies f's Exclude and Path to c, the condition on f's column:
// the negation is of the condition on the rows reached.
func (f *Filter) wrap(c cond, st lookupStyle) cond {
	if f.Exclude {
		c = notCond(c)
	}
	if len(f.Path) > 0 {
		inner, path := c, f.Path
		c = func(b *builder) { b.semiJoin(path, st, inner) }
	}
	return c
}

func constCond(sql string) cond { return func(b *builder) { b.sql(sql) } }

func nullCond(c *schema.Column, isNull bool) cond {
	return func(b *builder) { b.isNull(c, isNull) }
}

// filter builds the condition of one column filter; nil when the value is
// empty (ignored, as upstream).
func (q *Query) filter(c *schema.Column, lk lookup, values []string) (cond, error) {
	if len(values) == 0 {
		return nil, nil
	}
	if lk == lkIn {
		return q.inFilter(c, values)
	}
	v := values[0]
	if v == "" {
		return nil, nil
	}
	switch lk {
	case lkIsNull:
		return nullCond(c, parseBool(v)), nil
	case lkIsEmpty:
		return emptyCond(c, parseBool(v)), nil
	case lkIContains, lkIStartsWith, lkIEndsWith:
		if isNumber(c.Kind) {
			_, _, ok := parseNumber(v)
			if !ok {
				return nil, badValue(c, numberMsg(c))
			}
			v = strings.TrimSpace(v)
		}
		pattern := escapeLike(v)
		switch lk {
		case lkIContains:
			pattern = "%" + pattern + "%"
		case lkIStartsWith:
			pattern += "%"
		default:
			pattern = "%" + pattern
		}
		p := newLike(q.Dialect, pattern)
		return func(b *builder) { b.like(c, p.v, false, restStyle) }, nil
	case lkJSONIContains:
		p := newLike(q.Dialect, "%"+escapeLike(v)+"%")
		return func(b *builder) { b.like(c, p.v, false, restStyle) }, nil
	}
	return q.compare(c, lk, v)
}

// emptyCond is isempty: NULL or the empty string for string columns, NULL
// for the rest.
func emptyCond(c *schema.Column, empty bool) cond {
	if c.Kind != schema.KindText && c.Kind != schema.KindEnum {
		return nullCond(c, empty)
	}
	return func(b *builder) { b.isEmpty(c, empty, restStyle) }
}

func opSQL(lk lookup) string {
	switch lk {
	case lkGt:
		return " > "
	case lkGte:
		return " >= "
	case lkLt:
		return " < "
	case lkLte:
		return " <= "
	}
	return " = "
}

// compare builds exact/gt/gte/lt/lte.
func (q *Query) compare(c *schema.Column, lk lookup, s string) (cond, error) {
	switch c.Kind {
	case schema.KindInteger:
		return intCompare(c, lk, s)
	case schema.KindJSON:
		return q.jsonExact(c, s), nil
	case schema.KindArray:
		return q.arrayExact(c, s), nil
	}
	v, err := q.bindValue(c, s)
	if err != nil {
		return nil, err
	}
	return func(b *builder) { b.compare(c, lk, v, restStyle) }, nil
}

// Bounds of int64 as float64.
const (
	maxInt64f = 9223372036854775807.0
	minInt64f = -9223372036854775808.0
)

// intCompare compares an integer column with a number read by the Float
// parser. A fractional bound is rounded the way that keeps the meaning
// (id > 8.5 is id > 8, id < 8.5 is id < 9); id = 8.5 matches nothing.
func intCompare(c *schema.Column, lk lookup, s string) (cond, error) {
	if n, ok := parseIntStrict(s); ok {
		if !c.IntFits(n) {
			return nil, outOfRange(c)
		}
		return func(b *builder) { b.compare(c, lk, n, restStyle) }, nil
	}
	f, _, ok := parseNumber(s)
	if !ok {
		return nil, badValue(c, msgInteger)
	}
	var bound float64
	switch lk {
	case lkExact:
		if f >= maxInt64f || f < minInt64f {
			return nil, outOfRange(c)
		}
		if f != math.Trunc(f) {
			return constCond(falseSQL), nil
		}
		bound = f
	case lkGt, lkLte:
		bound = math.Floor(f)
	default: // gte, lt
		bound = math.Ceil(f)
	}
	if bound >= maxInt64f || bound < minInt64f {
		return nil, outOfRange(c)
	}
	n := int64(bound)
	if !c.IntFits(n) {
		return nil, outOfRange(c)
	}
	return func(b *builder) { b.compare(c, lk, n, restStyle) }, nil
}

// bindValue parses s for column c (not integer, JSON or array) and returns
// what to bind on this engine.
func (q *Query) bindValue(c *schema.Column, s string) (any, error) {
	switch c.Kind {
	case schema.KindBoolean:
		if q.Dialect.Has(feature.TinyIntBooleans) && !knownBool(s) {
			// a BOOLEAN that is TINYINT(1): as upstream, a value that is
			// neither a number nor a boolean word is refused
			return nil, badValue(c, msgBool)
		}
		return q.Dialect.BindBool(parseBool(s)), nil
	case schema.KindDateTime:
		return q.bindDateTime(c, s)
	case schema.KindText, schema.KindEnum:
		return s, nil
	}
	return ParseValueIn(c, s, q.Location)
}

// aware reports whether values of c are instants (PostgreSQL timestamptz);
// every other datetime column holds wall-clock values.
func (q *Query) aware(c *schema.Column) bool {
	return c.HasTimezone && q.Dialect.Has(feature.TimeZones)
}

// bindDateTime parses a datetime filter value. Text with an offset is that
// instant; without one it is a wall-clock time in the request zone. Columns
// without a time zone are compared on wall-clock values in the request zone.
func (q *Query) bindDateTime(c *schema.Column, s string) (any, error) {
	t, _, ok := parseDateTime(s, q.Location)
	if !ok {
		return nil, badValue(c, msgDate)
	}
	t = t.Truncate(time.Microsecond)
	if q.aware(c) {
		return t, nil
	}
	t = t.In(q.Location)
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	return q.Dialect.BindWallTime(wall), nil
}

// jsonExact is exact on a JSON column. PostgreSQL: containment (@>) of the
// value as a JSON string, or of the value itself when it is other JSON;
// elsewhere the JSON text contains the value (case-insensitively).
func (q *Query) jsonExact(c *schema.Column, s string) cond {
	if !q.Dialect.Has(feature.JSONContainment) {
		p := newLike(q.Dialect, "%"+escapeLike(s)+"%")
		return func(b *builder) { b.like(c, p.v, false, restStyle) }
	}
	asString, _ := json.Marshal(s)
	var v any
	alt := ""
	if json.Unmarshal([]byte(s), &v) == nil {
		if str, ok := v.(string); ok {
			b, _ := json.Marshal(str)
			asString = b
		} else {
			alt = s
		}
	}
	str := string(asString)
	return func(b *builder) {
		if alt == "" {
			b.jsonContains(c, str, restStyle)
			return
		}
		b.sql("(")
		b.jsonContains(c, str, restStyle)
		b.sql(" OR ")
		b.jsonContains(c, alt, restStyle)
		b.sql(")")
	}
}

// arrayExact is exact on a PostgreSQL array: the array holds the value (every
// element, when the value is a JSON array), compared as text.
func (q *Query) arrayExact(c *schema.Column, s string) cond {
	if !q.Dialect.Has(feature.Arrays) {
		return q.jsonExact(c, s)
	}
	elems := arrayElements(s)
	if len(elems) == 0 {
		return constCond(falseSQL)
	}
	return func(b *builder) {
		for i, e := range elems {
			if i > 0 {
				b.sql(" AND ")
			}
			b.arg(e)
			b.sql(" = ANY(CAST(")
			b.col(c)
			b.sql(" AS text[]))")
		}
	}
}

// arrayElements reads a filter value for an array column: a JSON array gives
// its elements, other JSON a single element, anything else itself.
func arrayElements(s string) []string {
	var v any
	if json.Unmarshal([]byte(s), &v) != nil {
		return []string{s}
	}
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		switch x := e.(type) {
		case string:
			out = append(out, x)
		case nil:
			// NULL elements never compare equal
		default:
			b, _ := json.Marshal(x)
			out = append(out, string(b))
		}
	}
	return out
}

// inFilter is `in`: a repeated parameter is the list, a single value is split
// on commas.
func (q *Query) inFilter(c *schema.Column, values []string) (cond, error) {
	if len(values) == 1 {
		if values[0] == "" {
			return nil, nil
		}
		values = strings.Split(values[0], ",")
	}
	if len(values) > MaxInValues {
		return nil, apierr.InvalidField(c.Name, "too many values: at most "+strconv.Itoa(MaxInValues))
	}
	if c.Kind != schema.KindText && c.Kind != schema.KindEnum {
		kept := values[:0:0]
		for _, v := range values {
			if strings.TrimSpace(v) != "" {
				kept = append(kept, v)
			}
		}
		values = kept
		if len(values) == 0 {
			return nil, nil
		}
	}
	switch c.Kind {
	case schema.KindJSON, schema.KindArray:
		conds := make([]cond, len(values))
		for i, v := range values {
			if c.Kind == schema.KindArray {
				conds[i] = q.arrayExact(c, v)
			} else {
				conds[i] = q.jsonExact(c, v)
			}
		}
		return orCond(conds), nil
	}
	args, err := q.bindList(c, values)
	if err != nil {
		return nil, err
	}
	if len(args) == 0 {
		return constCond(falseSQL), nil
	}
	return func(b *builder) { b.in(c, args, restStyle) }, nil
}

// intValue reads a number for an integer column; ok is false when it is not
// an integer (it then matches nothing).
func intValue(c *schema.Column, s string) (int64, bool, error) {
	if n, ok := parseIntStrict(s); ok {
		if !c.IntFits(n) {
			return 0, false, outOfRange(c)
		}
		return n, true, nil
	}
	f, _, ok := parseNumber(s)
	if !ok {
		return 0, false, badValue(c, msgInteger)
	}
	if f != math.Trunc(f) || f >= maxInt64f || f < minInt64f {
		return 0, false, nil
	}
	return int64(f), true, nil
}

func orCond(conds []cond) cond {
	if len(conds) == 0 {
		return constCond(falseSQL)
	}
	if len(conds) == 1 {
		return conds[0]
	}
	return func(b *builder) {
		for i, c := range conds {
			if i > 0 {
				b.sql(" OR ")
			}
			b.sql("(")
			c(b)
			b.sql(")")
		}
	}
}

// parseIntStrict reads [+-]digits (spaces around allowed) into an int64.
func parseIntStrict(s string) (int64, bool) {
	t := strings.TrimPrefix(strings.TrimSpace(s), "+")
	if t == "" {
		return 0, false
	}
	for i := 0; i < len(t); i++ {
		if (t[i] < '0' || t[i] > '9') && !(i == 0 && t[i] == '-' && len(t) > 1) {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	return n, err == nil
}
