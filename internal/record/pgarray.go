package record

import (
	"errors"
	"strconv"
	"strings"
)

var errBadArray = errors.New("not a PostgreSQL array literal")

// appendPGArray converts PostgreSQL's text form of an array ({1,2,"a b",NULL},
// nested braces for more dimensions) into a JSON array. Elements that look
// like numbers or booleans unquoted become JSON numbers/booleans.
func appendPGArray(b []byte, s string) ([]byte, error) {
	// an optional dimension prefix like [0:1]={...}
	if strings.HasPrefix(s, "[") {
		i := strings.IndexByte(s, '=')
		if i < 0 {
			return b, errBadArray
		}
		s = s[i+1:]
	}
	out, rest, err := pgArray(b, s)
	if err != nil || strings.TrimSpace(rest) != "" {
		return b, errBadArray
	}
	return out, nil
}

func pgArray(b []byte, s string) ([]byte, string, error) {
	if len(s) == 0 || s[0] != '{' {
		return b, s, errBadArray
	}
	s = s[1:]
	b = append(b, '[')
	first := true
	for {
		if len(s) == 0 {
			return b, s, errBadArray
		}
		if s[0] == '}' {
			if !first {
				return b, s, errBadArray // trailing comma
			}
			return append(b, ']'), s[1:], nil
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		var err error
		switch s[0] {
		case '{':
			b, s, err = pgArray(b, s)
			if err != nil {
				return b, s, err
			}
		case '"':
			var sb strings.Builder
			i := 1
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				sb.WriteByte(s[i])
			}
			if i >= len(s) {
				return b, s, errBadArray
			}
			b = AppendString(b, sb.String())
			s = s[i+1:]
		default:
			i := strings.IndexAny(s, ",}")
			if i < 0 {
				return b, s, errBadArray
			}
			elem := strings.TrimSpace(s[:i])
			s = s[i:]
			switch {
			case elem == "NULL":
				b = append(b, "null"...)
			case elem == "t" || elem == "true":
				b = append(b, "true"...)
			case elem == "f" || elem == "false":
				b = append(b, "false"...)
			default:
				if _, err := strconv.ParseFloat(elem, 64); err == nil && !strings.ContainsAny(elem, "xXnN") {
					b = append(b, elem...)
				} else {
					b = AppendString(b, elem)
				}
			}
		}
		if len(s) == 0 {
			return b, s, errBadArray
		}
		switch s[0] {
		case ',':
			s = s[1:]
		case '}':
			return append(b, ']'), s[1:], nil
		default:
			return b, s, errBadArray
		}
	}
}

// PGArrayLiteral renders JSON array items (already decoded) as a PostgreSQL
// array literal for binding as text.
func PGArrayLiteral(items []any) (string, error) {
	var sb strings.Builder
	if err := writePGArray(&sb, items); err != nil {
		return "", err
	}
	return sb.String(), nil
}

func writePGArray(sb *strings.Builder, items []any) error {
	sb.WriteByte('{')
	for i, it := range items {
		if i > 0 {
			sb.WriteByte(',')
		}
		switch x := it.(type) {
		case nil:
			sb.WriteString("NULL")
		case []any:
			if err := writePGArray(sb, x); err != nil {
				return err
			}
		case bool:
			sb.WriteString(strconv.FormatBool(x))
		case float64:
			sb.WriteString(strconv.FormatFloat(x, 'f', -1, 64))
		case string:
			sb.WriteByte('"')
			sb.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(x))
			sb.WriteByte('"')
		default:
			return errors.New("array items must be numbers, strings, booleans, null or arrays")
		}
	}
	sb.WriteByte('}')
	return nil
}
