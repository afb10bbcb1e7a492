package query

import (
	"net/url"
	"slices"
	"strconv"
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
	var spec Spec
	parseSpec(m, params, &spec)
	return Compile(m, d, &spec, opts)
}

// ParseSpec reads the list parameters of model m into a Spec. It is the
// only code that knows the parameters' names; m is needed to tell a filter
// name (col__lookup, exclude__col) from other parameters. Nothing is
// checked beyond that: Compile does it.
func ParseSpec(m *schema.Model, params url.Values) *Spec {
	spec := &Spec{}
	parseSpec(m, params, spec)
	return spec
}

func parseSpec(m *schema.Model, params url.Values, spec *Spec) {
	*spec = Spec{
		M2M:      params.Get("_m2m"),
		Relation: params.Get("_relation"),
		Search:   params.Get("_search"),
		Segment:  params.Get("_segment"),
		Order:    parseOrder(params["_order_by"]),
	}
	if tz := params.Get("tz"); tz != "" {
		spec.Location, _ = parseLocation(tz)
	}
	named := make([]Named, 0, len(params))
	for k, vs := range params {
		named = append(named, Named{Name: k, Values: vs})
	}
	slices.SortFunc(named, byName)
	spec.Filters = Filters(m, named)
	spec.Aggregate = Agg{Func: params.Get("_y_func"), Column: params.Get("_y_column")}
	spec.Group = parseGroupParams(params)
	spec.Page = parsePage(params)
}

// lastParam reads a single-value parameter: the last occurrence, trimmed.
func lastParam(params url.Values, name string) string {
	v := params[name]
	if len(v) == 0 {
		return ""
	}
	return strings.TrimSpace(v[len(v)-1])
}

// parsePage reads page (default 1), _per_page (default DefaultPerPage,
// clamped to [1, MaxPerPage]) and _no_pagination; the last of repeated
// values counts.
func parsePage(params url.Values) Page {
	pg := Page{Number: 1, PerPage: DefaultPerPage, All: lastParam(params, "_no_pagination") != ""}
	if p, ok := atoi(lastParam(params, "page")); ok && p >= 1 {
		pg.Number = p
	}
	if p, ok := atoi(lastParam(params, "_per_page")); ok {
		pg.PerPage = min(max(p, 1), MaxPerPage)
	}
	return pg
}

// atoi is strconv.Atoi without the error value (an absent parameter is
// the common case; its error would be an allocation per request).
func atoi(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// parseGroupParams reads _x_column (repeatable, empty names skipped),
// _x_lookup (positional over the kept names) and _per_page.
func parseGroupParams(params url.Values) Grouping {
	var g Grouping
	lookups := params["_x_lookup"]
	for _, name := range params["_x_column"] {
		if name == "" {
			continue
		}
		lk := ""
		if i := len(g.By); i < len(lookups) {
			lk = lookups[i]
		}
		g.By = append(g.By, GroupBy{Column: name, Lookup: lk})
	}
	if v := params.Get("_per_page"); v != "" {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
			g.Limit = min(max(n, 1), MaxGroupRows)
		}
	}
	return g
}

// parseOrder reads _order_by values ("a,-b"; repeated values are joined).
func parseOrder(values []string) []Order {
	var out []Order
	for _, v := range values {
		for rest := v; rest != ""; {
			var item string
			item, rest, _ = strings.Cut(rest, ",")
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			name, desc := strings.CutPrefix(item, "-")
			out = append(out, Order{Column: name, Desc: desc})
		}
	}
	return out
}

// unknownColumn is the 400 for a parameter naming a column the model lacks.
func unknownColumn(m *schema.Model, name string) *apierr.Error {
	return apierr.NonField("Table \"" + m.Name + "\" does not have column \"" + name + "\"")
}

// parseOrdering reads _order_by values against m.
func parseOrdering(m *schema.Model, values []string) ([]orderTerm, error) {
	var out []orderTerm
	for _, o := range parseOrder(values) {
		c := m.Column(o.Column)
		if c == nil {
			return nil, unknownColumn(m, o.Column)
		}
		out = append(out, orderTerm{col: c, desc: o.Desc})
	}
	return out, nil
}

// filterColumn is the column as filters see it: MariaDB's JSON is LONGTEXT
// with a json_valid check, and upstream filters it as the text it is (exact
// compares the JSON text, json_icontains is not among the text lookups and
// is ignored), as the recording shows.
func filterColumn(c *schema.Column) *schema.Column {
	if c == nil || c.Kind != schema.KindJSON || !c.TextJSON {
		return c
	}
	text := *c
	text.Kind = schema.KindText
	return &text
}
