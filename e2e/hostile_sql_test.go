package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func sqlQuery(q string) string {
	b, _ := json.Marshal(map[string]any{"query": q})
	return string(b)
}

// TestHugeSQLResultBoundedMemory (issue 17 H2): /api/sql/ results are
// spooled, not held in memory, and capped by SQL_MAX_RESPONSE_BYTES (400);
// on SQLite zeroblob(1000000000) is refused by SQL_MAX_VALUE_BYTES.
func TestHugeSQLResultBoundedMemory(t *testing.T) {
	cfg := sharedPG(t, `CREATE TABLE plain (id serial PRIMARY KEY, title text);`)
	env := dbEnv(cfg)
	env["BEARER_AUTH_KEY"] = bearerKey
	b := startBridge(t, env)
	b.waitConnected()
	pid := b.cmd.Process.Pid
	auth := "Bearer " + bearerKey
	client := newClient(20 * time.Second)
	if a := request(t, client, "POST", b.URL+"/api/sql/", auth, sqlQuery("select 1")); a.Status != 200 {
		t.Fatalf("warm-up: %d %s", a.Status, a.Body)
	}
	base := readStatusKB(pid, "VmRSS")
	rss := sampleRSS(pid)

	// 300 MB: refused at 64 MiB
	a := request(t, client, "POST", b.URL+"/api/sql/", auth, sqlQuery("select repeat('x', 1000) from generate_series(1, 300000)"))
	if a.Status != 400 || !strings.Contains(a.Body, "SQL_MAX_RESPONSE_BYTES (64 MiB)") || a.Took > 10*time.Second {
		t.Errorf("300 MB result: %d %s in %v, want 400 naming SQL_MAX_RESPONSE_BYTES", a.Status, clip(a.Body), a.Took)
	}
	refusedIn := a.Took
	// 40 MB: answered whole, through a spool file
	a = request(t, client, "POST", b.URL+"/api/sql/", auth, sqlQuery("select repeat('x', 1000) from generate_series(1, 40000)"))
	if a.Status != 200 || len(a.Body) < 40_000_000 || !strings.HasPrefix(a.Body, `{"row_count":40000,"data":[["xxx`) || !json.Valid([]byte(a.Body)) {
		t.Errorf("40 MB result: %d, %d bytes: %s", a.Status, len(a.Body), clip(a.Body))
	}
	servedIn := a.Took
	close(rss.stop)
	<-rss.done
	peak := rss.peak.Load()
	t.Logf("RSS %d MB at rest; peak %d MB (300 MB result refused in %v, 40 MB result served in %v)",
		base>>20, peak>>20, refusedIn.Round(time.Millisecond), servedIn.Round(time.Millisecond))
	if peak-base > 48<<20 {
		t.Errorf("huge results raised RSS by %d MB", (peak-base)>>20)
	}
}

// TestSQLiteZeroblobRefused: zeroblob(1000000000) no longer gets the bridge
// OOM-killed: SQLite refuses it under SQL_MAX_VALUE_BYTES.
func TestSQLiteZeroblobRefused(t *testing.T) {
	env := dbEnv(sqliteFixture(t))
	env["BEARER_AUTH_KEY"] = bearerKey
	b := startBridge(t, env)
	b.waitConnected()
	client := newClient(20 * time.Second)
	a := request(t, client, "POST", b.URL+"/api/sql/", "Bearer "+bearerKey, sqlQuery("select zeroblob(1000000000)"))
	if a.Status != 400 || !strings.Contains(a.Body, "SQL_MAX_VALUE_BYTES") {
		t.Errorf("zeroblob(1e9): %d %s", a.Status, clip(a.Body))
	}
	if rss := readStatusKB(b.cmd.Process.Pid, "VmHWM"); rss > 200<<20 {
		t.Errorf("peak RSS %d MB after zeroblob(1e9)", rss>>20)
	}
	if !b.running() {
		t.Fatal("the bridge died")
	}
}
