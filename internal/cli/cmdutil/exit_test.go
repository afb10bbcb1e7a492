package cmdutil

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
)

func TestExitCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		code int
		out  string
	}{
		{"success", nil, ExitOK, ""},
		{"plain error", errors.New("boom"), ExitFailure, "Error: boom\n"},
		{"usage", Usage(errors.New("bad port")), ExitUsage, "Error: bad port\n"},
		{"failure", Failure(errors.New("no token")), ExitFailure, "Error: no token\n"},
		{"wrapped usage", fmt.Errorf("serve: %w", Usage(errors.New("bad"))), ExitUsage, "Error: bad\n"},
		{"status without message", &ExitError{Code: 3}, 3, ""},
		{"interrupted with message", &ExitError{Code: ExitInterrupted, Err: errors.New("interrupted: nothing was written")}, ExitInterrupted, "Interrupted: nothing was written.\n"},
		{"context canceled", context.Canceled, ExitInterrupted, ""},
		{"wrapped context canceled", fmt.Errorf("query: %w", context.Canceled), ExitInterrupted, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if code := ExitCode(&b, tt.err); code != tt.code || b.String() != tt.out {
				t.Errorf("ExitCode = %d %q, want %d %q", code, b.String(), tt.code, tt.out)
			}
			if code := CodeOf(tt.err); code != tt.code {
				t.Errorf("CodeOf = %d, want %d", code, tt.code)
			}
		})
	}
}

func TestExitErrorText(t *testing.T) {
	if got := (&ExitError{Code: 2}).Error(); got != "exit status 2" {
		t.Errorf("Error() = %q", got)
	}
	inner := errors.New("inner")
	if e := Usage(inner); e.Error() != "inner" || !errors.Is(e, inner) {
		t.Errorf("Usage(inner) = %v, unwraps to inner: %v", e, errors.Is(e, inner))
	}
}
