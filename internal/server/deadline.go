package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/sqlapi"
)

// deadlineGrace lets the database's own statement timeout (set to
// SQL_TIMEOUT on every pooled connection) fire before the request's context
// does, so that the statement is stopped in the database and its message
// is the one logged.
const deadlineGrace = 500 * time.Millisecond

// withDeadline runs h with the request's context bounded by SQL_TIMEOUT
// (plus a grace): every statement a model route runs, and all of them
// together, end by then. A timeout is answered 503 naming SQL_TIMEOUT.
func (s *Server) withDeadline(c echo.Context, h func() error) error {
	req := c.Request()
	timeout := s.settings.SQLTimeout
	if timeout <= 0 {
		timeout = sqlapi.DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(req.Context(), timeout+deadlineGrace)
	defer cancel()
	c.SetRequest(req.WithContext(ctx))
	err := h()
	if err == nil {
		return nil
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) && req.Context().Err() == nil || isStatementTimeout(err) {
		return &apierr.Error{Status: http.StatusServiceUnavailable, Cause: err, Body: map[string]string{
			"detail": "the query ran longer than SQL_TIMEOUT (" + timeout.String() +
				") and was cancelled: narrow the filters, or raise SQL_TIMEOUT"}}
	}
	return err
}

// isStatementTimeout reports whether the database cancelled a statement for
// running too long.
func isStatementTimeout(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "57014" && strings.Contains(pe.Message, "statement timeout")
	}
	var me *gomysql.MySQLError
	if errors.As(err, &me) {
		// MariaDB 1969 max_statement_time; MySQL 3024 max_execution_time
		return me.Number == 1969 || me.Number == 3024
	}
	return false
}
