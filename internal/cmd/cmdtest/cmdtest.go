// Package cmdtest holds what the command packages' tests share: a test
// environment with an empty config file, a Factory over test streams, and
// an in-process run of a command. Only tests import it.
package cmdtest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/cli/iostreams"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/jetadmin"
)

// Env is the environment of one test: the settings' variables, with an
// empty config file so that no jet.conf of the working directory is read.
func Env(t *testing.T, vars map[string]string) map[string]string {
	t.Helper()
	conf := filepath.Join(t.TempDir(), "jet.conf")
	if err := os.WriteFile(conf, []byte("[JET]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"CONFIG": conf}
	for k, v := range vars {
		env[k] = v
	}
	return env
}

// Factory is a Factory over test streams (terminals or not), the given
// environment and a Jet Admin client that does not wait between retries.
func Factory(env map[string]string, terminal bool) *cmdutil.Factory {
	f := cmdutil.New()
	f.IOStreams, _, _, _ = iostreams.Test()
	f.IOStreams.SetStdinTTY(terminal)
	f.IOStreams.SetStdoutTTY(terminal)
	f.LookupEnv = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	f.NewClient = func(s config.Settings) *jetadmin.Client {
		return jetadmin.New(s.APIBaseURL, jetadmin.WithRetryBackoff(0), jetadmin.WithTimeout(5*time.Second))
	}
	return f
}

// Result is what one in-process run of a command did.
type Result struct {
	Out, ErrOut string
	Err         error
	Code        int
}

// Execute runs cmd, built over f, in-process: f's streams become test
// buffers (keeping its terminal flags) with stdin as the input.
func Execute(t *testing.T, f *cmdutil.Factory, cmd *cobra.Command, stdin string, args ...string) Result {
	t.Helper()
	ios, in, out, errOut := iostreams.Test()
	in.WriteString(stdin)
	if f.IOStreams != nil {
		ios.SetStdinTTY(f.IOStreams.IsStdinTTY())
		ios.SetStdoutTTY(f.IOStreams.IsStdoutTTY())
	}
	f.IOStreams = ios
	cmd.SetIn(in)
	cmd.SetOut(out)
	cmd.SetErr(errOut)
	cmd.SetArgs(args)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	err := cmd.ExecuteContext(context.Background())
	return Result{Out: out.String(), ErrOut: errOut.String(), Err: err, Code: cmdutil.CodeOf(err)}
}

// SettingsParent wraps subcommands in a parent command named use with the
// settings flags as persistent flags, as the token command does.
func SettingsParent(use string, subs ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{Use: use}
	config.Bind(cmd.PersistentFlags())
	cmd.AddCommand(subs...)
	return cmd
}
