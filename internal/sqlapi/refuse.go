package sqlapi

import (
	"strings"

	"github.com/jetbridge/jetbridge/internal/config"
)

// token is a name or punctuation of a query's code, for the refusals below.
type token struct {
	text   string // a word or quoted identifier, lower case; or one punctuation byte
	name   bool   // a word or a quoted identifier
	called bool   // a name directly followed by '(' (a function call)
}

// codeTokens lists the names and punctuation of a query (not its literals
// or comments), each name marked when it is called as a function.
func codeTokens(s string, eng config.Engine) []token {
	var spans [16]span
	var out []token
	for _, x := range lexSpans(s, eng, spans[:0]) {
		switch x.kind {
		case spanComment, spanString:
			out = append(out, token{text: "'"})
			continue
		case spanIdent:
			body := s[x.start:x.end]
			if len(body) >= 2 {
				body = body[1 : len(body)-1]
			}
			out = append(out, token{text: strings.ToLower(body), name: true})
			continue
		}
		for i := x.start; i < x.end; i++ {
			c := s[i]
			switch {
			case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			case isIdentByte(c):
				j := i + 1
				for j < x.end && isIdentByte(s[j]) {
					j++
				}
				out = append(out, token{text: strings.ToLower(s[i:j]), name: true})
				i = j - 1
			default:
				if c == '(' && len(out) > 0 && out[len(out)-1].name {
					out[len(out)-1].called = true
				}
				out = append(out, token{text: string(c)})
			}
		}
	}
	return out
}

// Functions a non-admin caller may not call: they read or write server
// files, run SQL given as text (so that any name can be hidden in a
// string), reach other databases or sessions, or change the server (issue
// 17 M1, M2). The read-only transaction does not stop them all: dblink
// writes elsewhere, pg_read_file reads, pg_terminate_backend kills.
var refusedFunctions = map[config.Engine]map[string]bool{
	config.EnginePostgres: setOf("pg_read_file", "pg_read_binary_file", "pg_ls_dir", "pg_stat_file",
		"pg_ls_logdir", "pg_ls_waldir", "pg_ls_tmpdir", "pg_ls_archive_statusdir", "pg_ls_logicalsnapdir",
		"pg_ls_logicalmapdir", "pg_ls_replslotdir", "lo_import", "lo_export", "lo_from_bytea", "lo_put",
		"pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf", "pg_rotate_logfile", "pg_promote",
		"pg_switch_wal", "pg_create_restore_point", "pg_backup_start", "pg_backup_stop", "pg_start_backup",
		"pg_stop_backup", "pg_file_write", "pg_file_rename", "pg_file_unlink", "pg_file_sync",
		"pg_logical_emit_message", "pg_create_logical_replication_slot", "pg_create_physical_replication_slot",
		"pg_drop_replication_slot", "pg_replication_origin_create", "pg_replication_origin_drop",
		"query_to_xml", "query_to_xmlschema", "query_to_xml_and_xmlschema", "cursor_to_xml", "cursor_to_xmlschema",
		"table_to_xml", "table_to_xmlschema", "table_to_xml_and_xmlschema", "schema_to_xml", "schema_to_xmlschema",
		"schema_to_xml_and_xmlschema", "database_to_xml", "database_to_xmlschema", "database_to_xml_and_xmlschema",
		"ts_stat", "ts_rewrite", "pg_import_system_collations", "set_config"),
	config.EngineMySQL: setOf("load_file", "sys_exec", "sys_eval", "sys_get", "sys_set", "lo_import",
		"master_pos_wait", "source_pos_wait"),
	config.EngineSQLite: setOf("load_extension", "readfile", "writefile", "edit", "fts3_tokenizer"),
}

// refusedTables are system tables holding credentials.
var refusedTables = map[config.Engine]map[string]bool{
	config.EnginePostgres: setOf("pg_authid", "pg_shadow", "pg_user_mapping", "pg_user_mappings", "pg_largeobject"),
}

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// refusal is why a request may not run, beyond the statement guard, or "".
// Non-admin statements may not touch the bridge's own tables (__jet__*:
// the Project Token), credential tables, the functions above, nor take
// locking reads that block the application's writes (issue 17 M1-M3).
// Nobody may write the bridge's tables through the SQL API.
func (r *Runner) refusal(req *request) string {
	eng := r.d.Dialect.Engine
	ownTables := strings.Contains(strings.ToLower(req.query), "__jet__")
	if req.admin {
		if ownTables && !req.info.readOnlyStatement() {
			return "forbidden query: the bridge's own tables (__jet__*) cannot be changed through the SQL API"
		}
		return ""
	}
	if ownTables {
		return "forbidden query: the bridge's own tables (__jet__*) cannot be read through the SQL API"
	}
	toks := codeTokens(req.query, eng)
	for i, t := range toks {
		if !t.name {
			continue
		}
		if t.called && (refusedFunctions[eng][t.text] || strings.HasPrefix(t.text, "dblink")) {
			return "forbidden query: function " + t.text + "() is not available to non-admin SQL"
		}
		if refusedTables[eng][t.text] {
			return "forbidden query: " + t.text + " is not available to non-admin SQL"
		}
		next := func(k int) string {
			if i+k < len(toks) {
				return toks[i+k].text
			}
			return ""
		}
		if eng == config.EngineMySQL && t.text == "mysql" && next(1) == "." {
			return "forbidden query: the mysql system schema is not available to non-admin SQL"
		}
		if t.text == "share" && i > 0 && (toks[i-1].text == "for" || toks[i-1].text == "key" || toks[i-1].text == "in") {
			return "forbidden query: locking reads (FOR SHARE, LOCK IN SHARE MODE) block the application's writes"
		}
	}
	return ""
}
