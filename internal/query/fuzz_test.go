package query

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// sqlWords are the only bare words generated SQL may contain.
var sqlWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`SELECT FROM WHERE AND OR NOT IN IS NULL ORDER BY DESC LIMIT OFFSET
		CAST AS text CHAR TEXT jsonb LIKE ILIKE ESCAPE LOWER jetbridge_lower COUNT SUM MIN MAX AVG
		CASE WHEN THEN ELSE END substr strftime GLOB ltrim ANY GROUP NULLS FIRST date_trunc AT TIME ZONE
		interval DATE_FORMAT CONCAT LEFT DATE_SUB INTERVAL WEEKDAY DAY YEAR LPAD QUARTER printf date
		timestamp WITH JOIN ON BETWEEN ROW_NUMBER OVER jb_numbered jb_pk jb_pos jb_total s t INTEGER
		jb_r jb_capped jb_one DISTINCT`) {
		m[w] = true
	}
	for i := range 32 { // get_siblings' ordering values
		m["jb_o"+strconv.Itoa(i)] = true
	}
	return m
}()

// sqlLiterals are the only string literals generated SQL may contain.
func sqlLiteral(s string) bool {
	switch s {
	case "!", "", ".", "0", "00", "000", "0000", "00000", "000000", "0123456789", "-", "-01", "-01 00:00:00",
		"%02d", "%Y", "%m", "-6 days", "weekday 1",
		"microseconds", "milliseconds", "second", "minute", "hour", "day", "week", "month", "quarter", "year":
		return true
	}
	if strings.HasPrefix(s, ".") && strings.Trim(s[1:], "[0-9]") == "" && strings.Count(s, "[0-9]")*5 == len(s)-1 {
		return true // GLOB '.[0-9]…'
	}
	// strftime / DATE_FORMAT formats
	return strings.Trim(s, "%YmdHMSif-: .0123456789") == "" && strings.Contains(s, "%")
}

// checkSQL asserts the statement is made only of quoted identifiers the
// schema knows, known words and literals, numbers, punctuation and
// placeholders (as many as args), so no user text reached it.
func checkSQL(t *testing.T, d db.Dialect, idents map[string]bool, stmt string, args []any) {
	t.Helper()
	if err := sqlProblem(d, idents, stmt, args); err != nil {
		t.Fatalf("%v: %s", err, stmt)
	}
}

func sqlProblem(d db.Dialect, idents map[string]bool, stmt string, args []any) error {
	quote := byte('"')
	if d.Engine == config.EngineMySQL {
		quote = '`'
	}
	placeholders := 0
	maxN := 0
	for i := 0; i < len(stmt); {
		c := stmt[i]
		switch {
		case c == quote:
			var name strings.Builder
			j := i + 1
			for ; j < len(stmt); j++ {
				if stmt[j] == quote {
					if j+1 < len(stmt) && stmt[j+1] == quote {
						name.WriteByte(quote)
						j++
						continue
					}
					break
				}
				name.WriteByte(stmt[j])
			}
			if j >= len(stmt) {
				return fmt.Errorf("unterminated identifier")
			}
			if !idents[name.String()] {
				return fmt.Errorf("identifier %q is not in the schema", name.String())
			}
			i = j + 1
		case c == '\'':
			j := strings.IndexByte(stmt[i+1:], '\'')
			if j < 0 {
				return fmt.Errorf("unterminated literal")
			}
			lit := stmt[i+1 : i+1+j]
			if !sqlLiteral(lit) {
				return fmt.Errorf("literal %q is not one the builder writes", lit)
			}
			i += j + 2
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(stmt) && (stmt[j] == '_' || stmt[j] >= 'a' && stmt[j] <= 'z' || stmt[j] >= 'A' && stmt[j] <= 'Z' || stmt[j] >= '0' && stmt[j] <= '9') {
				j++
			}
			if !sqlWords[stmt[i:j]] {
				return fmt.Errorf("word %q is not one the builder writes", stmt[i:j])
			}
			i = j
		case c >= '0' && c <= '9':
			for i < len(stmt) && stmt[i] >= '0' && stmt[i] <= '9' {
				i++
			}
		case c == '$' && (d.Engine == config.EnginePostgres):
			j := i + 1
			for j < len(stmt) && stmt[j] >= '0' && stmt[j] <= '9' {
				j++
			}
			n, err := strconv.Atoi(stmt[i+1 : j])
			if err != nil {
				return fmt.Errorf("bad placeholder")
			}
			maxN = max(maxN, n)
			placeholders++
			i = j
		case c == '?' && !(d.Engine == config.EnginePostgres):
			placeholders++
			maxN = placeholders
			i++
		case strings.IndexByte(" (),.=<>*+-/|@", c) >= 0:
			i++
		default:
			return fmt.Errorf("unexpected %q at %d", c, i)
		}
	}
	if maxN != len(args) {
		return fmt.Errorf("%d placeholders (highest %d) for %d args", placeholders, maxN, len(args))
	}
	return nil
}

func schemaIdents(s *schema.Schema, schemaName string) map[string]bool {
	idents := map[string]bool{schemaName: true, "group": true, "y_func": true}
	for i := 2; i < 10; i++ {
		idents["group_"+strconv.Itoa(i)] = true
	}
	for _, m := range s.Models {
		idents[m.Table] = true
		for _, c := range m.Columns {
			idents[c.Name] = true
		}
	}
	return idents
}

func expect400(t *testing.T, what string, err error) {
	t.Helper()
	ae, ok := apierr.As(err)
	if !ok || ae.Status != 400 {
		t.Fatalf("%s: %v is not a 400 *apierr.Error", what, err)
	}
}

// FuzzParse: any query string either parses or is a 400; every statement
// built from it holds only schema identifiers and bound values.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"name=a&qty__gt=1&_order_by=-qty",
		"_search=x%25_y&created__lt=2024-01-01T10:00:00%2B03:00&tz=Europe/Paris",
		"_x_column=created&_x_lookup=date_week&_y_func=sum&_y_column=qty",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		params, _ := url.ParseQuery(raw) // a partly invalid query still yields the valid pairs
		for _, d := range dialects {
			s := testSchema(d.Engine, "app")
			idents := schemaIdents(s, "app")
			q, err := ParseWith(s.Model("items"), d, params, Options{Schema: s})
			if err != nil {
				expect400(t, "Parse", err)
				continue
			}
			stmt, args := q.SelectSQL(10, 5)
			checkSQL(t, d, idents, stmt, args)
			stmt, args = q.SelectSQL(-1, 0)
			checkSQL(t, d, idents, stmt, args)
			stmt, args = q.CountSQL()
			checkSQL(t, d, idents, stmt, args)
			if stmt, args, err := q.AggregateSQL(); err != nil {
				expect400(t, "AggregateSQL", err)
			} else {
				checkSQL(t, d, idents, stmt, args)
			}
			if stmt, args, err := q.GroupSQL(); err != nil {
				expect400(t, "GroupSQL", err)
			} else {
				checkSQL(t, d, idents, stmt, args)
			}
			if stmt, args, err := q.SiblingsSQL(params.Get("pk")); err != nil {
				expect400(t, "SiblingsSQL", err)
			} else {
				checkSQL(t, d, idents, stmt, args)
			}
		}
	})
}

// TestCheckSQL: the fuzz oracle rejects what it must.
func TestCheckSQL(t *testing.T) {
	s := testSchema("sqlite", "app")
	idents := schemaIdents(s, "app")
	bad := []struct {
		stmt string
		args []any
	}{
		{`SELECT "id" FROM "items" WHERE "name" = 'x'`, nil},
		{`SELECT "id" FROM "secret"`, nil},
		{`SELECT "id" FROM "items" WHERE "id" = ?`, nil},
		{`SELECT "id" FROM "items"; DROP TABLE "items"`, nil},
		{`SELECT "id" FROM "items" -- x`, nil},
		{`SELECT "id" FROM "items" WHERE sleep(1)`, nil},
		{`SELECT "id" FROM "items" WHERE "name`, nil},
	}
	for _, b := range bad {
		if sqlProblem(sqliteDialect, idents, b.stmt, b.args) == nil {
			t.Errorf("accepted %s", b.stmt)
		}
	}
	if err := sqlProblem(sqliteDialect, idents, `SELECT "id" FROM "app"."items" WHERE "name" LIKE ? ESCAPE '!'`, []any{"%x%"}); err != nil {
		t.Errorf("rejected a good statement: %v", err)
	}
}
