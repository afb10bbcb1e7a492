package postgres

import (
	"strings"

	"github.com/jetbridge/jetbridge/internal/dialect"
)

// types are spelled as format_type() prints them, so that a change can be
// detected by comparing with the catalog.
var types = [...]string{
	dialect.TypeText:      "text",
	dialect.TypeBoolean:   "boolean",
	dialect.TypeInteger:   "integer",
	dialect.TypeSmallInt:  "smallint",
	dialect.TypeBigInt:    "bigint",
	dialect.TypeDecimal:   "numeric",
	dialect.TypeDouble:    "double precision",
	dialect.TypeDate:      "date",
	dialect.TypeDateTime:  "timestamp with time zone",
	dialect.TypeTimestamp: "timestamp with time zone",
	dialect.TypeJSON:      "json",
	dialect.TypeBinary:    "bytea",
	dialect.TypeUUID:      "uuid",
	dialect.TypeGeometry:  "geometry(Point)", // PostGIS
	dialect.TypeGeography: "geography(Point)",
}

func (Dialect) SQLType(t dialect.ColumnType, length *int) (string, bool) {
	switch t {
	case dialect.TypeVarchar:
		return "character varying" + dialect.Length(length, 0), true
	case dialect.TypeChar:
		return "character" + dialect.Length(length, 1), true
	}
	return dialect.TypeName(types[:], t)
}

// ReferenceType: a serial column is referenced by its integer type.
func (Dialect) ReferenceType(exact string) string {
	switch strings.ToLower(exact) {
	case "serial", "serial4":
		return "integer"
	case "bigserial", "serial8":
		return "bigint"
	case "smallserial", "serial2":
		return "smallint"
	}
	return exact
}

func (Dialect) CanonType(t string) string { return t }
func (Dialect) NowDefault(bool) string    { return "now()" }
func (Dialect) UUIDDefault() string       { return "gen_random_uuid()" }

func (d Dialect) SequenceDefault(seq string) string {
	return "nextval(" + d.StringLiteral(seq) + "::regclass)"
}
