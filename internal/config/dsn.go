package config

import (
	"fmt"

	"github.com/jetbridge/jetbridge/internal/dialect"
	"github.com/jetbridge/jetbridge/internal/dialect/dialects"
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
	dl, err := dialects.For(string(ParseEngine(string(d.Engine))))
	if err != nil {
		return "", fmt.Errorf("unsupported DATABASE_ENGINE %q (use postgresql, mysql or sqlite)", d.Engine)
	}
	return dl.DSN(d.ConnSettings())
}

// ConnSettings are the settings a dialect connects with.
func (d Database) ConnSettings() dialect.ConnSettings {
	return dialect.ConnSettings{Host: d.Host, Port: d.Port, User: d.User, Password: d.Password, Name: d.Name,
		Extra: d.Extra, SSLCA: d.SSLCA, SSLCert: d.SSLCert, SSLKey: d.SSLKey, StatementTimeout: d.StatementTimeout}
}
