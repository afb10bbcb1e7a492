package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/jetadmin/jetadmintest"
	"github.com/jetbridge/jetbridge/internal/register"
)

// The built binary runs token set/show/rotate end to end on SQLite against
// the fake Jet Admin API, with settings from the environment only.
func TestTokenBinary(t *testing.T) {
	bin := buildJetbridge(t)
	api := jetadmintest.New(t)
	work := t.TempDir()
	dbPath := filepath.Join(work, "app.db")
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + work,
		"DATABASE_ENGINE=sqlite",
		"DATABASE_NAME=" + dbPath,
		"API_BASE_URL=" + api.URL,
	}
	run := func(args ...string) (stdout, stderr string, code int) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Dir, cmd.Env = work, env
		cmd.Stdin = strings.NewReader("") // not a terminal
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		var ee *exec.ExitError
		switch {
		case err == nil:
		case errors.As(err, &ee):
			code = ee.ExitCode()
		default:
			t.Fatalf("run %v: %v", args, err)
		}
		t.Logf("$ jetbridge %s  (exit %d)\n%s%s", strings.Join(args, " "), code, out.String(), errOut.String())
		return out.String(), errOut.String(), code
	}
	stored := func() string {
		t.Helper()
		d, err := db.Open(context.Background(), config.Database{Engine: config.EngineSQLite, Name: dbPath})
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		tok, found, err := register.NewStore(d).Get(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !found {
			return ""
		}
		return tok.Token
	}

	if _, stderr, code := run("token", "show"); code != 1 || !strings.Contains(stderr, "no project token") {
		t.Fatalf("show without a token: exit %d, stderr %q", code, stderr)
	}
	if _, stderr, code := run("token", "rotate"); code != 2 || !strings.Contains(stderr, "pass --yes") {
		t.Fatalf("rotate without --yes: exit %d, stderr %q", code, stderr)
	}
	if _, stderr, code := run("token", "set", "xyz"); code != 2 || !strings.Contains(stderr, "32 hex characters") {
		t.Fatalf("set xyz: exit %d, stderr %q", code, stderr)
	}

	out, _, code := run("token", "rotate", "--yes")
	if code != 0 || len(api.IssuedTokens()) != 1 {
		t.Fatalf("rotate --yes: exit %d, issued %v", code, api.IssuedTokens())
	}
	first := strings.ReplaceAll(api.IssuedTokens()[0], "-", "")
	if stored() != first || !strings.Contains(out, "New project token "+register.Mask(first)) {
		t.Fatalf("after rotate: stored %q, output %q", stored(), out)
	}

	out, _, code = run("token", "show")
	if code != 0 || !strings.Contains(out, "Token:      "+register.Mask(first)) || !strings.Contains(out, "Status:     not activated") || strings.Contains(out, first) {
		t.Errorf("show: exit %d\n%s", code, out)
	}
	api.SetActivated(first, true)
	out, _, code = run("token", "show", "--reveal")
	if code != 0 || !strings.Contains(out, "Token:      "+first) || !strings.Contains(out, "Status:     activated") {
		t.Errorf("show --reveal: exit %d\n%s", code, out)
	}

	if out, _, code = run("token", "set", "0B1C2D3E-4F50-6172-8394-A5B6C7D8E9F0"); code != 0 || stored() != "0b1c2d3e4f5061728394a5b6c7d8e9f0" {
		t.Fatalf("set: exit %d, stored %q\n%s", code, stored(), out)
	}

	api.SetGarbage(true)
	_, stderr, code := run("token", "rotate", "--yes")
	if code != 1 || !strings.Contains(stderr, "unusable answer") || !strings.Contains(stderr, "unchanged") || stored() != "0b1c2d3e4f5061728394a5b6c7d8e9f0" {
		t.Errorf("rotate with a garbage API: exit %d, stored %q, stderr %q", code, stored(), stderr)
	}
	api.SetGarbage(false)
	api.SetDown(true)
	out, _, code = run("token", "show")
	if code != 0 || !strings.Contains(out, "cannot reach the Jet Admin API") {
		t.Errorf("show with the API down: exit %d\n%s", code, out)
	}
	_, stderr, code = run("token", "rotate", "--yes")
	if code != 1 || !strings.Contains(stderr, "cannot reach the Jet Admin API") || stored() != "0b1c2d3e4f5061728394a5b6c7d8e9f0" {
		t.Errorf("rotate with the API down: exit %d, stored %q, stderr %q", code, stored(), stderr)
	}
}
