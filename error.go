package cunjing

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer; internal/api maps each to one HTTP status.
const (
	EInvalid       = "invalid"
	ENotFound      = "not_found"
	EConflict      = "conflict"
	EUnauthorized  = "unauthorized"
	EForbidden     = "forbidden"
	ETooLarge      = "too_large"
	EUnsupported   = "unsupported"   // a file of a type that is not taken (415)
	EUnprocessable = "unprocessable" // a file of the right type that cannot be opened safely (422)
	ELocked        = "locked"
	ERateLimited   = "rate_limited"
	EInternal      = "internal"
)

// Error is an error a user may see: a code from the list above, a message in
// plain words, and for validation errors the offending fields.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("cunjing error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal for
// any other error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EInternal
	}
}

// ErrorMessage returns the user-facing message of err; internal errors get a
// generic text so that no detail leaks.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ItemError says which item of a batch (0-based Index) failed, so that an
// import can name the row; Err keeps its code.
type ItemError struct {
	Index int
	Err   error
}

func (e *ItemError) Error() string { return fmt.Sprintf("item %d: %v", e.Index+1, e.Err) }

// Unwrap returns the error of the item.
func (e *ItemError) Unwrap() error { return e.Err }
