// Package demo builds the sample SQLite database behind `jetbridge serve
// --demo`: a small music store (artists, albums, tracks, customers, invoices,
// invoice lines, favorites, plays and a customer_totals view) with a few
// thousand deterministic rows covering the types the API serialises.
package demo

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	gosqlite "github.com/glebarez/go-sqlite"
	"github.com/glebarez/sqlite"
)

// DefaultPath is where the demo database lives unless told otherwise: the
// user's cache folder (e.g. ~/.cache/jetbridge/demo.sqlite3 on Linux), or a
// per-user folder in the temp dir when there is no cache folder.
func DefaultPath() string {
	if dir, err := os.UserCacheDir(); err == nil && dir != "" {
		return filepath.Join(dir, "jetbridge", "demo.sqlite3")
	}
	sub := "jetbridge"
	if uid := os.Getuid(); uid >= 0 {
		sub = fmt.Sprintf("jetbridge-%d", uid)
	}
	return filepath.Join(os.TempDir(), sub, "demo.sqlite3")
}

// Ensure makes path hold the current demo database. A file that already holds
// it (the marker table with the current version) is reused untouched and
// created is false. A missing, empty, non-SQLite, corrupt or outdated demo
// file is (re)built: the data is written to a temporary file beside path and
// renamed over it, so an interrupted build never leaves a half file at path.
// A SQLite database holding other tables but no demo marker is refused with
// an error, never overwritten.
func Ensure(ctx context.Context, path string) (created bool, err error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return false, fmt.Errorf("demo database path %s: %w", path, err)
	}
	st, err := inspect(ctx, abs)
	if err != nil {
		return false, err
	}
	switch st {
	case stateCurrent:
		return false, nil
	case stateForeign:
		return false, fmt.Errorf("%s is a SQLite database but not a jetbridge demo database: "+
			"refusing to overwrite it (delete it or choose another path)", abs)
	}
	return build(ctx, abs)
}

type state int

const (
	stateRebuild state = iota // missing, empty, not SQLite, corrupt, partial or outdated
	stateCurrent              // the current demo database
	stateForeign              // someone else's SQLite database
)

var sqliteHeader = []byte("SQLite format 3\x00")

// inspect decides what to do with the file at path without modifying it.
func inspect(ctx context.Context, path string) (state, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return stateRebuild, nil
	}
	if err != nil {
		return 0, fmt.Errorf("demo database: %w", err)
	}
	head := make([]byte, len(sqliteHeader))
	_, rerr := io.ReadFull(f, head)
	fi, serr := f.Stat()
	_ = f.Close()
	if serr == nil && fi.IsDir() {
		return 0, fmt.Errorf("demo database %s is a folder", path)
	}
	if rerr != nil || !bytes.Equal(head, sqliteHeader) {
		return stateRebuild, nil // empty, truncated or not a database
	}

	conn, err := sql.Open(sqlite.DriverName, fileURI(path, "mode=ro"))
	if err != nil {
		return 0, fmt.Errorf("demo database: open %s: %w", path, err)
	}
	defer conn.Close()
	var version int
	err = conn.QueryRowContext(ctx, "SELECT version FROM "+markerTable+" LIMIT 1").Scan(&version)
	switch {
	case err == nil && version == schemaVersion:
		return stateCurrent, nil
	case err == nil || errors.Is(err, sql.ErrNoRows):
		return stateRebuild, nil // another demo version, or an empty marker
	case corrupt(err):
		return stateRebuild, nil
	}
	// No marker table (or another failure): only an empty database may go.
	var others int
	qerr := conn.QueryRowContext(ctx,
		"SELECT count(*) FROM sqlite_master WHERE type IN ('table','view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").Scan(&others)
	switch {
	case qerr == nil && others == 0:
		return stateRebuild, nil
	case qerr == nil:
		return stateForeign, nil
	case corrupt(qerr):
		return stateRebuild, nil
	}
	return 0, fmt.Errorf("demo database: read %s: %w", path, qerr)
}

// corrupt reports SQLite's "file is not a database" and "malformed" errors.
func corrupt(err error) bool {
	var se *gosqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	const sqliteCorrupt, sqliteNotADB = 11, 26
	code := se.Code() & 0xff
	return code == sqliteCorrupt || code == sqliteNotADB
}

// fileURI turns an absolute path into a SQLite URI filename with the query.
func fileURI(path, query string) string {
	p := filepath.ToSlash(path)
	if p != "" && p[0] != '/' {
		p = "/" + p // Windows drive letter: file:///C:/...
	}
	return (&url.URL{Scheme: "file", Path: p, RawQuery: query}).String()
}

// build writes the demo database to a temporary file beside path and renames
// it over path. It reports false when another process finished the same
// build first (its file is kept).
func build(ctx context.Context, path string) (created bool, err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return false, fmt.Errorf("demo database: create folder: %w", err)
	}
	removeStaleTemps(path)
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".*.tmp")
	if err != nil {
		return false, fmt.Errorf("demo database: %w", err)
	}
	tmpPath := tmp.Name()
	_ = tmp.Close()
	defer func() {
		if err != nil || !created {
			_ = os.Remove(tmpPath)
		}
	}()

	if err := fill(ctx, tmpPath); err != nil {
		return false, fmt.Errorf("demo database: build %s: %w", path, err)
	}
	if err := syncFile(tmpPath); err != nil {
		return false, fmt.Errorf("demo database: %w", err)
	}
	// Two first runs at once: keep the file the other one may already use.
	if st, err := inspect(ctx, path); err == nil && st == stateCurrent {
		return false, nil
	}
	// A WAL or journal left by an earlier file at path must not be applied
	// to the new one.
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if rerr := os.Remove(path + suffix); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
			return false, fmt.Errorf("demo database: remove stale %s: %w", path+suffix, rerr)
		}
	}
	if err := os.Rename(tmpPath, path); err != nil {
		return false, fmt.Errorf("demo database: %w", err)
	}
	return true, nil
}

// fill creates the schema and the rows in one transaction.
func fill(ctx context.Context, path string) error {
	conn, err := sql.Open(sqlite.DriverName, fileURI(path,
		"_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)&_pragma=foreign_keys(1)"))
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, schemaSQL); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	for _, t := range generate() {
		if err := insertRows(ctx, tx, t); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO "+markerTable+" (version, created_at) VALUES (?, ?)",
		schemaVersion, datetime(time.Now().UTC())); err != nil {
		return fmt.Errorf("marker: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	return conn.Close()
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// removeStaleTemps deletes temporary files of interrupted builds; recent ones
// may belong to a build running in another process and are left alone.
func removeStaleTemps(path string) {
	dir, base := filepath.Split(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base+".") || !strings.HasSuffix(name, ".tmp") {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > 10*time.Minute {
			_ = os.Remove(filepath.Join(dir, name))
		}
	}
}
