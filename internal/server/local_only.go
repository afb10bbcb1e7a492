package server

import (
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/config"
)

// With DISABLE_AUTH anyone who reaches the bridge owns the database, so
// (issue 17 M4) it listens on loopback only unless ADDRESS names a specific
// interface, answers only requests addressed to localhost (a DNS-rebinding
// page sends its own host name), grants CORS only to Jet Admin and local
// origins, and takes only application/json bodies (a text/plain body needs
// no preflight).

// ListenHost is the address to listen on: with DISABLE_AUTH a wildcard
// ADDRESS (0.0.0.0, ::, empty) becomes 127.0.0.1.
func ListenHost(s config.Settings) string {
	if s.DisableAuth && isWildcard(s.Address) {
		return "127.0.0.1"
	}
	return s.Address
}

func isWildcard(addr string) bool {
	return addr == "" || addr == "0.0.0.0" || addr == "::" || addr == "[::]"
}

// DisableAuthWarning is the start-up warning of DISABLE_AUTH.
const DisableAuthWarning = "DISABLE_AUTH is on: every request is allowed without credentials. For your own machine only: " +
	"the bridge listens on loopback unless ADDRESS names an interface, answers only requests addressed to localhost " +
	"(or that address), allows CORS only from Jet Admin and localhost origins, and takes only application/json bodies"

// localHost reports whether a Host header names this machine's loopback
// (or the specific address the bridge was told to listen on).
func (s *Server) localHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(strings.ToLower(host), "[]"), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return true
	}
	return !isWildcard(s.settings.Address) && host == strings.Trim(strings.ToLower(s.settings.Address), "[]")
}

// localOnly refuses, with DISABLE_AUTH, requests not addressed to localhost.
func (s *Server) localOnly(c echo.Context) error {
	if s.settings.DisableAuth && !s.localHost(c.Request().Host) {
		return apierr.Forbidden("DISABLE_AUTH is on: only requests addressed to localhost are answered")
	}
	return nil
}

// trustedOrigin reports whether CORS may be granted to origin with
// DISABLE_AUTH: Jet Admin (WEB_BASE_URL, app.jetadmin.io) or localhost.
func (s *Server) trustedOrigin(origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return false // "null" included
	}
	if h := strings.ToLower(u.Hostname()); h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	} else if ip := net.ParseIP(h); ip != nil && ip.IsLoopback() {
		return true
	}
	for _, trusted := range []string{s.settings.WebBaseURL, "https://app.jetadmin.io"} {
		if t, err := url.Parse(trusted); err == nil && t.Host != "" && strings.EqualFold(t.Scheme, u.Scheme) && strings.EqualFold(t.Host, u.Host) {
			return true
		}
	}
	return false
}

// jsonBodyOnly is, with DISABLE_AUTH, the refusal of a body that is not
// application/json, or nil.
func (s *Server) jsonBodyOnly(req *http.Request) error {
	if !s.settings.DisableAuth || !hasBody(req) {
		return nil
	}
	if mt, _, err := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType)); err == nil && mt == "application/json" {
		return nil
	}
	return apierr.Detail(http.StatusUnsupportedMediaType, "DISABLE_AUTH is on: request bodies must be sent as Content-Type: application/json")
}
