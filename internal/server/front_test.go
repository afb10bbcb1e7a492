package server

import (
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/config"
)

// TestFrontMiddleware: every answer passes the one front middleware. A
// panicking handler is answered 500 in the recorded error shape, logged
// with its stack, and the access log (DEBUG) has the request; found routes,
// 404s and the panic answer all carry nosniff and the CORS headers; HEAD
// on a GET route answers GET's headers without a body.
func TestFrontMiddleware(t *testing.T) {
	e := newEnv(t, config.EngineSQLite, nil)
	e.srv.echo.GET("/api/panic-test/", func(echo.Context) error { panic("boom in handler") })

	for _, tc := range []struct {
		method, path string
		status       int
		body         string
	}{
		{"GET", "/api/panic-test/", 500, `"detail":"internal error`},
		{"GET", "/api/no-such-route/", 404, `"detail":"Not found: no route GET /api/no-such-route/`},
		{"GET", "/api/models/items/", 200, `"results":`},
		{"HEAD", "/api/models/items/", 200, ""},
	} {
		st, h, body := e.do(tc.method, tc.path, "", "Origin", "https://app.jetadmin.io")
		if st != tc.status || !strings.Contains(body, tc.body) || (tc.body == "" && body != "") {
			t.Errorf("%s %s: %d %.200s, want %d with %q", tc.method, tc.path, st, body, tc.status, tc.body)
		}
		for k, want := range map[string]string{
			"X-Content-Type-Options":           "nosniff",
			"Access-Control-Allow-Origin":      "https://app.jetadmin.io",
			"Access-Control-Allow-Methods":     corsMethods,
			"Access-Control-Allow-Credentials": "true",
		} {
			if got := h.Get(k); got != want {
				t.Errorf("%s %s: %s = %q, want %q", tc.method, tc.path, k, got, want)
			}
		}
	}
	logs := e.logs.String()
	for _, want := range []string{`msg="panic in handler"`, "boom in handler", "stack=", `msg=request method=GET path=/api/panic-test/ status=500`} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%.2000s", want, logs)
		}
	}
}
