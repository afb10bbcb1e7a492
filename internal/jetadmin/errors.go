package jetadmin

import (
	"fmt"
	"net/http"
)

// Error is a failed call of the Jet Admin API. Its message never contains a
// token.
type Error struct {
	// Call names the call in plain words, e.g. "create project token".
	Call string
	// Status is the HTTP status of the last answer, 0 when there was none
	// (network error, timeout).
	Status int
	// Tries is how many times the call was sent.
	Tries int
	// Reason says what went wrong, e.g. "server answered 503 Service Unavailable".
	Reason string

	cause error // without URL; context errors stay detectable with errors.Is
}

func (e *Error) Error() string {
	s := "Jet Admin API: " + e.Call + ": " + e.Reason
	if e.Tries > 1 {
		s += fmt.Sprintf(" (%d tries)", e.Tries)
	}
	return s
}

// Unwrap returns the underlying network or context error, if any.
func (e *Error) Unwrap() error { return e.cause }

// Unavailable reports whether the API could not be reached or failed on its
// side (network error, timeout, 5xx), as opposed to an unexpected answer.
func (e *Error) Unavailable() bool {
	return e.Status == 0 || e.Status >= http.StatusInternalServerError
}
