package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"time"
)

// The GraphQL targets of issue 14: a 25-row page of track with allAttrs,
// count and hasMore against the REST list of the same page (same bridge,
// same run, alternating), the statements of a 25-artist page with an album
// count and a track count lookup, and the first GraphQL request on the
// 2,000-table schema.
const (
	targetGraphQLRatio   = 0.8
	targetLookupQueries  = 3
	targetGraphQLFirst   = time.Second
	targetGraphQLRSS     = 100 << 20
	graphqlScenarioName  = "graphql"
	graphqlTrackQuery    = `query { track(pagination: {limit: 25, offset: 0}) { data { allAttrs } pagination { count hasMore } } }`
	graphqlArtistLookups = `query { artist(pagination: {limit: 25}, sort: [{artist_id: {}}], lookups: [{album__artist_id__to__artist_id: {aggregate: {func: Count}}}, {album__artist_id__to__artist_id: {relation: {track__album_id__to__album_id: {aggregate: {func: Count}}}}}]) { data { attrs { name } lookups } } }`
)

// graphqlResult is what the GraphQL phase measured.
type graphqlResult struct {
	Rows          []*row // Bridge = GraphQL, Base = REST list of the same page
	LookupQueries int    // statements of the 25-artist lookup page (-1: not measured)
	TrackQueries  int    // statements of the 25-row track page
	FirstEngine   string
	First         time.Duration // first GraphQL request on the 2,000-table schema
	FirstRSS      int64         // bridge VmRSS after it
	Introspect    time.Duration // then __type(name: "Query"): every table's root field and arguments
	IntrospectRSS int64
}

func gqlBody(q string) []byte {
	b, _ := json.Marshal(map[string]string{"query": q})
	return b
}

// graphqlScenarios returns the GraphQL track page and the REST list it is
// compared with.
func graphqlScenarios() (gql, rest scenario) {
	body := gqlBody(graphqlTrackQuery)
	gql = scenario{Name: graphqlScenarioName, Title: "GraphQL track page (25, allAttrs, count, hasMore) vs REST list",
		Method: "POST", Status: 200, Path: fixed("/api/graphql/"), Body: func(int, int) []byte { return body }}
	rest = scenario{Name: graphqlScenarioName + "-rest", Title: "REST list track ?_per_page=25",
		Method: "GET", Status: 200, Path: fixed("/api/models/track/?_per_page=25")}
	return gql, rest
}

func (h *harness) graphqlSelected() bool {
	return h.opts.only == nil || h.opts.only.MatchString(graphqlScenarioName)
}

// graphqlStatements counts the statements the bridge behind the capture
// proxy runs for query (its second execution; the first warms caches).
func (h *harness) graphqlStatements(ctx context.Context, client *http.Client, addr string, capt *capture, query string) ([]string, error) {
	var stmts []string
	for i := 0; i < 2; i++ {
		if i == 1 {
			capt.start()
		}
		status, body, err := do(ctx, client, http.MethodPost, "http://"+addr+"/api/graphql/", h.key, gqlBody(query))
		got := capt.stop()
		if err != nil || status != 200 || bytes.Contains(body, []byte(`"errors"`)) {
			return nil, fmt.Errorf("status %d, %v: %.300s", status, err, body)
		}
		stmts = got
	}
	return stmts, nil
}

// graphqlCapture records the statement counts (bridge with one connection
// behind the capture proxy).
func (h *harness) graphqlCapture(ctx context.Context, client *http.Client, addr string, capt *capture) {
	h.rep.GraphQL.LookupQueries, h.rep.GraphQL.TrackQueries = -1, -1
	for _, c := range []struct {
		q   string
		dst *int
	}{{graphqlArtistLookups, &h.rep.GraphQL.LookupQueries}, {graphqlTrackQuery, &h.rep.GraphQL.TrackQueries}} {
		stmts, err := h.graphqlStatements(ctx, client, addr, capt, c.q)
		if err != nil {
			h.rep.fail("graphql statement count: %v", err)
			continue
		}
		*c.dst = len(stmts)
		if h.opts.verbose {
			logf("SQL of GraphQL %.60s...:", c.q)
			for _, s := range stmts {
				logf("    %s", s)
			}
		}
	}
	logf("graphql: 25 artists with album and track count lookups: %d statements; track page: %d statements",
		h.rep.GraphQL.LookupQueries, h.rep.GraphQL.TrackQueries)
}

// graphqlCompare checks that the GraphQL page holds the REST page's rows
// (same JSON values, same order) and a consistent count and hasMore.
func (h *harness) graphqlCompare(ctx context.Context, client *http.Client, addr string) error {
	gql, rest := graphqlScenarios()
	st, rb, err := h.send(ctx, client, addr, rest, 0, 0)
	if err != nil || st != 200 {
		return fmt.Errorf("REST: status %d, %v: %.300s", st, err, rb)
	}
	st, gb, err := h.send(ctx, client, addr, gql, 0, 0)
	if err != nil || st != 200 {
		return fmt.Errorf("GraphQL: status %d, %v: %.300s", st, err, gb)
	}
	var r struct {
		Count   json.Number      `json:"count"`
		Results []map[string]any `json:"results"`
	}
	var g struct {
		Data struct {
			Track struct {
				Data []struct {
					AllAttrs map[string]any `json:"allAttrs"`
				} `json:"data"`
				Pagination struct {
					Count   json.Number `json:"count"`
					HasMore *bool       `json:"hasMore"`
				} `json:"pagination"`
			} `json:"track"`
		} `json:"data"`
		Errors json.RawMessage `json:"errors"`
	}
	dec := func(b []byte, v any) error {
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		return d.Decode(v)
	}
	if err := dec(rb, &r); err != nil {
		return fmt.Errorf("REST answer: %w: %.200s", err, rb)
	}
	if err := dec(gb, &g); err != nil || g.Errors != nil {
		return fmt.Errorf("GraphQL answer: %v: %.300s", err, gb)
	}
	t := g.Data.Track
	if len(r.Results) != 25 || len(t.Data) != len(r.Results) {
		return fmt.Errorf("%d GraphQL rows, %d REST rows (want 25)", len(t.Data), len(r.Results))
	}
	for i := range r.Results {
		if !reflect.DeepEqual(t.Data[i].AllAttrs, r.Results[i]) {
			a, _ := json.Marshal(t.Data[i].AllAttrs)
			b, _ := json.Marshal(r.Results[i])
			return fmt.Errorf("row %d differs:\n  graphql: %.300s\n  rest:    %.300s", i, a, b)
		}
	}
	if t.Pagination.Count != r.Count || t.Pagination.HasMore == nil || !*t.Pagination.HasMore {
		return fmt.Errorf("GraphQL pagination count %s hasMore %v, REST count %s", t.Pagination.Count, t.Pagination.HasMore, r.Count)
	}
	if h.opts.verbose {
		logf("graphql: the track page equals the REST page (25 rows, count %s)", r.Count)
	}
	return nil
}

// graphqlMeasure drives the GraphQL page and the REST list on the same
// bridge, alternating their order from round to round.
func (h *harness) graphqlMeasure(ctx context.Context, bridge *proc) error {
	gql, rest := graphqlScenarios()
	for _, s := range []scenario{gql, rest} {
		r := runLoad(ctx, bridge.addr, 8, h.opts.warmup, s.rawRequest(bridge.addr, h.key), s.Status)
		if r.Errors > 0 && r.Requests == 0 {
			return fmt.Errorf("%s warm-up failed: %s", s.Name, r.FirstErr)
		}
	}
	rounds := max(h.opts.rounds, 2) // both orders at least once
	for _, n := range h.opts.conns {
		x := &row{Engine: "postgresql", Scenario: gql, Conns: n}
		h.rep.GraphQL.Rows = append(h.rep.GraphQL.Rows, x)
		for round := 0; round < rounds; round++ {
			order := []scenario{gql, rest}
			if round%2 == 1 {
				order = []scenario{rest, gql}
			}
			for _, s := range order {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				cpu0 := bridge.cpuTime()
				res := runLoad(ctx, bridge.addr, n, h.opts.duration, s.rawRequest(bridge.addr, h.key), s.Status)
				res.CPU = bridge.cpuTime() - cpu0
				sd := &x.Bridge
				if s.Name != gql.Name {
					sd = &x.Base
				}
				sd.add(res)
				rss, _ := bridge.memory()
				x.RSS = max(x.RSS, rss)
			}
		}
		for _, sd := range []struct {
			who string
			s   *side
		}{{"GraphQL", &x.Bridge}, {"REST", &x.Base}} {
			if sd.s.Errors > 0 {
				h.rep.fail("graphql at %d connections: %d failed %s requests, first: %s", n, sd.s.Errors, sd.who, sd.s.FirstErr)
			}
		}
		logf("graphql  c=%-3d GraphQL %7.0f req/s p99 %7s | REST %7.0f req/s p99 %7s | ratio %s", n,
			x.Bridge.rps(), fmtDur(x.Bridge.q(0.99)), x.Base.rps(), fmtDur(x.Base.q(0.99)), ratio(x.Bridge.rps(), x.Base.rps()))
	}
	return nil
}

// graphqlFirst times the first GraphQL request of a freshly started bridge
// on the 2,000-table schema (which builds the GraphQL schema) and reads the
// bridge's RSS after it.
func (h *harness) graphqlFirst(ctx context.Context, engine string, bridge *proc) error {
	client := &http.Client{Timeout: time.Minute}
	q := `query { t0002(pagination: {limit: 1, offset: 0}) { data { allAttrs } pagination { count hasMore } } }`
	t0 := time.Now()
	status, body, err := do(ctx, client, http.MethodPost, "http://"+bridge.addr+"/api/graphql/", h.key, gqlBody(q))
	el := time.Since(t0)
	if err != nil || status != 200 || bytes.Contains(body, []byte(`"errors"`)) {
		return fmt.Errorf("first GraphQL request on %s: status %d, %v: %.300s", engine, status, err, body)
	}
	rss, _ := bridge.memory()
	h.rep.GraphQL.FirstEngine, h.rep.GraphQL.First, h.rep.GraphQL.FirstRSS = engine, el, rss
	logf("%s: first GraphQL request on %d tables answered in %s, bridge RSS %s", engine, reflectTables, fmtDur(el), mb(rss))
	// the introspection of the Query type: one field per table, with its
	// arguments (what a schema explorer lists first)
	t0 = time.Now()
	status, body, err = do(ctx, client, http.MethodPost, "http://"+bridge.addr+"/api/graphql/", h.key,
		gqlBody(`{ __type(name: "Query") { fields { name args { name type { name } } } } }`))
	el = time.Since(t0)
	if err != nil || status != 200 || !bytes.Contains(body, []byte(fmt.Sprintf(`"t%04d"`, reflectTables))) {
		return fmt.Errorf("GraphQL introspection on %s: status %d, %v: %.300s", engine, status, err, body)
	}
	rss, _ = bridge.memory()
	h.rep.GraphQL.Introspect, h.rep.GraphQL.IntrospectRSS = el, rss
	logf("%s: then __type(name: \"Query\") with every field and argument (%d bytes) in %s, bridge RSS %s", engine, len(body), fmtDur(el), mb(rss))
	return nil
}

// graphqlTable renders the GraphQL/REST rows.
func (r *report) graphqlTable(md bool) string {
	if len(r.GraphQL.Rows) == 0 {
		return ""
	}
	head := []string{"conns", "GraphQL req/s", "p50", "p99", "CPU/req", "REST req/s", "p50", "p99", "CPU/req", "GraphQL/REST", "RSS"}
	var out [][]string
	for _, x := range r.GraphQL.Rows {
		g, s := &x.Bridge, &x.Base
		out = append(out, []string{strconv.Itoa(x.Conns), fmt.Sprintf("%.0f", g.rps()), fmtDur(g.q(0.5)), fmtDur(g.q(0.99)), fmtCPU(g.cpuPerReq()),
			fmt.Sprintf("%.0f", s.rps()), fmtDur(s.q(0.5)), fmtDur(s.q(0.99)), fmtCPU(s.cpuPerReq()), ratio(g.rps(), s.rps()), mb(x.RSS)})
	}
	return renderTable(head, out, md)
}

// graphqlChecks evaluates the targets of issue 14.
func (r *report) graphqlChecks() []string {
	var out []string
	mark := func(ok bool) string {
		if ok {
			return "met"
		}
		return "MISSED"
	}
	g := &r.GraphQL
	if len(g.Rows) > 0 {
		var worst *row
		var parts string
		for _, x := range g.Rows {
			if worst == nil || x.Bridge.rps()/x.Base.rps() < worst.Bridge.rps()/worst.Base.rps() {
				worst = x
			}
			parts += fmt.Sprintf(" %d conns %s;", x.Conns, ratio(x.Bridge.rps(), x.Base.rps()))
		}
		t := worst.Bridge.rps() / worst.Base.rps()
		out = append(out, fmt.Sprintf("GraphQL track page >= %.1fx the REST list's throughput: %s (lowest %.3fx at %d conns;%s upstream 0.46x)",
			targetGraphQLRatio, mark(t >= targetGraphQLRatio), t, worst.Conns, parts))
	}
	if g.LookupQueries >= 0 && (len(g.Rows) > 0 || g.LookupQueries > 0) {
		out = append(out, fmt.Sprintf("25 artists with album and track count lookups <= %d statements: %s (%d statements; the track page %d)",
			targetLookupQueries, mark(g.LookupQueries > 0 && g.LookupQueries <= targetLookupQueries), g.LookupQueries, g.TrackQueries))
	}
	if g.First > 0 {
		out = append(out, fmt.Sprintf("first GraphQL request on %d tables < 1 s with RSS < 100 MB (%s): %s (%s, RSS %s)",
			reflectTables, g.FirstEngine, mark(g.First < targetGraphQLFirst && g.FirstRSS < targetGraphQLRSS), fmtDur(g.First), mb(g.FirstRSS)))
	}
	if g.Introspect > 0 {
		out = append(out, fmt.Sprintf("  then __type(name: \"Query\") with all %d root fields and their arguments: %s, RSS %s (%s against the same limits)",
			reflectTables, fmtDur(g.Introspect), mb(g.IntrospectRSS), mark(g.Introspect < targetGraphQLFirst && g.IntrospectRSS < targetGraphQLRSS)))
	}
	return out
}
