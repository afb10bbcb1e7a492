package sqlapi

import (
	"strconv"
	"strings"

	"github.com/jetbridge/jetbridge/internal/dialect"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
)

// boundSQL is a statement in the driver's placeholder syntax with its arguments.
type boundSQL struct {
	text string
	args []any
	// missing lists the parameter names the query uses but no value was
	// given for, in order of first use.
	missing []string
}

// bindParams rewrites the placeholders of a client query into the driver's
// (PostgreSQL $n, MySQL and SQLite ?) and collects the arguments in order.
//
// Placeholders are `:name` (all versions) and, when percentS is set (v < 2),
// `%s`, which stands for :param_0, :param_1, ... in order. `%%` is left alone.
// A `:name` is a parameter when it is not preceded by a colon, a word
// character or a backslash and not followed by a single colon, so
// PostgreSQL casts (`x::int`, also `:name::int`), array slices (`a[1:2]`)
// and MySQL `:=` are untouched. Nothing inside a string literal, a quoted
// identifier or a comment is ever a placeholder.
//
// With numbered placeholders (feature.NumberedParams) a name used twice is
// bound once ($n repeated); elsewhere each use gets its own `?` and its own
// copy of the value.
func bindParams(s string, d dialect.Dialect, percentS bool, values map[string]any) boundSQL {
	var spans [16]span
	lx := d.Lexing()
	sp := lexSpans(s, lx, spans[:0])
	var b strings.Builder
	var out boundSQL
	numbered := d.Has(feature.NumberedParams)
	var index map[string]int // numbered placeholders: name -> n
	var missingSeen map[string]bool
	written := 0 // s[:written] is copied to b
	pos := 0     // %s counter
	grow := false
	place := func(from, to int, name string) {
		if !grow {
			b.Grow(len(s) + 16)
			grow = true
		}
		b.WriteString(s[written:from])
		written = to
		v, ok := values[name]
		if !ok {
			if missingSeen == nil {
				missingSeen = map[string]bool{}
			}
			if !missingSeen[name] {
				missingSeen[name] = true
				out.missing = append(out.missing, name)
			}
		}
		// keep the placeholder a token of its own: PostgreSQL identifiers may
		// contain '$' and digits ("x$1"), "$$" opens a literal, and digits
		// after it would change its number ($12, SQLite's ?12)
		sep := to < len(s) && isIdentByte(s[to]) && s[to] != '$'
		if numbered && from > 0 && isIdentByte(s[from-1]) {
			b.WriteByte(' ')
		}
		if sep {
			defer b.WriteByte(' ')
		}
		if numbered {
			if index == nil {
				index = map[string]int{}
			}
			n, seen := index[name]
			if !seen {
				out.args = append(out.args, v)
				n = len(out.args)
				index[name] = n
			}
			b.WriteString(d.Placeholder(n))
			return
		}
		out.args = append(out.args, v)
		b.WriteString(d.Placeholder(len(out.args)))
	}
	for _, x := range sp {
		if x.kind != spanCode {
			continue
		}
		for i := x.start; i < x.end; i++ {
			switch s[i] {
			case '%':
				if !percentS || i+1 >= x.end {
					continue
				}
				if s[i+1] == '%' {
					i++
					continue
				}
				if s[i+1] == 's' && lx.EscapeStrings && escapePrefixAt(s, i+2) {
					// "%sE'...'": the E belongs to an identifier before a
					// plain string; a placeholder cut off from it would turn
					// the string into an escape string. Left as typed (the
					// database reports the syntax error), it keeps its number.
					pos++
					i++
					continue
				}
				if s[i+1] == 's' {
					place(i, i+2, "param_"+strconv.Itoa(pos))
					pos++
					i++
				}
			case ':':
				end, ok := namedParam(s, i, x.end)
				if !ok {
					continue
				}
				if lx.EscapeStrings && end == i+2 && escapePrefixAt(s, i+1) {
					// ":E'...'": PostgreSQL reads E' as the start of an
					// escape string, not as a parameter named E. Binding it
					// would turn the escape string into a plain one and move
					// where it ends; left as typed, the database reports it.
					continue
				}
				place(i, end, s[i+1:end])
				i = end - 1
			}
		}
	}
	if !grow {
		out.text = s
		return out
	}
	b.WriteString(s[written:])
	out.text = b.String()
	return out
}

// namedParam reports whether s[i] (a colon) opens a :name parameter that
// ends before limit, and returns the index after the name.
func namedParam(s string, i, limit int) (int, bool) {
	if i > 0 {
		if p := s[i-1]; p == ':' || p == '\\' || p == '$' || isWordByte(p) {
			return 0, false
		}
	}
	j := i + 1
	for j < limit && isWordByte(s[j]) {
		j++
	}
	if j == i+1 {
		return 0, false
	}
	// `:name:` is not a parameter (SQLAlchemy's rule); `:name::type` is.
	if j < len(s) && s[j] == ':' && (j+1 >= len(s) || s[j+1] != ':') {
		return 0, false
	}
	return j, true
}

// isWordByte is a byte of a parameter name: ASCII letters, digits, '_' and
// the bytes of non-ASCII characters.
func isWordByte(c byte) bool {
	return c == '_' || (c >= '0' && c <= '9') || (c|0x20 >= 'a' && c|0x20 <= 'z') || c >= 0x80
}

// escapePrefixAt reports whether s[i:] starts with E' or e', which on
// PostgreSQL opens an escape string when the E stands alone.
func escapePrefixAt(s string, i int) bool {
	return i+1 < len(s) && (s[i] == 'E' || s[i] == 'e') && s[i+1] == '\''
}
