package db

import (
	"context"
	"database/sql"
)

// PrivilegeWarnings says what is dangerous about the rights the bridge
// connects with (issue 17 M2): a superuser or a role that reads server
// files or signals other sessions lets read-only SQL users reach them,
// read-only transaction or not. Empty when nothing was found (or the
// rights could not be read). The catalog is read on one connection of Run.
func (x *DB) PrivilegeWarnings(ctx context.Context) []string {
	var out []string
	_ = x.Run(ctx, func(ctx context.Context, c *sql.Conn) error {
		out = x.Dialect.PrivilegeWarnings(ctx, c)
		return nil
	})
	return out
}
