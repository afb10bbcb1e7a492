package sqlapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jetbridge/jetbridge/internal/values"
)

// request is one validated SQL request (§10.1).
type request struct {
	query     string
	v         int
	params    []any          // v < 2: positional values, bound as :param_0, :param_1, ...
	paramsObj map[string]any // v >= 2: named values
	offset    int64
	hasOffset bool
	limit     int64 // after capping; meaningful when hasLimit
	hasLimit  bool
	orderBy   []orderItem
	hasOrder  bool
	count     bool
	columns   []columnDecl
	filters   []filterItem
	aggregate *aggregateReq
	group     *groupReq
	timezone  string
	hasTZ     bool
	schema    string
	hasSchema bool
	admin     bool
	info      stmtInfo // the statement guard's view of query (set by authorize)
}

type orderItem struct {
	name string
	desc bool
}

type columnDecl struct {
	name     string
	dataType string
}

type filterItem struct {
	name     string
	value    any
	hasValue bool
}

type aggregateReq struct {
	fn     string // lower case
	column string // "" for count(*)
}

type groupColumn struct {
	column string
	lookup string
}

type groupReq struct {
	x      []groupColumn
	yFunc  string
	column string
}

// wrapped reports whether the query runs inside SELECT ... FROM (<query>) AS __jet_q2 (§10.2).
func (r *request) wrapped() bool {
	return r.aggregate != nil || r.group != nil || r.hasOffset || r.hasLimit || r.hasOrder ||
		r.count || len(r.filters) > 0
}

// Limits of §10.1/§10.2.
const (
	maxLimit     = 1000
	defaultLimit = 100 // v >= 2, wrapped, no limit given
	maxNameLen   = 255
)

// fieldErrors collects validation messages by field, as the spec's 400 body.
type fieldErrors map[string][]string

func (e fieldErrors) add(field, format string, args ...any) {
	e[field] = append(e[field], fmt.Sprintf(format, args...))
}

// flatten renders the errors as "field: message" lines, sorted, with a prefix.
func (e fieldErrors) flatten(prefix string) []string {
	keys := make([]string, 0, len(e))
	for k := range e {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		for _, m := range e[k] {
			switch {
			case k != "non_field_errors":
				out = append(out, prefix+k+": "+m)
			case prefix != "":
				out = append(out, strings.TrimSuffix(prefix, ".")+": "+m)
			default:
				out = append(out, m)
			}
		}
	}
	return out
}

// decodeJSON decodes with numbers kept as json.Number (exact integers).
func decodeJSON(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("unexpected data after the JSON value")
	}
	return nil
}

// parseRequest validates one request object.
func parseRequest(obj map[string]any) (*request, fieldErrors) {
	errs := fieldErrors{}
	r := &request{v: 1}

	switch q := obj["query"].(type) {
	case string:
		if strings.TrimSpace(q) == "" {
			errs.add("query", "this field may not be blank")
		}
		r.query = q
	case nil:
		errs.add("query", "this field is required")
	default:
		errs.add("query", "not a valid string")
	}

	if raw, ok := obj["v"]; ok && raw != nil {
		if n, ok := intValue(raw); ok {
			r.v = int(n)
		} else {
			errs.add("v", "not a valid integer")
		}
	}

	if raw, ok := obj["offset"]; ok && raw != nil {
		switch n, ok := intValue(raw); {
		case !ok:
			errs.add("offset", "not a valid integer")
		case n < 0:
			errs.add("offset", "ensure this value is greater than or equal to 0")
		default:
			r.offset, r.hasOffset = n, true
		}
	}
	if raw, ok := obj["limit"]; ok && raw != nil {
		switch n, ok := intValue(raw); {
		case !ok:
			errs.add("limit", "not a valid integer")
		case n < 0:
			// removed, as upstream does
		default:
			r.limit, r.hasLimit = min(n, maxLimit), true
		}
	}

	if raw, ok := obj["order_by"]; ok && raw != nil {
		var names []string
		switch x := raw.(type) {
		case string: // Q29: a string is a comma list, not a list of characters
			for _, p := range strings.Split(x, ",") {
				if p = strings.TrimSpace(p); p != "" {
					names = append(names, p)
				}
			}
		case []any:
			for _, it := range x {
				s, ok := it.(string)
				if !ok {
					errs.add("order_by", "not a valid string: %s", compactJSON(it))
					continue
				}
				names = append(names, strings.TrimSpace(s))
			}
		default:
			errs.add("order_by", "not a valid array")
		}
		for _, n := range names {
			it := orderItem{name: n}
			if strings.HasPrefix(n, "-") {
				it = orderItem{name: n[1:], desc: true}
			}
			if msg := checkName(it.name); msg != "" {
				errs.add("order_by", "%s: %q", msg, n)
				continue
			}
			r.orderBy = append(r.orderBy, it)
		}
		r.hasOrder = len(r.orderBy) > 0
	}

	if raw, ok := obj["count"]; ok && raw != nil {
		if b, ok := boolValue(raw); ok {
			r.count = b
		} else {
			errs.add("count", "must be a valid boolean")
		}
	}
	if raw, ok := obj["admin"]; ok && raw != nil {
		if b, ok := boolValue(raw); ok {
			r.admin = b
		} else {
			errs.add("admin", "must be a valid boolean")
		}
	}

	if raw, ok := obj["columns"]; ok && raw != nil {
		items, ok := raw.([]any)
		if !ok {
			errs.add("columns", "not a valid array")
		}
		for i, it := range items {
			m, ok := it.(map[string]any)
			if !ok {
				errs.add("columns", "item %d: not an object", i)
				continue
			}
			name, _ := m["name"].(string)
			dt, _ := m["data_type"].(string)
			if msg := checkName(name); msg != "" {
				errs.add("columns", "item %d: name: %s", i, msg)
				continue
			}
			if dt == "" {
				errs.add("columns", "item %d: data_type: this field is required", i)
				continue
			}
			r.columns = append(r.columns, columnDecl{name: name, dataType: dt})
		}
	}

	if raw, ok := obj["filters"]; ok && raw != nil {
		items, ok := raw.([]any)
		if !ok {
			errs.add("filters", "not a valid array")
		}
		for i, it := range items {
			m, ok := it.(map[string]any)
			if !ok {
				errs.add("filters", "item %d: not an object", i)
				continue
			}
			name, ok := m["name"].(string)
			if !ok || name == "" {
				errs.add("filters", "item %d: name: this field is required", i)
				continue
			}
			v, has := m["value"]
			r.filters = append(r.filters, filterItem{name: name, value: v, hasValue: has})
		}
	}

	if raw, ok := obj["aggregate"]; ok && raw != nil {
		m, ok := raw.(map[string]any)
		if !ok {
			errs.add("aggregate", "not a valid object")
		} else {
			a := &aggregateReq{}
			a.fn = parseFunc(m["func"], "func", "aggregate", errs)
			a.column = optionalName(m["column"], "column", "aggregate", errs)
			r.aggregate = a
		}
	}

	parseGroup(obj, r, errs)

	if raw, ok := obj["timezone"]; ok && raw != nil {
		if s, ok := raw.(string); ok {
			r.timezone, r.hasTZ = s, s != ""
		} else {
			errs.add("timezone", "not a valid string")
		}
	}
	if raw, ok := obj["schema"]; ok && raw != nil {
		if s, ok := raw.(string); ok {
			if msg := checkName(s); msg != "" && s != "" {
				errs.add("schema", "%s", msg)
			}
			r.schema, r.hasSchema = s, s != ""
		} else {
			errs.add("schema", "not a valid string")
		}
	}

	if r.v < 2 {
		if raw, ok := obj["params"]; ok && raw != nil {
			switch x := raw.(type) {
			case string:
				// upstream's form: a comma-separated string
				for _, p := range strings.Split(x, ",") {
					r.params = append(r.params, p)
				}
			case []any:
				// Q29: items are kept whole (upstream joined and re-split on ',')
				for _, it := range x {
					r.params = append(r.params, positionalText(it))
				}
			default:
				errs.add("params", "not a valid array")
			}
		}
	} else if raw, ok := obj["params_obj"]; ok && raw != nil {
		m, ok := raw.(map[string]any)
		if !ok {
			errs.add("params_obj", "must be a JSON object")
		}
		r.paramsObj = m
	}

	if len(errs) > 0 {
		return nil, errs
	}
	return r, nil
}

func parseGroup(obj map[string]any, r *request, errs fieldErrors) {
	if raw, ok := obj["groups"]; ok && raw != nil {
		m, ok := raw.(map[string]any)
		if !ok {
			errs.add("groups", "not a valid object")
			return
		}
		g := &groupReq{}
		xs, ok := m["xColumns"].([]any)
		if !ok || len(xs) == 0 {
			errs.add("groups", "xColumns: this field is required")
		}
		for i, it := range xs {
			x, ok := it.(map[string]any)
			if !ok {
				errs.add("groups", "xColumns item %d: not an object", i)
				continue
			}
			col := requiredName(x["xColumn"], fmt.Sprintf("xColumns item %d: xColumn", i), "groups", errs)
			lk, _ := x["xLookup"].(string)
			g.x = append(g.x, groupColumn{column: col, lookup: lk})
		}
		g.yFunc = parseFunc(m["yFunc"], "yFunc", "groups", errs)
		g.column = optionalName(m["yColumn"], "yColumn", "groups", errs)
		r.group = g
		return
	}
	if raw, ok := obj["group"]; ok && raw != nil {
		m, ok := raw.(map[string]any)
		if !ok {
			errs.add("group", "not a valid object")
			return
		}
		g := &groupReq{}
		col := requiredName(m["xColumn"], "xColumn", "group", errs)
		lk, _ := m["xLookup"].(string)
		g.x = []groupColumn{{column: col, lookup: lk}}
		g.yFunc = parseFunc(m["yFunc"], "yFunc", "group", errs)
		g.column = optionalName(m["yColumn"], "yColumn", "group", errs)
		r.group = g
	}
}

// aggregateFuncs are the functions of aggregate and group (§9.6).
var aggregateFuncs = map[string]string{"count": "COUNT", "sum": "SUM", "avg": "AVG", "min": "MIN", "max": "MAX"}

func parseFunc(raw any, key, field string, errs fieldErrors) string {
	s, ok := raw.(string)
	if !ok || s == "" {
		errs.add(field, "%s: this field is required", key)
		return ""
	}
	fn := strings.ToLower(s)
	if _, ok := aggregateFuncs[fn]; !ok {
		errs.add(field, "%s: unknown function %q (use count, sum, avg, min or max)", key, s)
	}
	return fn
}

func requiredName(raw any, key, field string, errs fieldErrors) string {
	s, ok := raw.(string)
	if !ok || s == "" {
		errs.add(field, "%s: this field is required", key)
		return ""
	}
	if msg := checkName(s); msg != "" {
		errs.add(field, "%s: %s", key, msg)
	}
	return s
}

func optionalName(raw any, key, field string, errs fieldErrors) string {
	if raw == nil {
		return ""
	}
	s, ok := raw.(string)
	if !ok {
		errs.add(field, "%s: not a valid string", key)
		return ""
	}
	if s == "" {
		return ""
	}
	if msg := checkName(s); msg != "" {
		errs.add(field, "%s: %s", key, msg)
	}
	return s
}

// checkName validates a result-column name the client declares (columns,
// order_by, aggregate and group columns). They cannot be checked against a
// reflected schema, so they are limited to plain text and always quoted
// with the dialect; it returns "" when the name is acceptable.
func checkName(s string) string {
	switch {
	case s == "":
		return "this field may not be blank"
	case len(s) > maxNameLen:
		return "not a valid column name (too long)"
	case !utf8.ValidString(s):
		return "not a valid column name"
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return "not a valid column name"
		}
	}
	return ""
}

// intValue accepts a JSON integer or a string holding one.
func intValue(v any) (int64, bool) {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n, true
		}
		if f, err := x.Float64(); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			return int64(f), true
		}
	case string:
		if n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64); err == nil {
			return n, true
		}
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x), true
		}
	}
	return 0, false
}

// boolValue accepts JSON booleans and the spellings of §9.4's truth table.
func boolValue(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case json.Number:
		return x.String() != "0", true
	case string:
		if strings.TrimSpace(x) == "" {
			return false, true
		}
		if v, ok := values.Word(x); ok {
			return v, true
		}
	}
	return false, false
}

// positionalText renders a v < 2 params array item as the string upstream binds.
func positionalText(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "true"
		}
		return "false"
	default:
		return compactJSON(x)
	}
}

func compactJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
