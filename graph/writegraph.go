package graph

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/ontology"
)

// Validator returns the store's validator: the ontology's shapes, built
// once. The embedded shapes are fixed at build time and tested, so a
// failure to build it is a programming error and panics.
func (s *Store) Validator() *Validator {
	v, err := s.validator()
	if err != nil {
		panic(fmt.Sprintf("graph: the embedded ontology shapes do not load: %v", err))
	}
	return v
}

// Upload is one RDF document to be written into one graph (WriteGraph).
type Upload struct {
	// Body is the document's bytes (already decoded from any transfer or
	// content coding).
	Body []byte
	// Format is the document's syntax; ignored when Parse is set.
	Format rdfio.Format
	// Parse, when set, reads Body instead (the profile template text):
	// it returns the document's quads, or an error (a located
	// *rdfio.SyntaxError for text off the template).
	Parse func(io.Reader) ([]quad.Quad, error)
	// Limits bound the document's quads and terms; MaxBytes its size.
	Limits   rdfio.Limits
	MaxBytes int64
}

// WriteGraph writes a document into graph g (nil for the default graph),
// replacing what g holds when replace is set, merging otherwise: it
// checks the graph name (GraphName), parses the document within its
// limits (relative IRIs resolve against g, or the ontology's id base for
// the default graph; blank node labels are made unique to the document's
// content), refuses a quad that names another graph, validates the result
// against the ontology's shapes and applies it in one transaction (see
// ReplaceGraph). It returns the change, or Invalid for a bad graph name or
// a document that does not parse (wrapping a located *rdfio.SyntaxError
// where there is one) or names another graph, TooLarge past a limit,
// Unprocessable (wrapping a *ValidationError) for a write the shapes
// refuse, and the errors of ReplaceGraph.
func (s *Store) WriteGraph(ctx context.Context, g quad.Value, doc Upload, replace bool) (GraphChange, error) {
	if err := checkGraph(g); err != nil {
		return GraphChange{}, err
	}
	qs, err := doc.quads(g)
	if err != nil {
		return GraphChange{}, err
	}
	if replace {
		return s.ReplaceGraph(ctx, g, qs, s.Validator())
	}
	return s.MergeGraph(ctx, g, qs, s.Validator())
}

// quads parses the document for graph g within its limits.
func (d Upload) quads(g quad.Value) ([]quad.Quad, error) {
	if d.Parse != nil {
		return d.parseCustom()
	}
	sum := sha256.Sum256(d.Body)
	base := ontology.IDBase
	if iri, ok := g.(quad.IRI); ok {
		base = string(iri)
	}
	opt := rdfio.ReadOptions{
		Base:            base,
		Graph:           g,
		BlankNodePrefix: "b" + hex.EncodeToString(sum[:8]) + "_",
		MaxBytes:        d.MaxBytes,
	}
	op := "parse " + d.Format.Name + " body"
	qs, err := rdfio.ReadAll(d.Body, d.Format, opt, d.Limits)
	if err != nil {
		var le *rdfio.LimitError
		if errors.As(err, &le) || errors.Is(err, rdfio.ErrTooLarge) {
			return nil, E(op, TooLarge, err)
		}
		return nil, E(op, Invalid, err)
	}
	for _, q := range qs {
		if !sameLabel(q.Label, g) {
			return nil, Errorf(op, Invalid,
				"the body puts quads in graph %v, but this request writes the %s only (send triples, or quads of that graph)", q.Label, graphOfRequest(g))
		}
	}
	return qs, nil
}

// parseCustom parses a profile text with the document's parser and
// applies the term limits to its quads.
func (d Upload) parseCustom() ([]quad.Quad, error) {
	const op = "parse profile body"
	if err := rdfio.CheckUTF8(d.Body); err != nil {
		return nil, E(op, Invalid, err)
	}
	qs, err := d.Parse(bytes.NewReader(d.Body))
	if err != nil {
		return nil, E(op, Invalid, err)
	}
	lim := d.Limits
	if lim.MaxQuads > 0 && len(qs) > lim.MaxQuads {
		return nil, E(op, TooLarge, &rdfio.LimitError{Limit: "quads", Max: int64(lim.MaxQuads), Msg: "the profile gives too many quads"})
	}
	for _, q := range qs {
		if err := rdfio.CheckQuad(q, lim); err != nil {
			var le *rdfio.LimitError
			if errors.As(err, &le) {
				return nil, E(op, TooLarge, err)
			}
			return nil, E(op, Invalid, err)
		}
	}
	return qs, nil
}

// graphOfRequest names a graph as a request addresses it.
func graphOfRequest(g quad.Value) string {
	if g == nil {
		return "default graph"
	}
	return "graph " + fmt.Sprint(g)
}
