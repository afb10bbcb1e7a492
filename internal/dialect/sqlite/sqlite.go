// Package sqlite is the SQLite dialect (the pure-Go driver behind
// glebarez/sqlite).
package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	gsq "github.com/glebarez/sqlite"
	"gorm.io/gorm"

	"github.com/jetbridge/jetbridge/internal/dialect"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
)

// Dialect is SQLite.
type Dialect struct{}

var _ dialect.Dialect = Dialect{}

// New returns the SQLite dialect.
func New() Dialect { return Dialect{} }

// features is what the engine can do.
const features = feature.Returning | feature.LastInsertID | feature.TransactionalDDL |
	feature.FileDatabase | feature.AlterByRebuild | feature.DriverTimeout | feature.TextDateTimes | feature.CaseInsensitiveLike

// Features lists what the engine can do.
func (Dialect) Features() feature.Feature { return features }

// Has reports whether the engine has every feature in f.
func (Dialect) Has(f feature.Feature) bool { return features.Has(f) }

// LowerFunc is the SQL function (Go's Unicode lower-casing, registered on
// the driver by internal/query) that case-insensitive matching folds the
// column side with.
const LowerFunc = "jetbridge_lower"

func (Dialect) Name() string  { return "sqlite" }
func (Dialect) Title() string { return "SQLite" }

func (Dialect) IdentQuote() byte              { return '"' }
func (Dialect) QuoteIdent(name string) string { return dialect.QuoteWith('"', name) }

// QuoteUserIdent uses backticks: a double-quoted name that matches no
// column silently becomes a string literal in SQLite (ORDER BY "typo" sorts
// nothing, SUM("typo") is 0), while a backticked one is always an
// identifier and a typo is an error.
func (Dialect) QuoteUserIdent(name string) string { return dialect.QuoteWith('`', name) }

// QuoteTable: callers qualify with TableSchema's schema, which is empty on
// SQLite (every table is in "main").
func (Dialect) QuoteTable(schema, table string) string {
	return dialect.QuoteTableWith('"', schema, table)
}
func (Dialect) Placeholder(int) string { return "?" }

func (Dialect) StringLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
func (Dialect) NoLimit() string       { return " LIMIT -1" }
func (Dialect) NullSafeEqual() string { return " IS " }

// TextCast: every value compares as text without a cast.
func (Dialect) TextCast() string             { return "" }
func (Dialect) NativeText(bool, string) bool { return true }

// ILike folds the column side with LowerFunc; FoldPattern lower-cases
// the pattern in Go.
func (Dialect) ILike() (open, mid, close string) { return LowerFunc + "(", ") LIKE ", "" }
func (Dialect) FoldPattern(p string) string      { return strings.ToLower(p) }

// Prepare checks that the database file's folder exists (the driver would
// report a less helpful error).
func (Dialect) Prepare(o dialect.ConnSettings) error {
	if dir := filepath.Dir(o.Name); dir != "" {
		if _, err := os.Stat(dir); err != nil {
			return fmt.Errorf("sqlite: folder of %s: %w", o.Name, err)
		}
	}
	return nil
}
func (Dialect) Gorm(dsn string) gorm.Dialector { return gsq.Open(dsn) }

func (Dialect) UserProblem(string) string { return "" }
func (Dialect) SchemaExistsSQL() string   { return "" }

// MaxOpenConns: one writer at a time; readers share the WAL.
func (Dialect) MaxOpenConns(conns int) int { return max(conns, 4) }
func (Dialect) ProbeSQL() string           { return "SELECT 'SQLite ' || sqlite_version(), 'main'" }

// TimeoutDSN: SQLite has no server-side statement timeout.
func (Dialect) TimeoutDSN(dsn, _ string, _ time.Duration) (string, bool) { return dsn, false }

// Interrupter is sqlite3_interrupt on conn's handle (see the package
// function Interrupter).
func (Dialect) Interrupter(conn *sql.Conn) func() { return Interrupter(conn) }

// DDLLock: the busy_timeout in the DSN bounds lock waits.
func (Dialect) DDLLock() (set, reset string) { return "", "" }

func (Dialect) ColumnTypeSQL(_, table, column string) (string, []any) {
	return `SELECT type FROM pragma_table_xinfo(?) WHERE name = ?`, []any{table, column}
}

// PrivilegeWarnings: a SQLite file has no users or rights.
func (Dialect) PrivilegeWarnings(context.Context, *sql.Conn) []string { return nil }

// EstimateSQL: SQLite keeps no row estimate.
func (Dialect) EstimateSQL(string, string) (string, []any, string, bool) { return "", nil, "", false }

// TableSchema: tables are never qualified (everything is in "main").
func (Dialect) TableSchema(string) string { return "" }

func (Dialect) BindBool(b bool) any {
	if b {
		return int64(1)
	}
	return int64(0)
}
func (Dialect) BindWallTime(t time.Time) any { return t.Format("2006-01-02 15:04:05.000000") }
