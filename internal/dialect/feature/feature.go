// Package feature names what an SQL engine can do, so that code outside the
// per-engine dialect packages asks for a capability instead of an engine
// name (modelled on uptrace/bun's dialect/feature).
package feature

// Feature is a set of capabilities, one bit each.
type Feature uint64

const (
	// NumberedParams: placeholders are numbered ($1, $2, ...), not "?".
	NumberedParams Feature = 1 << iota
	// Returning: INSERT/UPDATE ... RETURNING.
	Returning
	// LastInsertID: the driver reports the last inserted auto-increment key.
	LastInsertID
	// RowEstimates: the catalog estimates a table's row count cheaply.
	RowEstimates
	// TransactionalDDL: CREATE/ALTER/DROP run inside a transaction and roll back.
	TransactionalDDL
	// Schemas: tables live in a schema the user chooses (DATABASE_SCHEMA);
	// table names are qualified with it.
	Schemas
	// FileDatabase: the database is one local file (no host, port or user).
	FileDatabase
	// ServerDatabase: the database is reached over the network with a host,
	// port, user and password.
	ServerDatabase
	// ILike: case-insensitive LIKE as an operator.
	ILike
	// NativeBool: a boolean type that binds Go bool (else 0/1 integers).
	NativeBool
	// TimeZones: a timestamp type that stores instants (timestamptz).
	TimeZones
	// JSONContainment: the jsonb @> operator.
	JSONContainment
	// Arrays: array column types.
	Arrays
	// NullsSortLast: NULL sorts after every value in ascending order.
	NullsSortLast
	// CaseSensitiveIdents: column names differing only in case are distinct.
	CaseSensitiveIdents
	// CommentOn: COMMENT ON TABLE/COLUMN statements.
	CommentOn
	// InlineComments: COMMENT '...' in column and table definitions.
	InlineComments
	// AlterByRebuild: most ALTER TABLE changes need the table rebuilt.
	AlterByRebuild
	// EnumSortsByIndex: an ENUM column sorts by its declared position but
	// compares as text.
	EnumSortsByIndex
	// SerialSequences: auto-increment keys come from a sequence that an
	// explicit key does not advance.
	SerialSequences
	// EmptyValuesInsert: a row of defaults is "INSERT ... () VALUES ()"
	// (else "DEFAULT VALUES").
	EmptyValuesInsert
	// UserVariables: session @variables that a pooled connection must reset.
	UserVariables
	// ColumnDescriptions: result sets describe columns with catalog type
	// names worth reporting (§10.3 column_descriptions).
	ColumnDescriptions
	// AnonymousColumnName: an unnamed result column is "?column?".
	AnonymousColumnName
	// DriverTimeout: statements are bounded by the driver only, with no
	// server-side statement timeout (so no grace period before it).
	DriverTimeout
	// PgxFastPath: reads may bypass database/sql through pgx.
	PgxFastPath
	// AutoIncrement: the AUTO_INCREMENT column attribute.
	AutoIncrement
	// ParenthesisedDefaults: an expression default is written in parentheses.
	ParenthesisedDefaults
	// NullableTimestampNeedsNull: a nullable TIMESTAMP column must say NULL.
	NullableTimestampNeedsNull
	// CachedPlans: pooled connections cache prepared statements whose
	// result types a schema change can invalidate.
	CachedPlans
	// TinyIntBooleans: BOOLEAN is a small integer type (TINYINT(1)), and a
	// boolean filter value that is neither a number nor a boolean word is
	// refused, as upstream does.
	TinyIntBooleans
	// TruncToTimestamp: date truncation gives a timestamp (else text).
	TruncToTimestamp
	// JSONText: a JSON column holds text the server checks as JSON, so a
	// string value is written as the JSON text itself.
	JSONText
	// SessionZoneTimestamps: a TIMESTAMP column stores the wall time read
	// in the session's zone (an offset given with a value is dropped, as
	// upstream does).
	SessionZoneTimestamps
	// SSLModeParam: the DSN asks for TLS with libpq's sslmode parameter.
	SSLModeParam
	// TLSParam: the DSN asks for TLS with a tls parameter (true,
	// skip-verify or a registered configuration).
	TLSParam
	// TypedParams: a bound parameter takes its type from the context, so a
	// float compared with an integer column needs a cast.
	TypedParams
	// CaseInsensitiveLike: LIKE itself ignores (ASCII) case.
	CaseInsensitiveLike
	// TextDateTimes: datetimes are stored as text.
	TextDateTimes
	// UUIDMinMaxAsText: MIN/MAX of a uuid column need it cast to text.
	UUIDMinMaxAsText
	// SetConfig: session settings are made with set_config(), local to a
	// transaction or to the session, and a running statement is cancelled
	// with pg_cancel_backend(pid).
	SetConfig
	// KillQuery: session settings are session variables (SET SESSION),
	// and a running statement is cancelled with KILL QUERY <connection id>.
	KillQuery
	// UnsignedInts: integer types may be UNSIGNED.
	UnsignedInts
)

// Has reports whether every feature in x is in f.
func (f Feature) Has(x Feature) bool { return f&x == x }
