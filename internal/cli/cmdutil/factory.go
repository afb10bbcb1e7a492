// Package cmdutil holds what every jetbridge command shares: the Factory of
// its dependencies on the outside world and the exit statuses.
package cmdutil

import (
	"context"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/spf13/pflag"

	"github.com/jetbridge/jetbridge/internal/cli/iostreams"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/jetadmin"
	"github.com/jetbridge/jetbridge/internal/tui"
)

// Factory is what the commands take from the outside world. main builds one
// with New; tests build one with their own streams, environment and fakes
// and pass it to the command constructors.
type Factory struct {
	IOStreams *iostreams.IOStreams
	// LookupEnv reads the environment (os.LookupEnv).
	LookupEnv func(string) (string, bool)
	// Now is the clock.
	Now func() time.Time
	// NewClient returns the Jet Admin API client for the settings.
	NewClient func(config.Settings) *jetadmin.Client
	// OpenDB opens the configured database; the caller closes it.
	OpenDB func(context.Context, config.Database) (*db.DB, error)
	// Backend is what init's questions talk to (database checks, Jet Admin).
	Backend func() tui.Backend
	// NewLogger returns the logger writing to w, at debug level when debug.
	NewLogger func(w io.Writer, debug bool) *slog.Logger
}

// New returns the Factory of the real process.
func New() *Factory {
	return &Factory{
		IOStreams: iostreams.System(),
		LookupEnv: os.LookupEnv,
		Now:       time.Now,
		NewClient: func(s config.Settings) *jetadmin.Client { return jetadmin.New(s.APIBaseURL) },
		OpenDB:    db.Open,
		Backend:   tui.NewBackend,
		NewLogger: TextLogger,
	}
}

// TextLogger is the log/slog text logger the commands write to standard error.
func TextLogger(w io.Writer, debug bool) *slog.Logger {
	level := slog.LevelInfo
	if debug {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// LoadSettings reads the settings from the config file, the environment
// (f.LookupEnv) and flags, as every command does, and validates them; the
// database settings are required when needDatabase. The error is a
// *config.Problems for values the user must fix.
func (f *Factory) LoadSettings(flags *pflag.FlagSet, needDatabase bool) (config.Settings, error) {
	return config.LoadAndValidate(flags, f.LookupEnv, needDatabase)
}
