package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/jetbridge/jetbridge/internal/version"
)

func versionText() string {
	i := version.Get()
	return fmt.Sprintf("jetbridge %s\ncommit: %s\ndate: %s\ngo: %s\n", i.Version, i.Commit, i.Date, i.GoVersion)
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit, build date and Go version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprint(cmd.OutOrStdout(), versionText())
			return err
		},
	}
}
