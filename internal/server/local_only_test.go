package server

import (
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
)

// TestDisableAuthLocalOnly (issue 17 M4): with DISABLE_AUTH the bridge
// answers only requests addressed to localhost, grants CORS only to Jet
// Admin and localhost origins, takes only application/json bodies, and
// listens on loopback unless ADDRESS names an interface.
func TestDisableAuthLocalOnly(t *testing.T) {
	e := newEnv(t, config.EngineSQLite, func(s *config.Settings) { s.DisableAuth = true })
	none := []string{"Authorization", ""}
	cases := []struct {
		name   string
		method string
		body   string
		header []string
		status int
		acao   string
	}{
		{"localhost", "GET", "", []string{"Host", "localhost:8888"}, 200, "*"},
		{"127.0.0.1", "GET", "", nil, 200, "*"},
		{"rebound host name", "GET", "", []string{"Host", "evil.example:8888"}, 403, "*"},
		{"rebound host name, no port", "GET", "", []string{"Host", "attacker.example"}, 403, "*"},
		{"Jet Admin origin", "GET", "", []string{"Origin", "https://app.jetadmin.io"}, 200, "https://app.jetadmin.io"},
		{"localhost origin", "GET", "", []string{"Origin", "http://localhost:3000"}, 200, "http://localhost:3000"},
		{"other origin", "GET", "", []string{"Origin", "https://evil.example"}, 200, ""},
		{"null origin", "GET", "", []string{"Origin", "null"}, 200, ""},
		{"text/plain body", "PATCH", `{"name":"x"}`, []string{"Content-Type", "text/plain"}, 415, "*"},
		{"form body", "POST", `name=x`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, "*"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := "/api/models/items/"
			if c.method == "PATCH" {
				path += "1/"
			}
			status, h, body := e.do(c.method, path, c.body, append(append([]string{}, none...), c.header...)...)
			if status != c.status {
				t.Errorf("status %d, want %d: %s", status, c.status, clip(body))
			}
			if got := h.Get("Access-Control-Allow-Origin"); got != c.acao {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", got, c.acao)
			}
		})
	}
	if status, _, body := e.do("PATCH", "/api/models/items/1/", `{"title":"json"}`, none...); status != 200 {
		t.Errorf("application/json body: %d %s", status, clip(body))
	}

	for _, c := range []struct {
		addr    string
		disable bool
		want    string
	}{
		{"0.0.0.0", true, "127.0.0.1"}, {"", true, "127.0.0.1"}, {"::", true, "127.0.0.1"},
		{"192.168.1.5", true, "192.168.1.5"}, {"0.0.0.0", false, "0.0.0.0"},
	} {
		if got := ListenHost(config.Settings{Address: c.addr, DisableAuth: c.disable}); got != c.want {
			t.Errorf("ListenHost(%q, DISABLE_AUTH=%v) = %q, want %q", c.addr, c.disable, got, c.want)
		}
	}
}
