package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/cli/iostreams"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/jetadmin"
	"github.com/jetbridge/jetbridge/internal/register"
)

type tokenShowOptions struct {
	IO       *iostreams.IOStreams
	OpenDB   func(context.Context, config.Database) (*db.DB, error)
	Settings config.Settings
	Client   *jetadmin.Client
	Reveal   bool
}

type tokenRotateOptions struct {
	IO       *iostreams.IOStreams
	OpenDB   func(context.Context, config.Database) (*db.DB, error)
	Settings config.Settings
	Client   *jetadmin.Client
	Yes      bool
	Reveal   bool
}

type tokenSetOptions struct {
	IO       *iostreams.IOStreams
	OpenDB   func(context.Context, config.Database) (*db.DB, error)
	Settings config.Settings
	Now      func() time.Time
	// Token is the argument as given ("-" = read one line from IO.In).
	Token string
}

func newTokenCmd(f *cmdutil.Factory) *cobra.Command {
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
		newTokenShowCmd(f, nil),
		newTokenRotateCmd(f, nil),
		newTokenSetCmd(f, nil),
	)
	return cmd
}

// tokenSettingsNote ends the help of each token command.
const tokenSettingsNote = `

Settings are serve's: jet.conf (or --config FILE), the environment
(DATABASE_ENGINE, ...) and serve's flags (see jetbridge serve --help).`

func newTokenShowCmd(f *cmdutil.Factory, runF func(context.Context, *tokenShowOptions) error) *cobra.Command {
	opts := &tokenShowOptions{}
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Show the project, the token (masked), when it was issued and whether it is activated",
		Long: `Show the project, the Project Token (only its first and last 4 characters
unless --reveal), when it was issued, and whether Jet Admin has activated it.

Exit status 0, or 1 when there is no token.` + tokenSettingsNote,
		Example: `  jetbridge token show
  jetbridge token show --reveal`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := loadTokenSettings(cmd, f, false)
			if err != nil {
				return err
			}
			opts.IO, opts.OpenDB, opts.Settings, opts.Client = f.IOStreams, f.OpenDB, s, f.NewClient(s)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runTokenShow(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Reveal, "reveal", false, "print the whole token and activation link")
	return cmd
}

func newTokenRotateCmd(f *cmdutil.Factory, runF func(context.Context, *tokenRotateOptions) error) *cobra.Command {
	opts := &tokenRotateOptions{}
	cmd := &cobra.Command{
		Use:   "rotate",
		Short: "Get a new token from Jet Admin and replace the stored one",
		Long: `Get a new Project Token from the Jet Admin API, replace the one stored in the
database (in one transaction), and print the link that activates it.

Asks for confirmation on a terminal; without a terminal pass --yes. When the
API cannot be reached the stored token is left unchanged.` + tokenSettingsNote,
		Example: `  jetbridge token rotate
  jetbridge token rotate --yes`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := loadTokenSettings(cmd, f, true)
			if err != nil {
				return err
			}
			opts.IO, opts.OpenDB, opts.Settings, opts.Client = f.IOStreams, f.OpenDB, s, f.NewClient(s)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runTokenRotate(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "do not ask for confirmation")
	cmd.Flags().BoolVar(&opts.Reveal, "reveal", false, "print the whole activation link even when the output is not a terminal")
	return cmd
}

func newTokenSetCmd(f *cmdutil.Factory, runF func(context.Context, *tokenSetOptions) error) *cobra.Command {
	opts := &tokenSetOptions{}
	cmd := &cobra.Command{
		Use:   "set TOKEN",
		Short: "Store a token obtained elsewhere",
		Long: `Store a Project Token obtained elsewhere in the database (table __jet__token),
replacing the stored one. The token is 32 hex characters; dashes are accepted
and removed. Pass - to read it from standard input (keeps it out of the shell
history).` + tokenSettingsNote,
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
			s, err := loadTokenSettings(cmd, f, true)
			if err != nil {
				return err
			}
			opts.IO, opts.OpenDB, opts.Now, opts.Settings, opts.Token = f.IOStreams, f.OpenDB, f.Now, s, args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runTokenSet(cmd.Context(), opts)
		},
	}
	return cmd
}

// loadTokenSettings reads the settings as serve does. The database settings
// are required unless the token comes from the settings and the command does
// not write (show with TOKEN set).
func loadTokenSettings(cmd *cobra.Command, f *cmdutil.Factory, writes bool) (config.Settings, error) {
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

// openTokenStore opens the configured database; the caller closes it.
func openTokenStore(ctx context.Context, open func(context.Context, config.Database) (*db.DB, error), s config.Settings) (*register.Store, func(), error) {
	d, err := open(ctx, s.Database)
	if err != nil {
		return nil, nil, err
	}
	return register.NewStore(d), func() { _ = d.Close() }, nil
}

func runTokenShow(ctx context.Context, o *tokenShowOptions) error {
	s := o.Settings
	project := strings.TrimSpace(s.Project)
	var (
		token, source string
		issued        time.Time
	)
	if t := strings.TrimSpace(s.Token); t != "" {
		token, source = t, register.SourceSettings
	} else {
		st, done, err := openTokenStore(ctx, o.OpenDB, s)
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
		fmt.Fprintf(w, "Status:     unknown: %s\n", apiProblem(err))
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

func runTokenRotate(ctx context.Context, o *tokenRotateOptions) error {
	if !o.Yes && !o.IO.IsStdinTTY() {
		return cmdutil.Usage(errors.New("refusing to rotate the project token without confirmation: " +
			"standard input is not a terminal; pass --yes to rotate anyway"))
	}
	s := o.Settings
	st, done, err := openTokenStore(ctx, o.OpenDB, s)
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
		return fmt.Errorf("%s; the stored token is unchanged", apiProblem(err))
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

func runTokenSet(ctx context.Context, o *tokenSetOptions) error {
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
	st, done, err := openTokenStore(ctx, o.OpenDB, s)
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

// apiProblem says in plain words why a Jet Admin API call failed.
func apiProblem(err error) string {
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

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
