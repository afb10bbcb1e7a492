// Package show is `jetbridge token show`: the project, the token (masked),
// when it was issued and whether it is activated.
package show

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/cli/iostreams"
	"github.com/jetbridge/jetbridge/internal/cmd/token/shared"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/jetadmin"
	"github.com/jetbridge/jetbridge/internal/register"
)

// ShowOptions are what token show runs with.
type ShowOptions struct {
	IO       *iostreams.IOStreams
	OpenDB   func(context.Context, config.Database) (*db.DB, error)
	Settings config.Settings
	Client   *jetadmin.Client
	Reveal   bool
}

// NewCmdShow builds `jetbridge token show`; runF, when set, replaces the run
// (tests).
func NewCmdShow(f *cmdutil.Factory, runF func(context.Context, *ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{}
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Show the project, the token (masked), when it was issued and whether it is activated",
		Long: `Show the project, the Project Token (only its first and last 4 characters
unless --reveal), when it was issued, and whether Jet Admin has activated it.

Exit status 0, or 1 when there is no token.` + shared.SettingsNote,
		Example: `  jetbridge token show
  jetbridge token show --reveal`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := shared.LoadSettings(cmd, f, false)
			if err != nil {
				return err
			}
			opts.IO, opts.OpenDB, opts.Settings, opts.Client = f.IOStreams, f.OpenDB, s, f.NewClient(s)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return showRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Reveal, "reveal", false, "print the whole token and activation link")
	return cmd
}

func showRun(ctx context.Context, o *ShowOptions) error {
	s := o.Settings
	project := strings.TrimSpace(s.Project)
	var (
		token, source string
		issued        time.Time
	)
	if t := strings.TrimSpace(s.Token); t != "" {
		token, source = t, register.SourceSettings
	} else {
		st, done, err := shared.OpenStore(ctx, o.OpenDB, s)
		if err != nil {
			return err
		}
		defer done()
		stored, found, err := st.Get(ctx)
		if err != nil {
			return err
		}
		if !found {
			return cmdutil.Failure(fmt.Errorf("%w\nRun `jetbridge token rotate` (or start `jetbridge serve`) to register one with Jet Admin, "+
				"`jetbridge token set TOKEN` to store one you have, or set TOKEN in jet.conf / the environment", register.ErrNoToken))
		}
		token, source, issued = stored.Token, register.SourceDatabase, stored.DateAdd
		if project == "" {
			project = stored.Project
		}
	}

	show := register.Mask(token)
	if o.Reveal {
		show = token
	}
	w := o.IO.Out
	fmt.Fprintf(w, "Project:    %s\n", orNone(project))
	fmt.Fprintf(w, "Token:      %s (from the %s)\n", show, source)
	if issued.IsZero() {
		fmt.Fprintf(w, "Issued:     unknown (set in the settings)\n")
	} else {
		fmt.Fprintf(w, "Issued:     %s\n", issued.UTC().Format("2006-01-02 15:04:05 UTC"))
	}

	activated, err := register.CheckActivated(ctx, s, o.Client, token)
	switch {
	case err != nil:
		fmt.Fprintf(w, "Status:     unknown: %s\n", shared.APIProblem(err))
	case activated:
		fmt.Fprintf(w, "Status:     activated\n")
		return nil
	default:
		fmt.Fprintf(w, "Status:     not activated\n")
	}
	// the link is built here, without the API: it works offline too
	s.Project = project
	if link, err := register.ActivationURL(s, token); err == nil {
		if !o.Reveal {
			link = strings.ReplaceAll(link, token, register.Mask(token))
			fmt.Fprintf(w, "Activate:   %s\n            (run with --reveal for the full link)\n", link)
		} else {
			fmt.Fprintf(w, "Activate:   %s\n", link)
		}
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
