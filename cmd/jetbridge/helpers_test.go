package main

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

// testEnv is the environment of one test: the settings' variables, with an
// empty config file so that no jet.conf of the working directory is read.
func testEnv(t *testing.T, vars map[string]string) map[string]string {
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

// testFactory is a Factory over test streams (terminals or not), the given
// environment and a Jet Admin client that does not wait between retries.
func testFactory(env map[string]string, terminal bool) *cmdutil.Factory {
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

type cmdResult struct {
	out, errOut string
	err         error
	code        int
}

// execute runs cmd, built over f, in-process: f's streams become test
// buffers (keeping its terminal flags) with stdin as the input.
func execute(t *testing.T, f *cmdutil.Factory, cmd *cobra.Command, stdin string, args ...string) cmdResult {
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
	return cmdResult{out: out.String(), errOut: errOut.String(), err: err, code: cmdutil.CodeOf(err)}
}

// executeToken runs the token command built over f.
func executeToken(t *testing.T, f *cmdutil.Factory, stdin string, args ...string) cmdResult {
	t.Helper()
	return execute(t, f, newTokenCmd(f), stdin, args...)
}

// executeRoot runs the jetbridge command tree built over f.
func executeRoot(t *testing.T, f *cmdutil.Factory, stdin string, args ...string) cmdResult {
	t.Helper()
	return execute(t, f, newRootCmd(f), stdin, args...)
}
