package server

import (
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/sqlapi"
)

// POST /api/sql/ (spec §10). A read_only user's statements and every
// statement under READ_ONLY=true run in a read-only transaction.
func (s *Server) sql(c echo.Context, cn *conn) error {
	raw, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return err
	}
	caller := sqlapi.Caller{}
	if u := currentUser(c); u != nil {
		caller.Admin = u.Admin
		caller.ReadOnly = u.ReadOnly
	}
	r := sqlapi.New(cn.db, sqlapi.Options{Timeout: s.settings.SQLTimeout, ReadOnly: s.settings.ReadOnly, DefaultTimezone: s.settings.Database.Timezone})
	out, err := r.Run(c.Request().Context(), raw, caller)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, out)
}
