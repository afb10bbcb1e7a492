package conformance

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/server"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

const bearerKey = "conformance-bearer-key-0123456789"

// maxAnswer bounds what one replayed answer may be.
const maxAnswer = 32 << 20

// TestConformance replays every set on every engine whose server is
// configured (SQLite always) and fails on any request that differs from the
// recording, unless the policy accepts our answer or it is a listed gap.
func TestConformance(t *testing.T) {
	rep := newReport()
	for _, st := range sets {
		t.Run(st.name, func(t *testing.T) {
			for _, e := range testdb.Engines {
				t.Run(string(e), func(t *testing.T) {
					replaySet(t, st, e, rep)
				})
			}
		})
	}
	t.Cleanup(func() { rep.write(t) })
}

func replaySet(t *testing.T, st set, e config.Engine, rep *report) {
	reqs, gold, err := st.load(e)
	if err != nil {
		t.Fatalf("load set %s/%s: %v", st.name, e, err)
	}
	base := startBridge(t, st, e)
	client := &http.Client{
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	gaps, err := knownGaps(st, e)
	if err != nil {
		t.Fatal(err)
	}
	rewrite := os.Getenv("JETBRIDGE_CONFORMANCE_WRITE_GAPS") == "1"
	var newGaps [][2]string
	var failed, passed []string
	for _, r := range reqs {
		got, err := send(client, base, r)
		var diffs []string
		if err != nil {
			diffs = []string{err.Error()}
		} else {
			j := judge{engine: e, category: r.Category, req: r}
			diffs = j.compare(gold[r.ID], got)
			dev, isDev := accepted(st.name, e, r.ID)
			switch {
			case len(diffs) > 0 && isDev && dev.accepts(j, gold[r.ID], got):
				diffs = nil
			case len(diffs) == 0 && isDev && !rewrite && st.exactDeviations:
				// like the gap lists, the deviations only shrink
				t.Errorf("%s matches upstream without its accepted deviation: remove it (%s)", r.ID, dev.reason)
			}
		}
		gap, isGap := gaps[r.ID]
		ok := len(diffs) == 0
		rep.add(st.name, e, r.Category, ok)
		if !ok {
			newGaps = append(newGaps, [2]string{r.ID, diffs[0]})
		}
		switch {
		case rewrite:
		case ok && isGap:
			t.Errorf("%s now matches upstream: remove it from the known gaps (%s)", r.ID, gap)
		case ok:
			passed = append(passed, r.ID)
		case isGap:
			t.Logf("known gap %s %s %s: %s", r.ID, r.Method, r.Path, strings.Join(diffs, "; "))
			failed = append(failed, r.ID)
		default:
			failed = append(failed, r.ID)
			t.Errorf("%s %s %s (category %s):\n    %s", r.ID, r.Method, r.Path, r.Category, strings.Join(diffs, "\n    "))
		}
	}
	t.Logf("%s/%s: %d of %d requests match upstream", st.name, e, len(passed), len(reqs))
	if rewrite {
		if err := writeGaps(st, e, newGaps); err != nil {
			t.Fatal(err)
		}
	}
}

// startBridge builds the set's state (Chinook plus the set's reset script)
// in a fresh database, then starts a bridge over it and returns its URL.
func startBridge(t *testing.T, st set, e config.Engine) string {
	t.Helper()
	dbcfg := testdb.Config(t, e)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	d, err := db.Open(ctx, dbcfg)
	if err != nil {
		t.Fatal(err)
	}
	testdb.LoadChinookAsRecorded(t, d)
	script, err := os.ReadFile(st.resetPath(e))
	if err != nil {
		t.Fatal(err)
	}
	if err := runScript(ctx, d, string(script)); err != nil {
		t.Fatalf("reset %s/%s: %v", st.name, e, err)
	}
	_ = d.Close()

	s := config.Defaults()
	s.Database = dbcfg
	s.BearerAuthKey = bearerKey
	s.Project = "conformance"
	s.SQLTimeout = 20 * time.Second
	if st.configure != nil {
		st.configure(&s, t.TempDir())
	}
	logs := &lockedBuffer{}
	srv, err := server.New(server.Options{Settings: s, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
		if t.Failed() && testing.Verbose() {
			t.Logf("bridge log:\n%s", logs.String())
		}
	})
	return ts.URL
}

// runScript runs a reset script statement by statement on one connection
// (MySQL scripts set session variables first).
func runScript(ctx context.Context, d *db.DB, script string) error {
	conn, err := d.SQL.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for i, stmt := range testdb.SplitStatements(script) {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("statement %d: %w\n%s", i+1, err, stmt)
		}
	}
	return nil
}

// send replays one request as recorded, with the test's Bearer key.
func send(client *http.Client, base string, r request) (answer, error) {
	var body io.Reader
	contentType := ""
	switch {
	case r.Multipart != nil:
		b, ct, err := multipartBytes(r.Multipart)
		if err != nil {
			return answer{}, err
		}
		body, contentType = bytes.NewReader(b), ct
	case r.RawBody != nil:
		body, contentType = strings.NewReader(*r.RawBody), "application/json"
	case len(r.Body) > 0 && string(r.Body) != "null":
		body, contentType = bytes.NewReader(r.Body), "application/json"
	}
	req, err := http.NewRequest(r.Method, base+r.Path, body)
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("Authorization", "Bearer "+bearerKey)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range r.Headers {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		return answer{}, fmt.Errorf("request failed: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return answer{}, fmt.Errorf("read answer: %w", err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// multipartBoundary is the recording's fixed boundary.
const multipartBoundary = "----jetbridgeconformanceboundary"

func multipartBytes(m *multipartBody) ([]byte, string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := w.SetBoundary(multipartBoundary); err != nil {
		return nil, "", err
	}
	for _, k := range sortedKeys(m.Fields) {
		if err := w.WriteField(k, m.Fields[k]); err != nil {
			return nil, "", err
		}
	}
	names := make([]string, 0, len(m.Files))
	for k := range m.Files {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		f := m.Files[name]
		content, err := base64.StdEncoding.DecodeString(f.Base64)
		if err != nil {
			return nil, "", fmt.Errorf("file %s: %w", name, err)
		}
		h := make(textproto.MIMEHeader)
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, name, f.Filename))
		if f.ContentType != "" {
			h.Set("Content-Type", f.ContentType)
		}
		part, err := w.CreatePart(h)
		if err != nil {
			return nil, "", err
		}
		if _, err := part.Write(content); err != nil {
			return nil, "", err
		}
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 4<<20 {
		return len(p), nil // bounded: enough to debug
	}
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
