//go:build !windows

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/jetbridge/jetbridge/internal/jetadmin/jetadmintest"
)

// ansiRE matches the terminal control sequences the renderer writes.
var ansiRE = regexp.MustCompile(`\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78DEHMNOZc]`)

func stripANSI(s string) string { return ansiRE.ReplaceAllString(s, "") }

// ptySession is the binary running on a pseudo-terminal, with what it drew.
type ptySession struct {
	t    *testing.T
	ptmx *os.File
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  bytes.Buffer
	mark int // expect searches the output after this offset
	done chan struct{}
	err  error
}

func startPTY(t *testing.T, e *initE2E, args ...string) *ptySession {
	t.Helper()
	cmd := exec.Command(e.bin, append([]string{"init"}, args...)...)
	cmd.Dir = e.work
	cmd.Env = append(append([]string{}, e.env...), "TERM=xterm-256color", "COLORTERM=truecolor")
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 100})
	if err != nil {
		t.Fatal(err)
	}
	s := &ptySession{t: t, ptmx: ptmx, cmd: cmd, done: make(chan struct{})}
	go s.read()
	go func() {
		s.err = cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			_ = cmd.Process.Kill()
			<-s.done
		}
		_ = ptmx.Close()
	})
	return s
}

// read collects the output and answers the terminal queries (background
// color, cursor position) that a real terminal would.
func (s *ptySession) read() {
	buf := make([]byte, 4096)
	for {
		n, err := s.ptmx.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			s.mu.Lock()
			s.out.Write(chunk)
			s.mu.Unlock()
			if bytes.Contains(chunk, []byte("\x1b]11;?")) {
				_, _ = s.ptmx.WriteString("\x1b]11;rgb:1a1a/1a1a/1a1a\x1b\\")
			}
			if bytes.Contains(chunk, []byte("\x1b[6n")) {
				_, _ = s.ptmx.WriteString("\x1b[1;1R")
			}
		}
		if err != nil {
			return
		}
	}
}

// screen is everything drawn after the last matched text, without control
// sequences.
func (s *ptySession) screen() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return stripANSI(string(s.out.Bytes()[s.mark:]))
}

// expect waits until text is drawn, then moves the search mark past it.
func (s *ptySession) expect(text string) {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		raw := string(s.out.Bytes()[s.mark:])
		s.mu.Unlock()
		if plain := stripANSI(raw); strings.Contains(plain, text) {
			// move the mark just past the first match: the shortest prefix
			// of the raw output that contains it
			lo, hi := 0, len(raw)
			for lo < hi {
				mid := (lo + hi) / 2
				if strings.Contains(stripANSI(raw[:mid]), text) {
					hi = mid
				} else {
					lo = mid + 1
				}
			}
			s.mu.Lock()
			s.mark += lo
			s.mu.Unlock()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatalf("timed out waiting for %q; the screen shows:\n%s", text, s.screen())
}

// keys types: each argument is written separately, with a pause for the
// program to read it as its own key or text.
func (s *ptySession) keys(keys ...string) {
	s.t.Helper()
	for _, k := range keys {
		if _, err := s.ptmx.WriteString(k); err != nil {
			s.t.Fatal(err)
		}
		time.Sleep(60 * time.Millisecond)
	}
}

// burst types all keys in one write, as a fast typist or a paste does: the
// program reads them before it has handled what the first ones bring on.
func (s *ptySession) burst(keys ...string) {
	s.t.Helper()
	if _, err := s.ptmx.WriteString(strings.Join(keys, "")); err != nil {
		s.t.Fatal(err)
	}
}

// wait waits for the exit and returns the status.
func (s *ptySession) wait() int {
	s.t.Helper()
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		s.t.Fatalf("the wizard did not exit; the screen shows:\n%s", s.screen())
	}
	var ee *exec.ExitError
	if errors.As(s.err, &ee) {
		return ee.ExitCode()
	}
	if s.err != nil {
		s.t.Fatal(s.err)
	}
	return 0
}

// Keys of the terminal.
const (
	keyEnter    = "\r"
	keyEsc      = "\x1b"
	keyCtrlC    = "\x03"
	keyClearAll = "\x15" // ctrl+u: delete to the start of the line
	keyDown     = "\x1b[B"
)

// The full-screen wizard, driven with keystrokes on a pseudo-terminal: a
// wrong password fails the connection test, the user edits the answers, the
// second test passes, the token is registered and jet.conf written.
func TestInitWizardPTY(t *testing.T) {
	bin := buildJetbridge(t)

	t.Run("wrong password corrected", func(t *testing.T) {
		t.Parallel()
		d, host, port := pgBehindPassword(t)
		e := newInitE2E(t, bin)
		s := startPTY(t, e)
		s.expect("Jet Bridge setup")
		s.expect("Which database do you want to connect?")
		s.keys(keyEnter) // PostgreSQL
		s.expect("Host")
		// the whole page at once: each key reaches the field it was typed
		// for, however far ahead of the form's moves
		s.burst(keyClearAll, host, keyEnter, keyClearAll, port, keyEnter, d.User, keyEnter,
			"wrong", keyEnter, d.Name, keyEnter,
			keyEnter, // schema
			"n")      // TLS: no, submits the page
		s.expect("Wrong password for user " + d.User)
		s.expect("What now?")
		s.keys(keyEnter) // edit
		s.expect("Host")
		s.keys(keyEnter, keyEnter, keyEnter)      // host, port, user kept
		s.keys(keyClearAll, d.Password, keyEnter) // the right password
		s.keys(keyEnter, keyEnter, "n")
		s.expect("Connected to PostgreSQL")
		s.expect("Jet Admin project")
		s.keys("acme", keyEnter)
		s.expect("Generate a Bearer key")
		s.keys(keyEnter) // yes
		s.expect("Save the settings to")
		s.keys(keyClearAll, "wizard.conf", keyEnter)
		s.expect("Open the activation page in your browser?")
		s.keys("n")
		if code := s.wait(); code != 0 {
			t.Fatalf("exit %d; screen:\n%s", code, s.screen())
		}
		s.expect("Jet Bridge is set up")
		s.expect("jetbridge serve --config wizard.conf")
		kv := readConf(t, filepath.Join(e.work, "wizard.conf"))
		wantKeys(t, kv, map[string]string{"DATABASE_ENGINE": "postgresql", "DATABASE_HOST": host, "DATABASE_PORT": port,
			"DATABASE_PASSWORD": d.Password, "DATABASE_NAME": d.Name, "PROJECT": "acme"})
		tok, found := storedToken(t, d)
		if !found || len(e.api.IssuedTokens()) != 1 || tok.Token != jetadmintest.Normalize(e.api.IssuedTokens()[0]) {
			t.Errorf("token row %+v found %v, issued %v", tok, found, e.api.IssuedTokens())
		}
	})

	for _, k := range []struct{ name, key string }{{"esc", keyEsc}, {"ctrl-c", keyCtrlC}} {
		t.Run(k.name+" writes nothing", func(t *testing.T) {
			t.Parallel()
			e := newInitE2E(t, bin)
			s := startPTY(t, e)
			s.expect("Which database do you want to connect?")
			s.keys(keyDown, keyDown, keyEnter) // SQLite
			s.expect("SQLite database file")
			s.keys("new.db", keyEnter)
			s.expect("Create an empty SQLite database there?")
			s.keys(k.key)
			if code := s.wait(); code != 130 {
				t.Fatalf("exit %d, want 130; screen:\n%s", code, s.screen())
			}
			noFile(t, filepath.Join(e.work, "jet.conf"))
			noFile(t, filepath.Join(e.work, "new.db"))
			if e.api.TotalCalls() != 0 {
				t.Errorf("the API was called %d times", e.api.TotalCalls())
			}
		})
	}

	t.Run("existing config prefills and is not replaced without asking", func(t *testing.T) {
		t.Parallel()
		e := newInitE2E(t, bin)
		conf := filepath.Join(e.work, "jet.conf")
		data := filepath.Join(e.work, "data.db")
		old := "[JET]\nDATABASE_ENGINE=sqlite\nDATABASE_NAME=" + data + "\nPROJECT=acme\n"
		if err := os.WriteFile(conf, []byte(old), 0o600); err != nil {
			t.Fatal(err)
		}
		s := startPTY(t, e)
		s.expect("Which database do you want to connect?")
		s.keys(keyEnter) // SQLite is preselected from the file
		s.expect("SQLite database file")
		s.expect("data.db") // the path is prefilled
		s.keys(keyEnter)
		s.expect("Create an empty SQLite database there?")
		s.keys("y")
		s.expect("Jet Admin project")
		s.keys(keyEnter) // acme kept
		s.expect("Generate a Bearer key")
		s.keys(keyEnter) // yes
		s.expect("Save the settings to")
		s.keys(keyEnter)
		s.expect("jet.conf already exists. Replace it?")
		s.keys("n") // no: asked for the path again
		s.expect("Save the settings to")
		s.keys(keyCtrlC)
		if code := s.wait(); code != 130 {
			t.Fatalf("exit %d, want 130", code)
		}
		got, _ := os.ReadFile(conf)
		if string(got) != old {
			t.Errorf("jet.conf changed:\n%s", got)
		}
	})
}
