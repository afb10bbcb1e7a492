// Package db opens PostgreSQL, MySQL/MariaDB and SQLite databases through GORM
// and exposes the dialect differences the rest of the bridge needs.
package db

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"golang.org/x/sync/semaphore"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/dialect"
	"github.com/jetbridge/jetbridge/internal/dialect/dialects"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
)

// DB is an open database: GORM for writes and transactions, the underlying
// *sql.DB for the read path, and the facts reflection and SQL building need.
type DB struct {
	Gorm    *gorm.DB
	SQL     *sql.DB
	Dialect Dialect
	// Schema is the schema reflected by default: PostgreSQL's current schema
	// (or DATABASE_SCHEMA), MySQL's database name, SQLite's "main".
	Schema  string
	Version string
	// Gate admits the read path (record.Read) to the pool in arrival order,
	// one unit per connection. database/sql hands a freed connection to a
	// random waiter, which stretches the tail latency once more requests
	// than connections are in flight; waiting here first keeps it FIFO.
	// nil: no gate.
	Gate *semaphore.Weighted
	// StatementTimeout is the statement timeout every pooled connection
	// carries from its start (config.Database.StatementTimeout); 0: none.
	StatementTimeout time.Duration
	// Timeout is SQL_TIMEOUT as configured (config.Database.StatementTimeout,
	// whatever enforces it on the engine): Run, and all built on it, bound a
	// caller that comes without a deadline by Deadline(ctx, Timeout). 0: no
	// bound.
	Timeout time.Duration
}

// Open connects to the configured database and checks the connection with a
// ping bounded by ctx. It does not reflect anything.
func Open(ctx context.Context, d config.Database) (*DB, error) {
	dsn, err := d.DSN()
	if err != nil {
		return nil, err
	}
	dl, err := dialects.For(string(d.Engine))
	if err != nil {
		return nil, err
	}
	x, err := open(ctx, d, dl, dsn)
	if err != nil {
		return nil, err
	}
	if d.StatementTimeout <= 0 {
		return x, nil
	}
	x.Timeout = d.StatementTimeout
	// PostgreSQL carries the timeout in the DSN already; MariaDB and MySQL
	// name it differently, so the pool is opened again once the version is
	// known; SQLite has none.
	if tdsn, again := dl.TimeoutDSN(dsn, x.Version, d.StatementTimeout); again {
		_ = x.Close()
		if x, err = open(ctx, d, dl, tdsn); err != nil {
			return nil, err
		}
		x.Timeout = d.StatementTimeout
	} else if dl.Has(feature.DriverTimeout) {
		return x, nil
	}
	x.StatementTimeout = d.StatementTimeout
	return x, nil
}

func open(ctx context.Context, d config.Database, dl dialect.Dialect, dsn string) (*DB, error) {
	gcfg := &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		PrepareStmt:            false,
	}
	if err := dl.Prepare(d.ConnSettings()); err != nil {
		return nil, err
	}
	g, err := gorm.Open(dl.Gorm(dsn), gcfg)
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", d.Engine, err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", d.Engine, err)
	}
	conns := d.Connections
	if conns <= 0 {
		conns = 5
	}
	maxOpen := dl.MaxOpenConns(conns)
	sqlDB.SetMaxOpenConns(maxOpen)
	sqlDB.SetMaxIdleConns(conns)
	sqlDB.SetConnMaxLifetime(5 * time.Minute)
	sqlDB.SetConnMaxIdleTime(time.Minute)

	out := &DB{Gorm: g, SQL: sqlDB, Dialect: Dialect{Engine: d.Engine, Dialect: dl}, Gate: semaphore.NewWeighted(int64(maxOpen))}
	if err := out.probe(ctx, d); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	return out, nil
}

// probe pings the server and reads its version and default schema.
func (x *DB) probe(ctx context.Context, d config.Database) error {
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := x.SQL.PingContext(pctx); err != nil {
		return fmt.Errorf("connect to %s: %w", d.Engine, err)
	}
	var schema sql.NullString
	if err := x.SQL.QueryRowContext(pctx, x.Dialect.ProbeSQL()).Scan(&x.Version, &schema); err != nil {
		return fmt.Errorf("read %s server version: %w", d.Engine, err)
	}
	x.Schema = schema.String
	if d.Schema != "" && x.Dialect.Has(feature.Schemas) {
		x.Schema = d.Schema
	}
	return nil
}

// Enter waits for a turn at the pool through Gate (first come, first
// served); Leave ends it. Without a Gate both return at once.
func (x *DB) Enter(ctx context.Context) error {
	if x.Gate == nil {
		return nil
	}
	return x.Gate.Acquire(ctx, 1)
}

// Leave ends a turn Enter gave.
func (x *DB) Leave() {
	if x.Gate != nil {
		x.Gate.Release(1)
	}
}

// Close closes the pool.
func (x *DB) Close() error { return x.SQL.Close() }
