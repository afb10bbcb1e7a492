package server

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// The CORS headers of spec §3.
const (
	corsMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
	corsHeaders = "Authorization,DNT,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,X-Application-Warning,X-HTTP-Method-Override,X-Bridge-Settings,X-Stick-Session"
	corsExpose  = "Content-Length,Content-Range,Content-Disposition,Content-Type,X-Application-Warning"
)

// securityHeaders sets headers every response carries.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("X-Content-Type-Options", "nosniff")
		return next(c)
	}
}

// cors adds the CORS headers of §3 to API responses and answers every
// OPTIONS request under /api/ with 204 without running the action or auth.
// With ALLOW_ORIGIN "*" the request's Origin is echoed, because browsers
// reject "*" together with Allow-Credentials (fix of quirk Q22).
func (s *Server) cors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		isAPI := strings.HasPrefix(req.URL.Path, "/api/") || req.URL.Path == "/register/"
		if isAPI && s.settings.CORSHeaders {
			h := c.Response().Header()
			origin := s.settings.AllowOrigin
			if origin == "*" || origin == "" {
				if o := req.Header.Get("Origin"); o != "" {
					origin = o
					h.Add("Vary", "Origin")
				} else {
					origin = "*"
				}
			}
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Methods", corsMethods)
			h.Set("Access-Control-Allow-Headers", corsHeaders)
			h.Set("Access-Control-Expose-Headers", corsExpose)
			h.Set("Access-Control-Allow-Credentials", "true")
		}
		if isAPI && req.Method == http.MethodOptions {
			return c.NoContent(http.StatusNoContent)
		}
		return next(c)
	}
}
