// Package apierr carries client errors (4xx/5xx) from the inner packages to the
// HTTP layer in the JSON shapes of the spec (§5), without the inner packages
// knowing anything about HTTP frameworks.
package apierr

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
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

// Invalid is a 400 naming the fields and repeating their messages under
// "non_field_errors": upstream answers a value the database refuses (or that
// cannot be parsed) with non_field_errors only, and the frontend shows that
// key; the field keys let a form mark the field.
func Invalid(errs map[string][]string) *Error {
	body := make(map[string][]string, len(errs)+1)
	names := make([]string, 0, len(errs))
	for k := range errs {
		names = append(names, k)
	}
	sort.Strings(names)
	var all []string
	for _, k := range names {
		body[k] = errs[k]
		if k == "non_field_errors" {
			all = append(all, errs[k]...)
			continue
		}
		for _, msg := range errs[k] {
			all = append(all, k+": "+msg)
		}
	}
	body["non_field_errors"] = all
	return &Error{Status: http.StatusBadRequest, Body: body}
}

// InvalidField is Invalid for one field.
func InvalidField(field, msg string) *Error {
	return Invalid(map[string][]string{field: {msg}})
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
