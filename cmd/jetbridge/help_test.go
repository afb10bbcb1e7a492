package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/jetadmin/jetadmintest"
	"github.com/jetbridge/jetbridge/internal/tui"
)

// The help of every command: booleans without "[=true|false]", and the token
// commands without serve's 40 settings flags (they still accept them).
func TestHelpText(t *testing.T) {
	for _, args := range [][]string{{"serve", "--help"}, {"init", "--help"}, {"token", "show", "--help"}, {"token", "rotate", "--help"}, {"--help"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := executeRoot(t, cmdutil.New(), "", args...)
			if r.err != nil {
				t.Fatal(r.err)
			}
			if strings.Contains(r.out, "[=true|false]") {
				t.Errorf("help shows [=true|false]:\n%s", r.out)
			}
			if args[0] == "token" {
				if n := strings.Count(r.out, "\n      --") + strings.Count(r.out, "\n  -"); n > 6 {
					t.Errorf("token help lists %d flags:\n%s", n, r.out)
				}
				if strings.Contains(r.out, "--database-host") || !strings.Contains(r.out, "--config") || !strings.Contains(r.out, "jetbridge serve --help") {
					t.Errorf("token help:\n%s", r.out)
				}
			}
		})
	}
	// hidden, not gone: token show reads the database from serve's flags
	r := executeRoot(t, cmdutil.New(), "", "token", "show", "--database-engine", "sqlite", "--database-name", filepath.Join(t.TempDir(), "none.db"), "--token", "0b1c2d3e4f5061728394a5b6c7d8e9f0", "--api-base-url", jetadmintest.New(t).URL)
	if r.err != nil || !strings.Contains(r.out, "Token:") {
		t.Errorf("token show with serve's flags: %v\n%s", r.err, r.out)
	}
}

func TestTokenSetWithoutArgument(t *testing.T) {
	r := executeRoot(t, cmdutil.New(), "", "token", "set")
	if r.code != cmdutil.ExitUsage || r.err == nil || !strings.Contains(r.err.Error(), "token set needs the token") || strings.Contains(r.err.Error(), "arg(s)") {
		t.Errorf("exit %d err %v", r.code, r.err)
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

// init with standard input not a terminal (init </dev/null) does not talk
// about a --no-input the user never typed.
func TestInitWithoutTerminalMessage(t *testing.T) {
	dir := t.TempDir()
	f := cmdutil.New()
	f.LookupEnv = func(k string) (string, bool) { return "", false }
	f.Backend = func() tui.Backend { return nil }
	for _, tc := range []struct {
		args      []string
		want, not string
	}{
		{nil, "standard input is not a terminal", "--no-input"},
		{[]string{"--no-input"}, "init --no-input needs every answer", "not a terminal"},
	} {
		r := execute(t, f, newInitCmd(f, nil), "", append([]string{"--config", filepath.Join(dir, "jet.conf")}, tc.args...)...)
		if r.code != cmdutil.ExitUsage || r.err == nil || !strings.Contains(r.err.Error(), tc.want) || strings.Contains(r.err.Error(), tc.not) {
			t.Errorf("%v: exit %d err %v", tc.args, r.code, r.err)
		}
	}
}

// The accessible-mode example of init --help answers the questions asked
// today: run it as printed, in a shell, against the fake Jet Admin API.
func TestInitHelpAccessibleExampleRuns(t *testing.T) {
	bin := buildJetbridge(t)
	example := regexp.MustCompile(`(?m)^\s*(printf .*\| jetbridge init --accessible)\s*$`).FindStringSubmatch(newInitCmd(cmdutil.New(), nil).Example)
	if example == nil {
		t.Fatalf("no accessible example in:\n%s", newInitCmd(cmdutil.New(), nil).Example)
	}
	work := t.TempDir()
	api := jetadmintest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", example[1])
	cmd.Dir = work
	cmd.Env = []string{"PATH=" + filepath.Dir(bin) + string(os.PathListSeparator) + os.Getenv("PATH"), "HOME=" + work, "API_BASE_URL=" + api.URL}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", example[1], err, out)
	}
	kv, err := config.ReadFile(filepath.Join(work, "jet.conf"))
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if kv["DATABASE_ENGINE"] != "sqlite" || kv["DATABASE_NAME"] != filepath.Join(work, "data.db") || len(kv["BEARER_AUTH_KEY"]) != 32 {
		t.Errorf("written %v\n%s", kv, out)
	}
	if strings.Contains(string(out), "Error") {
		t.Errorf("output:\n%s", out)
	}
}
