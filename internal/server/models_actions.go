package server

import (
	"database/sql"
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/query"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// GET /api/models/{model}/aggregate/ (spec §9.6).
func (s *Server) aggregate(c echo.Context, cn *conn, m *schema.Model) error {
	params := c.QueryParams()
	q, err := s.parseFor(c, cn, m, params)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	var v any
	err = cn.db.Conn(ctx, func(dc *sql.Conn) (err error) {
		v, err = query.Aggregate(ctx, dc, q)
		return err
	})
	if err != nil {
		return readError(err, m)
	}
	return writeJSON(c, http.StatusOK, map[string]any{"y_func": v})
}

// GET /api/models/{model}/group/ (spec §9.7).
func (s *Server) group(c echo.Context, cn *conn, m *schema.Model) error {
	params := c.QueryParams()
	q, err := s.parseFor(c, cn, m, params)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	var rows []query.GroupRow
	err = cn.db.Conn(ctx, func(dc *sql.Conn) (err error) {
		rows, err = query.Group(ctx, dc, q)
		return err
	})
	if err != nil {
		return readError(err, m)
	}
	return writeJSON(c, http.StatusOK, rows)
}

// GET /api/models/{model}/{pk}/get_siblings/ (spec §9.10).
func (s *Server) siblings(c echo.Context, cn *conn, m *schema.Model) error {
	if _, err := pkValue(c, m); err != nil {
		return err
	}
	q, err := s.parseFor(c, cn, m, c.QueryParams())
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	var out map[string]any
	err = cn.db.Conn(ctx, func(dc *sql.Conn) (err error) {
		out, err = query.Siblings(ctx, dc, q, pathParam(c, "pk"))
		return err
	})
	if err != nil {
		return readError(err, m)
	}
	return writeJSON(c, http.StatusOK, out)
}

func decodeInto(c echo.Context, v any) error {
	raw, err := readBody(c)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return apierr.NonField("Incorrect JSON body: " + err.Error())
	}
	return nil
}

// POST /api/models/{model}/reorder/ (spec §9.8).
func (s *Server) reorder(c echo.Context, cn *conn, m *schema.Model) error {
	var body query.ReorderRequest
	if err := decodeInto(c, &body); err != nil {
		return err
	}
	q, err := s.parseFor(c, cn, m, c.QueryParams())
	if err != nil {
		return err
	}
	err = cn.db.Tx(c.Request().Context(), func(tx *sql.Tx) error { return query.Reorder(c.Request().Context(), tx, q, body) })
	if err != nil {
		return readError(err, m)
	}
	return writeJSON(c, http.StatusOK, body)
}

// POST /api/models/{model}/reset_order/ (spec §9.9).
func (s *Server) resetOrder(c echo.Context, cn *conn, m *schema.Model) error {
	var body query.ResetOrderRequest
	if err := decodeInto(c, &body); err != nil {
		return err
	}
	q, err := s.parseFor(c, cn, m, c.QueryParams())
	if err != nil {
		return err
	}
	err = cn.db.Tx(c.Request().Context(), func(tx *sql.Tx) error { return query.ResetOrder(c.Request().Context(), tx, q, body) })
	if err != nil {
		return readError(err, m)
	}
	return writeJSON(c, http.StatusOK, body)
}
