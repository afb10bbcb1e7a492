package server

import (
	"bufio"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
)

// TestBodyBudget (issue 17 H1): bodies held at once share BODY_BUFFER_BYTES;
// a request that cannot get room in time is answered 503 without its body
// being read, and room comes back when a request ends.
func TestBodyBudget(t *testing.T) {
	e := newEnv(t, config.EngineSQLite, func(s *config.Settings) { s.BodyBufferBytes = 10 << 20 })
	e.srv.bodies.wait = 300 * time.Millisecond
	addr := strings.TrimPrefix(e.ts.URL, "http://")
	send := func(size int, withhold bool) net.Conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		head := "PATCH /api/models/items/1/ HTTP/1.1\r\nHost: " + addr + "\r\nAuthorization: Bearer " + testKey +
			"\r\nContent-Type: application/json\r\nContent-Length: " + strconv.Itoa(size) + "\r\n\r\n"
		body := `{"description":"` + strings.Repeat("x", size-18) + `"}`
		if withhold {
			body = body[:len(body)-1]
		}
		go func() { _, _ = c.Write([]byte(head + body)) }()
		return c
	}
	status := func(c net.Conn) string {
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			return err.Error()
		}
		resp.Body.Close()
		return resp.Status
	}
	holder := send(9<<20, true) // holds 9 MiB of the 10 MiB budget
	time.Sleep(200 * time.Millisecond)
	if s := status(send(2<<20, false)); !strings.HasPrefix(s, "503") {
		t.Errorf("a body beyond the budget: %s, want 503", s)
	}
	holder.Close() // its bytes go back to the budget
	time.Sleep(200 * time.Millisecond)
	if s := status(send(2<<20, false)); !strings.HasPrefix(s, "200") {
		t.Errorf("after the holder left: %s, want 200", s)
	}
}
