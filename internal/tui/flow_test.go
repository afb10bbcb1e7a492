package tui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
)

func TestFlowNext(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "exists")
	if err := os.WriteFile(existing, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing")
	pg := func(f *Flow) { f.A.Engine = config.EnginePostgres }
	lite := func(f *Flow) { f.A.Engine = config.EngineSQLite }
	tests := []struct {
		name  string
		setup func(f *Flow)
		cur   Step
		want  Step
	}{
		{"engine to server", pg, StepEngine, StepServer},
		{"engine to sqlite", lite, StepEngine, StepSQLitePath},
		{"server without TLS tests", pg, StepServer, StepTest},
		{"server with TLS asks the mode", func(f *Flow) { pg(f); f.A.TLS = true }, StepServer, StepTLS},
		{"TLS tests", pg, StepTLS, StepTest},
		{"existing sqlite file tests", func(f *Flow) { lite(f); f.A.Path = existing }, StepSQLitePath, StepTest},
		{"missing sqlite file asks", func(f *Flow) { lite(f); f.A.Path = missing }, StepSQLitePath, StepSQLiteCreate},
		{"create yes tests", func(f *Flow) { lite(f); f.A.CreateFile = true }, StepSQLiteCreate, StepTest},
		{"create no asks the path again", func(f *Flow) { lite(f); f.A.CreateFile = false }, StepSQLiteCreate, StepSQLitePath},
		{"test ok asks the project", pg, StepTest, StepProject},
		{"test failed", func(f *Flow) { pg(f); f.Failure = &Failure{} }, StepTest, StepFailed},
		{"failed edit server", func(f *Flow) { pg(f); f.Choice = ChoiceEdit }, StepFailed, StepServer},
		{"failed edit sqlite", func(f *Flow) { lite(f); f.Choice = ChoiceEdit }, StepFailed, StepSQLitePath},
		{"failed engine", func(f *Flow) { f.Choice = ChoiceEngine }, StepFailed, StepEngine},
		{"failed quit", func(f *Flow) { f.Choice = ChoiceQuit }, StepFailed, StepQuit},
		{"project to config", pg, StepProject, StepConfigPath},
		{"new config applies", func(f *Flow) { f.A.ConfigPath = missing }, StepConfigPath, StepApply},
		{"existing config asks", func(f *Flow) { f.A.ConfigPath = existing; f.A.Overwrite = true }, StepConfigPath, StepOverwrite},
		{"overwrite yes", func(f *Flow) { f.A.Overwrite = true }, StepOverwrite, StepApply},
		{"overwrite no asks the path again", func(f *Flow) { f.A.Overwrite = false }, StepOverwrite, StepConfigPath},
		{"applied with a link", func(f *Flow) { f.Reg.ActivationURL = "https://x" }, StepApply, StepActivate},
		{"applied activated", func(f *Flow) { f.Reg = Registration{ActivationURL: "https://x", Activated: true} }, StepApply, StepDone},
		{"applied without token", func(f *Flow) {}, StepApply, StepDone},
		{"activate done", func(f *Flow) {}, StepActivate, StepDone},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := NewFlow(config.Defaults())
			tc.setup(f)
			if got := f.Next(tc.cur); got != tc.want {
				t.Errorf("Next(%v) = %v, want %v", tc.cur, got, tc.want)
			}
		})
	}
}

// An existing config's overwrite question starts at "no".
func TestFlowOverwriteDefaultsToNo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jet.conf")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	f := NewFlow(config.Defaults())
	f.A.ConfigPath, f.A.Overwrite = path, true
	if f.Next(StepConfigPath) != StepOverwrite || f.A.Overwrite {
		t.Errorf("overwrite %v", f.A.Overwrite)
	}
}

func TestFlowApply(t *testing.T) {
	b := newFake()
	s := config.Defaults()
	s.Database = config.Database{Engine: config.EnginePostgres, Host: "db", Port: 5432, User: "u", Password: "p", Name: "shop", Connections: 5}
	f := NewFlow(s)
	f.A.ConfigPath = "x.conf"
	f.A.Project = "acme"

	// the token goes into the file when the database refuses the table
	b.reg = Registration{Token: "0123456789abcdef0123456789abcdef", Source: SourceConfig}
	if err := f.Apply(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	got := b.written["x.conf"]
	if got.Token != b.reg.Token || got.Project != "acme" || got.Database.Password != "p" {
		t.Errorf("written %+v", got)
	}
	if !filepath.IsAbs(f.Written) {
		t.Errorf("written path %q", f.Written)
	}

	// a registration error is a warning; the file is still written
	b.written = map[string]config.Settings{}
	b.reg, b.regErr = Registration{}, errSentinel
	if err := f.Apply(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	if _, ok := b.written["x.conf"]; !ok || f.Reg.Warning == "" {
		t.Errorf("written %v warning %q", b.written, f.Reg.Warning)
	}
}

// Switching the engine in the wizard forgets what belonged to the loaded
// engine and is not shown: the password and DATABASE_EXTRA (sslmode=disable
// makes MySQL fail with "Unknown system variable 'sslmode'").
func TestFlowEngineSwitchDropsEngineSettings(t *testing.T) {
	base := config.Defaults()
	base.Database = config.Database{Engine: config.EnginePostgres, Host: "db", Port: 5432, User: "app", Password: "pg-pw",
		Name: "shop", Extra: "sslmode=disable&application_name=x", SSLCert: "c.pem", SSLKey: "k.pem", Connections: 5}

	f := NewFlow(base)
	f.A.Engine = config.EngineMySQL
	if next := f.Next(StepEngine); next != StepServer {
		t.Fatalf("next %v", next)
	}
	if f.A.Password != "" || f.A.Port != "3306" {
		t.Errorf("answers after the switch: password %q port %q", f.A.Password, f.A.Port)
	}
	d := f.Settings().Database
	if d.Extra != "" || d.SSLCert != "" || d.SSLKey != "" || d.Password != "" || d.Engine != config.EngineMySQL {
		t.Errorf("PostgreSQL settings reach MySQL: %+v", d)
	}
	if d.Host != "db" || d.User != "app" || d.Name != "shop" {
		t.Errorf("shown answers lost: %+v", d)
	}

	// a password typed for the new engine survives a second pass
	f.A.Password = "my-pw"
	f.Next(StepEngine)
	if f.A.Password != "my-pw" {
		t.Errorf("typed password dropped: %q", f.A.Password)
	}

	// the same engine keeps everything
	same := NewFlow(base)
	same.Next(StepEngine)
	if d := same.Settings().Database; d.Password != "pg-pw" || !strings.Contains(d.Extra, "sslmode=disable") {
		t.Errorf("same engine lost settings: %+v", d)
	}
}
