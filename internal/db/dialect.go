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

// Postgres, MySQL and SQLite name the engine.
//
// Deprecated: ask Dialect's methods or features (dialect/feature); these
// go once the last caller has moved.
func (d Dialect) Postgres() bool { return d.Engine == config.EnginePostgres }
func (d Dialect) MySQL() bool    { return d.Engine == config.EngineMySQL }
func (d Dialect) SQLite() bool   { return d.Engine == config.EngineSQLite }
