package server

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/register"
)

// GET /api/register/ and /register/ (spec §7): 302 to the Jet Admin page
// that activates this bridge's token.
func (s *Server) register(c echo.Context) error {
	req := c.Request()
	full := &url.URL{Scheme: c.Scheme(), Host: req.Host, Path: req.URL.Path, RawQuery: req.URL.RawQuery}
	st := s.settings
	if st.Token == "" {
		if tok, ok := s.projectToken.Load().(string); ok {
			st.Token = tok
		}
	}
	loc, aerr := register.RegisterRedirect(st, full, c.QueryParam("token"))
	if aerr != nil {
		// upstream answers these as plain text pages (spec §7.1)
		if msg, ok := aerr.Body.(string); ok {
			return c.HTML(aerr.Status, msg)
		}
		return aerr
	}
	return c.Redirect(http.StatusFound, loc)
}
