package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/auth"
	"github.com/jetbridge/jetbridge/internal/graphql"
	"github.com/jetbridge/jetbridge/internal/schema"
	"github.com/jetbridge/jetbridge/internal/store"
)

// overridesRecheck is how old a cached GraphQL schema may get before the
// stored overrides are read again (another replica may have written them).
const overridesRecheck = 3 * time.Second

// gqlState holds the relation override store and the GraphQL schemas, one
// per connection and request flags (draft, base62), built lazily.
type gqlState struct {
	mu        sync.Mutex
	store     *store.Store
	storeErr  error
	storeOpen bool
	cache     map[gqlKey]*gqlEntry
	descs     map[gqlKey]*descEntry // model descriptions with overrides
}

type gqlKey struct {
	cn            *conn
	draft, base62 bool
}

type gqlEntry struct {
	schema    *graphql.Schema
	overrides map[string][]schema.Relation
	version   int64
	checked   time.Time
}

// overrideStore opens the store on first use (in the user's database, else
// the STORE_PATH file); nil when neither works.
func (s *Server) overrideStore(ctx context.Context, cn *conn) *store.Store {
	g := &s.gql
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.storeOpen {
		g.storeOpen = true
		g.store, g.storeErr = store.Open(ctx, cn.db, s.settings.StorePath, s.log)
		if g.storeErr != nil {
			s.log.Warn("relation overrides are unavailable", "err", g.storeErr)
		}
	}
	return g.store
}

// overrides reads the stored overrides of one side (nil without a store).
func (s *Server) overrides(ctx context.Context, cn *conn, draft bool) (map[string][]schema.Relation, error) {
	st := s.overrideStore(ctx, cn)
	if st == nil {
		return nil, nil
	}
	return st.Overrides(ctx, draft)
}

// gqlSchema returns the cached schema of the flags, rebuilt after reload
// (a new conn) and when the overrides changed.
func (s *Server) gqlSchema(ctx context.Context, cn *conn, draft, base62 bool) (*graphql.Schema, error) {
	key := gqlKey{cn, draft, base62}
	st := s.overrideStore(ctx, cn)
	g := &s.gql
	var version int64
	if st != nil {
		version = st.Version()
	}
	g.mu.Lock()
	e := g.cache[key]
	fresh := e != nil && e.version == version && time.Since(e.checked) < overridesRecheck
	g.mu.Unlock()
	if fresh {
		return e.schema, nil // schema and overrides of an entry never change
	}
	ov, err := s.overrides(ctx, cn, draft)
	if err != nil {
		if e != nil { // keep serving the last schema; the store may be back soon
			s.log.Warn("relation overrides could not be read; serving the previous GraphQL schema", "err", err)
			return e.schema, nil
		}
		return nil, err
	}
	if e != nil && sameOverrides(e.overrides, ov) {
		g.mu.Lock()
		e.checked, e.version = time.Now(), version
		g.mu.Unlock()
		return e.schema, nil
	}
	ne := &gqlEntry{schema: graphql.NewSchema(cn.schema, cn.db.Dialect, base62, ov), overrides: ov, version: version, checked: time.Now()}
	g.mu.Lock()
	if g.cache == nil {
		g.cache = map[gqlKey]*gqlEntry{}
	}
	for k := range g.cache {
		if k.cn != cn {
			delete(g.cache, k) // reflected before a reload
		}
	}
	g.cache[key] = ne
	g.mu.Unlock()
	return ne.schema, nil
}

func sameOverrides(a, b map[string][]schema.Relation) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// jsonTruthy is Python truthiness of a JSON value (upstream reads the flags so).
func jsonTruthy(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case bool:
		return t
	case json.Number:
		f, err := t.Float64()
		return err != nil || f != 0
	case string:
		return t != ""
	case []any:
		return len(t) > 0
	case map[string]any:
		return len(t) > 0
	}
	return true
}

// POST /api/graphql/ (spec graphql.md): a GraphQL read of the tables. Every
// outcome of the query itself is a 200 ({"data"} or {"errors"}); a model the
// caller may not read answers 403.
func (s *Server) graphQL(c echo.Context, cn *conn) error {
	req := c.Request()
	if req.Method == http.MethodGet || req.ContentLength == 0 {
		return writeRaw(c, http.StatusOK, []byte("{}"))
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return apierr.NonField("the request body could not be read")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return writeRaw(c, http.StatusOK, []byte("{}"))
	}
	var raw any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return apierr.NonField("Incorrect JSON body: " + err.Error())
	}
	obj, ok := raw.(map[string]any)
	if !ok {
		return apierr.NonField("Incorrect JSON body: expected an object with a \"query\" string")
	}
	qv, ok := obj["query"]
	if !ok {
		return writeRaw(c, http.StatusOK, []byte("{}"))
	}
	q, ok := qv.(string)
	if !ok {
		return writeJSON(c, http.StatusOK, map[string][]string{"errors": {"The query must be a string"}})
	}
	gr := graphql.Request{Query: q, Validate: true}
	if v, ok := obj["validate"]; ok {
		gr.Validate = jsonTruthy(v)
	}
	if v, ok := obj["variables"].(map[string]any); ok {
		gr.Variables = v
	}
	if v, ok := obj["operationName"].(string); ok {
		gr.OperationName = v
	}
	draft := c.QueryParam("draft") != ""
	sch, err := s.gqlSchema(req.Context(), cn, draft, jsonTruthy(obj["base62"]))
	if err != nil {
		s.log.Warn("graphql schema", "err", err)
		return writeJSON(c, http.StatusOK, map[string][]string{"errors": {"Failed to get table schema: the relation overrides could not be read"}})
	}
	header := req.Header.Get("Authorization")
	env := graphql.Env{DB: cn.db, Loc: cn.loc, Out: cn.out, Timeout: s.settings.SQLTimeout,
		Allow: func(ctx context.Context, model string) bool {
			_, denied := s.authorizer().Authorize(ctx, header, auth.Permission{Type: auth.PermModel, Object: model, Actions: actRead})
			return denied == nil
		}}
	res := sch.Execute(req.Context(), env, gr)
	if res.Forbidden != "" {
		return apierr.Forbidden("You do not have permission to read " + res.Forbidden)
	}
	return writeRaw(c, http.StatusOK, res.Body)
}
