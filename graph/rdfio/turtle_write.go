package rdfio

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
)

// turtleWriter encodes Turtle or TriG. It holds only the current graph,
// subject and predicate, so output is grouped as far as the input order
// allows.
type turtleWriter struct {
	w        *bufio.Writer
	trig     bool
	prefixes []Prefix // longest namespace first
	buf      []byte

	started  bool       // a header has been written
	inGraph  bool       // a "<g> {" block is open
	graph    quad.Value // label of the open block
	hasSubj  bool       // a subject statement is open
	subj     quad.Value
	pred     quad.Value
	err      error
	closed   bool
	wroteAny bool
}

func newTurtleWriter(w io.Writer, trig bool, opt WriteOptions) (*turtleWriter, error) {
	t := &turtleWriter{w: bufio.NewWriterSize(w, writeBufSize), trig: trig, buf: make([]byte, 0, 512)}
	seen := make(map[string]bool)
	b := t.buf
	for _, p := range opt.Prefixes {
		if !validPNPrefix(p.Name) {
			return nil, fmt.Errorf("rdfio: prefix name %q is not a valid PN_PREFIX", p.Name)
		}
		if seen[p.Name] {
			return nil, fmt.Errorf("rdfio: prefix %q declared twice", p.Name)
		}
		seen[p.Name] = true
		b = append(b, "@prefix "...)
		b = append(b, p.Name...)
		b = append(b, ':', ' ')
		b = appendIRI(b, p.IRI)
		b = append(b, " .\n"...)
		t.prefixes = append(t.prefixes, p)
	}
	if opt.Base != "" {
		b = append(b, "@base "...)
		b = appendIRI(b, opt.Base)
		b = append(b, " .\n"...)
	}
	sort.SliceStable(t.prefixes, func(i, j int) bool { return len(t.prefixes[i].IRI) > len(t.prefixes[j].IRI) })
	if len(b) > 0 {
		b = append(b, '\n')
		t.started = true
	}
	t.buf = b
	return t, nil
}

// WriteQuad adds q to the current group or starts a new one.
func (t *turtleWriter) WriteQuad(q quad.Quad) error {
	if t.closed {
		return errClosed
	}
	if t.err != nil {
		return t.err
	}
	q, err := normQuad(q, t.trig)
	if err != nil {
		return fmt.Errorf("rdfio: write quad: %w", err)
	}
	b := t.buf
	if t.trig && (q.Label != t.graph || !t.wroteAny) {
		b = t.endGraph(b)
		if q.Label != nil {
			if t.started {
				b = append(b, '\n')
			}
			b = t.appendNode(b, q.Label)
			b = append(b, " {\n"...)
			t.inGraph, t.graph = true, q.Label
		}
	}
	t.wroteAny = true
	switch {
	case t.hasSubj && q.Subject == t.subj && q.Predicate == t.pred:
		b = append(b, " ,\n"...)
		b = t.indent(b, 2)
	case t.hasSubj && q.Subject == t.subj:
		b = append(b, " ;\n"...)
		b = t.indent(b, 1)
		b = t.appendPred(b, q.Predicate)
		b = append(b, ' ')
	default:
		b = t.endSubject(b)
		b = t.indent(b, 0)
		b = t.appendNode(b, q.Subject)
		b = append(b, ' ')
		b = t.appendPred(b, q.Predicate)
		b = append(b, ' ')
		t.hasSubj, t.subj = true, q.Subject
	}
	t.pred = q.Predicate
	b = t.appendObject(b, q.Object)
	t.started = true
	t.buf = b[:0]
	if _, err := t.w.Write(b); err != nil {
		t.err = fmt.Errorf("rdfio: write: %w", err)
		return t.err
	}
	return nil
}

// WriteQuads writes qs in order and returns how many were written.
func (t *turtleWriter) WriteQuads(qs []quad.Quad) (int, error) { return writeQuads(t.WriteQuad, qs) }

// Close ends the open statement and graph block and flushes the output.
func (t *turtleWriter) Close() error {
	if t.closed {
		return nil
	}
	t.closed = true
	if t.err != nil {
		return t.err
	}
	b := t.endGraph(t.buf)
	if _, err := t.w.Write(b); err != nil {
		return fmt.Errorf("rdfio: write: %w", err)
	}
	if err := t.w.Flush(); err != nil {
		return fmt.Errorf("rdfio: write: %w", err)
	}
	return nil
}

func (t *turtleWriter) indent(b []byte, level int) []byte {
	if t.inGraph {
		b = append(b, "    "...)
	}
	for ; level > 0; level-- {
		b = append(b, "    "...)
	}
	return b
}

func (t *turtleWriter) endSubject(b []byte) []byte {
	if t.hasSubj {
		b = append(b, " .\n"...)
		t.hasSubj, t.subj, t.pred = false, nil, nil
	}
	return b
}

func (t *turtleWriter) endGraph(b []byte) []byte {
	b = t.endSubject(b)
	if t.inGraph {
		b = append(b, "}\n"...)
		t.inGraph, t.graph = false, nil
	}
	return b
}

func (t *turtleWriter) appendPred(b []byte, p quad.Value) []byte {
	if p == ttlRDFType {
		return append(b, 'a')
	}
	return t.appendNode(b, p)
}

// appendNode writes an IRI as a prefixed name where one fits, or any other
// term in N-Triples form.
func (t *turtleWriter) appendNode(b []byte, v quad.Value) []byte {
	if iri, ok := v.(quad.IRI); ok {
		s := string(iri)
		for _, p := range t.prefixes {
			if len(s) >= len(p.IRI) && s[:len(p.IRI)] == p.IRI {
				if nb, ok := appendPNLocal(append(append(b, p.Name...), ':'), s[len(p.IRI):]); ok {
					return nb
				}
			}
		}
	}
	return appendTerm(b, v)
}

func (t *turtleWriter) appendObject(b []byte, v quad.Value) []byte {
	if ts, ok := v.(quad.TypedString); ok && bareLiteral(string(ts.Value), ts.Type) {
		return append(b, ts.Value...)
	}
	return t.appendNode(b, v)
}

// bareLiteral reports whether lex, of datatype dt, may be written without
// quotes: the Turtle grammar's INTEGER, DECIMAL, DOUBLE or boolean
// production must give back exactly this lexical form and datatype.
func bareLiteral(lex string, dt quad.IRI) bool {
	switch dt {
	case ttlXSDBoolean:
		return lex == "true" || lex == "false"
	case ttlXSDInteger, ttlXSDDecimal, ttlXSDDouble:
	default:
		return false
	}
	s := lex
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	digits := func() int {
		n := 0
		for n < len(s) && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		s = s[n:]
		return n
	}
	intPart := digits()
	dot, frac := false, 0
	if s != "" && s[0] == '.' {
		dot = true
		s = s[1:]
		frac = digits()
	}
	exp := false
	if s != "" && (s[0] == 'e' || s[0] == 'E') {
		s = s[1:]
		if s != "" && (s[0] == '+' || s[0] == '-') {
			s = s[1:]
		}
		if digits() == 0 {
			return false
		}
		exp = true
	}
	if s != "" {
		return false
	}
	switch dt {
	case ttlXSDInteger:
		return intPart > 0 && !dot && !exp
	case ttlXSDDecimal:
		return dot && frac > 0 && !exp
	default: // double
		return exp && (intPart > 0 || frac > 0)
	}
}

// validPNPrefix reports whether s is a valid PN_PREFIX (or empty).
func validPNPrefix(s string) bool {
	if s == "" {
		return true
	}
	last := rune(0)
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			return false
		case i == 0:
			if !ttlPNCharsBase(r) {
				return false
			}
		case r != '.' && !ttlPNChars(r):
			return false
		}
		last = r
	}
	return last != '.'
}

// pnLocalEsc holds the characters PN_LOCAL_ESC may escape.
const pnLocalEsc = "_~.-!$&'()*+,;=/?#@%"

// appendPNLocal appends s as a PN_LOCAL, escaping with a backslash what the
// grammar allows to be escaped. ok is false (and b unchanged in meaning)
// when s has a character no PN_LOCAL can carry.
func appendPNLocal(b []byte, s string) ([]byte, bool) {
	for i, r := range s {
		last := i+utf8.RuneLen(r) == len(s)
		switch {
		case r == utf8.RuneError:
			return b, false
		case r == ':' || ttlPNCharsU(r) || r >= '0' && r <= '9':
			b = utf8.AppendRune(b, r)
		case r == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b = append(b, '%')
		case i > 0 && !last && (r == '.' || ttlPNChars(r)):
			b = utf8.AppendRune(b, r)
		case i > 0 && ttlPNChars(r):
			b = utf8.AppendRune(b, r)
		case r < utf8.RuneSelf && strings.IndexByte(pnLocalEsc, byte(r)) >= 0:
			b = append(b, '\\', byte(r))
		default:
			return b, false
		}
	}
	return b, true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'f'
}
