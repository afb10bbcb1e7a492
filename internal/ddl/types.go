package ddl

import (
	"regexp"
	"strings"

	"github.com/jetbridge/jetbridge/internal/dialect"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// dbFieldOf maps a DTO "field" to the db_field whose SQL type it gets
// (upstream's map_to_sql_type, §11.1); unknown fields are CharField.
func dbFieldOf(field string) string {
	switch field {
	case schema.FieldFloat:
		return schema.FieldNumber
	case schema.FieldChar, schema.FieldText, schema.FieldSelect, schema.FieldBoolean, schema.FieldInteger,
		schema.FieldDate, schema.FieldDateTime, schema.FieldJSON, schema.FieldBinary, schema.FieldUUID,
		schema.FieldGeometry, schema.FieldGeography:
		return field
	}
	return schema.FieldChar
}

// columnTypes maps each db_field with its own SQL type to the
// engine-neutral type a dialect spells; other db_fields are CharField.
var columnTypes = map[string]dialect.ColumnType{
	schema.FieldChar:            dialect.TypeVarchar,
	schema.FieldSelect:          dialect.TypeVarchar,
	"FixedCharField":            dialect.TypeChar,
	schema.FieldText:            dialect.TypeText,
	schema.FieldBoolean:         dialect.TypeBoolean,
	schema.FieldInteger:         dialect.TypeInteger,
	schema.FieldSmallInteger:    dialect.TypeSmallInt,
	schema.FieldBigInteger:      dialect.TypeBigInt,
	schema.FieldNumber:          dialect.TypeDecimal,
	schema.FieldDecimal:         dialect.TypeDecimal,
	schema.FieldFloat:           dialect.TypeDouble,
	schema.FieldDoublePrecision: dialect.TypeDouble,
	schema.FieldDate:            dialect.TypeDate,
	schema.FieldDateTime:        dialect.TypeDateTime,
	schema.FieldTimestamp:       dialect.TypeTimestamp,
	schema.FieldJSON:            dialect.TypeJSON,
	schema.FieldBinary:          dialect.TypeBinary,
	schema.FieldUUID:            dialect.TypeUUID,
	schema.FieldGeometry:        dialect.TypeGeometry,
	schema.FieldGeography:       dialect.TypeGeography,
}

// sqlType renders the SQL type of a db_field in dialect d (PostgreSQL
// spells types as format_type() prints them, so a change can be detected
// by comparing with the catalog).
func sqlType(d dialect.Dialect, dbField string, length *int) (string, error) {
	t, ok := columnTypes[dbField]
	if !ok {
		t = dialect.TypeVarchar
	}
	if s, ok := d.SQLType(t, length); ok {
		return s, nil
	}
	if t == dialect.TypeGeometry || t == dialect.TypeGeography {
		return "", errUnsupported("geometry columns need PostGIS or MySQL")
	}
	return "", errUnsupported("unknown type " + dbField)
}

type errUnsupported string

func (e errUnsupported) Error() string { return string(e) }

var safeType = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9 _]*(\([0-9, ]+\))?( [A-Za-z ]+)?$`)

// refType is the SQL type a foreign-key column takes from the column it
// references (without autoincrement).
func refType(d dialect.Dialect, c *schema.Column, exact string) (string, error) {
	if exact != "" && safeType.MatchString(exact) {
		return d.ReferenceType(exact), nil
	}
	if c.Kind == schema.KindInteger {
		dt := strings.ToLower(c.DataType)
		t := "INTEGER"
		switch {
		case strings.Contains(dt, "big") || dt == "int8":
			t = "BIGINT"
		case strings.Contains(dt, "small") || dt == "int2":
			t = "SMALLINT"
		}
		if c.Unsigned && d.Has(feature.UnsignedInts) {
			t += " UNSIGNED"
		}
		return t, nil
	}
	if safeType.MatchString(c.InternalType) {
		return c.InternalType, nil
	}
	return "", errUnsupported("cannot reference column " + c.Name + " of type " + c.DataType)
}

// integerType reports whether an SQL type is an integer type that can
// autoincrement.
func integerType(t string) bool {
	t = strings.ToLower(strings.TrimSpace(t))
	if i := strings.IndexByte(t, '('); i >= 0 {
		t = strings.TrimSpace(t[:i] + t[strings.IndexByte(t, ')')+1:])
	}
	t = strings.TrimSuffix(t, " unsigned")
	switch t {
	case "integer", "int", "bigint", "smallint", "int4", "int8", "int2", "mediumint", "tinyint":
		return true
	}
	return false
}

// canonType normalises a type for change detection.
func canonType(d dialect.Dialect, t string) string {
	t = d.CanonType(strings.ToLower(strings.Join(strings.Fields(t), " ")))
	return strings.ReplaceAll(t, ", ", ",")
}
