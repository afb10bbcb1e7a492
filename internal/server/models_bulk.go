package server

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/record"
	"github.com/jetbridge/jetbridge/internal/schema"
)

type bulkResult struct {
	Success bool `json:"success"`
	Errors  any  `json:"errors,omitempty"`
}

// POST /api/models/{model}/bulk_create/ (spec §9.5): each item is validated
// and inserted by its own statement; the answer is aligned with the input.
func (s *Server) bulkCreate(c echo.Context, cn *conn, m *schema.Model) error {
	raw, err := readBody(c)
	if err != nil {
		return err
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return &apierr.Error{Status: http.StatusBadRequest, Body: map[string]string{"error": "Request body should be an array"}}
	}
	w := s.writer(cn)
	out := make([]bulkResult, len(items))
	for i, it := range items {
		body, err := record.DecodeBody(it)
		if err == nil {
			_, err = w.Insert(c.Request().Context(), m, body)
		}
		if err == nil {
			out[i] = bulkResult{Success: true}
			continue
		}
		if ae, ok := apierr.As(err); ok && ae.Status < 500 {
			out[i] = bulkResult{Errors: ae.Body}
			continue
		}
		if ae, ok := apierr.As(err); ok {
			if i == 0 {
				return ae // the database went away before anything was written
			}
			// earlier items are written: say which, and that the rest are not
			for j := i; j < len(items); j++ {
				out[j] = bulkResult{Errors: map[string][]string{"non_field_errors": {"not created: the database became unavailable"}}}
			}
			break
		}
		out[i] = bulkResult{Errors: map[string]string{"non_field_errors": err.Error()}}
	}
	return writeJSON(c, http.StatusOK, out)
}
