package token

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/cmd/cmdtest"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/jetadmin/jetadmintest"
	"github.com/jetbridge/jetbridge/internal/register"
)

// token set then token show, in-process over a SQLite file, with the
// Factory's clock and database opener: set stamps the token with f.Now and
// both commands open the database through f.OpenDB.
func TestTokenSetShowInProcess(t *testing.T) {
	api := jetadmintest.New(t)
	dbFile := filepath.Join(t.TempDir(), "bridge.db")
	env := cmdtest.Env(t, map[string]string{"DATABASE_ENGINE": "sqlite", "DATABASE_NAME": dbFile, "API_BASE_URL": api.URL, "PROJECT": "acme"})
	issued := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	const token = "0b1c2d3e4f5061728394a5b6c7d8e9f0"

	newFactory := func(opened *[]string) *cmdutil.Factory {
		f := cmdtest.Factory(env, false)
		f.Now = func() time.Time { return issued }
		f.OpenDB = func(ctx context.Context, d config.Database) (*db.DB, error) {
			*opened = append(*opened, d.Name)
			return db.Open(ctx, d)
		}
		return f
	}

	var opened []string
	f := newFactory(&opened)
	r := executeToken(t, f, "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0\n", "set", "-")
	if r.Err != nil {
		t.Fatalf("set: %v\n%s", r.Err, r.ErrOut)
	}
	if want := "Project token " + register.Mask(token) + " stored in table " + register.TableName + ".\n"; r.Out != want || r.ErrOut != "" {
		t.Errorf("set wrote %q, errors %q; want %q", r.Out, r.ErrOut, want)
	}
	if len(opened) != 1 || opened[0] != dbFile {
		t.Errorf("set opened %v, want the Factory's OpenDB on %s", opened, dbFile)
	}

	opened = nil
	f = newFactory(&opened)
	r = executeToken(t, f, "", "show")
	if r.Err != nil {
		t.Fatalf("show: %v\n%s", r.Err, r.ErrOut)
	}
	for _, want := range []string{
		"Project:    acme\n",
		"Token:      " + register.Mask(token) + " (from the " + register.SourceDatabase + ")\n",
		"Issued:     2026-01-02 03:04:05 UTC\n",
		"Status:     not activated\n",
		"(run with --reveal for the full link)",
	} {
		if !strings.Contains(r.Out, want) {
			t.Errorf("show output lacks %q:\n%s", want, r.Out)
		}
	}
	if strings.Contains(r.Out, token) {
		t.Errorf("show without --reveal prints the token:\n%s", r.Out)
	}
	if len(opened) != 1 {
		t.Errorf("show opened %v", opened)
	}

	api.SetActivated(token, true)
	r = executeToken(t, newFactory(&opened), "", "show", "--reveal")
	if r.Err != nil || !strings.Contains(r.Out, "Token:      "+token+" ") || !strings.Contains(r.Out, "Status:     activated\n") {
		t.Errorf("show --reveal of an activated token: %v\n%s", r.Err, r.Out)
	}

	// a bad token is a usage error and opens nothing
	opened = nil
	r = executeToken(t, newFactory(&opened), "", "set", "not-hex")
	if r.Code != cmdutil.ExitUsage || len(opened) != 0 {
		t.Errorf("set not-hex: exit %d, opened %v", r.Code, opened)
	}
}
