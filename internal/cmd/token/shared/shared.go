// Package shared holds what the token commands (show, rotate, set) share:
// loading the settings, opening the token store, and words for API errors.
// It is its own package because the token parent command imports the
// subcommands, which import these helpers.
package shared

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/jetadmin"
	"github.com/jetbridge/jetbridge/internal/register"
)

// SettingsNote ends the help of each token command.
const SettingsNote = `

Settings are serve's: jet.conf (or --config FILE), the environment
(DATABASE_ENGINE, ...) and serve's flags (see jetbridge serve --help).`

// LoadSettings reads the settings as serve does. The database settings
// are required unless the token comes from the settings and the command does
// not write (show with TOKEN set).
func LoadSettings(cmd *cobra.Command, f *cmdutil.Factory, writes bool) (config.Settings, error) {
	s, err := config.Load(cmd.Flags(), f.LookupEnv)
	if err == nil {
		err = s.Validate(writes || strings.TrimSpace(s.Token) == "")
	}
	if err != nil {
		var p *config.Problems
		if errors.As(err, &p) {
			return s, cmdutil.Usage(err)
		}
		return s, err
	}
	for _, w := range s.Warnings {
		fmt.Fprintln(f.IOStreams.ErrOut, "Warning:", w)
	}
	return s, nil
}

// OpenStore opens the configured database; the caller calls the returned
// function to close it.
func OpenStore(ctx context.Context, open func(context.Context, config.Database) (*db.DB, error), s config.Settings) (*register.Store, func(), error) {
	d, err := open(ctx, s.Database)
	if err != nil {
		return nil, nil, err
	}
	return register.NewStore(d), func() { _ = d.Close() }, nil
}

// APIProblem says in plain words why a Jet Admin API call failed.
func APIProblem(err error) string {
	msg := strings.TrimPrefix(err.Error(), "Jet Admin API: ")
	var ae *jetadmin.Error
	if errors.As(err, &ae) && !ae.Unavailable() {
		return "the Jet Admin API gave an unusable answer: " + msg
	}
	if errors.Is(err, context.Canceled) {
		return "interrupted"
	}
	return "cannot reach the Jet Admin API: " + msg
}
