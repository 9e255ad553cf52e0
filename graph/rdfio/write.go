package rdfio

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/cayleygraph/quad"
)

// writeBufSize is the size of the buffer between an encoder and its
// io.Writer.
const writeBufSize = 64 << 10

// errClosed is returned by a Writer used after Close.
var errClosed = errors.New("rdfio: writer is closed")

// NewWriter returns a streaming encoder of format f writing to w.
//
// N-Quads writes one line per quad; N-Triples drops graph labels. Turtle
// (graph labels dropped) and TriG group consecutive quads: quads with the
// same subject share one "s p o ; p o , o ." block, and in TriG consecutive
// quads of one named graph share one "<g> { ... }" block. Writers keep only
// the current group, so memory does not grow with the input; to get compact
// output feed quads sorted by graph, then subject, then predicate. JSON-LD
// is described at JSONLDOptions.
//
// Output is buffered: nothing may reach w before Close, which flushes and
// finishes the document but does not close w. WriteQuad returns an error
// for a quad whose subject, predicate or object is missing or is no RDF
// term, and any error of w. NewWriter returns an error when f is not
// writable or opt is invalid (a prefix name the grammar cannot carry, a
// JSON-LD context that is not JSON).
func NewWriter(w io.Writer, f Format, opt WriteOptions) (Writer, error) {
	switch f.Name {
	case NQuads:
		return newLineWriter(w, true), nil
	case NTriples:
		return newLineWriter(w, false), nil
	case Turtle:
		return newTurtleWriter(w, false, opt)
	case TriG:
		return newTurtleWriter(w, true, opt)
	case JSONLD:
		return newJSONLDWriter(w, opt)
	case RDFXML:
		return newRDFXMLWriter(w, opt)
	}
	return nil, fmt.Errorf("rdfio: no writer for format %q", f.Name)
}

// normQuad normalises the terms of q (see normTerm); the label is dropped
// unless graphs is set.
func normQuad(q quad.Quad, graphs bool) (quad.Quad, error) {
	var err error
	if q.Subject, err = normTerm(q.Subject); err != nil {
		return q, fmt.Errorf("subject: %w", err)
	}
	if q.Predicate, err = normTerm(q.Predicate); err != nil {
		return q, fmt.Errorf("predicate: %w", err)
	}
	if q.Object, err = normTerm(q.Object); err != nil {
		return q, fmt.Errorf("object: %w", err)
	}
	if !graphs || q.Label == nil {
		q.Label = nil
	} else if q.Label, err = normTerm(q.Label); err != nil {
		return q, fmt.Errorf("graph label: %w", err)
	}
	if !isResource(q.Subject) {
		return q, fmt.Errorf("subject %v is a literal", q.Subject)
	}
	if _, ok := q.Predicate.(quad.IRI); !ok {
		return q, fmt.Errorf("predicate %v is not an IRI", q.Predicate)
	}
	if q.Label != nil && !isResource(q.Label) {
		return q, fmt.Errorf("graph label %v is a literal", q.Label)
	}
	return q, nil
}

// isResource reports whether v is an IRI or a blank node.
func isResource(v quad.Value) bool {
	switch v.(type) {
	case quad.IRI, quad.BNode:
		return true
	}
	return false
}

// writeQuads implements quad.BatchWriter over a WriteQuad method.
func writeQuads(write func(quad.Quad) error, qs []quad.Quad) (int, error) {
	for i, q := range qs {
		if err := write(q); err != nil {
			return i, err
		}
	}
	return len(qs), nil
}

// lineWriter encodes N-Quads or N-Triples.
type lineWriter struct {
	w      *bufio.Writer
	graphs bool
	buf    []byte
	err    error
	closed bool
}

func newLineWriter(w io.Writer, graphs bool) *lineWriter {
	return &lineWriter{w: bufio.NewWriterSize(w, writeBufSize), graphs: graphs, buf: make([]byte, 0, 512)}
}

// WriteQuad writes one line.
func (l *lineWriter) WriteQuad(q quad.Quad) error {
	if l.closed {
		return errClosed
	}
	if l.err != nil {
		return l.err
	}
	q, err := normQuad(q, l.graphs)
	if err != nil {
		return fmt.Errorf("rdfio: write quad: %w", err)
	}
	b := appendTerm(l.buf[:0], q.Subject)
	b = append(b, ' ')
	b = appendTerm(b, q.Predicate)
	b = append(b, ' ')
	b = appendTerm(b, q.Object)
	if q.Label != nil {
		b = append(b, ' ')
		b = appendTerm(b, q.Label)
	}
	b = append(b, ' ', '.', '\n')
	l.buf = b
	if _, err := l.w.Write(b); err != nil {
		l.err = fmt.Errorf("rdfio: write: %w", err)
		return l.err
	}
	return nil
}

// WriteQuads writes qs in order and returns how many were written.
func (l *lineWriter) WriteQuads(qs []quad.Quad) (int, error) { return writeQuads(l.WriteQuad, qs) }

// Close flushes the output.
func (l *lineWriter) Close() error {
	if l.closed {
		return nil
	}
	l.closed = true
	if l.err != nil {
		return l.err
	}
	if err := l.w.Flush(); err != nil {
		return fmt.Errorf("rdfio: write: %w", err)
	}
	return nil
}
