// Package apierr carries client errors (4xx/5xx) from the inner packages to the
// HTTP layer in the JSON shapes of the spec (§5), without the inner packages
// knowing anything about HTTP frameworks.
package apierr

import (
	"errors"
	"fmt"
	"net/http"
)

// Error is an error with an HTTP status and a JSON-encodable body.
type Error struct {
	Status int
	Body   any
	// Cause is an optional underlying error, for logs only (never sent).
	Cause error
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%d %v: %v", e.Status, e.Body, e.Cause)
	}
	return fmt.Sprintf("%d %v", e.Status, e.Body)
}

func (e *Error) Unwrap() error { return e.Cause }

// Field is a 400 naming one field: {"<field>": ["<msg>"]}.
func Field(field, msg string) *Error {
	return &Error{Status: http.StatusBadRequest, Body: map[string][]string{field: {msg}}}
}

// Fields is a 400 with several field errors.
func Fields(errs map[string][]string) *Error {
	return &Error{Status: http.StatusBadRequest, Body: errs}
}

// NonField is a 400 {"non_field_errors": [msgs...]}.
func NonField(msgs ...string) *Error {
	return &Error{Status: http.StatusBadRequest, Body: map[string][]string{"non_field_errors": msgs}}
}

// MissingArgument is a 400 {"error": "Missing argument <name>", "error_code": "invalid"}.
func MissingArgument(name string) *Error {
	return &Error{Status: http.StatusBadRequest, Body: map[string]string{
		"error": "Missing argument " + name, "error_code": "invalid"}}
}

// Detail is an error of any status with body {"detail": "<msg>"}.
func Detail(status int, msg string) *Error {
	return &Error{Status: status, Body: map[string]string{"detail": msg}}
}

// NotFound is a 404 {"detail": msg}.
func NotFound(msg string) *Error { return Detail(http.StatusNotFound, msg) }

// Forbidden is a 403 {"detail": msg}.
func Forbidden(msg string) *Error { return Detail(http.StatusForbidden, msg) }

// Unavailable is a 503 {"detail": msg}: the database cannot be reached.
func Unavailable(msg string) *Error { return Detail(http.StatusServiceUnavailable, msg) }

// As reports whether err is (or wraps) an *Error and returns it.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}
