// Package initcmd is `jetbridge init`, the set-up wizard. The package is not
// named init: init is a predeclared function name in Go and `package init`
// does not compile (the directory could be called init, but its package
// name could not match it).
package initcmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/cli/iostreams"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/tui"

	"github.com/jetbridge/jetbridge/internal/values"
)

// initMode is how init asks its questions.
type initMode int

const (
	modeWizard     initMode = iota // full-screen wizard
	modeAccessible                 // line-by-line prompts
	modeNoInput                    // no questions: flags and environment
)

func (m initMode) String() string {
	return [...]string{"wizard", "accessible", "no-input"}[m]
}

// InitOptions are what init runs with: flags, settings, streams and the
// backend its questions talk to.
type InitOptions struct {
	IO        *iostreams.IOStreams
	LookupEnv func(string) (string, bool)

	NoInput    bool
	Accessible bool
	Force      bool
	// GenerateKey offers (--no-input: makes) a BEARER_AUTH_KEY when the
	// settings have none.
	GenerateKey bool

	// Settings are the loaded settings (the existing config file, flags,
	// environment); Problems lists values that could not be parsed.
	Settings config.Settings
	Problems []string
	Backend  tui.Backend
}

// NewCmdInit builds `jetbridge init`; runF, when set, replaces the run
// (tests).
func NewCmdInit(f *cmdutil.Factory, runF func(context.Context, *InitOptions) error) *cobra.Command {
	opts := &InitOptions{}
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Set up the bridge: choose the database, test it, register with Jet Admin, write jet.conf",
		Long: `Set up the bridge in a minute: choose the database (PostgreSQL, MySQL /
MariaDB or SQLite), test the connection, register the Project Token with Jet
Admin, and write the settings to jet.conf (mode 0600). An existing config file
provides the defaults and is never replaced without asking (a replaced file
keeps its owner and group). Without a BEARER_AUTH_KEY, init offers to generate
one, to call the bridge yourself with curl or scripts.

On a terminal a full-screen wizard asks the questions. --accessible (or
ACCESSIBLE=1, or TERM=dumb) asks them line by line instead, for screen
readers; answers can then be piped in, one a line. With --no-input, or when
standard input is not a terminal, nothing is asked: the answers come from the
same flags and environment variables as serve (DATABASE_ENGINE, ...).

Exit status: 0 done, 1 failed (connection, existing file without --force),
2 missing or invalid values, 130 interrupted (nothing written).`,
		Example: `  jetbridge init
  jetbridge init --config /etc/jetbridge/jet.conf
  jetbridge init --no-input --database-engine postgresql --database-host db \
      --database-user app --database-name shop --project acme   # DATABASE_PASSWORD in the environment
  printf '%s\n' 3 ./data.db y '' '' '' n | jetbridge init --accessible
      # SQLite, the file, create it, no project yet, generate a Bearer key,
      # the default jet.conf, do not open the activation page`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, problems, err := loadInitSettings(cmd.Flags(), f.LookupEnv)
			if err != nil {
				return err
			}
			opts.IO = f.IOStreams
			opts.LookupEnv = f.LookupEnv
			opts.Settings, opts.Problems = s, problems
			opts.Backend = f.Backend()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return initRun(cmd.Context(), opts)
		},
	}
	config.Bind(cmd.Flags())
	cmd.Flags().BoolVar(&opts.NoInput, "no-input", false, "ask nothing: take every answer from flags and environment variables")
	cmd.Flags().BoolVar(&opts.Accessible, "accessible", false, "ask line by line (screen readers, piped answers) [env ACCESSIBLE=1]")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "with --no-input, replace an existing config file")
	cmd.Flags().BoolVar(&opts.GenerateKey, "generate-bearer-key", true, "without a BEARER_AUTH_KEY, generate one to call the bridge with curl and scripts (--generate-bearer-key=false: do not)")
	return cmd
}

// loadInitSettings loads the settings as serve does, except that a config
// file that does not exist yet is not a problem: it is the file init writes.
func loadInitSettings(flags *pflag.FlagSet, lookupEnv func(string) (string, bool)) (config.Settings, []string, error) {
	target := config.DefaultConfigPath
	if fl := flags.Lookup("config"); fl != nil && fl.Changed && fl.Value.String() != "" {
		target = fl.Value.String()
	}
	if v, ok := lookupEnv("CONFIG"); ok && strings.TrimSpace(v) != "" {
		target = v
	}
	env := lookupEnv
	_, statErr := os.Stat(target)
	missing := errors.Is(statErr, fs.ErrNotExist)
	if missing {
		// Load reports a missing explicit file: point it at an empty one.
		empty, err := os.CreateTemp("", "jetbridge-init-*.conf")
		if err != nil {
			return config.Settings{}, nil, fmt.Errorf("prepare settings: %w", err)
		}
		defer os.Remove(empty.Name())
		_, _ = empty.WriteString("[JET]\n")
		_ = empty.Close()
		env = func(k string) (string, bool) {
			if k == "CONFIG" {
				return empty.Name(), true
			}
			return lookupEnv(k)
		}
	}
	s, err := config.Load(flags, env)
	s.ConfigPath = target
	if missing {
		s.ConfigFound = false
	} else if fileValues, rerr := config.ReadFile(target); rerr == nil {
		s = dropStaleEngineSettings(s, fileValues, flags, lookupEnv)
	}
	var problems []string
	if err != nil {
		var p *config.Problems
		if !errors.As(err, &p) {
			return s, nil, err
		}
		problems = p.List
	}
	return s, problems, nil
}

// chooseInitMode picks how to ask: --no-input wins; then --accessible or
// ACCESSIBLE; without a terminal on standard input nothing can be asked;
// TERM=dumb, or an output that is not a terminal, asks line by line.
func chooseInitMode(o *InitOptions) initMode {
	env := func(k string) string {
		if o.LookupEnv == nil {
			return ""
		}
		v, _ := o.LookupEnv(k)
		return strings.TrimSpace(v)
	}
	switch {
	case o.NoInput:
		return modeNoInput
	case o.Accessible || truthy(env("ACCESSIBLE")):
		return modeAccessible
	case !o.IO.IsStdinTTY():
		return modeNoInput
	case env("TERM") == "dumb" || !o.IO.IsStdoutTTY():
		return modeAccessible
	}
	return modeWizard
}

func truthy(v string) bool { return values.Truthy(v) }

func initRun(ctx context.Context, o *InitOptions) error {
	for _, w := range o.Settings.Warnings {
		fmt.Fprintln(o.IO.ErrOut, "Warning:", w)
	}
	mode := chooseInitMode(o)
	flow := tui.NewFlow(o.Settings)
	if !o.GenerateKey {
		flow.A.NewBearerKey = false
	}
	var err error
	switch mode {
	case modeNoInput:
		problems := append([]string(nil), o.Problems...)
		var p *config.Problems
		if verr := o.Settings.Validate(true); errors.As(verr, &p) {
			problems = appendNew(problems, p.List...)
		}
		problems = appendNew(problems, tui.MissingValues(o.Settings)...)
		if len(problems) > 0 {
			why := "init --no-input needs every answer from flags or environment variables"
			if !o.NoInput {
				why = "standard input is not a terminal, so init asks nothing and needs every answer from flags or environment variables " +
					"(run it in a terminal, or pipe the answers to jetbridge init --accessible)"
			}
			return cmdutil.Usage(fmt.Errorf("%s: %w", why, &config.Problems{List: problems}))
		}
		err = tui.RunNoInput(ctx, flow, o.Backend, tui.NoInputOptions{Force: o.Force, Reveal: o.IO.IsStdoutTTY()}, o.IO.Out, o.IO.ErrOut)
	default:
		for _, p := range o.Problems {
			fmt.Fprintln(o.IO.ErrOut, "Warning: ignored:", p)
		}
		if mode == modeAccessible {
			err = tui.RunAccessible(ctx, flow, o.Backend, tui.AccessibleOptions{InTerminal: o.IO.IsStdinTTY(), Reveal: o.IO.IsStdoutTTY()}, o.IO.In, o.IO.Out)
		} else {
			err = tui.RunWizard(ctx, flow, o.Backend, o.IO.In, o.IO.Out)
			if err == nil {
				fmt.Fprint(o.IO.Out, flow.StyledSummary(true))
			}
		}
	}
	switch {
	case err == nil:
		return nil
	case errors.Is(err, tui.ErrInterrupted):
		return &cmdutil.ExitError{Code: cmdutil.ExitInterrupted, Err: err}
	case errors.Is(err, tui.ErrInputEnded):
		return cmdutil.Usage(err)
	case errors.Is(err, tui.ErrConnection), errors.Is(err, tui.ErrQuit), errors.Is(err, tui.ErrExists):
		return cmdutil.Failure(err)
	}
	return err
}

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		dup := false
		for _, x := range list {
			if x == it {
				dup = true
				break
			}
		}
		if !dup {
			list = append(list, it)
		}
	}
	return list
}
