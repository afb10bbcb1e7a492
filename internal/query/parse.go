package query

import (
	"net/url"
	"sort"
	"strings"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// MaxInValues is the longest list an `in` filter or _relation accepts.
const MaxInValues = 10000

// isControl reports whether a bare query parameter belongs to the API rather
// than to a column filter (fix of quirk Q19: a column with such a name is
// still filtered through col__exact or exclude__col).
func isControl(name string) bool {
	switch name {
	case "page", "_per_page", "_no_pagination", "_order_by", "_search", "tz", "cid", "invoker", "draft",
		"_y_func", "_y_column", "_x_column", "_x_lookup", "_relation", "_m2m", "_segment":
		return true
	}
	return false
}

// Parse builds the query of model m from list parameters (spec §9.1, §9.4):
// column filters (col, col__<lookup>, exclude__col[__<lookup>]), _search,
// _order_by, _relation, _m2m and _segment. Unknown columns and lookups are
// ignored as upstream does; values that cannot be parsed for their column,
// unknown _order_by columns and malformed special filters are a 400
// *apierr.Error.
func Parse(m *schema.Model, d db.Dialect, params url.Values) (*Query, error) {
	return ParseWith(m, d, params, Options{})
}

// ParseWith is Parse with options (schema for _relation/_m2m, zone, source).
func ParseWith(m *schema.Model, d db.Dialect, params url.Values, opts Options) (*Query, error) {
	q := &Query{Model: m, Dialect: d, Location: opts.Location, opts: opts, conds: make([]cond, 0, 4)}
	if q.Location == nil {
		q.Location, _ = parseLocation(params.Get("tz"))
	}
	if m.PKAuto {
		if pk := m.PK(); pk != nil {
			q.conds = append(q.conds, nullCond(pk, false))
		}
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		c, lk, exclude, ok := q.resolveKey(key, params)
		if !ok {
			continue
		}
		cnd, err := q.filter(c, lk, params[key])
		if err != nil {
			return nil, err
		}
		if cnd == nil {
			continue
		}
		if exclude {
			cnd = notCond(cnd)
		}
		q.conds = append(q.conds, cnd)
	}
	if err := q.special(params); err != nil {
		return nil, err
	}
	return q, nil
}

// special applies _m2m, _order_by, _relation, _search and _segment.
func (q *Query) special(params url.Values) error {
	if v := params.Get("_m2m"); v != "" {
		c, err := q.m2m(v)
		if err != nil {
			return err
		}
		q.conds = append(q.conds, c)
	}
	if vs := params["_order_by"]; len(vs) > 0 {
		order, err := parseOrdering(q.Model, vs)
		if err != nil {
			return err
		}
		q.order = order
	}
	if v := params.Get("_relation"); v != "" {
		c, err := q.relation(v)
		if err != nil {
			return err
		}
		q.conds = append(q.conds, c)
	}
	if v := params.Get("_search"); v != "" {
		q.conds = append(q.conds, q.searchCond(v))
		q.search = true
	}
	if params.Get("_segment") != "" {
		return apierr.NonField("_segment is not supported: named SQL segments cannot be used as filters by this bridge")
	}
	return nil
}

// resolveKey maps a query parameter to (column, lookup, exclude).
func (q *Query) resolveKey(key string, params url.Values) (*schema.Column, lookup, bool, bool) {
	m := q.Model
	if c := q.filterColumn(m.Column(key)); c != nil {
		if isControl(key) || hasValue(params, key+"__exact") {
			return nil, 0, false, false
		}
		return c, lkExact, false, true
	}
	if c, lk, ok := q.splitLookup(key); ok {
		return c, lk, false, true
	}
	rest, ok := strings.CutPrefix(key, "exclude__")
	if !ok {
		return nil, 0, false, false
	}
	if c := q.filterColumn(m.Column(rest)); c != nil {
		if hasValue(params, key+"__exact") {
			return nil, 0, false, false
		}
		return c, lkExact, true, true
	}
	if c, lk, ok := q.splitLookup(rest); ok {
		return c, lk, true, true
	}
	return nil, 0, false, false
}

// splitLookup splits "<column>__<lookup>" when both exist and the lookup
// applies to the column's kind.
func (q *Query) splitLookup(name string) (*schema.Column, lookup, bool) {
	i := strings.LastIndex(name, "__")
	if i <= 0 {
		return nil, 0, false
	}
	lk, ok := lookupByName(name[i+2:])
	if !ok {
		return nil, 0, false
	}
	c := q.filterColumn(q.Model.Column(name[:i]))
	if c == nil || !lookupAllowed(c.Kind, lk) {
		return nil, 0, false
	}
	return c, lk, true
}

func hasValue(params url.Values, key string) bool {
	vs := params[key]
	return len(vs) > 0 && vs[0] != ""
}

// unknownColumn is the 400 for a parameter naming a column the model lacks.
func unknownColumn(m *schema.Model, name string) *apierr.Error {
	return apierr.NonField("Table \"" + m.Name + "\" does not have column \"" + name + "\"")
}

// parseOrdering reads _order_by values ("a,-b"; repeated values are joined).
func parseOrdering(m *schema.Model, values []string) ([]orderTerm, error) {
	var out []orderTerm
	for _, v := range values {
		for rest := v; rest != ""; {
			var item string
			item, rest, _ = strings.Cut(rest, ",")
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			name, desc := strings.CutPrefix(item, "-")
			c := m.Column(name)
			if c == nil {
				return nil, unknownColumn(m, name)
			}
			out = append(out, orderTerm{col: c, desc: desc})
		}
	}
	return out, nil
}

// filterColumn is the column as filters see it: MariaDB's JSON is LONGTEXT
// with a json_valid check, and upstream filters it as the text it is (exact
// compares the JSON text, json_icontains is not among the text lookups and
// is ignored), as the recording shows.
func (q *Query) filterColumn(c *schema.Column) *schema.Column {
	if c == nil || c.Kind != schema.KindJSON || !c.TextJSON {
		return c
	}
	text := *c
	text.Kind = schema.KindText
	return &text
}
