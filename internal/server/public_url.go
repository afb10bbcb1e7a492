package server

import (
	"net"
	"strings"

	"github.com/labstack/echo/v4"
)

// publicBase is the scheme://host[:port] of the links the bridge writes
// (pagination, media_url_template, the register page) (issue 17 L8):
// PUBLIC_URL when set (a reverse proxy's public address), else the
// request's own scheme and Host, taken only when they are well-formed
// (the scheme from X-Forwarded-Proto only if http or https; a Host that is
// not a host name or address is replaced by localhost).
func (s *Server) publicBase(c echo.Context) string {
	if s.settings.PublicURL != "" {
		return strings.TrimRight(s.settings.PublicURL, "/")
	}
	scheme := "http"
	if c.Request().TLS != nil {
		scheme = "https"
	}
	if sc := strings.ToLower(c.Scheme()); sc == "http" || sc == "https" {
		scheme = sc
	}
	host := c.Request().Host
	if !validHost(host) {
		host = "localhost"
	}
	return scheme + "://" + host
}

// validHost reports whether h is host[:port] with a DNS name or an IP
// address and a numeric port.
func validHost(h string) bool {
	if h == "" || len(h) > 260 {
		return false
	}
	name, port := h, ""
	if strings.HasPrefix(h, "[") || strings.Count(h, ":") == 1 {
		var err error
		if name, port, err = net.SplitHostPort(h); err != nil {
			if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
				name, port = h[1:len(h)-1], ""
			} else {
				return false
			}
		}
	}
	for _, c := range port {
		if c < '0' || c > '9' {
			return false
		}
	}
	if len(port) > 5 {
		return false
	}
	if net.ParseIP(name) != nil {
		return true
	}
	if name == "" || len(name) > 253 {
		return false
	}
	for _, label := range strings.Split(strings.TrimSuffix(name, "."), ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}
