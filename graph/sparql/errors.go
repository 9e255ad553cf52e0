package sparql

import (
	"context"
	"errors"
	"fmt"
)

// Kind classifies an evaluation error by what the caller can do about it.
// The set is closed and mirrors graph.Kind, so that the store maps one to
// the other and api maps each to one HTTP status. Syntax errors are not
// Errors: the parser returns a *parse.SyntaxError (400 with line and
// column).
type Kind int

// The kinds of error. The zero value is Internal, so that an unclassified
// error is never mistaken for the caller's fault.
const (
	Internal    Kind = iota // a fault of the engine or of the reader
	Invalid                 // the request is well-formed SPARQL but cannot be run as given (a bad dataset IRI, CREATE of an existing graph)
	NotFound                // an update names a graph that does not exist (DROP, CLEAR, ADD... without SILENT)
	TooLarge                // the answer or an intermediate result exceeds a configured limit
	Unsupported             // a feature the service refuses: LOAD, SERVICE
	Timeout                 // the context's deadline passed
	Canceled                // the context was canceled
)

var kindNames = [...]string{"internal", "invalid", "not found", "too large", "unsupported", "timeout", "canceled"}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Error is the one error type of the engine: the operation that failed, its
// kind, and the underlying error.
type Error struct {
	Op   string // e.g. "query", "update", "LOAD"
	Kind Kind
	Err  error
}

func (e *Error) Error() string {
	if e.Err == nil {
		return "sparql " + e.Op + ": " + e.Kind.String()
	}
	return "sparql " + e.Op + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

func errorf(op string, kind Kind, format string, args ...any) error {
	return &Error{Op: op, Kind: kind, Err: fmt.Errorf(format, args...)}
}

// KindOf returns the kind of the first *Error in err's chain; Timeout and
// Canceled for the context's errors; Internal otherwise.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return Timeout
	case errors.Is(err, context.Canceled):
		return Canceled
	}
	return Internal
}

// wrapCtx turns a context error into an *Error of kind Timeout or
// Canceled, and leaves other errors as they are.
func wrapCtx(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.DeadlineExceeded):
		var e *Error
		if errors.As(err, &e) {
			return err
		}
		return &Error{Op: op, Kind: Timeout, Err: err}
	case errors.Is(err, context.Canceled):
		var e *Error
		if errors.As(err, &e) {
			return err
		}
		return &Error{Op: op, Kind: Canceled, Err: err}
	}
	return err
}
