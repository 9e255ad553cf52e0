package rdfio

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/cayleygraph/quad"
)

// JSON-LD profiles the encoder can produce (the "profile" parameter of
// application/ld+json).
const (
	// ProfileCompacted is the default: node objects compacted against
	// JSONLDOptions.Context.
	ProfileCompacted = "http://www.w3.org/ns/json-ld#compacted"
	// ProfileExpanded writes a top-level array of expanded node objects,
	// without any context.
	ProfileExpanded = "http://www.w3.org/ns/json-ld#expanded"
	// ProfileVisual writes, for a graph viewer, only each node's @id, its
	// @type, its labels (LabelPredicates) and its links to other nodes
	// (objects that are IRIs or blank nodes) as {"@id": ...} objects,
	// compacted against the context like ProfileCompacted but without its
	// IRI coercions; every other literal is left out. The output
	// is still JSON-LD, and reads back as that subset of the quads.
	ProfileVisual = "https://w3id.org/innograph/ns/json-ld#visual"
)

// defaultLabelPredicates are the label properties ProfileVisual keeps when
// JSONLDOptions.LabelPredicates is empty.
var defaultLabelPredicates = [...]string{
	"http://www.w3.org/2000/01/rdf-schema#label",
	"http://www.w3.org/2004/02/skos/core#prefLabel",
}

// JSONLDOptions configure the JSON-LD encoder.
//
// The document written is {"@context": ..., "@graph": [ ... ]} (compacted
// and visual profiles) or [ ... ] (expanded profile), made by the
// Serialize RDF as JSON-LD algorithm over the whole dataset (no native
// types, so every lexical form is kept; lists recognised across graphs, so
// a list node referenced from another graph keeps its identity), then
// compacted one top-level node at a time: one element per subject of the
// default graph and one {"@id": g, "@graph": [...]} per named graph, in
// order of @id. Memory holds the quads written (JSON-LD needs the whole
// dataset before its first node) and the JSON of one node.
//
// Nothing is written before Close, and once Close starts writing nothing
// can fail but the io.Writer: an rdf:JSON literal that is not JSON in RFC
// 8785 form stays a typed literal, a malformed list stays plain rdf:first
// and rdf:rest triples, and a node holding an IRI that would read back as
// a compact IRI (its scheme is a term of the context, <schema:Person>) is
// written in expanded form under "@context": null.
type JSONLDOptions struct {
	// Context is the JSON-LD context document (a JSON object with an
	// "@context" member). Empty means no context: full IRIs.
	Context []byte
	// ContextURL is where Context is published. When set, output refers to
	// the context by this URL; otherwise the context is written inline.
	ContextURL string
	// Profile is ProfileCompacted (also when empty), ProfileExpanded or
	// ProfileVisual.
	Profile string
	// LabelPredicates are the predicates ProfileVisual keeps as labels;
	// empty means rdfs:label and skos:prefLabel.
	LabelPredicates []string
}

// jsonldWriter is the JSON-LD encoder.
type jsonldWriter struct {
	w       *bufio.Writer
	opt     JSONLDOptions
	head    any        // the value of "@context" in the output; nil for none
	ctx     *ldContext // nil for the expanded profile
	proc    *ldProc
	labels  map[quad.IRI]bool
	visual  bool
	qs      []quad.Quad
	n       int  // top-level elements written
	nInner  int  // nodes written in the current named graph
	inNull  bool // the current named graph is written under a null context
	enc     *json.Encoder
	scratch bytes.Buffer
	err     error
	closed  bool
}

func newJSONLDWriter(w io.Writer, opt WriteOptions) (*jsonldWriter, error) {
	o := opt.JSONLD
	j := &jsonldWriter{w: bufio.NewWriterSize(w, writeBufSize), opt: o}
	docs := map[string][]byte{}
	if o.ContextURL != "" && len(o.Context) > 0 {
		docs[o.ContextURL] = o.Context
	}
	j.proc = &ldProc{mode: ldMode11, loader: newOfflineLoader(docs), issuer: newIssuer("_:b")}
	j.enc = json.NewEncoder(&j.scratch)
	j.enc.SetEscapeHTML(false)
	switch o.Profile {
	case "", ProfileCompacted, ProfileVisual:
		j.visual = o.Profile == ProfileVisual
		var local any = map[string]any{}
		if len(o.Context) > 0 {
			doc, err := decodeJSONNumbers(o.Context)
			if err != nil {
				return nil, fmt.Errorf("rdfio: JSON-LD context: %w", err)
			}
			m, ok := doc.(map[string]any)
			if !ok || m["@context"] == nil {
				return nil, fmt.Errorf("rdfio: JSON-LD context document has no @context member")
			}
			local = m["@context"]
			j.head = local
			if o.ContextURL != "" {
				j.head = o.ContextURL
			}
		}
		if j.visual {
			// A viewer without a JSON-LD processor must tell links from
			// strings: compact without the context's IRI coercions, so
			// every link is an {"@id": ...} object. The output still
			// names the published context, under which it means the same.
			local = withoutIRICoercion(local)
		}
		ctx, err := j.proc.processContext(newContext("", ldMode11), local, "", nil, false, true, true)
		if err != nil {
			return nil, fmt.Errorf("rdfio: JSON-LD context: %v", err)
		}
		j.ctx = ctx
	case ProfileExpanded:
	default:
		return nil, fmt.Errorf("rdfio: unknown JSON-LD profile %q", o.Profile)
	}
	if j.visual {
		preds := o.LabelPredicates
		if len(preds) == 0 {
			preds = defaultLabelPredicates[:]
		}
		j.labels = make(map[quad.IRI]bool, len(preds))
		for _, p := range preds {
			j.labels[quad.IRI(p)] = true
		}
	}
	return j, nil
}

// WriteQuad adds q to the dataset written at Close.
func (j *jsonldWriter) WriteQuad(q quad.Quad) error {
	if j.closed {
		return errClosed
	}
	q, err := normQuad(q, true)
	if err != nil {
		return fmt.Errorf("rdfio: write quad: %w", err)
	}
	if j.visual && !j.keep(q) {
		return nil
	}
	j.qs = append(j.qs, q)
	return nil
}

// withoutIRICoercion returns a copy of a local context whose term
// definitions no longer coerce values to IRIs ("@type": "@id" or "@vocab").
func withoutIRICoercion(local any) any {
	switch c := local.(type) {
	case []any:
		out := make([]any, len(c))
		for i, e := range c {
			out[i] = withoutIRICoercion(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(c))
		for k, v := range c {
			if def, ok := v.(map[string]any); ok && (def["@type"] == "@id" || def["@type"] == "@vocab") {
				d := make(map[string]any, len(def))
				for dk, dv := range def {
					if dk != "@type" {
						d[dk] = dv
					}
				}
				v = d
			}
			out[k] = v
		}
		return out
	}
	return local
}

// keep reports whether the visual profile shows q.
func (j *jsonldWriter) keep(q quad.Quad) bool {
	return q.Predicate == ttlRDFType || j.labels[q.Predicate.(quad.IRI)] || isResource(q.Object)
}

// WriteQuads writes qs in order and returns how many were written.
func (j *jsonldWriter) WriteQuads(qs []quad.Quad) (int, error) { return writeQuads(j.WriteQuad, qs) }

// compactOpts are the writer's compaction options: no base, so no
// relative IRIs; confusable IRIs reported, not failed on.
var jsonldWriteCompact = compactOptions{compactArrays: true, safe: true}

// element compacts one node for output, or, when one of its IRIs would
// read back as a compact IRI, gives its expanded form under a null
// context. prop is "" at the top level, "@graph" inside a named graph.
func (j *jsonldWriter) element(node map[string]any, prop string, underNull bool) (map[string]any, bool, error) {
	if j.ctx == nil || underNull {
		return node, false, nil
	}
	c, err := j.proc.compact(j.ctx, prop, node, jsonldWriteCompact)
	if err != nil {
		if le, ok := err.(*ldError); ok && le.Code == errConfusedIRI {
			out := make(map[string]any, len(node)+1)
			for k, v := range node {
				out[k] = v
			}
			out["@context"] = nil
			return out, true, nil
		}
		return nil, false, fmt.Errorf("rdfio: JSON-LD compaction: %w", err)
	}
	m, ok := c.(map[string]any)
	if !ok {
		return nil, false, fmt.Errorf("rdfio: JSON-LD compaction of a node gave %T", c)
	}
	return m, false, nil
}

// encode renders v as JSON.
func (j *jsonldWriter) encode(v any) ([]byte, error) {
	j.scratch.Reset()
	if err := j.enc.Encode(v); err != nil {
		return nil, fmt.Errorf("rdfio: JSON-LD encode: %w", err)
	}
	return bytes.TrimRight(j.scratch.Bytes(), "\n"), nil
}

func (j *jsonldWriter) sep() {
	if j.n > 0 {
		j.w.WriteString(",\n  ")
	} else {
		j.w.WriteString("\n  ")
	}
	j.n++
}

// top writes a top-level node; with hasGraph, it leaves its @graph array
// open for inner.
func (j *jsonldWriter) top(node map[string]any, hasGraph bool) error {
	el, null, err := j.element(node, "", false)
	if err != nil {
		return err
	}
	b, err := j.encode(el)
	if err != nil {
		return err
	}
	j.sep()
	if !hasGraph {
		_, err = j.w.Write(b)
		return err
	}
	j.inNull, j.nInner = null || j.ctx == nil, 0
	key := "@graph"
	if j.ctx != nil && !null {
		if key, err = j.proc.compactIRI(j.ctx, "@graph", nil, true, false, jsonldWriteCompact); err != nil {
			return err
		}
	}
	k, _ := json.Marshal(key)
	j.w.Write(b[:len(b)-1])
	if len(el) > 0 {
		j.w.WriteString(", ")
	}
	j.w.Write(k)
	_, err = j.w.WriteString(": [")
	return err
}

// inner writes a node of the named graph top opened.
func (j *jsonldWriter) inner(node map[string]any) error {
	el, _, err := j.element(node, "@graph", j.inNull)
	if err != nil {
		return err
	}
	b, err := j.encode(el)
	if err != nil {
		return err
	}
	if j.nInner > 0 {
		j.w.WriteString(",\n    ")
	} else {
		j.w.WriteString("\n    ")
	}
	j.nInner++
	_, err = j.w.Write(b)
	return err
}

// jsonldSink feeds the serialisation to the writer and closes a named
// graph's array after its nodes.
type jsonldSink struct {
	j    *jsonldWriter
	open bool
}

func (s *jsonldSink) top(n map[string]any, hasGraph bool) error {
	s.open = hasGraph
	return s.j.top(n, hasGraph)
}

func (s *jsonldSink) inner(n map[string]any) error { return s.j.inner(n) }

func (s *jsonldSink) end() error {
	if !s.open {
		return nil
	}
	s.open = false
	_, err := s.j.w.WriteString("]}")
	return err
}

// Close converts and writes the dataset, ends the document and flushes
// the output.
func (j *jsonldWriter) Close() error {
	if j.closed {
		return nil
	}
	j.closed = true
	if j.err != nil {
		return j.err
	}
	pl, err := j.proc.planFromRDF(j.qs, rdfOptions{lossless: true})
	if err != nil {
		return fmt.Errorf("rdfio: JSON-LD from RDF: %w", err)
	}
	j.qs = nil
	switch {
	case j.ctx == nil:
		j.w.WriteString("[")
	case j.head == nil:
		j.w.WriteString(`{"@graph": [`)
	default:
		b, err := json.Marshal(j.head)
		if err != nil {
			return fmt.Errorf("rdfio: JSON-LD context: %w", err)
		}
		j.w.WriteString(`{"@context": `)
		j.w.Write(b)
		j.w.WriteString(`, "@graph": [`)
	}
	if err := j.proc.emitFromRDF(pl, &jsonldSink{j: j}); err != nil {
		return err
	}
	end := "\n]}\n"
	if j.ctx == nil {
		end = "\n]\n"
	}
	if j.n == 0 {
		end = end[1:]
	}
	j.w.WriteString(end)
	if err := j.w.Flush(); err != nil {
		return fmt.Errorf("rdfio: write: %w", err)
	}
	return nil
}
