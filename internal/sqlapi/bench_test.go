package sqlapi

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// BenchmarkRunSQLite compares Run for a small SELECT (20 rows, 4 columns)
// with a plain database/sql Query + Scan of the same statement, in the same
// loop; it reports both times and their ratio (run/plain).
func BenchmarkRunSQLite(b *testing.B) {
	d := testdb.New(b, config.EngineSQLite)
	testdb.Exec(b, d, "CREATE TABLE people (id INTEGER PRIMARY KEY, name VARCHAR(50), amount DECIMAL(10,2), created DATETIME);")
	for i := 1; i <= 20; i++ {
		testdb.MustExec(b, d, "INSERT INTO people VALUES (?, ?, ?, ?)", i, "name", float64(i)*1.25, "2024-01-15 10:00:00")
	}
	const q = "SELECT id, name, amount, created FROM people"
	r := New(d, Options{DefaultTimezone: "UTC"})
	body := []byte(`{"query": "` + q + `"}`)
	ctx := context.Background()
	plain := func() {
		rows, err := d.SQL.QueryContext(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			var id int64
			var name string
			var amount float64
			var created sql.NullTime
			if err := rows.Scan(&id, &name, &amount, &created); err != nil {
				b.Fatal(err)
			}
		}
		if err := rows.Close(); err != nil {
			b.Fatal(err)
		}
	}
	run := func() {
		if _, err := r.Run(ctx, body, Caller{}); err != nil {
			b.Fatal(err)
		}
	}
	run()
	plain()
	var tRun, tPlain time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		s := time.Now()
		run()
		tRun += time.Since(s)
		s = time.Now()
		plain()
		tPlain += time.Since(s)
	}
	n := float64(b.N)
	b.ReportMetric(float64(tRun.Nanoseconds())/n, "run-ns/op")
	b.ReportMetric(float64(tPlain.Nanoseconds())/n, "plain-ns/op")
	b.ReportMetric(float64(tRun)/float64(tPlain), "run/plain")
}
