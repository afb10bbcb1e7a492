package db

import (
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/dialect"
	"github.com/jetbridge/jetbridge/internal/dialect/dialects"
)

// Dialect is the engine of an open database: the dialect.Dialect that
// writes its SQL and answers feature questions, and the configured engine
// name (for messages and tests). Every identifier that reaches SQL must
// come from the reflected schema and pass through QuoteIdent; every value
// must be a bound parameter.
type Dialect struct {
	Engine config.Engine
	dialect.Dialect
}

// DialectFor returns the dialect of a supported engine (tests, fixed
// engines); it panics on an unsupported one.
func DialectFor(e config.Engine) Dialect {
	return Dialect{Engine: e, Dialect: dialects.Must(string(e))}
}
