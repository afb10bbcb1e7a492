package query

import (
	"database/sql/driver"
	"strings"

	sqlitedrv "github.com/glebarez/go-sqlite"
)

// sqliteLower is a SQLite function doing Unicode lower-casing: SQLite's own
// lower() and LIKE fold ASCII letters only, so "École" would not match "éco".
const sqliteLower = "jetbridge_lower"

func init() {
	// Registered on the pure-Go driver that internal/db opens; connections
	// opened afterwards have it. An error means it is registered already.
	_ = sqlitedrv.RegisterDeterministicScalarFunction(sqliteLower, 1, lowerFunc)
}

func lowerFunc(_ *sqlitedrv.FunctionContext, args []driver.Value) (driver.Value, error) {
	switch v := args[0].(type) {
	case nil:
		return nil, nil
	case string:
		return strings.ToLower(v), nil
	case []byte:
		return strings.ToLower(string(v)), nil
	default:
		return v, nil
	}
}
