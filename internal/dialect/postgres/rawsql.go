package postgres

import (
	"strings"

	"github.com/jetbridge/jetbridge/internal/dialect"
)

// Lexing: '...' with ” (standard_conforming_strings), E'...' with
// backslash escapes, "identifiers", $tag$...$tag$, -- and nested /* */.
func (Dialect) Lexing() dialect.Lexing {
	return dialect.Lexing{EscapeStrings: true, NestedComments: true, DollarQuotes: true}
}

// refusals: the read-only transaction does not stop them all: dblink
// writes elsewhere, pg_read_file reads, pg_terminate_backend kills.
var refusals = dialect.Refusals{
	Functions: dialect.SetOf("pg_read_file", "pg_read_binary_file", "pg_ls_dir", "pg_stat_file",
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
	Tables: dialect.SetOf("pg_authid", "pg_shadow", "pg_user_mapping", "pg_user_mappings", "pg_largeobject"),
}

func (Dialect) Refusals() dialect.Refusals { return refusals }

// ResultKind reads pgx's type names (upper case; arrays start with "_").
func (Dialect) ResultKind(dbType string) (dialect.ResultKind, string) {
	if strings.HasPrefix(dbType, "_") {
		return dialect.ResultArray, dbType[1:]
	}
	switch dbType {
	case "JSON", "JSONB":
		return dialect.ResultJSON, ""
	case "NUMERIC":
		return dialect.ResultNumText, ""
	case "FLOAT4":
		return dialect.ResultFloat32, ""
	case "DATE":
		return dialect.ResultDate, ""
	case "TIMESTAMPTZ":
		return dialect.ResultInstant, ""
	case "INTERVAL":
		return dialect.ResultInterval, ""
	case "BYTEA":
		return dialect.ResultByteList, ""
	}
	return dialect.ResultAny, ""
}

// CatalogKind: schema reflection reads pg_catalog.
func (Dialect) CatalogKind() dialect.CatalogKind { return dialect.CatalogPgCatalog }
