package server

import (
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
)

// TestPublicURL (issue 17 L8): links come from PUBLIC_URL when set, else
// from a well-formed Host and an http(s) scheme only.
func TestPublicURL(t *testing.T) {
	plain := newEnv(t, config.EngineSQLite, nil)
	_, _, body := plain.do("GET", "/api/", "", "X-Forwarded-Proto", "javascript:alert(1)//")
	if !strings.Contains(body, `"media_url_template":"http://127.0.0.1:`) {
		t.Errorf("hostile X-Forwarded-Proto: %s", body)
	}
	_, _, body = plain.do("GET", "/api/models/items/?_per_page=5", "", "X-Forwarded-Proto", "https")
	if !strings.Contains(body, `"next":"https://127.0.0.1:`) {
		t.Errorf("X-Forwarded-Proto https: %s", clip(body))
	}
	for _, c := range []struct {
		host string
		ok   bool
	}{
		{"example.com", true}, {"example.com:8443", true}, {"127.0.0.1:80", true}, {"[::1]:8888", true}, {"[::1]", true},
		{"evil.com/x", false}, {"evil.com:80:80", false}, {"a b", false}, {"evil.com:port", false}, {"", false}, {`x"y`, false},
	} {
		if got := validHost(c.host); got != c.ok {
			t.Errorf("validHost(%q) = %v", c.host, got)
		}
	}

	e := newEnv(t, config.EngineSQLite, func(s *config.Settings) { s.PublicURL = "https://bridge.example.com/" })
	_, _, body = e.do("GET", "/api/", "", "Host", "evil.example")
	if !strings.Contains(body, `"media_url_template":"https://bridge.example.com/media/{}"`) {
		t.Errorf("/api/ with PUBLIC_URL: %s", body)
	}
	_, _, body = e.do("GET", "/api/models/items/?_per_page=5&page=2", "", "Host", "evil.example")
	if !strings.Contains(body, `"next":"https://bridge.example.com/api/models/items/?_per_page=5\u0026page=3"`) &&
		!strings.Contains(body, `"next":"https://bridge.example.com/api/models/items/?_per_page=5&page=3"`) {
		t.Errorf("pagination with PUBLIC_URL: %s", clip(body))
	}
	if strings.Contains(body, "evil.example") {
		t.Errorf("the Host header is in the links: %s", clip(body))
	}
}
