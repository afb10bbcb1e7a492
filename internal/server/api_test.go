package server

import (
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
)

// scenario is one request and what its answer must hold.
type scenario struct {
	name    string
	method  string
	path    string
	body    string
	headers []string // name, value pairs; value "" removes the header
	status  int
	has     []string // fragments the body must contain
	hasNot  []string // fragments it must not contain
	check   func(t *testing.T, e *env, body string)
}

func (sc scenario) run(t *testing.T, e *env) {
	t.Helper()
	status, _, body := e.do(sc.method, sc.path, sc.body, sc.headers...)
	if status != sc.status {
		t.Fatalf("%s %s: status %d, want %d\n%s", sc.method, sc.path, status, sc.status, clip(body))
	}
	for _, f := range sc.has {
		if !strings.Contains(body, f) {
			t.Errorf("%s %s: body lacks %q\n%s", sc.method, sc.path, f, clip(body))
		}
	}
	for _, f := range sc.hasNot {
		if strings.Contains(body, f) {
			t.Errorf("%s %s: body has %q\n%s", sc.method, sc.path, f, clip(body))
		}
	}
	if sc.check != nil {
		sc.check(t, e, body)
	}
}

func clip(s string) string {
	if len(s) > 1500 {
		return s[:1500] + "..."
	}
	return s
}

func TestAPIScenarios(t *testing.T) {
	engines(t, func(t *testing.T, engine config.Engine) {
		e := newEnv(t, engine, nil)
		for _, sc := range []scenario{
			{name: "root redirects", method: "GET", path: "/?a=1", status: 302, check: func(t *testing.T, e *env, _ string) {
				_, h, _ := e.do("GET", "/?a=1", "")
				if h.Get("Location") != "/api/?a=1" {
					t.Errorf("Location %q", h.Get("Location"))
				}
			}},
			{name: "api info open", method: "GET", path: "/api/", headers: []string{"Authorization", ""}, status: 200,
				has: []string{`"version":"1.13.1"`, `"type":"jet_bridge"`, `"media_url_template":"http://127.0.0.1`}, hasNot: []string{`"database"`, "jetbridge_version"},
				check: func(t *testing.T, e *env, _ string) {
					// upstream's four keys in the body; jetbridge's own facts in headers
					_, h, _ := e.do("GET", "/api/", "", "Authorization", "")
					if h.Get("X-Jetbridge-Version") == "" || h.Get("X-Jetbridge-Database") != "connected" {
						t.Errorf("GET /api/ headers: %v", h)
					}
				}},
			{name: "descriptions need auth", method: "GET", path: "/api/model_descriptions/", headers: []string{"Authorization", ""}, status: 403,
				has: []string{`"detail"`, "no credentials"}},
			{name: "wrong bearer", method: "GET", path: "/api/models/items/", headers: []string{"Authorization", "Bearer nope"}, status: 403,
				has: []string{`"detail"`}, hasNot: []string{"nope", testKey}},
			{name: "descriptions", method: "GET", path: "/api/model_descriptions/", status: 200,
				has:    []string{`"model":"items"`, `"model":"OrderItems"`, `"model":"active_items"`, `"is_view":true`, `"primary_key_auto":true`},
				hasNot: []string{"__jet__token"}},
			{name: "unknown model", method: "GET", path: "/api/models/nope/", status: 404, has: []string{`"detail"`, "nope"}},
			{name: "unknown model denied first", method: "GET", path: "/api/models/nope/", headers: []string{"Authorization", ""}, status: 403},
			{name: "unknown route", method: "GET", path: "/api/nothing/", status: 404, has: []string{`"detail"`}},
			{name: "missing slash", method: "GET", path: "/api/models/items", status: 404, has: []string{"slash"}},
			{name: "method not served", method: "POST", path: "/api/models/items/1/", status: 404},
			{name: "options preflight", method: "OPTIONS", path: "/api/models/items/", headers: []string{"Authorization", ""}, status: 204,
				check: func(t *testing.T, e *env, _ string) {
					_, h, _ := e.do("OPTIONS", "/api/models/items/", "", "Authorization", "")
					if h.Get("Access-Control-Allow-Methods") != corsMethods || h.Get("Access-Control-Allow-Headers") != corsHeaders {
						t.Errorf("CORS headers %v", h)
					}
				}},
			{name: "list first page", method: "GET", path: "/api/models/items/?_per_page=5", status: 200,
				has: []string{`{"count":30,"next":"http://127.0.0.1`, `_per_page=5&page=2"`, `"previous":null`, `"num_pages":6`, `"per_page":5`, `"has_more":true`, `"data_query_time":`},
				check: func(t *testing.T, e *env, body string) {
					v := decode[struct {
						Results []map[string]any `json:"results"`
					}](t, body)
					if len(v.Results) != 5 || v.Results[0]["id"].(interface{ String() string }).String() != "30" {
						t.Errorf("default order must be pk desc, got %v", v.Results[0]["id"])
					}
				}},
			{name: "list page 2 previous", method: "GET", path: "/api/models/items/?page=2&_per_page=5", status: 200,
				has: []string{`"previous":"http://127.0.0.1`, `/api/models/items/?_per_page=5"`, `page=3"`}},
			{name: "list last page", method: "GET", path: "/api/models/items/?page=6&_per_page=5", status: 200,
				has: []string{`"next":"`, `"has_more":true`}}, // full last page: has_more (spec §9.1)
			{name: "list beyond", method: "GET", path: "/api/models/items/?page=7&_per_page=5", status: 200,
				has: []string{`"results":[]`, `"next":null`, `"has_more":false`}},
			{name: "no pagination", method: "GET", path: "/api/models/items/?_no_pagination=1", status: 200,
				check: func(t *testing.T, e *env, body string) {
					if rows := decode[[]map[string]any](t, body); len(rows) != 30 {
						t.Errorf("rows %d", len(rows))
					}
				}},
			{name: "order by title asc", method: "GET", path: "/api/models/items/?_order_by=title&_per_page=1", status: 200,
				has: []string{`"title":"Crème brûlée set"`}},
			{name: "order unknown column", method: "GET", path: "/api/models/items/?_order_by=nope", status: 400, has: []string{"nope"}},
			{name: "retrieve", method: "GET", path: "/api/models/items/1/", status: 200,
				has: []string{`"id":1,"title":"Zoë's lamp"`, `"quantity":10`, `"price":"19.99"`, `"active":true`, `"released_on":"2024-01-15"`}},
			{name: "retrieve missing", method: "GET", path: "/api/models/items/999/", status: 404, has: []string{`"detail"`}},
			{name: "retrieve bad pk", method: "GET", path: "/api/models/items/abc/", status: 400},
			{name: "retrieve ignores filters", method: "GET", path: "/api/models/items/1/?title=nothing", status: 200, has: []string{`"id":1`}},
			{name: "create", method: "POST", path: "/api/models/items/", body: `{"title": "Nouveau 東京", "quantity": 3, "price": "2.50", "active": true, "released_on": "2024-06-01", "bogus": 1}`, status: 201,
				has: []string{`"title":"Nouveau 東京"`, `"quantity":3`, `"price":"2.50"`, `"released_on":"2024-06-01"`, `"active":true`}, hasNot: []string{"bogus"}},
			{name: "create missing required", method: "POST", path: "/api/models/items/", body: `{"quantity": 3}`, status: 400,
				has: []string{`"title":["this field is required"]`, `"non_field_errors":["title: this field is required"]`}},
			{name: "create wrong type", method: "POST", path: "/api/models/items/", body: `{"title": "x", "quantity": "many"}`, status: 400,
				has: []string{`"quantity":["not a valid integer"]`}},
			{name: "create too long", method: "POST", path: "/api/models/items/", body: `{"title": "` + strings.Repeat("x", 201) + `"}`, status: 400,
				has: []string{`"title":[`}},
			{name: "create bad json", method: "POST", path: "/api/models/items/", body: `{"title": `, status: 400, has: []string{"non_field_errors", "Incorrect JSON body"}},
			{name: "create null into not null", method: "POST", path: "/api/models/items/", body: `{"title": null}`, status: 400, has: []string{`"title":[`}},
			{name: "fk violation", method: "POST", path: "/api/models/orders/", body: `{"customer_id": 999, "Order Date": "2024-01-01"}`, status: 400},
			{name: "patch", method: "PATCH", path: "/api/models/items/2/", body: `{"quantity": 77}`, status: 200,
				has: []string{`"id":2`, `"quantity":77`, `"title":"Łódź map"`}},
			{name: "patch missing", method: "PATCH", path: "/api/models/items/999/", body: `{"quantity": 1}`, status: 404},
			{name: "put requires", method: "PUT", path: "/api/models/items/2/", body: `{"quantity": 1}`, status: 400, has: []string{`"title":["this field is required"]`}},
			{name: "put", method: "PUT", path: "/api/models/items/2/", body: `{"title": "Renamed", "quantity": 1}`, status: 200, has: []string{`"title":"Renamed"`, `"quantity":1`}},
			{name: "delete restricted parent", method: "DELETE", path: "/api/models/customers/1/", status: 400, has: []string{"non_field_errors"}},
			{name: "delete", method: "DELETE", path: "/api/models/items/30/", status: 204},
			{name: "delete again", method: "DELETE", path: "/api/models/items/30/", status: 404},
			{name: "view is read-only", method: "POST", path: "/api/models/active_items/", body: `{"title": "x"}`, status: 400},
			{name: "composite key ambiguity", method: "DELETE", path: "/api/models/OrderItems/1/", status: 400, has: []string{"several rows"}},
			{name: "sql select", method: "POST", path: "/api/sql/", body: `{"query": "SELECT id, title FROM items WHERE id = :id", "v": 2, "params_obj": {"id": 1}}`, status: 200,
				has: []string{`"data":[[1,"Zoë's lamp"]]`, `"columns":["id","title"]`, `"row_count":1`}},
			{name: "sql write refused", method: "POST", path: "/api/sql/", body: `{"query": "DELETE FROM items"}`, status: 400,
				has: []string{`"query":["forbidden query: DELETE is not a read statement`}},
			{name: "sql bad query", method: "POST", path: "/api/sql/", body: `{"query": "SELECT nope FROM items"}`, status: 400,
				has: []string{`"non_field_errors"`}},
			{name: "sql needs auth", method: "POST", path: "/api/sql/", body: `{"query": "SELECT 1"}`, headers: []string{"Authorization", ""}, status: 403},
			{name: "register without token", method: "GET", path: "/api/register/", headers: []string{"Authorization", ""}, status: 400,
				has: []string{"Project token is not set"}},
			{name: "reload", method: "POST", path: "/api/reload/", status: 200, has: []string{`{"success":true}`}},
		} {
			t.Run(sc.name, func(t *testing.T) { sc.run(t, e) })
		}
	})
}

// GET /api/register/ and /register/ redirect to Jet Admin's activation page.
func TestRegisterRedirect(t *testing.T) {
	e := newEnv(t, config.EngineSQLite, func(s *config.Settings) {
		s.Token = "0b1c2d3e4f5061728394a5b6c7d8e9f0"
		s.WebBaseURL = "https://app.example.test"
	})
	for _, path := range []string{"/api/register/", "/register/"} {
		status, h, _ := e.do("GET", path+"?token=ab12", "", "Authorization", "")
		loc := h.Get("Location")
		if status != 302 || !strings.HasPrefix(loc, "http://app.example.test/builder/acme/resources/database/create/#engine=sqlite&referrer=") ||
			!strings.HasSuffix(loc, "&token=ab12") {
			t.Fatalf("%s: %d %q", path, status, loc)
		}
	}
}
