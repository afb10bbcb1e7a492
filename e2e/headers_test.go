package e2e

import (
	"strings"
	"testing"
	"time"
)

// TestResponseHeadersBinary: through the real binary, every answer carries
// X-Content-Type-Options: nosniff, no Server (or similar) header names the
// software, and the version appears only in GET /api/.
func TestResponseHeadersBinary(t *testing.T) {
	env := dbEnv(sqliteFixture(t))
	env["BEARER_AUTH_KEY"] = bearerKey
	b := startBridge(t, env)
	b.waitConnected()
	c := newClient(10 * time.Second)
	auth := "Bearer " + bearerKey
	for _, r := range []struct {
		method, path, auth, body string
		status                   int
	}{
		{"GET", "/", "", "", 302},
		{"GET", "/api/", "", "", 200},
		{"GET", "/api/model_descriptions/", auth, "", 200},
		{"GET", "/api/model_descriptions/", "", "", 403},
		{"GET", "/api/models/items/?_per_page=2", auth, "", 200},
		{"GET", "/api/models/items/1/", auth, "", 200},
		{"GET", "/api/models/items/9999/", auth, "", 404},
		{"GET", "/api/models/nope/", auth, "", 404},
		{"GET", "/nope", "", "", 404},
		{"DELETE", "/api/", "", "", 404},
		{"OPTIONS", "/api/models/items/", "", "", 204},
		{"POST", "/api/models/items/", auth, `{"title":`, 400},
		{"POST", "/api/models/items/", auth, `{"title":"` + strings.Repeat("x", 300) + `"}`, 400},
		{"PATCH", "/api/models/items/1/", auth, `{"quantity":"many"}`, 400},
		{"POST", "/api/models/items/", auth, strings.Repeat("[", 1000), 400},
		{"GET", "/api/models/items/?title=%FF", auth, "", 400},
		{"POST", "/api/sql/", auth, `{"query":"SELEC 1"}`, 400},
	} {
		a := request(t, c, r.method, b.URL+r.path, r.auth, r.body)
		what := r.method + " " + r.path
		if a.Status != r.status {
			t.Errorf("%s: %d, want %d: %s", what, a.Status, r.status, clip(a.Body))
		}
		if got := a.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", what, got)
		}
		for _, h := range []string{"Server", "X-Powered-By", "Via"} {
			if v := a.Header.Get(h); v != "" {
				t.Errorf("%s: %s: %s", what, h, v)
			}
		}
		// Only GET /api/ names jetbridge's version, in X-Jetbridge-Version (its
		// body carries upstream's four keys, as the frontend knows them).
		isInfo := r.method == "GET" && r.path == "/api/"
		for name, vs := range a.Header {
			if isInfo && name == "X-Jetbridge-Version" {
				continue
			}
			if strings.Contains(strings.Join(vs, " "), testVersion) || strings.Contains(strings.ToLower(strings.Join(vs, " ")), "jetbridge/") {
				t.Errorf("%s: header %s names the version: %v", what, name, vs)
			}
		}
		if has := strings.Contains(a.Header.Get("X-Jetbridge-Version"), testVersion); has != isInfo {
			t.Errorf("%s: version in X-Jetbridge-Version = %v, want %v", what, has, isInfo)
		}
		if strings.Contains(a.Body, testVersion) {
			t.Errorf("%s: version in the body: %s", what, clip(a.Body))
		}
		if strings.Contains(a.Body, "goroutine") || strings.Contains(a.Body, ".go:") || strings.Contains(a.Body, "echo") {
			t.Errorf("%s: internals in the body: %s", what, clip(a.Body))
		}
	}
}
