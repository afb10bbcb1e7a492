package db

import (
	"strconv"
	"strings"

	"github.com/jetbridge/jetbridge/internal/config"
)

// Dialect holds what differs in SQL text between the supported engines.
// Every identifier that reaches SQL must come from the reflected schema and
// pass through QuoteIdent; every value must be a bound parameter.
type Dialect struct {
	Engine config.Engine
}

// QuoteIdent quotes one identifier (a table, column or schema name).
func (d Dialect) QuoteIdent(name string) string {
	if d.Engine == config.EngineMySQL {
		return "`" + strings.ReplaceAll(name, "`", "``") + "`"
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// QuoteTable quotes a possibly schema-qualified table name.
func (d Dialect) QuoteTable(schema, table string) string {
	if schema == "" {
		return d.QuoteIdent(table)
	}
	return d.QuoteIdent(schema) + "." + d.QuoteIdent(table)
}

// Placeholder returns the bind placeholder for the n-th (1-based) argument.
func (d Dialect) Placeholder(n int) string {
	if d.Engine == config.EnginePostgres {
		return "$" + strconv.Itoa(n)
	}
	return "?"
}

// Postgres, MySQL and SQLite report the engine.
func (d Dialect) Postgres() bool { return d.Engine == config.EnginePostgres }
func (d Dialect) MySQL() bool    { return d.Engine == config.EngineMySQL }
func (d Dialect) SQLite() bool   { return d.Engine == config.EngineSQLite }
