package rdfio

import (
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// ttlBufSize is the initial input buffer. The buffer grows only when one
// look-ahead needs more (a run of dots inside a local name), so memory stays
// bounded by the statement being parsed.
const ttlBufSize = 64 << 10

// ttlInput is the buffered byte source of the Turtle-family parser: it keeps
// the 1-based line and column (in code points) of the next unread byte.
type ttlInput struct {
	r         io.Reader
	buf       []byte
	pos, end  int
	rerr      error // sticky error of r (io.EOF once drained)
	line, col int
}

// fill makes at least n unread bytes available and reports whether it could.
func (in *ttlInput) fill(n int) bool {
	for in.end-in.pos < n {
		if in.rerr != nil {
			return false
		}
		if in.pos > 0 {
			copy(in.buf, in.buf[in.pos:in.end])
			in.end -= in.pos
			in.pos = 0
		}
		if len(in.buf)-in.end < n {
			nb := make([]byte, 2*len(in.buf)+n)
			copy(nb, in.buf[:in.end])
			in.buf = nb
		}
		for tries := 0; ; tries++ {
			m, err := in.r.Read(in.buf[in.end:])
			in.end += m
			if err != nil {
				in.rerr = err
				break
			}
			if m > 0 {
				break
			}
			if tries > 100 {
				in.rerr = io.ErrNoProgress
				break
			}
		}
	}
	return true
}

// peek returns the next byte, or -1 at the end of input.
func (in *ttlInput) peek() int {
	if in.pos < in.end {
		return int(in.buf[in.pos])
	}
	if !in.fill(1) {
		return -1
	}
	return int(in.buf[in.pos])
}

// peekAt returns the byte i positions ahead of the next one, or -1.
func (in *ttlInput) peekAt(i int) int {
	if in.pos+i < in.end {
		return int(in.buf[in.pos+i])
	}
	if !in.fill(i + 1) {
		return -1
	}
	return int(in.buf[in.pos+i])
}

// peekRuneAt decodes the code point starting i bytes ahead. size is 0 at the
// end of input; r is -1 (matching no character class) with size 1 for
// invalid UTF-8.
func (in *ttlInput) peekRuneAt(i int) (r rune, size int) {
	if in.pos+i < in.end && in.buf[in.pos+i] < utf8.RuneSelf {
		return rune(in.buf[in.pos+i]), 1
	}
	in.fill(i + utf8.UTFMax)
	if in.pos+i >= in.end {
		return 0, 0
	}
	r, size = utf8.DecodeRune(in.buf[in.pos+i : in.end])
	if r == utf8.RuneError && size == 1 {
		return -1, 1
	}
	return r, size
}

// skip consumes one byte.
func (in *ttlInput) skip() {
	b := in.buf[in.pos]
	in.pos++
	if b == '\n' {
		in.line++
		in.col = 1
	} else if b&0xC0 != 0x80 {
		in.col++
	}
}

// skipN consumes n bytes that are known to be buffered.
func (in *ttlInput) skipN(n int) {
	for ; n > 0; n-- {
		in.skip()
	}
}

// escErr reports a bad escape at its backslash, the code point before the
// current position.
func (in *ttlInput) escErr(format string, args ...any) error {
	err := in.errAt(format, args...)
	if se, ok := err.(*SyntaxError); ok && se.Col > 1 {
		se.Col--
	}
	return err
}

// errAt builds the error for a problem at the current position. A failing
// reader takes precedence over the syntax error its truncation caused.
func (in *ttlInput) errAt(format string, args ...any) error {
	if in.rerr != nil && !errors.Is(in.rerr, io.EOF) {
		return fmt.Errorf("read input: %w", in.rerr)
	}
	return &SyntaxError{Line: in.line, Col: in.col, Msg: fmt.Sprintf(format, args...)}
}

// unexpected reports the next character as unexpected.
func (in *ttlInput) unexpected(what string) error {
	c := in.peek()
	if c < 0 {
		return in.errAt("unexpected end of input, expected %s", what)
	}
	r, _ := in.peekRuneAt(0)
	if r < 0 {
		return in.errAt("invalid UTF-8, expected %s", what)
	}
	return in.errAt("unexpected %q, expected %s", r, what)
}

// Character classes of the Turtle grammar (section 6.5 of Turtle 1.1).

func ttlPNCharsBase(r rune) bool {
	switch {
	case r < 0x80:
		return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z'
	case r >= 0xC0 && r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x2FF,
		r >= 0x370 && r <= 0x37D, r >= 0x37F && r <= 0x1FFF, r >= 0x200C && r <= 0x200D,
		r >= 0x2070 && r <= 0x218F, r >= 0x2C00 && r <= 0x2FEF, r >= 0x3001 && r <= 0xD7FF,
		r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFFD, r >= 0x10000 && r <= 0xEFFFF:
		return true
	}
	return false
}

func ttlPNCharsU(r rune) bool { return r == '_' || ttlPNCharsBase(r) }

func ttlPNChars(r rune) bool {
	return ttlPNCharsU(r) || r == '-' || r >= '0' && r <= '9' || r == 0xB7 ||
		r >= 0x300 && r <= 0x36F || r >= 0x203F && r <= 0x2040
}

// ttlIRIForbidden reports characters IRIREF excludes (also when written as
// a numeric escape).
func ttlIRIForbidden(r rune) bool {
	if r <= 0x20 {
		return true
	}
	switch r {
	case '<', '>', '"', '{', '}', '|', '^', '`', '\\':
		return true
	}
	return false
}

func ttlHex(c int) (int, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// uchar reads the rest of a numeric escape whose backslash has been consumed
// and whose 'u' or 'U' is next.
func (in *ttlInput) uchar() (rune, error) {
	n := 4
	if in.peek() == 'U' {
		n = 8
	}
	var r rune
	for i := 1; i <= n; i++ {
		h, ok := ttlHex(in.peekAt(i))
		if !ok {
			return 0, in.escErr("invalid numeric escape: expected %d hex digits", n)
		}
		r = r<<4 | rune(h)
	}
	if r >= 0xD800 && r <= 0xDFFF || r > utf8.MaxRune {
		return 0, in.escErr("numeric escape U+%X is not a Unicode scalar value", r)
	}
	in.skipN(n + 1)
	return r, nil
}

// readRune consumes one code point, rejecting invalid UTF-8.
func (in *ttlInput) readRune() (rune, []byte, error) {
	r, size := in.peekRuneAt(0)
	if size == 0 {
		return 0, nil, in.errAt("unexpected end of input")
	}
	if r < 0 {
		return 0, nil, in.errAt("invalid UTF-8")
	}
	b := in.buf[in.pos : in.pos+size]
	in.skipN(size)
	return r, b, nil
}
