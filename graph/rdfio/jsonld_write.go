package rdfio

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/cayleygraph/quad"
	"github.com/piprate/json-gold/ld"
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
// and visual profiles) or [ ... ] (expanded profile). Consecutive quads of
// one graph are converted in batches of up to jsonldBatchSubjects subjects
// (and jsonldBatchQuads quads): json-gold converts the batch from RDF (no
// native types, so every lexical form is kept) and compacts it. In the
// default graph each node of a batch is one element; a batch in a named
// graph g becomes one element {"@id": g, "@graph": [nodes]}, so a graph's
// wrapper is compacted once per batch, not once per subject. A subject
// whose quads are not consecutive may appear as several node objects with
// the same @id, which JSON-LD merges on reading; feed quads sorted by
// graph then subject for one object each. Memory holds one batch.
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

// jsonldWriter is the streaming JSON-LD encoder.
type jsonldWriter struct {
	w      *bufio.Writer
	opt    JSONLDOptions
	ldOpt  *ld.JsonLdOptions
	ctx    *ld.Context // nil for the expanded profile
	local  any         // the parsed "@context" value, for the slots' contexts
	docs   map[string][]byte
	labels map[quad.IRI]bool
	visual bool
	group  []quad.Quad // the current batch: quads of one graph
	runs   int         // subjects started in the batch
	n      int         // elements written
	slots  chan *jsonldSlot
	queue  []*jsonldJob // batches being converted, in output order
	err    error
	closed bool
}

func newJSONLDWriter(w io.Writer, opt WriteOptions) (*jsonldWriter, error) {
	o := opt.JSONLD
	j := &jsonldWriter{w: bufio.NewWriterSize(w, writeBufSize), opt: o}
	docs := map[string][]byte{}
	if o.ContextURL != "" && len(o.Context) > 0 {
		docs[o.ContextURL] = o.Context
	}
	j.docs = docs
	j.ldOpt = j.options()

	var head any // the value of "@context" in the output
	switch o.Profile {
	case "", ProfileCompacted, ProfileVisual:
		j.visual = o.Profile == ProfileVisual
		var local any = map[string]any{}
		if len(o.Context) > 0 {
			doc, err := decodeJSON(o.Context)
			if err != nil {
				return nil, fmt.Errorf("rdfio: JSON-LD context: %w", err)
			}
			m, ok := doc.(map[string]any)
			if !ok || m["@context"] == nil {
				return nil, fmt.Errorf("rdfio: JSON-LD context document has no @context member")
			}
			local = m["@context"]
			head = local
			if o.ContextURL != "" {
				head = o.ContextURL
			}
		}
		if j.visual {
			// A viewer without a JSON-LD processor must tell links from
			// strings: compact without the context's IRI coercions, so
			// every link is an {"@id": ...} object. The output still
			// names the published context, under which it means the same.
			local = withoutIRICoercion(local)
		}
		ctx, err := ld.NewContext(nil, j.ldOpt).Parse(local)
		if err != nil {
			return nil, fmt.Errorf("rdfio: JSON-LD context: %s", ldErrorText(err))
		}
		j.ctx = ctx
		j.local = local
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
	j.slots = make(chan *jsonldSlot, jsonldWorkers)
	for i := 0; i < jsonldWorkers; i++ {
		slot, err := j.newSlot()
		if err != nil {
			return nil, err
		}
		j.slots <- slot
	}
	switch {
	case j.ctx == nil:
		j.w.WriteString("[")
	case head == nil:
		j.w.WriteString(`{"@graph": [`)
	default:
		b, err := json.Marshal(head)
		if err != nil {
			return nil, fmt.Errorf("rdfio: JSON-LD context: %w", err)
		}
		j.w.WriteString(`{"@context": `)
		j.w.Write(b)
		j.w.WriteString(`, "@graph": [`)
	}
	return j, nil
}

// WriteQuad adds q to the current run, first writing the run if q starts
// another.
func (j *jsonldWriter) WriteQuad(q quad.Quad) error {
	if j.closed {
		return errClosed
	}
	if j.err != nil {
		return j.err
	}
	q, err := normQuad(q, true)
	if err != nil {
		return fmt.Errorf("rdfio: write quad: %w", err)
	}
	if j.visual && !j.keep(q) {
		return nil
	}
	if n := len(j.group); n > 0 {
		newSubject := j.group[n-1].Subject != q.Subject
		if j.group[0].Label != q.Label || newSubject && (j.runs >= jsonldBatchSubjects || n >= jsonldBatchQuads) {
			if err := j.flush(); err != nil {
				return err
			}
		} else if newSubject {
			j.runs++
		}
	}
	if len(j.group) == 0 {
		j.runs = 1
	}
	j.group = append(j.group, q)
	return nil
}

// Bounds of a JSON-LD conversion batch: json-gold's cost per call (the
// wrapper of a named graph, keyword compaction) is shared by the batch.
const (
	jsonldBatchSubjects = 64
	jsonldBatchQuads    = 4096
)

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

// jsonldWorkers is how many batches are converted at once: json-gold's
// conversion is most of the encoder's cost, and it runs per batch.
const jsonldWorkers = 2

// options are json-gold's options for this writer. No base: compaction
// would otherwise write IRIs relative to a base the document does not
// declare.
func (j *jsonldWriter) options() *ld.JsonLdOptions {
	o := ld.NewJsonLdOptions("")
	o.ProcessingMode = ld.JsonLd_1_1
	o.DocumentLoader = newOfflineLoader(j.docs)
	o.UseNativeTypes = false
	o.UseRdfType = false
	return o
}

// jsonldSlot is what one conversion uses: its own options and parsed
// context, so concurrent conversions share nothing json-gold might cache.
type jsonldSlot struct {
	opt     *ld.JsonLdOptions
	ctx     *ld.Context // nil for the expanded profile
	enc     *json.Encoder
	scratch bytes.Buffer
}

func (j *jsonldWriter) newSlot() (*jsonldSlot, error) {
	s := &jsonldSlot{opt: j.options()}
	s.enc = json.NewEncoder(&s.scratch)
	s.enc.SetEscapeHTML(false)
	if j.ctx != nil {
		ctx, err := ld.NewContext(nil, s.opt).Parse(j.local)
		if err != nil {
			return nil, fmt.Errorf("rdfio: JSON-LD context: %s", ldErrorText(err))
		}
		s.ctx = ctx
	}
	return s, nil
}

// jsonldJob is one batch in conversion; done is closed when out or err is
// set.
type jsonldJob struct {
	out  [][]byte // the encoded elements
	err  error
	done chan struct{}
}

// flush starts converting the current batch and writes out the batches
// that are done, in order, keeping at most jsonldWorkers in flight.
func (j *jsonldWriter) flush() error {
	group := j.group
	j.group = make([]quad.Quad, 0, cap(group))
	if len(group) > 0 {
		job := &jsonldJob{done: make(chan struct{})}
		slot := <-j.slots // waits for a free conversion
		go func() {
			defer func() { j.slots <- slot; close(job.done) }()
			job.out, job.err = slot.convert(group)
		}()
		j.queue = append(j.queue, job)
	}
	return j.drain(jsonldWorkers)
}

// drain writes finished batches in order until at most keep remain,
// waiting for the oldest when more than keep are queued.
func (j *jsonldWriter) drain(keep int) error {
	for len(j.queue) > 0 {
		job := j.queue[0]
		if len(j.queue) <= keep {
			select {
			case <-job.done:
			default:
				return nil
			}
		} else {
			<-job.done
		}
		j.queue = j.queue[1:]
		if job.err != nil {
			j.err = job.err
			return j.err
		}
		for _, b := range job.out {
			if j.n > 0 {
				j.w.WriteString(",\n  ")
			} else {
				j.w.WriteString("\n  ")
			}
			j.n++
			if _, err := j.w.Write(b); err != nil {
				j.err = fmt.Errorf("rdfio: write: %w", err)
				return j.err
			}
		}
	}
	return nil
}

// convert turns a batch of quads of one graph into encoded JSON-LD
// elements: from RDF, then compacted against the context.
func (s *jsonldSlot) convert(group []quad.Quad) (out [][]byte, err error) {
	// json-gold panics on some unexpected shapes; report, do not crash.
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("rdfio: JSON-LD conversion failed: %v", p)
		}
	}()
	ds := ld.NewRDFDataset()
	name := "@default"
	if g := group[0].Label; g != nil {
		name = ldNode(g).GetValue()
	}
	ts := make([]*ld.Quad, len(group))
	for i, q := range group {
		ts[i] = ld.NewQuad(ldNode(q.Subject), ldNode(q.Predicate), ldNode(q.Object), name)
	}
	ds.Graphs[name] = ts
	api := ld.NewJsonLdApi()
	nodes, err := api.FromRDF(ds, s.opt)
	if err != nil {
		return nil, fmt.Errorf("rdfio: JSON-LD from RDF: %s", ldErrorText(err))
	}
	for _, n := range nodes {
		var v any = n
		if s.ctx != nil {
			if v, err = api.Compact(s.ctx, "", n, true); err != nil {
				return nil, fmt.Errorf("rdfio: JSON-LD compact: %s", ldErrorText(err))
			}
		}
		s.scratch.Reset()
		if err := s.enc.Encode(v); err != nil {
			return nil, fmt.Errorf("rdfio: JSON-LD encode: %w", err)
		}
		out = append(out, bytes.Clone(bytes.TrimRight(s.scratch.Bytes(), "\n")))
	}
	return out, nil
}

// Close writes the last run, ends the document and flushes the output.
func (j *jsonldWriter) Close() error {
	if j.closed {
		return nil
	}
	j.closed = true
	if j.err != nil {
		return j.err
	}
	if err := j.flush(); err != nil {
		return err
	}
	if err := j.drain(0); err != nil {
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
