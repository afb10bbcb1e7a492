package sqlapi

import (
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// TestSessionsTakeTheGate (issue 13): /api/sql/ statements take their turn
// at the data-access layer's gate like every other route: with every turn
// taken, a request waits until SQL_TIMEOUT and is answered the timeout; once
// a turn is free it runs.
func TestSessionsTakeTheGate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		r := New(d, Options{Timeout: 300 * time.Millisecond})
		held := 0
		for d.Gate.TryAcquire(1) {
			held++
		}
		status, body := call(t, r, sqlBody("SELECT 1 AS one"), Caller{ReadOnly: true})
		if status != 400 || !strings.Contains(jsonText(body), "statement timeout") {
			t.Errorf("with the gate full: %d %s, want 400 and the timeout", status, clip(jsonText(body)))
		}
		d.Gate.Release(int64(held))
		status, body = call(t, r, sqlBody("SELECT 1 AS one"), Caller{ReadOnly: true})
		if status != 200 {
			t.Errorf("with the gate free: %d %s", status, clip(jsonText(body)))
		}
	})
}
