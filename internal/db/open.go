// Package db opens PostgreSQL, MySQL/MariaDB and SQLite databases through GORM
// and exposes the dialect differences the rest of the bridge needs.
package db

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	gomysql "github.com/go-sql-driver/mysql"
	"golang.org/x/sync/semaphore"
	"gorm.io/driver/mysql"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/jetbridge/jetbridge/internal/config"
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
}

// Open connects to the configured database and checks the connection with a
// ping bounded by ctx. It does not reflect anything.
func Open(ctx context.Context, d config.Database) (*DB, error) {
	dsn, err := d.DSN()
	if err != nil {
		return nil, err
	}
	x, err := open(ctx, d, dsn)
	if err != nil || d.StatementTimeout <= 0 || d.Engine == config.EngineSQLite {
		return x, err
	}
	if d.Engine == config.EnginePostgres { // statement_timeout is in the DSN
		x.StatementTimeout = d.StatementTimeout
		return x, nil
	}
	// MariaDB and MySQL name the statement timeout differently (and refuse
	// the other's name): open again with the one this server knows, so that
	// every pooled connection carries it.
	_ = x.Close()
	x, err = open(ctx, d, dsn+"&"+mysqlTimeoutParam(x.Version, d.StatementTimeout))
	if err != nil {
		return nil, err
	}
	x.StatementTimeout = d.StatementTimeout
	return x, nil
}

// mysqlTimeoutParam is the DSN parameter that sets the server-side
// statement timeout on each connection: MariaDB max_statement_time
// (seconds, every statement), MySQL max_execution_time (milliseconds,
// SELECT only).
func mysqlTimeoutParam(version string, t time.Duration) string {
	if strings.Contains(strings.ToLower(version), "mariadb") {
		return "max_statement_time=" + strconv.FormatFloat(max(t.Seconds(), 0.001), 'f', 3, 64)
	}
	return "max_execution_time=" + strconv.FormatInt(max(t.Milliseconds(), 1), 10)
}

func open(ctx context.Context, d config.Database, dsn string) (*DB, error) {
	gcfg := &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		PrepareStmt:            false,
	}
	var dial gorm.Dialector
	switch d.Engine {
	case config.EnginePostgres:
		dial = postgres.New(postgres.Config{DSN: dsn})
	case config.EngineMySQL:
		if d.SSLCA != "" || d.SSLCert != "" {
			if err := registerMySQLTLS(d); err != nil {
				return nil, err
			}
		}
		dial = mysql.New(mysql.Config{DSN: dsn})
	case config.EngineSQLite:
		if dir := filepath.Dir(d.Name); dir != "" {
			if _, err := os.Stat(dir); err != nil {
				return nil, fmt.Errorf("sqlite: folder of %s: %w", d.Name, err)
			}
		}
		dial = sqlite.Open(dsn)
	default:
		return nil, fmt.Errorf("unsupported DATABASE_ENGINE %q (use postgresql, mysql or sqlite)", d.Engine)
	}
	g, err := gorm.Open(dial, gcfg)
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
	maxOpen := conns
	if d.Engine == config.EngineSQLite {
		// one writer at a time; readers share the WAL
		maxOpen = max(conns, 4)
	}
	sqlDB.SetMaxOpenConns(maxOpen)
	sqlDB.SetMaxIdleConns(conns)
	sqlDB.SetConnMaxLifetime(5 * time.Minute)
	sqlDB.SetConnMaxIdleTime(time.Minute)

	out := &DB{Gorm: g, SQL: sqlDB, Dialect: Dialect{Engine: d.Engine}, Gate: semaphore.NewWeighted(int64(maxOpen))}
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
	var q string
	switch d.Engine {
	case config.EnginePostgres:
		q = "SELECT current_setting('server_version'), current_schema()"
	case config.EngineMySQL:
		q = "SELECT VERSION(), DATABASE()"
	case config.EngineSQLite:
		q = "SELECT 'SQLite ' || sqlite_version(), 'main'"
	}
	var schema sql.NullString
	if err := x.SQL.QueryRowContext(pctx, q).Scan(&x.Version, &schema); err != nil {
		return fmt.Errorf("read %s server version: %w", d.Engine, err)
	}
	x.Schema = schema.String
	if d.Schema != "" && d.Engine == config.EnginePostgres {
		x.Schema = d.Schema
	}
	return nil
}

// Enter waits for a turn at the pool through Gate (first come, first
// served) and returns the function that ends the turn. Without a Gate it
// returns at once.
func (x *DB) Enter(ctx context.Context) (leave func(), err error) {
	if x.Gate == nil {
		return func() {}, nil
	}
	if err := x.Gate.Acquire(ctx, 1); err != nil {
		return nil, err
	}
	return func() { x.Gate.Release(1) }, nil
}

// Close closes the pool.
func (x *DB) Close() error { return x.SQL.Close() }

func registerMySQLTLS(d config.Database) error {
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if d.SSLCA != "" {
		pem, err := os.ReadFile(d.SSLCA)
		if err != nil {
			return fmt.Errorf("DATABASE_SSL_CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return fmt.Errorf("DATABASE_SSL_CA %s holds no PEM certificate", d.SSLCA)
		}
		tc.RootCAs = pool
		tc.ServerName = d.Host
	}
	if d.SSLCert != "" && d.SSLKey != "" {
		cert, err := tls.LoadX509KeyPair(d.SSLCert, d.SSLKey)
		if err != nil {
			return fmt.Errorf("DATABASE_SSL_CERT/DATABASE_SSL_KEY: %w", err)
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	if err := gomysql.RegisterTLSConfig("jetbridge", tc); err != nil {
		return fmt.Errorf("mysql TLS config: %w", err)
	}
	return nil
}
