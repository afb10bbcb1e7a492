package graphql

// inKind names the input types of spec §2.
type inKind uint8

const (
	inRaw inKind = iota
	inInt
	inString
	inBool
	inAggFunc
	inFilters    // Model<T>FiltersType (t, depth)
	inColFilters // Model<T>Column<c>FiltersType: lookups + relation (t, c, depth)
	inLookups    // Lookups<kind>FiltersType (lk)
	inRelFilters // Model<T>Relation<r>RelationshipType (t, r, depth)
	inLookupsT   // Model<T>LookupsType (t, depth)
	inFieldLk    // LookupsFieldType
	inColLk      // Model<T>Column<c>LookupsFieldType (t, c, depth)
	inRelLk      // Model<T>Relation<r>LookupsRelationshipType (t, r, depth)
	inAggregate  // AggregateType
	inSort       // Model<T>SortType
	inFieldSort  // FieldSortType
	inPagination // PaginationType
	inSearch     // SearchType
)

// inType is one input type; list marks [T].
type inType struct {
	kind  inKind
	t     *Table
	c     *Col
	r     *Rel
	lk    lookupKind
	depth int
	list  bool
}

type inField struct {
	name string
	typ  inType
}

var aggFuncs = []string{"Count", "Sum", "Min", "Max", "Avg"}

func (it inType) elem() inType { it.list = false; return it }

// Name is the type's name; lists print as [Name].
func (it inType) Name() string {
	if it.list {
		return "[" + it.elem().Name() + "]"
	}
	switch it.kind {
	case inRaw:
		return "RawScalar"
	case inInt:
		return "Int"
	case inString:
		return "String"
	case inBool:
		return "Boolean"
	case inAggFunc:
		return "AggregateFuncType"
	case inFilters:
		return "Model" + it.t.Name + depthSuffix(it.depth) + "FiltersType"
	case inColFilters:
		return "Model" + it.t.Name + "Column" + it.c.Name + depthSuffix(it.depth) + "FiltersType"
	case inLookups:
		if it.lk == lkFlag {
			return "LookupsnumberFiltersType"
		}
		return "Lookups" + string(it.lk) + "FiltersType"
	case inRelFilters:
		return "Model" + it.t.Name + "Relation" + it.r.Name + depthSuffix(it.depth) + "RelationshipType"
	case inLookupsT:
		return "Model" + it.t.Name + depthSuffix(it.depth) + "LookupsType"
	case inFieldLk:
		return "LookupsFieldType"
	case inColLk:
		return "Model" + it.t.Name + "Column" + it.c.Name + depthSuffix(it.depth) + "LookupsFieldType"
	case inRelLk:
		return "Model" + it.t.Name + "Relation" + it.r.Name + depthSuffix(it.depth) + "LookupsRelationshipType"
	case inAggregate:
		return "AggregateType"
	case inSort:
		return "Model" + it.t.Name + "SortType"
	case inFieldSort:
		return "FieldSortType"
	case inPagination:
		return "PaginationType"
	default:
		return "SearchType"
	}
}

// depthSuffix names nested levels apart (their fields differ); the top
// level carries upstream's plain names.
func depthSuffix(d int) string {
	if d == 0 {
		return ""
	}
	return "Depth" + string(rune('0'+d))
}

func (it inType) scalar() bool {
	return !it.list && (it.kind <= inAggFunc)
}

// fields lists an input object's fields in upstream's order.
func (s *Schema) fields(it inType) []inField {
	switch it.kind {
	case inFilters:
		var out []inField
		for _, c := range it.t.Cols {
			if c.FK != nil && it.depth < MaxFilterDepth {
				out = append(out, inField{c.Name, inType{kind: inColFilters, t: it.t, c: c, depth: it.depth}})
			} else {
				out = append(out, inField{c.Name, inType{kind: inLookups, lk: c.Kind}})
			}
		}
		if it.depth < MaxFilterDepth {
			for _, r := range it.t.Rels {
				out = append(out, inField{r.Name, inType{kind: inRelFilters, t: it.t, r: r, depth: it.depth}})
			}
			out = append(out, inField{"_not_", inType{kind: inFilters, t: it.t, depth: it.depth, list: true}})
		}
		return out
	case inColFilters:
		out := s.fields(inType{kind: inLookups, lk: it.c.Kind})
		target := s.table(it.c.FK.Target)
		return append(out, inField{"relation", inType{kind: inFilters, t: target, depth: it.depth + 1, list: true}})
	case inLookups:
		names := lookupsOf[it.lk]
		out := make([]inField, len(names))
		for i, n := range names {
			t := inType{kind: inRaw}
			if n == "in" {
				t.list = true
			}
			out[i] = inField{n, t}
		}
		return out
	case inRelFilters:
		return []inField{{"relation", inType{kind: inFilters, t: s.table(it.r.Target), depth: it.depth + 1, list: true}}}
	case inLookupsT:
		var out []inField
		for _, c := range it.t.Cols {
			if c.FK != nil && it.depth < MaxLookupDepth {
				out = append(out, inField{c.Name, inType{kind: inColLk, t: it.t, c: c, depth: it.depth}})
			} else {
				out = append(out, inField{c.Name, inType{kind: inFieldLk}})
			}
		}
		if it.depth < MaxLookupDepth {
			for _, r := range it.t.Rels {
				out = append(out, inField{r.Name, inType{kind: inRelLk, t: it.t, r: r, depth: it.depth}})
			}
		}
		return out
	case inFieldLk:
		return []inField{{"return", inType{kind: inBool}}, {"returnList", inType{kind: inBool}}}
	case inColLk:
		return []inField{{"return", inType{kind: inBool}}, {"returnList", inType{kind: inBool}},
			{"relation", inType{kind: inLookupsT, t: s.table(it.c.FK.Target), depth: it.depth + 1}}}
	case inRelLk:
		return []inField{{"aggregate", inType{kind: inAggregate}},
			{"relation", inType{kind: inLookupsT, t: s.table(it.r.Target), depth: it.depth + 1}}}
	case inAggregate:
		return []inField{{"func", inType{kind: inAggFunc}}, {"attr", inType{kind: inString}}}
	case inSort:
		out := make([]inField, len(it.t.Cols))
		for i, c := range it.t.Cols {
			out[i] = inField{c.Name, inType{kind: inFieldSort}}
		}
		return out
	case inFieldSort:
		return []inField{{"descending", inType{kind: inBool}}}
	case inPagination:
		return []inField{{"page", inType{kind: inInt}}, {"offset", inType{kind: inInt}}, {"limit", inType{kind: inInt}}}
	case inSearch:
		return []inField{{"query", inType{kind: inString}}}
	}
	return nil
}

func (s *Schema) field(it inType, name string) (inField, bool) {
	for _, f := range s.fields(it) {
		if f.name == name {
			return f, true
		}
	}
	return inField{}, false
}

// rootArgs are the arguments of every root field.
func rootArgs(t *Table) []inField {
	return []inField{
		{"filters", inType{kind: inFilters, t: t, list: true}},
		{"lookups", inType{kind: inLookupsT, t: t, list: true}},
		{"sort", inType{kind: inSort, t: t, list: true}},
		{"pagination", inType{kind: inPagination}},
		{"search", inType{kind: inSearch}},
	}
}
