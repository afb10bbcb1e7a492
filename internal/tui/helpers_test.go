package tui

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/version"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// fakeBackend records what the installer asks of the outside world.
type fakeBackend struct {
	mu      sync.Mutex
	test    func(d config.Database) (ConnInfo, error)
	tests   []config.Database
	reg     Registration
	regErr  error
	regs    int
	written map[string]config.Settings
	opened  []string
	openErr error
}

func newFake() *fakeBackend {
	return &fakeBackend{
		test: func(config.Database) (ConnInfo, error) {
			return ConnInfo{Version: "PostgreSQL 16.2", Schema: "public", Tables: 12}, nil
		},
		reg: Registration{Token: "0123456789abcdef0123456789abcdef", Source: "database (table __jet__token)",
			ActivationURL: "https://app.jetadmin.io/builder/acme/resources/database/create/#engine=postgresql&token=0123456789abcdef0123456789abcdef"},
		written: map[string]config.Settings{},
	}
}

func (f *fakeBackend) TestConnection(_ context.Context, d config.Database) (ConnInfo, error) {
	f.mu.Lock()
	f.tests = append(f.tests, d)
	test := f.test
	f.mu.Unlock()
	return test(d)
}

func (f *fakeBackend) Register(context.Context, config.Settings) (Registration, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.regs++
	return f.reg, f.regErr
}

func (f *fakeBackend) WriteConfig(path string, s config.Settings) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.written[path] = s
	return nil
}

func (f *fakeBackend) OpenBrowser(url string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.opened = append(f.opened, url)
	return f.openErr
}

// wrongPasswordOnce fails the first connection test with SQLSTATE 28P01.
func wrongPasswordOnce(f *fakeBackend) {
	first := true
	ok := f.test
	f.test = func(d config.Database) (ConnInfo, error) {
		if first {
			first = false
			return ConnInfo{}, errPGWrongPassword(d.User)
		}
		return ok(d)
	}
}

// driver runs a bubbletea model without a terminal: it delivers messages,
// runs the commands they return (concurrently, as bubbletea does), and
// feeds their messages back until the model is idle.
type driver struct {
	t    *testing.T
	m    tea.Model
	msgs chan tea.Msg
	quit bool
}

var cmdSliceType = reflect.TypeOf([]tea.Cmd(nil))

func newDriver(t *testing.T, m tea.Model) *driver {
	d := &driver{t: t, m: m, msgs: make(chan tea.Msg, 256)}
	d.run(m.Init())
	d.send(tea.WindowSizeMsg{Width: 90, Height: 40})
	return d
}

func (d *driver) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() { d.msgs <- cmd() }()
}

func (d *driver) dispatch(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
		return
	case tea.BatchMsg:
		for _, c := range msg {
			d.run(c)
		}
		return
	case tea.QuitMsg:
		d.quit = true
		return
	}
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().ConvertibleTo(cmdSliceType) {
		cmds := v.Convert(cmdSliceType).Interface().([]tea.Cmd)
		go func() {
			for _, c := range cmds {
				if c != nil {
					d.msgs <- c()
				}
			}
		}()
		return
	}
	if d.quit {
		return
	}
	m, cmd := d.m.Update(msg)
	d.m = m
	d.run(cmd)
}

// settle processes messages until none arrives for a while (cursor blinks
// and spinner ticks come later and are handled at the next settle).
func (d *driver) settle() {
	for {
		select {
		case msg := <-d.msgs:
			d.dispatch(msg)
		case <-time.After(60 * time.Millisecond):
			return
		}
	}
}

func (d *driver) send(msgs ...tea.Msg) {
	for _, m := range msgs {
		d.dispatch(m)
		d.settle()
	}
}

// keys sends key presses, each handled with what it brings on before the
// next: "enter", "esc", "ctrl+c", "down", "up", "tab", "ctrl+u"; anything
// else is typed as text.
func (d *driver) keys(keys ...string) {
	for _, k := range keys {
		d.send(keyMsg(k))
	}
}

// burst sends key presses all at once, before the messages they bring on
// (as a fast typist, a paste or a loaded machine does), then settles.
func (d *driver) burst(keys ...string) {
	for _, k := range keys {
		d.dispatch(keyMsg(k))
	}
	d.settle()
}

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "ctrl+u":
		return tea.KeyMsg{Type: tea.KeyCtrlU}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// waitStep settles until the wizard reaches step (actions run in goroutines).
func (d *driver) waitStep(step Step) {
	d.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if w := d.m.(*wizard); w.step == step && w.busy == "" {
			return
		}
		d.settle()
	}
	d.t.Fatalf("wizard at step %v, want %v; screen:\n%s", d.m.(*wizard).step, step, d.screen())
}

var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)`)

// normalize makes a screen stable: no control sequences, no trailing
// spaces, the version and temporary folders replaced.
func normalize(s string, tmp ...string) string {
	s = ansi.ReplaceAllString(s, "")
	if v := version.Get().Version; v != "" {
		s = strings.ReplaceAll(s, "setup  "+v, "setup  VERSION")
	}
	for _, p := range tmp {
		s = strings.ReplaceAll(s, p, "$TMP")
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n") + "\n"
}

func (d *driver) screen() string { return normalize(d.m.View()) }

// golden compares got with testdata/name (rewritten with -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(file), "testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (run go test -run %s -update to accept):\n--- want\n%s\n--- got\n%s", name, t.Name(), want, got)
	}
}

// chdir moves into a temporary folder for the test (relative paths).
func chdir(t *testing.T) string {
	dir := t.TempDir()
	t.Chdir(dir)
	return dir
}

var errSentinel = errors.New("sentinel")

func writeFile(path, text string) error { return os.WriteFile(path, []byte(text), 0o600) }
