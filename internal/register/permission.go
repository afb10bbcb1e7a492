package register

import (
	"errors"
	"strings"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
)

// permissionDenied reports whether a database error means the user lacks a
// privilege (PostgreSQL 42501, MySQL/MariaDB access denied, SQLite read-only
// or permission).
func permissionDenied(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "42501"
	}
	var me *gomysql.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case 1142, // ER_TABLEACCESS_DENIED_ERROR: CREATE command denied
			1044, // ER_DBACCESS_DENIED_ERROR
			1227: // ER_SPECIFIC_ACCESS_DENIED_ERROR
			return true
		}
		return false
	}
	var se interface{ Code() int }
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case 3, 8: // SQLITE_PERM, SQLITE_READONLY
			return true
		}
	}
	return false
}

// retryable reports whether a transaction failed only because it collided
// with a concurrent one (deadlock, serialization failure, busy database) and
// may simply be run again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "40001" || pe.Code == "40P01"
	}
	var me *gomysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1213 || me.Number == 1205 // deadlock, lock wait timeout
	}
	var se interface{ Code() int }
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
			return true
		}
	}
	return false
}

// tableMissing reports whether a query failed because its table does not
// exist (PostgreSQL 42P01, MySQL 1146, SQLite "no such table").
func tableMissing(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "42P01"
	}
	var me *gomysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1146
	}
	var se interface{ Code() int }
	if errors.As(err, &se) {
		return se.Code()&0xff == 1 && strings.Contains(err.Error(), "no such table")
	}
	return false
}
