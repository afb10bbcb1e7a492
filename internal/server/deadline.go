package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/schema"
	"github.com/jetbridge/jetbridge/internal/sqlapi"
)

// withDeadline runs h with the request's context bounded by SQL_TIMEOUT
// (db.Deadline: plus a grace): every statement a model route runs, and all
// of them together, end by then. A timeout is answered 503 naming
// SQL_TIMEOUT.
func (s *Server) withDeadline(c echo.Context, cn *conn, m *schema.Model, h func(echo.Context, *conn, *schema.Model) error) error {
	req := c.Request()
	timeout := s.settings.SQLTimeout
	if timeout <= 0 {
		timeout = sqlapi.DefaultTimeout
	}
	ctx, cancel := db.Deadline(req.Context(), timeout)
	defer cancel()
	c.SetRequest(req.WithContext(ctx))
	err := h(c, cn, m)
	if !db.TimedOut(req.Context(), ctx, err) {
		return err
	}
	return &apierr.Error{Status: http.StatusServiceUnavailable, Cause: err, Body: map[string]string{
		"detail": "the query ran longer than SQL_TIMEOUT (" + timeout.String() +
			") and was cancelled: narrow the filters, or raise SQL_TIMEOUT"}}
}
