package set

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/jetbridge/jetbridge/internal/cmd/cmdtest"
)

// Flag and settings parsing, apart from behaviour.
func TestSetParsing(t *testing.T) {
	dbFile := filepath.Join(t.TempDir(), "x.db")
	env := cmdtest.Env(t, map[string]string{"DATABASE_ENGINE": "sqlite", "DATABASE_NAME": dbFile})
	var got *SetOptions
	f := cmdtest.Factory(env, false)
	cmd := cmdtest.SettingsParent("token", NewCmdSet(f, func(_ context.Context, o *SetOptions) error { got = o; return nil }))
	if r := cmdtest.Execute(t, f, cmd, "", "set", "ab-cd"); r.Err != nil || got == nil || got.Token != "ab-cd" {
		t.Fatalf("set ab-cd: %v %+v", r.Err, got)
	}
	got = nil
	if r := cmdtest.Execute(t, f, cmd, "", "set"); r.Err == nil || got != nil {
		t.Fatalf("set without an argument: %v", r.Err)
	}
}
