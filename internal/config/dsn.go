package config

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// DSN returns the driver connection string for the database settings.
// PostgreSQL: a libpq URL; MySQL: a go-sql-driver DSN; SQLite: the file path
// with pragmas. DATABASE_EXTRA is appended as query parameters. Fields left
// unset are taken from DATABASE_URL (Load has usually done that already).
// The result holds the password: never log it.
func (d Database) DSN() (string, error) {
	d, err := d.withURL()
	if err != nil {
		return "", err
	}
	switch ParseEngine(string(d.Engine)) {
	case EnginePostgres:
		u := url.URL{Scheme: "postgres", Path: "/" + d.Name}
		host := d.Host
		if host == "" {
			host = "localhost"
		}
		port := d.Port
		if port == 0 {
			port = 5432
		}
		u.Host = net.JoinHostPort(host, strconv.Itoa(port))
		if d.User != "" {
			if d.Password != "" {
				u.User = url.UserPassword(d.User, d.Password)
			} else {
				u.User = url.User(d.User)
			}
		}
		q := url.Values{}
		if d.Extra != "" {
			extra, err := url.ParseQuery(d.Extra)
			if err != nil {
				return "", fmt.Errorf("DATABASE_EXTRA is not a query string (key=value&key=value)")
			}
			q = extra
		}
		if d.StatementTimeout > 0 {
			q.Set("statement_timeout", strconv.FormatInt(max(d.StatementTimeout.Milliseconds(), 1), 10))
		}
		if q.Get("connect_timeout") == "" {
			q.Set("connect_timeout", "5")
		}
		if q.Get("sslmode") == "" && d.SSLCA == "" {
			q.Set("sslmode", "prefer")
		}
		if d.SSLCA != "" {
			q.Set("sslrootcert", d.SSLCA)
			if q.Get("sslmode") == "" {
				q.Set("sslmode", "verify-full")
			}
		}
		if d.SSLCert != "" {
			q.Set("sslcert", d.SSLCert)
		}
		if d.SSLKey != "" {
			q.Set("sslkey", d.SSLKey)
		}
		u.RawQuery = q.Encode()
		return u.String(), nil
	case EngineMySQL:
		host := d.Host
		if host == "" {
			host = "localhost"
		}
		port := d.Port
		if port == 0 {
			port = 3306
		}
		var b strings.Builder
		b.WriteString(d.User)
		if d.Password != "" {
			b.WriteString(":" + d.Password)
		}
		b.WriteString("@tcp(" + net.JoinHostPort(host, strconv.Itoa(port)) + ")/" + d.Name)
		q := url.Values{}
		if d.Extra != "" {
			extra, err := url.ParseQuery(d.Extra)
			if err != nil {
				return "", fmt.Errorf("DATABASE_EXTRA is not a query string (key=value&key=value)")
			}
			// upstream's SQLAlchemy charset=utf8 means utf8mb4 for us
			extra.Del("charset")
			q = extra
		}
		q.Set("charset", "utf8mb4")
		q.Set("parseTime", "true")
		q.Set("loc", "UTC")
		q.Set("time_zone", "'+00:00'") // TIMESTAMP values are read and compared in UTC
		if q.Get("timeout") == "" {
			q.Set("timeout", "5s")
		}
		q.Set("interpolateParams", "false")
		if d.SSLCA != "" || d.SSLCert != "" {
			q.Set("tls", "jetbridge") // registered by internal/db
		}
		b.WriteString("?" + q.Encode())
		return b.String(), nil
	case EngineSQLite:
		if d.Name == "" {
			return "", fmt.Errorf("DATABASE_NAME (the SQLite file path) is empty")
		}
		return d.Name + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)", nil
	default:
		return "", fmt.Errorf("unsupported DATABASE_ENGINE %q (use postgresql, mysql or sqlite)", d.Engine)
	}
}
