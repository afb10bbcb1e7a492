// Package dialects lists the engines jetbridge serves. A new engine is one
// new package under internal/dialect and one line here.
package dialects

import (
	"fmt"

	"github.com/jetbridge/jetbridge/internal/dialect"
	"github.com/jetbridge/jetbridge/internal/dialect/mysql"
	"github.com/jetbridge/jetbridge/internal/dialect/postgres"
	"github.com/jetbridge/jetbridge/internal/dialect/sqlite"
)

// All returns every supported dialect.
func All() []dialect.Dialect {
	return []dialect.Dialect{postgres.New(), mysql.New(), sqlite.New()}
}

// For returns the dialect of a DATABASE_ENGINE name as config.ParseEngine
// spells it (postgresql, mysql, sqlite).
func For(name string) (dialect.Dialect, error) {
	switch name {
	case "postgresql":
		return postgres.New(), nil
	case "mysql":
		return mysql.New(), nil
	case "sqlite":
		return sqlite.New(), nil
	}
	return nil, fmt.Errorf("unsupported DATABASE_ENGINE %q (use postgresql, mysql or sqlite)", name)
}

// Fallback is the dialect of code that has no engine configured (an
// unset engine in tests), as before dialects existed: booleans bind as
// 0/1 and datetimes as time.Time, which is MySQL's way.
func Fallback() dialect.Dialect { return mysql.New() }

// Must is For for names known to be supported (tests, constants); it
// panics on any other.
func Must(name string) dialect.Dialect {
	d, err := For(name)
	if err != nil {
		panic(err)
	}
	return d
}
