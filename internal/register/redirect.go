package register

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/config"
)

// DefaultWebBaseURL is the Jet Admin web app (WEB_BASE_URL's default).
const DefaultWebBaseURL = "https://app.jetadmin.io"

// Texts of the current flow's 400 answers (text/html upstream).
const (
	TextNoProject = "Project name is not set"
	TextNoToken   = "Project token is not set"
)

// CurrentFlow reports whether the settings select the current registration
// flow (§7.1): PROJECT is set, or ENVIRONMENT is (a current-flow-only setting,
// so its project is missing). Otherwise the legacy flow (§7.2) applies.
func CurrentFlow(s config.Settings) bool {
	return strings.TrimSpace(s.Project) != "" || strings.TrimSpace(s.Environment) != ""
}

// RegisterRedirect answers GET /api/register/ (and /register/): the Location
// of the 302 to the Jet Admin page that activates the token (spec §7).
// requestURL is the full URL of the request, with scheme and host; tokenParam
// is its ?token= value. s.Token must hold the token in use (Resolve), so that
// a token kept in the database counts as set.
//
// Current flow: 400 TextNoProject / TextNoToken (plain text bodies) when
// PROJECT / the token is missing; else
// {web}/builder/{PROJECT}[/{ENVIRONMENT}]/resources/database/create/#engine=…&referrer=…[&token=…][&environment_type=…].
// Legacy flow: {web}/projects/register/{token}?referrer=… ({web}/projects/register?referrer=…
// without ?token=). In both, an https WEB_BASE_URL becomes http when the
// request came over plain http.
func RegisterRedirect(s config.Settings, requestURL *url.URL, tokenParam string) (location string, err *apierr.Error) {
	web := webBase(s.WebBaseURL, requestURL)
	referrer := ""
	if requestURL != nil {
		referrer = requestURL.String()
	}
	if !CurrentFlow(s) {
		target := web + "/projects/register"
		if tokenParam != "" {
			target += "/" + url.PathEscape(tokenParam)
		}
		return target + "?" + url.Values{"referrer": {referrer}}.Encode(), nil
	}
	project := strings.TrimSpace(s.Project)
	if project == "" {
		return "", &apierr.Error{Status: http.StatusBadRequest, Body: TextNoProject}
	}
	if strings.TrimSpace(s.Token) == "" {
		return "", &apierr.Error{Status: http.StatusBadRequest, Body: TextNoToken}
	}
	var b strings.Builder
	b.WriteString(web)
	b.WriteString("/builder/")
	b.WriteString(url.PathEscape(project))
	if env := strings.TrimSpace(s.Environment); env != "" {
		b.WriteString("/")
		b.WriteString(url.PathEscape(env))
	}
	b.WriteString("/resources/database/create/#engine=")
	b.WriteString(quote(string(s.Database.Engine)))
	b.WriteString("&referrer=")
	b.WriteString(quote(referrer))
	if tokenParam != "" {
		b.WriteString("&token=")
		b.WriteString(quote(tokenParam))
	}
	if s.EnvironmentType != "" {
		b.WriteString("&environment_type=")
		b.WriteString(quote(s.EnvironmentType))
	}
	return b.String(), nil
}

// webBase is WEB_BASE_URL without a trailing slash, downgraded from https to
// http when the bridge was reached over plain http.
func webBase(configured string, requestURL *url.URL) string {
	web := strings.TrimRight(strings.TrimSpace(configured), "/")
	if web == "" {
		web = DefaultWebBaseURL
	}
	if requestURL != nil && strings.EqualFold(requestURL.Scheme, "http") && strings.HasPrefix(strings.ToLower(web), "https") {
		web = "http" + web[len("https"):]
	}
	return web
}

// quote percent-encodes a fragment value the way the upstream bridge did
// (Python's urllib.parse.quote): letters, digits, "_.-~" and "/" stay, every
// other byte becomes %XX.
func quote(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '_', c == '.', c == '-', c == '~', c == '/':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// BridgeRegisterURL is the bridge's own /api/register/ URL as a local browser
// reaches it: http(s)://<host>:<port>/api/register/?token=<token>, with
// localhost for a wildcard ADDRESS, https when SSL_CERT or SSL_KEY is set.
func BridgeRegisterURL(s config.Settings, token string) *url.URL {
	host := strings.TrimSpace(s.Address)
	switch strings.Trim(host, "[]") {
	case "", "0.0.0.0", "::":
		host = "localhost"
	}
	port := s.Port
	if port == 0 {
		port = 8888
	}
	scheme := "http"
	if s.SSLCert != "" || s.SSLKey != "" {
		scheme = "https"
	}
	u := &url.URL{Scheme: scheme, Host: net.JoinHostPort(strings.Trim(host, "[]"), strconv.Itoa(port)), Path: "/api/register/"}
	if token != "" {
		u.RawQuery = url.Values{"token": {token}}.Encode()
	}
	return u
}

// ActivationURL is the Jet Admin page that activates token: where the bridge's
// /api/register/?token=<token> redirects to. It contains the full token: show
// it to the user, never log it unmasked.
func ActivationURL(s config.Settings, token string) (string, error) {
	s.Token = token
	loc, aerr := RegisterRedirect(s, BridgeRegisterURL(s, token), token)
	if aerr != nil {
		return "", fmt.Errorf("no activation URL: %v (set PROJECT)", aerr.Body)
	}
	return loc, nil
}
