package server

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/auth"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// ddlTable is the table the schema-editing tests create through the API.
const ddlTable = `{"name": "ddl_t", "data_source_name": "Notes", "columns": [
 {"name": "id", "field": "IntegerField", "primary_key": true},
 {"name": "title", "field": "CharField", "params": {"length": 50}},
 {"name": "qty", "field": "IntegerField", "null": true, "default_type": "value", "default_value": 7},
 {"name": "note", "field": "TextField", "null": true, "data_source_name": "Note", "data_source_field": "TextField"},
 {"name": "item_id", "field": "ForeignKey", "null": true, "params": {"related_model": {"model": "items"}}}]}`

// createDDLTable creates ddl_t with two rows (one pointing at an item).
func createDDLTable(t *testing.T, e *env) {
	t.Helper()
	if st, _, b := e.do("POST", "/api/tables/", ddlTable); st != 201 {
		t.Fatalf("create table: %d %s", st, b)
	}
	for _, row := range []string{`{"title": "first", "qty": 3, "note": "n1"}`, `{"title": "second"}`} {
		if st, _, b := e.do("POST", "/api/models/ddl_t/", row); st != 201 {
			t.Fatalf("create row: %d %s", st, b)
		}
	}
}

func ddlRows(t *testing.T, e *env, query string) []map[string]any {
	t.Helper()
	st, _, b := e.do("GET", "/api/models/ddl_t/?_order_by=id"+query, "")
	if st != 200 {
		t.Fatalf("list: %d %s", st, b)
	}
	return decode[struct{ Results []map[string]any }](t, b).Results
}

// modelFields returns the field objects of a model in the descriptions, as raw JSON.
func modelFields(t *testing.T, e *env, model string) string {
	t.Helper()
	st, _, b := e.do("GET", "/api/model_descriptions/", "")
	if st != 200 {
		t.Fatalf("descriptions: %d %s", st, b)
	}
	for _, m := range decode[[]map[string]json.RawMessage](t, b) {
		var name string
		_ = json.Unmarshal(m["model"], &name)
		if name == model {
			return string(m["fields"])
		}
	}
	return ""
}

func TestSchemaEditing(t *testing.T) {
	engines(t, func(t *testing.T, engine config.Engine) {
		e := newEnv(t, engine, nil)
		createDDLTable(t, e)

		// the created table is described, with its default, FK and data-source metadata
		st, _, b := e.do("GET", "/api/tables/ddl_t/columns/item_id/", "")
		if st != 200 || !strings.Contains(b, `"related_model":{"model":"items"}`) {
			t.Fatalf("FK column: %d %s", st, b)
		}
		rows := ddlRows(t, e, "")
		if len(rows) != 2 || text(rows[1]["qty"]) != "7" {
			t.Fatalf("default not applied: %v", rows)
		}
		if engine != config.EngineSQLite {
			if _, _, b := e.do("GET", "/api/tables/ddl_t/columns/note/", ""); !strings.Contains(b, `"data_source_name":"Note"`) {
				t.Errorf("column comment lost: %s", b)
			}
			if _, _, b := e.do("GET", "/api/model_descriptions/", ""); !strings.Contains(b, `"data_source_name":"Notes"`) {
				t.Errorf("table comment lost")
			}
		}

		// a type change keeps the data
		if st, _, b := e.do("PATCH", "/api/tables/ddl_t/columns/qty/", `{"field": "FloatField"}`); st != 200 {
			t.Fatalf("alter type: %d %s", st, b)
		}
		_, _, b = e.do("GET", "/api/tables/ddl_t/columns/qty/", "")
		if !strings.Contains(b, `"field":"FloatField"`) || !strings.Contains(b, `"null":true`) {
			t.Errorf("qty after the type change (PATCH keeps nullability): %s", b)
		}
		rows = ddlRows(t, e, "")
		if num(rows[0]["qty"]) != 3 || num(rows[1]["qty"]) != 7 || rows[0]["title"] != "first" {
			t.Fatalf("data lost by the type change: %v", rows)
		}
		// a longer VARCHAR keeps the data too
		if st, _, b := e.do("PATCH", "/api/tables/ddl_t/columns/title/", `{"params": {"length": 80}}`); st != 200 {
			t.Fatalf("alter length: %d %s", st, b)
		}
		if _, _, b := e.do("GET", "/api/tables/ddl_t/columns/title/", ""); !strings.Contains(b, `"length":80`) {
			t.Errorf("length not changed: %s", b)
		}

		// a rename, then REST lists, filters and orders by the new name
		if st, _, b := e.do("PATCH", "/api/tables/ddl_t/columns/title/", `{"name": "headline"}`); st != 200 {
			t.Fatalf("rename: %d %s", st, b)
		}
		rows = ddlRows(t, e, "&headline=first")
		if len(rows) != 1 || rows[0]["headline"] != "first" || rows[0]["title"] != nil {
			t.Fatalf("list by the new name: %v", rows)
		}
		if st, _, b := e.do("GET", "/api/models/ddl_t/?_order_by=-headline", ""); st != 200 || !strings.Contains(b, `"headline":"second"`) {
			t.Fatalf("order by the new name: %d %s", st, b)
		}
		if f := modelFields(t, e, "ddl_t"); !strings.Contains(f, `"name":"headline"`) || strings.Contains(f, `"name":"title"`) {
			t.Fatalf("descriptions after the rename: %s", f)
		}
		// GraphQL sees the new name too (its schema is rebuilt with the reflection)
		gql := `{"query": "query { ddl_t(filters: [{headline: {eq: \"first\"}}]) { data { attrs { headline } } } }"}`
		if st, _, b := e.do("POST", "/api/graphql/", gql); st != 200 || !strings.Contains(b, `"headline":"first"`) || strings.Contains(b, `"errors"`) {
			t.Fatalf("GraphQL by the new name: %d %s", st, b)
		}
		gqlOld := `{"query": "query { ddl_t { data { attrs { title } } } }"}`
		if st, _, b := e.do("POST", "/api/graphql/", gqlOld); !strings.Contains(b, `"errors"`) {
			t.Fatalf("GraphQL by the old name still answers: %d %s", st, b)
		}

		// failed changes leave the table and the descriptions as they were
		before := modelFields(t, e, "ddl_t")
		for _, bad := range []struct{ col, body string }{
			{"headline", `{"field": "IntegerField"}`},                   // "first" is no integer
			{"note", `{"null": false}`},                                 // a row has no note
			{"item_id", `{"name": "qty"}`},                              // the name is taken
			{"qty", `{"params": {"related_model": {"model": "nope"}}}`}, // no such table
		} {
			st, _, b := e.do("PATCH", "/api/tables/ddl_t/columns/"+bad.col+"/", bad.body)
			if st != 400 || !strings.HasPrefix(b, "{") {
				t.Errorf("PATCH %s %s: %d %s, want 400", bad.col, bad.body, st, b)
			}
		}
		if after := modelFields(t, e, "ddl_t"); after != before {
			t.Fatalf("descriptions changed by failed changes:\n%s\n%s", before, after)
		}
		rows = ddlRows(t, e, "")
		if len(rows) != 2 || rows[0]["headline"] != "first" || rows[0]["note"] != "n1" {
			t.Fatalf("rows changed by failed changes: %v", rows)
		}

		// add and drop columns; the FK column's constraint goes with it
		if st, _, b := e.do("POST", "/api/tables/ddl_t/columns/", `{"name": "done", "field": "BooleanField", "default_type": "value", "default_value": false}`); st != 201 {
			t.Fatalf("add column: %d %s", st, b)
		}
		if st, _, _ := e.do("POST", "/api/tables/ddl_t/columns/", `{"name": "done", "field": "BooleanField"}`); st != 400 {
			t.Errorf("duplicate column: %d", st)
		}
		rows = ddlRows(t, e, "")
		if rows[0]["done"] != false {
			t.Errorf("new NOT NULL column with default: %v", rows[0])
		}
		// renaming a foreign-key column keeps the key
		if st, _, b := e.do("PATCH", "/api/tables/ddl_t/columns/item_id/", `{"name": "item_ref"}`); st != 200 {
			t.Fatalf("rename the FK column: %d %s", st, b)
		}
		if _, _, b := e.do("GET", "/api/tables/ddl_t/columns/item_ref/", ""); !strings.Contains(b, `"related_model":{"model":"items"}`) {
			t.Fatalf("FK lost by the rename: %s", b)
		}
		if st, _, b := e.do("POST", "/api/models/ddl_t/", `{"headline": "x", "item_ref": 999999}`); st != 400 {
			t.Errorf("FK not enforced after the rename: %d %s", st, b)
		}
		if st, _, b := e.do("DELETE", "/api/tables/ddl_t/columns/item_ref/", ""); st != 204 {
			t.Fatalf("drop column: %d %s", st, b)
		}
		if st, _, _ := e.do("GET", "/api/tables/ddl_t/columns/item_ref/", ""); st != 404 {
			t.Errorf("dropped column still described: %d", st)
		}
		rows = ddlRows(t, e, "")
		if len(rows) != 2 || rows[1]["headline"] != "second" {
			t.Fatalf("rows after the drop: %v", rows)
		}
		if st, _, b := e.do("DELETE", "/api/tables/ddl_t/", ""); st != 204 {
			t.Fatalf("drop table: %d %s", st, b)
		}
		if st, _, _ := e.do("GET", "/api/models/ddl_t/", ""); st != 404 {
			t.Errorf("dropped table still served: %d", st)
		}
	})
}

// TestSchemaEditingValidation: bodies the builder must not be able to
// send through, on one engine.
func TestSchemaEditingValidation(t *testing.T) {
	e := newEnv(t, config.EngineSQLite, nil)
	for _, c := range []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"POST", "/api/tables/", `{"name": "x", "columns": [{"name": "a", "field": "CharField"}]}`, 400, "No primary key specified"},
		{"POST", "/api/tables/", `{"columns": []}`, 400, `"name":["this field is required"]`},
		{"POST", "/api/tables/", `{"name": "x"}`, 400, `"columns":["this field is required"]`},
		{"POST", "/api/tables/", `{"name": "x", "columns": [{"name": "id", "primary_key": true}]}`, 400, `"columns"`},
		{"POST", "/api/tables/", `{"name": "x", "columns": [{"name": "id", "field": "IntegerField", "primary_key": true}, {"name": "ID", "field": "TextField"}]}`, 400, "used twice"},
		{"POST", "/api/tables/", `{"name": "x\u0000y", "columns": [{"name": "id", "field": "IntegerField", "primary_key": true}]}`, 400, `"name"`},
		{"POST", "/api/tables/", `{"name": "` + strings.Repeat("n", 64) + `", "columns": [{"name": "id", "field": "IntegerField", "primary_key": true}]}`, 400, `"name"`},
		{"POST", "/api/tables/", `{"name": "x", "columns": [{"name": "id", "field": "IntegerField", "primary_key": true, "default_type": "rm -rf"}]}`, 400, "default_type"},
		{"POST", "/api/tables/", `{"name": "items", "columns": [{"name": "id", "field": "IntegerField", "primary_key": true}]}`, 400, "already exists"},
		{"POST", "/api/tables/", `{"name": `, 400, "Incorrect JSON body"},
		{"POST", "/api/tables/nope/columns/", `{"name": "a", "field": "CharField"}`, 400, "Not Found"},
		{"GET", "/api/tables/nope/columns/", ``, 404, ""},
		{"DELETE", "/api/tables/nope/", ``, 404, ""},
		{"PATCH", "/api/tables/items/columns/nope/", `{"null": true}`, 404, ""},
		{"PUT", "/api/tables/items/columns/id/", `{"null": true}`, 400, `"name":["this field is required"]`},
	} {
		st, _, b := e.do(c.method, c.path, c.body)
		if st != c.status || !strings.Contains(b, c.want) {
			t.Errorf("%s %s %s: %d %s, want %d with %q", c.method, c.path, c.body, st, b, c.status, c.want)
		}
	}
	// a string default with quotes and backslashes is stored as it is
	body := `{"name": "q_t", "columns": [{"name": "id", "field": "IntegerField", "primary_key": true},
		{"name": "s", "field": "CharField", "default_type": "value", "default_value": "it's a \\ '); DROP TABLE items; --"}]}`
	if st, _, b := e.do("POST", "/api/tables/", body); st != 201 {
		t.Fatalf("create with a quoted default: %d %s", st, b)
	}
	if st, _, b := e.do("POST", "/api/models/q_t/", `{}`); st != 201 || !strings.Contains(b, `"s":"it's a \\ '); DROP TABLE items; --"`) {
		t.Fatalf("quoted default: %d %s", st, b)
	}
	if st, _, _ := e.do("GET", "/api/models/items/", ""); st != 200 {
		t.Fatal("items is gone")
	}
}

// TestSchemaEditingPermissions: READ_ONLY refuses schema changes (upstream
// lets them through), reads stay open.
func TestSchemaEditingPermissions(t *testing.T) {
	e := newEnv(t, config.EngineSQLite, func(s *config.Settings) { s.ReadOnly = true })
	for _, c := range []struct{ method, path, body string }{
		{"POST", "/api/tables/", `{"name": "x", "columns": [{"name": "id", "field": "IntegerField", "primary_key": true}]}`},
		{"DELETE", "/api/tables/items/", ""},
		{"POST", "/api/tables/items/columns/", `{"name": "a", "field": "CharField", "null": true}`},
		{"PATCH", "/api/tables/items/columns/id/", `{"null": false}`},
		{"DELETE", "/api/tables/items/columns/id/", ""},
	} {
		if st, _, b := e.do(c.method, c.path, c.body); st != 403 {
			t.Errorf("READ_ONLY %s %s: %d %s", c.method, c.path, st, b)
		}
	}
	if st, _, _ := e.do("GET", "/api/tables/items/columns/", ""); st != 200 {
		t.Errorf("column list under READ_ONLY: %d", st)
	}
	if st, _, _ := e.do("GET", "/api/tables/items/columns/", "", "Authorization", ""); st != 403 {
		t.Errorf("column list without credentials: %d", st)
	}
}

// TestSQLiteRebuildKeepsIndexesAndKeys: a column change on SQLite rebuilds
// the table in one transaction and keeps its indexes, unique constraints,
// foreign keys (both directions) and AUTOINCREMENT.
func TestSQLiteRebuildKeepsIndexesAndKeys(t *testing.T) {
	e := newEnv(t, config.EngineSQLite, nil)
	testdb.Exec(t, e.db, `CREATE TABLE parent (id INTEGER PRIMARY KEY AUTOINCREMENT, code VARCHAR(10) NOT NULL UNIQUE, n INTEGER,
  made TEXT DEFAULT (datetime('now')), kind TEXT DEFAULT 'x''y', flag INTEGER DEFAULT -1);
CREATE INDEX parent_n ON parent (n);
CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) ON DELETE CASCADE);
INSERT INTO parent (code, n) VALUES ('a', 1), ('b', 2);
INSERT INTO child (parent_id) VALUES (1), (2);`)
	if st, _, b := e.do("POST", "/api/reload/", ""); st != 200 {
		t.Fatalf("reload: %d %s", st, b)
	}
	if st, _, b := e.do("PATCH", "/api/tables/parent/columns/n/", `{"field": "FloatField", "name": "amount"}`); st != 200 {
		t.Fatalf("alter: %d %s", st, b)
	}
	var idx, uniq, seq int
	if err := e.db.SQL.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'parent_n' AND sql LIKE '%amount%'`).Scan(&idx); err != nil || idx != 1 {
		t.Errorf("index lost: %d %v", idx, err)
	}
	if _, err := e.db.SQL.Exec(`INSERT INTO parent (code) VALUES ('a')`); err == nil {
		t.Error("UNIQUE constraint lost")
	}
	if err := e.db.SQL.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'parent' AND sql LIKE '%AUTOINCREMENT%'`).Scan(&seq); err != nil || seq != 1 {
		t.Errorf("AUTOINCREMENT lost: %d %v", seq, err)
	}
	if _, err := e.db.SQL.Exec(`INSERT INTO child (parent_id) VALUES (99)`); err == nil {
		t.Error("child's foreign key not enforced after the rebuild")
	}
	if _, err := e.db.SQL.Exec(`DELETE FROM parent WHERE code = 'a'`); err != nil {
		t.Fatal(err)
	}
	_ = e.db.SQL.QueryRow(`SELECT count(*) FROM child`).Scan(&uniq)
	if uniq != 1 {
		t.Errorf("ON DELETE CASCADE lost: %d children left", uniq)
	}
	var made, kind string
	var flag int
	if _, err := e.db.SQL.Exec(`INSERT INTO parent (code) VALUES ('c')`); err != nil {
		t.Fatal(err)
	}
	if err := e.db.SQL.QueryRow(`SELECT made, kind, flag FROM parent WHERE code = 'c'`).Scan(&made, &kind, &flag); err != nil || len(made) != 19 || kind != "x'y" || flag != -1 {
		t.Errorf("defaults after the rebuild: %q %q %d %v", made, kind, flag, err)
	}
	// a second rebuild keeps them as they are
	if st, _, b := e.do("PATCH", "/api/tables/parent/columns/amount/", `{"default_type": "value", "default_value": 0}`); st != 200 {
		t.Fatalf("second alter: %d %s", st, b)
	}
	var ddl string
	_ = e.db.SQL.QueryRow(`SELECT sql FROM sqlite_master WHERE name = 'parent'`).Scan(&ddl)
	if strings.Contains(ddl, "((") {
		t.Errorf("defaults wrapped again: %s", ddl)
	}
	var fk int
	_ = e.db.SQL.QueryRow(`PRAGMA foreign_keys`).Scan(&fk)
	if fk != 1 {
		t.Error("foreign keys left off on a pooled connection")
	}
	rows := decode[struct{ Results []map[string]any }](t, func() string { _, _, b := e.do("GET", "/api/models/parent/?code=b", ""); return b }()).Results
	if len(rows) != 1 || num(rows[0]["amount"]) != 2 {
		t.Errorf("data after the rebuild: %v", rows)
	}
}

// num reads a JSON number or numeric string (-1 when it is neither).
func num(v any) float64 {
	f, err := strconv.ParseFloat(strings.Trim(text(v), `"`), 64)
	if err != nil {
		return -1
	}
	return f
}

// TestSchemaEditingJWTUsers: a read-only user (who may reload) and a member
// without project_settings cannot change the schema or upload; a member
// with project_settings can; any member reads columns.
func TestSchemaEditingJWTUsers(t *testing.T) {
	e := newAuthEnv(t, config.EngineSQLite, true, nil)
	hash := auth.TokenHash(authProjectToken)
	readOnly := "JWT " + mintJWT(t, jwtUser{project: authProject, readOnly: true})
	member := "JWT " + mintJWT(t, jwtUser{project: authProject, perms: []jwtPerm{{Type: "model", Object: "x.items", Actions: "r", Hash: hash}}})
	settings := "JWT " + mintJWT(t, jwtUser{project: authProject, perms: []jwtPerm{{Type: "project", Object: "project_settings", Actions: "", Hash: hash}}})
	create := func(name string) string {
		return `{"name": "` + name + `", "columns": [{"name": "id", "field": "IntegerField", "primary_key": true}]}`
	}
	for _, who := range []string{readOnly, member} {
		if st, _, b := e.do("POST", "/api/tables/", create("t_denied"), "Authorization", who); st != 403 {
			t.Errorf("create table: %d %s", st, b)
		}
		if st, _, b := e.do("DELETE", "/api/tables/items/", "", "Authorization", who); st != 403 {
			t.Errorf("drop table: %d %s", st, b)
		}
		if st, _, _ := e.do("GET", "/api/tables/items/columns/", "", "Authorization", who); st != 200 {
			t.Errorf("read columns: %d", st)
		}
	}
	body, ctype := multipartBody(t, map[string]string{"path": "x"}, "file", "a.txt", []byte("a"))
	if st, _, b := e.do("POST", "/api/file_upload/", body, "Content-Type", ctype, "Authorization", readOnly); st != 403 {
		t.Errorf("read-only upload: %d %s", st, b)
	}
	if st, _, b := e.do("POST", "/api/tables/", create("t_allowed"), "Authorization", settings); st != 201 {
		t.Fatalf("create table with project_settings: %d %s", st, b)
	}
	if st, _, b := e.do("DELETE", "/api/tables/t_allowed/", "", "Authorization", settings); st != 204 {
		t.Fatalf("drop table with project_settings: %d %s", st, b)
	}
}
