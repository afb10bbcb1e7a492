package query

import (
	"strconv"
	"strings"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// MaxRelationHops is the most tables a _relation may go through: each hop
// is a nested semi-join, and the frontend's relations are a few hops long.
const MaxRelationHops = 8

// relation is _relation=<local>.<table>.<remote>|…|<column>.<v1>,<v2> (§9.4):
// rows whose chain of hops reaches a row of the last table whose <column> is
// one of the values. Every table and column is checked against the schema.
// It is written as nested IN (SELECT …) semi-joins, so rows are never
// duplicated by one-to-many hops. Values may contain dots (upstream: not).
func (q *Query) relation(v string) (cond, error) {
	s := q.opts.Schema
	if s == nil {
		return nil, apierr.NonField("_relation is not available here")
	}
	if n := strings.Count(v, "|"); n > MaxRelationHops {
		return nil, apierr.NonField("_relation has " + strconv.Itoa(n) + " hops: at most " + strconv.Itoa(MaxRelationHops))
	}
	parts := strings.Split(v, "|")
	cur := q.Model
	hops := make([]Hop, 0, len(parts)-1)
	for _, h := range parts[:len(parts)-1] {
		i, j := strings.Index(h, "."), strings.LastIndex(h, ".")
		if i <= 0 || j <= i+1 || j == len(h)-1 {
			return nil, apierr.NonField("_relation hop \"" + h + "\" is not <column>.<table>.<column>")
		}
		local := cur.Column(h[:i])
		if local == nil {
			return nil, unknownColumn(cur, h[:i])
		}
		tm := s.Model(h[i+1 : j])
		if tm == nil {
			return nil, apierr.NonField("_relation: unknown table \"" + h[i+1:j] + "\"")
		}
		remote := tm.Column(h[j+1:])
		if remote == nil {
			return nil, unknownColumn(tm, h[j+1:])
		}
		hops = append(hops, Hop{Local: local, Target: tm, Remote: remote})
		q.joined = append(q.joined, tm)
		cur = tm
	}
	last := parts[len(parts)-1]
	name, list, ok := strings.Cut(last, ".")
	if !ok || name == "" {
		return nil, apierr.NonField("_relation must end with <column>.<value>[,<value>…]")
	}
	col := cur.Column(name)
	if col == nil {
		return nil, unknownColumn(cur, name)
	}
	if col.Kind == schema.KindJSON || col.Kind == schema.KindArray {
		return nil, apierr.NonField("_relation cannot compare JSON column \"" + name + "\"")
	}
	values := strings.Split(list, ",")
	if len(values) > MaxInValues {
		return nil, apierr.Field(col.Name, "too many values: at most "+strconv.Itoa(MaxInValues))
	}
	args, err := q.bindList(col, values)
	if err != nil {
		return nil, err
	}
	if len(args) == 0 {
		return constCond(falseSQL), nil
	}
	f := Filter{Column: col, Path: hops}
	return f.wrap(func(b *builder) { b.in(col, args, restStyle) }, restStyle), nil
}

// bindList parses values for column c; integers that are not whole match nothing.
func (q *Query) bindList(c *schema.Column, values []string) ([]any, error) {
	args := make([]any, 0, len(values))
	for _, v := range values {
		if c.Kind == schema.KindInteger {
			n, ok, err := intValue(c, v)
			if err != nil {
				return nil, err
			}
			if ok {
				args = append(args, n)
			}
			continue
		}
		a, err := q.bindValue(c, v)
		if err != nil {
			return nil, err
		}
		args = append(args, a)
	}
	return args, nil
}

// m2m is _m2m=<table>,<value> (§9.4): rows linked to the row of <table> with
// key <value> through an association table, i.e. a table with a foreign key
// to this model and one to <table> (the first such table by name). When no
// table links them, nothing matches, as upstream.
func (q *Query) m2m(v string) (cond, error) {
	s := q.opts.Schema
	if s == nil {
		return nil, apierr.NonField("_m2m is not available here")
	}
	table, value, ok := strings.Cut(v, ",")
	if !ok || table == "" || value == "" {
		return nil, apierr.NonField("_m2m must be <table>,<value>")
	}
	target := s.Model(table)
	if target == nil {
		return nil, apierr.NonField("_m2m: unknown table \"" + table + "\"")
	}
	for _, j := range s.Models {
		own, other := associationColumns(j, q.Model, target)
		if own == nil {
			continue
		}
		local := q.Model.Column(own.ForeignKey.RefColumn)
		if local == nil {
			continue
		}
		q.joined = append(q.joined, j)
		args, err := q.bindList(other, []string{value})
		if err != nil {
			return nil, err
		}
		if len(args) == 0 {
			return constCond(falseSQL), nil
		}
		f := Filter{Column: other, Path: []Hop{{Local: local, Target: j, Remote: own}}}
		v := args[0]
		return f.wrap(func(b *builder) { b.compare(other, lkExact, v, restStyle) }, restStyle), nil
	}
	return constCond(falseSQL), nil
}

// associationColumns finds in j a foreign key to m and a different one to t.
func associationColumns(j, m, t *schema.Model) (own, other *schema.Column) {
	for _, c := range j.Columns {
		if c.ForeignKey == nil {
			continue
		}
		if own == nil && c.ForeignKey.RefModel == m.Name {
			own = c
			continue
		}
		if other == nil && c.ForeignKey.RefModel == t.Name {
			other = c
		}
	}
	if own == nil || other == nil {
		return nil, nil
	}
	return own, other
}
