package demo

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/glebarez/sqlite"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
)

// wantCounts pins the generated data: a change here means the generator
// changed, and schemaVersion must be bumped so old demo files are rebuilt.
var wantCounts = map[string]int{
	"artists":         48,
	"albums":          155,
	"tracks":          1544,
	"customers":       150,
	"invoices":        500,
	"invoice_lines":   1729,
	"favorites":       658,
	"plays":           1200,
	"customer_totals": 150,
	markerTable:       1,
}

func openRO(t testing.TB, path string) *sql.DB {
	t.Helper()
	conn, err := sql.Open(sqlite.DriverName, fileURI(path, "mode=ro"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

func ensure(t testing.TB, path string) bool {
	t.Helper()
	created, err := Ensure(context.Background(), path)
	if err != nil {
		t.Fatalf("Ensure(%s): %v", path, err)
	}
	return created
}

func count(t testing.TB, conn *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := conn.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// leftovers lists files in dir other than the database itself.
func leftovers(t *testing.T, dir, keep string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.Name() != keep {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestEnsureCreatesThenReuses(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "folder")
	path := filepath.Join(dir, "demo.sqlite3")
	if !ensure(t, path) {
		t.Fatal("first Ensure: created = false, want true")
	}
	if l := leftovers(t, dir, "demo.sqlite3"); len(l) > 0 {
		t.Fatalf("files left beside the database: %v", l)
	}
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if ensure(t, path) {
		t.Fatal("second Ensure: created = true, want false (reuse)")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("reuse took %v", d)
	}
	after, _ := os.Stat(path)
	if !after.ModTime().Equal(before.ModTime()) || after.Size() != before.Size() {
		t.Fatal("reuse modified the file")
	}

	// The server opens it in WAL mode and may write to it; Ensure still
	// reuses it while the server holds it open.
	d, err := db.Open(context.Background(), config.Database{Engine: config.EngineSQLite, Name: path})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.SQL.Exec("INSERT INTO artists (name) VALUES ('New Artist ✨')"); err != nil {
		t.Fatal(err)
	}
	if ensure(t, path) {
		t.Fatal("Ensure while the server has the file open: created = true, want false")
	}
	var id int
	if err := d.SQL.QueryRow("SELECT id FROM artists WHERE name = 'New Artist ✨'").Scan(&id); err != nil {
		t.Fatalf("row written by the server is gone: %v", err)
	}
	if id != wantCounts["artists"]+1 {
		t.Fatalf("AUTOINCREMENT gave id %d, want %d", id, wantCounts["artists"]+1)
	}
}

// TestMain builds one demo database that the read-only tests share: under
// -race a build takes seconds.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "jetbridge-demo-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	shared = filepath.Join(dir, "shared.sqlite3")
	if _, err := Ensure(context.Background(), shared); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// shared is the path of the demo database TestMain built; tests must not
// modify it.
var shared string

func sharedBytes(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(shared)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestInspectClassifiesFiles(t *testing.T) {
	good := sharedBytes(t)
	sqliteExec := func(stmts string) func(t *testing.T, path string) {
		return func(t *testing.T, path string) {
			conn, err := sql.Open(sqlite.DriverName, path)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := conn.Exec(stmts); err != nil {
				t.Fatal(err)
			}
		}
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, path string)
		want  state
	}{
		{"missing", func(*testing.T, string) {}, stateRebuild},
		{"zero-byte file", func(t *testing.T, path string) { write(t, path, nil) }, stateRebuild},
		{"text file", func(t *testing.T, path string) { write(t, path, []byte("hello, not a database\n")) }, stateRebuild},
		{"truncated header", func(t *testing.T, path string) { write(t, path, good[:10]) }, stateRebuild},
		{"truncated database", func(t *testing.T, path string) { write(t, path, good[:len(good)/3]) }, stateRebuild},
		{"garbage after header", func(t *testing.T, path string) {
			write(t, path, append(append([]byte(nil), good[:100]...), make([]byte, 8192)...))
		}, stateRebuild},
		{"empty sqlite database", sqliteExec("PRAGMA user_version = 7"), stateRebuild},
		{"older demo version", func(t *testing.T, path string) {
			write(t, path, good)
			sqliteExec("UPDATE "+markerTable+" SET version = version - 1")(t, path)
		}, stateRebuild},
		{"empty marker", func(t *testing.T, path string) {
			write(t, path, good)
			sqliteExec("DELETE FROM "+markerTable)(t, path)
		}, stateRebuild},
		{"current demo", func(t *testing.T, path string) { write(t, path, good) }, stateCurrent},
		{"current demo in WAL mode", func(t *testing.T, path string) {
			write(t, path, good)
			sqliteExec("PRAGMA journal_mode = WAL")(t, path)
		}, stateCurrent},
		{"someone else's database", sqliteExec("CREATE TABLE users (id INTEGER PRIMARY KEY)"), stateForeign},
		{"someone else's view only", sqliteExec("CREATE VIEW v AS SELECT 1 AS x"), stateForeign},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "demo.sqlite3")
			tc.setup(t, path)
			before, _ := os.ReadFile(path)
			got, err := inspect(context.Background(), path)
			if err != nil {
				t.Fatalf("inspect: %v", err)
			}
			if got != tc.want {
				t.Fatalf("inspect = %d, want %d", got, tc.want)
			}
			if after, _ := os.ReadFile(path); string(after) != string(before) {
				t.Fatal("inspect modified the file")
			}
		})
	}
}

func TestInspectRejectsFolder(t *testing.T) {
	dir := t.TempDir()
	if _, err := Ensure(context.Background(), dir); err == nil || !strings.Contains(err.Error(), "folder") {
		t.Fatalf("Ensure(folder) error = %v, want one naming the folder", err)
	}
}

// TestEnsureRebuilds goes through the whole rebuild for bad files (the
// classification of every kind of bad file is TestInspectClassifiesFiles').
func TestEnsureRebuilds(t *testing.T) {
	good := sharedBytes(t)
	tests := []struct {
		name  string
		setup func(t *testing.T, path string)
	}{
		{"zero-byte file with a stale WAL beside it", func(t *testing.T, path string) {
			write(t, path, nil)
			write(t, path+"-wal", []byte("junk"))
			write(t, path+"-shm", []byte("junk"))
		}},
		{"truncated database", func(t *testing.T, path string) { write(t, path, good[:len(good)/2]) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "demo.sqlite3")
			tc.setup(t, path)
			if !ensure(t, path) {
				t.Fatal("created = false, want a rebuild")
			}
			if l := leftovers(t, dir, "demo.sqlite3"); len(l) > 0 {
				t.Fatalf("files left beside the database: %v", l)
			}
			conn := openRO(t, path)
			if n := count(t, conn, "SELECT count(*) FROM tracks"); n != wantCounts["tracks"] {
				t.Fatalf("tracks = %d, want %d", n, wantCounts["tracks"])
			}
			if ensure(t, path) {
				t.Fatal("Ensure after the rebuild: created = true, want reuse")
			}
		})
	}
}

func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestEnsureRefusesSomeoneElsesDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mine.sqlite3")
	conn, err := sql.Open(sqlite.DriverName, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('kept')"); err != nil {
		t.Fatal(err)
	}
	_ = conn.Close()
	before, _ := os.ReadFile(path)

	created, err := Ensure(context.Background(), path)
	if err == nil || created {
		t.Fatalf("Ensure = %v, %v; want an error", created, err)
	}
	if !strings.Contains(err.Error(), "not a jetbridge demo database") || !strings.Contains(err.Error(), path) {
		t.Fatalf("error %q should name the file and say it is not a demo database", err)
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Fatal("the foreign database was modified")
	}
}

// TestEnsureConcurrent runs two first builds at once: both succeed, the
// file is complete, and no temporary file is left.
func TestEnsureConcurrent(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "demo.sqlite3")
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := Ensure(context.Background(), path)
			errs <- err
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if l := leftovers(t, dir, "demo.sqlite3"); len(l) > 0 {
		t.Fatalf("files left beside the database: %v", l)
	}
	if n := count(t, openRO(t, path), "SELECT count(*) FROM invoices"); n != wantCounts["invoices"] {
		t.Fatalf("invoices = %d, want %d", n, wantCounts["invoices"])
	}
}

func TestEnsureCancelledLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "demo.sqlite3")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if created, err := Ensure(ctx, path); err == nil || created {
		t.Fatalf("Ensure with a cancelled context = %v, %v; want an error", created, err)
	}
	if l := leftovers(t, dir, ""); len(l) > 0 {
		t.Fatalf("files left after a cancelled build: %v", l)
	}
}

func TestRemoveStaleTemps(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "demo.sqlite3")
	stale, fresh, other := path+".123.tmp", path+".456.tmp", filepath.Join(dir, "other.123.tmp")
	old := time.Now().Add(-time.Hour)
	for _, p := range []string{stale, fresh, other} {
		write(t, p, []byte("x"))
		if p != fresh {
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	removeStaleTemps(path)
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale temp file kept: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("recent temp file (maybe another process's build) removed: %v", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("unrelated file removed: %v", err)
	}
}

func TestContent(t *testing.T) {
	conn := openRO(t, shared)

	t.Run("row counts", func(t *testing.T) {
		for name, want := range wantCounts {
			if got := count(t, conn, "SELECT count(*) FROM "+name); got != want {
				t.Errorf("%s: %d rows, want %d", name, got, want)
			}
		}
	})

	t.Run("integrity and foreign keys", func(t *testing.T) {
		var ok string
		if err := conn.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
			t.Fatalf("integrity_check = %q, %v", ok, err)
		}
		rows, err := conn.Query("PRAGMA foreign_key_check")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var tbl, parent string
			var rowid, fk sql.NullInt64
			_ = rows.Scan(&tbl, &rowid, &parent, &fk)
			t.Errorf("foreign key violation: %s row %v -> %s", tbl, rowid.Int64, parent)
		}
		// every foreign key declared is of the kind the reflection must see
		if n := count(t, conn, "SELECT count(*) FROM pragma_foreign_key_list('invoice_lines')"); n != 2 {
			t.Errorf("invoice_lines has %d foreign keys, want 2", n)
		}
		if n := count(t, conn, "SELECT count(*) FROM pragma_foreign_key_list('customers') WHERE \"table\" = 'customers'"); n != 1 {
			t.Errorf("customers self-reference missing")
		}
	})

	t.Run("declared types", func(t *testing.T) {
		got := map[string]bool{}
		for _, tbl := range []string{"artists", "albums", "tracks", "customers", "invoices", "invoice_lines", "favorites", "plays"} {
			rows, err := conn.Query("SELECT type FROM pragma_table_info(?)", tbl)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var typ string
				_ = rows.Scan(&typ)
				got[typ] = true
			}
			rows.Close()
		}
		for _, want := range []string{"INTEGER", "VARCHAR(120)", "CHAR(2)", "TEXT", "REAL", "DATE", "DATETIME",
			"TIMESTAMP", "DECIMAL(10,2)", "BOOLEAN", "JSON"} {
			if !got[want] {
				t.Errorf("no column declared %s (have %v)", want, got)
			}
		}
	})

	t.Run("keys", func(t *testing.T) {
		pkCols := func(tbl string) string {
			var s sql.NullString
			if err := conn.QueryRow("SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk)", tbl).Scan(&s); err != nil {
				t.Fatal(err)
			}
			return s.String
		}
		for tbl, want := range map[string]string{"tracks": "id", "favorites": "customer_id,track_id", "plays": ""} {
			if got := pkCols(tbl); got != want {
				t.Errorf("%s primary key = %q, want %q", tbl, got, want)
			}
		}
		if n := count(t, conn, "SELECT count(*) FROM sqlite_sequence WHERE name IN ('artists','albums','tracks','customers','invoices','invoice_lines')"); n != 6 {
			t.Errorf("AUTOINCREMENT tables in sqlite_sequence = %d, want 6", n)
		}
		if n := count(t, conn, "SELECT seq FROM sqlite_sequence WHERE name = 'tracks'"); n != wantCounts["tracks"] {
			t.Errorf("tracks sequence = %d, want %d", n, wantCounts["tracks"])
		}
		if n := count(t, conn, `SELECT count(*) FROM pragma_table_info('artists') WHERE name = 'Sort Name'`); n != 1 {
			t.Error(`column "Sort Name" missing`)
		}
		if n := count(t, conn, `SELECT count(*) FROM sqlite_master WHERE type = 'view' AND name = 'customer_totals'`); n != 1 {
			t.Error("view customer_totals missing")
		}
	})

	t.Run("stored values", func(t *testing.T) {
		zero := []struct{ name, query string }{
			{"dates are YYYY-MM-DD text", `SELECT count(*) FROM (
				SELECT formed_on AS v FROM artists UNION ALL SELECT released_on FROM albums UNION ALL SELECT birth_date FROM customers)
				WHERE v IS NOT NULL AND (typeof(v) != 'text' OR v NOT GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]' OR date(v) != v)`},
			{"datetimes are YYYY-MM-DD HH:MM:SS text", `SELECT count(*) FROM (
				SELECT added_at AS v FROM tracks UNION ALL SELECT created_at FROM customers UNION ALL SELECT invoiced_at FROM invoices
				UNION ALL SELECT added_at FROM favorites UNION ALL SELECT played_at FROM plays)
				WHERE typeof(v) != 'text' OR datetime(v) != v`},
			{"booleans are 0/1", `SELECT count(*) FROM (
				SELECT verified AS v FROM artists UNION ALL SELECT explicit FROM tracks UNION ALL SELECT newsletter FROM customers
				UNION ALL SELECT paid FROM invoices) WHERE v NOT IN (0, 1) OR typeof(v) != 'integer'`},
			{"JSON is valid", `SELECT count(*) FROM (
				SELECT links AS v FROM artists UNION ALL SELECT tags FROM albums UNION ALL SELECT metadata FROM tracks
				UNION ALL SELECT preferences FROM customers) WHERE v IS NOT NULL AND NOT json_valid(v)`},
			{"prices have two decimals", `SELECT count(*) FROM (
				SELECT price AS v FROM albums UNION ALL SELECT unit_price FROM tracks UNION ALL SELECT total FROM invoices
				UNION ALL SELECT unit_price FROM invoice_lines) WHERE typeof(v) NOT IN ('real', 'integer') OR round(v, 2) != v OR v <= 0`},
			{"invoice totals match their lines", `SELECT count(*) FROM invoices i WHERE abs(i.total -
				(SELECT sum(unit_price * quantity) FROM invoice_lines l WHERE l.invoice_id = i.id)) > 0.001`},
			{"invoices after the customer signed up", `SELECT count(*) FROM invoices i JOIN customers c ON c.id = i.customer_id
				WHERE i.invoiced_at < c.created_at`},
			{"favorites after the customer signed up", `SELECT count(*) FROM favorites f JOIN customers c ON c.id = f.customer_id
				WHERE f.added_at < c.created_at`},
			{"plays after the track was added", `SELECT count(*) FROM plays p JOIN tracks t ON t.id = p.track_id
				WHERE p.played_at < t.added_at OR p.seconds * 1000 > t.milliseconds`},
			{"albums after the artist formed", `SELECT count(*) FROM albums al JOIN artists ar ON ar.id = al.artist_id
				WHERE al.released_on < ar.formed_on`},
			{"every invoice has lines", `SELECT count(*) FROM invoices i WHERE NOT EXISTS (SELECT 1 FROM invoice_lines l WHERE l.invoice_id = i.id)`},
			{"view sums the invoices", `SELECT abs((SELECT sum(total_spent) FROM customer_totals) - (SELECT sum(total) FROM invoices)) > 0.01`},
		}
		for _, c := range zero {
			if n := count(t, conn, c.query); n != 0 {
				t.Errorf("%s: %d offending rows", c.name, n)
			}
		}
		some := []struct{ name, query string }{
			{"NULL composer", "SELECT count(*) FROM tracks WHERE composer IS NULL"},
			{"NULL date", "SELECT count(*) FROM artists WHERE formed_on IS NULL"},
			{"NULL JSON", "SELECT count(*) FROM customers WHERE preferences IS NULL"},
			{"NULL foreign key", "SELECT count(*) FROM plays WHERE customer_id IS NULL"},
			{"JSON array", "SELECT count(*) FROM albums WHERE json_type(tags) = 'array' AND json_array_length(tags) > 0"},
			{"empty JSON array", "SELECT count(*) FROM albums WHERE tags = '[]'"},
			{"JSON object", "SELECT count(*) FROM tracks WHERE json_type(metadata) = 'object'"},
			{"accents", "SELECT count(*) FROM customers WHERE first_name = 'José' OR last_name = 'Müller'"},
			{"CJK", "SELECT count(*) FROM artists WHERE name = '東京ノイズ'"},
			{"Hangul", "SELECT count(*) FROM artists WHERE name = '서울의 밤'"},
			{"emoji", "SELECT count(*) FROM artists WHERE name LIKE '%🎸%'"},
			{"true and false", "SELECT count(DISTINCT paid) - 1 FROM invoices"},
			{"self reference", "SELECT count(*) FROM customers WHERE referred_by IS NOT NULL"},
			{"whole-number decimals", "SELECT count(*) FROM albums WHERE typeof(price) = 'integer'"},
		}
		for _, c := range some {
			if n := count(t, conn, c.query); n == 0 {
				t.Errorf("%s: no rows", c.name)
			}
		}
	})
}

// TestDeterministic builds twice and compares every row.
func TestDeterministic(t *testing.T) {
	a, b := shared, filepath.Join(t.TempDir(), "b.sqlite3")
	ensure(t, b)
	ha, hb := digest(t, openRO(t, a)), digest(t, openRO(t, b))
	if ha != hb {
		t.Fatalf("two builds differ: %s vs %s", ha, hb)
	}
	gen1, gen2 := generate(), generate()
	if fmt.Sprint(gen1) != fmt.Sprint(gen2) {
		t.Fatal("generate() is not deterministic")
	}
}

// digest hashes the schema and every row of every demo table.
func digest(t *testing.T, conn *sql.DB) string {
	t.Helper()
	h := sha256.New()
	rows, err := conn.Query("SELECT name, sql FROM sqlite_master WHERE name != ? ORDER BY name", markerTable)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		var ddl sql.NullString
		_ = rows.Scan(&name, &ddl)
		fmt.Fprintln(h, name, ddl.String)
		if strings.HasPrefix(ddl.String, "CREATE TABLE") {
			tables = append(tables, name)
		}
	}
	rows.Close()
	for _, tbl := range tables {
		rows, err := conn.Query(`SELECT * FROM "` + tbl + `" ORDER BY rowid`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(h, "%s %v\n", tbl, vals)
		}
		rows.Close()
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestDefaultPath(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("XDG cache layout is Linux's")
	}
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	if got, want := DefaultPath(), filepath.Join(cache, "jetbridge", "demo.sqlite3"); got != want {
		t.Errorf("DefaultPath() = %q, want %q", got, want)
	}
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	want := filepath.Join(os.TempDir(), fmt.Sprintf("jetbridge-%d", os.Getuid()), "demo.sqlite3")
	if got := DefaultPath(); got != want {
		t.Errorf("DefaultPath() without a cache dir = %q, want %q", got, want)
	}
}

func BenchmarkEnsureCreate(b *testing.B) {
	dir := b.TempDir()
	ctx := context.Background()
	i := 0
	for b.Loop() {
		i++
		if _, err := Ensure(ctx, filepath.Join(dir, fmt.Sprintf("demo%d.sqlite3", i))); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEnsureReuse(b *testing.B) {
	path := filepath.Join(b.TempDir(), "demo.sqlite3")
	ctx := context.Background()
	if _, err := Ensure(ctx, path); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		created, err := Ensure(ctx, path)
		if err != nil || created {
			b.Fatal(created, err)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		_ = generate()
	}
}
