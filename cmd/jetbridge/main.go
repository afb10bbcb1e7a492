// Command jetbridge serves the Jet Bridge API over a SQL database.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	_ "time/tzdata" // DATABASE_TIMEZONE works in static images without zoneinfo
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRootCmd()
	err := root.ExecuteContext(ctx)
	os.Exit(exitCode(os.Stderr, err))
}

// ExitError carries a specific exit status out of a command.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// Exit statuses, mapped in one place.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2 // invalid or missing settings or arguments
	exitInterrupted = 130
)

// exitCode maps a command's error to the process exit status and prints it
// to w. An interruption (Ctrl-C) is no error: its message, if any, is
// printed as it is.
func exitCode(w io.Writer, err error) int {
	if err == nil {
		return exitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		switch {
		case ee.Err == nil:
		case ee.Code == exitInterrupted:
			fmt.Fprintln(w, capitalize(ee.Err.Error())+".")
		default:
			fmt.Fprintln(w, "Error:", ee.Err)
		}
		return ee.Code
	}
	if errors.Is(err, context.Canceled) {
		return exitInterrupted
	}
	fmt.Fprintln(w, "Error:", err)
	return exitFailure
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
