package server

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/sqlapi"
)

type syncWriter struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// A failing connection is logged with the plain explanation, once per
// distinct problem: a repeat goes to the debug level.
func TestConnectLoopLogsPlainProblemsOnce(t *testing.T) {
	logs := &syncWriter{}
	b := newBackend(config.Database{Engine: config.EnginePostgres}, sqlapi.Options{},
		slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo})))
	var mu sync.Mutex
	calls := 0
	b.open = func(context.Context, config.Database) (*db.DB, error) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls == 1 {
			return nil, errors.New("driver text: refused\n\trepeated line")
		}
		return nil, errors.New("driver text: password")
	}
	b.describe = func(err error) []any {
		if strings.Contains(err.Error(), "refused") {
			return []any{"problem", "Nothing answers at db:5432"}
		}
		return []any{"problem", "Wrong password for user app"}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		// the start-up warning already reported the first problem
		b.connectLoop(ctx, problemKey(b.problem(errors.New("refused"))))
	}()
	for !strings.Contains(logs.String(), "Wrong password") && ctx.Err() == nil {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	out := logs.String()
	if strings.Contains(out, "Nothing answers") {
		t.Errorf("the problem of the start-up warning was logged again:\n%s", out)
	}
	if strings.Count(out, `problem="Wrong password for user app"`) != 1 || strings.Contains(out, "driver text") {
		t.Errorf("want the new problem once, in plain words:\n%s", out)
	}
	// without an explainer, the driver's error is logged
	if got := newBackend(config.Database{}, sqlapi.Options{}, nil).problem(errors.New("x")); len(got) != 2 || got[0] != "err" {
		t.Errorf("default attrs %v", got)
	}
}
