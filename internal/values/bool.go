// Package values converts values between their wire forms: text to Go and
// Go to text. Where the wire format has variants, each variant is its own
// function, named for where it applies.
package values

import "strings"

// boolWord reads one of the boolean words 1/t/true/y/yes/on and
// 0/f/false/n/no/off, already lower-cased and trimmed.
func boolWord(lower string) (v, ok bool) {
	switch lower {
	case "1", "t", "true", "y", "yes", "on":
		return true, true
	case "0", "f", "false", "n", "no", "off":
		return false, true
	}
	return false, false
}

// Truth is the truth table of spec §9.4, shared by filters (?flag=word,
// __isnull, __isempty) and writes of a text value to a boolean column: the
// text is trimmed; "" and the false words written lower-case, Title-case or
// UPPER-case (f F n N no No NO false False FALSE off Off OFF 0) are false;
// anything else is true. No word is refused.
func Truth(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	lower := strings.ToLower(s)
	v, ok := boolWord(lower)
	if !ok || v {
		return true
	}
	return s != lower && s != strings.ToUpper(s) && s != title(lower)
}

func title(lower string) string {
	return strings.ToUpper(lower[:1]) + lower[1:]
}

// Word reads a boolean word in any case, trimmed (settings, SQL API
// parameters, column defaults); ok is false for any other text, "" too.
func Word(s string) (v, ok bool) {
	return boolWord(strings.ToLower(strings.TrimSpace(s)))
}

// Truthy reads text in any case, trimmed, as true unless it is "" or a
// false word (boolean values read back as text, environment switches).
func Truthy(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return false
	}
	v, ok := boolWord(s)
	return v || !ok
}
