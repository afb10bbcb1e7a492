package serve

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/cmd/cmdtest"
	"github.com/jetbridge/jetbridge/internal/config"
)

// serve's flags, environment and config file reach ServeOptions in-process,
// through runF: nothing is served.
func TestServeOptions(t *testing.T) {
	dir := t.TempDir()
	dbFile := filepath.Join(dir, "app.db")
	if err := os.WriteFile(dbFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	sqlite := map[string]string{"DATABASE_ENGINE": "sqlite", "DATABASE_NAME": dbFile}
	tests := []struct {
		name     string
		env      map[string]string
		args     []string
		noConfig bool // CONFIG names a file that does not exist
		wantCode int
		wantErr  string // in the error, when wantCode is not 0
		check    func(t *testing.T, o *ServeOptions)
	}{
		{
			name: "flags", args: []string{"--database-engine", "sqlite", "--database-name", dbFile, "--port", "9123", "--read-only", "--pprof", "127.0.0.1:6061"},
			check: func(t *testing.T, o *ServeOptions) {
				s := o.Settings
				if s.Database.Engine != config.EngineSQLite || s.Database.Name != dbFile || s.Port != 9123 || !s.ReadOnly || o.Pprof != "127.0.0.1:6061" || o.Demo {
					t.Errorf("options %+v", o)
				}
			},
		},
		{
			name: "environment wins over flags", env: map[string]string{"DATABASE_ENGINE": "sqlite", "DATABASE_NAME": dbFile, "PORT": "9200"},
			args: []string{"--port", "9100", "--database-name", "other.db"},
			check: func(t *testing.T, o *ServeOptions) {
				if o.Settings.Port != 9200 || o.Settings.Database.Name != dbFile {
					t.Errorf("settings %+v", o.Settings)
				}
			},
		},
		{
			name: "demo needs no database", args: []string{"--demo", "--demo-path", filepath.Join(dir, "demo.db")},
			check: func(t *testing.T, o *ServeOptions) {
				if !o.Demo || o.DemoPath != filepath.Join(dir, "demo.db") || o.Settings.Database.Engine != "" {
					t.Errorf("options %+v", o)
				}
			},
		},
		{
			name: "DEBUG turns on debug logging", env: map[string]string{"DATABASE_ENGINE": "sqlite", "DATABASE_NAME": dbFile, "DEBUG": "true"},
			check: func(t *testing.T, o *ServeOptions) {
				if !o.Settings.Debug || !o.Log.Enabled(context.Background(), slog.LevelDebug) {
					t.Errorf("debug %v, logger debug %v", o.Settings.Debug, o.Log.Enabled(context.Background(), slog.LevelDebug))
				}
			},
		},
		{
			name: "info logging by default", env: sqlite,
			check: func(t *testing.T, o *ServeOptions) {
				if o.Log.Enabled(context.Background(), slog.LevelDebug) || !o.Log.Enabled(context.Background(), slog.LevelInfo) {
					t.Error("logger level is not info")
				}
			},
		},
		{name: "no database, no config file", noConfig: true, wantCode: cmdutil.ExitUsage, wantErr: "run `jetbridge init`"},
		{name: "missing SQLite file", env: map[string]string{"DATABASE_ENGINE": "sqlite", "DATABASE_NAME": filepath.Join(dir, "typo.db")}, wantCode: cmdutil.ExitUsage, wantErr: "typo.db"},
		{name: "bad port", env: map[string]string{"DATABASE_ENGINE": "sqlite", "DATABASE_NAME": dbFile, "PORT": "x"}, wantCode: cmdutil.ExitUsage, wantErr: "PORT"},
		{name: "extra argument", env: sqlite, args: []string{"now"}, wantCode: cmdutil.ExitFailure, wantErr: "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := cmdtest.Env(t, tt.env) // an empty config file
			if tt.noConfig {
				env["CONFIG"] = filepath.Join(dir, "absent.conf")
			}
			f := cmdtest.Factory(env, false)
			var got *ServeOptions
			r := cmdtest.Execute(t, f, NewCmdServe(f, func(_ context.Context, o *ServeOptions) error { got = o; return nil }), "", tt.args...)
			if r.Code != tt.wantCode {
				t.Fatalf("exit %d (%v), want %d", r.Code, r.Err, tt.wantCode)
			}
			if tt.wantCode != cmdutil.ExitOK {
				if got != nil {
					t.Fatal("runF called despite the error")
				}
				if r.Err == nil || !strings.Contains(r.Err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want it to mention %q", r.Err, tt.wantErr)
				}
				return
			}
			if got == nil {
				t.Fatal("runF not called")
			}
			if got.IO != f.IOStreams {
				t.Error("serve does not write to the Factory's streams")
			}
			tt.check(t, got)
		})
	}
}
