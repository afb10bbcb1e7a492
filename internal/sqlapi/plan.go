package sqlapi

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/jetbridge/jetbridge/internal/dialect/feature"
	"github.com/jetbridge/jetbridge/internal/query"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// subqueryAlias names the client's query inside wrapped statements (§10.2).
const subqueryAlias = "__jet_q2"

// oneColumn is a constant column added under group/aggregate so that COUNT
// without a column counts every row (COUNT(1) = COUNT(*)).
const oneColumn = "__jet_one"

// plan is the statements one request runs.
type plan struct {
	data      string
	dataArgs  []any
	exec      bool // admin statement without a result set: run with Exec for its row count
	count     string
	countArgs []any
	wrapped   bool
	limit     int64 // the LIMIT applied, when hasLimit
	hasLimit  bool
	// groupDate marks the leading group label columns that hold dates;
	// groupDay those whose labels are dates: day or coarser buckets on MySQL
	// and SQLite, as upstream's group labels there ("2021-01-01"; the
	// recording shows it for /api/sql/ on MySQL and for group/ on both).
	groupDate, groupDay []bool
}

// buildPlan turns a validated request and its bound query into statements.
func (r *Runner) buildPlan(req *request, bound boundSQL, info stmtInfo, loc *time.Location) (*plan, error) {
	p := &plan{wrapped: req.wrapped()}
	if !p.wrapped {
		p.data, p.dataArgs = bound.text, bound.args
		p.exec = req.admin && !info.returnsRows()
		return p, nil
	}
	d := r.d.Dialect
	inner := trimTrailingSemicolons(bound.text, d.Lexing())
	grouped := req.group != nil || req.aggregate != nil
	var source string
	if grouped {
		source = "(SELECT " + subqueryAlias + "_in.*, 1 AS " + oneColumn + " FROM (\n" + inner + "\n) AS " +
			subqueryAlias + "_in) AS " + subqueryAlias
	} else {
		source = "(\n" + inner + "\n) AS " + subqueryAlias
	}
	model := syntheticModel(req, grouped)
	spec := filterSpec(req, model)
	switch {
	case req.group != nil:
		// Column "" is the model's key, oneColumn: COUNT counts every row
		spec.Aggregate = query.Agg{Func: req.group.yFunc, Column: req.group.column}
		for _, x := range req.group.x {
			if x.column != "" {
				spec.Group.By = append(spec.Group.By, query.GroupBy{Column: x.column, Lookup: x.lookup})
			}
		}
	case req.aggregate != nil:
		spec.Aggregate = query.Agg{Func: req.aggregate.fn, Column: req.aggregate.column}
	default:
		for _, o := range req.orderBy {
			spec.Order = append(spec.Order, query.Order{Column: o.name, Desc: o.desc})
		}
		switch {
		case req.hasLimit:
			p.limit, p.hasLimit = req.limit, req.limit > 0
		case req.v >= 2:
			p.limit, p.hasLimit = defaultLimit, true
		}
		if p.hasLimit {
			spec.Page.Limit = p.limit
		}
		if req.hasOffset {
			spec.Page.Offset = req.offset
		}
	}
	q, err := query.Compile(model, d, spec, query.Options{
		Location:    loc,
		Source:      source,
		SourceArgs:  bound.args,
		ClientNames: true,
	})
	if err != nil {
		return nil, err
	}
	if req.count {
		p.count, p.countArgs = q.CountSQL()
	}
	switch {
	case req.group != nil:
		for _, x := range req.group.x {
			c := model.Column(x.column)
			isDate := c.Kind == schema.KindDate || c.Kind == schema.KindDateTime
			p.groupDate = append(p.groupDate, isDate)
			p.groupDay = append(p.groupDay, isDate && !d.Has(feature.TruncToTimestamp) && dayBucket(x.lookup))
		}
		// the rows stay capped at query.DefaultGroupRows; as upstream, the
		// answer's "limit" is null
		p.data, p.dataArgs, err = q.GroupSQL()
	case req.aggregate != nil:
		p.data, p.dataArgs, err = q.AggregateSQL()
	default:
		p.data, p.dataArgs = q.DataSQL()
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// fieldKinds maps the field types of §8.5 that clients declare in `columns`
// to column kinds, which choose the filters and how values are parsed.
var fieldKinds = map[string]schema.Kind{
	"CharField": schema.KindText, "TextField": schema.KindText, "FixedCharField": schema.KindText,
	"SelectField": schema.KindEnum, "UUIDField": schema.KindUUID,
	"IntegerField": schema.KindInteger, "BigIntegerField": schema.KindInteger,
	"SmallIntegerField": schema.KindInteger, "PositiveIntegerField": schema.KindInteger,
	"FloatField": schema.KindFloat, "DoublePrecisionField": schema.KindFloat,
	"NumberField": schema.KindFloat, "DecimalField": schema.KindFloat, "MoneyField": schema.KindFloat,
	"BooleanField": schema.KindBoolean, "NullBooleanField": schema.KindBoolean,
	"DateField": schema.KindDate, "DateTimeField": schema.KindDateTime, "TimestampField": schema.KindDateTime,
	"TimeField": schema.KindTime,
	"JSONField": schema.KindJSON, "BinaryField": schema.KindBinary,
}

// syntheticModel describes the client's result columns as a model: the
// declared columns with the kind of their data_type, plus (for group and
// aggregate) the referenced columns that were not declared, as text, and
// the constant column COUNT without a column counts.
func syntheticModel(req *request, grouped bool) *schema.Model {
	m := &schema.Model{Name: subqueryAlias, Table: subqueryAlias}
	seen := map[string]bool{}
	add := func(name string, k schema.Kind) *schema.Column {
		if seen[name] {
			return nil
		}
		seen[name] = true
		c := &schema.Column{Name: name, Position: len(m.Columns) + 1, Kind: k, Nullable: true}
		m.Columns = append(m.Columns, c)
		return c
	}
	for _, c := range req.columns {
		k, ok := fieldKinds[c.dataType]
		if !ok {
			k = schema.KindText
		}
		add(c.name, k)
	}
	if grouped {
		if g := req.group; g != nil {
			for _, x := range g.x {
				k := schema.KindText
				if strings.HasPrefix(x.lookup, "date") {
					k = schema.KindDateTime // undeclared, but grouped by date: take it as a datetime
				}
				add(x.column, k)
			}
			if g.column != "" {
				add(g.column, schema.KindFloat)
			}
		}
		if a := req.aggregate; a != nil && a.column != "" {
			add(a.column, schema.KindFloat)
		}
		if one := add(oneColumn, schema.KindInteger); one != nil {
			one.PrimaryKey = true
			m.PrimaryKey = []*schema.Column{one}
		}
	}
	return schema.New([]*schema.Model{m}).Models[0]
}

// filterSpec turns `filters` into a typed query of model: column filters
// (named col, col__lookup, exclude__... as in §9.4) and _search. Other
// special names (_order_by, _relation, ...) are not SQL filters and are
// dropped; as upstream, the first item of a name is read.
func filterSpec(req *request, model *schema.Model) *query.Spec {
	spec := &query.Spec{}
	named := make([]query.Named, 0, len(req.filters))
	seen := map[string]bool{}
	for _, f := range req.filters {
		if !f.hasValue || f.value == nil {
			continue
		}
		if strings.HasPrefix(f.name, "_") && f.name != "_search" || f.name == "tz" {
			continue
		}
		if seen[f.name] {
			continue
		}
		var values []string
		switch x := f.value.(type) {
		case []any:
			for _, it := range x {
				if it != nil {
					values = append(values, filterText(it))
				}
			}
		default:
			values = []string{filterText(x)}
		}
		if len(values) == 0 {
			continue // a list of nulls: no value, a later item may give one
		}
		seen[f.name] = true
		if f.name == "_search" {
			spec.Search = values[0]
			continue
		}
		named = append(named, query.Named{Name: f.name, Values: values})
	}
	spec.Filters = query.Filters(model, named)
	return spec
}

func filterText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "true"
		}
		return "false"
	}
	return compactJSON(v)
}

// bindValue converts a JSON parameter value for the driver. Where a
// parameter takes its type from the context (feature.TypedParams:
// PostgreSQL) scalars are bound as text, textScalars, which the server
// parses for the parameter's inferred type, as with a literal; elsewhere
// numbers are bound typed, since SQLite compares 5 and '5' differently.
func bindValue(v any, textScalars bool) any {
	switch x := v.(type) {
	case nil, string:
		return x
	case json.Number:
		if textScalars {
			return x.String()
		}
		if n, err := x.Int64(); err == nil {
			return n
		}
		if f, err := x.Float64(); err == nil {
			return f
		}
		return x.String()
	case bool:
		if textScalars {
			return strconv.FormatBool(x)
		}
		return x
	default:
		return compactJSON(x)
	}
}

// dayBucket: the _x_lookup truncates to a day or a coarser unit ("auto" and
// "date" mean date_day).
func dayBucket(lookup string) bool {
	switch strings.TrimSpace(lookup) {
	case "auto", "date", "date_", "date_day", "date_week", "date_month", "date_quarter", "date_year":
		return true
	}
	return false
}
