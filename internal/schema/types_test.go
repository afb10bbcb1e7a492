package schema

import (
	"github.com/jetbridge/jetbridge/internal/jsonw"

	"database/sql"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestFillDefault(t *testing.T) {
	// upstream's forms only (views/model_description.py, as the recording
	// shows): MySQL and SQLite defaults have no description form
	tests := []struct {
		expr  string
		kind  Kind
		typ   string
		value any
	}{
		{"now()", KindDateTime, DefaultDatetimeNow, nil},
		{"NOW()", KindDateTime, DefaultDatetimeNow, nil},
		{"CURRENT_TIMESTAMP", KindDateTime, "", nil},
		{"current_timestamp()", KindDateTime, "", nil},
		{"(datetime('now'))", KindDateTime, "", nil},
		{"(now() + '1 day'::interval)", KindDateTime, "", nil},
		{"uuid_generate_v4()", KindUUID, DefaultUUID, nil},
		{"gen_random_uuid()", KindUUID, "", nil},
		{"true", KindBoolean, DefaultValue, true},
		{"FALSE", KindBoolean, DefaultValue, false},
		{"1", KindBoolean, "", nil},
		{"nextval('items_id_seq'::regclass)", KindInteger, DefaultSequence, "'items_id_seq'::regclass"},
		{`nextval('"Odd"."Seq"'::regclass)`, KindInteger, DefaultSequence, `'"Odd"."Seq"'::regclass`},
		{"'abc'::character varying", KindText, DefaultValue, "abc"},
		{"'it''s'::text", KindText, DefaultValue, "it''s"}, // the text as written, as upstream
		{"''::text", KindText, "", nil},
		{"'{}'::jsonb", KindJSON, DefaultValue, "{}"},
		{"'neutral'::mood", KindEnum, DefaultValue, "neutral"},
		{`'x'::"Odd Type"`, KindEnum, DefaultValue, "x"},
		{"'-1'::integer", KindInteger, DefaultValue, "-1"},
		{"'12.50'::numeric", KindDecimal, DefaultValue, "12.50"},
		{"0", KindInteger, "", nil},
		{"'abc'", KindText, "", nil},
		{"'draft'", KindText, "", nil},
		{"lower('X')", KindText, "", nil},
	}
	for _, tt := range tests {
		c := &Column{Kind: tt.kind, Default: strp(tt.expr)}
		fillDefault(c)
		if c.DefaultType != tt.typ || !reflect.DeepEqual(c.DefaultValue, tt.value) {
			t.Errorf("%q (kind %d): %q %#v, want %q %#v", tt.expr, tt.kind, c.DefaultType, c.DefaultValue, tt.typ, tt.value)
		}
	}
	c := &Column{Kind: KindText, Default: strp("'x'"), Generated: true}
	fillDefault(c)
	if c.DefaultType != "" {
		t.Error("generated columns have no default_type")
	}
}

func TestMySQLDefault(t *testing.T) {
	tests := []struct {
		def   sql.NullString
		maria bool
		extra string
		kind  Kind
		want  string
		ok    bool
	}{
		{sql.NullString{}, true, "", KindText, "", false},
		{sql.NullString{String: "NULL", Valid: true}, true, "", KindText, "", false},
		{sql.NullString{String: "'abc'", Valid: true}, true, "", KindText, "'abc'", true},
		{sql.NullString{String: "current_timestamp()", Valid: true}, true, "", KindDateTime, "current_timestamp()", true},
		{sql.NullString{String: "abc", Valid: true}, false, "", KindText, "'abc'", true},
		{sql.NullString{String: "it's", Valid: true}, false, "", KindText, "'it''s'", true},
		{sql.NullString{String: "12", Valid: true}, false, "", KindInteger, "12", true},
		{sql.NullString{String: "12", Valid: true}, false, "", KindText, "'12'", true},
		{sql.NullString{String: "CURRENT_TIMESTAMP", Valid: true}, false, "default_generated", KindDateTime, "CURRENT_TIMESTAMP", true},
		{sql.NullString{String: "CURRENT_TIMESTAMP", Valid: true}, false, "", KindDateTime, "CURRENT_TIMESTAMP", true},
		{sql.NullString{String: "uuid()", Valid: true}, false, "default_generated", KindText, "uuid()", true},
	}
	for _, tt := range tests {
		got, ok := mysqlDefault(tt.def, tt.maria, tt.extra, tt.kind)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%+v: %q %v, want %q %v", tt.def, got, ok, tt.want, tt.ok)
		}
	}
}

func TestMapMySQL(t *testing.T) {
	tests := []struct {
		dataType, columnType string
		charLen, prec, scale int
		json                 bool
		want                 colWant
		unsigned             bool
		length               int
	}{
		{"tinyint", "tinyint(1)", 0, 3, 0, false, colWant{KindBoolean, FieldBoolean, FieldBoolean, "TINYINT", false}, false, 0}, // as upstream names it
		{"tinyint", "tinyint(4)", 0, 3, 0, false, colWant{KindInteger, FieldBoolean, FieldBoolean, "TINYINT", false}, false, 0}, // described as upstream does
		{"tinyint", "tinyint(3) unsigned", 0, 3, 0, false, colWant{KindInteger, FieldBoolean, FieldBoolean, "TINYINT", false}, true, 0},
		{"tinyint", "tinyint", 0, 3, 0, false, colWant{KindInteger, FieldBoolean, FieldBoolean, "TINYINT", false}, false, 0},
		{"int", "int(10) unsigned", 0, 10, 0, false, colWant{KindInteger, FieldInteger, FieldInteger, "INTEGER", false}, true, 0},
		{"bigint", "bigint(20) unsigned", 0, 20, 0, false, colWant{KindInteger, FieldInteger, FieldBigInteger, "BIGINT", false}, true, 0},
		{"decimal", "decimal(10,2)", 0, 10, 2, false, colWant{KindDecimal, FieldFloat, FieldDecimal, "DECIMAL(10, 2)", false}, false, 0},
		{"double", "double", 0, 22, 0, false, colWant{KindFloat, FieldFloat, FieldFloat, "DOUBLE", false}, false, 0},
		{"varchar", "varchar(255)", 255, 0, 0, false, colWant{KindText, FieldChar, FieldChar, "VARCHAR(255)", false}, false, 255},
		{"longtext", "longtext", 1 << 30, 0, 0, false, colWant{KindText, FieldChar, FieldChar, "LONGTEXT", false}, false, 0},
		{"longtext", "longtext", 1 << 30, 0, 0, true, colWant{KindJSON, FieldJSON, FieldJSON, "JSON", false}, false, 0},
		{"json", "json", 0, 0, 0, false, colWant{KindJSON, FieldJSON, FieldJSON, "JSON", false}, false, 0},
		{"timestamp", "timestamp(6)", 0, 0, 0, false, colWant{KindDateTime, FieldDateTime, FieldTimestamp, "TIMESTAMP", false}, false, 0},
		{"binary", "binary(16)", 16, 0, 0, false, colWant{KindBinary, FieldBinary, FieldBinary, "BINARY(16)", false}, false, 0},
		{"mediumblob", "mediumblob", 0, 0, 0, false, colWant{KindBinary, FieldChar, FieldChar, "MEDIUMBLOB", false}, false, 0},
		{"set", "set('a','b')", 3, 0, 0, false, colWant{KindText, FieldChar, FieldChar, "SET", false}, false, 0},
		{"inet6", "inet6", 0, 0, 0, false, colWant{KindText, FieldChar, FieldChar, "INET6", false}, false, 0},
		{"uuid", "uuid", 0, 0, 0, false, colWant{KindUUID, FieldUUID, FieldUUID, "UUID", false}, false, 0},
	}
	for _, tt := range tests {
		var c Column
		mapMySQL(&c, tt.dataType, tt.columnType, tt.charLen, tt.prec, tt.scale, tt.json)
		got := colWant{c.Kind, c.Field, c.DBField, c.InternalType, false}
		if got != tt.want || c.Unsigned != tt.unsigned {
			t.Errorf("%s: %+v unsigned %v, want %+v %v", tt.columnType, got, c.Unsigned, tt.want, tt.unsigned)
		}
		if (tt.length > 0) != (c.Length != nil) || (c.Length != nil && *c.Length != tt.length) {
			t.Errorf("%s: length %v, want %d", tt.columnType, c.Length, tt.length)
		}
	}
}

func TestParseMySQLList(t *testing.T) {
	tests := map[string][]string{
		"enum('a','b')":             {"a", "b"},
		"enum('it''s','b,c','')":    {"it's", "b,c", ""},
		`enum('back\\slash','(x)')`: {`back\slash`, "(x)"},
		"enum('東京','Łódź')":         {"東京", "Łódź"},
		"enum":                      nil,
	}
	for in, want := range tests {
		if got := parseMySQLList(in); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}

func TestMapSQLite(t *testing.T) {
	tests := []struct {
		declared string
		want     colWant
		length   int
	}{
		{"INTEGER", colWant{KindInteger, FieldInteger, FieldInteger, "INTEGER", false}, 0},
		{"int", colWant{KindInteger, FieldInteger, FieldInteger, "INTEGER", false}, 0},
		{"TINYINT", colWant{KindInteger, FieldInteger, FieldInteger, "INTEGER", false}, 0},
		{"BIGINT", colWant{KindInteger, FieldInteger, FieldBigInteger, "BIGINT", false}, 0},
		{"REAL", colWant{KindFloat, FieldFloat, FieldFloat, "REAL", false}, 0},
		{"DOUBLE PRECISION", colWant{KindFloat, FieldFloat, FieldFloat, "DOUBLE_PRECISION", false}, 0},
		{"FLOAT", colWant{KindFloat, FieldFloat, FieldFloat, "FLOAT", false}, 0},
		{"TEXT", colWant{KindText, FieldText, FieldText, "TEXT", false}, 0},
		{"CLOB", colWant{KindText, FieldText, FieldText, "TEXT", false}, 0},
		{"varchar(20)", colWant{KindText, FieldChar, FieldChar, "VARCHAR(20)", false}, 20},
		{"VARCHAR", colWant{KindText, FieldChar, FieldChar, "VARCHAR", false}, 0},
		{"CHARACTER(5)", colWant{KindText, FieldChar, FieldChar, "CHAR(5)", false}, 5},
		{"NVARCHAR(160)", colWant{KindText, FieldChar, FieldChar, "NVARCHAR(160)", false}, 160}, // Chinook's, as declared (upstream)
		{"nchar(2)", colWant{KindText, FieldChar, FieldChar, "NCHAR(2)", false}, 2},
		{"STRING_CHARS", colWant{KindText, FieldText, FieldText, "TEXT", false}, 0},
		{"BLOB", colWant{KindBinary, FieldChar, FieldChar, "BLOB", false}, 0},
		{"NUMERIC", colWant{KindDecimal, FieldFloat, FieldNumber, "NUMERIC", false}, 0},
		{"NUMERIC(8, 3)", colWant{KindDecimal, FieldFloat, FieldNumber, "NUMERIC(8, 3)", false}, 0},
		{"DECIMAL(10,2)", colWant{KindDecimal, FieldFloat, FieldDecimal, "DECIMAL(10, 2)", false}, 0},
		{"BOOLEAN", colWant{KindBoolean, FieldBoolean, FieldBoolean, "BOOLEAN", false}, 0},
		{"bool", colWant{KindBoolean, FieldBoolean, FieldBoolean, "BOOLEAN", false}, 0},
		{"DATE", colWant{KindDate, FieldDate, FieldDate, "DATE", false}, 0},
		{"DATETIME", colWant{KindDateTime, FieldDateTime, FieldDateTime, "DATETIME", false}, 0},
		{"TIMESTAMP", colWant{KindDateTime, FieldDateTime, FieldTimestamp, "TIMESTAMP", false}, 0},
		{"TIME", colWant{KindTime, FieldChar, FieldChar, "TIME", false}, 0},
		{"JSON", colWant{KindJSON, FieldJSON, FieldJSON, "JSON", false}, 0},
		{"UUID", colWant{KindUUID, FieldUUID, FieldUUID, "UUID", false}, 0},
		{"", colWant{KindText, FieldChar, FieldChar, "NULL", false}, 0},
		{"MONEY", colWant{KindText, FieldChar, FieldChar, "MONEY", false}, 0},
		{"FLOATING POINT", colWant{KindInteger, FieldInteger, FieldInteger, "INTEGER", false}, 0}, // "INT" wins, as in SQLite
	}
	for _, tt := range tests {
		var c Column
		mapSQLite(&c, tt.declared)
		got := colWant{c.Kind, c.Field, c.DBField, c.InternalType, false}
		if got != tt.want {
			t.Errorf("%q: %+v, want %+v", tt.declared, got, tt.want)
		}
		if (tt.length > 0) != (c.Length != nil) || (c.Length != nil && *c.Length != tt.length) {
			t.Errorf("%q: length %v, want %d", tt.declared, c.Length, tt.length)
		}
	}
}

func TestMapPostgres(t *testing.T) {
	tests := []struct {
		ti   pgTypeInfo
		want colWant
	}{
		{pgTypeInfo{typname: "numeric", builtin: true, typmod: -1}, colWant{KindDecimal, FieldFloat, FieldNumber, "NUMERIC", false}},
		{pgTypeInfo{typname: "numeric", builtin: true, typmod: (10<<16 | 0) + 4}, colWant{KindDecimal, FieldFloat, FieldNumber, "NUMERIC(10, 0)", false}},
		{pgTypeInfo{typname: "varchar", builtin: true, typmod: -1}, colWant{KindText, FieldChar, FieldChar, "VARCHAR", false}},
		{pgTypeInfo{typname: "timetz", builtin: true, typmod: -1}, colWant{KindTime, FieldChar, FieldChar, "TIME", false}},
		{pgTypeInfo{typname: "interval", builtin: true, typmod: -1}, colWant{KindText, FieldChar, FieldChar, "INTERVAL", false}},
		{pgTypeInfo{typname: "inet", builtin: true, typmod: -1}, colWant{KindText, FieldChar, FieldChar, "INET", false}},
		{pgTypeInfo{typname: "geography", typmod: -1}, colWant{KindText, FieldGeography, FieldGeography, "GEOGRAPHY", false}},
		{pgTypeInfo{typname: "hstore", typmod: -1}, colWant{KindText, FieldChar, FieldChar, "HSTORE", false}},
		{pgTypeInfo{typname: "_uuid", builtin: true, category: "A", elem: "uuid", elemBuilt: true, typmod: -1}, colWant{KindArray, FieldJSON, FieldJSON, "ARRAY", false}},
	}
	for _, tt := range tests {
		var c Column
		mapPostgres(&c, tt.ti)
		if got := (colWant{c.Kind, c.Field, c.DBField, c.InternalType, false}); got != tt.want {
			t.Errorf("%+v: %+v, want %+v", tt.ti, got, tt.want)
		}
	}
	var c Column
	mapPostgres(&c, pgTypeInfo{typname: "_uuid", builtin: true, category: "A", elem: "uuid", elemBuilt: true, typmod: -1})
	if c.ElemKind != KindUUID || c.ElemType != "uuid" {
		t.Errorf("uuid[] element %v %q", c.ElemKind, c.ElemType)
	}
	for v, want := range map[string]int{"15.4 (Debian 15.4-1)": 15, "9.6.24": 9, "16beta1": 0, "": 0, "12": 12} {
		if got := pgMajor(v); got != want {
			t.Errorf("pgMajor(%q) = %d, want %d", v, got, want)
		}
	}
	if _, cols, _ := pgQueries("9.6.1"); strings.Contains(cols, "attidentity") || strings.Contains(cols, "attgenerated") {
		t.Error("PostgreSQL 9.6 has neither attidentity nor attgenerated")
	}
	if tables, cols, _ := pgQueries("15.1"); !strings.Contains(cols, "attgenerated") || !strings.Contains(tables, "relispartition") {
		t.Error("PostgreSQL 15 queries use attgenerated and relispartition")
	}
}

func TestAppendString(t *testing.T) {
	for _, s := range []string{"", "plain", `q"b\s`, "nl\n\r\t", "\x00\x1f", "Zoë Łódź 東京 🎉", "<&>", "\u2028\u2029", "bad\xffutf8"} {
		got := jsonw.AppendString(nil, s)
		var back string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("%q -> %s: %v", s, got, err)
		}
		want := strings.ToValidUTF8(s, "\ufffd")
		if back != want {
			t.Errorf("%q -> %s -> %q", s, got, back)
		}
	}
	if got := string(jsonw.AppendString(nil, "Zoë\u2028")); got != `"Zoë\u2028"` {
		t.Errorf("got %s", got)
	}
}
