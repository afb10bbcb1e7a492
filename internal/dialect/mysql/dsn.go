package mysql

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/jetbridge/jetbridge/internal/dialect"
)

// DefaultPort is the usual TCP port.
func (Dialect) DefaultPort() int { return 3306 }

// DSN builds the driver's connection string; DATABASE_EXTRA is appended as
// query parameters.
func (Dialect) DSN(c dialect.ConnSettings) (string, error) {
	host := c.Host
	if host == "" {
		host = "localhost"
	}
	port := c.Port
	if port == 0 {
		port = 3306
	}
	var b strings.Builder
	b.WriteString(c.User)
	if c.Password != "" {
		b.WriteString(":" + c.Password)
	}
	b.WriteString("@tcp(" + net.JoinHostPort(host, strconv.Itoa(port)) + ")/" + c.Name)
	q := url.Values{}
	if c.Extra != "" {
		extra, err := url.ParseQuery(c.Extra)
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
	if c.SSLCA != "" || c.SSLCert != "" {
		q.Set("tls", "jetbridge") // registered by internal/db
	}
	b.WriteString("?" + q.Encode())
	return b.String(), nil
}
