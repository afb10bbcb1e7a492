package tui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
)

// The full-screen wizard, driven in process with key messages against a fake
// backend: every screen that matters is compared with a golden file.
func TestWizardScreens(t *testing.T) {
	tmp := chdir(t)
	b := newFake()
	wrongPasswordOnce(b)
	flow := NewFlow(config.Defaults())
	flow.A.BearerKey = testBearerKey // the offered key, fixed for the golden files
	w := newWizard(context.Background(), flow, b)
	d := newDriver(t, w)

	d.waitStep(StepEngine)
	golden(t, "wizard_engine.golden", d.screen())
	d.keys("enter") // PostgreSQL

	d.waitStep(StepServer)
	golden(t, "wizard_server.golden", d.screen())
	d.keys("ctrl+u", "db.example.com", "enter", "enter", "app", "enter", "wrong", "enter", "shop", "enter", "enter", "n")

	d.waitStep(StepFailed)
	golden(t, "wizard_failed.golden", d.screen())
	if len(b.tests) != 1 || b.tests[0].Password != "wrong" || b.tests[0].Host != "db.example.com" || b.tests[0].Port != 5432 {
		t.Fatalf("first test with %+v", b.tests)
	}
	d.keys("enter") // edit, answers kept

	d.waitStep(StepServer)
	if !strings.Contains(d.screen(), "db.example.com") || !strings.Contains(d.screen(), "shop") {
		t.Errorf("the answers were not kept:\n%s", d.screen())
	}
	d.keys("enter", "enter", "enter", "ctrl+u", "s3cret", "enter", "enter", "enter", "n")

	d.waitStep(StepProject)
	golden(t, "wizard_project.golden", d.screen())
	if len(b.tests) != 2 || b.tests[1].Password != "s3cret" {
		t.Fatalf("second test with %+v", b.tests)
	}
	d.keys("acme", "enter", "enter") // project; yes, generate a Bearer key

	d.waitStep(StepConfigPath)
	d.keys("enter") // jet.conf

	d.waitStep(StepActivate)
	golden(t, "wizard_activate.golden", normalize(d.m.View(), tmp))
	d.keys("y")
	if !d.quit || w.err != nil || !w.finished {
		t.Fatalf("quit %v err %v finished %v", d.quit, w.err, w.finished)
	}
	if len(b.opened) != 1 || b.opened[0] != b.reg.ActivationURL {
		t.Errorf("opened %v", b.opened)
	}
	s, ok := b.written["jet.conf"]
	if !ok {
		t.Fatalf("nothing written: %v", b.written)
	}
	db := s.Database
	if db.Engine != config.EnginePostgres || db.Host != "db.example.com" || db.Port != 5432 || db.User != "app" ||
		db.Password != "s3cret" || db.Name != "shop" || s.Project != "acme" || b.regs != 1 || s.BearerAuthKey != testBearerKey {
		t.Errorf("written %+v (registrations %d)", s, b.regs)
	}
	golden(t, "wizard_summary.golden", normalize(flow.StyledSummary(true), tmp))
}

// Esc and Ctrl-C stop the wizard at any step without writing anything.
func TestWizardInterrupt(t *testing.T) {
	chdir(t)
	for _, key := range []string{"esc", "ctrl+c"} {
		for _, at := range []Step{StepEngine, StepServer, StepFailed} {
			t.Run(key+" at "+at.String(), func(t *testing.T) {
				b := newFake()
				b.test = func(config.Database) (ConnInfo, error) { return ConnInfo{}, errPGWrongPassword("u") }
				w := newWizard(context.Background(), NewFlow(config.Defaults()), b)
				d := newDriver(t, w)
				switch at {
				case StepServer:
					d.keys("enter")
				case StepFailed:
					d.keys("enter", "enter", "enter", "u", "enter", "enter", "db", "enter", "enter", "n")
				}
				d.waitStep(at)
				d.keys(key)
				if !d.quit || !errors.Is(w.err, ErrInterrupted) {
					t.Errorf("quit %v err %v", d.quit, w.err)
				}
				if len(b.written) != 0 || b.regs != 0 {
					t.Errorf("written %v, registrations %d", b.written, b.regs)
				}
			})
		}
	}
}

// Quitting on the failure screen ends with ErrQuit; choosing another engine
// goes back to the first step with the answers kept.
func TestWizardFailureChoices(t *testing.T) {
	chdir(t)
	b := newFake()
	b.test = func(config.Database) (ConnInfo, error) { return ConnInfo{}, errPGWrongPassword("u") }
	w := newWizard(context.Background(), NewFlow(config.Defaults()), b)
	d := newDriver(t, w)
	d.keys("enter", "enter", "enter", "u", "enter", "enter", "db", "enter", "enter", "n")
	d.waitStep(StepFailed)
	d.keys("down", "enter")
	d.waitStep(StepEngine)
	d.keys("enter")
	d.waitStep(StepServer)
	if w.flow.A.User != "u" || w.flow.A.Name != "db" {
		t.Errorf("answers lost: %+v", w.flow.A)
	}
	d.keys("enter", "enter", "enter", "enter", "enter", "enter", "n")
	d.waitStep(StepFailed)
	d.keys("down", "down", "enter")
	if !d.quit || !errors.Is(w.err, ErrQuit) || len(b.written) != 0 {
		t.Errorf("quit %v err %v written %v", d.quit, w.err, b.written)
	}
}

// Enters typed faster than the form validates (five at once in a real
// terminal) must not skip a required field: a submitted page is checked
// again, comes back with the problem, and no connection is tested with an
// empty user.
func TestWizardFastTypingKeepsRequiredFields(t *testing.T) {
	chdir(t)
	b := newFake()
	flow := NewFlow(config.Defaults())
	w := newWizard(context.Background(), flow, b)
	d := newDriver(t, w)
	d.waitStep(StepEngine)
	d.keys("enter") // PostgreSQL
	d.waitStep(StepServer)
	// the form completed with the user still empty (as a burst of Enters
	// did in a real terminal): the page comes back with the problem
	w = d.m.(*wizard)
	d.run(w.pageDone())
	d.settle()
	if len(b.tests) != 0 {
		t.Fatalf("a connection was tested with %+v", b.tests)
	}
	if w := d.m.(*wizard); w.step != StepServer || !strings.Contains(d.screen(), "✗ user is required") {
		t.Fatalf("wizard at %v, want the server page again with the problem; screen:\n%s", w.step, d.screen())
	}
	// answered, the page moves on to the connection test
	w.flow.A.User, w.flow.A.Name = "app", "shop"
	d.run(w.pageDone())
	d.waitStep(StepProject)
	if len(b.tests) != 1 || b.tests[0].User != "app" {
		t.Fatalf("tests %+v", b.tests)
	}
	// the page check itself, for every required answer
	f := NewFlow(config.Defaults())
	f.A.Engine, f.A.Host, f.A.Port, f.A.Name = config.EnginePostgres, "db", "5432", "shop"
	if err := f.PageProblem(StepServer); err == nil || !strings.Contains(err.Error(), "user is required") {
		t.Errorf("empty user: %v", err)
	}
	f.A.User = "app"
	if err := f.PageProblem(StepServer); err != nil {
		t.Errorf("complete page: %v", err)
	}
	f.A.Port = "0"
	if err := f.PageProblem(StepServer); err == nil {
		t.Error("port 0 passed")
	}
}
