package server

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/apierr"
)

// writeError renders any error as JSON: *apierr.Error with its own status and
// body, echo's HTTP errors as {"detail": ...}, anything else as a 500 whose
// body says nothing about internals (the cause goes to the log).
func (s *Server) writeError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status := http.StatusInternalServerError
	var body any = map[string]string{"detail": "internal error: the request failed; the server log has the details"}
	if ae, ok := apierr.As(err); ok {
		status, body = ae.Status, ae.Body
		if ae.Cause != nil && status >= 500 {
			s.log.Warn("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "status", status, "err", ae.Cause)
		}
	} else {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			status = he.Code
			switch status {
			case http.StatusNotFound, http.StatusMethodNotAllowed:
				status = http.StatusNotFound
				body = map[string]string{"detail": "Not found: no route " + c.Request().Method + " " + c.Request().URL.Path + " (API paths end with a slash)"}
			case http.StatusRequestEntityTooLarge:
				body = map[string]string{"detail": "request body too large"}
			default:
				msg := http.StatusText(status)
				if m, ok := he.Message.(string); ok {
					msg = m
				}
				body = map[string]string{"detail": msg}
			}
		} else {
			s.log.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
		}
	}
	if err := writeJSON(c, status, body); err != nil {
		s.log.Debug("write error response", slog.Any("err", err))
	}
}
