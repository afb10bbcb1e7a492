package server

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"

	"github.com/labstack/echo/v4"
)

// render prepares the model descriptions body once per reflection.
func (cn *conn) render() error {
	b, err := cn.schema.MarshalDescriptions()
	if err != nil {
		return err
	}
	sum := sha256.Sum256(b)
	cn.descriptions = b
	cn.etag = `"` + hex.EncodeToString(sum[:]) + `"`
	return nil
}

// GET /api/model_descriptions/ (spec §8): rendered once per reflection, so a
// request costs a memory copy; with ?cid= it carries an ETag and answers 304.
func (s *Server) modelDescriptions(c echo.Context, cn *conn) error {
	body, etag := s.descriptionsWith(c, cn)
	if c.QueryParam("cid") != "" {
		h := c.Response().Header()
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", etag)
		if c.Request().Header.Get("If-None-Match") == etag {
			return c.NoContent(http.StatusNotModified)
		}
	}
	return writeRaw(c, http.StatusOK, body)
}

// POST /api/reload/ (spec §12.5): re-reflect now; the previous schema stays
// in service if this fails.
func (s *Server) reload(c echo.Context, _ *conn) error {
	swapped, err := s.backend.reload(c.Request().Context())
	if err != nil {
		s.log.Warn("reload failed", "err", err)
		return writeJSON(c, http.StatusOK, map[string]bool{"success": false})
	}
	return writeJSON(c, http.StatusOK, map[string]bool{"success": swapped})
}
