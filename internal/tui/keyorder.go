package tui

import (
	"reflect"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
)

// Keys and focus moves in order.
//
// A huh form moves its focus asynchronously: Enter on a valid field returns
// a command whose message (huh's nextFieldMsg, then nextGroupMsg on the last
// field) comes back through the program's message queue. Keys typed before
// that message arrives (fast typing, a paste, a slow or loaded machine)
// went to the field that was being left: Ctrl-U and the next answer cleared
// and overwrote the field just confirmed, and further Enters validated it
// again instead of the empty required field they skipped. So a key that
// moves the focus holds the keys after it until the form has moved; they
// are then given to the field they were typed for.

// moveTimeout releases the held keys should the form's move never be seen
// (a huh version whose messages are named differently): the keys are late
// then, never lost.
const moveTimeout = 2 * time.Second

// moveTimeoutMsg ends the wait for move number seq.
type moveTimeoutMsg struct{ seq int }

// huhPkg is the package of huh's own messages.
var huhPkg = reflect.TypeOf(huh.NextField()).PkgPath()

// formMove tells whether msg is one of huh's focus moves: between fields
// of a group (field true) or between groups (which submits a one-group form).
func formMove(msg tea.Msg) (move, field bool) {
	t := reflect.TypeOf(msg)
	if t == nil || t.PkgPath() != huhPkg {
		return false, false
	}
	switch t.Name() {
	case "nextFieldMsg", "prevFieldMsg":
		return true, true
	case "nextGroupMsg", "prevGroupMsg":
		return true, false
	}
	return false, false
}

// movesFocus tells whether k, just handled by the focused field f, makes f
// move the focus: a next, previous or submit key (or a confirm's yes/no) on
// a field whose check passed.
func (w *wizard) movesFocus(f huh.Field, k tea.KeyMsg) bool {
	if f == nil || f.Error() != nil {
		return false
	}
	km := w.keymap
	var binds []key.Binding
	switch f.(type) {
	case *huh.Input:
		binds = []key.Binding{km.Input.Prev, km.Input.Next, km.Input.Submit}
	case *huh.Confirm:
		binds = []key.Binding{km.Confirm.Prev, km.Confirm.Next, km.Confirm.Submit, km.Confirm.Accept, km.Confirm.Reject}
	case *huh.Note:
		binds = []key.Binding{km.Note.Prev, km.Note.Next, km.Note.Submit}
	default: // selects
		binds = []key.Binding{km.Select.Prev, km.Select.Next, km.Select.Submit, km.MultiSelect.Prev, km.MultiSelect.Next, km.MultiSelect.Submit}
	}
	return key.Matches(k, binds...)
}

// key gives a key to the form, or holds it while the form is moving.
func (w *wizard) key(k tea.KeyMsg) tea.Cmd {
	if w.moving {
		w.held = append(w.held, k)
		return nil
	}
	if w.form == nil {
		return nil // an action runs: keys typed meanwhile mean nothing
	}
	form := w.form
	cmd := w.updateForm(k)
	if w.form != form || w.form.State != huh.StateNormal || !w.movesFocus(w.form.GetFocusedField(), k) {
		return cmd
	}
	w.moving = true
	w.moveSeq++
	seq := w.moveSeq
	return tea.Batch(cmd, tea.Tick(moveTimeout, func(time.Time) tea.Msg { return moveTimeoutMsg{seq: seq} }))
}

// other gives any other message to the form and ends a wait for a move
// when the form has moved (or a new page replaced it).
func (w *wizard) other(msg tea.Msg) tea.Cmd {
	if w.form == nil {
		return nil
	}
	form, focused := w.form, w.form.GetFocusedField()
	cmd := w.updateForm(msg)
	if !w.moving {
		return cmd
	}
	move, field := formMove(msg)
	switch {
	case w.form != form, w.form == nil:
	case move && !field: // between groups: done (or refused with errors)
	case move && w.form.GetFocusedField() != focused:
	default:
		return cmd // a move off the last field continues between groups
	}
	return tea.Batch(cmd, w.release())
}

// release ends the wait for a move and gives the held keys, in order, to
// the form (the next move holds the rest again).
func (w *wizard) release() tea.Cmd {
	w.moving = false
	held := w.held
	w.held = nil
	var cmds []tea.Cmd
	for i, k := range held {
		cmds = append(cmds, w.key(k))
		if w.moving {
			w.held = append(w.held, held[i+1:]...)
			break
		}
	}
	return tea.Batch(cmds...)
}

// updateForm gives msg to the form and moves on when the page is submitted.
func (w *wizard) updateForm(msg tea.Msg) tea.Cmd {
	m, cmd := w.form.Update(msg)
	w.form = m.(*huh.Form)
	switch w.form.State {
	case huh.StateCompleted:
		return w.pageDone()
	case huh.StateAborted:
		return w.interrupt()
	}
	return cmd
}
