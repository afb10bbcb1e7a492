package graphql

import (
	"fmt"
	"unicode/utf8"
)

// Limits of a document: bytes, tokens and nesting, so a hostile query cannot
// make the parser or validator work without bound.
const (
	MaxQueryBytes = 64 << 10
	MaxTokens     = 20000
	MaxDepth      = 32
	// MaxRootFields bounds the tables one request reads (aliases count).
	MaxRootFields = 20
	// MaxFilterConditions bounds the conditions of one root field.
	MaxFilterConditions = 200
	// MaxLookupStatements bounds the statements the lookups of one root
	// field run (one per relation path and per aggregate).
	MaxLookupStatements = 20
)

// SyntaxError is a parse error, formatted as graphql-core 2 does.
type SyntaxError struct{ Msg string }

func (e *SyntaxError) Error() string { return e.Msg }

type parser struct {
	src    string
	tok    token
	pos    int
	tokens int
	depth  int
}

// Parse parses a GraphQL document.
func Parse(src string) (*Document, error) {
	if len(src) > MaxQueryBytes {
		return nil, &SyntaxError{Msg: fmt.Sprintf("The query is longer than %d bytes", MaxQueryBytes)}
	}
	p := &parser{src: src}
	if err := p.next(); err != nil {
		return nil, err
	}
	doc := &Document{Frags: map[string]*Fragment{}}
	for {
		if p.tok.kind == tEOF {
			if len(doc.Ops) == 0 && len(doc.Frags) == 0 {
				return nil, p.unexpected()
			}
			return doc, nil
		}
		switch {
		case p.isPunct("{"):
			sel, err := p.selectionSet()
			if err != nil {
				return nil, err
			}
			doc.Ops = append(doc.Ops, &Operation{Kind: "query", Sel: sel})
		case p.tok.kind == tName && (p.tok.val == "query" || p.tok.val == "mutation" || p.tok.val == "subscription"):
			op, err := p.operation()
			if err != nil {
				return nil, err
			}
			doc.Ops = append(doc.Ops, op)
		case p.tok.kind == tName && p.tok.val == "fragment":
			fr, err := p.fragment()
			if err != nil {
				return nil, err
			}
			doc.Frags[fr.Name] = fr
		default:
			return nil, p.unexpected()
		}
	}
}

func (p *parser) isPunct(s string) bool { return p.tok.kind == tPunct && p.tok.val == s }

func (p *parser) unexpected() error { return p.errAt(p.tok.start, "Unexpected "+p.tok.desc()) }

func (p *parser) expect(s string) error {
	if p.isPunct(s) {
		return p.next()
	}
	return p.errAt(p.tok.start, "Expected "+s+", found "+p.tok.desc())
}

func (p *parser) name() (string, error) {
	if p.tok.kind != tName {
		return "", p.errAt(p.tok.start, "Expected Name, found "+p.tok.desc())
	}
	n := p.tok.val
	return n, p.next()
}

func (p *parser) operation() (*Operation, error) {
	op := &Operation{Kind: p.tok.val}
	if err := p.next(); err != nil {
		return nil, err
	}
	if p.tok.kind == tName {
		op.Name = p.tok.val
		if err := p.next(); err != nil {
			return nil, err
		}
	}
	if p.isPunct("(") {
		if err := p.next(); err != nil {
			return nil, err
		}
		for !p.isPunct(")") {
			if err := p.expect("$"); err != nil {
				return nil, err
			}
			n, err := p.name()
			if err != nil {
				return nil, err
			}
			if err := p.expect(":"); err != nil {
				return nil, err
			}
			typ, err := p.typeRef()
			if err != nil {
				return nil, err
			}
			vd := &VarDef{Name: n, Type: typ}
			if p.isPunct("=") {
				if err := p.next(); err != nil {
					return nil, err
				}
				if vd.Default, err = p.value(true); err != nil {
					return nil, err
				}
			}
			op.Vars = append(op.Vars, vd)
		}
		if err := p.next(); err != nil {
			return nil, err
		}
	}
	if err := p.directives(); err != nil {
		return nil, err
	}
	sel, err := p.selectionSet()
	if err != nil {
		return nil, err
	}
	op.Sel = sel
	return op, nil
}

func (p *parser) typeRef() (string, error) {
	var t string
	if p.isPunct("[") {
		if err := p.next(); err != nil {
			return "", err
		}
		inner, err := p.typeRef()
		if err != nil {
			return "", err
		}
		if err := p.expect("]"); err != nil {
			return "", err
		}
		t = "[" + inner + "]"
	} else {
		n, err := p.name()
		if err != nil {
			return "", err
		}
		t = n
	}
	if p.isPunct("!") {
		t += "!"
		if err := p.next(); err != nil {
			return "", err
		}
	}
	return t, nil
}

func (p *parser) fragment() (*Fragment, error) {
	if err := p.next(); err != nil {
		return nil, err
	}
	n, err := p.name()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tName || p.tok.val != "on" {
		return nil, p.errAt(p.tok.start, `Expected "on", found `+p.tok.desc())
	}
	if err := p.next(); err != nil {
		return nil, err
	}
	on, err := p.name()
	if err != nil {
		return nil, err
	}
	if err := p.directives(); err != nil {
		return nil, err
	}
	sel, err := p.selectionSet()
	if err != nil {
		return nil, err
	}
	return &Fragment{Name: n, On: on, Sel: sel}, nil
}

// directives parses and drops directives (@include/@skip are not supported).
func (p *parser) directives() error {
	for p.isPunct("@") {
		if err := p.next(); err != nil {
			return err
		}
		if _, err := p.name(); err != nil {
			return err
		}
		if p.isPunct("(") {
			if _, err := p.arguments(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p *parser) selectionSet() ([]*Selection, error) {
	if err := p.expect("{"); err != nil {
		return nil, err
	}
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > MaxDepth {
		return nil, &SyntaxError{Msg: fmt.Sprintf("The query is nested deeper than %d levels", MaxDepth)}
	}
	var out []*Selection
	for {
		s, err := p.selection()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
		if p.isPunct("}") {
			return out, p.next()
		}
	}
}

func (p *parser) selection() (*Selection, error) {
	if p.isPunct("...") {
		if err := p.next(); err != nil {
			return nil, err
		}
		if p.tok.kind == tName && p.tok.val != "on" {
			n := p.tok.val
			if err := p.next(); err != nil {
				return nil, err
			}
			return &Selection{Spread: n}, p.directives()
		}
		s := &Selection{inline: true}
		if p.tok.kind == tName && p.tok.val == "on" {
			if err := p.next(); err != nil {
				return nil, err
			}
			on, err := p.name()
			if err != nil {
				return nil, err
			}
			s.On = on
		}
		if err := p.directives(); err != nil {
			return nil, err
		}
		sel, err := p.selectionSet()
		if err != nil {
			return nil, err
		}
		s.Inline = sel
		return s, nil
	}
	start := p.tok.start
	n, err := p.name()
	if err != nil {
		return nil, err
	}
	f := &Field{Name: n}
	f.Line, f.Col = p.lineCol(start)
	if p.isPunct(":") {
		if err := p.next(); err != nil {
			return nil, err
		}
		f.Alias = n
		if f.Name, err = p.name(); err != nil {
			return nil, err
		}
	}
	if p.isPunct("(") {
		if f.Args, err = p.arguments(); err != nil {
			return nil, err
		}
	}
	if err := p.directives(); err != nil {
		return nil, err
	}
	if p.isPunct("{") {
		f.HasSel = true
		if f.Sel, err = p.selectionSet(); err != nil {
			return nil, err
		}
	}
	return &Selection{Field: f}, nil
}

func (p *parser) lineCol(pos int) (int, int) {
	line, ls := 1, 0
	for i := 0; i < pos; i++ {
		if p.src[i] == '\n' {
			line++
			ls = i + 1
		}
	}
	return line, utf8.RuneCountInString(p.src[ls:pos]) + 1
}

func (p *parser) arguments() ([]*Arg, error) {
	if err := p.expect("("); err != nil {
		return nil, err
	}
	var out []*Arg
	for {
		n, err := p.name()
		if err != nil {
			return nil, err
		}
		if err := p.expect(":"); err != nil {
			return nil, err
		}
		v, err := p.value(false)
		if err != nil {
			return nil, err
		}
		out = append(out, &Arg{Name: n, Value: v})
		if p.isPunct(")") {
			return out, p.next()
		}
	}
}

func (p *parser) value(isConst bool) (*Value, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > MaxDepth {
		return nil, &SyntaxError{Msg: fmt.Sprintf("The query is nested deeper than %d levels", MaxDepth)}
	}
	t := p.tok
	switch t.kind {
	case tPunct:
		switch t.val {
		case "[":
			if err := p.next(); err != nil {
				return nil, err
			}
			v := &Value{Kind: ValList, List: []*Value{}}
			for !p.isPunct("]") {
				item, err := p.value(isConst)
				if err != nil {
					return nil, err
				}
				v.List = append(v.List, item)
			}
			return v, p.next()
		case "{":
			if err := p.next(); err != nil {
				return nil, err
			}
			v := &Value{Kind: ValObject, Fields: []*ObjField{}}
			for !p.isPunct("}") {
				n, err := p.name()
				if err != nil {
					return nil, err
				}
				if err := p.expect(":"); err != nil {
					return nil, err
				}
				fv, err := p.value(isConst)
				if err != nil {
					return nil, err
				}
				v.Fields = append(v.Fields, &ObjField{Name: n, Value: fv})
			}
			return v, p.next()
		case "$":
			if isConst {
				return nil, p.unexpected()
			}
			if err := p.next(); err != nil {
				return nil, err
			}
			n, err := p.name()
			if err != nil {
				return nil, err
			}
			return &Value{Kind: ValVar, Raw: n}, nil
		}
	case tInt:
		return &Value{Kind: ValInt, Raw: t.val}, p.next()
	case tFloat:
		return &Value{Kind: ValFloat, Raw: t.val}, p.next()
	case tString:
		return &Value{Kind: ValString, Raw: t.val}, p.next()
	case tName:
		switch t.val {
		case "true", "false":
			return &Value{Kind: ValBool, Raw: t.val, Bool: t.val == "true"}, p.next()
		case "null":
			// graphql-core 2 has no null literal; we accept it (spec
			// GraphQL): an explicit null is an absent value.
			return &Value{Kind: ValNull, Raw: "null"}, p.next()
		}
		return &Value{Kind: ValEnum, Raw: t.val}, p.next()
	}
	return nil, p.unexpected()
}
