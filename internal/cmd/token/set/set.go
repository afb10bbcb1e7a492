// Package set is `jetbridge token set TOKEN`: store a Project Token obtained
// elsewhere.
package set

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/cli/iostreams"
	"github.com/jetbridge/jetbridge/internal/cmd/token/shared"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/register"
)

// SetOptions are what token set runs with.
type SetOptions struct {
	IO       *iostreams.IOStreams
	OpenDB   func(context.Context, config.Database) (*db.DB, error)
	Settings config.Settings
	Now      func() time.Time
	// Token is the argument as given ("-" = read one line from IO.In).
	Token string
}

// NewCmdSet builds `jetbridge token set`; runF, when set, replaces the run
// (tests).
func NewCmdSet(f *cmdutil.Factory, runF func(context.Context, *SetOptions) error) *cobra.Command {
	opts := &SetOptions{}
	cmd := &cobra.Command{
		Use:   "set TOKEN",
		Short: "Store a token obtained elsewhere",
		Long: `Store a Project Token obtained elsewhere in the database (table __jet__token),
replacing the stored one. The token is 32 hex characters; dashes are accepted
and removed. Pass - to read it from standard input (keeps it out of the shell
history).` + shared.SettingsNote,
		Example: `  jetbridge token set 0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0
  printf '%s\n' "$TOKEN" | jetbridge token set -`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.Usage(errors.New("token set needs the token: jetbridge token set TOKEN, " +
					"or jetbridge token set - to read it from standard input"))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := shared.LoadSettings(cmd, f, true)
			if err != nil {
				return err
			}
			opts.IO, opts.OpenDB, opts.Now, opts.Settings, opts.Token = f.IOStreams, f.OpenDB, f.Now, s, args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return setRun(cmd.Context(), opts)
		},
	}
	return cmd
}

func setRun(ctx context.Context, o *SetOptions) error {
	raw := o.Token
	if raw == "-" {
		line, err := bufio.NewReader(o.IO.In).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read the token from standard input: %w", err)
		}
		raw = line
	}
	token, err := register.NormalizeToken(raw)
	if err != nil {
		return cmdutil.Usage(fmt.Errorf("invalid token: %w", err))
	}
	s := o.Settings
	st, done, err := shared.OpenStore(ctx, o.OpenDB, s)
	if err != nil {
		return err
	}
	defer done()
	if err := st.Save(ctx, register.Token{Project: strings.TrimSpace(s.Project), Token: token, DateAdd: o.Now()}); err != nil {
		return err
	}
	if strings.TrimSpace(s.Token) != "" {
		fmt.Fprintln(o.IO.ErrOut, "Warning: TOKEN is set in the settings and takes precedence over the stored token.")
	}
	fmt.Fprintf(o.IO.Out, "Project token %s stored in table %s.\n", register.Mask(token), register.TableName)
	return nil
}
