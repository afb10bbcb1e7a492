package root

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/jetadmin/jetadmintest"
	"github.com/jetbridge/jetbridge/internal/tui"
)

// The help of every command: booleans without "[=true|false]", and the token
// commands without serve's 40 settings flags (they still accept them).
func TestHelpText(t *testing.T) {
	for _, args := range [][]string{{"serve", "--help"}, {"init", "--help"}, {"token", "show", "--help"}, {"token", "rotate", "--help"}, {"--help"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := executeRoot(t, cmdutil.New(), "", args...)
			if r.Err != nil {
				t.Fatal(r.Err)
			}
			if strings.Contains(r.Out, "[=true|false]") {
				t.Errorf("help shows [=true|false]:\n%s", r.Out)
			}
			if args[0] == "token" {
				if n := strings.Count(r.Out, "\n      --") + strings.Count(r.Out, "\n  -"); n > 6 {
					t.Errorf("token help lists %d flags:\n%s", n, r.Out)
				}
				if strings.Contains(r.Out, "--database-host") || !strings.Contains(r.Out, "--config") || !strings.Contains(r.Out, "jetbridge serve --help") {
					t.Errorf("token help:\n%s", r.Out)
				}
			}
		})
	}
	// hidden, not gone: token show reads the database from serve's flags
	r := executeRoot(t, cmdutil.New(), "", "token", "show", "--database-engine", "sqlite", "--database-name", filepath.Join(t.TempDir(), "none.db"), "--token", "0b1c2d3e4f5061728394a5b6c7d8e9f0", "--api-base-url", jetadmintest.New(t).URL)
	if r.Err != nil || !strings.Contains(r.Out, "Token:") {
		t.Errorf("token show with serve's flags: %v\n%s", r.Err, r.Out)
	}
}

func TestTokenSetWithoutArgument(t *testing.T) {
	r := executeRoot(t, cmdutil.New(), "", "token", "set")
	if r.Code != cmdutil.ExitUsage || r.Err == nil || !strings.Contains(r.Err.Error(), "token set needs the token") || strings.Contains(r.Err.Error(), "arg(s)") {
		t.Errorf("exit %d err %v", r.Code, r.Err)
	}
}

// Ctrl-C is no error: no "Error:" prefix, exit status 130.
func TestExitCodeMessages(t *testing.T) {
	tests := []struct {
		err  error
		code int
		out  string
	}{
		{nil, 0, ""},
		{&cmdutil.ExitError{Code: cmdutil.ExitInterrupted, Err: tui.ErrInterrupted}, 130, "Interrupted: nothing was written.\n"},
		{&cmdutil.ExitError{Code: cmdutil.ExitUsage, Err: errors.New("bad")}, 2, "Error: bad\n"},
		{context.Canceled, 130, ""},
		{errors.New("boom"), 1, "Error: boom\n"},
	}
	for _, tc := range tests {
		var b bytes.Buffer
		if code := cmdutil.ExitCode(&b, tc.err); code != tc.code || b.String() != tc.out {
			t.Errorf("%v: exit %d %q, want %d %q", tc.err, code, b.String(), tc.code, tc.out)
		}
	}
}
