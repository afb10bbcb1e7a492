package server

import (
	"encoding/json"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/auth"

	"context"
	"errors"
	"fmt"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
	"github.com/jetbridge/jetbridge/internal/query"
	"github.com/jetbridge/jetbridge/internal/record"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/schema"
	"github.com/jetbridge/jetbridge/internal/sqlapi"
)

// conn is one connected database with its reflected schema; immutable once
// published, replaced as a whole on reload.
type conn struct {
	db           *db.DB
	schema       *schema.Schema
	descriptions []byte // rendered GET /api/model_descriptions/ body
	etag         string
	loc          *time.Location
	out          *time.Location // the zone datetimes are written in (record.NaiveZone on SQLite)
	reflectTime  time.Duration
	sql          *sqlapi.Runner
	cache        modelCache
}

// backend owns the database connection: it connects in the background when
// the database is unreachable at start-up, and swaps in a new schema on reload.
type backend struct {
	cfg     config.Database
	sqlOpt  sqlapi.Options
	log     *slog.Logger
	cur     atomic.Pointer[conn]
	lastErr atomic.Pointer[string]
	mu      sync.Mutex // serialises connect and reload
	open    func(ctx context.Context, cfg config.Database) (*db.DB, error)
	// describe explains a connection failure in plain words (log attributes).
	describe func(error) []any
}

func newBackend(cfg config.Database, sqlOpt sqlapi.Options, log *slog.Logger) *backend {
	return &backend{cfg: cfg, sqlOpt: sqlOpt, log: log, open: db.Open}
}

// get returns the live connection or a 503 naming why there is none.
func (b *backend) get() (*conn, error) {
	if c := b.cur.Load(); c != nil {
		return c, nil
	}
	msg := "the database is not connected yet"
	if e := b.lastErr.Load(); e != nil {
		msg = "the database is unreachable: " + *e
	}
	return nil, apierr.Unavailable(msg + "; jetbridge keeps retrying in the background")
}

// status describes the connection for GET /api/.
func (b *backend) status() (connected bool, detail string) {
	if b.cur.Load() != nil {
		return true, ""
	}
	if e := b.lastErr.Load(); e != nil {
		return false, *e
	}
	return false, "connecting"
}

// connect opens and reflects once.
func (b *backend) connect(ctx context.Context) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cur.Load() != nil {
		return nil
	}
	c, err := b.build(ctx, nil)
	if err != nil {
		s := err.Error()
		b.lastErr.Store(&s)
		return err
	}
	b.cur.Store(c)
	b.lastErr.Store(nil)
	return nil
}

// connectLoop retries connect with backoff until it succeeds or ctx ends. A
// problem is logged as a warning when it differs from the previous one
// (logged: the one already reported), at debug level when it repeats.
func (b *backend) connectLoop(ctx context.Context, logged string) {
	delay := 500 * time.Millisecond
	for {
		err := b.connect(ctx)
		if err == nil {
			b.log.Info("database connected", "engine", b.cfg.Engine)
			return
		}
		attrs := b.problem(err)
		level := slog.LevelWarn
		if k := problemKey(attrs); k == logged {
			level = slog.LevelDebug
		} else {
			logged = k
		}
		b.log.Log(ctx, level, "database unreachable, retrying", append([]any{"engine", b.cfg.Engine, "retry_in", delay}, attrs...)...)
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
		delay = min(delay*2, 10*time.Second)
	}
}

// build opens (or reuses) the database and reflects the schema.
func (b *backend) build(ctx context.Context, reuse *db.DB) (*conn, error) {
	d := reuse
	if d == nil {
		var err error
		d, err = b.open(ctx, b.cfg)
		if err != nil {
			return nil, err
		}
	}
	start := time.Now()
	s, err := schema.Reflect(ctx, d, schema.Options{Schema: b.cfg.Schema, Only: b.cfg.Only, Except: b.cfg.Except, MaxTables: b.cfg.MaxTables})
	if err != nil {
		if reuse == nil {
			_ = d.Close()
		}
		return nil, fmt.Errorf("reflect the schema: %w", err)
	}
	c := &conn{db: d, schema: s, loc: time.UTC, reflectTime: time.Since(start)}
	if b.cfg.Timezone != "" {
		if loc, err := time.LoadLocation(b.cfg.Timezone); err == nil {
			c.loc = loc
		} else {
			b.log.Warn("DATABASE_TIMEZONE is not a known zone, using UTC", "value", b.cfg.Timezone)
		}
	}
	c.out = c.loc
	if d.Dialect.Has(feature.TextDateTimes) { // stored as naive text
		c.out = record.NaiveZone
	}
	opt := b.sqlOpt
	opt.DefaultTimezone = c.loc.String()
	c.sql = sqlapi.New(d, opt)
	if err := c.render(); err != nil {
		return nil, err
	}
	b.log.Info("schema reflected", "models", len(s.Models), "took", c.reflectTime.Round(time.Millisecond))
	if reuse == nil {
		for _, w := range d.PrivilegeWarnings(ctx) {
			b.log.Warn(w)
		}
	}
	return c, nil
}

// reload re-reflects the schema; a failure keeps the previous schema.
func (b *backend) reload(ctx context.Context) (bool, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	old := b.cur.Load()
	if old == nil {
		c, err := b.build(ctx, nil)
		if err != nil {
			s := err.Error()
			b.lastErr.Store(&s)
			return false, err
		}
		b.cur.Store(c)
		b.lastErr.Store(nil)
		return false, nil
	}
	c, err := b.build(ctx, old.db)
	if err != nil {
		return false, err
	}
	b.cur.Store(c)
	return true, nil
}

func (b *backend) close() {
	if c := b.cur.Load(); c != nil {
		_ = c.db.Close()
	}
}

var errNoSchema = errors.New("no schema")

// parse reads a model request's list parameters (filters, search, order,
// relations) against this connection's schema and default timezone.
func (cn *conn) parse(m *schema.Model, params url.Values) (*query.Query, error) {
	opt := query.Options{Schema: cn.schema, Encode: cn.encodeValue}
	if params.Get("tz") == "" {
		opt.Location = cn.loc // ?tz= wins over DATABASE_TIMEZONE
	}
	return query.ParseWith(m, cn.db.Dialect, params, opt)
}

// encodeValue renders group labels and min/max results exactly as rows do.
func (cn *conn) encodeValue(c *schema.Column, v any) (any, error) {
	return json.RawMessage(record.AppendValue(nil, c, v, cn.out)), nil
}

// parseFor parses a model request's list parameters and checks that the
// user may also read every other model the query reads rows of (_relation
// hops, _m2m association tables; issue 17 L2).
func (s *Server) parseFor(c echo.Context, cn *conn, m *schema.Model, params url.Values) (*query.Query, error) {
	q, err := cn.parse(m, params)
	if err != nil {
		return nil, err
	}
	for _, name := range q.JoinedModels() {
		need := auth.Permission{Type: auth.PermModel, Object: name, Actions: actRead}
		if _, denied := s.authorizer().Authorize(c.Request().Context(), c.Request().Header.Get("Authorization"), need); denied != nil {
			return nil, apierr.Forbidden(denied.Reason + " (the query reads " + strconv.Quote(name) + " through _relation or _m2m)")
		}
	}
	return q, nil
}
