package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"

	"github.com/jetbridge/jetbridge/internal/version"
)

// maxContentWidth bounds the width of the forms on wide terminals.
const maxContentWidth = 78

// wizard is the full-screen installer: one bubbletea program that shows a
// huh form per question step, and a spinner while an action runs.
type wizard struct {
	ctx     context.Context
	flow    *Flow
	backend Backend
	st      styles
	theme   *huh.Theme
	keymap  *huh.KeyMap

	step   Step
	form   *huh.Form
	spin   spinner.Model
	busy   string             // spinner title while an action runs
	cancel context.CancelFunc // cancels the running action

	width, height int
	err           error  // why the wizard ended early
	finished      bool   // reached StepDone
	notice        string // why the page is shown again

	moving  bool         // a key moved the focus; the form has not yet
	held    []tea.KeyMsg // keys typed meanwhile, for the field focused next
	moveSeq int          // numbers the moves, for moveTimeoutMsg
}

// actionDoneMsg reports the end of an action step.
type actionDoneMsg struct {
	step Step
	flow Flow // the flow as the action left it
	err  error
}

func newWizard(ctx context.Context, flow *Flow, b Backend) *wizard {
	km := huh.NewDefaultKeyMap()
	km.Quit.SetEnabled(false) // the wizard handles Ctrl-C and Esc itself
	sp := spinner.New(spinner.WithSpinner(spinner.Dot))
	sp.Style = lipgloss.NewStyle().Foreground(colorFuchsia)
	return &wizard{ctx: ctx, flow: flow, backend: b, st: newStyles(), theme: theme(), keymap: km,
		spin: sp, width: 80, height: 24}
}

func (w *wizard) Init() tea.Cmd { return w.enter(StepEngine) }

// contentWidth is the width of the forms.
func (w *wizard) contentWidth() int {
	return max(min(w.width-4, maxContentWidth), 30)
}

// enter shows step: builds its form, or starts its action.
func (w *wizard) enter(step Step) tea.Cmd {
	w.step, w.form, w.busy = step, nil, ""
	switch step {
	case StepTest:
		w.busy = "Testing the connection to the " + w.flow.A.Where() + "…"
		return w.startAction(step, (*Flow).Test)
	case StepApply:
		w.busy = "Registering the Project Token with Jet Admin and saving the settings…"
		return w.startAction(step, (*Flow).Apply)
	case StepDone:
		w.finished = true
		return tea.Quit
	case StepQuit:
		w.err = ErrQuit
		return tea.Quit
	}
	fields := w.flow.Fields(step, pageOptions{})
	w.form = huh.NewForm(huh.NewGroup(fields...)).
		WithTheme(w.theme).
		WithKeyMap(w.keymap).
		WithShowHelp(true).
		WithWidth(w.contentWidth())
	return tea.Batch(w.form.Init(), w.sizeForm())
}

// formSizeMsg carries the room the form has below the chrome.
type formSizeMsg tea.WindowSizeMsg

// sizeForm tells the form how much room it has below the chrome.
func (w *wizard) sizeForm() tea.Cmd {
	msg := formSizeMsg{Width: w.contentWidth(), Height: max(w.height-lipgloss.Height(w.chrome())-6, 8)}
	return func() tea.Msg { return msg }
}

// startAction runs an action on a copy of the flow (the view keeps reading
// the original); the copy replaces the flow when the action is done.
func (w *wizard) startAction(step Step, run func(*Flow, context.Context, Backend) error) tea.Cmd {
	ctx, cancel := context.WithCancel(w.ctx)
	w.cancel = cancel
	b, cp := w.backend, *w.flow
	return tea.Batch(w.spin.Tick, func() tea.Msg {
		err := run(&cp, ctx, b)
		return actionDoneMsg{step: step, flow: cp, err: err}
	})
}

func (w *wizard) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		w.width, w.height = msg.Width, msg.Height
		if w.form != nil {
			w.form.WithWidth(w.contentWidth())
			return w, w.sizeForm()
		}
		return w, nil
	case tea.KeyMsg:
		switch msg.String() {
		case "ctrl+c", "esc":
			return w, w.interrupt()
		}
		return w, w.key(msg)
	case moveTimeoutMsg:
		if !w.moving || msg.seq != w.moveSeq {
			return w, nil
		}
		return w, w.release()
	case actionDoneMsg:
		if msg.step != w.step {
			return w, nil
		}
		w.cancel()
		w.cancel = nil
		if msg.err != nil {
			if w.ctx.Err() != nil || errors.Is(msg.err, context.Canceled) {
				w.err = ErrInterrupted
			} else {
				w.err = msg.err
			}
			return w, tea.Quit
		}
		*w.flow = msg.flow
		return w, w.enter(w.flow.Next(msg.step))
	case formSizeMsg:
		if w.form == nil {
			return w, nil
		}
		m, cmd := w.form.Update(tea.WindowSizeMsg(msg))
		w.form = m.(*huh.Form)
		return w, cmd
	case spinner.TickMsg:
		if w.busy == "" {
			return w, nil
		}
		var cmd tea.Cmd
		w.spin, cmd = w.spin.Update(msg)
		return w, cmd
	}
	return w, w.other(msg)
}

// pageDone moves on from a submitted page, unless an answer fails its check
// (typed faster than the form validated it): then the page is shown again
// with the problem.
func (w *wizard) pageDone() tea.Cmd {
	if err := w.flow.PageProblem(w.step); err != nil {
		w.notice = err.Error()
		return w.enter(w.step)
	}
	w.notice = ""
	if w.step == StepActivate {
		w.flow.Open(w.backend)
	}
	return w.enter(w.flow.Next(w.step))
}

func (w *wizard) interrupt() tea.Cmd {
	if w.cancel != nil {
		w.cancel()
	}
	if w.step == StepActivate {
		// everything is saved: leaving here only means "do not open the page"
		w.finished = true
		return tea.Quit
	}
	w.err = ErrInterrupted
	return tea.Quit
}

// chrome is the title bar and the step indicator.
func (w *wizard) chrome() string {
	title := w.st.title.Render("Jet Bridge setup") + w.st.version.Render(version.Get().Version)
	return title + "\n\n" + w.st.indicator(w.step.Phase())
}

func (w *wizard) View() string {
	if w.finished || w.err != nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(w.chrome())
	b.WriteString("\n\n")
	if w.step.Phase() > 1 && w.flow.Failure == nil && w.flow.Conn.Version != "" {
		b.WriteString(w.st.ok.Render("✓ "+w.flow.ConnectedLine()) + "\n\n")
	}
	switch {
	case w.busy != "":
		b.WriteString(w.spin.View() + " " + w.busy + "\n")
	case w.step == StepFailed && w.flow.Failure != nil:
		b.WriteString(w.failureView() + "\n\n")
	case w.step == StepActivate:
		b.WriteString(w.activateView() + "\n\n")
	}
	if w.notice != "" && w.form != nil {
		b.WriteString(w.st.fail.Render("✗ "+w.notice) + "\n\n")
	}
	if w.form != nil {
		b.WriteString(w.form.View())
		b.WriteString("\n" + w.st.help.Render("esc quit without saving") + "\n")
	}
	return lipgloss.NewStyle().Margin(1, 2).Render(b.String())
}

func (w *wizard) failureView() string {
	fl := w.flow.Failure
	body := w.st.fail.Render("✗ Connection failed: "+fl.Title) + "\n\n" +
		w.st.dim.Render(wrap(fl.Detail, w.contentWidth()-4)) + "\n\n" +
		wrap("Hint: "+fl.Hint, w.contentWidth()-4)
	return w.st.failBox.Width(w.contentWidth()).Render(body)
}

func (w *wizard) activateView() string {
	r := w.flow.Reg
	var b strings.Builder
	b.WriteString(w.st.ok.Render("✓ Settings saved to "+w.flow.Written) + "\n")
	verb := "registered and stored"
	if r.Existing {
		verb = "already present; kept"
	}
	b.WriteString(w.st.ok.Render(fmt.Sprintf("✓ Project Token %s", verb)) + "\n")
	if r.Warning != "" {
		b.WriteString(w.st.warn.Render("! ") + wrap(r.Warning, w.contentWidth()-2) + "\n")
	}
	b.WriteString("\nActivate the bridge in Jet Admin:\n" + w.st.link.Render(r.ActivationURL))
	return b.String()
}

// wrap wraps text at width (long words such as URLs are left whole).
func wrap(s string, width int) string {
	if width < 10 {
		return s
	}
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			switch {
			case line == "":
				line = word
			case lipgloss.Width(line)+1+lipgloss.Width(word) > width:
				out = append(out, line)
				line = word
			default:
				line += " " + word
			}
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// RunWizard runs the full-screen wizard on a terminal (in and out) and
// returns the finished flow. It returns ErrInterrupted when the user pressed
// Ctrl-C or Esc, ErrQuit when they quit after a failed connection test, or
// the error that stopped it; in all those cases no file was written.
func RunWizard(ctx context.Context, flow *Flow, b Backend, in io.Reader, out io.Writer) error {
	w := newWizard(ctx, flow, b)
	p := tea.NewProgram(w, tea.WithInput(in), tea.WithOutput(out), tea.WithAltScreen(), tea.WithContext(ctx))
	m, err := p.Run()
	if err != nil {
		if ctx.Err() != nil {
			return ErrInterrupted
		}
		return fmt.Errorf("run the wizard: %w", err)
	}
	w = m.(*wizard)
	if w.err != nil {
		return w.err
	}
	if !w.finished {
		return ErrInterrupted
	}
	return nil
}
