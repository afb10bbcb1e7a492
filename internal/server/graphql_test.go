package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/auth"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/graphql"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// newChinookEnv starts a server over a fresh Chinook database.
func newChinookEnv(t *testing.T, e config.Engine) *env {
	t.Helper()
	en := newChinookEnvTB(t, e)
	en.t = t
	return en
}

func newChinookEnvTB(t testing.TB, e config.Engine) *env {
	t.Helper()
	dbcfg := testdb.Config(t, e)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	d, err := db.Open(ctx, dbcfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	testdb.LoadChinook(t, d)
	s := config.Defaults()
	s.Database = dbcfg
	s.BearerAuthKey = testKey
	s.Project = "acme"
	s.SQLTimeout = 10 * time.Second
	s.StorePath = t.TempDir() + "/store.sqlite3"
	srv, err := New(Options{Settings: s, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return &env{srv: srv, ts: ts, db: d, engine: e}
}

// chinookNames spells Chinook names for the engine: snake_case on
// PostgreSQL, PascalCase elsewhere. {artist} and {artist_id} placeholders.
var placeholder = regexp.MustCompile(`\{[a-z][a-z_]*\}`)

func chinookNames(e config.Engine, q string) string {
	return placeholder.ReplaceAllStringFunc(q, func(m string) string {
		name := m[1 : len(m)-1]
		if e == config.EnginePostgres {
			return name
		}
		var sb strings.Builder
		for _, part := range strings.Split(name, "_") {
			if part == "id" {
				sb.WriteString("Id")
				continue
			}
			sb.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
		return sb.String()
	})
}

func (e *env) gql(path, query string) (int, string) {
	e.t.Helper()
	b, _ := json.Marshal(map[string]any{"query": chinookNames(e.engine, query)})
	status, _, body := e.do("POST", path, string(b))
	return status, body
}

func TestGraphQLThroughHTTP(t *testing.T) {
	engines(t, func(t *testing.T, engine config.Engine) {
		e := newChinookEnv(t, engine)
		for _, tc := range []struct {
			name, query string
			has         []string
		}{
			{"page and count", `{ {genre}(pagination: {limit: 3, page: 1}) { data { attrs { {genre_id} {name} } } pagination { count hasMore limit page offset } } }`,
				[]string{`{"attrs":{"{genre_id}":25,"{name}":"Opera"}}`, `"pagination":{"count":25,"hasMore":true,"limit":3,"page":1,"offset":null}`}},
			{"fk relation filter", `{ {album}(filters: [{{artist_id}: {relation: [{{name}: {eq: "AC/DC"}}]}}]) { pagination { count } } }`,
				[]string{`"pagination":{"count":2}`}},
			{"o2m filter, parents once", `{ {artist}(filters: [{{album}__{artist_id}__to__{artist_id}: {relation: [{{album_id}: {gt: 0}}]}}, {{artist_id}: {lt: 4}}]) { pagination { count } } }`,
				[]string{`"pagination":{"count":3}`}},
			{"lookups", `{ {artist}(sort: [{{artist_id}: {}}], pagination: {limit: 1}, lookups: [{{album}__{artist_id}__to__{artist_id}: {aggregate: {func: Count}}}, {{album}__{artist_id}__to__{artist_id}: {relation: {{track}__{album_id}__to__{album_id}: {aggregate: {func: Count}}}}}]) { data { lookups } } }`,
				[]string{`"lookups":[{"{album}__{artist_id}__to__{artist_id}":{"aggregated":2}},{"{album}__{artist_id}__to__{artist_id}":{"related":{"{track}__{album_id}__to__{album_id}":{"aggregated":18}}}}]`}},
			{"search", `{ {artist}(search: {query: "22"}) { data { attrs { {name} } } } }`, []string{`"{name}":"Led Zeppelin"`}},
			{"bad value", `{ {genre}(filters: [{{genre_id}: {gt: "x"}}]) { data { allAttrs } } }`, []string{`{"errors":["not a valid float"]}`}},
			{"syntax", `query { {genre}( }`, []string{`"errors":["Syntax Error GraphQL (1:`}},
		} {
			status, body := e.gql("/api/graphql/", tc.query)
			if status != 200 {
				t.Errorf("%s: %d %s", tc.name, status, clip(body))
				continue
			}
			for _, h := range tc.has {
				if h = chinookNames(engine, h); !strings.Contains(body, h) {
					t.Errorf("%s: body lacks %s\n%s", tc.name, h, clip(body))
				}
			}
		}
	})
}

// Overrides: published ones are seen by draft requests until a draft write
// replaces that model's; draft writes never reach published requests.
func TestRelationOverrides(t *testing.T) {
	engines(t, func(t *testing.T, engine config.Engine) {
		e := newChinookEnv(t, engine)
		post := func(path, body string) {
			t.Helper()
			if status, _, out := e.do("POST", path, chinookNames(engine, body)); status != 200 {
				t.Fatalf("POST %s: %d %s", path, status, out)
			}
		}
		count := `{ {artist}(filters: [{{name}: {eq: "U2"}}], lookups: [{{track}__{composer}__to__{name}: {aggregate: {func: Count}}}]) { data { lookups } } }`
		if _, body := e.gql("/api/graphql/", count); !strings.Contains(body, "Unknown field") {
			t.Fatalf("before the override: %s", body)
		}
		post("/api/model_descriptions/relationship_overrides/", `[{"model": "{artist}", "relations": [{"direction": "ONETOMANY", "local_field": "{name}", "related_model": "{track}", "related_field": "{composer}"}]}]`)
		want := chinookNames(engine, `{"{track}__{composer}__to__{name}":{"aggregated":44}}`)
		for _, path := range []string{"/api/graphql/", "/api/graphql/?draft=1"} {
			if _, body := e.gql(path, count); !strings.Contains(body, want) {
				t.Fatalf("%s after the override: %s", path, body)
			}
		}
		// a draft override: seen by draft requests only
		post("/api/model_descriptions/relationship_overrides/?draft=1", `[{"model": "{track}", "relations": [{"direction": "MANYTOONE", "local_field": "{composer}", "related_model": "{artist}", "related_field": "{name}"}]}]`)
		m2o := `{ {track}(filters: [{{composer}: {relation: [{{artist_id}: {eq: 150}}]}}]) { pagination { count } } }`
		if _, body := e.gql("/api/graphql/?draft=1", m2o); !strings.Contains(body, `"count":44`) {
			t.Fatalf("draft after the draft write: %s", body)
		}
		if _, body := e.gql("/api/graphql/", m2o); !strings.Contains(body, "Unknown field") {
			t.Fatalf("published after the draft write: %s", body)
		}
		post("/api/model_descriptions/relationship_overrides/?draft=1", `[{"model": "{track}", "relations": []}]`)
		if _, body := e.gql("/api/graphql/?draft=1", m2o); !strings.Contains(body, "Unknown field") {
			t.Fatalf("draft after the draft removal: %s", body)
		}
		_, _, desc := e.do("GET", "/api/model_descriptions/", "")
		if !strings.Contains(desc, chinookNames(engine, `"relation_overrides":[{"name":"{track}__{composer}__to__{name}"`)) {
			t.Fatalf("descriptions lack the override")
		}
		if status, _, body := e.do("POST", "/api/model_descriptions/relationship_overrides/", `[{"model": "nope", "relations": []}]`); status != 400 || !strings.Contains(body, "Unknown relation override model") {
			t.Fatalf("unknown model: %d %s", status, body)
		}
		_, _, info := e.do("GET", "/api/", "")
		if !strings.Contains(info, `"store_available":true`) {
			t.Fatalf("GET /api/: %s", info)
		}
	})
}

// A page of 25 artists with an album count and a track count: one statement
// for the page and one per lookup, whatever the page size.
func TestGraphQLLookupStatements(t *testing.T) {
	engines(t, func(t *testing.T, engine config.Engine) {
		e := newChinookEnv(t, engine)
		cn, err := e.srv.backend.get()
		if err != nil {
			t.Fatal(err)
		}
		sch, err := e.srv.gqlSchema(context.Background(), cn, false, false)
		if err != nil {
			t.Fatal(err)
		}
		q := chinookNames(engine, `{ {artist}(pagination: {limit: 25}, sort: [{{artist_id}: {}}], lookups: [{{album}__{artist_id}__to__{artist_id}: {aggregate: {func: Count}}}, {{album}__{artist_id}__to__{artist_id}: {relation: {{track}__{album_id}__to__{album_id}: {aggregate: {func: Count}}}}}]) { data { attrs { {name} } lookups } } }`)
		res := sch.Execute(context.Background(), graphql.Env{DB: cn.db, Loc: cn.loc, Out: cn.out, Timeout: 10 * time.Second}, graphql.Request{Query: q, Validate: true})
		if strings.Contains(string(res.Body), `"errors"`) || res.Queries != 3 {
			t.Fatalf("%d statements, want 3: %s", res.Queries, clip(string(res.Body)))
		}
		if !strings.Contains(string(res.Body), chinookNames(engine, `{"{track}__{album_id}__to__{album_id}":{"aggregated":18}}`)) {
			t.Fatalf("AC/DC's track count: %s", clip(string(res.Body)))
		}
	})
}

// Every model a query touches (filters, lookups) needs read permission; a
// denied one answers 403 for the whole request, as the REST routes.
func TestGraphQLPermissions(t *testing.T) {
	e := newAuthEnv(t, config.EngineSQLite, true, nil)
	hash := auth.TokenHash(authProjectToken)
	itemsOnly := "JWT " + mintJWT(t, jwtUser{project: authProject, perms: []jwtPerm{{"model", "res1.orders", "r", hash}}})
	both := "JWT " + mintJWT(t, jwtUser{project: authProject, perms: []jwtPerm{{"model", "res1.orders", "r", hash}, {"model", "res1.customers", "r", hash}}})
	post := func(auth, q string) (int, string) {
		b, _ := json.Marshal(map[string]string{"query": q})
		status, _, body := e.do("POST", "/api/graphql/", string(b), "Authorization", auth)
		return status, body
	}
	plain := `{ orders(pagination: {limit: 1}) { data { attrs { id } } } }`
	viaCustomer := `{ orders(filters: [{customer_id: {relation: [{id: {gt: 0}}]}}], pagination: {limit: 1}) { data { attrs { id } } } }`
	lookup := `{ orders(pagination: {limit: 1}, lookups: [{customer_id: {relation: {id: {return: true}}}}]) { data { lookups } } }`
	for _, tc := range []struct {
		auth, q string
		want    int
	}{
		{itemsOnly, plain, 200},
		{itemsOnly, viaCustomer, 403},
		{itemsOnly, lookup, 403},
		{both, viaCustomer, 200},
		{both, lookup, 200},
		{"", plain, 403},
		{both, `{ items { data { allAttrs } } }`, 403},
	} {
		status, body := post(tc.auth, tc.q)
		if status != tc.want || (status == 200 && strings.Contains(body, `"errors"`)) {
			t.Errorf("%s: %d, want %d: %s", tc.q, status, tc.want, clip(body))
		}
	}
}

// Hostile documents: bounded, answered with {"errors"}, never a 500.
func TestGraphQLLimits(t *testing.T) {
	e := newChinookEnv(t, config.EngineSQLite)
	deep := strings.Repeat("{a:", 200) + "1" + strings.Repeat("}", 200)
	many := "{" + strings.Repeat("x: Genre { data { allAttrs } } ", 30) + "}"
	aliases := "{"
	for i := range 30 {
		aliases += "a" + strconv.Itoa(i) + ": Genre { data { allAttrs } } "
	}
	aliases += "}"
	manyConds := "{ Track(filters: [" + strings.Repeat(`{TrackId: {gt: 1}},`, 250) + "]) { pagination { count } } }"
	for name, q := range map[string]string{
		"deep value":     `{ Genre(filters: ` + deep + `) { data { allAttrs } } }`,
		"deep selection": strings.Repeat("{ a ", 100) + strings.Repeat("}", 100),
		"huge":           "{ Genre { data { allAttrs } } }" + strings.Repeat(" ", 70<<10),
		"many roots":     aliases,
		"same key":       many,
		"conditions":     manyConds,
		"not a string":   "\x00\x01",
	} {
		b, _ := json.Marshal(map[string]string{"query": q})
		status, _, body := e.do("POST", "/api/graphql/", string(b))
		if name == "same key" { // one response key: one root field
			if status != 200 || strings.Contains(body, `"errors"`) {
				t.Errorf("%s: %d %s", name, status, clip(body))
			}
			continue
		}
		if status != 200 || !strings.HasPrefix(body, `{"errors":[`) {
			t.Errorf("%s: %d %s", name, status, clip(body))
		}
	}
	// a JSON array body or broken JSON: 400 JSON, not 500
	for _, body := range []string{`[{"query": "{ __typename }"}]`, `{"query": `} {
		if status, _, out := e.do("POST", "/api/graphql/", body); status != 400 || !strings.Contains(out, "non_field_errors") {
			t.Errorf("%s: %d %s", body, status, out)
		}
	}
}

// The GraphQL schema is built per table on first use: the first request on a
// database of 2,000 tables costs about what a request on one table costs.
// Reload rebuilds it (a table created since appears).
func TestGraphQLManyTablesAndReload(t *testing.T) {
	e := newEnv(t, config.EngineSQLite, nil)
	var sb strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&sb, "CREATE TABLE t%04d (id INTEGER PRIMARY KEY, name TEXT, parent_id INTEGER REFERENCES t%04d (id));\n", i, max(i-1, 0))
	}
	testdb.Exec(t, e.db, sb.String())
	if status, _, body := e.do("POST", "/api/reload/", ""); status != 200 || !strings.Contains(body, "true") {
		t.Fatalf("reload: %d %s", status, body)
	}
	start := time.Now()
	status, _, body := e.do("POST", "/api/graphql/", `{"query": "{ t1999(filters: [{parent_id: {relation: [{name: {isNull: true}}]}}]) { data { allAttrs } pagination { count } } }"}`)
	took := time.Since(start)
	if status != 200 || !strings.Contains(body, `"pagination":{"count":0}`) {
		t.Fatalf("first request: %d %s", status, clip(body))
	}
	t.Logf("first GraphQL request on 2,000 tables: %v", took)
	if took > 5*time.Second {
		t.Fatalf("first request took %v", took)
	}
	cn, _ := e.srv.backend.get()
	sch, _ := e.srv.gqlSchema(context.Background(), cn, false, false)
	if n := sch.TablesBuilt(); n > 2 {
		t.Fatalf("%d tables built for a query of two", n)
	}
}

// Concurrent requests share the cached schema and its lazily built tables.
func TestGraphQLConcurrent(t *testing.T) {
	e := newChinookEnv(t, config.EngineSQLite)
	queries := []string{
		`{ Artist(pagination: {limit: 5}, lookups: [{Album__ArtistId__to__ArtistId: {aggregate: {func: Count}}}]) { data { attrs { Name } lookups } } }`,
		`{ Track(filters: [{AlbumId: {relation: [{ArtistId: {relation: [{Name: {eq: "AC/DC"}}]}}]}}]) { pagination { count } } }`,
		`{ Album(search: {query: "rock"}) { data { allAttrs } pagination { count } } }`,
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5 {
				b, _ := json.Marshal(map[string]string{"query": queries[(g+i)%len(queries)]})
				req, _ := http.NewRequest("POST", e.ts.URL+"/api/graphql/", strings.NewReader(string(b)))
				req.Header.Set("Authorization", "Bearer "+testKey)
				req.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					errs <- err.Error()
					return
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || strings.Contains(string(body), `"errors"`) {
					errs <- string(body)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for m := range errs {
		t.Error(clip(m))
	}
}

// The override endpoint's validation answers 400 in the recorded shapes.
func TestRelationOverridesValidation(t *testing.T) {
	e := newChinookEnv(t, config.EngineSQLite)
	for _, tc := range []struct {
		body   string
		status int
		keys   []string
	}{
		{`{"model": "Artist", "relations": []}`, 400, []string{`"model"`, `"relations"`}},
		{`[{"model": "Artist"}]`, 400, []string{`"relations"`}},
		{`[{"relations": []}]`, 400, []string{`"model"`}},
		{`[{"model": "nope", "relations": []}]`, 400, []string{`"non_field_errors"`, "Unknown relation override model: nope"}},
		{`[{"model": "Artist", "relations": [{"direction": "MANYTOMANY", "local_field": "Name", "related_model": "Track", "related_field": "Composer"}]}]`, 400, []string{"Unknown relation direction: MANYTOMANY"}},
		{`[{"model": "Artist", "relations": [{"direction": "ONETOMANY"}]}]`, 400, []string{`"relations"`, "local_field"}},
		{`[{"model": "Artist", "relations": "x"}]`, 400, []string{`"relations"`}},
		{`{"model": `, 400, []string{"Incorrect JSON body"}},
		{`[]`, 200, []string{`[]`}},
		{`[{"model": "Artist", "relations": [{"direction": "ONETOMANY", "local_field": "Name", "related_model": "Track", "related_field": "Composer"}]}]`, 200,
			[]string{`[{"model":"Artist","relations":[{"direction":"ONETOMANY","local_field":"Name","related_field":"Composer","related_model":"Track"}]}]`}},
	} {
		status, _, body := e.do("POST", "/api/model_descriptions/relationship_overrides/", tc.body)
		if status != tc.status {
			t.Errorf("%s: %d, want %d: %s", tc.body, status, tc.status, body)
			continue
		}
		for _, k := range tc.keys {
			if !strings.Contains(body, k) {
				t.Errorf("%s: body lacks %s: %s", tc.body, k, body)
			}
		}
	}
	if status, _, _ := e.do("GET", "/api/model_descriptions/relationship_overrides/", ""); status != 404 {
		t.Errorf("GET: %d, want 404", status)
	}
	_, _, desc := e.do("GET", "/api/model_descriptions/", "")
	if !strings.Contains(desc, `"relation_overrides":[{"name":"Track__Composer__to__Name","direction":"ONETOMANY"`) {
		t.Errorf("descriptions lack the override")
	}
}
