package testdb

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
)

func TestLoadChinook(t *testing.T) {
	Each(t, func(t *testing.T, d *db.DB) {
		e := d.Dialect.Engine
		start := time.Now()
		LoadChinook(t, d)
		t.Logf("%s: Chinook loaded in %v", String(d), time.Since(start).Round(time.Millisecond))

		ctx := context.Background()
		q := func(query string, dest ...any) {
			t.Helper()
			if err := d.SQL.QueryRowContext(ctx, query).Scan(dest...); err != nil {
				t.Fatalf("%s: %v", query, err)
			}
		}
		table := func(pascal string) string { return d.Dialect.QuoteIdent(ChinookTable(e, pascal)) }
		col := func(pascal string) string {
			if e == config.EnginePostgres {
				return d.Dialect.QuoteIdent(snake(pascal))
			}
			return d.Dialect.QuoteIdent(pascal)
		}

		total := 0
		for name, want := range ChinookRowCounts(e) {
			var n int
			q("SELECT count(*) FROM "+d.Dialect.QuoteIdent(name), &n)
			if n != want {
				t.Errorf("%s: %d rows, want %d", name, n, want)
			}
			total += n
		}
		if total != 15607 {
			t.Errorf("%d rows in all, want 15607", total)
		}

		// Non-ASCII text, quotes and backslashes read back as written.
		texts := []struct{ tbl, key, keyCol, valCol, want string }{
			{"Artist", "146", "ArtistId", "Name", "Titãs"},
			{"Artist", "191", "ArtistId", "Name", "Nação Zumbi"},
			{"Artist", "168", "ArtistId", "Name", "Youssou N'Dour"},
			{"Customer", "5", "CustomerId", "FirstName", "František"},
			{"Customer", "4", "CustomerId", "Address", "Ullevålsveien 14"},
			{"Track", "3435", "TrackId", "Name", `Cavalleria Rusticana \ Act \ Intermezzo Sinfonico`},
			{"Track", "1123", "TrackId", "Composer", "Sully Erna; Tony Rombola"},
		}
		for _, c := range texts {
			var got string
			q("SELECT "+col(c.valCol)+" FROM "+table(c.tbl)+" WHERE "+col(c.keyCol)+" = "+c.key, &got)
			if got != c.want {
				t.Errorf("%s %s.%s = %q, want %q", c.tbl, c.key, c.valCol, got, c.want)
			}
		}

		// Numbers, dates and the composite key.
		var sum float64
		q("SELECT SUM("+col("Total")+") FROM "+table("Invoice"), &sum)
		if sum < 2328.59 || sum > 2328.61 {
			t.Errorf("sum of invoice totals = %v, want 2328.60", sum)
		}
		var year string
		switch e {
		case config.EnginePostgres:
			q("SELECT to_char(birth_date, 'YYYY-MM-DD') FROM employee WHERE employee_id = 1", &year)
		case config.EngineMySQL:
			q("SELECT DATE_FORMAT(`BirthDate`, '%Y-%m-%d') FROM `Employee` WHERE `EmployeeId` = 1", &year)
		default:
			q(`SELECT date("BirthDate") FROM "Employee" WHERE "EmployeeId" = 1`, &year)
		}
		if year != "1962-02-18" {
			t.Errorf("employee 1 birth date = %q, want 1962-02-18", year)
		}
		var orphans int
		q("SELECT count(*) FROM "+table("PlaylistTrack")+" pt LEFT JOIN "+table("Track")+" tr ON tr."+col("TrackId")+
			" = pt."+col("TrackId")+" WHERE tr."+col("TrackId")+" IS NULL", &orphans)
		if orphans != 0 {
			t.Errorf("%d playlist tracks without a track", orphans)
		}
	})
}

func snake(pascal string) string {
	var b strings.Builder
	for i, r := range pascal {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func TestLoadChinookSQLStripsDatabaseSwitches(t *testing.T) {
	for _, e := range Engines {
		s := LoadChinookSQL(e)
		for _, bad := range []string{"DROP DATABASE", "CREATE DATABASE", "\\c chinook", "USE `Chinook`"} {
			if strings.Contains(s, bad) {
				t.Errorf("%s script still holds %q", e, bad)
			}
		}
		if n := strings.Count(s, "INSERT INTO"); n != 24 {
			t.Errorf("%s script: %d INSERT statements, want 24", e, n)
		}
		if !strings.Contains(s, "Titãs") {
			t.Errorf("%s script lost its non-ASCII text", e)
		}
	}
}

func TestSplitSQL(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"SELECT 1; SELECT 2;", []string{"SELECT 1", "SELECT 2"}},
		{"INSERT INTO t VALUES ('a;b'), ('it''s; ok');\nSELECT 3", []string{"INSERT INTO t VALUES ('a;b'), ('it''s; ok')", "SELECT 3"}},
		{"/* a; comment */ CREATE TABLE [x;y] (\"c;d\" INT, `e;f` INT);", []string{"CREATE TABLE [x;y] (\"c;d\" INT, `e;f` INT)"}},
		{"-- line; comment\nSELECT 'x' -- trailing; comment\n;", []string{"SELECT 'x'"}},
		{"/* only a comment */\n\n;;", nil},
		{"SELECT 'unterminated;", []string{"SELECT 'unterminated;"}},
	}
	for _, tc := range tests {
		got := splitSQL(tc.in)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
			t.Errorf("splitSQL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
