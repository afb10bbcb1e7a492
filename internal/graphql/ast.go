// Package graphql serves the read-only GraphQL API of spec graphql.md: a
// parser for GraphQL query documents, the per-table type system generated
// from the reflected models (lazily, per table), validation with the
// graphql-core 2 messages the Jet Admin frontend is used to, and an executor
// that turns one root field into a few SQL statements built by
// internal/query (one per page, count, and relation level of the lookups).
package graphql

// Document is a parsed GraphQL document.
type Document struct {
	Ops   []*Operation
	Frags map[string]*Fragment
}

// Operation is one query, mutation or subscription definition.
type Operation struct {
	Kind string // "query", "mutation", "subscription"
	Name string
	Vars []*VarDef
	Sel  []*Selection
}

// VarDef declares a variable.
type VarDef struct {
	Name    string
	Type    string // the type as written, e.g. "Int!"
	Default *Value
}

// Fragment is a named fragment definition.
type Fragment struct {
	Name string
	On   string
	Sel  []*Selection
}

// Selection is a field, a fragment spread or an inline fragment.
type Selection struct {
	Field  *Field
	Spread string // fragment name
	On     string // inline fragment type condition ("" for none)
	Inline []*Selection
	inline bool
}

// Field is one selected field.
type Field struct {
	Alias     string
	Name      string
	Args      []*Arg
	Sel       []*Selection
	HasSel    bool
	Line, Col int
}

// Key is the response key of the field.
func (f *Field) Key() string {
	if f.Alias != "" {
		return f.Alias
	}
	return f.Name
}

// Arg is one argument.
type Arg struct {
	Name  string
	Value *Value
}

// ValueKind is the kind of a literal.
type ValueKind uint8

// Value kinds.
const (
	ValInt ValueKind = iota
	ValFloat
	ValString
	ValBool
	ValEnum
	ValNull
	ValList
	ValObject
	ValVar
)

// Value is an input literal. Raw holds the source text of scalars (the
// string's content for strings).
type Value struct {
	Kind   ValueKind
	Raw    string
	Bool   bool
	List   []*Value
	Fields []*ObjField
}

// ObjField is one field of an object literal.
type ObjField struct {
	Name  string
	Value *Value
}

// Field returns the object field named name, or nil.
func (v *Value) Field(name string) *Value {
	if v == nil || v.Kind != ValObject {
		return nil
	}
	var out *Value
	for _, f := range v.Fields {
		if f.Name == name {
			out = f.Value
		}
	}
	return out
}
