package serve

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/cli/iostreams"
	"github.com/jetbridge/jetbridge/internal/cmd/cmdtest"
)

// serve runs in-process over the Factory: the demo database, a random port
// on loopback, a real HTTP request, and a clean stop when the context ends.
func TestServeInProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("creates the demo database; skipped with -short")
	}
	const key = "in-process-test-key"
	f := cmdtest.Factory(cmdtest.Env(t, map[string]string{"PORT": "0", "ADDRESS": "127.0.0.1", "BEARER_AUTH_KEY": key}), false)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	addrs := make(chan string, 1)
	cmd := NewCmdServe(f, func(ctx context.Context, o *ServeOptions) error {
		o.Listening = func(addr string) { addrs <- addr }
		return serveRun(ctx, o)
	})
	ios, _, out, errOut := iostreams.Test()
	f.IOStreams = ios
	cmd.SetArgs([]string{"--demo", "--demo-path", filepath.Join(t.TempDir(), "demo.db")})
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	var addr string
	select {
	case addr = <-addrs:
	case err := <-done:
		t.Fatalf("serve ended before listening: %v\n%s", err, errOut)
	case <-ctx.Done():
		t.Fatal("serve did not listen")
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/api/models/tracks/?_per_page=2", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	var code int
	var body []byte
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if code = resp.StatusCode; code != http.StatusServiceUnavailable {
			break // 503 while the schema is reflected
		}
	}
	if code != http.StatusOK || !strings.Contains(string(body), `"count":1544`) {
		t.Fatalf("demo list: %d %.300s", code, body)
	}

	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve after the context ended: %v\n%s", err, errOut)
	}
	if !strings.Contains(out.String(), "Bearer key: "+key) || !strings.Contains(errOut.String(), "jetbridge serving") {
		t.Errorf("banner or log missing:\nout:\n%s\nerr:\n%s", out, errOut)
	}
}
