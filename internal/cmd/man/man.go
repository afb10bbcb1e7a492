// Package man is the hidden `jetbridge man DIR`, run at release time to write
// the man pages.
package man

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/version"
)

// NewCmdMan is the hidden `jetbridge man DIR` used at release time to write
// one section-1 man page per visible command.
func NewCmdMan(f *cmdutil.Factory) *cobra.Command {
	var compress bool
	cmd := &cobra.Command{
		Use:   "man DIR",
		Short: "Write man pages for every command into DIR",
		Long: "Write one section-1 man page per command into DIR (created if missing).\n" +
			"The page date is SOURCE_DATE_EPOCH when set, else the build date, so release\n" +
			"builds are reproducible.",
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := writeManPages(cmd.Root(), args[0], compress, f.LookupEnv)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(f.IOStreams.ErrOut, "wrote %d man pages to %s\n", n, args[0])
			return err
		},
	}
	cmd.Flags().BoolVar(&compress, "gzip", false, "write gzip-compressed pages (NAME.1.gz)")
	return cmd
}

// manDate picks the date printed in the pages: nil lets cobra/doc use
// SOURCE_DATE_EPOCH (or now); otherwise the build date when it parses.
func manDate(lookupEnv func(string) (string, bool)) *time.Time {
	if v, _ := lookupEnv("SOURCE_DATE_EPOCH"); v != "" {
		return nil
	}
	if d, err := time.Parse(time.RFC3339, version.Get().Date); err == nil {
		return &d
	}
	return nil
}

// writeManPages renders the pages of root and its available subcommands into
// dir and returns how many it wrote.
func writeManPages(root *cobra.Command, dir string, compress bool, lookupEnv func(string) (string, bool)) (int, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("create man page directory: %w", err)
	}
	root.DisableAutoGenTag = true
	date := manDate(lookupEnv)
	n := 0
	var walk func(c *cobra.Command) error
	walk = func(c *cobra.Command) error {
		for _, sub := range c.Commands() {
			if !sub.IsAvailableCommand() || sub.IsAdditionalHelpTopicCommand() {
				continue
			}
			if err := walk(sub); err != nil {
				return err
			}
		}
		header := &doc.GenManHeader{
			Section: "1",
			Date:    date,
			Source:  "jetbridge " + version.Get().Version,
			Manual:  "jetbridge manual",
		}
		var page bytes.Buffer
		if err := doc.GenMan(c, header, &page); err != nil {
			return fmt.Errorf("render man page of %q: %w", c.CommandPath(), err)
		}
		name := strings.ReplaceAll(c.CommandPath(), " ", "-") + ".1"
		data := page.Bytes()
		if compress {
			name += ".gz"
			var err error
			if data, err = gzipBytes(data); err != nil {
				return fmt.Errorf("compress man page %s: %w", name, err)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return fmt.Errorf("write man page: %w", err)
		}
		n++
		return nil
	}
	if err := walk(root); err != nil {
		return n, err
	}
	return n, nil
}

// gzipBytes compresses b without a file name or time stamp in the header, so
// the output depends on the input only.
func gzipBytes(b []byte) ([]byte, error) {
	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
