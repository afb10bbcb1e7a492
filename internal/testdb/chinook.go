package testdb

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
)

// The Chinook sample database (MIT, see fixtures/chinook/README.md).
//
//go:embed fixtures/chinook/Chinook_PostgreSql.sql fixtures/chinook/Chinook_MySql.sql fixtures/chinook/Chinook_Sqlite.sql
var chinookFiles embed.FS

var chinookFile = map[config.Engine]string{
	config.EnginePostgres: "fixtures/chinook/Chinook_PostgreSql.sql",
	config.EngineMySQL:    "fixtures/chinook/Chinook_MySql.sql",
	config.EngineSQLite:   "fixtures/chinook/Chinook_Sqlite.sql",
}

// chinookTables lists Chinook's tables (PostgreSQL name, MySQL/SQLite name)
// with their row counts, in the files' insertion order.
var chinookTables = []struct {
	snake, pascal string
	rows          int
}{
	{"genre", "Genre", 25},
	{"media_type", "MediaType", 5},
	{"artist", "Artist", 275},
	{"album", "Album", 347},
	{"track", "Track", 3503},
	{"employee", "Employee", 8},
	{"customer", "Customer", 59},
	{"invoice", "Invoice", 412},
	{"invoice_line", "InvoiceLine", 2240},
	{"playlist", "Playlist", 18},
	{"playlist_track", "PlaylistTrack", 8715},
}

// ChinookRowCounts returns Chinook's tables, named as the engine's file
// names them (snake_case on PostgreSQL, PascalCase elsewhere), with their
// row counts.
func ChinookRowCounts(e config.Engine) map[string]int {
	out := make(map[string]int, len(chinookTables))
	for _, t := range chinookTables {
		out[ChinookTable(e, t.pascal)] = t.rows
	}
	return out
}

// ChinookTable maps a PascalCase Chinook table name ("InvoiceLine") to the
// engine's name for it ("invoice_line" on PostgreSQL).
func ChinookTable(e config.Engine, pascal string) string {
	if e != config.EnginePostgres {
		return pascal
	}
	for _, t := range chinookTables {
		if t.pascal == pascal {
			return t.snake
		}
	}
	return pascal
}

// LoadChinookSQL returns the engine's Chinook script adapted to run in an
// existing, current database: the file's DROP/CREATE DATABASE, `\c` and USE
// lines are removed, and on MySQL the session first turns on
// NO_BACKSLASH_ESCAPES so the backslashes in a few track names stay as
// written (as PostgreSQL and SQLite read them). It panics for an unknown
// engine (a programming error).
func LoadChinookSQL(e config.Engine) string {
	name, ok := chinookFile[e]
	if !ok {
		panic(fmt.Sprintf("testdb: no Chinook script for engine %q", e))
	}
	b, err := chinookFiles.ReadFile(name)
	if err != nil {
		panic(fmt.Sprintf("testdb: embedded %s: %v", name, err)) // embedded at build time
	}
	var out strings.Builder
	out.Grow(len(b) + 128)
	if e == config.EngineMySQL {
		out.WriteString("SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'NO_BACKSLASH_ESCAPES');\n")
	}
	for _, line := range strings.SplitAfter(string(b), "\n") {
		if databaseLine(line) {
			continue
		}
		out.WriteString(line)
	}
	return out.String()
}

// databaseLine reports the lines that switch or (re)create the database.
func databaseLine(line string) bool {
	l := strings.ToUpper(strings.TrimSpace(line))
	return strings.HasPrefix(l, "DROP DATABASE ") || strings.HasPrefix(l, "CREATE DATABASE ") ||
		strings.HasPrefix(l, "USE ") || strings.HasPrefix(l, `\C `)
}

// LoadChinook loads the Chinook sample database into d, which must be a fresh
// database from New or Each. PostgreSQL and SQLite load in one transaction;
// MySQL (whose DDL commits implicitly) statement by statement on one
// connection. Each engine takes well under a few seconds.
func LoadChinook(t testing.TB, d *db.DB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := loadChinook(ctx, d); err != nil {
		t.Fatalf("testdb: load Chinook into %s: %v", String(d), err)
	}
}

// LoadChinookAsRecorded loads Chinook as the upstream conformance recordings
// were made: on MySQL in the server's default sql_mode, where the four track
// names written with "\\ " lose the backslash (all of them are a backslash
// before a space, so the statements split the same either way).
func LoadChinookAsRecorded(t testing.TB, d *db.DB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	script := LoadChinookSQL(d.Dialect.Engine)
	if first, rest, _ := strings.Cut(script, "\n"); strings.Contains(first, "NO_BACKSLASH_ESCAPES") {
		script = rest // MySQL's sql_mode line
	}
	if err := loadChinookScript(ctx, d, script); err != nil {
		t.Fatalf("testdb: load Chinook into %s: %v", String(d), err)
	}
}

func loadChinook(ctx context.Context, d *db.DB) error {
	return loadChinookScript(ctx, d, LoadChinookSQL(d.Dialect.Engine))
}

func loadChinookScript(ctx context.Context, d *db.DB, script string) error {
	stmts := splitSQL(script)
	// One connection: the MySQL session setting must apply to every statement.
	conn, err := d.SQL.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var ex interface {
		ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	} = conn
	var tx *sql.Tx
	if d.Dialect.Has(feature.TransactionalDDL) {
		if tx, err = conn.BeginTx(ctx, nil); err != nil {
			return err
		}
		defer func() { _ = tx.Rollback() }()
		ex = tx
	}
	for i, s := range stmts {
		if _, err := ex.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("statement %d of %d: %w\n%s", i+1, len(stmts), err, trim(s))
		}
	}
	if tx != nil {
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
	}
	return nil
}

// splitSQL splits a script at the semicolons outside string literals, quoted
// identifiers ("x", `x`, [x]) and comments, and drops the comments. Quotes
// escape by doubling, as the Chinook files write them; backslash escapes are
// not understood.
func splitSQL(script string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if s := strings.TrimSpace(cur.String()); s != "" {
			out = append(out, s)
		}
		cur.Reset()
	}
	for i := 0; i < len(script); i++ {
		c := script[i]
		switch {
		case c == '\'' || c == '"' || c == '`' || c == '[':
			end := byte(c)
			if c == '[' {
				end = ']'
			}
			j := i + 1
			for j < len(script) {
				if script[j] == end {
					if end != ']' && j+1 < len(script) && script[j+1] == end {
						j += 2 // doubled quote
						continue
					}
					break
				}
				j++
			}
			cur.WriteString(script[i:min(j+1, len(script))])
			i = j
		case c == '-' && strings.HasPrefix(script[i:], "--"):
			for i < len(script) && script[i] != '\n' {
				i++
			}
			cur.WriteByte('\n')
		case c == '/' && strings.HasPrefix(script[i:], "/*"):
			end := strings.Index(script[i+2:], "*/")
			if end < 0 {
				i = len(script)
			} else {
				i += 2 + end + 1
			}
			cur.WriteByte(' ')
		case c == ';':
			flush()
		default:
			cur.WriteByte(c)
		}
	}
	flush()
	return out
}
