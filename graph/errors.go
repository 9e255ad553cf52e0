package graph

import (
	"context"
	"errors"
	"fmt"
)

// Kind classifies an error by what the caller can do about it. The set is
// closed: api maps each kind to one HTTP status, cmd to one exit message.
type Kind int

// The kinds of error. The zero value is Internal so that an unclassified
// error is never mistaken for the caller's fault.
const (
	Internal      Kind = iota // a fault of ours or of the backend
	Invalid                   // the request or input is malformed
	NotFound                  // the entity, graph or route does not exist
	Conflict                  // the request conflicts with the store's state
	TooLarge                  // the input or answer exceeds a configured limit
	Unsupported               // the format, backend or feature is not offered
	Timeout                   // the operation ran out of time
	Unprocessable             // well-formed, but cannot be answered as asked
	Unavailable               // the store is closed or not reachable
)

var kindNames = [...]string{"internal", "invalid", "not found", "conflict", "too large", "unsupported", "timeout", "unprocessable", "unavailable"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Error is the one error type of the graph layer: the operation that failed,
// the kind of failure, and the underlying error.
type Error struct {
	Op   string // e.g. "load", "open bolt store"
	Kind Kind
	Err  error
}

func (e *Error) Error() string {
	if e.Err == nil {
		return e.Op + ": " + e.Kind.String()
	}
	return e.Op + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an *Error. err may be nil.
func E(op string, kind Kind, err error) error {
	return &Error{Op: op, Kind: kind, Err: err}
}

// Errorf builds an *Error with a formatted message; %w wraps as usual.
func Errorf(op string, kind Kind, format string, args ...any) error {
	return &Error{Op: op, Kind: kind, Err: fmt.Errorf(format, args...)}
}

// KindOf classifies err: the kind of the outermost *Error in its chain,
// except that an Internal one gives way to what it wraps (an inner *Error
// of another kind, or a deadline), so wrapping a classified error as
// Internal at a higher layer does not hide its kind. With no *Error in the
// chain it is Timeout for context.DeadlineExceeded and Internal for
// anything else, context.Canceled included.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		if e.Kind == Internal && e.Err != nil {
			if k := KindOf(e.Err); k != Internal {
				return k
			}
		}
		return e.Kind
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return Timeout
	}
	return Internal
}
