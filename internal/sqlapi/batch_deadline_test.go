package sqlapi

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// TestBatchDeadline (issue 17 L7): a batch runs within SQL_TIMEOUT as a
// whole; 10 queries of 0.4 s with a 1 s timeout end in about 1 s, the ones
// left over answering a timeout error each (200, per-query errors).
func TestBatchDeadline(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		sleep := "SELECT pg_sleep(0.4) IS NULL AS slept"
		switch d.Dialect.Name() {
		case "sqlite":
			t.Skip("SQLite has no sleep function")
		case "mysql":
			sleep = "SELECT SLEEP(0.4) AS slept"
		}
		r := New(d, Options{Timeout: time.Second})
		queries := make([]map[string]any, 10)
		for i := range queries {
			queries[i] = map[string]any{"query": sleep}
		}
		body, _ := json.Marshal(map[string]any{"queries": queries})
		start := time.Now()
		status, out := call(t, r, string(body), Caller{})
		took := time.Since(start)
		items, _ := out.([]any)
		if status != 200 || len(items) != 10 {
			t.Fatalf("%d %s", status, clip(jsonText(out)))
		}
		if took > 1800*time.Millisecond {
			t.Errorf("the batch took %v with SQL_TIMEOUT 1s", took)
		}
		last := jsonText(items[9])
		if !strings.Contains(last, `"error"`) || !strings.Contains(last, "whole batch") {
			t.Errorf("last item: %s", last)
		}
		if first := jsonText(items[0]); !strings.Contains(first, `"row_count":1`) {
			t.Errorf("first item: %s", first)
		}
	})
}
