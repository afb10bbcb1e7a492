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
	leave, err := cn.db.Enter(c.Request().Context())
	if err != nil {
		return readError(err, m)
	}
	defer leave()
	v, err := query.Aggregate(c.Request().Context(), cn.db.SQL, q)
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
	leave, err := cn.db.Enter(c.Request().Context())
	if err != nil {
		return readError(err, m)
	}
	defer leave()
	rows, err := query.Group(c.Request().Context(), cn.db.SQL, q)
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
	out, err := query.Siblings(c.Request().Context(), cn.db.SQL, q, pathParam(c, "pk"))
	if err != nil {
		return readError(err, m)
	}
	return writeJSON(c, http.StatusOK, out)
}

// inTx runs fn in one transaction: all of it is written, or nothing.
func inTx(c echo.Context, cn *conn, fn func(tx *sql.Tx) error) error {
	tx, err := cn.db.SQL.BeginTx(c.Request().Context(), nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
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
	err = inTx(c, cn, func(tx *sql.Tx) error { return query.Reorder(c.Request().Context(), tx, q, body) })
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
	err = inTx(c, cn, func(tx *sql.Tx) error { return query.ResetOrder(c.Request().Context(), tx, q, body) })
	if err != nil {
		return readError(err, m)
	}
	return writeJSON(c, http.StatusOK, body)
}
