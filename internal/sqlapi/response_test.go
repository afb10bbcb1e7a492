package sqlapi

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// TestErrorBodies checks the body of every validation error path.
func TestErrorBodies(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"array body", `[1]`, `{"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}`},
		{"no query", `{}`, `{"query": ["this field is required"]}`},
		{"blank query", `{"query": "  "}`, `{"query": ["this field may not be blank"]}`},
		{"query not a string", `{"query": 5}`, `{"query": ["not a valid string"]}`},
		{"bad v", `{"query": "SELECT 1", "v": "x"}`, `{"v": ["not a valid integer"]}`},
		{"bad limit", `{"query": "SELECT 1", "limit": 1.5}`, `{"limit": ["not a valid integer"]}`},
		{"negative offset", `{"query": "SELECT 1", "offset": -1}`, `{"offset": ["ensure this value is greater than or equal to 0"]}`},
		{"order_by item not a string", `{"query": "SELECT 1", "order_by": [1]}`, `{"order_by": ["not a valid string: 1"]}`},
		{"order_by control character", `{"query": "SELECT 1", "order_by": ["a\u0000b"]}`, `{"order_by": ["not a valid column name: \"a\\x00b\""]}`},
		{"order_by object", `{"query": "SELECT 1", "order_by": {}}`, `{"order_by": ["not a valid array"]}`},
		{"bad count", `{"query": "SELECT 1", "count": "maybe"}`, `{"count": ["must be a valid boolean"]}`},
		{"bad admin", `{"query": "SELECT 1", "admin": []}`, `{"admin": ["must be a valid boolean"]}`},
		{"columns not an array", `{"query": "SELECT 1", "columns": "x"}`, `{"columns": ["not a valid array"]}`},
		{"column without type", `{"query": "SELECT 1", "columns": [{"name": "a"}]}`, `{"columns": ["item 0: data_type: this field is required"]}`},
		{"column without name", `{"query": "SELECT 1", "columns": [{"data_type": "CharField"}]}`, `{"columns": ["item 0: name: this field may not be blank"]}`},
		{"filter without name", `{"query": "SELECT 1", "filters": [{"value": 1}]}`, `{"filters": ["item 0: name: this field is required"]}`},
		{"filters not an array", `{"query": "SELECT 1", "filters": {}}`, `{"filters": ["not a valid array"]}`},
		{"aggregate without func", `{"query": "SELECT 1", "aggregate": {"column": "a"}}`, `{"aggregate": ["func: this field is required"]}`},
		{"aggregate unknown func", `{"query": "SELECT 1", "aggregate": {"func": "median"}}`, `{"aggregate": ["func: unknown function \"median\" (use count, sum, avg, min or max)"]}`},
		{"group without xColumn", `{"query": "SELECT 1", "group": {"yFunc": "count"}}`, `{"group": ["xColumn: this field is required"]}`},
		{"groups without xColumns", `{"query": "SELECT 1", "groups": {"xColumns": [], "yFunc": "count"}}`, `{"groups": ["xColumns: this field is required"]}`},
		{"params_obj not an object", `{"query": "SELECT 1", "v": 2, "params_obj": [1]}`, `{"params_obj": ["must be a JSON object"]}`},
		{"params not a list", `{"query": "SELECT 1", "params": 5}`, `{"params": ["not a valid array"]}`},
		{"timezone not a string", `{"query": "SELECT 1", "timezone": 3}`, `{"timezone": ["not a valid string"]}`},
		{"several fields", `{"v": "x", "limit": "y"}`, `{"query": ["this field is required"], "v": ["not a valid integer"], "limit": ["not a valid integer"]}`},
		{"queries not an array", `{"queries": 5}`, `{"queries": ["not a valid array"]}`},
		{"queries item not an object", `{"queries": [5]}`, `{"queries": ["queries[0]: not an object"]}`},
		{"forbidden", `{"query": "DROP TABLE people"}`, `{"query": ["forbidden query: DROP is not a read statement (this request may only read: READ_ONLY, a read-only user, or not in admin mode)"]}`},
		{"typo", `{"query": "SELEC 1"}`, `{"query": ["forbidden query: \"SELEC\" is not a statement a read-only query may start with (SELECT, WITH, VALUES, TABLE, SHOW, EXPLAIN, DESCRIBE): is it a typo?"]}`},
		{"two statements", `{"query": "SELECT 1; SELECT 2"}`, `{"query": ["forbidden query: 2 statements; send one statement per query"]}`},
		{"admin missing", `{"query": "SELECT 1", "admin": true}`, `{"query": ["admin access missing"]}`},
	}
	d := testdb.New(t, config.EngineSQLite)
	r := New(d, Options{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := call(t, r, tc.body, Caller{})
			if status != 400 {
				t.Fatalf("status %d: %v", status, body)
			}
			expectJSON(t, body, tc.want)
		})
	}
	t.Run("invalid JSON", func(t *testing.T) {
		status, body := call(t, r, `{"query": `, Caller{})
		msg := body.(map[string]any)["non_field_errors"].([]any)[0].(string)
		if status != 400 || !strings.HasPrefix(msg, "JSON parse error - ") {
			t.Errorf("%d %v", status, body)
		}
	})
}

// TestDatabaseErrors: a bad query gives the database's message, nothing of
// the bridge (no wrapping statement, no Go error text).
func TestDatabaseErrors(t *testing.T) {
	want := map[config.Engine]*regexp.Regexp{
		config.EnginePostgres: regexp.MustCompile(`^relation "nowhere" does not exist$`),
		config.EngineMySQL:    regexp.MustCompile(`^Table '\w+\.nowhere' doesn't exist$`),
		config.EngineSQLite:   regexp.MustCompile(`^SQL logic error: no such table: nowhere \(1\)$`),
	}
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		r := New(d, Options{})
		for _, body := range []string{
			`{"query": "SELECT * FROM nowhere"}`,
			`{"query": "SELECT * FROM nowhere", "limit": 5, "count": true, "order_by": ["x"]}`,
		} {
			status, out := call(t, r, body, Caller{})
			if status != 400 {
				t.Fatalf("status %d", status)
			}
			msgs := out.(map[string]any)["non_field_errors"].([]any)
			if len(msgs) != 1 || !want[d.Dialect.Engine].MatchString(msgs[0].(string)) {
				t.Errorf("%s: %v", body, out)
			}
		}
	})
}

// TestPostgresValues checks encoding of PostgreSQL types, column_descriptions,
// ?column? and the key order of the response.
func TestPostgresValues(t *testing.T) {
	d := testdb.New(t, config.EnginePostgres)
	r := New(d, Options{DefaultTimezone: "UTC"})
	q := `SELECT 1, '{"a": [1, 2]}'::jsonb AS j, '{1,2,NULL}'::int[] AS a, '{"x y",b}'::text[] AS t,` +
		` interval '1 day 02:00:00' AS i, 12.50::numeric(5,2) AS n, 'NaN'::numeric AS nn, 'Infinity'::float8 AS f,` +
		` '\xff00'::bytea AS b, 'abc'::bytea AS b2, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u,` +
		` TIMESTAMPTZ '2024-01-01 10:00:00+00' AS tz, TIMESTAMP '2024-01-01 10:00:00.5' AS ts, DATE '2024-01-02' AS d,` +
		` TIME '10:00:01.5' AS tm, true AS bo, 'x'::text AS tx`
	body, _ := json.Marshal(map[string]any{"query": q, "count": true, "limit": 5})
	out, err := r.Run(context.Background(), body, Caller{})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(out)
	s := string(raw)
	for _, frag := range []string{
		`"data":[[1,{"a":[1,2]},[1,2,null],["x y","b"],"93600.0",12.5,null,null,"ff00",["a","b","c"],"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11","2024-01-01T10:00:00Z","2024-01-01T10:00:00.500000Z","2024-01-02","10:00:01.5",true,"x"]]`,
		`"columns":[null,"j","a","t","i","n","nn","f","b","b2","u","tz","ts","d","tm","bo","tx"]`,
		`"column_descriptions":{"?column?":{"field":"IntegerField"},"j":{"field":"JSONField"},"a":{"field":"IntegerField"},"t":{"field":"TextField"},"i":{"field":"CharField"},"n":{"field":"FloatField"},"nn":{"field":"FloatField"},"f":{"field":"FloatField"},"b":{"field":"CharField"},"b2":{"field":"CharField"},"u":{"field":"UUIDField"},"tz":{"field":"DateTimeField"},"ts":{"field":"DateTimeField"},"d":{"field":"DateField"},"tm":{"field":"CharField"},"bo":{"field":"BooleanField"},"tx":{"field":"TextField"}}`,
	} {
		if !strings.Contains(s, frag) {
			t.Errorf("response lacks %s\n%s", frag, s)
		}
	}
	keys := regexp.MustCompile(`^\{"row_count":1,"data":.*,"columns":.*,"column_descriptions":.*,"count":1,"limit":5,"data_query_time":[0-9.]+,"count_query_time":[0-9.]+\}$`)
	if !keys.MatchString(s) {
		t.Errorf("key order: %s", s)
	}
}

// TestTimezones: naive datetimes get the default zone, aware ones the
// session's, which the request's timezone sets.
func TestTimezones(t *testing.T) {
	t.Run("postgresql", func(t *testing.T) {
		d := testdb.New(t, config.EnginePostgres)
		r := New(d, Options{DefaultTimezone: "+02:00"})
		q := `"SELECT TIMESTAMPTZ '2024-07-01 10:00:00+00' AS tz, TIMESTAMP '2024-07-01 10:00:00' AS ts"`
		for tz, want := range map[string]string{
			``:                              `[["2024-07-01T10:00:00Z", "2024-07-01T10:00:00+02:00"]]`,
			`, "timezone": "+03:00"`:        `[["2024-07-01T13:00:00+03:00", "2024-07-01T10:00:00+02:00"]]`,
			`, "timezone": "Europe/Paris"`:  `[["2024-07-01T12:00:00+02:00", "2024-07-01T10:00:00+02:00"]]`,
			`, "timezone": "-0530"`:         `[["2024-07-01T04:30:00-05:30", "2024-07-01T10:00:00+02:00"]]`,
			`, "timezone": "Not/AZone"`:     `[["2024-07-01T10:00:00Z", "2024-07-01T10:00:00+02:00"]]`,
			`, "timezone": "'; DROP x; --"`: `[["2024-07-01T10:00:00Z", "2024-07-01T10:00:00+02:00"]]`,
		} {
			status, body := call(t, r, `{"query": `+q+tz+`}`, Caller{})
			if status != 200 {
				t.Fatalf("%s: %d %v", tz, status, body)
			}
			expectJSON(t, body.(map[string]any)["data"], want)
		}
	})
	t.Run("mysql", func(t *testing.T) {
		d := testdb.New(t, config.EngineMySQL)
		testdb.Exec(t, d, "CREATE TABLE ev (ts TIMESTAMP NULL, dt DATETIME);\nINSERT INTO ev VALUES ('2024-07-01 10:00:00', '2024-07-01 10:00:00');")
		r := New(d, Options{DefaultTimezone: "+00:00"})
		for tz, want := range map[string]string{
			``:                       `[["2024-07-01T10:00:00Z", "2024-07-01T10:00:00Z"]]`,
			`, "timezone": "+03:00"`: `[["2024-07-01T13:00:00+03:00", "2024-07-01T10:00:00Z"]]`,
		} {
			status, body := call(t, r, `{"query": "SELECT ts, dt FROM ev"`+tz+`}`, Caller{})
			if status != 200 {
				t.Fatalf("%s: %d %v", tz, status, body)
			}
			expectJSON(t, body.(map[string]any)["data"], want)
		}
	})
	t.Run("no default zone", func(t *testing.T) {
		d := testdb.New(t, config.EngineSQLite)
		r := New(d, Options{})
		status, body := call(t, r, `{"query": "SELECT CAST('2024-07-01 10:00:00' AS TEXT) AS s"}`, Caller{})
		if status != 200 {
			t.Fatal(body)
		}
		expectJSON(t, body.(map[string]any)["data"], `[["2024-07-01 10:00:00"]]`)
	})
}

// TestMySQLValues: DECIMAL is a double as upstream answers (float(Decimal);
// the recording shows it for PostgreSQL NUMERIC), JSON is raw on MySQL
// (MariaDB reports JSON columns as text, so they stay strings there).
func TestMySQLValues(t *testing.T) {
	d := testdb.New(t, config.EngineMySQL)
	r := New(d, Options{DefaultTimezone: "UTC"})
	out, err := r.Run(context.Background(), []byte(`{"query": "SELECT CAST(12345678901234567.50 AS DECIMAL(30,2)) AS d, X'FF00' AS b, CAST('10:00:00' AS TIME) AS t, CAST(1.1 AS FLOAT) AS f"}`), Caller{})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(out)
	if !strings.Contains(string(raw), `"data":[[1.2345678901234568e+16,"ff00","10:00:00",1.1]]`) {
		t.Errorf("got %s", raw)
	}
}

// TestSchema: schema sets the search path on PostgreSQL (quoted).
func TestSchema(t *testing.T) {
	d := testdb.New(t, config.EnginePostgres)
	testdb.Exec(t, d, `CREATE SCHEMA "Other Schema";
CREATE TABLE "Other Schema".t (x int);
INSERT INTO "Other Schema".t VALUES (7);`)
	r := New(d, Options{})
	status, body := call(t, r, `{"query": "SELECT x FROM t", "schema": "Other Schema"}`, Caller{})
	if status != 200 {
		t.Fatalf("%d %v", status, body)
	}
	expectJSON(t, body.(map[string]any)["data"], `[[7]]`)
	status, _ = call(t, r, `{"query": "SELECT x FROM t"}`, Caller{})
	if status != 400 {
		t.Errorf("search_path leaked to the next request")
	}
}

// TestPostgresPlaceholders: casts, dollar-quoted and E” literals around
// named parameters, bound by the driver.
func TestPostgresPlaceholders(t *testing.T) {
	d := testdb.New(t, config.EnginePostgres)
	r := New(d, Options{})
	status, body := call(t, r, `{"query": "SELECT :v::int + 1 AS n, $$:v %s$$ AS lit, E'\\' :v' AS e, CAST(:v AS text) || '!' AS t", "v": 2, "params_obj": {"v": "41"}}`, Caller{})
	if status != 200 {
		t.Fatalf("%d %v", status, body)
	}
	expectJSON(t, normalize(t, body), `{"row_count": 1, "data": [[42, ":v %s", "' :v", "41!"]], "columns": ["n", "lit", "e", "t"]}`)
}

// TestPostgresAdminAutocommit: writable admin statements run outside a
// transaction block, and their session settings do not outlive the request.
func TestPostgresAdminAutocommit(t *testing.T) {
	d := testdb.New(t, config.EnginePostgres)
	fixture(t, d)
	d.SQL.SetMaxOpenConns(1)
	r := New(d, Options{})
	admin := Caller{Admin: true}
	for _, q := range []string{"VACUUM people", "CREATE INDEX CONCURRENTLY people_name ON people (name)", "SET search_path TO nowhere"} {
		status, body := call(t, r, `{"query": "`+q+`", "admin": true}`, admin)
		if status != 200 {
			t.Fatalf("%s: %d %v", q, status, body)
		}
		expectJSON(t, normalize(t, body), `{"row_count": 0, "data": [], "columns": []}`)
	}
	status, body := call(t, r, `{"query": "SELECT count(*) AS n FROM people"}`, Caller{})
	if status != 200 {
		t.Fatalf("the admin's SET leaked into the next request: %d %v", status, body)
	}
}
