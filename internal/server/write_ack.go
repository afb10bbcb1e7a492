package server

import (
	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// writtenRow answers a write that has been committed with the row re-read.
// When the re-read fails because the database just became unavailable the
// write still happened: answering 503 would tell the client it did not (and
// invite a duplicate on retry), so the answer keeps the success status with
// the primary key only and an X-Application-Warning saying why.
func (s *Server) writtenRow(c echo.Context, cn *conn, m *schema.Model, pk any, status int) error {
	err := s.writeRow(c, cn, m, pk, status)
	ae, ok := apierr.As(err)
	if err == nil || !ok || ae.Status < 500 || c.Response().Committed {
		return err
	}
	s.log.Warn("a write was committed but the row could not be read back", "model", m.Name, "err", ae.Cause)
	c.Response().Header().Set("X-Application-Warning", "the change was saved, but the row could not be read back: the database became unavailable")
	return writeJSON(c, status, map[string]any{m.PK().Name: pk})
}
