// Package root wires the jetbridge command tree: every command lives in its
// own package under internal/cmd; this one only adds them to the root.
package root

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/cmd/initcmd"
	"github.com/jetbridge/jetbridge/internal/cmd/man"
	"github.com/jetbridge/jetbridge/internal/cmd/serve"
	"github.com/jetbridge/jetbridge/internal/cmd/token"
	versioncmd "github.com/jetbridge/jetbridge/internal/cmd/version"
	"github.com/jetbridge/jetbridge/internal/version"
)

// NewCmdRoot builds the jetbridge command tree over one Factory: every
// command reads and writes f.IOStreams and takes its outside world from f.
func NewCmdRoot(f *cmdutil.Factory) *cobra.Command {
	root := &cobra.Command{
		Use:           "jetbridge",
		Short:         "Serve the Jet Bridge API over your SQL database",
		Long:          "jetbridge connects Jet Admin to a PostgreSQL, MySQL/MariaDB or SQLite database:\nit reflects the schema and serves the Jet Bridge REST API next to your data.",
		Version:       version.Get().Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(f.IOStreams.In)
	root.SetOut(f.IOStreams.Out)
	root.SetErr(f.IOStreams.ErrOut)
	root.SetVersionTemplate(versioncmd.Text())
	root.AddCommand(
		serve.NewCmdServe(f, nil),
		token.NewCmdToken(f),
		initcmd.NewCmdInit(f, nil),
		versioncmd.NewCmdVersion(f, nil),
		man.NewCmdMan(f),
	)
	cobra.AddTemplateFunc("plainBools", plainBools)
	root.SetUsageTemplate(strings.ReplaceAll(root.UsageTemplate(), ".FlagUsages | trimTrailingWhitespaces", ".FlagUsages | plainBools | trimTrailingWhitespaces"))
	return root
}

// plainBools drops the "[=true|false]" pflag appends to every boolean flag
// in the help (--read-only alone turns it on; --read-only=false still works),
// keeping the columns aligned.
func plainBools(usages string) string {
	const marker = "[=true|false]"
	return strings.ReplaceAll(usages, marker, strings.Repeat(" ", len(marker)))
}
