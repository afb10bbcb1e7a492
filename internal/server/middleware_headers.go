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
	corsExpose  = "Content-Length,Content-Range,Content-Disposition,Content-Type,X-Application-Warning,ETag"
	// corsMaxAge lets browsers keep a preflight's answer for 2 hours
	// (Chromium caps it there) instead of re-sending it every few seconds.
	corsMaxAge = "7200"
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
					if s.settings.DisableAuth && !s.trustedOrigin(o) {
						origin = "" // DISABLE_AUTH: Jet Admin and localhost only (M4)
					}
				} else {
					origin = "*"
				}
			}
			if origin != "" {
				h.Set("Access-Control-Allow-Origin", origin)
			}
			h.Set("Access-Control-Allow-Methods", corsMethods)
			h.Set("Access-Control-Allow-Headers", corsHeaders)
			h.Set("Access-Control-Expose-Headers", corsExpose)
			h.Set("Access-Control-Allow-Credentials", "true")
		}
		if isAPI && req.Method == http.MethodOptions {
			if s.settings.CORSHeaders {
				h := c.Response().Header()
				h.Set("Access-Control-Max-Age", corsMaxAge)
				// Private Network Access (Chromium 104-141): a public page
				// calling a bridge on a private address asks first
				if strings.EqualFold(req.Header.Get("Access-Control-Request-Private-Network"), "true") {
					h.Set("Access-Control-Allow-Private-Network", "true")
				}
			}
			return c.NoContent(http.StatusNoContent)
		}
		return next(c)
	}
}

// headAsGet answers HEAD on every GET route as GET would, without the body:
// the router (which runs after the Pre middleware) sees a GET, and
// restoreHead turns it back into a HEAD before anything else runs, so that
// net/http sends the headers only.
func headAsGet(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Method == http.MethodHead {
			req.Method = http.MethodGet
			c.Set(headKey, true)
		}
		return next(c)
	}
}

// restoreHead undoes headAsGet once the route is found.
func restoreHead(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if h, _ := c.Get(headKey).(bool); h {
			c.Request().Method = http.MethodHead
		}
		return next(c)
	}
}

const headKey = "jetbridge.head"

// isHead reports whether the client asked with HEAD (no body to send).
func isHead(c echo.Context) bool {
	h, _ := c.Get(headKey).(bool)
	return h || c.Request().Method == http.MethodHead
}
