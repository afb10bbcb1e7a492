package dialect

import "strconv"

// DDL is how schema changes spell column types and defaults.
type DDL interface {
	// SQLType spells column type t. length is the length of TypeVarchar
	// and TypeChar (nil: the engine's default, if any) and is ignored
	// otherwise. ok is false when the engine has no such type.
	SQLType(t ColumnType, length *int) (sql string, ok bool)
	// ReferenceType is the type a foreign-key column takes from the exact
	// SQL type of the column it references: without auto-increment.
	ReferenceType(exact string) string
	// CanonType normalises a lower-case SQL type with single spaces for
	// change detection (display widths, aliases).
	CanonType(t string) string
	// NowDefault is the default expression for "now" on a datetime
	// column, or on a DATE column when date is set.
	NowDefault(date bool) string
	// UUIDDefault is the default expression for a new random UUID; ""
	// when the engine has none.
	UUIDDefault() string
	// SequenceDefault is the default expression taking the next value of
	// sequence seq (a name, possibly schema-qualified); "" when the engine
	// has no sequences.
	SequenceDefault(seq string) string
}

// ColumnType is an engine-neutral column type that DDL asks a dialect to
// spell.
type ColumnType uint8

const (
	TypeVarchar   ColumnType = iota // variable-length text with a length
	TypeChar                        // fixed-length text
	TypeText                        // unbounded text
	TypeBoolean                     // a boolean
	TypeInteger                     // a 32-bit integer
	TypeSmallInt                    // a 16-bit integer
	TypeBigInt                      // a 64-bit integer
	TypeDecimal                     // an exact decimal
	TypeDouble                      // a double-precision float
	TypeDate                        // a date
	TypeDateTime                    // a date and time
	TypeTimestamp                   // a timestamp (MySQL: stored as an instant)
	TypeJSON                        // JSON
	TypeBinary                      // binary data
	TypeUUID                        // a UUID
	TypeGeometry                    // a planar point
	TypeGeography                   // a point on the globe
)

// TypeName is names[t] when an engine's table of column types has one.
func TypeName(names []string, t ColumnType) (string, bool) {
	if int(t) < len(names) && names[t] != "" {
		return names[t], true
	}
	return "", false
}

// Length is "(n)" for a column type's length: length when set, else def
// when positive, else "".
func Length(length *int, def int) string {
	switch {
	case length != nil:
		return "(" + strconv.Itoa(*length) + ")"
	case def > 0:
		return "(" + strconv.Itoa(def) + ")"
	}
	return ""
}
