package server

import (
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
)

// Issue 16 item 8: out-of-range integers and other mistakes get a 4xx that
// names the column and the problem, never a driver's internals.
func TestClientMistakeMessages(t *testing.T) {
	engines(t, func(t *testing.T, engine config.Engine) {
		e := newEnv(t, engine, nil)
		driver := []string{"encode", "OID", "args[", "Go value", "map[string]interface"}
		huge := "99999999999999999999" // beyond int64: out of range on every engine
		scenarios := []scenario{
			{name: "filter out of range", method: "GET", path: "/api/models/items/?quantity=" + huge, status: 400,
				has: []string{`"non_field_errors":["quantity: out of range: `}, hasNot: driver},
			{name: "filter bound out of range", method: "GET", path: "/api/models/items/?quantity__gt=" + huge, status: 400,
				has: []string{`quantity: out of range`}, hasNot: driver},
			{name: "filter not a number on an integer", method: "GET", path: "/api/models/items/?quantity=abc", status: 400,
				has: []string{`"non_field_errors":["quantity: not a valid integer"]`, `"quantity":["not a valid integer"]`}},
			{name: "pk not an integer", method: "GET", path: "/api/models/items/abc/", status: 400,
				has: []string{`"non_field_errors":["id: not a valid integer"]`, `"id":["not a valid integer"]`}},
			{name: "pk out of range", method: "GET", path: "/api/models/items/" + huge + "/", status: 404, hasNot: driver},
			{name: "patch pk out of range", method: "PATCH", path: "/api/models/items/" + huge + "/", body: `{"quantity": 1}`, status: 404, hasNot: driver},
			{name: "write out of range", method: "PATCH", path: "/api/models/items/1/", body: `{"quantity": ` + huge + `}`, status: 400,
				has: []string{`"quantity":["out of range: `, `"quantity: out of range: `}, hasNot: driver},
			{name: "array body", method: "POST", path: "/api/models/items/", body: `[{"title": "x"}]`, status: 400,
				has: []string{`Incorrect JSON body: expected an object like {\"column\": value}, got an array`}, hasNot: driver},
			{name: "typo in SQL", method: "POST", path: "/api/sql/", body: `{"query": "SELEC 1"}`, status: 400,
				has: []string{`\"SELEC\" is not a statement a read-only query may start with`}},
		}
		if engine != config.EngineSQLite { // INTEGER is 32 bits there
			scenarios = append(scenarios,
				scenario{name: "int4 filter", method: "GET", path: "/api/models/items/?quantity=2147483648", status: 400,
					has: []string{`quantity: out of range: INTEGER holds integers from -2147483648 to 2147483647`}, hasNot: driver},
				scenario{name: "int4 write", method: "PATCH", path: "/api/models/items/1/", body: `{"quantity": 2147483648}`, status: 400,
					has: []string{`"quantity":["out of range: INTEGER holds integers from -2147483648 to 2147483647"]`}, hasNot: driver},
				scenario{name: "int4 pk", method: "GET", path: "/api/models/items/2147483648/", status: 404, hasNot: driver},
				scenario{name: "int4 max still a lookup", method: "GET", path: "/api/models/items/2147483647/", status: 404,
					check: func(t *testing.T, _ *env, body string) {
						if strings.Contains(body, "out of range") {
							t.Errorf("the largest int4 is in range: %s", body)
						}
					}},
			)
		}
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) { sc.run(t, e) })
		}
	})
}
