// Package rotate is `jetbridge token rotate`: a new Project Token from Jet
// Admin replaces the stored one.
package rotate

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/cli/iostreams"
	"github.com/jetbridge/jetbridge/internal/cmd/token/shared"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/jetadmin"
	"github.com/jetbridge/jetbridge/internal/register"
)

// RotateOptions are what token rotate runs with.
type RotateOptions struct {
	IO       *iostreams.IOStreams
	OpenDB   func(context.Context, config.Database) (*db.DB, error)
	Settings config.Settings
	Client   *jetadmin.Client
	Yes      bool
	Reveal   bool
}

// NewCmdRotate builds `jetbridge token rotate`; runF, when set, replaces the
// run (tests).
func NewCmdRotate(f *cmdutil.Factory, runF func(context.Context, *RotateOptions) error) *cobra.Command {
	opts := &RotateOptions{}
	cmd := &cobra.Command{
		Use:   "rotate",
		Short: "Get a new token from Jet Admin and replace the stored one",
		Long: `Get a new Project Token from the Jet Admin API, replace the one stored in the
database (in one transaction), and print the link that activates it.

Asks for confirmation on a terminal; without a terminal pass --yes. When the
API cannot be reached the stored token is left unchanged.` + shared.SettingsNote,
		Example: `  jetbridge token rotate
  jetbridge token rotate --yes`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := shared.LoadSettings(cmd, f, true)
			if err != nil {
				return err
			}
			opts.IO, opts.OpenDB, opts.Settings, opts.Client = f.IOStreams, f.OpenDB, s, f.NewClient(s)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return rotateRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "do not ask for confirmation")
	cmd.Flags().BoolVar(&opts.Reveal, "reveal", false, "print the whole activation link even when the output is not a terminal")
	return cmd
}

func rotateRun(ctx context.Context, o *RotateOptions) error {
	if !o.Yes && !o.IO.IsStdinTTY() {
		return cmdutil.Usage(errors.New("refusing to rotate the project token without confirmation: " +
			"standard input is not a terminal; pass --yes to rotate anyway"))
	}
	s := o.Settings
	st, done, err := shared.OpenStore(ctx, o.OpenDB, s)
	if err != nil {
		return err
	}
	defer done()
	old, found, err := st.Get(ctx)
	if err != nil {
		return err
	}
	if strings.TrimSpace(s.Token) != "" {
		fmt.Fprintln(o.IO.ErrOut, "Warning: TOKEN is set in the settings and takes precedence: the bridge keeps using it, not the rotated token.")
	}
	if !o.Yes {
		question := "Register a new project token with Jet Admin and store it?"
		if found {
			question = fmt.Sprintf("Replace the project token %s with a new one from Jet Admin? The bridge stops using the old one.", register.Mask(old.Token))
		}
		ok, err := confirm(o.IO, question)
		if err != nil {
			return err
		}
		if !ok {
			return cmdutil.Failure(errors.New("rotation cancelled; the stored token is unchanged"))
		}
	}

	// Fail before the API issues a token that could not be kept.
	if err := st.EnsureTable(ctx); err != nil {
		return err
	}
	pt, err := o.Client.CreateProjectToken(ctx)
	if err != nil {
		return fmt.Errorf("%s; the stored token is unchanged", shared.APIProblem(err))
	}
	token, err := register.NormalizeToken(pt.Token)
	if err != nil {
		return fmt.Errorf("the Jet Admin API issued an unusable token (%v); the stored token is unchanged", err)
	}
	if err := st.Save(ctx, register.Token{Project: strings.TrimSpace(s.Project), Token: token, DateAdd: pt.DateAdd}); err != nil {
		return err
	}
	w := o.IO.Out
	fmt.Fprintf(w, "New project token %s stored in table %s.\n", register.Mask(token), register.TableName)
	link, err := register.ActivationURL(s, token)
	if err != nil {
		fmt.Fprintf(o.IO.ErrOut, "Warning: %v\n", err)
		return nil
	}
	if o.Reveal || o.IO.IsStdoutTTY() {
		fmt.Fprintf(w, "Activate it at: %s\n", link)
	} else {
		fmt.Fprintf(w, "Activate it at: %s\n(the output is not a terminal, so the token is masked: pass --reveal, or run `jetbridge token show --reveal`)\n",
			strings.ReplaceAll(link, token, register.Mask(token)))
	}
	return nil
}

// confirm asks a yes/no question on the terminal; the default is no.
func confirm(tio *iostreams.IOStreams, question string) (bool, error) {
	fmt.Fprintf(tio.ErrOut, "%s [y/N] ", question)
	line, err := bufio.NewReader(tio.In).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return false, fmt.Errorf("read the answer: %w", err)
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}
