package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/query"
	"github.com/jetbridge/jetbridge/internal/record"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

const benchRows = 2000

// benchItemsSQL creates bench_items with benchRows rows, portable between
// SQLite and PostgreSQL.
func benchItemsSQL(e config.Engine) string {
	ts := "timestamp"
	if e == config.EnginePostgres {
		ts = "timestamptz"
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, `CREATE TABLE bench_items (id integer PRIMARY KEY, category_id integer NOT NULL, name varchar(100) NOT NULL,
  description text, price numeric(12,2) NOT NULL, quantity integer NOT NULL, created_at %s NOT NULL, active boolean NOT NULL);
INSERT INTO bench_items VALUES `, ts)
	for i := 1; i <= benchRows; i++ {
		if i > 1 {
			sb.WriteString(",\n")
		}
		desc := "NULL"
		if i%5 != 0 {
			desc = fmt.Sprintf("'Description of item %d with \"quotes\" and ünïcode'", i)
		}
		active := "true"
		if i%3 == 0 {
			active = "false"
		}
		fmt.Fprintf(&sb, "(%d, %d, 'Item %d', %s, %d.%02d, %d, '2024-01-%02d 10:%02d:%02d', %s)",
			i, 1+i%100, i, desc, i%1000, i%100, i%50, 1+i%28, i%60, i%60, active)
	}
	sb.WriteString(";")
	return sb.String()
}

// benchServer starts a Server over bench_items on the engine.
func benchServer(b *testing.B, e config.Engine) (*Server, *db.DB) {
	dbcfg := testdb.Config(b, e)
	ctx := context.Background()
	d, err := db.Open(ctx, dbcfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	testdb.Exec(b, d, benchItemsSQL(e))
	s := config.Defaults()
	s.Database = dbcfg
	s.BearerAuthKey = testKey
	srv, err := New(Options{Settings: s})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(srv.Close)
	if err := srv.Connect(ctx); err != nil {
		b.Fatal(err)
	}
	return srv, d
}

// baselineList is the plain way to serve the same page: database/sql,
// rows scanned into maps, encoding/json. It runs the bridge's own SQL.
func baselineList(d *sql.DB, stmt string, args []any, count string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		rows, err := d.QueryContext(ctx, stmt, args...)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var results []map[string]any
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			row := make(map[string]any, len(cols))
			for i, c := range cols {
				if b, ok := vals[i].([]byte); ok {
					vals[i] = string(b)
				}
				row[c] = vals[i]
			}
			results = append(results, row)
		}
		var n int64
		if err := d.QueryRowContext(ctx, count).Scan(&n); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"count": n, "next": nil, "previous": nil, "results": results,
			"num_pages": (n + 24) / 25, "per_page": 25, "has_more": true})
	}
}

// baselineRetrieve reads one row by key the plain way.
func baselineRetrieve(d *sql.DB, stmt string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rows, err := d.QueryContext(r.Context(), stmt, 7)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		if !rows.Next() {
			http.NotFound(w, r)
			return
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		row := make(map[string]any, len(cols))
		for i, c := range cols {
			if b, ok := vals[i].([]byte); ok {
				vals[i] = string(b)
			}
			row[c] = vals[i]
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(row)
	}
}

func serveLoop(b *testing.B, h http.Handler, path string) {
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Authorization", "Bearer "+testKey)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 200 {
		b.Fatalf("%s: status %d: %s", path, w.Code, w.Body)
	}
	b.SetBytes(int64(w.Body.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("status %d", w.Code)
		}
	}
}

// BenchmarkList: GET /api/models/bench_items/ (25 rows of 2,000, count)
// through the whole handler stack (echo, auth, query parsing, SQL, row
// encoding), against "baseline": the same SQL through database/sql,
// scanned into maps and written with encoding/json. Compare ns/op of the
// sub-benchmarks of one engine as bridge/baseline. PostgreSQL runs when
// JETBRIDGE_TEST_POSTGRES is set.
func BenchmarkList(b *testing.B) {
	for _, e := range []config.Engine{config.EngineSQLite, config.EnginePostgres} {
		b.Run(string(e), func(b *testing.B) {
			srv, d := benchServer(b, e)
			cn, err := srv.backend.get()
			if err != nil {
				b.Fatal(err)
			}
			m := cn.schema.Model("bench_items")
			q, err := query.Parse(m, d.Dialect, nil)
			if err != nil {
				b.Fatal(err)
			}
			stmt, args := q.SelectSQL(defaultPerPage, 0)
			count, _ := q.CountSQL()
			b.Run("bridge", func(b *testing.B) { serveLoop(b, srv.Handler(), "/api/models/bench_items/") })
			b.Run("baseline", func(b *testing.B) {
				serveLoop(b, baselineList(d.SQL, stmt, args, count), "/api/models/bench_items/")
			})
		})
	}
}

// BenchmarkRetrieve: GET /api/models/bench_items/7/ against the plain
// database/sql + encoding/json baseline.
func BenchmarkRetrieve(b *testing.B) {
	for _, e := range []config.Engine{config.EngineSQLite, config.EnginePostgres} {
		b.Run(string(e), func(b *testing.B) {
			srv, d := benchServer(b, e)
			cn, err := srv.backend.get()
			if err != nil {
				b.Fatal(err)
			}
			stmt := record.SelectByPK(d.Dialect, cn.schema.Model("bench_items"))
			b.Run("bridge", func(b *testing.B) { serveLoop(b, srv.Handler(), "/api/models/bench_items/7/") })
			b.Run("baseline", func(b *testing.B) { serveLoop(b, baselineRetrieve(d.SQL, stmt), "/api/models/bench_items/7/") })
		})
	}
}
