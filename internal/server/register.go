package server

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/register"
)

// GET /api/register/ and /register/ (spec §7): 302 to the Jet Admin page
// that activates this bridge's token.
func (s *Server) register(c echo.Context) error {
	req := c.Request()
	full, err := url.Parse(s.publicBase(c))
	if err != nil {
		return err
	}
	full.Path, full.RawQuery = strings.TrimRight(full.Path, "/")+req.URL.Path, req.URL.RawQuery
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
