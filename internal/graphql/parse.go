package graphql

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits of a document: bytes, tokens and nesting, so a hostile query cannot
// make the parser or validator work without bound.
const (
	MaxQueryBytes = 64 << 10
	MaxTokens     = 20000
	MaxDepth      = 32
)

// SyntaxError is a parse error, formatted as graphql-core 2 does.
type SyntaxError struct{ Msg string }

func (e *SyntaxError) Error() string { return e.Msg }

type tokKind uint8

const (
	tEOF tokKind = iota
	tPunct
	tName
	tInt
	tFloat
	tString
)

type token struct {
	kind  tokKind
	val   string // punctuator text, name, number text, decoded string
	start int    // byte offset
}

func (t token) desc() string {
	switch t.kind {
	case tEOF:
		return "EOF"
	case tPunct:
		return t.val
	case tName:
		return `Name "` + t.val + `"`
	case tInt:
		return `Int "` + t.val + `"`
	case tFloat:
		return `Float "` + t.val + `"`
	default:
		return `String "` + t.val + `"`
	}
}

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

func (p *parser) errAt(pos int, desc string) error {
	line, col := 1, 1
	lineStart := 0
	for i := 0; i < pos && i < len(p.src); i++ {
		if p.src[i] == '\n' || (p.src[i] == '\r' && (i+1 >= len(p.src) || p.src[i+1] != '\n')) {
			line++
			lineStart = i + 1
		}
	}
	col = utf8.RuneCountInString(p.src[lineStart:min(pos, len(p.src))]) + 1
	msg := fmt.Sprintf("Syntax Error GraphQL (%d:%d) %s\n\n", line, col, desc)
	if p.src != "" {
		msg += highlight(p.src, line, col)
	}
	return &SyntaxError{Msg: msg}
}

// highlight is graphql-core 2's highlight_source_at_location.
func highlight(src string, line, col int) string {
	ls := splitLines(src)
	pad := len(strconv.Itoa(line + 1))
	format := func(n int, s string) string {
		return fmt.Sprintf("%*d: %s\n", pad, n, s)
	}
	var sb strings.Builder
	if line >= 2 && line-2 < len(ls) {
		sb.WriteString(format(line-1, ls[line-2]))
	}
	if line <= len(ls) {
		sb.WriteString(format(line, ls[line-1]))
	}
	sb.WriteString(strings.Repeat(" ", 1+pad+col) + "^\n")
	if line < len(ls) {
		sb.WriteString(format(line+1, ls[line]))
	}
	return sb.String()
}

func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	if s == "" {
		return nil
	}
	out := strings.Split(s, "\n")
	if out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

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

// next reads the next token.
func (p *parser) next() error {
	p.tokens++
	if p.tokens > MaxTokens {
		return &SyntaxError{Msg: fmt.Sprintf("The query has more than %d tokens", MaxTokens)}
	}
	s := p.src
	i := p.pos
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',':
			i++
		case c == '#':
			for i < len(s) && s[i] != '\n' && s[i] != '\r' {
				i++
			}
		case c == 0xEF && strings.HasPrefix(s[i:], "\uFEFF"):
			i += 3
		default:
			goto tok
		}
	}
tok:
	if i >= len(s) {
		p.tok = token{kind: tEOF, start: i}
		p.pos = i
		return nil
	}
	c := s[i]
	switch {
	case strings.IndexByte("!$():=@[]{}|&", c) >= 0:
		p.tok = token{kind: tPunct, val: s[i : i+1], start: i}
		p.pos = i + 1
		return nil
	case c == '.':
		if strings.HasPrefix(s[i:], "...") {
			p.tok = token{kind: tPunct, val: "...", start: i}
			p.pos = i + 3
			return nil
		}
		return p.errAt(i, `Unexpected character "."`)
	case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		j := i + 1
		for j < len(s) && (s[j] == '_' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
			j++
		}
		p.tok = token{kind: tName, val: s[i:j], start: i}
		p.pos = j
		return nil
	case c == '-' || c >= '0' && c <= '9':
		return p.number(i)
	case c == '"':
		return p.str(i)
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return p.errAt(i, fmt.Sprintf("Unexpected character %q", string(r)))
}

func (p *parser) number(start int) error {
	s := p.src
	i := start
	isFloat := false
	if s[i] == '-' {
		i++
	}
	digits := func() error {
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			if i >= len(s) {
				return p.errAt(i, "Invalid number, expected digit but got: EOF.")
			}
			r, _ := utf8.DecodeRuneInString(s[i:])
			return p.errAt(i, fmt.Sprintf("Invalid number, expected digit but got: %q.", string(r)))
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return nil
	}
	if i < len(s) && s[i] == '0' {
		i++
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			return p.errAt(i, fmt.Sprintf("Invalid number, unexpected digit after 0: %q.", string(s[i])))
		}
	} else if err := digits(); err != nil {
		return err
	}
	if i < len(s) && s[i] == '.' {
		isFloat = true
		i++
		if err := digits(); err != nil {
			return err
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		isFloat = true
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if err := digits(); err != nil {
			return err
		}
	}
	k := tInt
	if isFloat {
		k = tFloat
	}
	p.tok = token{kind: k, val: s[start:i], start: start}
	p.pos = i
	return nil
}

func (p *parser) str(start int) error {
	s := p.src
	if strings.HasPrefix(s[start:], `"""`) {
		end := strings.Index(s[start+3:], `"""`)
		if end < 0 {
			return p.errAt(len(s), "Unterminated string")
		}
		p.tok = token{kind: tString, val: s[start+3 : start+3+end], start: start}
		p.pos = start + 3 + end + 3
		return nil
	}
	var sb strings.Builder
	i := start + 1
	for {
		if i >= len(s) || s[i] == '\n' || s[i] == '\r' {
			return p.errAt(i, "Unterminated string")
		}
		c := s[i]
		if c == '"' {
			break
		}
		if c != '\\' {
			sb.WriteByte(c)
			i++
			continue
		}
		if i+1 >= len(s) {
			return p.errAt(i, "Unterminated string")
		}
		e := s[i+1]
		switch e {
		case '"', '\\', '/':
			sb.WriteByte(e)
		case 'b':
			sb.WriteByte('\b')
		case 'f':
			sb.WriteByte('\f')
		case 'n':
			sb.WriteByte('\n')
		case 'r':
			sb.WriteByte('\r')
		case 't':
			sb.WriteByte('\t')
		case 'u':
			if i+6 > len(s) {
				return p.errAt(i, "Bad character escape sequence")
			}
			n, err := strconv.ParseUint(s[i+2:i+6], 16, 32)
			if err != nil {
				return p.errAt(i, "Bad character escape sequence")
			}
			sb.WriteRune(rune(n))
			i += 4
		default:
			return p.errAt(i, "Bad character escape sequence")
		}
		i += 2
	}
	p.tok = token{kind: tString, val: sb.String(), start: start}
	p.pos = i + 1
	return nil
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
