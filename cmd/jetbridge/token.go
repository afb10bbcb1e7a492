package main

import "github.com/spf13/cobra"

// placeholder until the token command lands
func newTokenCmd() *cobra.Command {
	return &cobra.Command{Use: "token", Short: "(not yet available)", Hidden: true}
}
