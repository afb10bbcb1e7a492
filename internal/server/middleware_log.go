package server

import (
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"
)

// accessLog logs every request at debug level (DEBUG=true): method, path,
// status and duration. The query string, headers and bodies are not logged:
// they may carry credentials and data.
func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if !s.log.Enabled(req.Context(), slog.LevelDebug) {
			return next(c)
		}
		start := time.Now()
		err := next(c)
		status := c.Response().Status
		if err != nil {
			if !c.Response().Committed {
				s.echo.HTTPErrorHandler(err, c)
			}
			status = c.Response().Status
			err = nil
		}
		s.log.Debug("request", "method", req.Method, "path", req.URL.Path, "status", status,
			"took", time.Since(start).Round(time.Microsecond), "remote", req.RemoteAddr)
		return err
	}
}
