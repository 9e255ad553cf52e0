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

// bareLiteral reports whether lex, of datatype dt, is written without
// quotes: only booleans and xsd:integer and xsd:decimal values in their
// canonical form (no sign '+', no leading zeros, no trailing zeros after
// the point but one), which the Turtle grammar gives back exactly and which
// readers that normalise numbers (rdflib) leave unchanged. Doubles are
// always quoted: rdflib rewrites a bare 1.5E3 as 1500.0.
func bareLiteral(lex string, dt quad.IRI) bool {
	switch dt {
	case ttlXSDBoolean:
		return lex == "true" || lex == "false"
	case ttlXSDInteger, ttlXSDDecimal:
	default:
		return false
	}
	s := strings.TrimPrefix(lex, "-")
	intPart, frac, dot := s, "", false
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac, dot = s[:i], s[i+1:], true
	}
	if !allDigits(intPart) || intPart[0] == '0' && len(intPart) > 1 {
		return false
	}
	if dt == ttlXSDInteger {
		return !dot && !(lex[0] == '-' && intPart == "0")
	}
	return dot && allDigits(frac) && (frac == "0" || frac[len(frac)-1] != '0') &&
		!(lex[0] == '-' && intPart == "0" && frac == "0")
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
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

// appendPNLocal appends s as a PN_LOCAL. ok is false when s needs a
// backslash escape (PN_LOCAL_ESC) or has a character no PN_LOCAL carries:
// the IRI is then written in full, because widely used readers (rdflib 6
// among them) reject the escapes Turtle 1.1 allows.
func appendPNLocal(b []byte, s string) ([]byte, bool) {
	for i, r := range s {
		last := i+utf8.RuneLen(r) == len(s)
		switch {
		case r == utf8.RuneError:
			return b, false
		case r == ':' || ttlPNCharsU(r) || r >= '0' && r <= '9':
		case r == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
		case i > 0 && ttlPNChars(r):
		case i > 0 && !last && r == '.':
		default:
			return b, false
		}
	}
	return append(b, s...), true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'f'
}
