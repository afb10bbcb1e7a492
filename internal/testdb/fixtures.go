package testdb

import (
	"embed"
	"testing"

	"github.com/jetbridge/jetbridge/internal/db"
)

// fixtures holds the shared per-engine test schemas; each file's header
// describes its tables (items, customers, orders, OrderItems, event_log,
// active_items, __jet__token).
//
//go:embed fixtures/*.sql
var fixtures embed.FS

// TypesScript returns the shared types fixture for d's engine
// (fixtures/types_<engine>.sql).
func TypesScript(t testing.TB, d *db.DB) string {
	t.Helper()
	name := "fixtures/types_" + string(d.Dialect.Engine) + ".sql"
	b, err := fixtures.ReadFile(name)
	if err != nil {
		t.Fatalf("testdb: no fixture %s: %v", name, err)
	}
	return string(b)
}

// LoadTypes creates and fills the shared types fixture in d.
func LoadTypes(t testing.TB, d *db.DB) {
	t.Helper()
	Exec(t, d, TypesScript(t, d))
}
