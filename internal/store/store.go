// Package store keeps the bridge's own state that the API writes: the
// relationship overrides of POST /api/model_descriptions/relationship_overrides/
// (spec graphql.md §10). They live in a __jet__relation_overrides table of
// the user's database, so every replica of a scaled-out bridge sees the same
// overrides; when the database role may not create that table, in a local
// SQLite file (STORE_PATH). Draft and published overrides are kept apart.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
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

// Store reads and writes relation overrides.
type Store struct {
	d     *db.DB
	local bool // d is the STORE_PATH SQLite file, owned by the store
	// version changes on every write (schemas built from older versions are stale)
	version atomic.Int64
}

// Open prepares the store in the user's database, falling back to the
// SQLite file at path when the table cannot be created there.
func Open(ctx context.Context, user *db.DB, path string, log *slog.Logger) (*Store, error) {
	if user != nil {
		if err := ensure(ctx, user); err == nil {
			return &Store{d: user}, nil
		} else if log != nil {
			log.Warn("relation overrides: cannot create "+TableName+" in the database, using the local store", "path", path, "err", err)
		}
	}
	if path == "" {
		return nil, errors.New("no STORE_PATH for the local store")
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	d, err := db.Open(ctx, config.Database{Engine: config.EngineSQLite, Name: path, Connections: 1})
	if err != nil {
		return nil, fmt.Errorf("open the local store %s: %w", path, err)
	}
	if err := ensure(ctx, d); err != nil {
		_ = d.Close()
		return nil, fmt.Errorf("prepare the local store %s: %w", path, err)
	}
	return &Store{d: d, local: true}, nil
}

func ensure(ctx context.Context, d *db.DB) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	stmt := "CREATE TABLE IF NOT EXISTS " + d.Dialect.QuoteIdent(TableName) +
		" (draft SMALLINT NOT NULL, model VARCHAR(255) NOT NULL, relations TEXT NOT NULL, PRIMARY KEY (draft, model))"
	_, err := d.SQL.ExecContext(ctx, stmt)
	return err
}

// Close releases the local store (the user's database belongs to the caller).
func (s *Store) Close() error {
	if s != nil && s.local {
		return s.d.Close()
	}
	return nil
}

// Local reports whether the overrides live in the local SQLite file.
func (s *Store) Local() bool { return s.local }

// Version changes whenever overrides are written.
func (s *Store) Version() int64 { return s.version.Load() }

func flag(draft bool) int {
	if draft {
		return 1
	}
	return 0
}

// Overrides returns the stored overrides of the draft or published side,
// per model name, sorted by relation name.
func (s *Store) Overrides(ctx context.Context, draft bool) (map[string][]schema.Relation, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	q := s.d.Dialect
	rows, err := s.d.SQL.QueryContext(ctx, "SELECT model, relations FROM "+q.QuoteIdent(TableName)+" WHERE draft = "+q.Placeholder(1), flag(draft))
	if err != nil {
		return nil, fmt.Errorf("read relation overrides: %w", err)
	}
	defer rows.Close()
	out := map[string][]schema.Relation{}
	for rows.Next() {
		var model, rels string
		if err := rows.Scan(&model, &rels); err != nil {
			return nil, fmt.Errorf("read relation overrides: %w", err)
		}
		var rs []schema.Relation
		if err := json.Unmarshal([]byte(rels), &rs); err != nil {
			continue // not ours to interpret
		}
		sort.SliceStable(rs, func(i, j int) bool { return rs[i].Name < rs[j].Name })
		out[model] = rs
	}
	return out, rows.Err()
}

// Replace stores the overrides of each model (an empty list deletes them)
// in one transaction.
func (s *Store) Replace(ctx context.Context, draft bool, models []string, rels [][]schema.Relation) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	q := s.d.Dialect
	tx, err := s.d.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store relation overrides: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	table := q.QuoteIdent(TableName)
	for i, m := range models {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE draft = "+q.Placeholder(1)+" AND model = "+q.Placeholder(2), flag(draft), m); err != nil {
			return fmt.Errorf("store relation overrides: %w", err)
		}
		if len(rels[i]) == 0 {
			continue
		}
		b, err := json.Marshal(rels[i])
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO "+table+" (draft, model, relations) VALUES ("+
			q.Placeholder(1)+", "+q.Placeholder(2)+", "+q.Placeholder(3)+")", flag(draft), m, string(b)); err != nil {
			return fmt.Errorf("store relation overrides: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store relation overrides: %w", err)
	}
	s.version.Add(1)
	return nil
}
