package initcmd

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/cli/iostreams"
	"github.com/jetbridge/jetbridge/internal/cmd/cmdtest"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/tui"
)

// Flag parsing and mode choice, apart from the behaviour (runF hook).
func TestInitFlagsAndMode(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "old.conf")
	if err := os.WriteFile(existing, []byte("[JET]\nDATABASE_ENGINE=mysql\nDATABASE_NAME=shop\nDATABASE_USER=app\nPROJECT=acme\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	pgConf := filepath.Join(dir, "pg.conf")
	if err := os.WriteFile(pgConf, []byte("[JET]\nDATABASE_ENGINE=postgresql\nDATABASE_HOST=pg.example\nDATABASE_PORT=6543\nDATABASE_USER=app\n"+
		"DATABASE_PASSWORD=old-pw\nDATABASE_NAME=shop\nDATABASE_SCHEMA=sales\nDATABASE_EXTRA=sslmode=disable\nPROJECT=acme\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		inTerm   bool
		outTerm  bool
		mode     initMode
		check    func(t *testing.T, o *InitOptions)
		problems int
	}{
		{name: "terminal gets the wizard", inTerm: true, outTerm: true, mode: modeWizard},
		{name: "no terminal means no input", inTerm: false, outTerm: true, mode: modeNoInput},
		{name: "--no-input wins over --accessible", args: []string{"--no-input", "--accessible"}, inTerm: true, outTerm: true, mode: modeNoInput},
		{name: "--accessible with a pipe", args: []string{"--accessible"}, mode: modeAccessible},
		{name: "ACCESSIBLE=1", env: map[string]string{"ACCESSIBLE": "1"}, mode: modeAccessible},
		{name: "ACCESSIBLE=0 is off", env: map[string]string{"ACCESSIBLE": "0"}, inTerm: true, outTerm: true, mode: modeWizard},
		{name: "TERM=dumb on a terminal", env: map[string]string{"TERM": "dumb"}, inTerm: true, outTerm: true, mode: modeAccessible},
		{name: "TERM=dumb without a terminal", env: map[string]string{"TERM": "dumb"}, mode: modeNoInput},
		{name: "output not a terminal", inTerm: true, mode: modeAccessible},
		{name: "flags are serve's", args: []string{"--database-engine", "postgresql", "--database-host", "db", "--database-user", "u", "--database-name", "n", "--project", "p", "--force"},
			mode: modeNoInput, check: func(t *testing.T, o *InitOptions) {
				d := o.Settings.Database
				if d.Engine != config.EnginePostgres || d.Host != "db" || d.User != "u" || d.Name != "n" || d.Port != 5432 || o.Settings.Project != "p" || !o.Force {
					t.Errorf("settings %+v project %q force %v", d, o.Settings.Project, o.Force)
				}
				if o.Settings.ConfigPath != config.DefaultConfigPath {
					t.Errorf("config path %q", o.Settings.ConfigPath)
				}
			}},
		{name: "a missing --config is the file to write", args: []string{"--config", filepath.Join(dir, "new.conf")}, mode: modeNoInput,
			check: func(t *testing.T, o *InitOptions) {
				if o.Settings.ConfigPath != filepath.Join(dir, "new.conf") || o.Settings.ConfigFound {
					t.Errorf("config path %q found %v", o.Settings.ConfigPath, o.Settings.ConfigFound)
				}
			}},
		{name: "an existing config prefills", args: []string{"--config", existing}, mode: modeNoInput,
			check: func(t *testing.T, o *InitOptions) {
				if o.Settings.Database.Engine != config.EngineMySQL || o.Settings.Database.Name != "shop" || o.Settings.Project != "acme" || o.Settings.Database.Port != 3306 {
					t.Errorf("not prefilled: %+v", o.Settings)
				}
			}},
		{name: "another engine drops the file's engine settings", args: []string{"--config", pgConf, "--database-engine", "mysql"}, mode: modeNoInput,
			check: func(t *testing.T, o *InitOptions) {
				d := o.Settings.Database
				if d.Engine != config.EngineMySQL || d.Password != "" || d.Extra != "" || d.Schema != "" || d.Port != 3306 {
					t.Errorf("PostgreSQL settings carried to MySQL: %+v", d)
				}
				if d.Host != "pg.example" || d.User != "app" || d.Name != "shop" || o.Settings.Project != "acme" {
					t.Errorf("common settings lost: %+v", o.Settings)
				}
				if w := strings.Join(o.Settings.Warnings, "\n"); !strings.Contains(w, "DATABASE_PASSWORD, DATABASE_EXTRA, DATABASE_SCHEMA, DATABASE_PORT are not used") {
					t.Errorf("warnings %q", w)
				}
			}},
		{name: "values given for the new engine stay", args: []string{"--config", pgConf, "--database-engine", "mysql", "--database-extra", "tls=true"},
			env: map[string]string{"DATABASE_PASSWORD": "new-pw"}, mode: modeNoInput,
			check: func(t *testing.T, o *InitOptions) {
				if d := o.Settings.Database; d.Password != "new-pw" || d.Extra != "tls=true" {
					t.Errorf("given values dropped: %+v", d)
				}
			}},
		{name: "the same engine keeps everything", args: []string{"--config", pgConf}, mode: modeNoInput,
			check: func(t *testing.T, o *InitOptions) {
				if d := o.Settings.Database; d.Password != "old-pw" || d.Extra != "sslmode=disable" || d.Port != 6543 || d.Schema != "sales" {
					t.Errorf("settings lost: %+v", d)
				}
			}},
		{name: "bad values are problems", env: map[string]string{"DATABASE_PORT": "abc"}, mode: modeNoInput, problems: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range tc.env {
				env[k] = v
			}
			f := cmdutil.New()
			f.IOStreams, _, _, _ = iostreams.Test()
			f.LookupEnv = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
			f.Backend = func() tui.Backend { return nil }
			var got *InitOptions
			cmd := NewCmdInit(f, func(_ context.Context, o *InitOptions) error { got = o; return nil })
			cmd.SetArgs(tc.args)
			cmd.SetIn(strings.NewReader(""))
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			if err := cmd.Execute(); err != nil {
				t.Fatal(err)
			}
			if got.IO != f.IOStreams {
				t.Error("init does not use the Factory's streams")
			}
			got.IO.SetStdinTTY(tc.inTerm)
			got.IO.SetStdoutTTY(tc.outTerm)
			if m := chooseInitMode(got); m != tc.mode {
				t.Errorf("mode %v, want %v", m, tc.mode)
			}
			if len(got.Problems) != tc.problems {
				t.Errorf("problems %q, want %d", got.Problems, tc.problems)
			}
			if tc.check != nil {
				tc.check(t, got)
			}
		})
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
		r := cmdtest.Execute(t, f, NewCmdInit(f, nil), "", append([]string{"--config", filepath.Join(dir, "jet.conf")}, tc.args...)...)
		if r.Code != cmdutil.ExitUsage || r.Err == nil || !strings.Contains(r.Err.Error(), tc.want) || strings.Contains(r.Err.Error(), tc.not) {
			t.Errorf("%v: exit %d err %v", tc.args, r.Code, r.Err)
		}
	}
}
