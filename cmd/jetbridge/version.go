package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/cli/iostreams"
	"github.com/jetbridge/jetbridge/internal/version"
)

// orUnknown shows an unset build field (a plain `go build`) as "unknown".
func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// versionText is the output of `jetbridge version` and `jetbridge --version`.
func versionText() string {
	i := version.Get()
	return fmt.Sprintf("jetbridge %s\ncommit: %s\ndate: %s\ngo: %s\n",
		i.Version, orUnknown(i.Commit), orUnknown(i.Date), i.GoVersion)
}

func writeVersion(w io.Writer, short, asJSON bool) error {
	i := version.Get()
	switch {
	case asJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(i); err != nil {
			return fmt.Errorf("write version: %w", err)
		}
		return nil
	case short:
		_, err := fmt.Fprintln(w, i.Version)
		return err
	default:
		_, err := fmt.Fprint(w, versionText())
		return err
	}
}

type versionOptions struct {
	IO    *iostreams.IOStreams
	Short bool
	JSON  bool
}

func newVersionCmd(f *cmdutil.Factory, runF func(*versionOptions) error) *cobra.Command {
	opts := &versionOptions{}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit, build date and Go version",
		Example: "  jetbridge version\n" +
			"  jetbridge version --short\n" +
			"  jetbridge version --json",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.IO = f.IOStreams
			if runF != nil {
				return runF(opts)
			}
			return writeVersion(opts.IO.Out, opts.Short, opts.JSON)
		},
	}
	cmd.Flags().BoolVar(&opts.Short, "short", false, "print only the version number")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the build information as JSON")
	cmd.MarkFlagsMutuallyExclusive("short", "json")
	return cmd
}
