package show

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/cmd/cmdtest"
	"github.com/jetbridge/jetbridge/internal/config"
)

// Flag and settings parsing, apart from behaviour.
func TestShowParsing(t *testing.T) {
	dbFile := filepath.Join(t.TempDir(), "x.db")
	tests := []struct {
		name     string
		env      map[string]string
		args     []string
		terminal bool
		check    func(t *testing.T, o *ShowOptions)
		wantCode int
	}{
		{
			name: "flags", args: []string{"show", "--reveal", "--database-engine", "sqlite", "--database-name", dbFile, "--api-base-url", "http://api.test/api"},
			check: func(t *testing.T, o *ShowOptions) {
				if !o.Reveal || o.Settings.Database.Engine != config.EngineSQLite || o.Settings.Database.Name != dbFile ||
					o.Client.BaseURL() != "http://api.test/api" || o.IO.IsStdinTTY() {
					t.Errorf("options = %+v", o)
				}
			},
		},
		{
			name: "environment wins over flags", env: map[string]string{"DATABASE_ENGINE": "sqlite", "DATABASE_NAME": dbFile},
			args: []string{"show", "--database-name", "other.db"}, terminal: true,
			check: func(t *testing.T, o *ShowOptions) {
				if o.Reveal || o.Settings.Database.Name != dbFile || !o.IO.IsStdinTTY() || !o.IO.IsStdoutTTY() {
					t.Errorf("options = %+v", o)
				}
			},
		},
		{
			name: "TOKEN set: no database needed", env: map[string]string{"TOKEN": "abc"}, args: []string{"show"},
			check: func(t *testing.T, o *ShowOptions) {
				if o.Settings.Token != "abc" {
					t.Errorf("token = %q", o.Settings.Token)
				}
			},
		},
		{name: "no database settings", args: []string{"show"}, wantCode: cmdutil.ExitUsage},
		{name: "bad port", env: map[string]string{"TOKEN": "abc", "PORT": "x"}, args: []string{"show"}, wantCode: cmdutil.ExitUsage},
		{name: "extra argument", env: map[string]string{"TOKEN": "abc"}, args: []string{"show", "x"}, wantCode: cmdutil.ExitFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *ShowOptions
			f := cmdtest.Factory(cmdtest.Env(t, tt.env), tt.terminal)
			cmd := cmdtest.SettingsParent("token", NewCmdShow(f, func(_ context.Context, o *ShowOptions) error { got = o; return nil }))
			r := cmdtest.Execute(t, f, cmd, "", tt.args...)
			if r.Code != tt.wantCode {
				t.Fatalf("exit %d (%v), want %d", r.Code, r.Err, tt.wantCode)
			}
			if tt.check != nil {
				if got == nil {
					t.Fatal("runF not called")
				}
				tt.check(t, got)
			} else if got != nil {
				t.Fatal("runF called despite the error")
			}
		})
	}
}
