package sqlapi

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/dialect"
	"github.com/jetbridge/jetbridge/internal/dialect/dialects"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// dialectOf is the dialect of engine e.
func dialectOf(e config.Engine) dialect.Dialect { return dialects.Must(string(e)) }

// lexOf is the lexing rules of engine e.
func lexOf(e config.Engine) dialect.Lexing { return dialectOf(e).Lexing() }

// fixture creates people (5 rows) and nums (1..1500).
func fixture(t *testing.T, d *db.DB) {
	t.Helper()
	ts := "TIMESTAMP"
	if d.Dialect.Engine == config.EngineMySQL {
		ts = "DATETIME(6)"
	}
	testdb.Exec(t, d, `CREATE TABLE people (id INTEGER PRIMARY KEY, name VARCHAR(50), amount DECIMAL(10,2), created `+ts+`);
INSERT INTO people VALUES (1, 'Alice', 12.50, '2024-01-15 10:00:00');
INSERT INTO people VALUES (2, 'Bob', NULL, '2024-02-20 11:30:00');
INSERT INTO people VALUES (3, 'Cara', 3.00, '2024-02-01 00:00:00');
INSERT INTO people VALUES (4, 'Dan_100%', 7.25, '2024-03-31 23:59:59');
INSERT INTO people VALUES (5, 'alice b', 0.50, '2024-01-31 08:00:00');
CREATE TABLE nums (n INTEGER PRIMARY KEY);`)
	for start := 1; start <= 1500; start += 300 {
		var sb strings.Builder
		sb.WriteString("INSERT INTO nums VALUES ")
		for n := start; n < start+300; n++ {
			if n > start {
				sb.WriteString(",")
			}
			fmt.Fprintf(&sb, "(%d)", n)
		}
		testdb.MustExec(t, d, sb.String())
	}
}

// call runs a request and returns the status and the JSON body as decoded
// by a client (numbers as float64).
func call(t *testing.T, r *Runner, body string, c Caller) (int, any) {
	t.Helper()
	out, err := r.Run(context.Background(), []byte(body), c)
	if err != nil {
		ae, ok := apierr.As(err)
		if !ok {
			t.Fatalf("%s: not an API error: %v", body, err)
		}
		return ae.Status, roundTrip(t, ae.Body)
	}
	return 200, roundTrip(t, out)
}

func roundTrip(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("unmarshal %s: %v", b, err)
	}
	return out
}

// normalize drops what varies between runs and engines from a response:
// the timings (checked to be numbers) and column_descriptions (PostgreSQL
// only, checked separately).
func normalize(t *testing.T, v any) any {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["row_count"]; ok {
			if _, ok := x["data_query_time"].(float64); !ok {
				t.Errorf("data_query_time missing or not a number in %v", x)
			}
			if _, has := x["count"]; has {
				if _, ok := x["count_query_time"].(float64); !ok {
					t.Errorf("count_query_time missing or not a number in %v", x)
				}
			}
			delete(x, "data_query_time")
			delete(x, "count_query_time")
			delete(x, "column_descriptions")
		}
	case []any:
		for i := range x {
			x[i] = normalize(t, x[i])
		}
	}
	return v
}

// expectJSON compares a decoded body with the JSON text want.
func expectJSON(t *testing.T, got any, want string) {
	t.Helper()
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expectation %s: %v", want, err)
	}
	if !reflect.DeepEqual(got, w) {
		g, _ := json.Marshal(got)
		t.Errorf("body\n got %s\nwant %s", g, want)
	}
}

// firstColumn returns the first value of every data row.
func firstColumn(t *testing.T, body any) []any {
	t.Helper()
	m, ok := body.(map[string]any)
	if !ok {
		t.Fatalf("not an object: %v", body)
	}
	rows, _ := m["data"].([]any)
	out := []any{}
	for _, r := range rows {
		out = append(out, r.([]any)[0])
	}
	return out
}

func countRows(t *testing.T, d *db.DB, table string) int {
	t.Helper()
	var n int
	if err := d.SQL.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
