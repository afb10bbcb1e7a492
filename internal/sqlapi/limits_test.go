package sqlapi

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// repeatX is an engine's expression for a string of n x's.
func repeatX(d *db.DB, n int) string {
	if d.Dialect.Engine == config.EngineSQLite {
		return "replace(hex(zeroblob(" + strconv.Itoa(n/2) + ")), '0', 'x')"
	}
	return "REPEAT('x', " + strconv.Itoa(n) + ")"
}

func sqlBody(query string) string {
	b, _ := json.Marshal(map[string]any{"query": query})
	return string(b)
}

// TestResultLimits (issue 17 H2): a result beyond SQL_MAX_RESPONSE_BYTES
// or a value beyond SQL_MAX_VALUE_BYTES is a 400 naming the setting; a
// result past the in-memory threshold is spooled and comes back intact.
func TestResultLimits(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		fixture(t, d)
		r := New(d, Options{Timeout: 5 * time.Second, MaxResponseBytes: 64 << 10, MaxValueBytes: 4 << 10})
		status, body := call(t, r, sqlBody("SELECT n, "+repeatX(d, 100)+" AS x FROM nums"), Caller{})
		if status != 400 || !strings.Contains(jsonText(body), "SQL_MAX_RESPONSE_BYTES (64 KiB)") {
			t.Errorf("150 KB result with a 64 KiB limit: %d %s", status, clip(jsonText(body)))
		}
		status, body = call(t, r, sqlBody("SELECT "+repeatX(d, 10000)+" AS big"), Caller{})
		if status != 400 || !strings.Contains(jsonText(body), "SQL_MAX_VALUE_BYTES (4 KiB)") {
			t.Errorf("10 KB value with a 4 KiB limit: %d %s", status, clip(jsonText(body)))
		}
		// the same connection still works (PostgreSQL: the refused row was never read)
		status, body = call(t, r, sqlBody("SELECT count(*) AS c FROM nums"), Caller{})
		if status != 200 || !strings.Contains(jsonText(body), `"data":[[1500]]`) {
			t.Errorf("after the refusals: %d %s", status, clip(jsonText(body)))
		}

		// 1500 rows of 2 KB: 3 MB, spooled to disk past 1 MB
		big := New(d, Options{Timeout: 5 * time.Second})
		out, err := big.Run(context.Background(), []byte(sqlBody("SELECT n, "+repeatX(d, 2000)+" AS x FROM nums ORDER BY n")), Caller{})
		if err != nil {
			t.Fatal(err)
		}
		resp := out.(*Response)
		defer resp.Close()
		if resp.data.file == nil {
			t.Errorf("a %d-byte result was not spooled", resp.Len())
		}
		var sb strings.Builder
		if n, err := resp.WriteTo(&sb); err != nil || n != resp.Len() {
			t.Fatalf("WriteTo: %d of %d bytes, %v", n, resp.Len(), err)
		}
		var got struct {
			RowCount int     `json:"row_count"`
			Data     [][]any `json:"data"`
		}
		if err := json.Unmarshal([]byte(sb.String()), &got); err != nil {
			t.Fatalf("spooled response is not JSON: %v", err)
		}
		if got.RowCount != 1500 || len(got.Data) != 1500 || got.Data[1499][1] != strings.Repeat("x", 2000) {
			t.Errorf("spooled response: row_count %d, %d rows", got.RowCount, len(got.Data))
		}
	})
}

// TestSQLiteHugeBlobRefused: zeroblob(1000000000) is refused by SQLite
// itself under SQL_MAX_VALUE_BYTES, before a gigabyte is allocated.
func TestSQLiteHugeBlobRefused(t *testing.T) {
	d := testdb.New(t, "sqlite")
	r := New(d, Options{Timeout: 5 * time.Second})
	start := time.Now()
	status, body := call(t, r, sqlBody("SELECT zeroblob(1000000000) AS z"), Caller{})
	if status != 400 || !strings.Contains(jsonText(body), "SQL_MAX_VALUE_BYTES (16 MiB)") || time.Since(start) > 2*time.Second {
		t.Errorf("zeroblob(1e9): %d %s in %v", status, clip(jsonText(body)), time.Since(start))
	}
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}
