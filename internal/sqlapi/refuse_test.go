package sqlapi

import (
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// TestRefusals (issue 17 M1-M3): non-admin SQL cannot read the bridge's
// tables (the Project Token), call file/session/dynamic-SQL functions, read
// credential tables or take locking reads; nobody writes __jet__ tables
// through the SQL API; ordinary reads still run.
func TestRefusals(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		fixture(t, d)
		testdb.Exec(t, d, "CREATE TABLE __jet__token (token VARCHAR(64));\nINSERT INTO __jet__token VALUES ('secret-project-token');")
		r := New(d, Options{Timeout: 5 * time.Second})
		eng := d.Dialect.Engine
		user, admin := Caller{ReadOnly: true}, Caller{Admin: true}
		cases := []struct {
			engine config.Engine // "" = all
			query  string
			caller Caller
			admin  bool
			refuse string // "" = runs (200)
		}{
			{"", "SELECT * FROM __jet__token", user, false, "bridge's own tables"},
			{"", "select token from __JET__TOKEN", user, false, "bridge's own tables"},
			{config.EnginePostgres, `SELECT * FROM "__jet__token"`, user, false, "bridge's own tables"},
			{config.EngineMySQL, "SELECT * FROM `__jet__token`", user, false, "bridge's own tables"},
			{"", "SELECT * FROM __jet__token", admin, true, ""},
			{"", "DELETE FROM __jet__token", admin, true, "cannot be changed"},
			{config.EnginePostgres, "SELECT table_to_xml(('__je' || 't__token')::regclass, true, false, '')", user, false, "table_to_xml()"},
			{config.EnginePostgres, "SELECT query_to_xml('select 1', true, false, '')", user, false, "query_to_xml()"},
			{config.EnginePostgres, "SELECT pg_catalog.pg_read_file('/etc/hostname')", user, false, "pg_read_file()"},
			{config.EnginePostgres, `SELECT "pg_read_file" ('/etc/hostname')`, user, false, "pg_read_file()"},
			{config.EnginePostgres, "SELECT lo_import('/etc/hostname')", user, false, "lo_import()"},
			{config.EnginePostgres, "SELECT pg_terminate_backend(1)", user, false, "pg_terminate_backend()"},
			{config.EnginePostgres, "SELECT pg_reload_conf()", user, false, "pg_reload_conf()"},
			{config.EnginePostgres, "SELECT * FROM dblink('dbname=x', 'delete from t') AS t(a int)", user, false, "dblink()"},
			{config.EnginePostgres, "SELECT rolpassword FROM pg_authid", user, false, "pg_authid"},
			{config.EnginePostgres, "SELECT n FROM nums WHERE n = 1 FOR SHARE", user, false, "locking reads"},
			{config.EnginePostgres, "SELECT n FROM nums WHERE n = 1 FOR KEY SHARE", user, false, "locking reads"},
			{config.EngineMySQL, "SELECT LOAD_FILE('/etc/hostname')", user, false, "load_file()"},
			{config.EngineMySQL, "SELECT user, password FROM mysql.user", user, false, "mysql system schema"},
			{config.EngineMySQL, "SELECT * FROM `mysql`.`user`", user, false, "mysql system schema"},
			{config.EngineMySQL, "SELECT n FROM nums WHERE n = 1 LOCK IN SHARE MODE", user, false, "locking reads"},
			{config.EngineMySQL, "SELECT n FROM nums WHERE n = 1 FOR SHARE", user, false, "locking reads"},
			{config.EngineSQLite, "SELECT load_extension('x')", user, false, "load_extension()"},
			// ordinary reads, and names that only look alike
			{"", "SELECT n, 'for share' AS s FROM nums WHERE n = 1", user, false, ""},
			{"", "SELECT name AS share FROM people WHERE id = 1", user, false, ""},
			{"", "SELECT count(*) FROM people", user, false, ""},
		}
		for _, c := range cases {
			if c.engine != "" && c.engine != eng {
				continue
			}
			body := map[string]any{"query": c.query}
			if c.admin {
				body["admin"] = true
			}
			status, got := call(t, r, jsonText(body), c.caller)
			text := jsonText(got)
			switch {
			case c.refuse == "" && status != 200:
				t.Errorf("%s: %d %s, want 200", c.query, status, clip(text))
			case c.refuse != "" && (status != 400 || !strings.Contains(text, `{"query":["forbidden query`) || !strings.Contains(text, c.refuse)):
				t.Errorf("%s: %d %s, want 400 mentioning %q", c.query, status, clip(text), c.refuse)
			}
			if c.refuse != "" && strings.Contains(text, "secret-project-token") {
				t.Errorf("%s: the token leaked: %s", c.query, text)
			}
		}
	})
}
