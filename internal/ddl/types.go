package ddl

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/jetbridge/jetbridge/internal/config"
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

// knownDBField reports whether db is a db_field with its own SQL type.
func knownDBField(db string) bool {
	switch db {
	case schema.FieldChar, "FixedCharField", schema.FieldText, schema.FieldSelect, schema.FieldBoolean,
		schema.FieldInteger, schema.FieldSmallInteger, schema.FieldBigInteger, schema.FieldNumber,
		schema.FieldFloat, schema.FieldDecimal, schema.FieldDoublePrecision, schema.FieldDate,
		schema.FieldDateTime, schema.FieldTimestamp, schema.FieldJSON, schema.FieldBinary, schema.FieldUUID,
		schema.FieldGeometry, schema.FieldGeography:
		return true
	}
	return false
}

// sqlType renders the SQL type of a db_field on an engine. PostgreSQL types
// are spelled as format_type() prints them, so a change can be detected by
// comparing with the catalog.
func sqlType(e config.Engine, dbField string, length *int) (string, error) {
	if !knownDBField(dbField) {
		dbField = schema.FieldChar
	}
	n := func(def int) string {
		if length != nil {
			return "(" + strconv.Itoa(*length) + ")"
		}
		if def > 0 {
			return "(" + strconv.Itoa(def) + ")"
		}
		return ""
	}
	pg, my := e == config.EnginePostgres, e == config.EngineMySQL
	switch dbField {
	case schema.FieldChar, schema.FieldSelect:
		switch {
		case pg:
			return "character varying" + n(0), nil
		case my:
			return "varchar" + n(255), nil
		}
		return "VARCHAR" + n(0), nil
	case "FixedCharField":
		if pg {
			return "character" + n(1), nil
		}
		return "CHAR" + n(1), nil
	case schema.FieldText:
		return pick(pg, "text", "TEXT"), nil
	case schema.FieldBoolean:
		return pick(pg, "boolean", "BOOLEAN"), nil
	case schema.FieldInteger:
		return pick(pg, "integer", pick(my, "INT", "INTEGER")), nil
	case schema.FieldSmallInteger:
		return pick(pg, "smallint", "SMALLINT"), nil
	case schema.FieldBigInteger:
		return pick(pg, "bigint", "BIGINT"), nil
	case schema.FieldNumber, schema.FieldDecimal:
		// MariaDB's bare NUMERIC is DECIMAL(10,0): it would round 1.5 to 2
		return pick(pg, "numeric", pick(my, "DECIMAL(30,10)", "NUMERIC")), nil
	case schema.FieldFloat, schema.FieldDoublePrecision:
		switch {
		case pg:
			return "double precision", nil
		case my:
			return "DOUBLE", nil
		}
		return "FLOAT", nil
	case schema.FieldDate:
		return pick(pg, "date", "DATE"), nil
	case schema.FieldDateTime:
		return pick(pg, "timestamp with time zone", "DATETIME"), nil
	case schema.FieldTimestamp:
		return pick(pg, "timestamp with time zone", "TIMESTAMP"), nil
	case schema.FieldJSON:
		return pick(pg, "json", "JSON"), nil
	case schema.FieldBinary:
		return pick(pg, "bytea", "BLOB"), nil
	case schema.FieldUUID:
		return pick(pg, "uuid", "CHAR(36)"), nil
	case schema.FieldGeometry, schema.FieldGeography:
		switch {
		case pg:
			return pick(dbField == schema.FieldGeometry, "geometry(Point)", "geography(Point)"), nil
		case my:
			return "POINT", nil
		}
		return "", errUnsupported("geometry columns need PostGIS or MySQL")
	}
	return "", errUnsupported("unknown type " + dbField)
}

func pick(c bool, a, b string) string {
	if c {
		return a
	}
	return b
}

type errUnsupported string

func (e errUnsupported) Error() string { return string(e) }

var safeType = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9 _]*(\([0-9, ]+\))?( [A-Za-z ]+)?$`)

// refType is the SQL type a foreign-key column takes from the column it
// references (without autoincrement).
func refType(e config.Engine, c *schema.Column, exact string) (string, error) {
	if exact != "" && safeType.MatchString(exact) {
		t := exact
		if e == config.EngineMySQL {
			t = strings.Replace(strings.ToLower(t), " auto_increment", "", 1)
		}
		if e == config.EnginePostgres {
			switch strings.ToLower(t) {
			case "serial", "serial4":
				t = "integer"
			case "bigserial", "serial8":
				t = "bigint"
			case "smallserial", "serial2":
				t = "smallint"
			}
		}
		return t, nil
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
		if e == config.EngineMySQL && c.Unsigned {
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
func canonType(e config.Engine, t string) string {
	t = strings.ToLower(strings.Join(strings.Fields(t), " "))
	if e == config.EngineMySQL {
		// display widths do not matter: int(11) == int
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
	}
	return strings.ReplaceAll(t, ", ", ",")
}
