package graphql

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// printValue prints a literal as graphql-core 2's printer does (strings as
// Python's json.dumps: ASCII with \u escapes).
func printValue(v *Value) string {
	if v == nil {
		return "null"
	}
	switch v.Kind {
	case ValString:
		return pyJSONString(v.Raw)
	case ValBool:
		if v.Bool {
			return "true"
		}
		return "false"
	case ValNull:
		return "null"
	case ValVar:
		return "$" + v.Raw
	case ValList:
		parts := make([]string, len(v.List))
		for i, x := range v.List {
			parts[i] = printValue(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case ValObject:
		parts := make([]string, len(v.Fields))
		for i, f := range v.Fields {
			parts[i] = f.Name + ": " + printValue(f.Value)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return v.Raw
}

func pyJSONString(s string) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			sb.WriteString(`\"`)
		case r == '\\':
			sb.WriteString(`\\`)
		case r == '\n':
			sb.WriteString(`\n`)
		case r == '\r':
			sb.WriteString(`\r`)
		case r == '\t':
			sb.WriteString(`\t`)
		case r < 0x20 || r > 0x7e:
			if r > 0xffff {
				r -= 0x10000
				fmt.Fprintf(&sb, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
			} else {
				fmt.Fprintf(&sb, `\u%04x`, r)
			}
		default:
			sb.WriteRune(r)
		}
	}
	sb.WriteByte('"')
	return sb.String()
}

// literalErrors is graphql-core 2's is_valid_literal_value.
func (s *Schema) literalErrors(it inType, v *Value) []string {
	if v == nil || v.Kind == ValNull || v.Kind == ValVar {
		return nil
	}
	if it.list {
		if v.Kind == ValList {
			var errs []string
			for i, item := range v.List {
				for _, e := range s.literalErrors(it.elem(), item) {
					errs = append(errs, "In element #"+strconv.Itoa(i)+": "+e)
				}
			}
			return errs
		}
		return s.literalErrors(it.elem(), v)
	}
	switch it.kind {
	case inRaw:
		return nil
	case inInt:
		if v.Kind == ValInt {
			if n, err := strconv.ParseInt(v.Raw, 10, 64); err == nil && n >= -1<<31 && n < 1<<31 {
				return nil
			}
		}
	case inString:
		if v.Kind == ValString {
			return nil
		}
	case inBool:
		if v.Kind == ValBool {
			return nil
		}
	case inAggFunc:
		if v.Kind == ValEnum {
			for _, f := range aggFuncs {
				if f == v.Raw {
					return nil
				}
			}
		}
	default:
		if v.Kind != ValObject {
			return []string{`Expected "` + it.Name() + `", found not an object.`}
		}
		fields := s.fields(it)
		known := make(map[string]bool, len(fields))
		for _, f := range fields {
			known[f.name] = true
		}
		var errs []string
		for _, f := range v.Fields {
			if !known[f.Name] {
				errs = append(errs, `In field "`+f.Name+`": Unknown field.`)
			}
		}
		for _, f := range fields {
			if fv := v.Field(f.name); fv != nil {
				for _, e := range s.literalErrors(f.typ, fv) {
					errs = append(errs, `In field "`+f.name+`": `+e)
				}
			}
		}
		return errs
	}
	return []string{`Expected type "` + it.Name() + `", found ` + printValue(v) + `.`}
}

// suggest is graphql-core 2's suggestion_list + quoted_or_list.
func suggest(in string, options []string) string {
	type cand struct {
		s string
		d int
	}
	var cs []cand
	inT := float64(len(in)) / 2
	for _, o := range options {
		d := lexicalDistance(in, o)
		th := max(inT, float64(len(o))/2, 1)
		if float64(d) <= th {
			cs = append(cs, cand{o, d})
		}
	}
	if len(cs) == 0 {
		return ""
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].d < cs[j].d })
	if len(cs) > 5 {
		cs = cs[:5]
	}
	q := make([]string, len(cs))
	for i, c := range cs {
		q[i] = `"` + c.s + `"`
	}
	if len(q) == 1 {
		return " Did you mean " + q[0] + "?"
	}
	return " Did you mean " + strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1] + "?"
}

func lexicalDistance(a, b string) int {
	if a == b {
		return 0
	}
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range rb {
		d[0][j+1] = j + 1
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+cost)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// jsonToValue turns a variable's JSON value into a literal.
func jsonToValue(x any) *Value {
	switch t := x.(type) {
	case nil:
		return &Value{Kind: ValNull}
	case bool:
		return &Value{Kind: ValBool, Bool: t, Raw: strconv.FormatBool(t)}
	case json.Number:
		if _, err := strconv.ParseInt(t.String(), 10, 64); err == nil {
			return &Value{Kind: ValInt, Raw: t.String()}
		}
		return &Value{Kind: ValFloat, Raw: t.String()}
	case string:
		return &Value{Kind: ValString, Raw: t}
	case []any:
		v := &Value{Kind: ValList, List: []*Value{}}
		for _, i := range t {
			v.List = append(v.List, jsonToValue(i))
		}
		return v
	case map[string]any:
		v := &Value{Kind: ValObject, Fields: []*ObjField{}}
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v.Fields = append(v.Fields, &ObjField{Name: k, Value: jsonToValue(t[k])})
		}
		return v
	}
	return &Value{Kind: ValNull}
}

// substitute replaces variables by their values (or defaults).
func substitute(v *Value, vars map[string]*Value) *Value {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case ValVar:
		if x, ok := vars[v.Raw]; ok && x != nil {
			return x
		}
		return &Value{Kind: ValNull}
	case ValList:
		out := &Value{Kind: ValList, List: make([]*Value, len(v.List))}
		for i, x := range v.List {
			out.List[i] = substitute(x, vars)
		}
		return out
	case ValObject:
		out := &Value{Kind: ValObject, Fields: make([]*ObjField, len(v.Fields))}
		for i, f := range v.Fields {
			out.Fields[i] = &ObjField{Name: f.Name, Value: substitute(f.Value, vars)}
		}
		return out
	}
	return v
}
