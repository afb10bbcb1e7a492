package conformance

import "github.com/jetbridge/jetbridge/internal/config"

var (
	pgOnly     = []config.Engine{config.EnginePostgres}
	mysqlOnly  = []config.Engine{config.EngineMySQL}
	sqliteOnly = []config.Engine{config.EngineSQLite}
	notPG      = []config.Engine{config.EngineMySQL, config.EngineSQLite}
)

// Policy reasons, worded as the recording's README lists them.
const (
	whyOneLetterOrder = "policy: a one-letter _order_by naming no column -> 400"
	whyUnknownYFunc   = "policy: an unknown _y_func -> 400 (aggregate, group, SQL aggregate)"
	whyRetrieveFilter = "policy: retrieve/update/delete ignore list filters"
	whyLiteral        = "policy: %s and :name inside SQL string literals are not parameters"
	whyArrayBody      = "policy: an array body for a single create -> 400"
	whyFKDelete       = "policy: DELETE follows the database's foreign-key rules (a restricted parent -> 400, no cascading by the bridge; the reads after it follow from that)"
	whyIcontainsNum   = "policy: icontains on a number matches its digits"
	whyOffsetFilter   = "policy: an offset in a datetime filter value is honoured on MySQL/SQLite"
	whySQLiteDates    = "policy: SQLite date filters compare as dates (upstream compares text)"
	whyDateDay        = "policy: real date_day buckets on SQLite (upstream falls back to the raw column), with date filters compared as dates"
	whyYes            = "policy: yes as a boolean filter value on MySQL"
	whyUpstreamBug    = "policy: writes that upstream fails only through its own bugs succeed"
	whySQLiteDate     = whyUpstreamBug + " (SQLite DATE values: upstream's SQLite Date type refuses date strings)"
	whyMySQLJSON      = whyUpstreamBug + " (MySQL JSON objects and arrays: upstream writes Python reprs, the JSON CHECK refuses them)"
	whyMySQLBool      = whyUpstreamBug + " (upstream reads MySQL's BOOLEAN, TINYINT(1), as an integer and refuses \"yes\"/\"false\")"
	whySQLiteFK       = "policy: SQLite may enforce declared foreign keys"
	whySQLiteLength   = "policy: SQLite may enforce declared lengths"
	whyFollows        = " (the reads after it follow from that)"
	whyMariaJSON      = "policy: a MariaDB JSON column (LONGTEXT with a json_valid check) may be described as a JSON field (and its values returned as parsed JSON)"
)

// mainDeviations: the main set's requests whose upstream answer the policy
// lets us improve on. Each checks our own answer where that is useful.
var mainDeviations = map[string]acceptedDeviation{
	"order.one_char":               {nil, deviation{reason: whyOneLetterOrder}},
	"aggregate.unknown_func":       {nil, deviation{reason: whyUnknownYFunc}},
	"group.unknown_func":           {nil, deviation{reason: whyUnknownYFunc}},
	"retrieve.with_filter_nomatch": {nil, deviation{reason: whyRetrieveFilter, status: 200}},
	"sql.colon_in_literal":         {nil, deviation{reason: whyLiteral, status: 200, has: map[string]any{"$.row_count": 1}}},
	"write.create_array_body":      {pgOnly, deviation{reason: whyArrayBody}},

	// DELETE of a parent with restricting children is refused; the row and its children stay
	"write.delete_with_children": {nil, deviation{reason: whyFKDelete}},
	"write.get_deleted":          {nil, deviation{reason: whyFKDelete, status: 200, has: map[string]any{"$.name": "beta"}}},
	"write.delete_again":         {nil, deviation{reason: whyFKDelete}},
	"write.children_after_delete": {nil, deviation{reason: whyFKDelete, status: 200,
		has: map[string]any{"$.count": 3, "$.results[0].scratch_id": 2, "$.results[1].scratch_id": 2, "$.results[2].scratch_id": 1}}},
	"write.notes_after_delete": {nil, deviation{reason: whyFKDelete, patch: map[string]any{"$.results[0].scratch_id": 2}}},

	"filter_number.icontains_int":      {notPG, deviation{reason: whyIcontainsNum, status: 200, has: map[string]any{"$.count": 195}}},
	"filter_date.with_offset":          {notPG, deviation{reason: whyOffsetFilter, status: 200, has: map[string]any{"$.count": 2}}},
	"filter_date.timestamp_col_offset": {mysqlOnly, deviation{reason: whyOffsetFilter, status: 200, has: map[string]any{"$.count": 1}}},
	"filter_date.exact_date":           {sqliteOnly, deviation{reason: whySQLiteDates, status: 200, has: map[string]any{"$.count": 1}}},
	"filter_date.in":                   {sqliteOnly, deviation{reason: whySQLiteDates, status: 200, has: map[string]any{"$.count": 2}}},
	"group.date_day": {sqliteOnly, deviation{reason: whyDateDay, status: 200,
		has: map[string]any{"$[0].group": "2021-01-01", "$[5].group": "2021-01-19", "$[5].y_func": 1}}},
	"model_descriptions.columns_scratch": {mysqlOnly, deviation{reason: whyMariaJSON,
		patch: map[string]any{"$[10].field": "JSONField", "$[10].db_field": "JSONField", "$[10].params": map[string]any{"db_internal_type": "JSON"}}}},
	"filter_bool.yes": {mysqlOnly, deviation{reason: whyYes, status: 200, has: map[string]any{"$.count": 3}}},

	// writes upstream fails through its own bugs succeed, and the reads after them show it
	"write.create_full":      {notPG, deviation{reason: whySQLiteDate + "; " + whyMySQLJSON, status: 201, has: map[string]any{"$.name": "zeta", "$.birthday": "1999-12-31", "$.payload": map[string]any{"k": "v", "list": []any{1, 2}}}}},
	"write.create_coercions": {notPG, deviation{reason: whySQLiteDate + "; " + whyMySQLBool, status: 201, has: map[string]any{"$.name": "12345", "$.quantity": 42, "$.is_active": true, "$.birthday": "2020-02-02"}}},
	"write.put_full":         {notPG, deviation{reason: whySQLiteDate + "; " + whyMySQLJSON, status: 200, has: map[string]any{"$.name": "alpha2", "$.birthday": "1990-05-18", "$.payload": []any{1, "two"}}}},
	"write.patch_bool_date":  {notPG, deviation{reason: whySQLiteDate + "; " + whyMySQLBool, status: 200, has: map[string]any{"$.is_active": false, "$.birthday": "2001-01-01"}}},
	"write.put_full_no_date": {sqliteOnly, deviation{reason: whySQLiteDate + whyFollows, patch: map[string]any{"$.birthday": "1990-05-18"}}},
	"write.patch_bool":       {sqliteOnly, deviation{reason: whySQLiteDate + whyFollows, patch: map[string]any{"$.birthday": "2001-01-01"}}},
	"write.patch_pk_change":  {sqliteOnly, deviation{reason: whySQLiteDate + whyFollows, patch: map[string]any{"$.birthday": "2001-01-01"}}},
	"write.patch_empty":      {sqliteOnly, deviation{reason: whySQLiteDate + whyFollows, patch: map[string]any{"$.birthday": "1990-05-18"}}},
	"write.bulk_create": {sqliteOnly, deviation{reason: whySQLiteFK,
		patch: map[string]any{"$[3]": map[string]any{"success": false, "errors": map[string]any{"non_field_errors": []any{}}}}}},
	"write.create_bad_fk":   {sqliteOnly, deviation{reason: whySQLiteFK}},
	"write.create_too_long": {sqliteOnly, deviation{reason: whySQLiteLength}},

	// the lists and sums after the accepted writes and the refused delete
	"write.read_after_create": {notPG, deviation{reason: whySQLiteDate + "; " + whySQLiteFK + "; " + whyMySQLJSON + "; " + whyMySQLBool + whyFollows,
		status: 200, has: map[string]any{"$.count": 16, "$.results[5].name": "zeta"}}},
	"write.read_after_update": {nil, deviation{reason: whyFKDelete + "; " + whyUpstreamBug + whyFollows,
		status: 200, has: map[string]any{"$.results[0].name": "alpha2", "$.results[0].birthday": "1990-05-18", "$.results[1].name": "beta"}}},
	"write.aggregate_after": {notPG, deviation{reason: whyUpstreamBug + whyFollows + ": the rows created add their quantities 7 and 42",
		status: 200}},
}
