package rdfio

import (
	"fmt"
	"io"
)

// NewReader returns a streaming decoder of r in format f. Turtle, TriG,
// N-Triples and N-Quads are parsed by this package's own parser (see doc.go
// for why); JSON-LD goes through json-gold. It returns an error when f is
// not readable; syntax errors surface from ReadQuad as *SyntaxError.
//
// In Turtle and TriG, relative IRIs are resolved (RFC 3986) against
// opt.Base as changed by @base/BASE; with no base they are kept as written.
// N-Triples and N-Quads accept absolute IRIs only. Triples outside a named
// graph get opt.Graph as their label. With opt.Workers above 1, N-Triples
// and N-Quads are parsed on that many goroutines.
func NewReader(r io.Reader, f Format, opt ReadOptions) (Reader, error) {
	var syn ttlSyntax
	switch f.Name {
	case Turtle:
		syn = synTurtle
	case TriG:
		syn = synTriG
	case NTriples:
		syn = synNTriples
	case NQuads:
		syn = synNQuads
	case JSONLD:
		return newJSONLDReader(r, opt)
	case RDFXML:
		return newRDFXMLReader(r, opt)
	default:
		return nil, fmt.Errorf("rdfio: no reader for format %q", f.Name)
	}
	if opt.Workers > 1 && syn <= synNQuads {
		return newParallelReader(r, syn, opt, opt.Workers, parallelChunk)
	}
	return newTurtleReader(r, syn, opt)
}
