package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/auth"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/jetadmin"
	"github.com/jetbridge/jetbridge/internal/jetadmin/jetadmintest"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

const (
	authProject      = "acme"
	authProjectToken = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
	// authTimeout is the ProjectAuthTimeout of injected authorizers.
	authTimeout = time.Second // long enough for 3 tries against a down API on a loaded machine
)

// authEnv is a server whose requests are checked as in production (PROJECT,
// TOKEN, BEARER_AUTH_KEY, JWT_VERIFY_KEY of the test key) against a fake Jet
// Admin API.
type authEnv struct {
	*env
	fake *jetadmintest.Server
	cfg  config.Database
	// nextPK is the next items row an allowed DELETE may remove.
	nextPK int
	// undo puts back what a case's before hook changed.
	undo func()
}

// newAuthEnv starts a server over a fresh fixture database of engine. With
// inject, the authorizer is built here (Options.Auth) with a short
// ProjectAuthTimeout and fast retries; otherwise the server builds it from
// the settings, as `jetbridge serve` does. mutate adjusts the settings last.
func newAuthEnv(t *testing.T, engine config.Engine, inject bool, mutate func(*config.Settings)) *authEnv {
	t.Helper()
	dbcfg := testdb.Config(t, engine)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	d, err := db.Open(ctx, dbcfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	testdb.LoadTypes(t, d)
	return startAuthServer(t, engine, dbcfg, d, inject, mutate)
}

// sibling starts another server (with its own fake Jet Admin API) over the
// same database, to save creating one (PostgreSQL takes a second).
func (e *authEnv) sibling(t *testing.T, inject bool, mutate func(*config.Settings)) *authEnv {
	t.Helper()
	s := startAuthServer(t, e.engine, e.cfg, e.db, inject, mutate)
	s.nextPK = e.nextPK
	return s
}

func startAuthServer(t *testing.T, engine config.Engine, dbcfg config.Database, d *db.DB, inject bool, mutate func(*config.Settings)) *authEnv {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	fake := jetadmintest.New(t)
	s := config.Defaults()
	s.Database = dbcfg
	s.BearerAuthKey = testKey
	s.Project = authProject
	s.Token = authProjectToken
	s.JWTVerifyKey = publicKeyPEM(t, bridgeJWTKey())
	s.APIBaseURL = fake.URL
	s.SQLTimeout = 5 * time.Second
	s.ProjectAuthTimeout = authTimeout // reaches the authorizer the server builds
	if mutate != nil {
		mutate(&s)
	}
	logs := &strings.Builder{}
	log := slog.New(slog.NewTextHandler(&lockedWriter{w: logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opt := Options{Settings: s, Logger: log}
	if inject {
		a, err := auth.New(auth.Config{
			Logger:             log,
			Project:            s.Project,
			ProjectToken:       s.Token,
			BearerAuthKey:      s.BearerAuthKey,
			JWTVerifyKey:       s.JWTVerifyKey,
			DisableAuth:        s.DisableAuth,
			ReadOnly:           s.ReadOnly,
			ProjectAuthTimeout: authTimeout,
		}, jetadmin.New(fake.URL, jetadmin.WithRetryBackoff(5*time.Millisecond)))
		if err != nil {
			t.Fatal(err)
		}
		opt.Auth = a
	}
	srv, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return &authEnv{env: &env{t: t, srv: srv, ts: ts, db: d, engine: engine, logs: logs}, cfg: dbcfg, fake: fake, nextPK: 30}
}

// itemsState is a fingerprint of the items table (every row's id, title,
// quantity and "order"), to prove a refused write wrote nothing.
func (e *env) itemsState() string {
	e.t.Helper()
	q := "SELECT id, title, quantity, " + e.db.Dialect.QuoteIdent("order") + " FROM items ORDER BY id"
	rows, err := e.db.SQL.QueryContext(context.Background(), q)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, title, qty, ord any
		if err := rows.Scan(&id, &title, &qty, &ord); err != nil {
			e.t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s|%s|%s|%s\n", text(id), text(title), text(qty), text(ord))
	}
	if err := rows.Err(); err != nil {
		e.t.Fatal(err)
	}
	return b.String()
}

func text(v any) string {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return fmt.Sprint(v)
}

// itemsCount counts rows of items matching where (SQL text of the test).
func (e *env) itemsCount(where string) int {
	e.t.Helper()
	var n int
	if err := e.db.SQL.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM items WHERE "+where).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// Route groups of the matrix (spec §4.6).
const (
	gRead   = "model read"
	gWrite  = "model write"
	gDelete = "model delete"
	gReload = "reload"
	gMember = "any member"
)

// authRoute is one route of a group; path "{pk}" is replaced by a row an
// allowed DELETE may remove.
type authRoute struct {
	group, method, path, body string
	ok                        int    // status when allowed
	has                       string // fragment of the allowed body
}

var authRoutes = []authRoute{
	{gRead, "GET", "/api/models/items/", "", 200, `"results":[`},
	{gRead, "GET", "/api/models/items/7/", "", 200, `"title":"Item 7"`},
	{gRead, "GET", "/api/models/items/aggregate/?_y_func=count", "", 200, `{"y_func":`},
	{gRead, "GET", "/api/models/items/group/?_x_column=active&_y_func=count", "", 200, `"y_func":`},
	{gRead, "GET", "/api/models/items/7/get_siblings/", "", 200, `"prev":`},
	{gWrite, "POST", "/api/models/items/", `{"title": "matrix", "quantity": 1}`, 201, `"title":"matrix"`},
	{gWrite, "PUT", "/api/models/items/8/", `{"title": "put by matrix", "quantity": 2}`, 200, `"title":"put by matrix"`},
	{gWrite, "PATCH", "/api/models/items/9/", `{"quantity": 99}`, 200, `"quantity":99`},
	{gWrite, "POST", "/api/models/items/reorder/", `{"ordering_field": "order", "forward": true, "segment_from": 10, "segment_to": 12, "item": 10}`, 200, `"ordering_field":"order"`},
	{gWrite, "POST", "/api/models/items/reset_order/", `{"ordering_field": "order", "ordering": "-id"}`, 200, `"ordering_field":"order"`},
	{gWrite, "POST", "/api/models/items/bulk_create/", `[{"title": "bulk by matrix", "quantity": 1}]`, 200, `[{"success":true}]`},
	{gDelete, "DELETE", "/api/models/items/{pk}/", "", 204, ""},
	{gReload, "POST", "/api/reload/", "", 200, `"success":`},
	{gMember, "GET", "/api/model_descriptions/", "", 200, `"model":"items"`},
	{gMember, "POST", "/api/sql/", `{"query": "SELECT 7 AS seven"}`, 200, `"columns":["seven"]`},
}

// authCase is one kind of credential and what each route group must answer.
type authCase struct {
	name string
	// header builds the Authorization header for route i ("" = none).
	header func(t *testing.T, e *authEnv, i int) string
	// before and after run around each request (e.g. take the API down).
	before, after func(e *authEnv)
	// deny says, per group, a fragment of the 403 detail; "" = allowed.
	deny func(group string) string
	// firstOfGroup sends only the first route of each group (for the slow
	// API case, which costs a ProjectAuthTimeout per request).
	firstOfGroup bool
}

func everywhere(reason string) func(string) string { return func(string) string { return reason } }

func only(reasons map[string]string) func(string) string {
	return func(g string) string { return reasons[g] }
}

func jwtHeader(u jwtUser) func(t *testing.T, e *authEnv, i int) string {
	return func(t *testing.T, _ *authEnv, _ int) string { return "JWT " + mintJWT(t, u) }
}

// userToken registers a fresh user token per route in the fake (with the
// given grants, or not at all when grants is nil) and sends it as type.
func userToken(typ, name string, grants []string) func(t *testing.T, e *authEnv, i int) string {
	return func(t *testing.T, e *authEnv, i int) string {
		tok := fmt.Sprintf("%s-user-token-%02d", name, i)
		if grants != nil {
			e.fake.AllowUserToken(tok, grants...)
		}
		return typ + " " + tok
	}
}

func authCases() []authCase {
	hash := auth.TokenHash(authProjectToken)
	allGrants := []string{"model:items:rwd", "project:project_settings:"}
	return []authCase{
		{name: "no header", header: func(*testing.T, *authEnv, int) string { return "" },
			deny: everywhere("no credentials: send an Authorization header")},
		{name: "garbage", header: func(*testing.T, *authEnv, int) string { return "garbage-without-a-type" },
			deny: everywhere("malformed Authorization header")},
		{name: "unknown type", header: func(*testing.T, *authEnv, int) string { return "Basic dXNlcjpwYXNzd29yZA==" },
			deny: everywhere(`unknown authorization type "Basic"`)},
		{name: "bearer right", header: func(*testing.T, *authEnv, int) string { return "Bearer " + testKey },
			deny: everywhere("")},
		{name: "bearer wrong", header: func(*testing.T, *authEnv, int) string { return "Bearer wrong-bearer-key-42" },
			deny: everywhere("Bearer key does not match BEARER_AUTH_KEY")},
		{name: "jwt owner", header: jwtHeader(jwtUser{project: authProject, owner: true}),
			deny: everywhere("")},
		{name: "jwt read_only", header: jwtHeader(jwtUser{project: authProject, readOnly: true}),
			deny: only(map[string]string{
				gWrite:  `read-only user: not permitted: write (w) on model "items"`,
				gDelete: `read-only user: not permitted: delete (d) on model "items"`,
			})},
		{name: "jwt expired", header: jwtHeader(jwtUser{project: authProject, owner: true, expireIn: -time.Hour}),
			deny: everywhere("JWT expired: sign in to Jet Admin again")},
		{name: "jwt other key", header: jwtHeader(jwtUser{project: authProject, owner: true, key: otherJWTKey()}),
			deny: everywhere("JWT is signed by a different key: set JWT_VERIFY_KEY")},
		{name: "jwt other project", header: jwtHeader(jwtUser{project: "someone-else", owner: true}),
			deny: everywhere(`this JWT does not grant access to project "acme" (PROJECT)`)},
		{name: "jwt r only", header: jwtHeader(jwtUser{project: authProject, perms: []jwtPerm{{"model", "res1.items", "r", hash}}}),
			deny: only(map[string]string{
				gWrite:  `not permitted: write (w) on model "items"`,
				gDelete: `not permitted: delete (d) on model "items"`,
				gReload: `not permitted: project permission "project_settings"`,
			})},
		{name: "jwt rwd", header: jwtHeader(jwtUser{project: authProject, perms: []jwtPerm{
			{"model", "res1.items", "rwd", hash}, {"project", "project_settings", "", ""}}}),
			deny: everywhere("")},
		{name: "jwt other model", header: jwtHeader(jwtUser{project: authProject, perms: []jwtPerm{
			{"model", "res1.orders", "rwd", hash}, {"project", "project_customization", "", ""}}}),
			deny: only(map[string]string{
				gRead:   `not permitted: read (r) on model "items"`,
				gWrite:  `not permitted: write (w) on model "items"`,
				gDelete: `not permitted: delete (d) on model "items"`,
				gReload: `not permitted: project permission "project_settings"`,
			})},
		{name: "jwt other bridge's hash", header: jwtHeader(jwtUser{project: authProject, perms: []jwtPerm{
			{"model", "res1.items", "rwd", auth.TokenHash("another-bridge-token")}}}),
			deny: only(map[string]string{
				gRead:   `not permitted: read (r) on model "items"`,
				gWrite:  `not permitted: write (w) on model "items"`,
				gDelete: `not permitted: delete (d) on model "items"`,
				gReload: `not permitted: project permission "project_settings"`,
			})},
		{name: "token allowed", header: userToken("Token", "allowed", allGrants), deny: everywhere("")},
		{name: "projecttoken allowed", header: userToken("ProjectToken", "ptallowed", allGrants), deny: everywhere("")},
		{name: "token r only", header: userToken("Token", "ronly", []string{"model:items:r"}),
			deny: only(map[string]string{
				gWrite:  `Jet Admin API refused this token for write (w) on model "items" (it answered 403)`,
				gDelete: `Jet Admin API refused this token for delete (d) on model "items" (it answered 403)`,
				gReload: `Jet Admin API refused this token for project permission "project_settings" (it answered 403)`,
			})},
		{name: "token denied", header: userToken("Token", "unknown", nil),
			deny: func(g string) string {
				if g == gMember {
					return "Jet Admin API refused this token for project membership (it answered 403)"
				}
				return "Jet Admin API refused this token for "
			}},
		{name: "api down", header: userToken("Token", "down", allGrants),
			before: func(e *authEnv) { e.fake.SetDown(true) }, after: func(e *authEnv) { e.fake.SetDown(false) },
			deny: everywhere("the token could not be checked: Jet Admin API: project auth: server answered 503 Service Unavailable (3 tries)")},
		{name: "api slow", header: userToken("Token", "slow", allGrants),
			before:       func(e *authEnv) { e.fake.SetDelay(3 * time.Second); e.undo = e.withAuthTimeout(slowAuthTimeout) },
			after:        func(e *authEnv) { e.fake.SetDelay(0); e.undo() },
			firstOfGroup: true,
			deny:         everywhere("Jet Admin API did not answer in 300ms: the token could not be checked, try again later")},
	}
}

// TestAuth runs the server-level auth tests on every engine, over one
// database per engine (the later tests do not depend on the rows the matrix
// changed).
func TestAuth(t *testing.T) {
	engines(t, func(t *testing.T, engine config.Engine) {
		t.Parallel()
		e := newAuthEnv(t, engine, true, nil)
		t.Run("matrix", func(t *testing.T) { authMatrix(t, e) })
		t.Run("method override ignored", func(t *testing.T) { authMethodOverride(t, e) })
		t.Run("read-only user SQL", func(t *testing.T) { authReadOnlyUserSQL(t, e) })
		t.Run("READ_ONLY", func(t *testing.T) {
			authReadOnlySetting(t, e.sibling(t, false, func(s *config.Settings) { s.ReadOnly = true }), false)
		})
		t.Run("READ_ONLY with DISABLE_AUTH", func(t *testing.T) {
			authReadOnlySetting(t, e.sibling(t, false, func(s *config.Settings) { s.ReadOnly = true; s.DisableAuth = true }), true)
		})
		t.Run("DISABLE_AUTH", func(t *testing.T) {
			authDisableAuth(t, e, e.sibling(t, false, func(s *config.Settings) { s.DisableAuth = true }))
		})
	})
}

// authMatrix sends every route of every group with every kind of
// credential through real HTTP and checks status, reason, that no secret is
// echoed and that refused writes wrote nothing.
func authMatrix(t *testing.T, e *authEnv) {
	for _, c := range authCases() {
		t.Run(c.name, func(t *testing.T) {
			e.t = t
			seen := map[string]bool{}
			for i, rt := range authRoutes {
				if c.firstOfGroup && seen[rt.group] {
					continue
				}
				seen[rt.group] = true
				e.runAuthCase(t, c, i, rt)
			}
		})
	}
	e.t = t
	for _, secret := range []string{authProjectToken, testKey, "user-token-", "wrong-bearer-key-42"} {
		if strings.Contains(e.logs.String(), secret) {
			t.Errorf("the log holds a credential (%q)", secret)
		}
	}
	// upstream's unauthenticated extras (Q6) are not served at all
	for _, path := range []string{"/api/token_inspect/", "/api/proxy_request/", "/api/graphql/"} {
		if status, _, body := e.do("GET", path, "", "Authorization", ""); status != http.StatusNotFound && status != http.StatusForbidden {
			t.Errorf("GET %s without credentials: %d %s", path, status, clip(body))
		}
	}
	// image_resize stays open for <img> tags, as /media/ is, but never fetches a URL
	if status, _, body := e.do("GET", "/api/image_resize/?path=http://127.0.0.1/", "", "Authorization", ""); status != http.StatusBadRequest {
		t.Errorf("GET /api/image_resize/ of a URL without credentials: %d %s", status, clip(body))
	}
	// without DISABLE_AUTH, GET /api/ carries no warning
	if _, h, body := e.do("GET", "/api/", "", "Authorization", ""); strings.Contains(body, "warning") || h.Get("X-Application-Warning") != "" {
		t.Errorf("GET /api/ warns without DISABLE_AUTH: %s %v", body, h)
	}
}

func (e *authEnv) runAuthCase(t *testing.T, c authCase, i int, rt authRoute) {
	t.Helper()
	header := c.header(t, e, i)
	reason := c.deny(rt.group)
	path := strings.ReplaceAll(rt.path, "{pk}", fmt.Sprint(e.nextPK))
	write := rt.group == gWrite || rt.group == gDelete
	var before string
	if write {
		before = e.itemsState()
	}
	if c.before != nil {
		c.before(e)
	}
	start := time.Now()
	status, h, body := e.do(rt.method, path, rt.body, "Authorization", header)
	took := time.Since(start)
	if c.after != nil {
		c.after(e)
	}
	where := fmt.Sprintf("%s %s", rt.method, path)
	if took > 3*time.Second {
		t.Errorf("%s: took %v", where, took)
	}
	// the credential, the project token and the bearer key never come back
	secrets := []string{authProjectToken, testKey}
	if _, cred, ok := strings.Cut(header, " "); ok && len(cred) >= 8 {
		secrets = append(secrets, cred)
		if parts := strings.Split(cred, "."); len(parts) == 3 {
			secrets = append(secrets, parts[2])
		}
	} else if len(header) >= 8 {
		secrets = append(secrets, header)
	}
	for _, s := range secrets {
		if strings.Contains(body, s) {
			t.Errorf("%s: body echoes a credential\n%s", where, clip(body))
		}
	}
	if reason == "" {
		if status != rt.ok {
			t.Fatalf("%s: status %d, want %d (allowed)\n%s", where, status, rt.ok, clip(body))
		}
		if rt.has != "" && !strings.Contains(body, rt.has) {
			t.Errorf("%s: body lacks %q\n%s", where, rt.has, clip(body))
		}
		if rt.group == gDelete {
			if n := e.itemsCount(fmt.Sprintf("id = %d", e.nextPK)); n != 0 {
				t.Errorf("%s: allowed delete left the row", where)
			}
			e.nextPK--
		}
		return
	}
	if status != http.StatusForbidden {
		t.Fatalf("%s: status %d, want 403 (%s)\n%s", where, status, reason, clip(body))
	}
	if ct := h.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s: Content-Type %q", where, ct)
	}
	v := decode[map[string]string](t, body)
	if len(v) != 1 || !strings.Contains(v["detail"], reason) {
		t.Errorf("%s: body %s, want {\"detail\": ...%s...}", where, clip(body), reason)
	}
	if write {
		if after := e.itemsState(); after != before {
			t.Errorf("%s: a refused write changed items", where)
		}
	}
}

// authMethodOverride: X-HTTP-Method-Override never skips the permission
// check nor changes the route (fix of quirk Q3).
func authMethodOverride(t *testing.T, e *authEnv) {
	readOnly := "JWT " + mintJWT(t, jwtUser{project: authProject, readOnly: true})
	for _, sc := range []struct {
		name, method, path, body, header, override string
		status                                     int
		detail                                     string
	}{
		{"delete as options, no header", "DELETE", "/api/models/items/20/", "", "", "OPTIONS", 403, "no credentials"},
		{"delete as options, read-only user", "DELETE", "/api/models/items/20/", "", readOnly, "OPTIONS", 403, "read-only user"},
		{"delete as get, read-only user", "DELETE", "/api/models/items/20/", "", readOnly, "GET", 403, "read-only user"},
		{"create as options, no header", "POST", "/api/models/items/", `{"title": "override"}`, "", "OPTIONS", 403, "no credentials"},
		{"sql as options, no header", "POST", "/api/sql/", `{"query": "SELECT 1"}`, "", "OPTIONS", 403, "no credentials"},
		{"options as delete stays options", "OPTIONS", "/api/models/items/20/", "", "Bearer " + testKey, "DELETE", 204, ""},
		{"get as delete stays get", "GET", "/api/models/items/20/", "", "Bearer " + testKey, "DELETE", 200, ""},
	} {
		t.Run(sc.name, func(t *testing.T) {
			e.t = t
			before := e.itemsState()
			status, _, body := e.do(sc.method, sc.path, sc.body, "Authorization", sc.header, "X-HTTP-Method-Override", sc.override)
			if status != sc.status {
				t.Fatalf("status %d, want %d\n%s", status, sc.status, clip(body))
			}
			if sc.detail != "" && !strings.Contains(decode[map[string]string](t, body)["detail"], sc.detail) {
				t.Errorf("detail lacks %q: %s", sc.detail, clip(body))
			}
			if e.itemsState() != before || e.itemsCount("title = 'override'") != 0 {
				t.Errorf("the overridden request changed items")
			}
		})
	}
}

// authReadOnlySetting: READ_ONLY=true refuses every write route before
// authentication, for every kind of user and even with DISABLE_AUTH (fix of
// quirk Q4); reads, reload and read-only SQL still work.
func authReadOnlySetting(t *testing.T, e *authEnv, disabled bool) {
	e.t = t
	e.fake.AllowUserToken("ro-token-user")
	headers := []string{
		"Bearer " + testKey,
		"JWT " + mintJWT(t, jwtUser{project: authProject, owner: true, admin: true}),
		"Token ro-token-user",
	}
	if disabled {
		headers = append(headers, "")
	}
	if disabled {
		_, h, _ := e.do("GET", "/api/", "", "Authorization", "")
		if w := h.Get("X-Application-Warning"); !strings.Contains(w, "READ_ONLY=true refuses changes") {
			t.Errorf("GET /api/ warning with READ_ONLY: %q", w)
		}
	}
	before := e.itemsState()
	for _, h := range headers {
		for _, rt := range authRoutes {
			path := strings.ReplaceAll(rt.path, "{pk}", fmt.Sprint(e.nextPK))
			status, _, body := e.do(rt.method, path, rt.body, "Authorization", h)
			if rt.group == gWrite || rt.group == gDelete {
				if status != http.StatusForbidden || !strings.Contains(decode[map[string]string](t, body)["detail"], "READ_ONLY=true") {
					t.Errorf("%s %s as %.10q: %d %s, want 403 naming READ_ONLY", rt.method, path, h, status, clip(body))
				}
				continue
			}
			if status != rt.ok {
				t.Errorf("%s %s as %.10q: %d %s, want %d", rt.method, path, h, status, clip(body), rt.ok)
			}
		}
		// SQL runs read-only: even an admin's admin-mode INSERT writes nothing
		status, _, body := e.do("POST", "/api/sql/", `{"query": "INSERT INTO items (title, quantity) VALUES ('sql under read only', 1)", "admin": true}`, "Authorization", h)
		if status != http.StatusBadRequest {
			t.Errorf("SQL INSERT as %.10q: %d %s, want 400", h, status, clip(body))
		}
	}
	if e.itemsState() != before || e.itemsCount("title LIKE 'sql under%'") != 0 {
		t.Errorf("READ_ONLY=true let a write through")
	}
}

// authDisableAuth: DISABLE_AUTH allows requests without credentials and
// GET /api/ warns about it.
func authDisableAuth(t *testing.T, plain, e *authEnv) {
	e.t = t
	_, h, body := e.do("GET", "/api/", "", "Authorization", "")
	if w := h.Get("X-Application-Warning"); !strings.Contains(w, "DISABLE_AUTH is on") || !strings.Contains(w, "change") || strings.Contains(body, "warning") {
		t.Errorf("GET /api/ does not warn in its header (or keeps a body key upstream lacks): %q %s", w, body)
	}
	for _, h := range []string{"", "garbage", "Bearer wrong-bearer-key-42", "JWT " + mintJWT(t, jwtUser{project: "other", key: otherJWTKey()})} {
		if status, _, body := e.do("GET", "/api/models/items/7/", "", "Authorization", h); status != 200 {
			t.Errorf("read as %.10q: %d %s", h, status, clip(body))
		}
	}
	if status, _, body := e.do("POST", "/api/models/items/", `{"title": "no auth needed"}`, "Authorization", ""); status != 201 {
		t.Errorf("create: %d %s", status, clip(body))
	}
	if e.itemsCount("title = 'no auth needed'") != 1 {
		t.Errorf("the create did not write")
	}
	// the same request to the server with auth is refused
	plain.t = t
	if status, _, _ := plain.do("POST", "/api/models/items/", `{"title": "no auth needed"}`, "Authorization", ""); status != 403 {
		t.Errorf("create without DISABLE_AUTH: %d", status)
	}
}

// authReadOnlyUserSQL: a read_only JWT user's SQL never writes, with or
// without admin mode and the admin claim (fix of quirk Q5); an owner with
// the admin claim can (so the check can fail).
func authReadOnlyUserSQL(t *testing.T, e *authEnv) {
	e.t = t
	engine := e.engine
	insert := "INSERT INTO items (title, quantity) VALUES ('sql by read-only', 1)"
	queries := []string{
		insert,
		"SELECT 1; " + insert,
		"/* SELECT */ " + insert,
	}
	if engine == config.EnginePostgres {
		queries = append(queries, "WITH x AS ("+insert+" RETURNING id) SELECT id FROM x")
	}
	for _, adminClaim := range []bool{false, true} {
		h := "JWT " + mintJWT(t, jwtUser{project: authProject, readOnly: true, admin: adminClaim})
		for _, q := range queries {
			for _, adminMode := range []bool{false, true} {
				body := fmt.Sprintf(`{"query": %q, "admin": %v}`, q, adminMode)
				status, _, resp := e.do("POST", "/api/sql/", body, "Authorization", h)
				if status != http.StatusBadRequest {
					t.Errorf("claim admin=%v, admin=%v, %q: %d %s, want 400", adminClaim, adminMode, q, status, clip(resp))
				}
				if adminMode && !adminClaim && !strings.Contains(resp, "admin access missing") {
					t.Errorf("admin mode without the claim: %s", clip(resp))
				}
			}
		}
		if status, _, resp := e.do("POST", "/api/sql/", `{"query": "SELECT COUNT(*) AS n FROM items"}`, "Authorization", h); status != 200 || !strings.Contains(resp, `"data":[[`) {
			t.Errorf("read-only user's SELECT: %d %s", status, clip(resp))
		}
	}
	if n := e.itemsCount("title = 'sql by read-only'"); n != 0 {
		t.Fatalf("a read-only user's SQL wrote %d rows", n)
	}
	owner := "JWT " + mintJWT(t, jwtUser{project: authProject, owner: true, admin: true})
	body := fmt.Sprintf(`{"query": %q, "admin": true}`, insert)
	if status, _, resp := e.do("POST", "/api/sql/", body, "Authorization", owner); status != 200 {
		t.Errorf("admin owner's INSERT: %d %s", status, clip(resp))
	}
	if n := e.itemsCount("title = 'sql by read-only'"); n != 1 {
		t.Errorf("admin owner's INSERT wrote %d rows, want 1", n)
	}
}

// TestAuthDefaultJetAdminKey: without JWT_VERIFY_KEY the bridge verifies
// with Jet Admin's key, so a token signed by another key is refused with a
// hint to set JWT_VERIFY_KEY.
func TestAuthDefaultJetAdminKey(t *testing.T) {
	e := newAuthEnv(t, config.EngineSQLite, false, func(s *config.Settings) { s.JWTVerifyKey = "" })
	tok := mintJWT(t, jwtUser{project: authProject, owner: true})
	status, _, body := e.do("GET", "/api/models/items/", "", "Authorization", "JWT "+tok)
	if status != http.StatusForbidden {
		t.Fatalf("status %d, want 403\n%s", status, clip(body))
	}
	if d := decode[map[string]string](t, body)["detail"]; !strings.Contains(d, "set JWT_VERIFY_KEY to your Jet Admin public key") {
		t.Errorf("detail %q lacks the JWT_VERIFY_KEY hint", d)
	}
	if strings.Contains(body, tok) || strings.Contains(body, strings.Split(tok, ".")[2]) {
		t.Errorf("body echoes the token")
	}
}

// TestAuthTokenCacheOverHTTP: identical Token requests, concurrent and then
// sequential, make at most two project_auth calls, with the form of §4.4.
func TestAuthTokenCacheOverHTTP(t *testing.T) {
	e := newAuthEnv(t, config.EngineSQLite, false, nil)
	const tok = "cache-user-token-0001"
	e.fake.AllowUserToken(tok, "model:items:r")
	e.fake.SetDelay(50 * time.Millisecond) // let the concurrent ones meet
	statuses := make(chan int, 30)
	var wg sync.WaitGroup
	for range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses <- rawStatus(e.ts.URL+"/api/models/items/7/", "Token "+tok)
		}()
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != 200 {
			t.Errorf("a concurrent request got %d", s)
		}
	}
	e.fake.SetDelay(0)
	for range 30 {
		if s := rawStatus(e.ts.URL+"/api/models/items/7/", "Token "+tok); s != 200 {
			t.Fatalf("a sequential request got %d", s)
		}
	}
	if n := e.fake.Calls("/project_auth/"); n < 1 || n > 2 {
		t.Errorf("60 identical requests made %d project_auth calls, want 1-2", n)
	}
	r, _ := e.fake.LastRequest("/project_auth/")
	want := map[string]string{"project_token": authProjectToken, "token": tok, "permission_type": "model", "permission_object": "items", "permission_actions": "r"}
	for k, v := range want {
		if got := r.Form.Get(k); got != v {
			t.Errorf("project_auth form %s = %q, want %q", k, got, v)
		}
	}
	// the project_child parameter reaches project_auth
	e.fake.AllowUserToken("child-user-token")
	if s := rawStatus(e.ts.URL+"/api/models/items/7/", "Token child-user-token;project_child=kid-project"); s != 200 {
		t.Fatalf("token with project_child got %d", s)
	}
	if r, _ := e.fake.LastRequest("/project_auth/"); r.Form.Get("project_child") != "kid-project" || r.Form.Get("token") != "child-user-token" {
		t.Errorf("project_auth form %v lacks project_child", r.Form)
	}
	// another permission is another question; a denial is remembered too
	calls := e.fake.Calls("/project_auth/")
	for range 5 {
		if s := rawStatus(e.ts.URL+"/api/model_descriptions/", "Token unknown-user-token"); s != 403 {
			t.Fatalf("unknown token got %d", s)
		}
	}
	if n := e.fake.Calls("/project_auth/") - calls; n != 1 {
		t.Errorf("5 identical denied requests made %d calls, want 1", n)
	}
}

// rawStatus sends a GET without the test's helpers (safe in goroutines).
func rawStatus(url, authorization string) int {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return -1
	}
	req.Header.Set("Authorization", authorization)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return -1
	}
	resp.Body.Close()
	return resp.StatusCode
}

// BenchmarkRetrieveAuth: GET /api/models/items/{pk}/ through the handler
// (no network) with a warm JWT, a warm Token and Bearer; compare the
// sub-benchmarks' ns/op as jwt/bearer and token/bearer.
func BenchmarkRetrieveAuth(b *testing.B) {
	dbcfg := testdb.Config(b, config.EngineSQLite)
	ctx := context.Background()
	d, err := db.Open(ctx, dbcfg)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	testdb.LoadTypes(b, d)
	fake := jetadmintest.New(b)
	fake.AllowUserToken("bench-user-token")
	s := config.Defaults()
	s.Database = dbcfg
	s.BearerAuthKey = testKey
	s.Project = authProject
	s.Token = authProjectToken
	s.JWTVerifyKey = publicKeyPEM(b, bridgeJWTKey())
	s.APIBaseURL = fake.URL
	srv, err := New(Options{Settings: s})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	if err := srv.Connect(ctx); err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	member := mintJWT(b, jwtUser{project: authProject, perms: []jwtPerm{
		{"model", "res1.customers", "rw", auth.TokenHash(authProjectToken)},
		{"model", "res1.orders", "rw", auth.TokenHash(authProjectToken)},
		{"model", "res1.items", "r", auth.TokenHash(authProjectToken)},
		{"project", "project_settings", "", ""},
	}})
	for _, bc := range []struct{ name, header string }{
		{"bearer", "Bearer " + testKey},
		{"jwt", "JWT " + member},
		{"token", "Token bench-user-token"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/api/models/items/7/", nil)
			req.Header.Set("Authorization", bc.header)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req) // warms the caches
			if w.Code != 200 {
				b.Fatalf("status %d: %s", w.Code, w.Body)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}
