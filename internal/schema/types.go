package schema

import (
	"strconv"
	"strings"
)

// Model description field types (spec §8.5).
const (
	FieldChar            = "CharField"
	FieldText            = "TextField"
	FieldSelect          = "SelectField"
	FieldBoolean         = "BooleanField"
	FieldInteger         = "IntegerField"
	FieldSmallInteger    = "SmallIntegerField"
	FieldBigInteger      = "BigIntegerField"
	FieldFloat           = "FloatField"
	FieldNumber          = "NumberField"
	FieldDecimal         = "DecimalField"
	FieldDoublePrecision = "DoublePrecisionField"
	FieldDate            = "DateField"
	FieldDateTime        = "DateTimeField"
	FieldTimestamp       = "TimestampField"
	FieldJSON            = "JSONField"
	FieldBinary          = "BinaryField"
	FieldUUID            = "UUIDField"
	FieldGeometry        = "GeometryField"
	FieldGeography       = "GeographyField"
	FieldForeignKey      = "ForeignKey"
)

// setType fills the type facts of c.
func setType(c *Column, internal string, kind Kind, field, dbField string) {
	c.InternalType = internal
	c.Kind = kind
	c.Field = field
	c.DBField = dbField
}

// setString fills a character type with an optional length.
func setString(c *Column, name string, length int, field string) {
	c.StringType = true
	if length > 0 {
		n := length
		c.Length = &n
		setType(c, name+"("+strconv.Itoa(length)+")", KindText, field, field)
		return
	}
	setType(c, name, KindText, field, field)
}

// setEnum fills an enum type; like SQLAlchemy's Enum its length is the
// longest label.
func setEnum(c *Column, labels []string) {
	c.EnumValues = labels
	c.StringType = true
	longest := 0
	for _, l := range labels {
		longest = max(longest, len([]rune(l)))
	}
	c.Length = &longest
	setType(c, "ENUM", KindEnum, FieldSelect, FieldSelect)
}

func numericType(name string, precision, scale int) string {
	if precision <= 0 {
		return name
	}
	return name + "(" + strconv.Itoa(precision) + ", " + strconv.Itoa(scale) + ")"
}

// pgTypeInfo is what the catalog query returns about a column's type.
type pgTypeInfo struct {
	typname   string // base type name (domains resolved), e.g. "int4", "_text"
	builtin   bool   // the type lives in pg_catalog
	typtype   string // "b" base, "e" enum, "c" composite, ...
	category  string // pg_type.typcategory: "A" for arrays
	elem      string // array element type name
	elemBuilt bool
	elemType  string // array element typtype
	typmod    int
	labels    []string
}

// mapPostgres sets the type facts of a PostgreSQL column.
func mapPostgres(c *Column, ti pgTypeInfo) {
	if ti.category == "A" && ti.elem != "" {
		setType(c, "ARRAY", KindArray, FieldJSON, FieldJSON)
		var e Column
		mapPostgres(&e, pgTypeInfo{typname: ti.elem, builtin: ti.elemBuilt, typtype: ti.elemType, typmod: -1})
		c.ElemType = ti.elem
		c.ElemKind = e.Kind
		return
	}
	if ti.typtype == "e" {
		setEnum(c, ti.labels)
		return
	}
	if !ti.builtin {
		switch ti.typname {
		case "geometry":
			setType(c, "GEOMETRY", KindText, FieldGeometry, FieldGeometry)
		case "geography":
			setType(c, "GEOGRAPHY", KindText, FieldGeography, FieldGeography)
		case "citext":
			setString(c, "CITEXT", 0, FieldText)
		default:
			setType(c, strings.ToUpper(ti.typname), KindText, FieldChar, FieldChar)
		}
		return
	}
	mod := ti.typmod
	switch ti.typname {
	case "int2":
		setType(c, "SMALLINT", KindInteger, FieldInteger, FieldSmallInteger)
		c.IntBits = 16
	case "int4":
		setType(c, "INTEGER", KindInteger, FieldInteger, FieldInteger)
		c.IntBits = 32
	case "int8":
		setType(c, "BIGINT", KindInteger, FieldInteger, FieldBigInteger)
		c.IntBits = 64
	case "numeric":
		p, s := 0, 0
		if mod >= 4 {
			p, s = ((mod-4)>>16)&0xffff, (mod-4)&0xffff
		}
		setType(c, numericType("NUMERIC", p, s), KindDecimal, FieldFloat, FieldNumber)
	case "float4":
		setType(c, "REAL", KindFloat, FieldFloat, FieldFloat)
	case "float8":
		setType(c, "DOUBLE_PRECISION", KindFloat, FieldFloat, FieldDoublePrecision)
	case "varchar":
		setString(c, "VARCHAR", max(mod-4, 0), FieldChar)
	case "bpchar":
		setString(c, "CHAR", max(mod-4, 0), FieldChar)
	case "text":
		setString(c, "TEXT", 0, FieldText)
	case "name":
		setString(c, "VARCHAR", 0, FieldChar)
	case "bool":
		setType(c, "BOOLEAN", KindBoolean, FieldBoolean, FieldBoolean)
	case "date":
		setType(c, "DATE", KindDate, FieldDate, FieldDate)
	case "time", "timetz":
		setType(c, "TIME", KindTime, FieldChar, FieldChar)
	case "timestamp":
		setType(c, "TIMESTAMP", KindDateTime, FieldDateTime, FieldTimestamp)
	case "timestamptz":
		setType(c, "TIMESTAMP", KindDateTime, FieldDateTime, FieldTimestamp)
		c.HasTimezone = true
	case "json":
		setType(c, "JSON", KindJSON, FieldJSON, FieldJSON)
	case "jsonb":
		setType(c, "JSONB", KindJSON, FieldJSON, FieldJSON)
	case "uuid":
		setType(c, "UUID", KindUUID, FieldUUID, FieldUUID)
	case "bytea":
		setType(c, "BYTEA", KindBinary, FieldChar, FieldChar)
	default:
		// interval, inet, cidr, macaddr, money, xml, tsvector, bit...
		setType(c, strings.ToUpper(ti.typname), KindText, FieldChar, FieldChar)
	}
}

// mapMySQL sets the type facts of a MySQL/MariaDB column from
// information_schema.COLUMNS: DATA_TYPE (lower case), COLUMN_TYPE, the
// character length and numeric precision/scale; isJSON marks MariaDB's JSON
// alias (LONGTEXT with a json_valid check).
func mapMySQL(c *Column, dataType, columnType string, charLen, precision, scale int, isJSON bool) {
	ct := strings.ToLower(columnType)
	c.Unsigned = strings.Contains(ct, "unsigned")
	switch dataType {
	case "tinyint":
		if strings.HasPrefix(ct, "tinyint(1)") {
			// a boolean whose type upstream names TINYINT
			setType(c, "TINYINT", KindBoolean, FieldBoolean, FieldBoolean)
		} else {
			// an integer, which upstream describes as a boolean field (its
			// type map names every MySQL TINYINT BooleanField; the recording)
			setType(c, "TINYINT", KindInteger, FieldBoolean, FieldBoolean)
			c.IntBits = 8
		}
	case "smallint":
		setType(c, "SMALLINT", KindInteger, FieldInteger, FieldSmallInteger)
		c.IntBits = 16
	case "mediumint":
		setType(c, "MEDIUMINT", KindInteger, FieldInteger, FieldInteger)
		c.IntBits = 24
	case "int", "integer":
		setType(c, "INTEGER", KindInteger, FieldInteger, FieldInteger)
		c.IntBits = 32
	case "bigint":
		setType(c, "BIGINT", KindInteger, FieldInteger, FieldBigInteger)
		c.IntBits = 64
	case "decimal", "numeric":
		setType(c, numericType("DECIMAL", precision, scale), KindDecimal, FieldFloat, FieldDecimal)
	case "float":
		setType(c, "FLOAT", KindFloat, FieldFloat, FieldFloat)
	case "double", "real", "double precision":
		setType(c, "DOUBLE", KindFloat, FieldFloat, FieldFloat)
	case "char":
		setString(c, "CHAR", charLen, FieldChar)
	case "varchar":
		setString(c, "VARCHAR", charLen, FieldChar)
	case "text":
		setString(c, "TEXT", 0, FieldText)
	case "tinytext", "mediumtext", "longtext":
		if isJSON {
			setType(c, "JSON", KindJSON, FieldJSON, FieldJSON)
			c.TextJSON = true
			return
		}
		setString(c, strings.ToUpper(dataType), 0, FieldChar)
	case "json":
		setType(c, "JSON", KindJSON, FieldJSON, FieldJSON)
	case "enum":
		setEnum(c, parseMySQLList(columnType))
	case "set":
		setString(c, "SET", 0, FieldChar)
	case "date":
		setType(c, "DATE", KindDate, FieldDate, FieldDate)
	case "datetime":
		setType(c, "DATETIME", KindDateTime, FieldDateTime, FieldDateTime)
	case "timestamp":
		// stored in UTC, read in the session time zone
		setType(c, "TIMESTAMP", KindDateTime, FieldDateTime, FieldTimestamp)
		c.HasTimezone = true
	case "time":
		setType(c, "TIME", KindTime, FieldChar, FieldChar)
	case "year":
		setType(c, "YEAR", KindInteger, FieldChar, FieldChar)
	case "binary", "varbinary":
		name := strings.ToUpper(dataType)
		if charLen > 0 {
			name += "(" + strconv.Itoa(charLen) + ")"
		}
		setType(c, name, KindBinary, FieldBinary, FieldBinary)
	case "tinyblob", "blob", "mediumblob", "longblob":
		setType(c, strings.ToUpper(dataType), KindBinary, FieldChar, FieldChar)
	case "bit":
		setType(c, "BIT", KindBinary, FieldChar, FieldChar)
	case "uuid":
		setType(c, "UUID", KindUUID, FieldUUID, FieldUUID)
	case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
		"geometrycollection":
		setType(c, strings.ToUpper(dataType), KindBinary, FieldChar, FieldChar)
	default:
		// inet4, inet6, vector, unknown
		setType(c, strings.ToUpper(dataType), KindText, FieldChar, FieldChar)
	}
}

// parseMySQLList parses the quoted labels of enum('a','b”c') or set(...).
func parseMySQLList(columnType string) []string {
	open := strings.IndexByte(columnType, '(')
	end := strings.LastIndexByte(columnType, ')')
	if open < 0 || end <= open {
		return nil
	}
	body := columnType[open+1 : end]
	var out []string
	for i := 0; i < len(body); {
		if body[i] != '\'' {
			i++
			continue
		}
		var sb strings.Builder
		j := i + 1
		for j < len(body) {
			ch := body[j]
			if ch == '\'' {
				if j+1 < len(body) && body[j+1] == '\'' {
					sb.WriteByte('\'')
					j += 2
					continue
				}
				break
			}
			if ch == '\\' && j+1 < len(body) {
				sb.WriteByte(body[j+1])
				j += 2
				continue
			}
			sb.WriteByte(ch)
			j++
		}
		out = append(out, sb.String())
		i = j + 1
	}
	return out
}

// mapSQLite sets the type facts of a SQLite column from its declared type,
// by name where the name is known and by SQLite's affinity rules otherwise.
func mapSQLite(c *Column, declared string) {
	decl := strings.ToUpper(strings.TrimSpace(declared))
	name, args := decl, ""
	if i := strings.IndexByte(decl, '('); i >= 0 {
		name = strings.TrimSpace(decl[:i])
		args = strings.TrimSuffix(strings.TrimSpace(decl[i+1:]), ")")
	}
	nums := parseArgs(args)
	arg := func(i int) int {
		if i < len(nums) {
			return nums[i]
		}
		return 0
	}
	switch name {
	case "INTEGER", "INT":
		setType(c, "INTEGER", KindInteger, FieldInteger, FieldInteger)
	case "BIGINT", "UNSIGNED BIG INT", "INT8":
		setType(c, "BIGINT", KindInteger, FieldInteger, FieldBigInteger)
	case "SMALLINT", "INT2":
		setType(c, "SMALLINT", KindInteger, FieldInteger, FieldSmallInteger)
	case "REAL", "FLOAT", "DOUBLE", "DOUBLE PRECISION":
		setType(c, strings.ReplaceAll(name, " ", "_"), KindFloat, FieldFloat, FieldFloat)
	case "NUMERIC":
		setType(c, numericType("NUMERIC", arg(0), arg(1)), KindDecimal, FieldFloat, FieldNumber)
	case "DECIMAL":
		setType(c, numericType("DECIMAL", arg(0), arg(1)), KindDecimal, FieldFloat, FieldDecimal)
	case "TEXT", "CLOB":
		setString(c, "TEXT", 0, FieldText)
	case "NVARCHAR", "NCHAR": // the declared type as written, as upstream's reflection names it
		setString(c, name, arg(0), FieldChar)
	case "VARCHAR", "CHARACTER VARYING", "VARYING CHARACTER", "NATIVE CHARACTER":
		setString(c, "VARCHAR", arg(0), FieldChar)
	case "CHAR", "CHARACTER":
		setString(c, "CHAR", arg(0), FieldChar)
	case "BLOB":
		setType(c, "BLOB", KindBinary, FieldChar, FieldChar)
	case "BOOLEAN", "BOOL":
		setType(c, "BOOLEAN", KindBoolean, FieldBoolean, FieldBoolean)
	case "DATE":
		setType(c, "DATE", KindDate, FieldDate, FieldDate)
	case "DATETIME":
		setType(c, "DATETIME", KindDateTime, FieldDateTime, FieldDateTime)
	case "TIMESTAMP":
		setType(c, "TIMESTAMP", KindDateTime, FieldDateTime, FieldTimestamp)
	case "TIME":
		setType(c, "TIME", KindTime, FieldChar, FieldChar)
	case "JSON", "JSONB":
		setType(c, "JSON", KindJSON, FieldJSON, FieldJSON)
	case "UUID":
		setType(c, "UUID", KindUUID, FieldUUID, FieldUUID)
	case "":
		// no declared type: values of any storage class
		setType(c, "NULL", KindText, FieldChar, FieldChar)
	default:
		switch {
		case strings.Contains(name, "INT"):
			setType(c, "INTEGER", KindInteger, FieldInteger, FieldInteger)
		case strings.Contains(name, "CHAR") || strings.Contains(name, "CLOB") || strings.Contains(name, "TEXT"):
			setString(c, "TEXT", 0, FieldText)
		case strings.Contains(name, "BLOB"):
			setType(c, "BLOB", KindBinary, FieldChar, FieldChar)
		case strings.Contains(name, "REAL") || strings.Contains(name, "FLOA") || strings.Contains(name, "DOUB"):
			setType(c, "REAL", KindFloat, FieldFloat, FieldFloat)
		default:
			// NUMERIC affinity, but an unknown name holds anything: keep it text
			setType(c, decl, KindText, FieldChar, FieldChar)
		}
	}
}

func parseArgs(args string) []int {
	if args == "" {
		return nil
	}
	var out []int
	for _, p := range strings.Split(args, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil {
			return out
		}
		out = append(out, n)
	}
	return out
}
