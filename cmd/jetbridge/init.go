package main

import "github.com/spf13/cobra"

// placeholder until the init command lands
func newInitCmd() *cobra.Command {
	return &cobra.Command{Use: "init", Short: "(not yet available)", Hidden: true}
}
