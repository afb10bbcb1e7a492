package ddl

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
)

func TestLiteral(t *testing.T) {
	for _, c := range []struct {
		e    config.Engine
		v    any
		typ  string
		want string
	}{
		{config.EnginePostgres, "it's", "text", `'it''s'`},
		{config.EnginePostgres, `a\b'`, "text", `E'a\\b'''`},
		{config.EngineMySQL, `a\b'`, "varchar(10)", `'a\\b'''`},
		{config.EngineSQLite, `a\b'`, "TEXT", `'a\b'''`},
		{config.EnginePostgres, true, "boolean", "true"},
		{config.EngineMySQL, false, "BOOLEAN", "0"},
		{config.EngineSQLite, true, "TEXT", "'1'"},
		{config.EngineMySQL, json.Number("-1.5e3"), "DOUBLE", "-1.5e3"},
		{config.EngineSQLite, nil, "TEXT", "NULL"},
	} {
		if got := literal(db.DialectFor(c.e), c.v, c.typ); got != c.want {
			t.Errorf("literal(%s, %#v) = %s, want %s", c.e, c.v, got, c.want)
		}
	}
}

func TestParseColumn(t *testing.T) {
	for _, c := range []struct {
		body    string
		partial bool
		errKey  string // "" = valid
	}{
		{`{"name": "a", "field": "CharField", "params": {"length": 20}}`, false, ""},
		{`{"name": "a", "field": "CharField", "params": {"length": "20"}}`, false, ""},
		{`{"name": "a"}`, false, "field"},
		{`{"field": "CharField"}`, false, "name"},
		{`{}`, true, ""},
		{`{"name": 5, "field": "CharField"}`, false, "name"},
		{`{"name": "a", "field": "CharField", "null": "maybe"}`, false, "null"},
		{`{"name": "a", "field": "CharField", "params": {"length": 0}}`, false, "params"},
		{`{"name": "a", "field": "CharField", "params": {"length": 70000}}`, false, "params"},
		{`{"name": "a", "field": "CharField", "default_type": "nope"}`, false, "default_type"},
		{`{"name": "a", "field": "CharField", "default_value": "x\u0000"}`, false, "default_value"},
		{`{"name": "a", "field": "CharField", "params": {"related_model": {}}}`, false, "params"},
		{`{"name": " a", "field": "CharField"}`, false, "name"},
		{`{"name": "a\tb", "field": "CharField"}`, false, "name"},
	} {
		m, err := ParseObject([]byte(c.body))
		if err != nil {
			t.Fatalf("%s: %v", c.body, err)
		}
		_, _, err = ParseColumn(m, c.partial)
		switch {
		case c.errKey == "" && err != nil:
			t.Errorf("%s: %v", c.body, err)
		case c.errKey != "":
			ae, ok := apierr.As(err)
			body, _ := json.Marshal(ae.Body)
			if !ok || ae.Status != 400 || !strings.Contains(string(body), `"`+c.errKey+`"`) {
				t.Errorf("%s: %v, want a 400 naming %s", c.body, err, c.errKey)
			}
		}
	}
	// a PATCH echo names name and field even when not sent
	m, _ := ParseObject([]byte(`{"null": true}`))
	_, echo, err := ParseColumn(m, true)
	if err != nil || string(echo["name"]) != "null" || string(echo["field"]) != "null" || string(echo["null"]) != "true" {
		t.Errorf("PATCH echo %v %v", echo, err)
	}
}

func TestParseTable(t *testing.T) {
	m, _ := ParseObject([]byte(`{"name": "t", "data_source_name": "T", "data_source_name_plural": "Ts", "columns": [
		{"name": "id", "field": "IntegerField", "primary_key": true},
		{"name": "x", "field": "CharField", "data_source_field": "SelectField", "data_source_params": {"options": [1]}}]}`))
	tb, echo, err := ParseTable(m)
	if err != nil {
		t.Fatal(err)
	}
	if tb.Comment != `{"name": "T", "name_plural": "Ts"}` || tb.Columns[1].Comment != `{"field": "SelectField", "params": {"options":[1]}}` {
		t.Errorf("comments %q %q", tb.Comment, tb.Columns[1].Comment)
	}
	if _, ok := echo["columns"]; !ok {
		t.Error("no columns in the echo")
	}
}

func TestSQLTypes(t *testing.T) {
	n := 50
	for _, c := range []struct {
		e      config.Engine
		field  string
		length *int
		want   string
	}{
		{config.EnginePostgres, "CharField", &n, "character varying(50)"},
		{config.EngineMySQL, "CharField", nil, "varchar(255)"},
		{config.EngineSQLite, "CharField", nil, "VARCHAR"},
		{config.EngineMySQL, "NumberField", nil, "DECIMAL(30,10)"},
		{config.EnginePostgres, "DateTimeField", nil, "timestamp with time zone"},
		{config.EnginePostgres, "NopeField", nil, "character varying"},
		{config.EngineSQLite, "BinaryField", nil, "BLOB"},
	} {
		got, err := sqlType(db.DialectFor(c.e), c.field, c.length)
		if err != nil || got != c.want {
			t.Errorf("sqlType(%s, %s) = %q %v, want %q", c.e, c.field, got, err, c.want)
		}
	}
	if _, err := sqlType(db.DialectFor(config.EngineSQLite), "GeometryField", nil); err == nil {
		t.Error("geometry on SQLite accepted")
	}
	if canonType(db.DialectFor(config.EngineMySQL), "int(11)") != canonType(db.DialectFor(config.EngineMySQL), "INT") {
		t.Error("int(11) != INT")
	}
	if !integerType("bigint unsigned") || !integerType("INT(11)") || integerType("varchar(10)") {
		t.Error("integerType")
	}
}
