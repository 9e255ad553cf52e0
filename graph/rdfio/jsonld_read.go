package rdfio

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/cayleygraph/quad"
)

// DefaultMaxJSONLDBytes is the size limit of a JSON-LD document when
// ReadOptions.MaxBytes is 0. JSON-LD is parsed whole, so the limit bounds
// memory.
const DefaultMaxJSONLDBytes = 32 << 20

// ErrTooLarge is returned when a document exceeds ReadOptions.MaxBytes.
var ErrTooLarge = errors.New("rdfio: document too large")

// sliceReader streams quads already decoded.
type sliceReader struct {
	qs []quad.Quad
	i  int
}

// ReadQuad returns the next quad or io.EOF.
func (r *sliceReader) ReadQuad() (quad.Quad, error) {
	if r.i >= len(r.qs) {
		return quad.Quad{}, io.EOF
	}
	q := r.qs[r.i]
	r.qs[r.i] = quad.Quad{}
	r.i++
	return q, nil
}

// newJSONLDReader decodes a JSON-LD document with rdfio's own JSON-LD 1.1
// processor (see jsonld_context.go for why not json-gold). The whole
// document is read (up to opt.MaxBytes) and converted before the first
// quad is returned; errors come back from NewReader as *SyntaxError (with
// Line and Col for malformed JSON, without for JSON-LD errors) or
// ErrTooLarge. Remote contexts are served only from opt.Contexts.
// Relative IRIs are resolved against opt.Base by ResolveIRI; what the
// JSON-LD to RDF algorithm drops (relative IRIs left without a base,
// ill-formed IRIs and language tags, unmapped keys) is dropped, and only
// what the specification calls an error is refused.
func newJSONLDReader(r io.Reader, opt ReadOptions) (Reader, error) {
	limit := opt.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxJSONLDBytes
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("rdfio: read JSON-LD: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: JSON-LD input exceeds %d bytes", ErrTooLarge, limit)
	}
	doc, err := decodeJSONNumbers(data)
	if err != nil {
		return nil, jsonSyntaxError(data, err)
	}
	prefix := opt.BlankNodePrefix
	if prefix == "" {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, fmt.Errorf("blank node prefix: %w", err)
		}
		prefix = "b" + hex.EncodeToString(b[:])
	}
	qs, err := jsonldToQuads(doc, opt, prefix, ldReadConfig{})
	if err != nil {
		return nil, err
	}
	return &sliceReader{qs: qs}, nil
}

// ldReadConfig holds the JSON-LD API options the reader does not offer
// (its zero value is what the reader uses); the W3C suites set them.
type ldReadConfig struct {
	mode          string // processing mode; "" is JSON-LD 1.1
	expandContext any
	rdfDirection  string
}

// jsonldToQuads runs expansion and the JSON-LD to RDF algorithm over a
// parsed document.
func jsonldToQuads(doc any, opt ReadOptions, bnPrefix string, cfg ldReadConfig) ([]quad.Quad, error) {
	mode := cfg.mode
	if mode == "" {
		mode = ldMode11
	}
	p := &ldProc{mode: mode, loader: newOfflineLoader(opt.Contexts), issuer: newIssuer("_:b")}
	expanded, err := p.expandDoc(doc, opt.Base, cfg.expandContext, false)
	if err != nil {
		return nil, &SyntaxError{Msg: "JSON-LD: " + err.Error()}
	}
	qs, err := p.toRDF(expanded, rdfOptions{rdfDirection: cfg.rdfDirection})
	if err != nil {
		return nil, &SyntaxError{Msg: "JSON-LD: " + err.Error()}
	}
	for i := range qs {
		q := &qs[i]
		q.Subject = prefixBNode(q.Subject, bnPrefix)
		q.Object = prefixBNode(q.Object, bnPrefix)
		if q.Label == nil {
			q.Label = opt.Graph
		} else {
			q.Label = prefixBNode(q.Label, bnPrefix)
		}
	}
	return qs, nil
}

func prefixBNode(v quad.Value, prefix string) quad.Value {
	if b, ok := v.(quad.BNode); ok {
		return quad.BNode(prefix + "-" + string(b))
	}
	return v
}

// jsonSyntaxError locates a JSON decoding error.
func jsonSyntaxError(data []byte, err error) *SyntaxError {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		off = int64(len(data))
	}
	e := &SyntaxError{Msg: "JSON-LD: malformed JSON: " + err.Error()}
	if off >= 0 && off <= int64(len(data)) {
		before := data[:off]
		e.Line = bytes.Count(before, []byte{'\n'}) + 1
		e.Col = len([]rune(string(before[bytes.LastIndexByte(before, '\n')+1:])))
		if e.Col == 0 {
			e.Col = 1
		}
	}
	return e
}
