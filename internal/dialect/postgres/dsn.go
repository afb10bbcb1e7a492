package postgres

import (
	"fmt"
	"net"
	"net/url"
	"strconv"

	"github.com/jetbridge/jetbridge/internal/dialect"
)

// DefaultPort is the usual TCP port.
func (Dialect) DefaultPort() int { return 5432 }

// DSN builds the driver's connection string; DATABASE_EXTRA is appended as
// query parameters.
func (Dialect) DSN(c dialect.ConnSettings) (string, error) {
	u := url.URL{Scheme: "postgres", Path: "/" + c.Name}
	host := c.Host
	if host == "" {
		host = "localhost"
	}
	port := c.Port
	if port == 0 {
		port = 5432
	}
	u.Host = net.JoinHostPort(host, strconv.Itoa(port))
	if c.User != "" {
		if c.Password != "" {
			u.User = url.UserPassword(c.User, c.Password)
		} else {
			u.User = url.User(c.User)
		}
	}
	q := url.Values{}
	if c.Extra != "" {
		extra, err := url.ParseQuery(c.Extra)
		if err != nil {
			return "", fmt.Errorf("DATABASE_EXTRA is not a query string (key=value&key=value)")
		}
		q = extra
	}
	if c.StatementTimeout > 0 {
		q.Set("statement_timeout", strconv.FormatInt(max(c.StatementTimeout.Milliseconds(), 1), 10))
	}
	if q.Get("connect_timeout") == "" {
		q.Set("connect_timeout", "5")
	}
	if q.Get("sslmode") == "" && c.SSLCA == "" {
		q.Set("sslmode", "prefer")
	}
	if c.SSLCA != "" {
		q.Set("sslrootcert", c.SSLCA)
		if q.Get("sslmode") == "" {
			q.Set("sslmode", "verify-full")
		}
	}
	if c.SSLCert != "" {
		q.Set("sslcert", c.SSLCert)
	}
	if c.SSLKey != "" {
		q.Set("sslkey", c.SSLKey)
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}
