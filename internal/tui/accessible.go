package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/charmbracelet/huh"
)

// ErrInputEnded means standard input ended before every question of the
// accessible mode was answered: nothing was written.
var ErrInputEnded = errors.New("standard input ended before every question was answered: nothing was written")

// AccessibleOptions configure RunAccessible.
type AccessibleOptions struct {
	// InTerminal says that the input is a terminal.
	InTerminal bool
	// Reveal prints the full activation link (the output is a terminal).
	Reveal bool
}

// RunAccessible asks the wizard's questions line by line (huh's accessible
// prompts): nothing is redrawn, so screen readers read every line, and the
// answers can be piped in, one a line; an empty line keeps the value shown in
// brackets. o.InTerminal says whether in is a terminal: only then is the
// password read without echo; from a pipe it is read as a plain line.
//
// It returns ErrInterrupted when ctx is cancelled (Ctrl-C), ErrQuit when the
// user quits after a failed connection test, ErrInputEnded when in ends
// early; in all those cases no file was written.
func RunAccessible(ctx context.Context, flow *Flow, b Backend, o AccessibleOptions, in io.Reader, out io.Writer) error {
	inTerminal := o.InTerminal
	lr := newLineReader(in)
	if !o.InTerminal {
		lr.echo = out // piped answers: show them, so that the transcript reads well
	}
	var r io.Reader = lr
	if f, ok := in.(*os.File); ok && inTerminal {
		r = &ttyLineReader{lineReader: lr, fd: f.Fd()}
	}
	opts := pageOptions{accessible: true, plainPassword: !inTerminal, reveal: o.Reveal}
	fmt.Fprintln(out, "Jet Bridge setup. Answer each question and press Enter; an empty answer keeps the value in brackets. Press Ctrl-C to quit without saving.")

	phase := -1
	step := StepEngine
	for {
		if p := step.Phase(); p != phase && p < len(phases) {
			phase = p
			fmt.Fprintf(out, "\nStep %d of %d: %s\n", p+1, len(phases), phases[p])
		}
		switch step {
		case StepTest:
			fmt.Fprintf(out, "Testing the connection to the %s...\n", flow.A.Where())
			if err := flow.Test(ctx, b); err != nil {
				return ErrInterrupted
			}
			if flow.Failure == nil {
				fmt.Fprintln(out, "OK: "+flow.ConnectedLine())
			}
		case StepApply:
			fmt.Fprintln(out, "Registering the Project Token with Jet Admin and saving the settings...")
			if err := flow.Apply(ctx, b); err != nil {
				if ctx.Err() != nil {
					return ErrInterrupted
				}
				return err
			}
			fmt.Fprintln(out, "OK: settings saved to "+flow.Written)
		case StepDone:
			fmt.Fprintln(out)
			fmt.Fprint(out, flow.PlainSummary(o.Reveal))
			return nil
		case StepQuit:
			return ErrQuit
		default:
			for _, field := range flow.Fields(step, opts) {
				lr.setSecret(isPassword(field))
				if err := askAccessible(ctx, field, r, out); err != nil {
					if step == StepActivate && errors.Is(err, ErrInterrupted) {
						break // everything is saved: only the page is not opened
					}
					return err
				}
				if lr.ended() {
					if step == StepActivate {
						flow.A.OpenBrowser = false // no answer: everything is saved, the page is not opened
						break
					}
					return ErrInputEnded
				}
			}
			if step == StepActivate {
				flow.Open(b)
			}
		}
		step = flow.Next(step)
	}
}

// isPassword reports whether field is the password question.
func isPassword(field huh.Field) bool {
	in, ok := field.(*huh.Input)
	return ok && strings.HasPrefix(in.GetKey(), passwordKey)
}

// askAccessible runs one field's line prompt; Ctrl-C (ctx cancelled) stops
// waiting for the answer.
func askAccessible(ctx context.Context, field huh.Field, r io.Reader, out io.Writer) error {
	field.WithTheme(huh.ThemeBase())
	field.Init()
	field.Focus()
	done := make(chan error, 1)
	go func() { done <- field.RunAccessible(out, r) }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("read the answer: %w", err)
		}
		return nil
	case <-ctx.Done():
		fmt.Fprintln(out)
		return ErrInterrupted
	}
}

// lineReader hands out at most one line per Read, reading byte by byte, so
// that huh's prompts (each with its own bufio.Scanner) never read past the
// answer they ask for. It remembers when the input ended with nothing left.
type lineReader struct {
	r       io.Reader
	mu      sync.Mutex
	pending int  // bytes handed out since the last newline
	eof     bool // the input ended with no partial line pending
	// echo, when set, receives each line read (a secret one as "*****").
	echo   io.Writer
	secret bool
	line   []byte
}

func (l *lineReader) setSecret(v bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.secret = v
}

// echoLine writes the line just read to echo.
func (l *lineReader) echoLine() {
	if l.echo == nil {
		return
	}
	text := strings.TrimRight(string(l.line), "\r\n")
	if l.secret && text != "" {
		text = "*****"
	}
	_, _ = io.WriteString(l.echo, text+"\n")
	l.line = l.line[:0]
}

func newLineReader(r io.Reader) *lineReader { return &lineReader{r: r} }

func (l *lineReader) Read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for n < len(p) {
		m, err := l.r.Read(p[n : n+1])
		if m == 1 {
			n++
			l.pending++
			l.line = append(l.line, p[n-1])
			if p[n-1] == '\n' {
				l.pending = 0
				l.echoLine()
				return n, nil
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				if n == 0 && l.pending == 0 {
					l.eof = true
				}
				if l.pending > 0 {
					l.echoLine()
				}
				l.pending = 0
			}
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
	}
	return n, nil
}

func (l *lineReader) ended() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.eof
}

// ttyLineReader is a lineReader over a terminal that also exposes the file
// descriptor, so that huh reads the password without echo.
type ttyLineReader struct {
	*lineReader
	fd uintptr
}

func (t *ttyLineReader) Fd() uintptr { return t.fd }
