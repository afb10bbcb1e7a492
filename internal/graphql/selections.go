package graphql

import (
	"strings"
)

// outKind is an output type of spec §2.
type outKind uint8

const (
	oQuery outKind = iota
	oList
	oModel
	oAttrs
	oPagination
	oScalar
	oIntrospection // __Type, __Schema...: not validated further
)

type outType struct {
	kind outKind
	t    *Table
	name string // scalar name
	list bool
}

func (o outType) Name() string {
	var n string
	switch o.kind {
	case oQuery:
		n = "Query"
	case oList:
		n = "Model" + o.t.Name + "ModelListType"
	case oModel:
		n = "Model" + o.t.Name + "ModelType"
	case oAttrs:
		n = "Model" + o.t.Name + "RecordAttrsType"
	case oPagination:
		n = "PaginationResponseType"
	default:
		n = o.name
	}
	if o.list {
		return "[" + n + "]"
	}
	return n
}

func (o outType) leaf() bool { return o.kind == oScalar }

// fieldNames lists the fields of an object type (for suggestions).
func (x *exec) fieldNames(o outType) []string {
	switch o.kind {
	case oQuery:
		return x.s.rootOrder
	case oList:
		return []string{"data", "pagination"}
	case oModel:
		return []string{"attrs", "allAttrs", "lookups"}
	case oAttrs:
		out := make([]string, len(o.t.Cols))
		for i, c := range o.t.Cols {
			out[i] = c.Name
		}
		return out
	case oPagination:
		return []string{"count", "limit", "offset", "page", "hasMore"}
	}
	return nil
}

// fieldType resolves a field of an object type.
func (x *exec) fieldType(o outType, name string) (outType, bool) {
	if name == "__typename" {
		return outType{kind: oScalar, name: "String"}, true
	}
	switch o.kind {
	case oQuery:
		if name == "__type" || name == "__schema" {
			return outType{kind: oIntrospection, name: name}, true
		}
		if t := x.s.Root(name); t != nil {
			return outType{kind: oList, t: t}, true
		}
	case oList:
		switch name {
		case "data":
			return outType{kind: oModel, t: o.t, list: true}, true
		case "pagination":
			return outType{kind: oPagination}, true
		}
	case oModel:
		switch name {
		case "attrs":
			return outType{kind: oAttrs, t: o.t}, true
		case "allAttrs":
			return outType{kind: oScalar, name: "RawScalar"}, true
		case "lookups":
			return outType{kind: oScalar, name: "RawScalar", list: true}, true
		}
	case oAttrs:
		if o.t.Col(name) != nil {
			return outType{kind: oScalar, name: "RawScalar"}, true
		}
	case oPagination:
		switch name {
		case "count", "limit", "offset", "page":
			return outType{kind: oScalar, name: "Int"}, true
		case "hasMore":
			return outType{kind: oScalar, name: "Boolean"}, true
		}
	}
	return outType{}, false
}

func (o outType) typeName() string {
	c := o
	c.list = false
	return c.Name()
}

// validateQuery checks selections and arguments as graphql-core 2's
// validation rules do, collecting every error.
func (x *exec) validateQuery(fields []*Field, errs *[]string) {
	x.validateSel(outType{kind: oQuery}, fields, errs, 0)
}

func (x *exec) validateSel(o outType, fields []*Field, errs *[]string, depth int) {
	if depth > MaxDepth {
		return
	}
	for _, f := range fields {
		ft, ok := x.fieldType(o, f.Name)
		if !ok {
			*errs = append(*errs, `Cannot query field "`+f.Name+`" on type "`+o.typeName()+`".`+suggest(f.Name, x.fieldNames(o)))
			continue
		}
		x.validateArgs(o, ft, f, errs)
		if ft.kind == oIntrospection {
			continue
		}
		if ft.leaf() || f.Name == "__typename" {
			if f.HasSel {
				*errs = append(*errs, `Field "`+f.Name+`" of type "`+ft.Name()+`" must not have a sub selection.`)
			}
			continue
		}
		if !f.HasSel {
			*errs = append(*errs, `Field "`+f.Name+`" of type "`+ft.Name()+`" must have a sub selection.`)
			continue
		}
		x.validateSel(ft, x.collect(fieldSel(f), ft.typeName()), errs, depth+1)
	}
}

func fieldSel(f *Field) []*Selection { return f.Sel }

func (x *exec) validateArgs(parent, ft outType, f *Field, errs *[]string) {
	var defs []inField
	if parent.kind == oQuery && ft.kind == oList {
		defs = rootArgs(ft.t)
	} else if ft.kind == oIntrospection && f.Name == "__type" {
		defs = []inField{{"name", inType{kind: inString}}}
	}
	names := make([]string, len(defs))
	for i, d := range defs {
		names[i] = d.name
	}
	for _, a := range f.Args {
		var def *inField
		for i := range defs {
			if defs[i].name == a.Name {
				def = &defs[i]
			}
		}
		if def == nil {
			*errs = append(*errs, `Unknown argument "`+a.Name+`" on field "`+f.Name+`" of type "`+parent.typeName()+`".`+suggest(a.Name, names))
			continue
		}
		v := substitute(a.Value, x.vars)
		if e := x.s.literalErrors(def.typ, v); len(e) > 0 {
			*errs = append(*errs, `Argument "`+a.Name+`" has invalid value `+printValue(a.Value)+".\n"+strings.Join(e, "\n"))
		}
	}
}
