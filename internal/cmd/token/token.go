// Package token is `jetbridge token`, the parent of show, rotate and set,
// each in its own package below this one; their shared helpers are in
// token/shared.
package token

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/cmd/token/rotate"
	"github.com/jetbridge/jetbridge/internal/cmd/token/set"
	"github.com/jetbridge/jetbridge/internal/cmd/token/show"
	"github.com/jetbridge/jetbridge/internal/config"
)

// NewCmdToken builds `jetbridge token` with its subcommands.
func NewCmdToken(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Show, rotate or set the Project Token",
		Long: `Show, rotate or set the Project Token, the key this bridge uses with the
Jet Admin API.

The token is TOKEN from the settings (jet.conf TOKEN=, environment TOKEN, or
--token) when set; otherwise the one jetbridge registered with Jet Admin and
keeps in your database, in the one-row table __jet__token.

The commands read the same settings as serve: jet.conf (or --config FILE),
the environment (DATABASE_ENGINE, ...) and serve's flags, which they accept
but do not list (see jetbridge serve --help).`,
		Args: cobra.NoArgs,
	}
	config.Bind(cmd.PersistentFlags())
	cmd.PersistentFlags().VisitAll(func(f *pflag.Flag) {
		f.Hidden = f.Name != "config" // serve --help lists them
	})
	cmd.AddCommand(
		show.NewCmdShow(f, nil),
		rotate.NewCmdRotate(f, nil),
		set.NewCmdSet(f, nil),
	)
	return cmd
}
