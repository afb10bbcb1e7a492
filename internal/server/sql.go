package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/sqlapi"
)

// POST /api/sql/ (spec §10). A read_only user's statements and every
// statement under READ_ONLY=true run in a read-only transaction.
func (s *Server) sql(c echo.Context, cn *conn) error {
	raw, err := readBody(c)
	if err != nil {
		return err
	}
	caller := sqlapi.Caller{}
	if u := currentUser(c); u != nil {
		caller.Admin = u.Admin
		caller.ReadOnly = u.ReadOnly
	}
	out, err := cn.sql.Run(c.Request().Context(), raw, caller)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return nil // the client is gone: nothing to answer
		}
		return err
	}
	if r, ok := out.(*sqlapi.Response); ok {
		defer r.Close()
		h := c.Response().Header()
		h.Set(echo.HeaderContentType, "application/json")
		h.Set(echo.HeaderContentLength, strconv.FormatInt(r.Len(), 10))
		c.Response().WriteHeader(http.StatusOK)
		if isHead(c) {
			return nil
		}
		_, err := r.WriteTo(c.Response())
		return err
	}
	return writeJSON(c, http.StatusOK, out)
}
