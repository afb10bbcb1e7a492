package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
)

// BenchmarkGraphQLTrackPage: a 25-row GraphQL page of Chinook's track with
// allAttrs, count and hasMore against the REST list of the same page, in one
// run (compare ns/op: graphql/rest is the inverse throughput ratio).
// PostgreSQL runs when JETBRIDGE_TEST_POSTGRES is set.
func BenchmarkGraphQLTrackPage(b *testing.B) {
	for _, e := range []config.Engine{config.EngineSQLite, config.EnginePostgres, config.EngineMySQL} {
		b.Run(string(e), func(b *testing.B) {
			env := newChinookEnvTB(b, e)
			track := chinookNames(e, "{track}")
			b.Run("rest", func(b *testing.B) {
				serveLoop(b, env.srv.Handler(), "/api/models/"+track+"/?_per_page=25")
			})
			q := chinookNames(e, `{"query": "{ {track}(pagination: {limit: 25, page: 1}) { data { allAttrs } pagination { count hasMore } } }"}`)
			b.Run("graphql", func(b *testing.B) { servePostLoop(b, env.srv.Handler(), "/api/graphql/", q) })
		})
	}
}

func servePostLoop(b *testing.B, h http.Handler, path, body string) {
	req := httptest.NewRequest("POST", path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+testKey)
	req.Header.Set("Content-Type", "application/json")
	do := func() *httptest.ResponseRecorder {
		req.Body = io.NopCloser(strings.NewReader(body))
		req.ContentLength = int64(len(body))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("%s: status %d: %s", path, w.Code, w.Body)
		}
		return w
	}
	w := do()
	if strings.Contains(w.Body.String(), `"errors"`) {
		b.Fatalf("%s: %s", path, w.Body)
	}
	b.SetBytes(int64(w.Body.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		do()
	}
}
