package rdfio

import "fmt"

// SyntaxError reports malformed input at a position. Line and Col are
// 1-based; Col counts Unicode code points. Either may be 0 when unknown (a
// JSON-LD error has no line).
type SyntaxError struct {
	Line, Col int
	Msg       string
}

func (e *SyntaxError) Error() string {
	switch {
	case e.Line > 0 && e.Col > 0:
		return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}
