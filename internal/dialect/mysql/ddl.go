package mysql

import (
	"strings"

	"github.com/jetbridge/jetbridge/internal/dialect"
)

var types = [...]string{
	dialect.TypeText:     "TEXT",
	dialect.TypeBoolean:  "BOOLEAN",
	dialect.TypeInteger:  "INT",
	dialect.TypeSmallInt: "SMALLINT",
	dialect.TypeBigInt:   "BIGINT",
	// MariaDB's bare NUMERIC is DECIMAL(10,0): it would round 1.5 to 2
	dialect.TypeDecimal:   "DECIMAL(30,10)",
	dialect.TypeDouble:    "DOUBLE",
	dialect.TypeDate:      "DATE",
	dialect.TypeDateTime:  "DATETIME",
	dialect.TypeTimestamp: "TIMESTAMP",
	dialect.TypeJSON:      "JSON",
	dialect.TypeBinary:    "BLOB",
	dialect.TypeUUID:      "CHAR(36)",
	dialect.TypeGeometry:  "POINT",
	dialect.TypeGeography: "POINT",
}

func (Dialect) SQLType(t dialect.ColumnType, length *int) (string, bool) {
	switch t {
	case dialect.TypeVarchar:
		return "varchar" + dialect.Length(length, 255), true
	case dialect.TypeChar:
		return "CHAR" + dialect.Length(length, 1), true
	}
	return dialect.TypeName(types[:], t)
}

// ReferenceType drops AUTO_INCREMENT (and lower-cases the type).
func (Dialect) ReferenceType(exact string) string {
	return strings.Replace(strings.ToLower(exact), " auto_increment", "", 1)
}

// CanonType: display widths do not matter (int(11) == int), and INTEGER,
// BOOLEAN and JSON are aliases.
func (Dialect) CanonType(t string) string {
	for _, p := range []string{"int", "bigint", "smallint", "mediumint"} {
		if strings.HasPrefix(t, p+"(") {
			if i := strings.IndexByte(t, ')'); i > 0 {
				t = p + t[i+1:]
			}
		}
	}
	switch t {
	case "integer":
		t = "int"
	case "boolean", "bool":
		t = "tinyint(1)"
	case "json":
		t = "longtext"
	}
	return t
}

func (Dialect) NowDefault(bool) string        { return "CURRENT_TIMESTAMP" }
func (Dialect) UUIDDefault() string           { return "uuid()" }
func (Dialect) SequenceDefault(string) string { return "" }
