package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Exit statuses of every command, in one place.
const (
	ExitOK          = 0
	ExitFailure     = 1   // the command failed (connection, existing file, no token, ...)
	ExitUsage       = 2   // invalid or missing settings or arguments
	ExitInterrupted = 130 // interrupted (Ctrl-C); 128 + SIGINT, as shells report it
)

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

// Usage wraps err as invalid or missing settings or arguments (exit 2).
func Usage(err error) error { return &ExitError{Code: ExitUsage, Err: err} }

// Failure wraps err as a plain failure (exit 1).
func Failure(err error) error { return &ExitError{Code: ExitFailure, Err: err} }

// CodeOf is the exit status of err, without printing it.
func CodeOf(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	if errors.Is(err, context.Canceled) {
		return ExitInterrupted
	}
	return ExitFailure
}

// ExitCode maps a command's error to the process exit status and prints it
// to w. An interruption (Ctrl-C) is no error: its message, if any, is
// printed as it is.
func ExitCode(w io.Writer, err error) int {
	code := CodeOf(err)
	if err == nil {
		return code
	}
	var ee *ExitError
	switch {
	case errors.As(err, &ee):
		switch {
		case ee.Err == nil:
		case ee.Code == ExitInterrupted:
			fmt.Fprintln(w, capitalize(ee.Err.Error())+".")
		default:
			fmt.Fprintln(w, "Error:", ee.Err)
		}
	case code == ExitInterrupted:
	default:
		fmt.Fprintln(w, "Error:", err)
	}
	return code
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
