package dialect

// RawSQL is what the SQL API needs to read and run the SQL text a client
// sends: how the engine's lexer reads quotes and comments, what a
// non-admin caller may not name, and how result columns are written.
type RawSQL interface {
	// Lexing is how the engine's own lexer reads literals and comments.
	Lexing() Lexing
	// Refusals is what non-admin SQL may not call or name.
	Refusals() Refusals
	// ResultKind is how the values of a result column whose driver type
	// name is dbType are written as JSON; elem is the element type name of
	// an array column (ResultArray).
	ResultKind(dbType string) (kind ResultKind, elem string)
}

// Lexing is how an engine's lexer reads quotes and comments, so that
// nothing inside a literal or a comment of client SQL is ever taken for a
// keyword or a placeholder. Every engine has '...' strings with ” inside,
// "..." (an identifier unless DoubleQuoteStrings), -- line comments and
// /* */ block comments.
type Lexing struct {
	// BackslashStrings: '...' strings take backslash escapes (MySQL's
	// default sql_mode).
	BackslashStrings bool
	// EscapeStrings: E'...' (a lone E or e before the quote) takes
	// backslash escapes (PostgreSQL).
	EscapeStrings bool
	// DoubleQuoteStrings: "..." is a string with backslash escapes, not an
	// identifier.
	DoubleQuoteStrings bool
	// BacktickIdents: `...` is an identifier.
	BacktickIdents bool
	// BracketIdents: [...] is an identifier.
	BracketIdents bool
	// DashCommentSpace: -- opens a comment only when a space or control
	// character (or the end of the text) follows.
	DashCommentSpace bool
	// HashComments: # opens a line comment.
	HashComments bool
	// ExecutableComments: the bodies of /*! ... */ and /*M! ... */ are code.
	ExecutableComments bool
	// NestedComments: /* */ comments nest.
	NestedComments bool
	// DollarQuotes: $tag$...$tag$ and $$...$$ are strings.
	DollarQuotes bool
}

// Refusals is what client SQL run by a non-admin caller may not name
// (issue 17 M1, M2), beyond what every engine refuses. Each is a set of
// lower-case names; the sets are shared: never change them.
type Refusals struct {
	// Functions read or write server files, run SQL given as text, reach
	// other sessions or change the server.
	Functions map[string]bool
	// Tables are system tables holding credentials.
	Tables map[string]bool
	// Schemas are system schemas that may not be named as a qualifier
	// ("mysql.user").
	Schemas map[string]bool
}

// SetOf is a set of names, for Refusals.
func SetOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// ResultKind is how the values of a result column are written as JSON.
type ResultKind uint8

const (
	// ResultAny: by the Go type the driver returns.
	ResultAny ResultKind = iota
	// ResultJSON: raw JSON text.
	ResultJSON
	// ResultNumText: exact decimal text written as a JSON number.
	ResultNumText
	// ResultFloat32: single precision, the shortest text for 32 bits.
	ResultFloat32
	// ResultDate: YYYY-MM-DD.
	ResultDate
	// ResultInstant: an instant (timestamptz), shown in the session's zone.
	ResultInstant
	// ResultSessionTime: a timestamp the server shows in the session's
	// zone, written as naive text.
	ResultSessionTime
	// ResultInterval: an interval, total seconds as a string.
	ResultInterval
	// ResultArray: an array in the server's text form ({...}).
	ResultArray
	// ResultStoredText: a date-time stored as text, written as stored.
	ResultStoredText
	// ResultByteList: binary data, one number per byte.
	ResultByteList
)
