package sqlite

import (
	"fmt"

	"github.com/jetbridge/jetbridge/internal/dialect"
)

// DefaultPort is the usual TCP port.
func (Dialect) DefaultPort() int { return 0 }

// DSN builds the driver's connection string; DATABASE_EXTRA is appended as
// query parameters.
func (Dialect) DSN(c dialect.ConnSettings) (string, error) {
	if c.Name == "" {
		return "", fmt.Errorf("DATABASE_NAME (the SQLite file path) is empty")
	}
	return c.Name + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)", nil
}
