package sqlapi

import (
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
)

func TestReadOnlyStatement(t *testing.T) {
	const all = ""
	pg, my, lite := string(config.EnginePostgres), string(config.EngineMySQL), string(config.EngineSQLite)
	tests := []struct {
		engine string // "" = every engine
		query  string
		ok     bool
	}{
		// allowed
		{all, "SELECT 1", true},
		{all, "  \n-- leading comment\nselect * from t", true},
		{all, "/* c */ SELECT 'insert into t' AS x", true},
		{all, "SELECT 'delete from t; drop table t'", true},
		{all, "WITH x AS (SELECT 1) SELECT * FROM x", true},
		{all, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c", true},
		{all, "(SELECT 1) UNION (SELECT 2)", true},
		{all, "SELECT 1;", true},
		{all, "SELECT 1 ; -- done\n", true},
		{all, "select\tcount(*)\nfrom\tt", true},
		{all, "SELECT t.delete, t.update FROM t", true},
		{all, "SELECT \"delete\", 1 AS \"update\" FROM t", true},
		{all, "EXPLAIN SELECT 1", true},
		{all, "SELECT * FROM t ORDER BY a DESC", true},
		{all, "SELECT * FROM t FOR SHARE", true},
		{my, "SELECT REPLACE(name, 'a', 'b'), INSERT('abc', 1, 1, 'x') FROM t", true},
		{my, "SHOW TABLES", true},
		{my, "DESC t", true},
		{my, "DESCRIBE SELECT 1", true},
		{my, "SELECT CONVERT(a USING utf8mb4), CAST(a AS CHAR CHARACTER SET utf8mb4) FROM t", true},
		{my, "SELECT `insert` FROM t", true},
		{my, "SELECT 'it\\'s; delete' FROM t", true},
		{my, "SELECT 1 # ; delete from t\n", true},
		{pg, "VALUES (1), (2)", true},
		{pg, "TABLE t", true},
		{pg, "SHOW TimeZone", true},
		{pg, "SELECT $$ ; DROP TABLE t $$, $x$ delete $x$", true},
		{pg, "EXPLAIN (ANALYZE, FORMAT JSON) SELECT 1", true},
		{pg, "SELECT E'\\' ; delete'", true},
		{lite, "EXPLAIN QUERY PLAN SELECT 1", true},
		{lite, "SELECT [delete] FROM t", true},
		// forbidden
		{all, "DELETE FROM t", false},
		{all, "delete\nfrom t", false},
		{all, "\tINSERT INTO t VALUES (1)", false},
		{all, "UPDATE t SET a = 1", false},
		{all, "/* x */ truncate t", false},
		{all, "drop view v", false},
		{all, "DROP TABLE t", false},
		{all, "CREATE TABLE x (a int)", false},
		{all, "ALTER TABLE t ADD c int", false},
		{all, "SELECT 1; SELECT 2", false},
		{all, "SELECT 1; DELETE FROM t", false},
		{all, "SELECT 1 /* ; */ ; ; SELECT 2", false},
		{all, "select * from t where a = 1 union select * from t; update t set a = 2", false},
		{all, "SELECT * INTO newt FROM t", false},
		{all, "SELECT * FROM t FOR UPDATE", false},
		{all, "EXPLAIN ANALYZE DELETE FROM t", false},
		{all, "", false},
		{all, "-- only a comment", false},
		{all, "'a literal'", false},
		{all, "GRANT ALL ON t TO x", false},
		{all, "set session x = 1", false},
		{all, "CALL p()", false},
		{pg, "copy t to stdout", false},
		{pg, "COPY (SELECT 1) TO '/tmp/x'", false},
		{pg, "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", false},
		{pg, "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", false},
		{pg, "EXPLAIN (ANALYZE) EXECUTE s", false},
		{pg, "DO $$ BEGIN DELETE FROM t; END $$", false},
		{pg, "LOCK TABLE t", false},
		{pg, "VACUUM", false},
		{pg, "/*!50000 SELECT 1 */", false}, // only a comment on PostgreSQL
		{my, "/*!50000 DELETE FROM t */", false},
		{my, "SELECT 1 /*!50000 ; DELETE FROM t */", false},
		{my, "SELECT * FROM t INTO OUTFILE '/tmp/x'", false},
		{my, "REPLACE INTO t VALUES (1)", false},
		{my, "LOAD DATA INFILE 'x' INTO TABLE t", false},
		{my, "HANDLER t OPEN", false},
		{lite, "PRAGMA query_only = 0", false},
		{lite, "ATTACH DATABASE 'x' AS y", false},
		{lite, "SELECT 1; PRAGMA query_only = 0", false},
	}
	for _, tc := range tests {
		engines := []config.Engine{config.EnginePostgres, config.EngineMySQL, config.EngineSQLite}
		if tc.engine != "" {
			engines = []config.Engine{config.Engine(tc.engine)}
		}
		for _, e := range engines {
			info := analyze(tc.query, lexOf(e))
			if got := info.readOnlyStatement(); got != tc.ok {
				t.Errorf("%s %q: read-only %v, want %v (%+v)", e, tc.query, got, tc.ok, info)
			}
		}
	}
}

func TestReturnsRows(t *testing.T) {
	tests := []struct {
		query string
		rows  bool
	}{
		{"SELECT 1", true},
		{"INSERT INTO t VALUES (1)", false},
		{"INSERT INTO t VALUES (1) RETURNING id", true},
		{"UPDATE t SET a = 1", false},
		{"WITH x AS (SELECT 1) DELETE FROM t", false},
		{"WITH x AS (SELECT 1) SELECT * FROM x", true},
		{"SELECT * INTO x FROM t", false},
		{"CREATE TABLE x (a int)", false},
		{"SHOW search_path", true},
	}
	for _, tc := range tests {
		if got := analyze(tc.query, lexOf(config.EnginePostgres)).returnsRows(); got != tc.rows {
			t.Errorf("%q: returnsRows %v, want %v", tc.query, got, tc.rows)
		}
	}
}
