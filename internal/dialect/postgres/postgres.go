// Package postgres is the PostgreSQL dialect.
package postgres

import (
	"database/sql"
	"strconv"
	"strings"
	"time"

	gpg "gorm.io/driver/postgres"
	"gorm.io/gorm"

	"github.com/jetbridge/jetbridge/internal/dialect"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
)

// Dialect is PostgreSQL. It has no state: the zero value is ready.
type Dialect struct{}

var _ dialect.Dialect = Dialect{}

// New returns the PostgreSQL dialect.
func New() Dialect { return Dialect{} }

// features is what the engine can do.
const features = feature.NumberedParams | feature.Returning | feature.RowEstimates |
	feature.TransactionalDDL | feature.Schemas | feature.ServerDatabase | feature.ILike |
	feature.NativeBool | feature.TimeZones | feature.JSONContainment | feature.Arrays |
	feature.NullsSortLast | feature.CaseSensitiveIdents | feature.CommentOn |
	feature.SerialSequences | feature.ColumnDescriptions | feature.AnonymousColumnName |
	feature.PgxFastPath | feature.UUIDMinMaxAsText | feature.CachedPlans | feature.TruncToTimestamp | feature.SSLModeParam | feature.TypedParams |
	feature.SetConfig

// Features lists what the engine can do.
func (Dialect) Features() feature.Feature { return features }

// Has reports whether the engine has every feature in f.
func (Dialect) Has(f feature.Feature) bool { return features.Has(f) }

func (Dialect) Name() string  { return "postgresql" }
func (Dialect) Title() string { return "PostgreSQL" }

func (Dialect) IdentQuote() byte                  { return '"' }
func (Dialect) QuoteIdent(name string) string     { return dialect.QuoteWith('"', name) }
func (Dialect) QuoteUserIdent(name string) string { return dialect.QuoteWith('"', name) }
func (Dialect) QuoteTable(schema, table string) string {
	return dialect.QuoteTableWith('"', schema, table)
}
func (Dialect) Placeholder(n int) string { return "$" + strconv.Itoa(n) }

// StringLiteral doubles quotes; text with a backslash is an E” literal
// with the backslashes doubled, whatever standard_conforming_strings says.
func (Dialect) StringLiteral(s string) string {
	s = strings.ReplaceAll(s, "'", "''")
	if strings.Contains(s, `\`) {
		return "E'" + strings.ReplaceAll(s, `\`, `\\`) + "'"
	}
	return "'" + s + "'"
}
func (Dialect) NoLimit() string       { return "" }
func (Dialect) NullSafeEqual() string { return " IS NOT DISTINCT FROM " }
func (Dialect) TextCast() string      { return "text" }

// NativeText: character types compare as text; unknown ("") counts as text.
func (Dialect) NativeText(enum bool, t string) bool {
	if enum {
		return false
	}
	t = strings.ToLower(t)
	switch t {
	case "", "text", "character varying", "varchar", "character", "char", "bpchar", "name", "citext":
		return true
	}
	return strings.HasPrefix(t, "character") || strings.HasPrefix(t, "varchar") || strings.HasPrefix(t, "char(")
}

// ILike is ILIKE (Unicode case folding by the database's ctype).
func (Dialect) ILike() (open, mid, close string) { return "", " ILIKE ", "" }
func (Dialect) FoldPattern(p string) string      { return p }

func (Dialect) Prepare(dialect.ConnSettings) error { return nil }
func (Dialect) Gorm(dsn string) gorm.Dialector     { return gpg.New(gpg.Config{DSN: dsn}) }
func (Dialect) UserProblem(string) string          { return "" }
func (Dialect) SchemaExistsSQL() string {
	return "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)"
}
func (Dialect) MaxOpenConns(conns int) int { return conns }
func (Dialect) ProbeSQL() string {
	return "SELECT current_setting('server_version'), current_schema()"
}

// TimeoutDSN: statement_timeout is already in the DSN.
func (Dialect) TimeoutDSN(dsn, _ string, _ time.Duration) (string, bool) { return dsn, false }

// Interrupter: pgx cancels a statement when its context ends.
func (Dialect) Interrupter(*sql.Conn) func() { return nil }

func (Dialect) DDLLock() (set, reset string) { return "SET LOCAL lock_timeout = '10s'", "" }

func (Dialect) ColumnTypeSQL(schema, table, column string) (string, []any) {
	return `SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
			JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = $1 AND c.relname = $2 AND a.attname = $3 AND NOT a.attisdropped`,
		[]any{schema, table, column}
}

// EstimateSQL reads reltuples from pg_class (schema and name bound).
func (Dialect) EstimateSQL(schema, table string) (string, []any, string, bool) {
	if schema == "" {
		return "SELECT CAST(c.reltuples AS bigint) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace" +
			" WHERE n.nspname = current_schema() AND c.relname = $1", []any{table}, "", true
	}
	return "SELECT CAST(c.reltuples AS bigint) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace" +
		" WHERE n.nspname = $1 AND c.relname = $2", []any{schema, table}, "", true
}

// TableSchema: tables are qualified with their schema.
func (Dialect) TableSchema(s string) string { return s }

func (Dialect) BindBool(b bool) any          { return b }
func (Dialect) BindWallTime(t time.Time) any { return t }
