package sqlite

import "github.com/jetbridge/jetbridge/internal/dialect"

// types: SQLite keeps any type name; these are the ones its type affinity
// reads as intended. It has no geometry types.
var types = [...]string{
	dialect.TypeText:      "TEXT",
	dialect.TypeBoolean:   "BOOLEAN",
	dialect.TypeInteger:   "INTEGER",
	dialect.TypeSmallInt:  "SMALLINT",
	dialect.TypeBigInt:    "BIGINT",
	dialect.TypeDecimal:   "NUMERIC",
	dialect.TypeDouble:    "FLOAT",
	dialect.TypeDate:      "DATE",
	dialect.TypeDateTime:  "DATETIME",
	dialect.TypeTimestamp: "TIMESTAMP",
	dialect.TypeJSON:      "JSON",
	dialect.TypeBinary:    "BLOB",
	dialect.TypeUUID:      "CHAR(36)",
}

func (Dialect) SQLType(t dialect.ColumnType, length *int) (string, bool) {
	switch t {
	case dialect.TypeVarchar:
		return "VARCHAR" + dialect.Length(length, 0), true
	case dialect.TypeChar:
		return "CHAR" + dialect.Length(length, 1), true
	}
	return dialect.TypeName(types[:], t)
}

func (Dialect) ReferenceType(exact string) string { return exact }
func (Dialect) CanonType(t string) string         { return t }

// NowDefault: CURRENT_TIMESTAMP is text with the time, which a DATE
// column would keep.
func (Dialect) NowDefault(date bool) string {
	if date {
		return "CURRENT_DATE"
	}
	return "CURRENT_TIMESTAMP"
}
func (Dialect) UUIDDefault() string           { return "" }
func (Dialect) SequenceDefault(string) string { return "" }
