// Package store keeps the bridge's own state that the API writes: the
// relationship overrides of POST /api/model_descriptions/relationship_overrides/
// (spec graphql.md §10). They live in a __jet__relation_overrides table of
// the user's database, so every replica of a scaled-out bridge sees the same
// overrides; when the database role may not create that table, in a local
// SQLite file (STORE_PATH). Draft and published overrides are kept apart.
package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// TableName is the overrides table.
const TableName = schema.InternalPrefix + "relation_overrides"

// timeout bounds every store statement.
const timeout = 10 * time.Second

// Store reads and writes relation overrides. The table is created by the
// first write, so a bridge that never stores an override leaves the user's
// database as it found it.
type Store struct {
	mu     sync.Mutex
	user   *db.DB // the user's database
	path   string // STORE_PATH
	log    *slog.Logger
	local  *db.DB // the STORE_PATH file, once in use
	ready  bool   // the table exists where d points
	failed error  // neither place could take a write
	// version changes on every write (schemas built from older versions are stale)
	version atomic.Int64
	// cache holds each side as read, for cacheTTL (another replica may write)
	cache map[bool]cachedSide
}

type cachedSide struct {
	rels    map[string][]schema.Relation
	version int64
	at      time.Time
}

// cacheTTL is how long overrides read from the database are reused; writes
// through this store are seen at once.
const cacheTTL = 3 * time.Second

// Open prepares the store: overrides go to the user's database, or to the
// SQLite file at path when the table cannot be created there. Nothing is
// created before the first write.
func Open(ctx context.Context, user *db.DB, path string, log *slog.Logger) (*Store, error) {
	if user == nil && path == "" {
		return nil, errors.New("no database and no STORE_PATH for the relation override store")
	}
	s := &Store{user: user, path: path, log: log}
	if user == nil {
		if err := s.useLocal(ctx); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// useLocal switches to the STORE_PATH file (creating the table there).
func (s *Store) useLocal(ctx context.Context) error {
	if s.path == "" {
		return errors.New("no STORE_PATH for the local store")
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	d, err := db.Open(ctx, config.Database{Engine: config.EngineSQLite, Name: s.path, Connections: 1})
	if err != nil {
		return fmt.Errorf("open the local store %s: %w", s.path, err)
	}
	if err := ensure(ctx, d); err != nil {
		_ = d.Close()
		return fmt.Errorf("prepare the local store %s: %w", s.path, err)
	}
	s.local, s.ready = d, true
	return nil
}

// current is where overrides are read and written.
func (s *Store) current() *db.DB {
	if s.local != nil {
		return s.local
	}
	return s.user
}

func ensure(ctx context.Context, d *db.DB) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	stmt := "CREATE TABLE IF NOT EXISTS " + d.Dialect.QuoteIdent(TableName) +
		" (draft SMALLINT NOT NULL, model VARCHAR(255) NOT NULL, relations TEXT NOT NULL, PRIMARY KEY (draft, model))"
	_, err := d.Exec(ctx, stmt)
	return err
}

// Close releases the local store (the user's database belongs to the caller).
func (s *Store) Close() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.local != nil {
		return s.local.Close()
	}
	return nil
}

// Available reports whether the store can take writes (false once both the
// database and STORE_PATH refused).
func (s *Store) Available() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failed == nil
}

// Local reports whether the overrides live in the local SQLite file.
func (s *Store) Local() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.local != nil
}

// Version changes whenever overrides are written.
func (s *Store) Version() int64 { return s.version.Load() }

// prepare makes sure the table exists before a write, falling back to the
// local file when the user's database refuses it.
func (s *Store) prepare(ctx context.Context) (*db.DB, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ready {
		return s.current(), nil
	}
	err := ensure(ctx, s.user)
	if err == nil {
		s.ready = true
		return s.user, nil
	}
	if s.log != nil {
		s.log.Warn("relation overrides: cannot create "+TableName+" in the database, using the local store", "path", s.path, "err", err)
	}
	if lerr := s.useLocal(ctx); lerr != nil {
		s.failed = lerr
		return nil, lerr
	}
	s.failed = nil
	return s.local, nil
}

func flag(draft bool) int {
	if draft {
		return 1
	}
	return 0
}

// Overrides returns the overrides in force on the draft or published side,
// per model name, sorted by relation name. The published side is what was
// posted without ?draft; the draft side is the published one with the
// models posted with ?draft replaced (draft writes never reach published;
// an empty draft list takes the model back to its published overrides).
func (s *Store) Overrides(ctx context.Context, draft bool) (map[string][]schema.Relation, error) {
	v := s.version.Load()
	s.mu.Lock()
	c, ok := s.cache[draft]
	s.mu.Unlock()
	if ok && c.version == v && time.Since(c.at) < cacheTTL {
		return c.rels, nil
	}
	out, err := s.read(ctx, draft)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.cache == nil {
		s.cache = map[bool]cachedSide{}
	}
	s.cache[draft] = cachedSide{rels: out, version: v, at: time.Now()}
	s.mu.Unlock()
	return out, nil
}

// read reads the side from the table (the result is not modified later:
// callers share it).
func (s *Store) read(ctx context.Context, draft bool) (map[string][]schema.Relation, error) {
	out, err := s.side(ctx, false)
	if err != nil || !draft {
		return out, err
	}
	d, err := s.side(ctx, true)
	if err != nil {
		return nil, err
	}
	for m, rs := range d {
		out[m] = rs
	}
	return out, nil
}

// side reads the rows of one side as stored. Before the first write the
// table may not exist (here, or yet: another replica may create it): no
// overrides.
func (s *Store) side(ctx context.Context, draft bool) (map[string][]schema.Relation, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	s.mu.Lock()
	d, ready := s.current(), s.ready
	s.mu.Unlock()
	q := d.Dialect
	out := map[string][]schema.Relation{}
	queried := false
	err := d.Query(ctx, "SELECT model, relations FROM "+q.QuoteIdent(TableName)+" WHERE draft = "+q.Placeholder(1),
		[]any{flag(draft)}, func(rows *sql.Rows) error {
			queried = true
			var model, rels string
			if err := rows.Scan(&model, &rels); err != nil {
				return err
			}
			var rs []schema.Relation
			if err := json.Unmarshal([]byte(rels), &rs); err != nil {
				return nil // not ours to interpret
			}
			sort.SliceStable(rs, func(i, j int) bool { return rs[i].Name < rs[j].Name })
			out[model] = rs
			return nil
		})
	if err != nil {
		if !ready && !queried {
			return map[string][]schema.Relation{}, nil
		}
		return nil, fmt.Errorf("read relation overrides: %w", err)
	}
	return out, nil
}

// Replace stores the overrides of each model (an empty list deletes them)
// in one transaction.
func (s *Store) Replace(ctx context.Context, draft bool, models []string, rels [][]schema.Relation) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	d, err := s.prepare(ctx)
	if err != nil {
		return fmt.Errorf("store relation overrides: %w", err)
	}
	q := d.Dialect
	table := q.QuoteIdent(TableName)
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		for i, m := range models {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE draft = "+q.Placeholder(1)+" AND model = "+q.Placeholder(2), flag(draft), m); err != nil {
				return err
			}
			if len(rels[i]) == 0 {
				continue // none on this side (a draft falls back to published)
			}
			b, err := json.Marshal(rels[i])
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO "+table+" (draft, model, relations) VALUES ("+
				q.Placeholder(1)+", "+q.Placeholder(2)+", "+q.Placeholder(3)+")", flag(draft), m, string(b)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store relation overrides: %w", err)
	}
	s.version.Add(1)
	return nil
}
