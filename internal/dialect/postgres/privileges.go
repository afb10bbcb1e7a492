package postgres

import (
	"context"
	"database/sql"
)

// PrivilegeWarnings: a superuser, or a member of the roles that read
// server files or signal other sessions.
func (Dialect) PrivilegeWarnings(ctx context.Context, q *sql.Conn) []string {
	var super bool
	if err := q.QueryRowContext(ctx, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user").Scan(&super); err != nil {
		return nil
	}
	if super {
		return []string{"the database user is a PostgreSQL superuser: SQL users of the bridge can reach server files, other sessions and the configuration through functions the bridge does not know of; connect with a least-privilege role (see the README)"}
	}
	var out []string
	for _, role := range []string{"pg_read_server_files", "pg_write_server_files", "pg_execute_server_program", "pg_signal_backend"} {
		var member bool
		err := q.QueryRowContext(ctx, "SELECT pg_has_role(current_user, $1, 'member')", role).Scan(&member)
		if err == nil && member {
			out = append(out, "the database user is a member of "+role+": SQL users of the bridge may use its rights; connect with a least-privilege role (see the README)")
		}
	}
	return out
}
