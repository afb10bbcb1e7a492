package token

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/cmd/cmdtest"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/jetadmin/jetadmintest"
	"github.com/jetbridge/jetbridge/internal/register"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// tokenDB prepares an engine's fresh database and the fake API, and returns
// the environment reaching both, plus a handle on the database.
func tokenDB(t *testing.T, e config.Engine) (map[string]string, *db.DB, *jetadmintest.Server) {
	t.Helper()
	cfg := testdb.Config(t, e)
	api := jetadmintest.New(t)
	vars := map[string]string{
		"DATABASE_ENGINE": string(cfg.Engine),
		"DATABASE_NAME":   cfg.Name,
		"API_BASE_URL":    api.URL,
	}
	if cfg.Host != "" {
		vars["DATABASE_HOST"] = cfg.Host
		vars["DATABASE_PORT"] = strconv.Itoa(cfg.Port)
		vars["DATABASE_USER"] = cfg.User
		if cfg.Password != "" {
			vars["DATABASE_PASSWORD"] = cfg.Password
		}
	}
	d, err := db.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return cmdtest.Env(t, vars), d, api
}

// storedTokens reads every token of __jet__token.
func storedTokens(t *testing.T, d *db.DB) []string {
	t.Helper()
	if !d.Gorm.Migrator().HasTable(register.TableName) {
		return nil
	}
	r, err := d.SQL.QueryContext(context.Background(), "SELECT token FROM "+d.Dialect.QuoteIdent(register.TableName))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []string
	for r.Next() {
		var s string
		if err := r.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func TestTokenCommands(t *testing.T) {
	for _, e := range testdb.Engines {
		t.Run(string(e), func(t *testing.T) {
			env, d, api := tokenDB(t, e)
			run := func(terminal bool, stdin string, args ...string) cmdtest.Result {
				t.Helper()
				return executeToken(t, cmdtest.Factory(env, terminal), stdin, args...)
			}

			// No token yet.
			r := run(false, "", "show")
			if r.Code != cmdutil.ExitFailure || !strings.Contains(r.Err.Error(), "no project token") || !strings.Contains(r.Err.Error(), "jetbridge token rotate") {
				t.Fatalf("show without a token: exit %d, %v", r.Code, r.Err)
			}

			// rotate without a terminal and without --yes refuses, before any call.
			r = run(false, "", "rotate")
			if r.Code != cmdutil.ExitUsage || !strings.Contains(r.Err.Error(), "--yes") {
				t.Fatalf("rotate without --yes: exit %d, %v", r.Code, r.Err)
			}
			if api.TotalCalls() != 0 || storedTokens(t, d) != nil {
				t.Fatal("rotate without --yes called the API or stored something")
			}

			// rotate --yes registers the first token.
			r = run(false, "", "rotate", "--yes")
			if r.Code != 0 {
				t.Fatalf("rotate --yes: exit %d, %v", r.Code, r.Err)
			}
			first := strings.ReplaceAll(api.IssuedTokens()[0], "-", "")
			if got := storedTokens(t, d); len(got) != 1 || got[0] != first {
				t.Fatalf("stored %v, want [%s]", got, first)
			}
			if !strings.Contains(r.Out, "New project token "+register.Mask(first)+" stored") ||
				!strings.Contains(r.Out, "Activate it at: http://app.jetadmin.io/projects/register/"+register.Mask(first)) ||
				strings.Contains(r.Out, first) {
				t.Errorf("rotate output (not a terminal: masked link):\n%s", r.Out)
			}

			// show: masked / revealed, not activated / activated.
			r = run(false, "", "show")
			if r.Code != 0 {
				t.Fatalf("show: exit %d %v", r.Code, r.Err)
			}
			for _, want := range []string{"Project:    (none)", "Token:      " + register.Mask(first) + " (from the database", "Issued:     20", "Status:     not activated", "Activate:   http://app.jetadmin.io/projects/register/" + register.Mask(first)} {
				if !strings.Contains(r.Out, want) {
					t.Errorf("show output lacks %q:\n%s", want, r.Out)
				}
			}
			if strings.Contains(r.Out, first) {
				t.Errorf("show without --reveal prints the token:\n%s", r.Out)
			}
			r = run(false, "", "show", "--reveal")
			if !strings.Contains(r.Out, "Token:      "+first+" ") || !strings.Contains(r.Out, "/projects/register/"+first+"?referrer=") {
				t.Errorf("show --reveal output:\n%s", r.Out)
			}
			api.SetActivated(first, true)
			r = run(false, "", "show")
			if !strings.Contains(r.Out, "Status:     activated\n") || strings.Contains(r.Out, "Activate:") {
				t.Errorf("show of an activated token:\n%s", r.Out)
			}

			// show with the API down or answering garbage: clear, exit 0.
			api.SetDown(true)
			r = run(false, "", "show")
			if r.Code != 0 || !strings.Contains(r.Out, "Status:     unknown: cannot reach the Jet Admin API: ") {
				t.Errorf("show with the API down: exit %d\n%s", r.Code, r.Out)
			}
			// the activation link needs no API: --reveal prints it offline
			r = run(false, "", "show", "--reveal")
			if !strings.Contains(r.Out, "Activate:   http://app.jetadmin.io/projects/register/"+first) {
				t.Errorf("show --reveal with the API down lacks the activation link:\n%s", r.Out)
			}

			// rotate with the API down / garbage: stored token unchanged, non-zero.
			for _, bad := range []struct {
				name string
				set  func(bool)
				msg  string
			}{
				{"down", api.SetDown, "cannot reach the Jet Admin API"},
				{"garbage", api.SetGarbage, "unusable answer"},
			} {
				bad.set(true)
				r = run(false, "", "rotate", "--yes")
				bad.set(false)
				if r.Code == 0 || !strings.Contains(r.Err.Error(), bad.msg) || !strings.Contains(r.Err.Error(), "stored token is unchanged") {
					t.Errorf("rotate with the API %s: exit %d, %v", bad.name, r.Code, r.Err)
				}
				if got := storedTokens(t, d); len(got) != 1 || got[0] != first {
					t.Errorf("rotate with the API %s changed the stored token: %v", bad.name, got)
				}
			}

			// On a terminal rotate asks; "n" keeps the token.
			r = run(true, "n\n", "rotate")
			if r.Code != cmdutil.ExitFailure || !strings.Contains(r.ErrOut, "Replace the project token "+register.Mask(first)) {
				t.Errorf("rotate answered n: exit %d, %v, prompt %q", r.Code, r.Err, r.ErrOut)
			}
			if got := storedTokens(t, d); len(got) != 1 || got[0] != first {
				t.Errorf("declined rotate changed the token: %v", got)
			}
			// "y" rotates; the terminal gets the full activation link.
			r = run(true, "y\n", "rotate")
			if r.Code != 0 {
				t.Fatalf("rotate answered y: exit %d %v", r.Code, r.Err)
			}
			issued := api.IssuedTokens()
			second := strings.ReplaceAll(issued[len(issued)-1], "-", "")
			if got := storedTokens(t, d); len(got) != 1 || got[0] != second || second == first {
				t.Fatalf("after rotate: stored %v, want only [%s] (old %s)", got, second, first)
			}
			if !strings.Contains(r.Out, "/projects/register/"+second+"?referrer=") {
				t.Errorf("rotate on a terminal does not print the full link:\n%s", r.Out)
			}

			// set: dashes removed; invalid refused; "-" reads standard input.
			r = run(false, "", "set", "0B1C2D3E-4F50-6172-8394-A5B6C7D8E9F0")
			if r.Code != 0 || !strings.Contains(r.Out, "Project token 0b1c…e9f0 stored") {
				t.Fatalf("set: exit %d %v\n%s", r.Code, r.Err, r.Out)
			}
			if got := storedTokens(t, d); len(got) != 1 || got[0] != "0b1c2d3e4f5061728394a5b6c7d8e9f0" {
				t.Fatalf("after set: %v", got)
			}
			r = run(false, "", "set", "not-a-token")
			if r.Code != cmdutil.ExitUsage || !strings.Contains(r.Err.Error(), "32 hex characters") {
				t.Errorf("set not-a-token: exit %d %v", r.Code, r.Err)
			}
			if got := storedTokens(t, d); len(got) != 1 || got[0] != "0b1c2d3e4f5061728394a5b6c7d8e9f0" {
				t.Errorf("a refused set changed the token: %v", got)
			}
			r = run(false, "ffeeddcc-bbaa-9988-7766-554433221100\n", "set", "-")
			if got := storedTokens(t, d); r.Code != 0 || len(got) != 1 || got[0] != "ffeeddccbbaa99887766554433221100" {
				t.Errorf("set - : exit %d %v, stored %v", r.Code, r.Err, got)
			}
		})
	}
}

// With TOKEN in the settings, show uses it (current flow with PROJECT) and
// needs no database.
func TestTokenShowFromSettings(t *testing.T) {
	api := jetadmintest.New(t)
	const tok = "0b1c2d3e4f5061728394a5b6c7d8e9f0"
	conf := filepath.Join(t.TempDir(), "jet.conf")
	if err := os.WriteFile(conf, []byte("[JET]\nPROJECT=acme\nTOKEN="+tok+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"CONFIG": conf, "API_BASE_URL": api.URL}
	api.SetActivated(tok, false)
	r := executeToken(t, cmdtest.Factory(env, false), "", "show")
	if r.Code != 0 {
		t.Fatalf("exit %d %v", r.Code, r.Err)
	}
	for _, want := range []string{"Project:    acme", "Token:      0b1c…e9f0 (from the settings (TOKEN))", "Issued:     unknown",
		"Status:     not activated", "Activate:   http://app.jetadmin.io/builder/acme/resources/database/create/#engine=&referrer="} {
		if !strings.Contains(r.Out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.Out)
		}
	}
	if api.Calls("/check_resource_token/") != 1 {
		t.Errorf("the current flow must check with check_resource_token")
	}
}

// As a PostgreSQL role that may not create tables, rotate and set say so,
// point to TOKEN, and ask the API for nothing.
func TestTokenPostgresNoCreatePermission(t *testing.T) {
	cfg := testdb.Config(t, config.EnginePostgres)
	ctx := context.Background()
	admin, err := db.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	role := "jbt_nocreate_" + strings.TrimPrefix(cfg.Name, "jbt_")
	testdb.Exec(t, admin, "CREATE ROLE "+role+" LOGIN;\nREVOKE CREATE ON SCHEMA public FROM PUBLIC;\n")
	t.Cleanup(func() {
		if _, err := admin.SQL.ExecContext(ctx, "DROP ROLE IF EXISTS "+role); err != nil {
			t.Errorf("drop role: %v", err)
		}
		_ = admin.Close()
	})
	api := jetadmintest.New(t)
	env := cmdtest.Env(t, map[string]string{
		"DATABASE_ENGINE": "postgresql", "DATABASE_HOST": cfg.Host, "DATABASE_PORT": strconv.Itoa(cfg.Port),
		"DATABASE_USER": role, "DATABASE_NAME": cfg.Name, "API_BASE_URL": api.URL,
	})
	for _, args := range [][]string{{"rotate", "--yes"}, {"set", "0b1c2d3e4f5061728394a5b6c7d8e9f0"}} {
		r := executeToken(t, cmdtest.Factory(env, false), "", args...)
		if r.Code != cmdutil.ExitFailure || r.Err == nil {
			t.Fatalf("%v: exit %d, %v", args, r.Code, r.Err)
		}
		for _, want := range []string{"cannot create table __jet__token", "permission denied", "TOKEN=<token> in jet.conf", "environment variable TOKEN"} {
			if !strings.Contains(r.Err.Error(), want) {
				t.Errorf("%v: error %q lacks %q", args, r.Err, want)
			}
		}
	}
	if n := api.TotalCalls(); n != 0 {
		t.Errorf("the API was called %d times", n)
	}
	// show has nothing to show, and says how to go on.
	if r := executeToken(t, cmdtest.Factory(env, false), "", "show"); r.Code != cmdutil.ExitFailure || !strings.Contains(r.Err.Error(), "TOKEN") {
		t.Errorf("show: exit %d, %v", r.Code, r.Err)
	}
}

// executeToken runs the token command built over f.
func executeToken(t *testing.T, f *cmdutil.Factory, stdin string, args ...string) cmdtest.Result {
	t.Helper()
	return cmdtest.Execute(t, f, NewCmdToken(f), stdin, args...)
}
