package e2e

import (
	"bufio"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// slowBody opens a connection, sends a POST with a Content-Length of size
// and all of the body but its last byte (in the background), and returns the
// connection (closed at cleanup).
func slowBody(t *testing.T, addr, path, auth string, payload []byte) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	var hb strings.Builder
	hb.WriteString("POST " + path + " HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: application/json\r\n")
	if auth != "" {
		hb.WriteString("Authorization: " + auth + "\r\n")
	}
	hb.WriteString("Content-Length: " + strconv.Itoa(len(payload)+1) + "\r\n\r\n")
	if _, err := c.Write([]byte(hb.String())); err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = c.Write(payload) }() // the last byte never comes
	return c
}

// TestSlowBodiesBoundedMemory (issue 17 H1): anonymous clients that withhold
// the last byte of a 9 MB body are refused from their headers (403 at once)
// without the bridge reading their bodies, and authenticated ones cannot
// make the bridge buffer more than BODY_BUFFER_BYTES in total.
func TestSlowBodiesBoundedMemory(t *testing.T) {
	env := dbEnv(sqliteFixture(t))
	env["BEARER_AUTH_KEY"] = bearerKey
	env["BODY_BUFFER_BYTES"] = strconv.Itoa(16 << 20)
	b := startBridge(t, env)
	b.waitConnected()
	pid := b.cmd.Process.Pid
	client := newClient(10 * time.Second)
	if a := request(t, client, "GET", b.URL+"/api/models/items/?_per_page=1", "Bearer "+bearerKey, ""); a.Status != 200 {
		t.Fatalf("warm-up: %d %s", a.Status, a.Body)
	}
	base := readStatusKB(pid, "VmRSS")
	rss := sampleRSS(pid)
	payload := []byte(`{"title":"` + strings.Repeat("x", 9<<20-12))

	// anonymous: 30 connections, each answered 403 from its headers
	const anon = 30
	start := time.Now()
	var wg sync.WaitGroup
	statuses := make([]string, anon)
	for i := range anon {
		c := slowBody(t, b.Addr, "/api/models/items/", "", payload)
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				statuses[i] = "no answer: " + err.Error()
				return
			}
			statuses[i] = resp.Status
			_ = resp.Body.Close()
			_ = c.Close()
		}()
	}
	wg.Wait()
	anonTook := time.Since(start)
	for i, s := range statuses {
		if !strings.HasPrefix(s, "403") {
			t.Fatalf("anonymous slow body %d: %s, want 403 before the body arrives", i, s)
		}
	}
	anonPeak := rss.peak.Load()

	// authenticated: 20 connections withholding their last byte; the bridge
	// buffers at most BODY_BUFFER_BYTES of them
	for range 20 {
		slowBody(t, b.Addr, "/api/models/items/", "Bearer "+bearerKey, payload)
	}
	time.Sleep(2 * time.Second)
	a := request(t, client, "GET", b.URL+"/api/", "", "")
	if a.Status != 200 || a.Took > 2*time.Second {
		t.Errorf("GET /api/ while bodies are pending: %d in %v", a.Status, a.Took)
	}
	close(rss.stop)
	<-rss.done
	peak := rss.peak.Load()
	t.Logf("RSS: %d MB at rest, %d MB peak with %d anonymous 9 MB slow bodies (all 403 in %v), %d MB peak with 20 authenticated ones (BODY_BUFFER_BYTES 16 MB)",
		base>>20, anonPeak>>20, anon, anonTook.Round(time.Millisecond), peak>>20)
	if anonPeak-base > 24<<20 {
		t.Errorf("anonymous slow bodies raised RSS by %d MB", (anonPeak-base)>>20)
	}
	if peak-base > 64<<20 {
		t.Errorf("authenticated slow bodies raised RSS by %d MB (budget 16 MB)", (peak-base)>>20)
	}
}
