// Package version is `jetbridge version`: the version, commit, build date
// and Go version of the binary.
package version

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/cli/iostreams"
	buildinfo "github.com/jetbridge/jetbridge/internal/version"
)

// orUnknown shows an unset build field (a plain `go build`) as "unknown".
func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// Text is the output of `jetbridge version` and `jetbridge --version`.
func Text() string {
	i := buildinfo.Get()
	return fmt.Sprintf("jetbridge %s\ncommit: %s\ndate: %s\ngo: %s\n",
		i.Version, orUnknown(i.Commit), orUnknown(i.Date), i.GoVersion)
}

func versionRun(opts *VersionOptions) error {
	w, short, asJSON := opts.IO.Out, opts.Short, opts.JSON
	i := buildinfo.Get()
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
		_, err := fmt.Fprint(w, Text())
		return err
	}
}

// VersionOptions are the flags of version.
type VersionOptions struct {
	IO    *iostreams.IOStreams
	Short bool
	JSON  bool
}

// NewCmdVersion builds `jetbridge version`; runF, when set, replaces the run
// (tests).
func NewCmdVersion(f *cmdutil.Factory, runF func(*VersionOptions) error) *cobra.Command {
	opts := &VersionOptions{}
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
			return versionRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Short, "short", false, "print only the version number")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the build information as JSON")
	cmd.MarkFlagsMutuallyExclusive("short", "json")
	return cmd
}
