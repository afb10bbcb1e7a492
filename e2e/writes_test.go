package e2e

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/db"
)

// newTransport allows conns keep-alive connections to one host.
func newTransport(conns int) *http.Transport {
	return &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		IdleConnTimeout:     30 * time.Second,
	}
}

// verifyWrites checks that every acknowledged create is in the ledger table,
// complete, and that each acknowledged counter value was kept (a later
// unacknowledged patch may have been applied too: values only grow).
func verifyWrites(t *testing.T, d *db.DB, wl *writeLog) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rows, err := d.SQL.QueryContext(ctx, "SELECT worker, seq, note FROM ledger WHERE worker > 0")
	if err != nil {
		t.Fatal(err)
	}
	present := map[[2]int]bool{}
	total := 0
	for rows.Next() {
		var w, s int
		var note string
		if err := rows.Scan(&w, &s, &note); err != nil {
			t.Fatal(err)
		}
		total++
		present[[2]int{w, s}] = true
		if want := "w" + itoa(w) + "-s" + itoa(s); note != want && note != "after" {
			t.Errorf("ledger row (%d, %d) is half-written: note %q, want %q", w, s, note, want)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	wl.mu.Lock()
	defer wl.mu.Unlock()
	missing := 0
	for k := range wl.created {
		if !present[k] {
			missing++
			if missing <= 5 {
				t.Errorf("acknowledged create (worker %d, seq %d) is not in the database", k[0], k[1])
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged creates are missing", missing, len(wl.created))
	}
	unacked := 0
	for k := range present {
		if !wl.created[k] {
			unacked++
			answer := wl.failed[k]
			if strings.Contains(answer, "failed to connect") {
				// the insert's own connection cannot have failed to
				// connect (the row is there): a later step failed and the
				// client was told a committed write did not happen
				t.Errorf("create (worker %d, seq %d) is in the database but was answered: %s", k[0], k[1], answer)
			} else if unacked <= 5 {
				t.Logf("create (worker %d, seq %d) is in the database; its answer was lost or ambiguous: %s", k[0], k[1], answer)
			}
		}
	}
	if total > wl.tried {
		t.Errorf("%d rows in the ledger but only %d creates were sent", total, wl.tried)
	}
	for w, v := range wl.counters {
		var got int
		if err := d.SQL.QueryRowContext(ctx, "SELECT value FROM counters WHERE id = $1", w).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got < v {
			t.Errorf("counter %d is %d, but a patch to %d was acknowledged", w, got, v)
		}
	}
	t.Logf("verified: %d acknowledged creates present (%d rows from %d attempts), %d counters at or past their acknowledged value",
		len(wl.created), total, wl.tried, len(wl.counters))
}

func itoa(i int) string {
	return strconv.Itoa(i)
}
