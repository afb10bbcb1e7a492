package graphql

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/jetbridge/jetbridge/internal/query"
	"github.com/jetbridge/jetbridge/internal/record"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// lkNode is one key of a lookups object (spec §5).
type lkNode struct {
	key     string
	col     *Col // column key
	rel     *Rel // one-to-many key
	ret     bool
	retList bool
	hasSub  bool
	sub     []*lkNode
	subPath *lkPath
	agg     *lkAgg
	path    *lkPath // where the node's rows are (nil: the root row)
}

type lkAgg struct {
	fn      string
	attr    *schema.Column
	unknown bool
	path    *lkPath
}

// lkPath is a chain of relation hops from the root table; its rows come
// from one statement for the whole page.
type lkPath struct {
	key  string
	hops []query.Hop
	cols []*schema.Column
	idx  map[*schema.Column]int
}

type lookupPlan struct {
	objs  [][]*lkNode
	paths map[string]*lkPath
	order []*lkPath
	aggs  []*lkAgg
}

func (p *lookupPlan) rootCols() []*schema.Column {
	var out []*schema.Column
	for _, o := range p.objs {
		for _, n := range o {
			if n.col != nil {
				out = append(out, n.col.C)
			}
		}
	}
	for _, pth := range p.order {
		out = append(out, pth.hops[0].Local)
	}
	for _, a := range p.aggs {
		out = append(out, a.path.hops[0].Local)
	}
	return out
}

func (p *lookupPlan) path(parent *lkPath, h query.Hop) *lkPath {
	var hops []query.Hop
	key := ""
	if parent != nil {
		hops = append(hops, parent.hops...)
		key = parent.key
	}
	hops = append(hops, h)
	key += fmt.Sprintf("|%p>%p=%p", h.Local, h.Target, h.Remote)
	if x := p.paths[key]; x != nil {
		return x
	}
	x := &lkPath{key: key, hops: hops, idx: map[*schema.Column]int{}}
	p.paths[key] = x
	return x
}

func (pth *lkPath) need(c *schema.Column) {
	if _, ok := pth.idx[c]; !ok {
		pth.idx[c] = len(pth.cols)
		pth.cols = append(pth.cols, c)
	}
}

func (x *exec) parseLookups(t *Table, v *Value, touched map[string]bool) (lookupPlan, error) {
	p := lookupPlan{paths: map[string]*lkPath{}}
	for _, obj := range listOf(v) {
		if obj.Kind != ValObject {
			continue
		}
		nodes, err := x.lookupNodes(&p, t, obj, nil, 0, touched)
		if err != nil {
			return p, err
		}
		p.objs = append(p.objs, nodes)
	}
	for _, pth := range p.paths {
		if len(pth.cols) > 0 {
			p.order = append(p.order, pth)
		}
	}
	return p, nil
}

func (x *exec) lookupNodes(p *lookupPlan, t *Table, obj *Value, at *lkPath, depth int, touched map[string]bool) ([]*lkNode, error) {
	if depth > MaxLookupDepth+1 {
		return nil, &execError{"lookups are nested too deeply"}
	}
	var out []*lkNode
	for _, f := range obj.Fields {
		if f.Value == nil || f.Value.Kind != ValObject {
			continue
		}
		n := &lkNode{key: f.Name, path: at}
		if c := t.Col(f.Name); c != nil {
			n.col = c
			n.ret = boolField(f.Value, "return")
			n.retList = boolField(f.Value, "returnList")
			if n.ret && at != nil {
				at.need(c.C)
			}
			if sub := f.Value.Field("relation"); sub != nil && sub.Kind == ValObject && c.FK != nil {
				target := x.s.table(c.FK.Target)
				touched[target.M.Name] = true
				n.hasSub = true
				n.subPath = p.path(at, query.Hop{Local: c.C, Target: c.FK.Target, Remote: c.FK.Remote})
				var err error
				if n.sub, err = x.lookupNodes(p, target, sub, n.subPath, depth+1, touched); err != nil {
					return nil, err
				}
			}
		} else if r := t.Rel(f.Name); r != nil {
			n.rel = r
			target := x.s.table(r.Target)
			touched[target.M.Name] = true
			hopPath := p.path(at, query.Hop{Local: r.Local, Target: r.Target, Remote: r.Remote})
			if av := f.Value.Field("aggregate"); av != nil && av.Kind == ValObject {
				fv := av.Field("func")
				if fv == nil || fv.Kind == ValNull {
					return nil, &execError{"'func'"}
				}
				a := &lkAgg{fn: fv.Raw, path: hopPath}
				switch a.fn {
				case "Count", "Sum", "Min", "Max", "Avg":
				default:
					return nil, &execError{"Unknown aggregate function: " + fv.Raw}
				}
				if at := av.Field("attr"); at != nil && at.Kind != ValNull {
					a.attr = r.Target.Column(at.Raw)
					a.unknown = a.attr == nil
				} else {
					a.attr = r.Target.PK()
				}
				n.agg = a
				if !a.unknown {
					p.aggs = append(p.aggs, a)
				}
			}
			if sub := f.Value.Field("relation"); sub != nil && sub.Kind == ValObject {
				n.hasSub = true
				n.subPath = hopPath
				var err error
				if n.sub, err = x.lookupNodes(p, target, sub, hopPath, depth+1, touched); err != nil {
					return nil, err
				}
			}
		} else {
			continue
		}
		out = append(out, n)
	}
	return out, nil
}

func boolField(v *Value, name string) bool {
	f := v.Field(name)
	return f != nil && f.Kind == ValBool && f.Bool
}

// lookupResults holds the rows per path and the aggregates, by root key.
type lookupResults struct {
	rows map[*lkPath]map[string][]row
	aggs map[*lkAgg]map[string][]byte
}

// keyOf normalises a key value so that the root's column and the related
// column compare equal.
func keyOf(v any) (string, bool) {
	switch t := v.(type) {
	case nil:
		return "", false
	case []byte:
		return string(t), true
	case string:
		return t, true
	case int64:
		return strconv.FormatInt(t, 10), true
	case float64:
		if t == float64(int64(t)) {
			return strconv.FormatInt(int64(t), 10), true
		}
		return strconv.FormatFloat(t, 'g', -1, 64), true
	case time.Time:
		return t.UTC().Format(time.RFC3339Nano), true
	}
	return fmt.Sprint(v), true
}

// runLookups runs one statement per path and per aggregate for the page.
func (x *exec) runLookups(ctx context.Context, p lookupPlan, rows []row, colIdx map[*schema.Column]int) (*lookupResults, error) {
	res := &lookupResults{rows: map[*lkPath]map[string][]row{}, aggs: map[*lkAgg]map[string][]byte{}}
	keysFor := func(c *schema.Column) []any {
		seen := map[string]bool{}
		var out []any
		for _, r := range rows {
			v := r.vals[colIdx[c]]
			k, ok := keyOf(v)
			if !ok || seen[k] {
				continue
			}
			seen[k] = true
			if b, isB := v.([]byte); isB {
				v = string(b)
			}
			out = append(out, v)
		}
		return out
	}
	d := x.env.DB.Dialect
	for _, pth := range p.order {
		keys := keysFor(pth.hops[0].Local)
		m := map[string][]row{}
		res.rows[pth] = m
		if len(keys) == 0 {
			continue
		}
		stmt, args := query.GraphFetchSQL(d, pth.hops, keys, pth.cols)
		got, err := x.fetch(ctx, stmt, args, 1, pth.cols, true)
		if err != nil {
			return nil, err
		}
		for _, r := range got {
			k, _ := keyOf(r.vals[0])
			m[k] = append(m[k], r)
		}
	}
	for _, a := range p.aggs {
		keys := keysFor(a.path.hops[0].Local)
		m := map[string][]byte{}
		res.aggs[a] = m
		if len(keys) == 0 {
			continue
		}
		stmt, args := query.GraphAggregateSQL(d, a.path.hops, keys, a.fn, a.attr)
		got, err := x.fetch(ctx, stmt, args, 2, nil, true)
		if err != nil {
			return nil, err
		}
		for _, r := range got {
			k, _ := keyOf(r.vals[0])
			m[k] = aggJSON(r.vals[1], a.fn == "Count", aggScale(a))
		}
	}
	return res, nil
}

// aggScale is the decimal scale Sum, Min and Max results are rounded to
// (a DECIMAL column whose engine sums in binary floating point: SQLite);
// -1 for none.
func aggScale(a *lkAgg) int {
	if a.attr == nil || a.attr.Kind != schema.KindDecimal || a.fn == "Count" || a.fn == "Avg" {
		return -1
	}
	return record.DecimalScale(a.attr)
}

// aggJSON writes an aggregate as a JSON number.
func aggJSON(v any, count bool, scale int) []byte {
	if f, ok := v.(float64); ok && scale >= 0 {
		p := math.Pow(10, float64(scale))
		v = math.Round(f*p) / p
	}
	var s string
	switch t := v.(type) {
	case nil:
		return []byte("null")
	case int64:
		return strconv.AppendInt(nil, t, 10)
	case float64:
		return record.AppendFloat(nil, t, 64)
	case []byte:
		s = string(t)
	case string:
		s = t
	default:
		s = fmt.Sprint(t)
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return strconv.AppendInt(nil, n, 10)
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if count {
			return strconv.AppendInt(nil, int64(f), 10)
		}
		return record.AppendFloat(nil, f, 64)
	}
	return record.AppendString(nil, s)
}

func (x *exec) writeLookups(b []byte, p lookupPlan, res *lookupResults, r row, colIdx map[*schema.Column]int) []byte {
	b = append(b, '[')
	for i, obj := range p.objs {
		if i > 0 {
			b = append(b, ',')
		}
		b = x.writeNodes(b, obj, res, r, colIdx)
	}
	return append(b, ']')
}

// writeNodes writes one lookups object for the root row r.
func (x *exec) writeNodes(b []byte, nodes []*lkNode, res *lookupResults, r row, colIdx map[*schema.Column]int) []byte {
	b = append(b, '{')
	for i, n := range nodes {
		if i > 0 {
			b = append(b, ',')
		}
		b = record.AppendString(b, n.key)
		b = append(b, ":{"...)
		parts := 0
		sep := func() {
			if parts > 0 {
				b = append(b, ',')
			}
			parts++
		}
		if n.col != nil && n.ret {
			sep()
			b = append(b, `"value":`...)
			vals := x.reached(n, res, r, colIdx)
			switch {
			case n.retList:
				b = append(b, '[')
				for j, v := range vals {
					if j > 0 {
						b = append(b, ',')
					}
					b = append(b, v...)
				}
				b = append(b, ']')
			case len(vals) > 0:
				b = append(b, vals[0]...)
			default:
				b = append(b, "null"...)
			}
		}
		if n.hasSub {
			sep()
			b = append(b, `"related":`...)
			b = x.writeNodes(b, n.sub, res, r, colIdx)
		}
		if n.agg != nil && !n.agg.unknown {
			sep()
			b = append(b, `"aggregated":`...)
			v := []byte("0")
			if res != nil {
				if k, ok := keyOf(r.vals[colIdx[n.agg.path.hops[0].Local]]); ok {
					if got, ok := res.aggs[n.agg][k]; ok && string(got) != "null" {
						v = got
					}
				}
			}
			b = append(b, v...)
		}
		b = append(b, '}')
	}
	return append(b, '}')
}

// reached is the encoded values of a column node over the rows its path
// reaches from the root row.
func (x *exec) reached(n *lkNode, res *lookupResults, r row, colIdx map[*schema.Column]int) [][]byte {
	if n.path == nil {
		return [][]byte{r.enc[colIdx[n.col.C]]}
	}
	if res == nil {
		return nil
	}
	k, ok := keyOf(r.vals[colIdx[n.path.hops[0].Local]])
	if !ok {
		return nil
	}
	rows := res.rows[n.path][k]
	out := make([][]byte, 0, len(rows))
	i := n.path.idx[n.col.C]
	for _, rr := range rows {
		out = append(out, rr.enc[i])
	}
	return out
}
