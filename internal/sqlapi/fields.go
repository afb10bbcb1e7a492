package sqlapi

import "strings"

// pgFieldType maps a PostgreSQL result type (the driver's name for the
// column's type OID) to the field type of §8.5, for column_descriptions
// (arrays: the element's type, as the recording shows: int[] -> IntegerField).
// Types the driver does not know (enums, PostGIS, other extensions) report
// their OID as a number and map to "" (JSON null).
func pgFieldType(dbType string) string {
	if strings.HasPrefix(dbType, "_") {
		return pgFieldType(dbType[1:]) // as upstream: an array is described by its element type
	}
	switch dbType {
	case "VARCHAR", "BPCHAR", "CHAR", "NAME", "CITEXT":
		return "CharField"
	case "TEXT":
		return "TextField"
	case "BOOL":
		return "BooleanField"
	case "INT2", "INT4", "INT8":
		return "IntegerField"
	case "NUMERIC", "FLOAT4", "FLOAT8":
		return "FloatField"
	case "DATE":
		return "DateField"
	case "TIMESTAMP", "TIMESTAMPTZ":
		return "DateTimeField"
	case "JSON", "JSONB":
		return "JSONField"
	case "UUID":
		return "UUIDField"
	case "TIME", "TIMETZ", "INTERVAL", "INET", "CIDR", "MACADDR", "BYTEA", "MONEY", "XML",
		"OID", "BIT", "VARBIT", "TSVECTOR", "TSQUERY", "POINT", "LINE", "LSEG", "BOX", "PATH",
		"POLYGON", "CIRCLE", "INT4RANGE", "INT8RANGE", "NUMRANGE", "DATERANGE", "TSRANGE", "TSTZRANGE":
		return "CharField"
	}
	return ""
}
