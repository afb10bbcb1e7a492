package main

import "github.com/spf13/cobra"

// placeholder until the serve command lands
func newServeCmd() *cobra.Command {
	return &cobra.Command{Use: "serve", Short: "(not yet available)"}
}
