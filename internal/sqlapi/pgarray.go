package sqlapi

import (
	"encoding/json"
	"strings"
)

// arrayElem is how the elements of a PostgreSQL array are written.
type arrayElem uint8

const (
	elemText arrayElem = iota
	elemNumber
	elemBool
	elemJSON
)

func arrayElemOf(elemType string) arrayElem {
	switch elemType {
	case "INT2", "INT4", "INT8", "OID", "FLOAT4", "FLOAT8", "NUMERIC":
		return elemNumber
	case "BOOL":
		return elemBool
	case "JSON", "JSONB":
		return elemJSON
	}
	return elemText
}

// appendPGArray writes PostgreSQL array text ({1,2}, {{"a b",NULL}}) as a
// nested JSON array, as Python's driver returns lists. ok is false when the
// text is not an array literal (the caller then writes it as a string).
func appendPGArray(b []byte, s string, kind arrayElem) ([]byte, bool) {
	if strings.HasPrefix(s, "[") { // explicit bounds: [0:1]={...}
		i := strings.Index(s, "=")
		if i < 0 {
			return b, false
		}
		s = s[i+1:]
	}
	p := arrayParser{s: s, kind: kind, out: b}
	if !p.array() {
		return b, false
	}
	p.skipSpace()
	if p.i != len(p.s) {
		return b, false
	}
	return p.out, true
}

type arrayParser struct {
	s    string
	i    int
	kind arrayElem
	out  []byte
	buf  []byte
}

func (p *arrayParser) skipSpace() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *arrayParser) array() bool {
	p.skipSpace()
	if p.i >= len(p.s) || p.s[p.i] != '{' {
		return false
	}
	p.i++
	p.out = append(p.out, '[')
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		p.out = append(p.out, ']')
		return true
	}
	for {
		p.skipSpace()
		if p.i >= len(p.s) {
			return false
		}
		switch p.s[p.i] {
		case '{':
			if !p.array() {
				return false
			}
		case '"':
			p.i++
			p.buf = p.buf[:0]
			for {
				if p.i >= len(p.s) {
					return false
				}
				c := p.s[p.i]
				if c == '\\' && p.i+1 < len(p.s) {
					p.buf = append(p.buf, p.s[p.i+1])
					p.i += 2
					continue
				}
				p.i++
				if c == '"' {
					break
				}
				p.buf = append(p.buf, c)
			}
			p.element(p.buf, true)
		default:
			start := p.i
			for p.i < len(p.s) && p.s[p.i] != ',' && p.s[p.i] != '}' {
				p.i++
			}
			raw := strings.TrimSpace(p.s[start:p.i])
			if strings.EqualFold(raw, "NULL") {
				p.out = append(p.out, "null"...)
			} else {
				p.element([]byte(raw), false)
			}
		}
		p.skipSpace()
		if p.i >= len(p.s) {
			return false
		}
		switch p.s[p.i] {
		case ',':
			p.i++
			p.out = append(p.out, ',')
		case '}':
			p.i++
			p.out = append(p.out, ']')
			return true
		default:
			return false
		}
	}
}

func (p *arrayParser) element(t []byte, quoted bool) {
	switch p.kind {
	case elemNumber:
		p.out = appendNumberText(p.out, t)
		return
	case elemBool:
		if !quoted {
			switch string(t) {
			case "t":
				p.out = append(p.out, "true"...)
				return
			case "f":
				p.out = append(p.out, "false"...)
				return
			}
		}
	case elemJSON:
		if json.Valid(t) {
			p.out = append(p.out, trimSpaceBytes(t)...)
			return
		}
	}
	p.out = appendBytes(p.out, t)
}
