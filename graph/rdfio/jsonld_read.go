package rdfio

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/cayleygraph/quad"
	"github.com/piprate/json-gold/ld"
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

// newJSONLDReader decodes a JSON-LD document with json-gold (JSON-LD 1.1
// processing mode). The whole document is read (up to opt.MaxBytes) and
// converted before the first quad is returned; errors come back from
// NewReader as *SyntaxError (with Line and Col for malformed JSON, without
// for JSON-LD errors) or ErrTooLarge. Remote contexts are served only from
// opt.Contexts. Relative IRIs are resolved against opt.Base; those that stay
// relative are dropped, as the JSON-LD to RDF algorithm demands.
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
	doc, err := decodeJSON(data)
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
	qs, err := jsonldToQuads(doc, opt, prefix)
	if err != nil {
		return nil, err
	}
	return &sliceReader{qs: qs}, nil
}

// jsonldToQuads runs the JSON-LD to RDF algorithm over a parsed document.
func jsonldToQuads(doc any, opt ReadOptions, bnPrefix string) (qs []quad.Quad, err error) {
	// json-gold panics on a few malformed inputs (type assertions on
	// unexpected shapes); an input error must not take the process down.
	defer func() {
		if p := recover(); p != nil {
			qs, err = nil, &SyntaxError{Msg: fmt.Sprintf("JSON-LD: invalid document (processor failed: %v)", p)}
		}
	}()
	o := ld.NewJsonLdOptions(opt.Base)
	o.ProcessingMode = ld.JsonLd_1_1
	o.SafeMode = opt.strict
	o.DocumentLoader = newOfflineLoader(opt.Contexts)
	res, err := ld.NewJsonLdProcessor().ToRDF(doc, o)
	if err != nil {
		return nil, &SyntaxError{Msg: "JSON-LD: " + ldErrorText(err)}
	}
	ds, ok := res.(*ld.RDFDataset)
	if !ok {
		return nil, fmt.Errorf("rdfio: json-gold returned %T, want a dataset", res)
	}
	names := make([]string, 0, len(ds.Graphs))
	for name := range ds.Graphs {
		names = append(names, name)
	}
	sort.Strings(names) // "@default" sorts first
	for _, name := range names {
		for _, t := range ds.Graphs[name] {
			q := quad.Quad{
				Subject:   quadValue(t.Subject, bnPrefix),
				Predicate: quadValue(t.Predicate, bnPrefix),
				Object:    quadValue(t.Object, bnPrefix),
				Label:     opt.Graph,
			}
			if t.Graph != nil {
				q.Label = quadValue(t.Graph, bnPrefix)
			}
			if q.Subject == nil || q.Predicate == nil || q.Object == nil {
				continue
			}
			qs = append(qs, q)
		}
	}
	return qs, nil
}

// ldErrorText gives a json-gold error as "code: details".
func ldErrorText(err error) string {
	var le *ld.JsonLdError
	if errors.As(err, &le) {
		if le.Details != nil {
			return fmt.Sprintf("%s: %v", le.Code, le.Details)
		}
		return string(le.Code)
	}
	return err.Error()
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
