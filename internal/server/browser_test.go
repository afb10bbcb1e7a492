package server

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
)

// TestCORSPreflightForBrowsers (issue 17): preflights are cacheable
// (Access-Control-Max-Age), Private Network Access is granted when asked,
// ETag is exposed, and the recorded CORS values are unchanged.
func TestCORSPreflightForBrowsers(t *testing.T) {
	e := newEnv(t, config.EngineSQLite, nil)
	origin := "https://app.jetadmin.io"
	want := map[string]string{
		"Access-Control-Allow-Origin":      origin,
		"Access-Control-Allow-Methods":     "GET, POST, PUT, PATCH, DELETE, OPTIONS",
		"Access-Control-Allow-Headers":     "Authorization,DNT,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,X-Application-Warning,X-HTTP-Method-Override,X-Bridge-Settings,X-Stick-Session",
		"Access-Control-Expose-Headers":    "Content-Length,Content-Range,Content-Disposition,Content-Type,X-Application-Warning,ETag",
		"Access-Control-Allow-Credentials": "true",
	}
	cases := []struct {
		name, method   string
		header         []string
		maxAge, allowP string
	}{
		{"preflight", "OPTIONS", []string{"Origin", origin, "Access-Control-Request-Method", "POST"}, "7200", ""},
		{"preflight asking for the private network", "OPTIONS", []string{"Origin", origin, "Access-Control-Request-Method", "GET",
			"Access-Control-Request-Private-Network", "true"}, "7200", "true"},
		{"actual request", "GET", []string{"Origin", origin}, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, h, _ := e.do(c.method, "/api/models/items/", "", c.header...)
			if c.method == "OPTIONS" && status != http.StatusNoContent || c.method == "GET" && status != 200 {
				t.Fatalf("status %d", status)
			}
			for k, v := range want {
				if got := h.Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
			if got := h.Get("Access-Control-Max-Age"); got != c.maxAge {
				t.Errorf("Access-Control-Max-Age %q, want %q", got, c.maxAge)
			}
			if got := h.Get("Access-Control-Allow-Private-Network"); got != c.allowP {
				t.Errorf("Access-Control-Allow-Private-Network %q, want %q", got, c.allowP)
			}
		})
	}
}

// TestHeadOnGetRoutes (issue 17): HEAD answers like GET, without a body.
func TestHeadOnGetRoutes(t *testing.T) {
	e := newEnv(t, config.EngineSQLite, nil)
	for _, path := range []string{"/api/", "/api/models/items/", "/api/models/items/1/", "/api/model_descriptions/", "/api/models/nope/"} {
		gs, gh, gb := e.do("GET", path, "")
		hs, hh, hb := e.do("HEAD", path, "")
		if hs != gs || hb != "" {
			t.Errorf("HEAD %s: %d with %d body bytes; GET: %d", path, hs, len(hb), gs)
		}
		if hh.Get("Content-Type") != gh.Get("Content-Type") {
			t.Errorf("HEAD %s: Content-Type %q, GET %q", path, hh.Get("Content-Type"), gh.Get("Content-Type"))
		}
		if cl := hh.Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(gb)) && path != "/api/" && path != "/api/models/items/" { // timings vary
			t.Errorf("HEAD %s: Content-Length %s, GET body %d bytes", path, cl, len(gb))
		}
	}
	if s, _, _ := e.do("HEAD", "/api/models/items/", "", "Authorization", ""); s != 403 {
		t.Errorf("HEAD without credentials: %d, want 403", s)
	}
}

// TestPrivilegeWarning (issue 17 M2): connecting as a superuser (the test
// servers' postgres and root) is warned about at start-up.
func TestPrivilegeWarning(t *testing.T) {
	engines(t, func(t *testing.T, eng config.Engine) {
		if eng == config.EngineSQLite {
			t.Skip("SQLite has no users")
		}
		e := newEnv(t, eng, nil)
		logs := e.logs.String()
		if !strings.Contains(logs, "level=WARN") || !strings.Contains(logs, "least-privilege") {
			t.Errorf("no warning about the superuser connection:\n%s", logs)
		}
	})
}
