package graphql

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/jetbridge/jetbridge/internal/dialect/feature"
	"github.com/jetbridge/jetbridge/internal/query"
	"github.com/jetbridge/jetbridge/internal/record"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// Page size limits (spec §7).
const (
	defaultLimit = 20
	maxLimit     = 1000
)

// listOf is GraphQL input coercion: a single value where a list is expected
// is a one-element list.
func listOf(v *Value) []*Value {
	if v == nil || v.Kind == ValNull {
		return nil
	}
	if v.Kind == ValList {
		return v.List
	}
	return []*Value{v}
}

// filters turns a filters argument into conditions (spec §4).
func (x *exec) filters(t *Table, v *Value, path []query.Hop, not bool, depth int, out *[]query.Filter, touched map[string]bool) error {
	if depth > MaxFilterDepth+1 {
		return &execError{"filters are nested too deeply"}
	}
	for _, obj := range listOf(v) {
		if obj.Kind != ValObject {
			continue
		}
		for _, f := range obj.Fields {
			if f.Value == nil || f.Value.Kind == ValNull {
				continue
			}
			if f.Name == "_not_" {
				// upstream negates once however deep _not_ nests (the
				// recordings: _not_ of _not_ of lt 3 is "not lt 3")
				if err := x.filters(t, f.Value, path, true, depth, out, touched); err != nil {
					return err
				}
				continue
			}
			if c := t.Col(f.Name); c != nil {
				if f.Value.Kind != ValObject {
					continue
				}
				for _, lf := range f.Value.Fields {
					if lf.Name == "relation" {
						if c.FK == nil {
							continue
						}
						target := x.s.table(c.FK.Target)
						touched[target.M.Name] = true
						hop := query.Hop{Local: c.C, Target: c.FK.Target, Remote: c.FK.Remote}
						if err := x.filters(target, lf.Value, appendHop(path, hop), not, depth+1, out, touched); err != nil {
							return err
						}
						continue
					}
					leaf, ok, err := x.leaf(c, lf.Name, lf.Value)
					if err != nil {
						return err
					}
					if ok {
						leaf.Path = path
						leaf.Exclude = not
						*out = append(*out, leaf)
					}
				}
				continue
			}
			if r := t.Rel(f.Name); r != nil {
				target := x.s.table(r.Target)
				touched[target.M.Name] = true
				hop := query.Hop{Local: r.Local, Target: r.Target, Remote: r.Remote}
				if rv := f.Value.Field("relation"); rv != nil {
					if err := x.filters(target, rv, appendHop(path, hop), not, depth+1, out, touched); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

func appendHop(path []query.Hop, h query.Hop) []query.Hop {
	return append(append(make([]query.Hop, 0, len(path)+1), path...), h)
}

// raw is a RawScalar's value: a string for numbers, strings and enums, a
// bool for booleans; ok is false for null.
func raw(v *Value) (any, bool, error) {
	switch v.Kind {
	case ValNull:
		return nil, false, nil
	case ValBool:
		return v.Bool, true, nil
	case ValObject:
		return nil, false, &execError{"Expected a scalar value, found an object: " + printValue(v)}
	case ValList:
		return nil, false, &execError{"Expected a scalar value, found a list: " + printValue(v)}
	}
	return v.Raw, true, nil
}

func rawText(x any) string {
	switch t := x.(type) {
	case bool:
		if t {
			return "True"
		}
		return "False"
	case string:
		return t
	}
	return ""
}

func truthy(x any) bool {
	switch t := x.(type) {
	case bool:
		return t
	case string:
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "", "0", "false", "f", "no", "n", "off":
			return false
		}
		return true
	}
	return false
}

// leaf converts one lookup of a column (spec §4 table) into a
// GraphQL-style filter (query.Filter.Style; its lookups are
// query.Filter.graphCond's).
func (x *exec) leaf(c *Col, op string, v *Value) (query.Filter, bool, error) {
	l := query.Filter{Column: c.C, Style: query.StyleGraphQL}
	if v == nil || v.Kind == ValNull {
		return l, false, nil
	}
	if op == "in" {
		items := listOf(v)
		var vals []any
		for _, it := range items {
			r, ok, err := raw(it)
			if err != nil {
				return l, false, err
			}
			if !ok {
				continue
			}
			vals = append(vals, r)
		}
		if len(vals) == 0 {
			return l, false, nil
		}
		return x.inLeaf(c, l, vals)
	}
	r, ok, err := raw(v)
	if err != nil || !ok {
		return l, false, err
	}
	if s, isStr := r.(string); isStr && s == "" {
		return l, false, nil
	}
	switch op {
	case "isNull":
		l.Lookup, l.Args = "isnull", []any{truthy(r)}
		return l, true, nil
	case "isEmpty":
		// NULL or '' on text and select columns, NULL on the others
		l.Lookup, l.Args = "isnull", []any{truthy(r)}
		if c.Kind == lkText || c.Kind == lkSelect {
			l.Lookup = "isempty"
		}
		return l, true, nil
	case "containsI", "startsWithI", "endsWithI", "jsonContainsI":
		s := rawText(r)
		if c.Kind == lkDatetime {
			t, err := x.likeDate(s)
			if err != nil {
				return l, false, err
			}
			s = t
		}
		if c.Kind == lkNumber || c.Kind == lkFlag {
			f, err := parseFloat(s)
			if err != nil {
				return l, false, err
			}
			s = pyFloat(f)
		}
		l.Lookup = "like"
		l.Cast = c.Kind == lkSelect || c.Kind == lkJSON
		switch op {
		case "startsWithI":
			s += "%"
		case "endsWithI":
			s = "%" + s
		default:
			s = "%" + s + "%"
		}
		l.Args = []any{s}
		return l, true, nil
	case "coveredBy":
		l.Lookup, l.Args = "covered_by", []any{rawText(r)}
		return l, true, nil
	}
	switch op {
	case "eq":
		l.Lookup = "exact"
	case "gt", "gte", "lt", "lte":
		l.Lookup = op
	default:
		return l, false, nil
	}
	if c.Kind == lkJSON && op == "eq" {
		return x.jsonLeaf(l, []any{r})
	}
	val, float, err := x.convert(c, r)
	if err != nil {
		return l, false, err
	}
	l.Args, l.Float = []any{val}, float
	return l, true, nil
}

func (x *exec) inLeaf(c *Col, l query.Filter, vals []any) (query.Filter, bool, error) {
	if c.Kind == lkJSON {
		return x.jsonLeaf(l, vals)
	}
	l.Lookup = "in"
	for _, r := range vals {
		val, float, err := x.convert(c, r)
		if err != nil {
			return l, false, err
		}
		l.Args = append(l.Args, val)
		l.Float = l.Float || float
	}
	return l, true, nil
}

// jsonLeaf: containment on PostgreSQL, a text match elsewhere (spec §4).
func (x *exec) jsonLeaf(l query.Filter, vals []any) (query.Filter, bool, error) {
	if !x.s.dialect.Has(feature.JSONContainment) {
		l.Lookup = "like_any"
		l.Cast = true
		for _, r := range vals {
			l.Args = append(l.Args, "%"+rawText(r)+"%")
		}
		return l, true, nil
	}
	l.Lookup = "json_contains"
	for _, r := range vals {
		s := rawText(r)
		b, _ := json.Marshal(s)
		l.Args = append(l.Args, string(b))
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			l.Args = append(l.Args, s)
		}
	}
	return l, true, nil
}

func parseFloat(s string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, &execError{"not a valid float"}
	}
	return f, nil
}

// pyFloat prints a float as Python's str() does (350 -> "350.0").
func pyFloat(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0"
	}
	return s
}

// convert is the value conversion of a column's lookup type.
func (x *exec) convert(c *Col, r any) (any, bool, error) {
	switch c.Kind {
	case lkNumber:
		f, err := parseFloat(rawText(r))
		if b, ok := r.(bool); ok {
			f, err = 0, nil
			if b {
				f = 1
			}
		}
		if err != nil {
			return nil, false, err
		}
		if f == float64(int64(f)) && f > -1e15 && f < 1e15 {
			return int64(f), false, nil
		}
		return f, true, nil
	case lkBoolean:
		return truthy(r), false, nil
	case lkFlag:
		if b, ok := r.(bool); ok {
			return boolInt(b), false, nil
		}
		switch strings.ToLower(strings.TrimSpace(rawText(r))) {
		case "true":
			return int64(1), false, nil
		case "false":
			return int64(0), false, nil
		}
		f, err := parseFloat(rawText(r))
		if err != nil {
			return nil, false, err
		}
		return f, false, nil
	case lkDatetime:
		return x.dateValue(c.C, rawText(r))
	}
	return rawText(r), false, nil
}

// dateValue parses a date-time filter value; an offset is honoured (the
// instant in UTC, or the connection's zone).
func (x *exec) dateValue(c *schema.Column, s string) (any, bool, error) {
	dt, err := record.ParseDateTime(strings.TrimSpace(s))
	if err != nil {
		return nil, false, &execError{"date has wrong format"}
	}
	t := dt.Time
	if dt.HasOffset && x.s.dialect.Has(feature.TimeZones) {
		// PostgreSQL compares the instant; MySQL and SQLite compare the
		// wall time as written (as upstream)
		loc := x.env.Loc
		if loc == nil {
			loc = time.UTC
		}
		t = t.In(loc)
	}
	if c.Kind == schema.KindDate {
		return t.Format("2006-01-02"), false, nil
	}
	if x.s.dialect.Has(feature.TextDateTimes) {
		return t.Format("2006-01-02 15:04:05.000000"), false, nil
	}
	if c.HasTimezone && x.s.dialect.Has(feature.TimeZones) {
		return t.Format("2006-01-02 15:04:05.999999-07:00"), false, nil
	}
	return t.Format("2006-01-02 15:04:05.999999"), false, nil
}

// sortTerms is spec §6.
func (x *exec) sortTerms(t *Table, v *Value) []query.Order {
	var out []query.Order
	for _, obj := range listOf(v) {
		if obj.Kind != ValObject {
			continue
		}
		for _, f := range obj.Fields {
			c := t.Col(f.Name)
			if c == nil {
				continue
			}
			desc := false
			if d := f.Value.Field("descending"); d != nil && d.Kind == ValBool {
				desc = d.Bool
			}
			out = append(out, query.Order{Column: c.C.Name, Desc: desc})
		}
	}
	return out
}

// pageArgs is spec §7: the effective limit and the given page/offset.
type pageArgs struct {
	limit        int
	page, offset *int
}

func intArg(v *Value) *int {
	if v == nil || v.Kind != ValInt {
		return nil
	}
	n, err := strconv.Atoi(v.Raw)
	if err != nil {
		return nil
	}
	return &n
}

func pagination(v *Value) pageArgs {
	p := pageArgs{limit: defaultLimit}
	if v == nil || v.Kind != ValObject {
		return p
	}
	if l := intArg(v.Field("limit")); l != nil {
		switch {
		case *l > maxLimit:
			p.limit = maxLimit
		case *l < 0:
			p.limit = defaultLimit
		default:
			p.limit = *l
		}
	}
	p.page = intArg(v.Field("page"))
	p.offset = intArg(v.Field("offset"))
	return p
}

// effectiveOffset: offset wins over page; a negative result (page 0, a
// negative offset) starts at the first row.
func (p pageArgs) effectiveOffset() int {
	off := 0
	switch {
	case p.offset != nil:
		off = *p.offset
	case p.page != nil:
		off = (*p.page - 1) * p.limit
	}
	return max(off, 0)
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// likeDate is the text a containsI on a date-time column looks for: the
// value read as a date-time (a bare year takes today's month and day, as
// upstream's parser does), as the database prints it.
func (x *exec) likeDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) == 4 {
		if y, err := strconv.Atoi(s); err == nil {
			now := time.Now()
			return time.Date(y, now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).Format("2006-01-02 15:04:05"), nil
		}
	}
	dt, err := record.ParseDateTime(s)
	if err != nil {
		return "", &execError{"date has wrong format"}
	}
	return dt.Time.Format("2006-01-02 15:04:05"), nil
}
