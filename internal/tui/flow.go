package tui

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/jetbridge/jetbridge/internal/config"
)

// Step is one screen (a question page) or action of the installer.
type Step int

// The installer's steps, in their usual order.
const (
	StepEngine       Step = iota // which database engine
	StepServer                   // host, port, user, password, name, schema, TLS?
	StepTLS                      // TLS mode and CA file
	StepSQLitePath               // the SQLite file
	StepSQLiteCreate             // create the missing SQLite file?
	StepTest                     // action: the connection test
	StepFailed                   // the test failed: edit, change engine or quit
	StepProject                  // Jet Admin project (optional)
	StepConfigPath               // where to write jet.conf
	StepOverwrite                // replace the existing file?
	StepApply                    // action: register the token, store it, write jet.conf
	StepActivate                 // open the activation page?
	StepDone                     // finished
	StepQuit                     // the user chose to quit (nothing written)
)

var stepNames = map[Step]string{
	StepEngine: "engine", StepServer: "server", StepTLS: "tls", StepSQLitePath: "sqlite-path",
	StepSQLiteCreate: "sqlite-create", StepTest: "test", StepFailed: "failed", StepProject: "project",
	StepConfigPath: "config-path", StepOverwrite: "overwrite", StepApply: "apply", StepActivate: "activate",
	StepDone: "done", StepQuit: "quit",
}

func (s Step) String() string {
	if n, ok := stepNames[s]; ok {
		return n
	}
	return fmt.Sprintf("step(%d)", int(s))
}

// Phases shown by the step indicator.
var phases = []string{"Database", "Connection", "Jet Admin", "Save"}

// Phase is the index in the step indicator (len(phases) when done).
func (s Step) Phase() int {
	switch s {
	case StepEngine:
		return 0
	case StepServer, StepTLS, StepSQLitePath, StepSQLiteCreate, StepTest, StepFailed:
		return 1
	case StepProject:
		return 2
	case StepConfigPath, StepOverwrite, StepApply, StepActivate:
		return 3
	}
	return len(phases)
}

// Choices on the failed-connection screen.
const (
	ChoiceEdit   = "edit"
	ChoiceEngine = "engine"
	ChoiceQuit   = "quit"
)

// ErrInterrupted means the user pressed Ctrl-C or Esc: nothing was written.
var ErrInterrupted = errors.New("interrupted: nothing was written")

// ErrQuit means the user chose to quit after a failed connection test.
var ErrQuit = errors.New("quit after a failed connection test: nothing was written")

// Flow is the state of one installer run, shared by the full-screen wizard,
// accessible mode and --no-input: the answers, what the connection test and
// the registration found, and which step comes next.
type Flow struct {
	// Base is the loaded settings the answers are applied to.
	Base config.Settings
	A    Answers
	// Conn is what the last successful connection test found.
	Conn ConnInfo
	// Failure is the last failed connection test (nil after a success).
	Failure *Failure
	// Choice is the answer on the failed-connection screen.
	Choice string
	// Reg is the outcome of the registration.
	Reg Registration
	// Written is the absolute path of the config file written.
	Written string
	// Created is true when the connection test created the SQLite file.
	Created bool
	// Opened is true when the activation page was opened in a browser.
	Opened bool
	// OpenErr says why the browser could not be opened.
	OpenErr error
	// OwnerWarning says that the packaged service cannot read the file
	// written (root wrote it for itself).
	OwnerWarning string
}

// NewFlow starts a run from loaded settings. Without a BEARER_AUTH_KEY in
// them, it offers a new random one (see Answers.NewBearerKey).
func NewFlow(base config.Settings) *Flow {
	f := &Flow{Base: base, A: AnswersFrom(base)}
	if base.BearerAuthKey == "" {
		f.A.NewBearerKey, f.A.BearerKey = true, NewBearerKey()
	}
	return f
}

// NewBearerKey returns a random key for BEARER_AUTH_KEY: 32 hex characters.
func NewBearerKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Next is the step after cur, given the answers and results so far.
func (f *Flow) Next(cur Step) Step {
	a := &f.A
	switch cur {
	case StepEngine:
		if b := f.Base.Database; b.Engine != "" && a.Engine != b.Engine && a.Password == b.Password {
			a.Password = "" // the loaded password is another engine's (the field hides it)
		}
		a.SetEngine(a.Engine)
		if a.File() {
			return StepSQLitePath
		}
		return StepServer
	case StepServer:
		a.normalizeSSLMode()
		if a.TLS {
			return StepTLS
		}
		return StepTest
	case StepTLS:
		return StepTest
	case StepSQLitePath:
		a.Path = AbsPath(a.Path)
		if FileExists(a.Path) {
			return StepTest
		}
		a.CreateFile = true
		return StepSQLiteCreate
	case StepSQLiteCreate:
		if a.CreateFile {
			return StepTest
		}
		return StepSQLitePath
	case StepTest:
		if f.Failure != nil {
			f.Choice = ChoiceEdit
			return StepFailed
		}
		return StepProject
	case StepFailed:
		switch f.Choice {
		case ChoiceEngine:
			return StepEngine
		case ChoiceQuit:
			return StepQuit
		}
		if a.File() {
			return StepSQLitePath
		}
		return StepServer
	case StepProject:
		return StepConfigPath
	case StepConfigPath:
		if FileExists(a.ConfigPath) {
			a.Overwrite = false
			return StepOverwrite
		}
		return StepApply
	case StepOverwrite:
		if a.Overwrite {
			return StepApply
		}
		return StepConfigPath
	case StepApply:
		if f.Reg.ActivationURL != "" && !f.Reg.Activated {
			return StepActivate
		}
		return StepDone
	case StepActivate:
		return StepDone
	}
	return StepDone
}

// Settings is the configuration the answers make.
func (f *Flow) Settings() config.Settings { return f.A.Apply(f.Base) }

// Test runs the connection test and records its outcome in Conn / Failure.
// It returns a non-nil error only when ctx was cancelled.
func (f *Flow) Test(ctx context.Context, b Backend) error {
	s := f.Settings()
	existed := !f.A.File() || FileExists(f.A.Path)
	info, err := b.TestConnection(ctx, s.Database)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil {
		var fl *Failure
		if !errors.As(err, &fl) {
			fl = Explain(err, f.A)
		}
		f.Failure = fl
		return nil
	}
	f.Failure, f.Conn = nil, info
	if !existed && FileExists(f.A.Path) {
		f.Created = true
	}
	return nil
}

// Apply registers the Project Token (or keeps the existing one), stores it,
// and writes the config file. Failures of the registration become a warning
// in Reg; a failure to write the file is returned.
func (f *Flow) Apply(ctx context.Context, b Backend) error {
	s := f.Settings()
	reg, err := b.Register(ctx, s)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil {
		reg = Registration{Warning: "The Project Token could not be registered (" + err.Error() + "). jetbridge serve tries again at start."}
	}
	if reg.Source == SourceConfig {
		s.Token = reg.Token
	}
	path := f.A.ConfigPath
	if err := b.WriteConfig(path, s); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	f.Reg = reg
	if abs, err := filepath.Abs(path); err == nil {
		f.Written = abs
	} else {
		f.Written = path
	}
	f.OwnerWarning = config.ServiceUserWarning(f.Written)
	return nil
}

// Open opens the activation page when the user said yes.
func (f *Flow) Open(b Backend) {
	if !f.A.OpenBrowser || f.Reg.ActivationURL == "" {
		return
	}
	if err := b.OpenBrowser(f.Reg.ActivationURL); err != nil {
		f.OpenErr = err
		return
	}
	f.Opened = true
}
