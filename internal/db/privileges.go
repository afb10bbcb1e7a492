package db

import (
	"context"
	"strings"

	"github.com/jetbridge/jetbridge/internal/config"
)

// PrivilegeWarnings says what is dangerous about the rights the bridge
// connects with (issue 17 M2): a superuser or a role that reads server
// files or signals other sessions lets read-only SQL users reach them,
// read-only transaction or not. Empty when nothing was found (or the
// rights could not be read).
func (x *DB) PrivilegeWarnings(ctx context.Context) []string {
	switch x.Dialect.Engine {
	case config.EnginePostgres:
		return x.pgPrivilegeWarnings(ctx)
	case config.EngineMySQL:
		return x.mysqlPrivilegeWarnings(ctx)
	}
	return nil
}

func (x *DB) pgPrivilegeWarnings(ctx context.Context) []string {
	var super bool
	if err := x.SQL.QueryRowContext(ctx, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user").Scan(&super); err != nil {
		return nil
	}
	if super {
		return []string{"the database user is a PostgreSQL superuser: SQL users of the bridge can reach server files, other sessions and the configuration through functions the bridge does not know of; connect with a least-privilege role (see the README)"}
	}
	var out []string
	for _, role := range []string{"pg_read_server_files", "pg_write_server_files", "pg_execute_server_program", "pg_signal_backend"} {
		var member bool
		err := x.SQL.QueryRowContext(ctx, "SELECT pg_has_role(current_user, $1, 'member')", role).Scan(&member)
		if err == nil && member {
			out = append(out, "the database user is a member of "+role+": SQL users of the bridge may use its rights; connect with a least-privilege role (see the README)")
		}
	}
	return out
}

func (x *DB) mysqlPrivilegeWarnings(ctx context.Context) []string {
	rows, err := x.SQL.QueryContext(ctx, "SHOW GRANTS FOR CURRENT_USER()")
	if err != nil {
		return nil
	}
	defer rows.Close()
	var rights []string
	for rows.Next() {
		var g string
		if rows.Scan(&g) != nil {
			return nil
		}
		up := strings.ToUpper(g)
		if !strings.Contains(up, " ON *.* ") {
			continue
		}
		switch {
		case strings.Contains(up, "ALL PRIVILEGES"):
			rights = append(rights, "ALL PRIVILEGES ON *.*")
		default:
			for _, r := range []string{"FILE", "SUPER", "PROCESS", "SHUTDOWN", "CONNECTION ADMIN"} {
				if strings.Contains(up, r) {
					rights = append(rights, r)
				}
			}
		}
	}
	if rows.Err() != nil || len(rights) == 0 {
		return nil
	}
	return []string{"the database user has " + strings.Join(rights, ", ") +
		": SQL users of the bridge can reach server files, other sessions or other databases; connect with a least-privilege user (see the README)"}
}
