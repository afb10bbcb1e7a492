package mysql

import (
	"context"
	"database/sql"
	"strings"
)

// PrivilegeWarnings: global ALL PRIVILEGES, FILE, SUPER, PROCESS, SHUTDOWN
// or CONNECTION ADMIN.
func (Dialect) PrivilegeWarnings(ctx context.Context, q *sql.Conn) []string {
	rows, err := q.QueryContext(ctx, "SHOW GRANTS FOR CURRENT_USER()")
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
