package query

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
)

// A typical list request: three filters, a search and an ordering.
const benchQuery = "status=paid&qty__gte=10&created__lt=2024-01-01&_search=ab&_order_by=-created&page=2&_per_page=25"

// BenchmarkParseSelect: Parse + SelectSQL of benchQuery on PostgreSQL.
func BenchmarkParseSelect(b *testing.B) {
	s := testSchema(config.EnginePostgres, "public")
	m := s.Model("items")
	params, _ := url.ParseQuery(benchQuery)
	b.ReportAllocs()
	for b.Loop() {
		q, err := ParseWith(m, pgDialect, params, Options{Schema: s})
		if err != nil {
			b.Fatal(err)
		}
		stmt, args := q.SelectSQL(25, 25)
		if len(stmt) == 0 || len(args) != 9 {
			b.Fatal(stmt, args)
		}
	}
}

// BenchmarkSprintfBaseline builds the same statement and arguments with a
// single fmt.Sprintf and no parsing, validation or quoting logic: the floor.
func BenchmarkSprintfBaseline(b *testing.B) {
	params, _ := url.ParseQuery(benchQuery)
	const cols = `"id", "name", "note", "qty", "price", "ratio", "active", "born", "created", "status", "data", "position", "page", "owner_id"`
	b.ReportAllocs()
	for b.Loop() {
		pattern := "%" + params.Get("_search") + "%"
		stmt := fmt.Sprintf(`SELECT %s FROM %s WHERE ("created" < $1) AND ("qty" >= $2) AND (CAST("status" AS text) = $3) AND `+
			`(("name" ILIKE $4 ESCAPE '!') OR ("note" ILIKE $5 ESCAPE '!') OR (CAST("status" AS text) ILIKE $6 ESCAPE '!') OR `+
			`(CAST("data" AS text) ILIKE $7 ESCAPE '!')) ORDER BY "created" DESC, "id" DESC LIMIT $8 OFFSET $9`,
			cols, `"public"."items"`)
		args := []any{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), int64(10), params.Get("status"), pattern, pattern, pattern, pattern, int64(25), int64(25)}
		if len(stmt) == 0 || len(args) != 9 {
			b.Fatal(stmt)
		}
	}
}

// TestBenchStatement keeps the baseline honest: it is the statement the
// builder produces.
func TestBenchStatement(t *testing.T) {
	s := testSchema(config.EnginePostgres, "public")
	params, _ := url.ParseQuery(benchQuery)
	q, err := ParseWith(s.Model("items"), pgDialect, params, Options{Schema: s})
	if err != nil {
		t.Fatal(err)
	}
	stmt, _ := q.SelectSQL(25, 25)
	const cols = `"id", "name", "note", "qty", "price", "ratio", "active", "born", "created", "status", "data", "position", "page", "owner_id"`
	want := fmt.Sprintf(`SELECT %s FROM %s WHERE ("created" < $1) AND ("qty" >= $2) AND (CAST("status" AS text) = $3) AND `+
		`(("name" ILIKE $4 ESCAPE '!') OR ("note" ILIKE $5 ESCAPE '!') OR (CAST("status" AS text) ILIKE $6 ESCAPE '!') OR `+
		`(CAST("data" AS text) ILIKE $7 ESCAPE '!')) ORDER BY "created" DESC, "id" DESC LIMIT $8 OFFSET $9`,
		cols, `"public"."items"`)
	if stmt != want {
		t.Errorf("got  %s\nwant %s", stmt, want)
	}
}
