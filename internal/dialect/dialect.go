// Package dialect is what differs between the SQL engines jetbridge serves:
// quoting, placeholders, LIMIT/OFFSET, case-insensitive matching, text
// casts, date truncation, session setup and cancellation, catalog look-ups,
// how values bind, DSNs and opening, how client SQL is lexed and what of it
// is refused, how result columns are written, column types and defaults
// for DDL, and which catalog reflection reads (modelled on uptrace/bun's
// schema.Dialect). Each engine implements Dialect in its own package
// (dialect/postgres, dialect/mysql, dialect/sqlite); dialect/dialects lists
// them. Code outside those packages asks a Dialect, or its feature flags,
// never for an engine name.
package dialect

import (
	"context"
	"database/sql"
	"time"

	"gorm.io/gorm"

	"github.com/jetbridge/jetbridge/internal/dialect/feature"
)

// Dialect is one SQL engine. Implementations are stateless values, safe for
// concurrent use.
type Dialect interface {
	// Name is the DATABASE_ENGINE spelling: postgresql, mysql, sqlite.
	Name() string
	// Title is the engine's name for people: PostgreSQL, MySQL/MariaDB, SQLite.
	Title() string
	// Features lists what the engine can do.
	Features() feature.Feature
	// Has reports whether the engine has every feature in f.
	Has(f feature.Feature) bool

	SQL
	Opener
	Session
	Catalog
	Values
	RawSQL
	DDL
}

// SQL is how statements are written.
type SQL interface {
	// IdentQuote is the identifier quote character (doubled inside a name).
	IdentQuote() byte
	// QuoteIdent quotes one identifier (a table, column or schema name).
	QuoteIdent(name string) string
	// QuoteTable quotes a possibly schema-qualified table name.
	QuoteTable(schema, table string) string
	// QuoteUserIdent quotes a name a client typed in raw SQL wrapping: it
	// must be an identifier or an error, never silently a string.
	QuoteUserIdent(name string) string
	// Placeholder is the bind placeholder for the n-th (1-based) argument.
	Placeholder(n int) string
	// StringLiteral writes s as an SQL string literal (DDL only, where
	// parameters cannot be bound).
	StringLiteral(s string) string
	// NoLimit is the LIMIT clause that means "no limit", for an OFFSET
	// without a LIMIT ("" when OFFSET may stand alone).
	NoLimit() string
	// NullSafeEqual is the operator that is true for two NULLs (" IS ").
	NullSafeEqual() string
	// TextCast is the type that CAST(x AS ...) turns x into text with.
	TextCast() string
	// NativeText reports whether a text (enum=false) or ENUM column of this
	// catalog type compares as text without a cast.
	NativeText(enum bool, dataType string) bool
	// ILike is how "<text> matches pattern case-insensitively" is written:
	// open, the text, mid, the pattern (bound, after FoldPattern), close.
	// Plain strings, so that the hot path allocates nothing.
	ILike() (open, mid, close string)
	// FoldPattern prepares a LIKE pattern for ILike.
	FoldPattern(p string) string
	// WriteTemporal writes datetime (date=false) or DATE column col in a
	// form that compares and sorts correctly, and reports whether it wrote
	// anything (false: the bare column does).
	WriteTemporal(w Writer, col string, date bool) bool
	// WriteTrunc writes datetime column col truncated to unit (microsecond,
	// millisecond, second, minute, hour, day, week, month, quarter, year):
	// the start of the unit, weeks on Monday, quarters on Jan/Apr/Jul/Oct
	// 1st. zone, when not nil, writes the time zone that instants
	// (TimeZones) are truncated in.
	WriteTrunc(w Writer, col, unit string, zone func())
	// WriteDateTrunc writes DATE column col truncated to unit (week,
	// month, quarter or year).
	WriteDateTrunc(w Writer, col, unit string)
}

// Writer receives SQL text, identifiers (quoted by the writer) and values
// (bound by the writer).
type Writer interface {
	SQL(s string)
	Ident(name string)
	Arg(v any)
}

// Opener opens a connection pool.
type Opener interface {
	// Prepare checks and registers what opening needs beyond the DSN (a
	// database file's folder, TLS certificates), before Gorm.
	Prepare(c ConnSettings) error
	// DSN is the driver's connection string for c. It holds the password:
	// never log it.
	DSN(c ConnSettings) (string, error)
	// DefaultPort is the usual TCP port (0: none).
	DefaultPort() int
	// Gorm returns the GORM dialector for dsn.
	Gorm(dsn string) gorm.Dialector
	// MaxOpenConns is the pool size for conns configured connections.
	MaxOpenConns(conns int) int
	// ProbeSQL reads the server version and the default schema (two columns).
	ProbeSQL() string
	// UserProblem explains why a user name cannot be used ("" it can).
	UserProblem(user string) string
	// TimeoutDSN returns the DSN whose connections carry statement timeout
	// t on a server of this version, and whether the pool must be opened
	// again with it (false: dsn already carries it, or there is no
	// server-side timeout).
	TimeoutDSN(dsn, version string, t time.Duration) (string, bool)
}

// ConnSettings are the connection settings (DATABASE_*): Name is the
// database name or, for a FileDatabase, the file path; Extra is
// DATABASE_EXTRA (query parameters); StatementTimeout, when positive, is
// enforced by the server where the DSN can carry it.
type ConnSettings struct {
	Host, User, Password, Name, Extra string
	Port                              int
	SSLCA, SSLCert, SSLKey            string
	StatementTimeout                  time.Duration
}

// Session is per-connection setup.
type Session interface {
	// DDLLock is run at the start of a schema change, in its transaction
	// (TransactionalDDL) or on its connection, to bound the wait for a
	// table lock; reset ("" none) is run on the connection afterwards.
	DDLLock() (set, reset string)
	// Interrupter returns a function that stops the statement running on
	// conn, for drivers that do not stop it when its context ends; nil
	// when the driver does.
	Interrupter(conn *sql.Conn) func()
}

// Catalog is what reading the catalog needs beyond schema reflection.
type Catalog interface {
	// ColumnTypeSQL reads one column's exact SQL type (one text column).
	ColumnTypeSQL(schema, table, column string) (string, []any)
	// SchemaExistsSQL reports (one boolean column) whether the schema bound
	// as its only parameter exists; "" without Schemas.
	SchemaExistsSQL() string
	// PrivilegeWarnings says what is dangerous about the rights q connects
	// with (a superuser, file or process rights); nil when nothing was
	// found or the rights could not be read.
	PrivilegeWarnings(ctx context.Context, q *sql.Conn) []string
	// EstimateSQL estimates a table's row count; column is the result
	// column holding it ("" the first). ok is false without RowEstimates.
	EstimateSQL(schema, table string) (query string, args []any, column string, ok bool)
	// TableSchema is the schema that tables of schema s are qualified
	// with and new tables go into: s, or "" where tables are never qualified.
	TableSchema(s string) string
	// CatalogKind is the system catalog schema reflection reads tables,
	// columns and keys from.
	CatalogKind() CatalogKind
}

// CatalogKind is a family of system catalogs: engines whose catalogs are
// alike share one, and schema reflection keeps one reader per kind.
type CatalogKind uint8

const (
	// CatalogPgCatalog: pg_catalog (pg_class, pg_attribute, ...).
	CatalogPgCatalog CatalogKind = iota + 1
	// CatalogInformationSchema: information_schema as MySQL and MariaDB
	// have it (tables, columns, key usage), for one database.
	CatalogInformationSchema
	// CatalogPragma: sqlite_schema and the pragma table functions, with
	// case-insensitive table names.
	CatalogPragma
)

// Values is how Go values are bound.
type Values interface {
	// BindBool is what a boolean binds as (bool, or 0/1).
	BindBool(b bool) any
	// BindWallTime is what a datetime without time zone binds as: t holds
	// the wall clock in UTC.
	BindWallTime(t time.Time) any
}

// QuoteTableWith quotes table, qualified by schema unless schema is empty.
func QuoteTableWith(q byte, schema, table string) string {
	if schema == "" {
		return QuoteWith(q, table)
	}
	return QuoteWith(q, schema) + "." + QuoteWith(q, table)
}

// QuoteWith quotes name with quote character q, doubling it inside.
func QuoteWith(q byte, name string) string {
	b := make([]byte, 0, len(name)+2)
	b = append(b, q)
	for i := 0; i < len(name); i++ {
		if name[i] == q {
			b = append(b, q)
		}
		b = append(b, name[i])
	}
	return string(append(b, q))
}
