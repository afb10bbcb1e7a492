package sqlapi

import "github.com/jetbridge/jetbridge/internal/dialect"

// spanKind classifies a stretch of SQL text.
type spanKind uint8

const (
	spanCode    spanKind = iota // keywords, names, operators, numbers, placeholders
	spanString                  // a string literal: '...', E'...', PG $tag$...$tag$, MySQL "..."
	spanIdent                   // a quoted identifier: "...", `...`, SQLite [...]
	spanComment                 // -- ..., /* ... */, MySQL # ...
)

// span is a half-open byte range [start, end) of the text.
type span struct {
	start, end int
	kind       spanKind
}

// lexSpans splits SQL text into code, literal and comment spans the way the
// engine's own lexer would, so that nothing inside a literal or a comment is
// ever taken for a keyword or a placeholder. The spans cover s contiguously.
// Unterminated literals and comments run to the end of the text (the server
// rejects them anyway).
//
// The engine's rules are its dialect's Lexing (each dialect package
// describes its own).
func lexSpans(s string, lx dialect.Lexing, out []span) []span {
	out = out[:0]
	codeStart := 0
	emit := func(start, end int, k spanKind) {
		if start > codeStart {
			out = append(out, span{codeStart, start, spanCode})
		}
		out = append(out, span{start, end, k})
		codeStart = end
	}
	// inExec is set inside an executable comment (MySQL): its closing */ is skipped as code.
	inExec := false
	n := len(s)
	for i := 0; i < n; {
		c := s[i]
		switch {
		case c == '\'':
			backslash := lx.BackslashStrings
			if lx.EscapeStrings && i > 0 && (s[i-1] == 'E' || s[i-1] == 'e') && (i < 2 || !isIdentByte(s[i-2])) {
				backslash = true
			}
			end := scanQuoted(s, i, '\'', backslash)
			emit(i, end, spanString)
			i = end
		case c == '"':
			if lx.DoubleQuoteStrings {
				end := scanQuoted(s, i, '"', true)
				emit(i, end, spanString)
				i = end
			} else {
				end := scanQuoted(s, i, '"', false)
				emit(i, end, spanIdent)
				i = end
			}
		case c == '`' && lx.BacktickIdents:
			end := scanQuoted(s, i, '`', false)
			emit(i, end, spanIdent)
			i = end
		case c == '[' && lx.BracketIdents:
			end := indexFrom(s, i+1, ']')
			emit(i, end, spanIdent)
			i = end
		case c == '-' && i+1 < n && s[i+1] == '-' && (!lx.DashCommentSpace || i+2 >= n || s[i+2] <= ' '):
			end := lineEnd(s, i)
			emit(i, end, spanComment)
			i = end
		case c == '#' && lx.HashComments:
			end := lineEnd(s, i)
			emit(i, end, spanComment)
			i = end
		case c == '/' && i+1 < n && s[i+1] == '*':
			if lx.ExecutableComments {
				if j, ok := mysqlExecComment(s, i); ok {
					// the opener is dropped as a comment; its body is code
					emit(i, j, spanComment)
					inExec = true
					i = j
					continue
				}
			}
			end := scanBlockComment(s, i, lx.NestedComments)
			emit(i, end, spanComment)
			i = end
		case c == '*' && inExec && i+1 < n && s[i+1] == '/':
			emit(i, i+2, spanComment)
			inExec = false
			i += 2
		case c == '$' && lx.DollarQuotes && (i == 0 || !isIdentByte(s[i-1])):
			if tagEnd, ok := dollarTag(s, i); ok {
				tag := s[i:tagEnd]
				end := indexString(s, tagEnd, tag)
				if end < 0 {
					end = n
				} else {
					end += len(tag)
				}
				emit(i, end, spanString)
				i = end
				continue
			}
			i++
		default:
			i++
		}
	}
	if codeStart < n {
		out = append(out, span{codeStart, n, spanCode})
	}
	return out
}

// scanQuoted returns the end of a quoted token opened at s[i]: the quote is
// escaped by doubling it and, when backslash is set, by a preceding backslash.
func scanQuoted(s string, i int, q byte, backslash bool) int {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			if backslash {
				j++
			}
		case q:
			if j+1 < len(s) && s[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(s)
}

// scanBlockComment returns the end of a /* comment */ opened at s[i].
func scanBlockComment(s string, i int, nested bool) int {
	depth := 1
	for j := i + 2; j < len(s)-1; j++ {
		if s[j] == '*' && s[j+1] == '/' {
			depth--
			j++
			if depth == 0 || !nested {
				return j + 1
			}
		} else if nested && s[j] == '/' && s[j+1] == '*' {
			depth++
			j++
		}
	}
	return len(s)
}

// mysqlExecComment recognises the opener of /*!NNNNN ... */ or /*M!NNNNN ... */
// and returns the index just after it (after the optional version number).
func mysqlExecComment(s string, i int) (int, bool) {
	j := i + 2
	if j < len(s) && s[j] == 'M' {
		j++
	}
	if j >= len(s) || s[j] != '!' {
		return 0, false
	}
	j++
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	return j, true
}

// dollarTag recognises a PostgreSQL dollar-quote opener $tag$ at s[i] and
// returns the index after it. $1 (a positional parameter) is not a tag.
func dollarTag(s string, i int) (int, bool) {
	j := i + 1
	if j < len(s) && s[j] == '$' {
		return j + 1, true
	}
	if j >= len(s) || !isIdentStart(s[j]) {
		return 0, false
	}
	for j < len(s) && isIdentByte(s[j]) && s[j] != '$' {
		j++
	}
	if j < len(s) && s[j] == '$' {
		return j + 1, true
	}
	return 0, false
}

func lineEnd(s string, i int) int {
	for j := i; j < len(s); j++ {
		if s[j] == '\n' {
			return j + 1
		}
	}
	return len(s)
}

func indexFrom(s string, i int, c byte) int {
	for j := i; j < len(s); j++ {
		if s[j] == c {
			return j + 1
		}
	}
	return len(s)
}

func indexString(s string, from int, sub string) int {
	for j := from; j+len(sub) <= len(s); j++ {
		if s[j:j+len(sub)] == sub {
			return j
		}
	}
	return -1
}

// isIdentStart reports whether c may start an unquoted identifier (bytes of
// multi-byte UTF-8 characters count as letters, as in PostgreSQL).
func isIdentStart(c byte) bool {
	return c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') || c >= 0x80
}

// isIdentByte reports whether c may continue an unquoted identifier.
func isIdentByte(c byte) bool {
	return isIdentStart(c) || (c >= '0' && c <= '9') || c == '$'
}
