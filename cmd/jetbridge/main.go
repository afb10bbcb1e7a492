// Command jetbridge serves the Jet Bridge API over a SQL database.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // DATABASE_TIMEZONE works in static images without zoneinfo

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/cmd/root"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	f := cmdutil.New()
	err := root.NewCmdRoot(f).ExecuteContext(ctx)
	os.Exit(cmdutil.ExitCode(f.IOStreams.ErrOut, err))
}
