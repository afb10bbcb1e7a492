package main

import (
	"github.com/spf13/cobra"

	"github.com/jetbridge/jetbridge/internal/version"
)

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "jetbridge",
		Short:         "Serve the Jet Bridge API over your SQL database",
		Long:          "jetbridge connects Jet Admin to a PostgreSQL, MySQL/MariaDB or SQLite database:\nit reflects the schema and serves the Jet Bridge REST API next to your data.",
		Version:       version.Get().Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate(versionText())
	root.AddCommand(
		newServeCmd(),
		newTokenCmd(),
		newInitCmd(),
		newVersionCmd(),
		newManCmd(),
	)
	return root
}
