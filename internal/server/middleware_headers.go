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

// The constant CORS header values, as shared slices (see nosniff).
var (
	corsMethodsValue = []string{corsMethods}
	corsHeadersValue = []string{corsHeaders}
	corsExposeValue  = []string{corsExpose}
	corsMaxAgeValue  = []string{corsMaxAge}
	trueValue        = []string{"true"}
	anyOriginValue   = []string{"*"}
)

// cors adds the CORS headers of §3 to API responses and answers every
// OPTIONS request under /api/ with 204 without running the action or auth
// (done). With ALLOW_ORIGIN "*" the request's Origin is echoed, because
// browsers reject "*" together with Allow-Credentials (fix of quirk Q22).
func (s *Server) cors(c echo.Context) (done bool, err error) {
	req := c.Request()
	isAPI := strings.HasPrefix(req.URL.Path, "/api/") || req.URL.Path == "/register/"
	if !isAPI {
		return false, nil
	}
	if s.settings.CORSHeaders {
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
		switch origin {
		case "":
		case "*":
			h["Access-Control-Allow-Origin"] = anyOriginValue
		default:
			h.Set("Access-Control-Allow-Origin", origin)
		}
		h["Access-Control-Allow-Methods"] = corsMethodsValue
		h["Access-Control-Allow-Headers"] = corsHeadersValue
		h["Access-Control-Expose-Headers"] = corsExposeValue
		h["Access-Control-Allow-Credentials"] = trueValue
	}
	if req.Method != http.MethodOptions {
		return false, nil
	}
	if s.settings.CORSHeaders {
		h := c.Response().Header()
		h["Access-Control-Max-Age"] = corsMaxAgeValue
		// Private Network Access (Chromium 104-141): a public page
		// calling a bridge on a private address asks first
		if strings.EqualFold(req.Header.Get("Access-Control-Request-Private-Network"), "true") {
			h["Access-Control-Allow-Private-Network"] = trueValue
		}
	}
	return true, c.NoContent(http.StatusNoContent)
}

// isHead reports whether the client asked with HEAD (no body to send):
// every GET route is registered for HEAD too (Server.get).
func isHead(c echo.Context) bool { return c.Request().Method == http.MethodHead }
