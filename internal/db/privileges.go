package db

import (
	"context"
)

// PrivilegeWarnings says what is dangerous about the rights the bridge
// connects with (issue 17 M2): a superuser or a role that reads server
// files or signals other sessions lets read-only SQL users reach them,
// read-only transaction or not. Empty when nothing was found (or the
// rights could not be read).
func (x *DB) PrivilegeWarnings(ctx context.Context) []string {
	return x.Dialect.PrivilegeWarnings(ctx, x.SQL)
}
