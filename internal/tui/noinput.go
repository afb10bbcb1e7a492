package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
)

// ErrExists means --no-input would overwrite an existing config file without
// --force.
var ErrExists = errors.New("the config file exists")

// ErrConnection means the connection test of --no-input failed; the failure
// was printed.
var ErrConnection = errors.New("the connection test failed: nothing was written")

// MissingValues lists, for --no-input, the answers the settings lack beyond
// what Settings.Validate reports (engine and database name): the user of a
// server engine. Each item names the flag and the environment variable.
func MissingValues(s config.Settings) []string {
	var out []string
	if engineHas(s.Database.Engine, feature.ServerDatabase) {
		if strings.TrimSpace(s.Database.User) == "" {
			out = append(out, "DATABASE_USER is not set: set DATABASE_USER (or --database-user) to the database user")
		}
	}
	return out
}

// NoInputOptions configure RunNoInput.
type NoInputOptions struct {
	// Force allows replacing an existing config file.
	Force bool
	// Reveal prints the full activation link (out is a terminal).
	Reveal bool
}

// RunNoInput is the installer without questions: the answers are the loaded
// settings (flags, environment, existing file), which the caller has checked
// for missing values. It refuses to replace an existing config file without
// Force (ErrExists), tests the connection (ErrConnection after printing the
// failure to errOut; nothing written), registers the Project Token, writes
// the file and prints the summary to out.
func RunNoInput(ctx context.Context, flow *Flow, b Backend, o NoInputOptions, out, errOut io.Writer) error {
	a := &flow.A
	if FileExists(a.ConfigPath) && !o.Force {
		return fmt.Errorf("%w: %s is there already; pass --force to replace it (its values were used as defaults)", ErrExists, a.ConfigPath)
	}
	if err := ValidateConfigPath(a.ConfigPath); err != nil {
		return fmt.Errorf("cannot write the config file: %w", err)
	}
	if a.File() {
		if err := ValidateSQLitePath(a.Path); err != nil {
			return fmt.Errorf("DATABASE_NAME: %w", err)
		}
		a.Path = AbsPath(a.Path)
	}
	fmt.Fprintf(out, "Testing the connection to the %s...\n", a.Where())
	if err := flow.Test(ctx, b); err != nil {
		return ErrInterrupted
	}
	if fl := flow.Failure; fl != nil {
		fmt.Fprintf(errOut, "Connection failed: %s\n  %s\nHint: %s\n", fl.Title, fl.Detail, fl.Hint)
		return ErrConnection
	}
	fmt.Fprintln(out, "OK: "+flow.ConnectedLine())
	fmt.Fprintln(out, "Registering the Project Token with Jet Admin and saving the settings...")
	if err := flow.Apply(ctx, b); err != nil {
		if ctx.Err() != nil {
			return ErrInterrupted
		}
		return err
	}
	fmt.Fprintln(out)
	fmt.Fprint(out, flow.PlainSummary(o.Reveal))
	return nil
}
