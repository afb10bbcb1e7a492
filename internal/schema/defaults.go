package schema

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/jetbridge/jetbridge/internal/values"
)

// Default types of the model description (spec §8.2).
const (
	DefaultDatetimeNow = "datetime_now"
	DefaultUUID        = "uuid"
	DefaultValue       = "value"
	DefaultSequence    = "sequence"
)

var (
	reNumber       = regexp.MustCompile(`^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$`)
	reCurrentStamp = regexp.MustCompile(`^(current_timestamp|localtimestamp|now)(\(\d*\))?$`)
	rePGCast       = regexp.MustCompile(`^::[\w\s."\[\]()]+$`)
)

// nowDefaults are expressions meaning "the current date and time", lower case
// with blanks removed.
var nowDefaults = map[string]bool{
	"now()":                              true,
	"transaction_timestamp()":            true,
	"statement_timestamp()":              true,
	"clock_timestamp()":                  true,
	"timezone('utc'::text,now())":        true,
	"now()attimezone'utc'::text":         true,
	"now()attimezone'utc'":               true,
	"datetime('now')":                    true,
	"datetime('now','localtime')":        true,
	"strftime('%y-%m-%d%h:%m:%f','now')": true,
}

var uuidDefaults = map[string]bool{
	"uuid_generate_v4()": true,
	"gen_random_uuid()":  true,
	"uuid()":             true,
	"uuid_v4()":          true,
	"uuidv4()":           true,
	"uuidv7()":           true,
}

// fillDefault sets c.DefaultType and c.DefaultValue from c.Default, which
// holds the default as an SQL expression (string literals quoted).
func fillDefault(c *Column) {
	c.DefaultType, c.DefaultValue = "", nil
	if c.Default == nil || c.Generated {
		return
	}
	e := strings.TrimSpace(*c.Default)
	for len(e) > 1 && e[0] == '(' && e[len(e)-1] == ')' && balanced(e[1:len(e)-1]) {
		e = strings.TrimSpace(e[1 : len(e)-1])
	}
	low := strings.ToLower(e)
	compact := strings.Join(strings.Fields(low), "")
	switch {
	case reCurrentStamp.MatchString(low) || nowDefaults[compact]:
		c.DefaultType = DefaultDatetimeNow
		return
	case uuidDefaults[compact]:
		c.DefaultType = DefaultUUID
		return
	case low == "true" || low == "false":
		c.DefaultType, c.DefaultValue = DefaultValue, low == "true"
		return
	case strings.HasPrefix(low, "nextval(") && strings.HasSuffix(e, ")"):
		c.DefaultType, c.DefaultValue = DefaultSequence, e[len("nextval("):len(e)-1]
		return
	}
	if lit, rest, ok := quotedLiteral(e); ok && (rest == "" || rePGCast.MatchString(rest)) {
		c.DefaultType, c.DefaultValue = DefaultValue, literalValue(c, lit)
		return
	}
	if reNumber.MatchString(e) {
		c.DefaultType, c.DefaultValue = DefaultValue, literalValue(c, e)
	}
}

// literalValue types a literal default for the column: booleans as bool,
// integers and floats as JSON numbers, everything else (decimals included)
// as the literal's text.
func literalValue(c *Column, s string) any {
	switch c.Kind {
	case KindBoolean:
		if v, ok := values.Word(s); ok && s == strings.TrimSpace(s) {
			return v
		}
	case KindInteger, KindFloat:
		if reNumber.MatchString(s) {
			return json.Number(normalizeNumber(s))
		}
	}
	return s
}

// normalizeNumber makes a numeric literal valid JSON ("1." -> "1", ".5" -> "0.5").
func normalizeNumber(s string) string {
	s = strings.TrimPrefix(s, "+")
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if strings.HasPrefix(s, ".") {
		s = "0" + s
	}
	s = strings.Replace(s, ".e", "e", 1)
	s = strings.Replace(s, ".E", "E", 1)
	s = strings.TrimSuffix(s, ".")
	if len(s) > 1 && s[0] == '0' && s[1] != '.' && s[1] != 'e' && s[1] != 'E' {
		s = strings.TrimLeft(s, "0")
		if s == "" || s[0] == '.' || s[0] == 'e' || s[0] == 'E' {
			s = "0" + s
		}
	}
	if neg {
		return "-" + s
	}
	return s
}

// quotedLiteral reads a leading SQL string literal ('it”s'), returning its
// value and the text after it.
func quotedLiteral(e string) (value, rest string, ok bool) {
	if len(e) < 2 || e[0] != '\'' {
		return "", "", false
	}
	var sb strings.Builder
	for i := 1; i < len(e); i++ {
		ch := e[i]
		if ch == '\'' {
			if i+1 < len(e) && e[i+1] == '\'' {
				sb.WriteByte('\'')
				i++
				continue
			}
			return sb.String(), strings.TrimSpace(e[i+1:]), true
		}
		sb.WriteByte(ch)
	}
	return "", "", false
}

// quoteLiteral writes s as an SQL string literal.
func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// balanced reports whether the parentheses in s (outside string literals)
// pair up, so that "(a) + (b)" is not taken as one parenthesised expression.
func balanced(s string) bool {
	depth := 0
	inStr := false
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch == '\'':
			inStr = !inStr
		case inStr:
		case ch == '(':
			depth++
		case ch == ')':
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return depth == 0 && !inStr
}
