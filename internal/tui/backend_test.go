package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/jetadmin"
	"github.com/jetbridge/jetbridge/internal/jetadmin/jetadmintest"
	"github.com/jetbridge/jetbridge/internal/register"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

func testBackend() *realBackend {
	b := NewBackend().(*realBackend)
	b.newClient = func(base string) *jetadmin.Client {
		return jetadmin.New(base, jetadmin.WithRetryBackoff(0), jetadmin.WithTimeout(5*time.Second))
	}
	return b
}

// Register obtains a token from the API and stores it; a second run keeps it;
// an unreachable API is a warning, not an error.
func TestRegister(t *testing.T) {
	ctx := context.Background()
	api := jetadmintest.New(t)
	s := config.Defaults()
	s.Database = testdb.Config(t, config.EngineSQLite)
	s.APIBaseURL = api.URL
	s.Project = "acme"
	b := testBackend()

	r, err := b.Register(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	issued := api.IssuedTokens()
	if len(issued) != 1 || r.Token != jetadmintest.Normalize(issued[0]) || r.Existing || r.Source != register.SourceDatabase || r.Warning != "" {
		t.Fatalf("registration %+v, issued %v", r, issued)
	}
	if !strings.Contains(r.ActivationURL, "/builder/acme/") || !strings.Contains(r.ActivationURL, "token="+r.Token) {
		t.Errorf("activation URL %q", r.ActivationURL)
	}
	x, err := db.Open(ctx, s.Database)
	if err != nil {
		t.Fatal(err)
	}
	stored, found, err := register.NewStore(x).Get(ctx)
	_ = x.Close()
	if err != nil || !found || stored.Token != r.Token || stored.Project != "acme" {
		t.Fatalf("stored %+v found %v err %v", stored, found, err)
	}

	r2, err := b.Register(ctx, s)
	if err != nil || !r2.Existing || r2.Token != r.Token || len(api.IssuedTokens()) != 1 {
		t.Errorf("second run %+v err %v issued %d", r2, err, len(api.IssuedTokens()))
	}
	api.SetActivated(r.Token, true)
	r3, err := b.Register(ctx, s)
	if err != nil || !r3.Activated || r3.ActivationURL != "" {
		t.Errorf("activated run %+v err %v", r3, err)
	}

	down := jetadmintest.New(t)
	down.SetDown(true)
	s.Database = testdb.Config(t, config.EngineSQLite)
	s.APIBaseURL = down.URL
	r4, err := b.Register(ctx, s)
	if err != nil || r4.Token != "" || !strings.Contains(r4.Warning, "No Project Token could be registered") {
		t.Errorf("API down: %+v err %v", r4, err)
	}
}

// RunNoInput refuses an existing file without Force and writes nothing when
// the connection fails.
func TestRunNoInput(t *testing.T) {
	dir := chdir(t)
	s := config.Defaults()
	s.Database = config.Database{Engine: config.EngineSQLite, Name: "data.db"}
	ctx := context.Background()

	b := newFake()
	var out, errOut strings.Builder
	if err := RunNoInput(ctx, NewFlow(s), b, NoInputOptions{}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if _, ok := b.written["jet.conf"]; !ok || !strings.Contains(out.String(), "jetbridge serve") {
		t.Fatalf("written %v\n%s", b.written, out.String())
	}
	// the fake wrote nothing on disk: make the file exist
	if err := writeFile(dir+"/jet.conf", "[JET]\n"); err != nil {
		t.Fatal(err)
	}
	b = newFake()
	if err := RunNoInput(ctx, NewFlow(s), b, NoInputOptions{}, &out, &errOut); err == nil || !strings.Contains(err.Error(), "--force") || len(b.tests) != 0 {
		t.Errorf("existing file: %v (tests %d)", err, len(b.tests))
	}
	b = newFake()
	b.test = func(config.Database) (ConnInfo, error) { return ConnInfo{}, errPGWrongPassword("u") }
	errOut.Reset()
	err := RunNoInput(ctx, NewFlow(s), b, NoInputOptions{Force: true}, &out, &errOut)
	if err != ErrConnection || len(b.written) != 0 || b.regs != 0 || !strings.Contains(errOut.String(), "Hint:") {
		t.Errorf("failed test: %v written %v regs %d\n%s", err, b.written, b.regs, errOut.String())
	}
}

func TestMissingValues(t *testing.T) {
	s := config.Defaults()
	s.Database = config.Database{Engine: config.EngineMySQL, Name: "x"}
	if m := MissingValues(s); len(m) != 1 || !strings.Contains(m[0], "DATABASE_USER") {
		t.Errorf("missing %q", m)
	}
	s.Database.Engine = config.EngineSQLite
	if m := MissingValues(s); len(m) != 0 {
		t.Errorf("sqlite missing %q", m)
	}
}
