package graphql

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The lexer of graphql-core 2, with its error texts.

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
