package conformance

import (
	"net/http"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
)

// TestJudge checks the comparison rules themselves on hand-made answers.
func TestJudge(t *testing.T) {
	jsonH := http.Header{"Content-Type": {"application/json"}}
	htmlH := http.Header{"Content-Type": {"text/html"}}
	cases := []struct {
		name     string
		engine   config.Engine
		category string
		want     golden
		got      answer
		match    bool
	}{
		{"same object, keys in another order", config.EnginePostgres, "list",
			golden{Status: 200, BodyKind: "json", Body: []byte(`{"a":1,"b":[1,2]}`)},
			answer{200, jsonH, []byte(`{"b":[1,2.0],"a":1}`)}, true},
		{"extra key", config.EnginePostgres, "list",
			golden{Status: 200, BodyKind: "json", Body: []byte(`{"a":1}`)},
			answer{200, jsonH, []byte(`{"a":1,"b":2}`)}, false},
		{"array order matters", config.EnginePostgres, "list",
			golden{Status: 200, BodyKind: "json", Body: []byte(`[1,2]`)},
			answer{200, jsonH, []byte(`[2,1]`)}, false},
		{"numeric string outside group", config.EngineMySQL, "list",
			golden{Status: 200, BodyKind: "json", Body: []byte(`{"r":"4.50"}`)},
			answer{200, jsonH, []byte(`{"r":4.5}`)}, true},
		{"numeric string inside group", config.EnginePostgres, "group",
			golden{Status: 200, BodyKind: "json", Body: []byte(`[{"y_func":0.99}]`)},
			answer{200, jsonH, []byte(`[{"y_func":"0.99"}]`)}, false},
		{"bool is not a number on PostgreSQL", config.EnginePostgres, "list",
			golden{Status: 200, BodyKind: "json", Body: []byte(`{"b":true}`)},
			answer{200, jsonH, []byte(`{"b":1}`)}, false},
		{"bool is 1 on MySQL", config.EngineMySQL, "list",
			golden{Status: 200, BodyKind: "json", Body: []byte(`{"b":true}`)},
			answer{200, jsonH, []byte(`{"b":1}`)}, true},
		{"same instant", config.EnginePostgres, "list",
			golden{Status: 200, BodyKind: "json", Body: []byte(`{"t":"2021-01-01T01:00:00+01:00"}`)},
			answer{200, jsonH, []byte(`{"t":"2021-01-01T00:00:00Z"}`)}, true},
		{"offset never equals naive", config.EngineSQLite, "list",
			golden{Status: 200, BodyKind: "json", Body: []byte(`{"t":"2021-01-01T00:00:00"}`)},
			answer{200, jsonH, []byte(`{"t":"2021-01-01T00:00:00+00:00"}`)}, false},
		{"naive wall times", config.EngineSQLite, "list",
			golden{Status: 200, BodyKind: "json", Body: []byte(`{"t":"2021-01-01T00:00:00"}`)},
			answer{200, jsonH, []byte(`{"t":"2021-01-01T00:00:00.000"}`)}, true},
		{"URL origin ignored", config.EnginePostgres, "list",
			golden{Status: 200, BodyKind: "json", Body: []byte(`{"next":"http://127.0.0.1:8888/api/models/x/?page=2"}`)},
			answer{200, jsonH, []byte(`{"next":"http://127.0.0.1:40000/api/models/x/?page=2"}`)}, true},
		{"URL path compared", config.EnginePostgres, "list",
			golden{Status: 200, BodyKind: "json", Body: []byte(`{"next":"http://h/api/models/x/?page=2"}`)},
			answer{200, jsonH, []byte(`{"next":"http://h/api/models/x/?page=3"}`)}, false},
		{"error keys must be held", config.EnginePostgres, "errors",
			golden{Status: 400, BodyKind: "json", Body: []byte(`{"non_field_errors":["x"]}`)},
			answer{400, jsonH, []byte(`{"name":["y"]}`)}, false},
		{"error texts and more keys are ours", config.EnginePostgres, "errors",
			golden{Status: 400, BodyKind: "json", Body: []byte(`{"non_field_errors":["x"]}`)},
			answer{400, jsonH, []byte(`{"non_field_errors":["better"],"name":["y"]}`)}, true},
		{"upstream crash: a 4xx JSON is better", config.EnginePostgres, "list",
			golden{Status: 500, BodyKind: "text", Body: []byte(`"<h1>Server Error (500)</h1>"`)},
			answer{400, jsonH, []byte(`{"detail":"x"}`)}, true},
		{"upstream crash: our 500 is not", config.EnginePostgres, "list",
			golden{Status: 500, BodyKind: "text", Body: []byte(`"<h1>Server Error (500)</h1>"`)},
			answer{500, jsonH, []byte(`{"detail":"x"}`)}, false},
		{"HTML 404: status must match, JSON welcome", config.EnginePostgres, "errors",
			golden{Status: 404, BodyKind: "text", Headers: map[string]string{"content-type": "text/html"}, Body: []byte(`"<h1>Not Found</h1>"`)},
			answer{404, jsonH, []byte(`{"detail":"x"}`)}, true},
		{"HTML 404 answered 200", config.EnginePostgres, "errors",
			golden{Status: 404, BodyKind: "text", Body: []byte(`"<h1>Not Found</h1>"`)},
			answer{200, htmlH, []byte(`{}`)}, false},
		{"query times are any number", config.EnginePostgres, "sql",
			golden{Status: 200, BodyKind: "json", Body: []byte(`{"data_query_time":0.1}`)},
			answer{200, jsonH, []byte(`{"data_query_time":7}`)}, true},
		{"MariaDB JSON text may come parsed", config.EngineMySQL, "list",
			golden{Status: 200, BodyKind: "json", Body: []byte(`{"p":"{\"a\": [1, 2]}"}`)},
			answer{200, jsonH, []byte(`{"p":{"a":[1,2]}}`)}, true},
		{"JSON text is not parsed on PostgreSQL", config.EnginePostgres, "list",
			golden{Status: 200, BodyKind: "json", Body: []byte(`{"p":"{\"a\": [1, 2]}"}`)},
			answer{200, jsonH, []byte(`{"p":{"a":[1,2]}}`)}, false},
		{"CORS list headers: upstream's items must be there", config.EnginePostgres, "root",
			golden{Status: 204, BodyKind: "empty", Headers: map[string]string{"access-control-expose-headers": "Content-Length,Content-Type"}},
			answer{204, http.Header{"Access-Control-Expose-Headers": {"Content-Length,Content-Type,ETag"}}, nil}, true},
		{"CORS list headers: a missing item", config.EnginePostgres, "root",
			golden{Status: 204, BodyKind: "empty", Headers: map[string]string{"access-control-expose-headers": "Content-Length,Content-Type"}},
			answer{204, http.Header{"Access-Control-Expose-Headers": {"Content-Length"}}, nil}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			j := judge{engine: c.engine, category: c.category}
			diffs := j.compare(c.want, c.got)
			if (len(diffs) == 0) != c.match {
				t.Errorf("match = %v, want %v; diffs: %v", len(diffs) == 0, c.match, diffs)
			}
		})
	}
}

// TestDeviation checks that an accepted deviation still checks our answer.
func TestDeviation(t *testing.T) {
	jsonH := http.Header{"Content-Type": {"application/json"}}
	bulk := golden{Status: 200, BodyKind: "json", Body: []byte(`[{"success":true},{"success":true}]`)}
	row := golden{Status: 404, BodyKind: "text", Body: []byte(`"<h1>Not Found</h1>"`)}
	cases := []struct {
		name  string
		dev   deviation
		want  golden
		got   answer
		match bool
	}{
		{"any 4xx JSON", deviation{}, row, answer{400, jsonH, []byte(`{"non_field_errors":["x"]}`)}, true},
		{"a 2xx is not a 4xx", deviation{}, row, answer{200, jsonH, []byte(`{}`)}, false},
		{"status and values", deviation{status: 200, has: map[string]any{"$.a[1].b": 2}}, row,
			answer{200, jsonH, []byte(`{"a":[{},{"b":2.0}]}`)}, true},
		{"a value differs", deviation{status: 200, has: map[string]any{"$.a[1].b": 2}}, row,
			answer{200, jsonH, []byte(`{"a":[{},{"b":3}]}`)}, false},
		{"a path is missing", deviation{status: 200, has: map[string]any{"$.a[2]": 2}}, row,
			answer{200, jsonH, []byte(`{"a":[{},{"b":3}]}`)}, false},
		{"patched golden", deviation{patch: map[string]any{"$[1]": map[string]any{"success": false, "errors": map[string]any{"x": []any{}}}}}, bulk,
			answer{200, jsonH, []byte(`[{"success":true},{"success":false,"errors":{"x":["bad"],"non_field_errors":["bad"]}}]`)}, true},
		{"patched golden, other items still compared", deviation{patch: map[string]any{"$[1].success": false}}, bulk,
			answer{200, jsonH, []byte(`[{"success":false},{"success":false}]`)}, false},
	}
	for _, tc := range cases {
		j := judge{engine: config.EngineSQLite, category: "write"}
		if got := tc.dev.accepts(j, tc.want, tc.got); got != tc.match {
			t.Errorf("%s: accepts %v, want %v", tc.name, got, tc.match)
		}
	}
}
