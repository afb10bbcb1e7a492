package graphql

import (
	"github.com/jetbridge/jetbridge/internal/record"
)

// introspect answers __type(name:) for the generated input and output
// types, and a minimal __schema.
func (x *exec) introspect(b []byte, f *Field) ([]byte, error) {
	if f.Name == "__schema" {
		return x.writeObj(b, f.Sel, func(b []byte, g *Field) []byte {
			switch g.Name {
			case "directives":
				return append(b, "[]"...)
			case "queryType":
				return x.writeObj(b, g.Sel, func(b []byte, h *Field) []byte {
					if h.Name == "name" {
						return record.AppendString(b, "Query")
					}
					return append(b, "null"...)
				})
			}
			return append(b, "null"...)
		}), nil
	}
	name := ""
	if v := x.argValue(f, "name"); v != nil {
		name = v.Raw
	}
	ty := x.findType(name)
	if ty == nil {
		return append(b, "null"...), nil
	}
	return x.writeType(b, f.Sel, ty), nil
}

// typeDesc is a type as introspection shows it.
type typeDesc struct {
	name string
	kind string // SCALAR, OBJECT, INPUT_OBJECT, ENUM, LIST
	of   *typeDesc
	in   *inType
	out  *outType
	enum []string
}

func (x *exec) findType(name string) *typeDesc {
	switch name {
	case "RawScalar", "Int", "String", "Boolean":
		return &typeDesc{name: name, kind: "SCALAR"}
	case "AggregateFuncType":
		return &typeDesc{name: name, kind: "ENUM", enum: aggFuncs}
	case "Query":
		o := outType{kind: oQuery}
		return &typeDesc{name: name, kind: "OBJECT", out: &o}
	case "PaginationResponseType":
		o := outType{kind: oPagination}
		return &typeDesc{name: name, kind: "OBJECT", out: &o}
	case "PaginationType", "SearchType", "FieldSortType", "AggregateType", "LookupsFieldType":
		k := map[string]inKind{"PaginationType": inPagination, "SearchType": inSearch, "FieldSortType": inFieldSort,
			"AggregateType": inAggregate, "LookupsFieldType": inFieldLk}[name]
		it := inType{kind: k}
		return &typeDesc{name: name, kind: "INPUT_OBJECT", in: &it}
	}
	for _, lk := range []lookupKind{lkText, lkSelect, lkBoolean, lkNumber, lkDatetime, lkJSON, lkBinary, lkGeography} {
		if name == "Lookups"+string(lk)+"FiltersType" {
			it := inType{kind: inLookups, lk: lk}
			return &typeDesc{name: name, kind: "INPUT_OBJECT", in: &it}
		}
	}
	// Model<T>...: try every root table whose name prefixes the rest
	if len(name) > 5 && name[:5] == "Model" {
		rest := name[5:]
		for _, rn := range x.s.rootOrder {
			if len(rest) <= len(rn) || rest[:len(rn)] != rn {
				continue
			}
			t := x.s.Root(rn)
			suffix := rest[len(rn):]
			switch suffix {
			case "ModelListType":
				o := outType{kind: oList, t: t}
				return &typeDesc{name: name, kind: "OBJECT", out: &o}
			case "ModelType":
				o := outType{kind: oModel, t: t}
				return &typeDesc{name: name, kind: "OBJECT", out: &o}
			case "RecordAttrsType":
				o := outType{kind: oAttrs, t: t}
				return &typeDesc{name: name, kind: "OBJECT", out: &o}
			case "FiltersType":
				it := inType{kind: inFilters, t: t}
				return &typeDesc{name: name, kind: "INPUT_OBJECT", in: &it}
			case "LookupsType":
				it := inType{kind: inLookupsT, t: t}
				return &typeDesc{name: name, kind: "INPUT_OBJECT", in: &it}
			case "SortType":
				it := inType{kind: inSort, t: t}
				return &typeDesc{name: name, kind: "INPUT_OBJECT", in: &it}
			}
			for _, c := range t.Cols {
				if c.FK == nil {
					continue
				}
				if suffix == "Column"+c.Name+"FiltersType" {
					it := inType{kind: inColFilters, t: t, c: c}
					return &typeDesc{name: name, kind: "INPUT_OBJECT", in: &it}
				}
				if suffix == "Column"+c.Name+"LookupsFieldType" {
					it := inType{kind: inColLk, t: t, c: c}
					return &typeDesc{name: name, kind: "INPUT_OBJECT", in: &it}
				}
			}
			for _, r := range t.Rels {
				if suffix == "Relation"+r.Name+"RelationshipType" {
					it := inType{kind: inRelFilters, t: t, r: r}
					return &typeDesc{name: name, kind: "INPUT_OBJECT", in: &it}
				}
				if suffix == "Relation"+r.Name+"LookupsRelationshipType" {
					it := inType{kind: inRelLk, t: t, r: r}
					return &typeDesc{name: name, kind: "INPUT_OBJECT", in: &it}
				}
			}
		}
	}
	return nil
}

func inDesc(it inType) *typeDesc {
	if it.list {
		e := it.elem()
		return &typeDesc{kind: "LIST", of: inDesc(e)}
	}
	d := &typeDesc{name: it.Name(), in: &it}
	switch {
	case it.kind == inAggFunc:
		d.kind, d.enum = "ENUM", aggFuncs
	case it.scalar():
		d.kind = "SCALAR"
	default:
		d.kind = "INPUT_OBJECT"
	}
	return d
}

func outDesc(o outType) *typeDesc {
	if o.list {
		e := o
		e.list = false
		return &typeDesc{kind: "LIST", of: outDesc(e)}
	}
	d := &typeDesc{name: o.Name(), out: &o}
	if o.kind == oScalar {
		d.kind = "SCALAR"
	} else {
		d.kind = "OBJECT"
	}
	return d
}

func (x *exec) writeObj(b []byte, sel []*Selection, fn func(b []byte, g *Field) []byte) []byte {
	b = append(b, '{')
	for i, g := range x.collect(sel, "") {
		if i > 0 {
			b = append(b, ',')
		}
		b = record.AppendString(b, g.Key())
		b = append(b, ':')
		b = fn(b, g)
	}
	return append(b, '}')
}

func (x *exec) writeType(b []byte, sel []*Selection, d *typeDesc) []byte {
	if d == nil {
		return append(b, "null"...)
	}
	return x.writeObj(b, sel, func(b []byte, g *Field) []byte {
		switch g.Name {
		case "__typename":
			return record.AppendString(b, "__Type")
		case "name":
			if d.kind == "LIST" {
				return append(b, "null"...)
			}
			return record.AppendString(b, d.name)
		case "kind":
			return record.AppendString(b, d.kind)
		case "ofType":
			return x.writeType(b, g.Sel, d.of)
		case "description":
			return append(b, "null"...)
		case "inputFields":
			if d.kind != "INPUT_OBJECT" || d.in == nil {
				return append(b, "null"...)
			}
			b = append(b, '[')
			for i, f := range x.s.fields(*d.in) {
				if i > 0 {
					b = append(b, ',')
				}
				b = x.writeValueDesc(b, g.Sel, f.name, inDesc(f.typ))
			}
			return append(b, ']')
		case "fields":
			if d.kind != "OBJECT" || d.out == nil {
				return append(b, "null"...)
			}
			b = append(b, '[')
			for i, n := range x.fieldNames(*d.out) {
				if i > 0 {
					b = append(b, ',')
				}
				ft, _ := x.fieldType(*d.out, n)
				var args []inField
				if d.out.kind == oQuery && ft.kind == oList {
					args = rootArgs(ft.t)
				}
				b = x.writeFieldDesc(b, g.Sel, n, outDesc(ft), args)
			}
			return append(b, ']')
		case "enumValues":
			if d.kind != "ENUM" {
				return append(b, "null"...)
			}
			b = append(b, '[')
			for i, e := range d.enum {
				if i > 0 {
					b = append(b, ',')
				}
				b = x.writeObj(b, g.Sel, func(b []byte, h *Field) []byte {
					if h.Name == "name" {
						return record.AppendString(b, e)
					}
					if h.Name == "isDeprecated" {
						return append(b, "false"...)
					}
					return append(b, "null"...)
				})
			}
			return append(b, ']')
		case "interfaces", "possibleTypes":
			if d.kind == "OBJECT" && g.Name == "interfaces" {
				return append(b, "[]"...)
			}
			return append(b, "null"...)
		}
		return append(b, "null"...)
	})
}

// writeFieldDesc writes a __Field (with its arguments).
func (x *exec) writeFieldDesc(b []byte, sel []*Selection, name string, t *typeDesc, args []inField) []byte {
	return x.writeObj(b, sel, func(b []byte, h *Field) []byte {
		switch h.Name {
		case "args":
			b = append(b, '[')
			for i, a := range args {
				if i > 0 {
					b = append(b, ',')
				}
				b = x.writeValueDesc(b, h.Sel, a.name, inDesc(a.typ))
			}
			return append(b, ']')
		case "__typename":
			return record.AppendString(b, "__Field")
		}
		return x.valueDescField(b, h, name, t)
	})
}

func (x *exec) writeValueDesc(b []byte, sel []*Selection, name string, t *typeDesc) []byte {
	return x.writeObj(b, sel, func(b []byte, h *Field) []byte { return x.valueDescField(b, h, name, t) })
}

// valueDescField writes one field of a __Field or __InputValue.
func (x *exec) valueDescField(b []byte, h *Field, name string, t *typeDesc) []byte {
	{
		switch h.Name {
		case "name":
			return record.AppendString(b, name)
		case "type":
			return x.writeType(b, h.Sel, t)
		case "args":
			return append(b, "[]"...)
		case "isDeprecated":
			return append(b, "false"...)
		}
		return append(b, "null"...)
	}
}
