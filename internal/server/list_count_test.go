package server

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// TestListCountStrategy: an unfiltered list of a large PostgreSQL table
// reports the catalog's estimate, a small or never-analysed table and a
// filtered list the exact count (spec §9.1, Q10).
func TestListCountStrategy(t *testing.T) {
	if testing.Short() {
		t.Skip("creates 12,000-row tables")
	}
	e := newEnv(t, config.EnginePostgres, nil)
	testdb.Exec(t, e.db, `
CREATE TABLE big (id integer PRIMARY KEY, odd boolean NOT NULL);
INSERT INTO big SELECT g, g % 2 = 1 FROM generate_series(1, 12000) g;
ANALYZE big;
DELETE FROM big WHERE id > 11500;
CREATE TABLE fresh (id integer, label text);
INSERT INTO fresh SELECT g, 'x' FROM generate_series(1, 11000) g;
`)
	if st, _, body := e.do("POST", "/api/reload/", ""); st != 200 {
		t.Fatalf("reload: %d %s", st, body)
	}
	var freshEstimate float64
	if err := e.db.SQL.QueryRowContext(context.Background(), "SELECT reltuples FROM pg_class WHERE relname = 'fresh'").Scan(&freshEstimate); err != nil {
		t.Fatal(err)
	}
	freshWant := int64(11000)
	if freshEstimate >= estimateFloor {
		freshWant = int64(freshEstimate) // analysed in the meantime (autovacuum)
	}
	for _, tc := range []struct {
		path string
		want int64
	}{
		{"/api/models/big/", 12000},                     // the estimate, from before the DELETE
		{"/api/models/big/?page=3", 12000},              // any page
		{"/api/models/big/?odd=true", 5750},             // filtered: exact
		{"/api/models/big/?_per_page=5&id__lte=40", 40}, // filtered, more than a page: exact
		{"/api/models/fresh/", freshWant},               // never analysed: exact
		{"/api/models/items/", 30},                      // small: exact
	} {
		st, _, body := e.do("GET", tc.path, "")
		if st != 200 {
			t.Fatalf("%s: %d %s", tc.path, st, clip(body))
		}
		var got struct {
			Count   int64             `json:"count"`
			Results []json.RawMessage `json:"results"`
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		if got.Count != tc.want || len(got.Results) == 0 {
			t.Errorf("%s: count %d (%d rows), want %d", tc.path, got.Count, len(got.Results), tc.want)
		}
	}
}
