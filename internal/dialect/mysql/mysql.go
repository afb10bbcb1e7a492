// Package mysql is the MySQL and MariaDB dialect.
package mysql

import (
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
	gmy "gorm.io/driver/mysql"
	"gorm.io/gorm"

	"github.com/jetbridge/jetbridge/internal/dialect"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
)

// Dialect is MySQL and MariaDB.
type Dialect struct{}

var _ dialect.Dialect = Dialect{}

// New returns the MySQL/MariaDB dialect.
func New() Dialect { return Dialect{} }

// features is what the engine can do.
const features = feature.LastInsertID | feature.RowEstimates | feature.ServerDatabase |
	feature.InlineComments | feature.EnumSortsByIndex | feature.EmptyValuesInsert | feature.UserVariables |
	feature.AutoIncrement | feature.ParenthesisedDefaults | feature.NullableTimestampNeedsNull | feature.TinyIntBooleans |
	feature.JSONText | feature.SessionZoneTimestamps | feature.TLSParam | feature.KillQuery | feature.UnsignedInts

// Features lists what the engine can do.
func (Dialect) Features() feature.Feature { return features }

// Has reports whether the engine has every feature in f.
func (Dialect) Has(f feature.Feature) bool { return features.Has(f) }

func (Dialect) Name() string  { return "mysql" }
func (Dialect) Title() string { return "MySQL / MariaDB" }

func (Dialect) IdentQuote() byte                  { return '`' }
func (Dialect) QuoteIdent(name string) string     { return dialect.QuoteWith('`', name) }
func (Dialect) QuoteUserIdent(name string) string { return dialect.QuoteWith('`', name) }
func (Dialect) QuoteTable(schema, table string) string {
	return dialect.QuoteTableWith('`', schema, table)
}
func (Dialect) Placeholder(int) string { return "?" }

// StringLiteral doubles quotes and backslashes (the default sql_mode reads
// backslash escapes).
func (Dialect) StringLiteral(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", "''") + "'"
}
func (Dialect) NoLimit() string       { return " LIMIT 18446744073709551615" }
func (Dialect) NullSafeEqual() string { return " <=> " }
func (Dialect) TextCast() string      { return "CHAR" }

// NativeText: text and ENUM columns compare as text.
func (Dialect) NativeText(bool, string) bool { return true }

// ILike lower-cases both sides, so binary collations match too (note
// that *_ci collations also ignore accents).
func (Dialect) ILike() (open, mid, close string) { return "LOWER(", ") LIKE LOWER(", ")" }
func (Dialect) FoldPattern(p string) string      { return p }

// Prepare registers the TLS configuration "jetbridge" the DSN names when
// certificates are configured.
func (Dialect) Prepare(o dialect.ConnSettings) error {
	if o.SSLCA == "" && o.SSLCert == "" {
		return nil
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if o.SSLCA != "" {
		pem, err := os.ReadFile(o.SSLCA)
		if err != nil {
			return fmt.Errorf("DATABASE_SSL_CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return fmt.Errorf("DATABASE_SSL_CA %s holds no PEM certificate", o.SSLCA)
		}
		tc.RootCAs = pool
		tc.ServerName = o.Host
	}
	if o.SSLCert != "" && o.SSLKey != "" {
		cert, err := tls.LoadX509KeyPair(o.SSLCert, o.SSLKey)
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

func (Dialect) Gorm(dsn string) gorm.Dialector { return gmy.New(gmy.Config{DSN: dsn}) }
func (Dialect) SchemaExistsSQL() string        { return "" }

// UserProblem: the DSN cannot carry a ':' in the user name.
func (Dialect) UserProblem(user string) string {
	if strings.Contains(user, ":") {
		return "DATABASE_USER contains ':', which a MySQL connection cannot carry: use another user"
	}
	return ""
}
func (Dialect) MaxOpenConns(conns int) int { return conns }
func (Dialect) ProbeSQL() string           { return "SELECT VERSION(), DATABASE()" }

// TimeoutDSN: MariaDB and MySQL name the statement timeout differently (and
// refuse the other's name), so the pool is opened again once the version
// is known: MariaDB max_statement_time (seconds, every statement), MySQL
// max_execution_time (milliseconds, SELECT only).
func (Dialect) TimeoutDSN(dsn, version string, t time.Duration) (string, bool) {
	if IsMariaDB(version) {
		return dsn + "&max_statement_time=" + strconv.FormatFloat(max(t.Seconds(), 0.001), 'f', 3, 64), true
	}
	return dsn + "&max_execution_time=" + strconv.FormatInt(max(t.Milliseconds(), 1), 10), true
}

// IsMariaDB reports whether a server version string is MariaDB's.
func IsMariaDB(version string) bool { return strings.Contains(strings.ToLower(version), "mariadb") }

// Interrupter: the driver ends a statement when its context ends (and the
// server-side statement timeout bounds it).
func (Dialect) Interrupter(*sql.Conn) func() { return nil }

// DDLLock bounds the wait for a table's metadata lock (a cancelled DDL
// would otherwise go on waiting in the server).
func (Dialect) DDLLock() (set, reset string) {
	return "SET SESSION lock_wait_timeout = 10", "SET SESSION lock_wait_timeout = DEFAULT"
}

func (Dialect) ColumnTypeSQL(schema, table, column string) (string, []any) {
	return `SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?`,
		[]any{schema, table, column}
}

// EstimateSQL is EXPLAIN SELECT COUNT(*); its "rows" column is the estimate.
func (d Dialect) EstimateSQL(schema, table string) (string, []any, string, bool) {
	return "EXPLAIN SELECT COUNT(*) FROM " + d.QuoteTable(schema, table), nil, "rows", true
}

// TableSchema: tables are qualified with their database.
func (Dialect) TableSchema(s string) string { return s }

func (Dialect) BindBool(b bool) any {
	if b {
		return int64(1)
	}
	return int64(0)
}
func (Dialect) BindWallTime(t time.Time) any { return t.Format("2006-01-02 15:04:05.999999") }
