package rotate

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/cmd/cmdtest"
)

// Flag and settings parsing, apart from behaviour.
func TestRotateParsing(t *testing.T) {
	dbFile := filepath.Join(t.TempDir(), "x.db")
	env := cmdtest.Env(t, map[string]string{"DATABASE_ENGINE": "sqlite", "DATABASE_NAME": dbFile})
	for _, args := range [][]string{{"rotate", "--yes"}, {"rotate", "-y", "--reveal"}, {"rotate"}} {
		var got *RotateOptions
		f := cmdtest.Factory(env, false)
		cmd := cmdtest.SettingsParent("token", NewCmdRotate(f, func(_ context.Context, o *RotateOptions) error { got = o; return nil }))
		if r := cmdtest.Execute(t, f, cmd, "", args...); r.Err != nil || got == nil {
			t.Fatalf("%v: %v", args, r.Err)
		}
		if got.Yes != (len(args) > 1) || got.Reveal != (len(args) == 3) {
			t.Errorf("%v: options %+v", args, got)
		}
	}
	// TOKEN set does not spare rotate the database settings.
	f := cmdtest.Factory(cmdtest.Env(t, map[string]string{"TOKEN": "abc"}), false)
	cmd := cmdtest.SettingsParent("token", NewCmdRotate(f, nil))
	if r := cmdtest.Execute(t, f, cmd, "", "rotate", "--yes"); r.Code != cmdutil.ExitUsage || !strings.Contains(r.Err.Error(), "DATABASE_ENGINE") {
		t.Errorf("rotate without a database: exit %d %v", r.Code, r.Err)
	}
}
