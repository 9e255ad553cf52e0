package rdfio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
)

// Limits bound a document read whole by ReadAll. A zero field means no
// limit of that kind.
type Limits struct {
	// MaxQuads bounds the quads of the document.
	MaxQuads int
	// MaxLiteralBytes bounds the lexical form of one literal, in bytes.
	MaxLiteralBytes int
	// MaxIRIBytes bounds one IRI (or blank node label), in bytes.
	MaxIRIBytes int
	// MaxJSONDepth bounds the nesting of arrays and objects in JSON-LD.
	MaxJSONDepth int
	// MaxPrefixes bounds the prefixes a Turtle or TriG document declares and
	// the terms the contexts of a JSON-LD document define.
	MaxPrefixes int
}

// LimitError reports a document that exceeds one of its Limits. Line and
// Col locate the statement (Turtle family) or JSON value (JSON-LD) that
// exceeds it; either is 0 when unknown.
type LimitError struct {
	Limit     string // which limit: "quads", "literal length", "IRI length", "JSON depth", "prefixes"
	Max       int64
	Line, Col int
	Msg       string
}

func (e *LimitError) Error() string {
	switch {
	case e.Line > 0 && e.Col > 0:
		return fmt.Sprintf("line %d, column %d: %s (limit %s: %d)", e.Line, e.Col, e.Msg, e.Limit, e.Max)
	case e.Line > 0:
		return fmt.Sprintf("line %d: %s (limit %s: %d)", e.Line, e.Msg, e.Limit, e.Max)
	}
	return fmt.Sprintf("%s (limit %s: %d)", e.Msg, e.Limit, e.Max)
}

// Position returns the error's line and column (0 when unknown).
func (e *LimitError) Position() (line, col int) { return e.Line, e.Col }

// Position returns the error's line and column (0 when unknown).
func (e *SyntaxError) Position() (line, col int) { return e.Line, e.Col }

// positioned is a reader that can say where its last statement started.
type positioned interface {
	stmtPosition() (line, col int)
}

func (p *turtleReader) stmtPosition() (int, int) { return p.stmtLine, p.stmtCol }

// ReadAll decodes a whole document held in memory and returns its quads, or
// the first problem: a *SyntaxError for text that is not UTF-8 (located at
// the first bad byte), malformed syntax, or an IRI that is not an absolute
// RFC 3987 IRI; a *LimitError when the document exceeds lim. Nothing is
// returned with an error, so a caller can apply the quads all or none.
func ReadAll(data []byte, f Format, opt ReadOptions, lim Limits) ([]quad.Quad, error) {
	if err := CheckUTF8(data); err != nil {
		return nil, err
	}
	if f.Name == JSONLD {
		if err := checkJSON(data, lim); err != nil {
			return nil, err
		}
		if opt.MaxBytes == 0 || opt.MaxBytes < int64(len(data)) {
			opt.MaxBytes = int64(len(data)) // already bounded by the caller
		}
	}
	r, err := NewReader(bytes.NewReader(data), f, opt)
	if err != nil {
		return nil, err
	}
	if tr, ok := r.(*turtleReader); ok {
		tr.maxPrefixes = lim.MaxPrefixes
	}
	var out []quad.Quad
	for {
		q, err := r.ReadQuad()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if lim.MaxQuads > 0 && len(out) >= lim.MaxQuads {
			return nil, locate(r, &LimitError{Limit: "quads", Max: int64(lim.MaxQuads),
				Msg: fmt.Sprintf("more than %d quads in one request", lim.MaxQuads)})
		}
		if err := CheckQuad(q, lim); err != nil {
			return nil, locate(r, err)
		}
		out = append(out, q)
	}
}

// locate gives err the start of the reader's last statement, when the
// reader knows it.
func locate(r Reader, err error) error {
	p, ok := r.(positioned)
	if !ok {
		return err
	}
	line, col := p.stmtPosition()
	var le *LimitError
	var se *SyntaxError
	switch {
	case errors.As(err, &le):
		le.Line, le.Col = line, col
	case errors.As(err, &se):
		se.Line, se.Col = line, col
	}
	return err
}

// CheckQuad checks the terms of q against lim's length limits and checks
// that every IRI is an absolute RFC 3987 IRI. It returns a *LimitError or a
// *SyntaxError (without position) naming the term.
func CheckQuad(q quad.Quad, lim Limits) error {
	for _, v := range []quad.Value{q.Subject, q.Predicate, q.Object, q.Label} {
		if err := checkTerm(v, lim); err != nil {
			return err
		}
	}
	return nil
}

func checkTerm(v quad.Value, lim Limits) error {
	var lex string
	var dt quad.IRI
	switch t := v.(type) {
	case nil:
		return nil
	case quad.IRI:
		return checkIRITerm(string(t), lim)
	case quad.BNode:
		if lim.MaxIRIBytes > 0 && len(t) > lim.MaxIRIBytes {
			return &LimitError{Limit: "IRI length", Max: int64(lim.MaxIRIBytes),
				Msg: fmt.Sprintf("blank node label of %d bytes (_:%s...)", len(t), preview(string(t)))}
		}
		return nil
	case quad.String:
		lex = string(t)
	case quad.LangString:
		lex = string(t.Value)
	case quad.TypedString:
		lex, dt = string(t.Value), t.Type
	default:
		lex = v.String()
	}
	if lim.MaxLiteralBytes > 0 && len(lex) > lim.MaxLiteralBytes {
		return &LimitError{Limit: "literal length", Max: int64(lim.MaxLiteralBytes),
			Msg: fmt.Sprintf("literal of %d bytes (%q...)", len(lex), preview(lex))}
	}
	if dt != "" {
		return checkIRITerm(string(dt), lim)
	}
	return nil
}

func checkIRITerm(s string, lim Limits) error {
	if lim.MaxIRIBytes > 0 && len(s) > lim.MaxIRIBytes {
		return &LimitError{Limit: "IRI length", Max: int64(lim.MaxIRIBytes),
			Msg: fmt.Sprintf("IRI of %d bytes (<%s...>)", len(s), preview(s))}
	}
	if err := CheckIRI(s); err != nil {
		return &SyntaxError{Msg: err.Error()}
	}
	return nil
}

// preview is the first few characters of s, cut on a rune boundary.
func preview(s string) string {
	const n = 40
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}

// CheckUTF8 returns a *SyntaxError locating the first byte of data that is
// not part of valid UTF-8, or nil.
func CheckUTF8(data []byte) error {
	if utf8.Valid(data) {
		return nil
	}
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return &SyntaxError{Line: line, Col: col, Msg: fmt.Sprintf("byte 0x%02X at offset %d is not valid UTF-8", data[i], i)}
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return nil
}

// CheckIRI reports whether s is an absolute IRI under RFC 3987: a scheme,
// then only the characters the IRI grammar allows (unreserved, reserved,
// percent-encoded octets, and non-ASCII outside the excluded ranges), at
// most one '#', brackets only in the host, and a numeric port.
func CheckIRI(s string) error {
	n := iriSchemeLen(s)
	if n == 0 {
		return fmt.Errorf("IRI <%s> is not absolute (no scheme)", preview(s))
	}
	rest := s[n+1:]
	frag := -1
	query := -1
	for i := 0; i < len(rest); {
		r, size := utf8.DecodeRuneInString(rest[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return fmt.Errorf("IRI <%s> holds invalid UTF-8", preview(s))
		case r == '%':
			if i+2 >= len(rest) || !isHex(rest[i+1]) || !isHex(rest[i+2]) {
				return fmt.Errorf("IRI <%s>: '%%' not followed by two hex digits", preview(s))
			}
		case r == '#':
			if frag >= 0 {
				return fmt.Errorf("IRI <%s> holds a second '#'", preview(s))
			}
			frag = i
		case r == '?':
			if query < 0 && frag < 0 {
				query = i
			}
		case r < 0x80:
			if !iriASCII(byte(r)) {
				return fmt.Errorf("IRI <%s>: character %q is not allowed in an IRI", preview(s), r)
			}
		default:
			if !ucschar(r) && !(query >= 0 && frag < 0 && iprivate(r)) {
				return fmt.Errorf("IRI <%s>: character U+%04X is not allowed in an IRI", preview(s), r)
			}
		}
		i += size
	}
	// Authority: brackets only around an IP literal host, port digits only.
	if len(rest) >= 2 && rest[:2] == "//" {
		auth := rest[2:]
		for i, c := range []byte(auth) {
			if c == '/' || c == '?' || c == '#' {
				auth = auth[:i]
				break
			}
		}
		if at := lastByte(auth, '@'); at >= 0 {
			auth = auth[at+1:]
		}
		host, port := auth, ""
		if len(auth) > 0 && auth[0] == '[' {
			end := lastByte(auth, ']')
			if end < 0 {
				return fmt.Errorf("IRI <%s>: unclosed '[' in the host", preview(s))
			}
			host, port = auth[:end+1], auth[end+1:]
			if port != "" && port[0] != ':' {
				return fmt.Errorf("IRI <%s>: text after the IP literal host", preview(s))
			}
		} else if c := lastByte(auth, ':'); c >= 0 {
			host, port = auth[:c], auth[c:]
		}
		for _, c := range []byte(port[min(1, len(port)):]) {
			if c < '0' || c > '9' {
				return fmt.Errorf("IRI <%s>: port %q is not a number", preview(s), port[1:])
			}
		}
		inner := host
		if len(host) > 0 && host[0] == '[' {
			inner = host[1 : len(host)-1]
		}
		for _, c := range []byte(inner) {
			if c == '[' || c == ']' {
				return fmt.Errorf("IRI <%s>: '[' or ']' outside an IP literal host", preview(s))
			}
		}
		rest = rest[2+len(auth):]
	}
	for _, c := range []byte(rest) {
		if c == '[' || c == ']' {
			return fmt.Errorf("IRI <%s>: '[' or ']' outside the host", preview(s))
		}
	}
	return nil
}

func lastByte(s string, b byte) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == b {
			return i
		}
	}
	return -1
}

// iriASCII reports whether an ASCII character may appear in an IRI:
// unreserved, gen-delims and sub-delims ('%' and '#' are handled apart).
func iriASCII(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	switch c {
	case '-', '.', '_', '~', ':', '/', '?', '#', '[', ']', '@', '!', '$', '&', '\'', '(', ')', '*', '+', ',', ';', '=':
		return true
	}
	return false
}

// ucschar is RFC 3987's ucschar production.
func ucschar(r rune) bool {
	switch {
	case r >= 0xA0 && r <= 0xD7FF, r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFEF:
		return true
	case r >= 0x10000 && r <= 0xDFFFF:
		return r&0xFFFF <= 0xFFFD
	case r >= 0xE1000 && r <= 0xEFFFD:
		return true
	}
	return false
}

// iprivate is RFC 3987's iprivate production, allowed in queries only.
func iprivate(r rune) bool {
	return (r >= 0xE000 && r <= 0xF8FF) || (r >= 0xF0000 && r <= 0xFFFFD) || (r >= 0x100000 && r <= 0x10FFFD)
}

// checkJSON walks the JSON tokens of a JSON-LD document before json-gold
// sees it: nesting deeper than lim.MaxJSONDepth, or more term definitions in
// "@context" objects than lim.MaxPrefixes, is a *LimitError at the offending
// value. Malformed JSON is left to the decoder, which locates it. What
// the JSON-LD to RDF algorithm drops (an ill-formed IRI) is dropped on
// uploads as on streams: the upload path refuses only what the
// specification calls an error.
func checkJSON(data []byte, lim Limits) error {
	type frame struct {
		object    bool
		expectKey bool
		context   bool // an @context object, or an array of contexts
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var stack []frame
	terms := 0
	pendingContext := false
	at := func(off int64) (int, int) {
		// The offset is where the previous token ended: skip the
		// separators to the start of this one.
		for off < int64(len(data)) && strings.IndexByte(" \t\r\n,:", data[off]) >= 0 {
			off++
		}
		before := data[:min(int(off), len(data))]
		line := bytes.Count(before, []byte{'\n'}) + 1
		col := utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
		return line, col
	}
	for {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return nil // EOF, or malformed JSON the decoder reports with its position
		}
		top := len(stack) - 1
		if key, isKey := tok.(string); isKey && top >= 0 && stack[top].object && stack[top].expectKey {
			stack[top].expectKey = false
			if stack[top].context {
				terms++
				if lim.MaxPrefixes > 0 && terms > lim.MaxPrefixes {
					line, col := at(off)
					return &LimitError{Limit: "prefixes", Max: int64(lim.MaxPrefixes), Line: line, Col: col,
						Msg: fmt.Sprintf("more than %d term definitions in @context", lim.MaxPrefixes)}
				}
			}
			pendingContext = key == "@context"
			continue
		}
		switch d := tok.(type) {
		case json.Delim:
			switch d {
			case '{', '[':
				ctx := pendingContext || (top >= 0 && !stack[top].object && stack[top].context)
				stack = append(stack, frame{object: d == '{', expectKey: d == '{', context: ctx})
				if lim.MaxJSONDepth > 0 && len(stack) > lim.MaxJSONDepth {
					line, col := at(off)
					return &LimitError{Limit: "JSON depth", Max: int64(lim.MaxJSONDepth), Line: line, Col: col,
						Msg: fmt.Sprintf("JSON nested more than %d levels deep", lim.MaxJSONDepth)}
				}
			default:
				if len(stack) == 0 {
					return nil // unbalanced: the decoder reports it
				}
				stack = stack[:len(stack)-1]
				if n := len(stack) - 1; n >= 0 && stack[n].object {
					stack[n].expectKey = true
				}
			}
		default:
			if top >= 0 && stack[top].object {
				stack[top].expectKey = true
			}
		}
		pendingContext = false
	}
}
