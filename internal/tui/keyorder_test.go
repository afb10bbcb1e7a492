package tui

import (
	"context"
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
)

// Keys typed faster than the form moves its focus reach the field they were
// typed for: nothing is lost, nothing overwrites the field just left, and a
// burst of Enters stops at an empty required field.
func TestWizardKeysAheadOfTheForm(t *testing.T) {
	for _, c := range []struct {
		name  string
		keys  []string
		step  Step   // where the wizard ends up
		want  string // on the screen, when it stays on the page
		focus string // the field focused then
		check func(t *testing.T, d config.Database)
	}{
		{
			name: "a whole page typed at once",
			keys: []string{"ctrl+u", "db.example.com", "enter", "ctrl+u", "5433", "enter", "app", "enter",
				"s3cret", "enter", "shop", "enter", "tab", "shift+tab", "enter", "n"},
			step: StepProject,
			check: func(t *testing.T, d config.Database) {
				if d.Host != "db.example.com" || d.Port != 5433 || d.User != "app" || d.Password != "s3cret" || d.Name != "shop" {
					t.Errorf("tested with %+v", d)
				}
			},
		},
		{
			name:  "Enters stop at the empty user",
			keys:  []string{"enter", "enter", "enter", "enter", "enter", "enter", "enter"},
			step:  StepServer,
			want:  "user is required",
			focus: "User",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			chdir(t)
			b := newFake()
			w := newWizard(context.Background(), NewFlow(config.Defaults()), b)
			d := newDriver(t, w)
			d.waitStep(StepEngine)
			d.keys("enter") // PostgreSQL
			d.waitStep(StepServer)
			d.burst(c.keys...)
			if c.step != StepServer {
				d.waitStep(c.step)
			}
			if w := d.m.(*wizard); w.step != c.step || !strings.Contains(d.screen(), c.want) {
				t.Fatalf("wizard at %v, want %v showing %q; screen:\n%s", w.step, c.step, c.want, d.screen())
			}
			// the form itself stopped there: the page was not submitted
			// with the field empty and shown again
			if w := d.m.(*wizard); c.focus != "" && (w.notice != "" || !strings.Contains(d.screen(), "┃ "+c.focus+"\n")) {
				t.Fatalf("notice %q, want the focus on %s; screen:\n%s", w.notice, c.focus, d.screen())
			}
			b.mu.Lock()
			defer b.mu.Unlock()
			if c.check == nil {
				if len(b.tests) != 0 {
					t.Fatalf("a connection was tested with %+v", b.tests)
				}
				return
			}
			if len(b.tests) != 1 {
				t.Fatalf("tests %+v", b.tests)
			}
			c.check(t, b.tests[0])
		})
	}
}
