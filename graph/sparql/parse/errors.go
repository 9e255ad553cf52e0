package parse

import (
	"fmt"
	"unicode/utf8"
)

// SyntaxError reports a query or update that is not valid SPARQL 1.1: a
// grammar error, or a violation of the rules the spec states beside the
// grammar (variable scoping of BIND and SELECT expressions, grouping,
// blank node labels shared by two patterns, and so on). Line and Col are
// 1-based; Col counts Unicode code points. The api package maps it to 400.
type SyntaxError struct {
	Line, Col int
	Msg       string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.Msg)
}

// Position returns the line and column of the error.
func (e *SyntaxError) Position() (line, col int) { return e.Line, e.Col }

// errorAt builds a SyntaxError at byte offset off of src.
func errorAt(src string, off int, format string, args ...any) *SyntaxError {
	if off > len(src) {
		off = len(src)
	}
	line, col := 1, 1
	for i := 0; i < off; {
		r, n := utf8.DecodeRuneInString(src[i:])
		switch {
		case r == '\n':
			line, col = line+1, 1
		case r == '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			line, col = line+1, 1
		default:
			col++
		}
		i += n
	}
	return &SyntaxError{Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}
