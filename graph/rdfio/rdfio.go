package rdfio

import (
	"github.com/cayleygraph/quad"
)

// ReadOptions configure a decoder.
type ReadOptions struct {
	// Base is the base IRI against which relative IRIs are resolved.
	Base string
	// Graph is the graph label given to triples that carry none (formats
	// without named graphs, and the default graph of TriG, N-Quads and
	// JSON-LD). nil leaves them in the default graph.
	Graph quad.Value
	// BlankNodePrefix, when set, prefixes every blank node label the reader
	// makes, so that two readings of the same document give the same labels
	// (idempotent loads) while different documents never share a blank node.
	// Callers derive it from the document's content hash. When empty the
	// reader picks a random prefix.
	BlankNodePrefix string
	// KeepBlankNodeLabels keeps the blank node labels of a Turtle-family
	// document exactly as written (no prefix), so that restoring a backup
	// of a store gives back the very same quads. Only for documents whose
	// labels cannot clash with the store's, such as a backup restored into
	// an empty store.
	KeepBlankNodeLabels bool
	// Contexts are the only remote JSON-LD contexts the JSON-LD reader may
	// load, as JSON documents by URL. The reader never uses the network:
	// any other remote context is an error.
	Contexts map[string][]byte
	// MaxBytes bounds the size of a JSON-LD document, which is parsed
	// whole; 0 means DefaultMaxJSONLDBytes. Bigger input gives ErrTooLarge.
	MaxBytes int64
	// Workers, above 1, parses N-Triples and N-Quads on that many
	// goroutines, in chunks of whole lines (parallel.go); the quads come
	// in document order all the same, and errors name the same lines. The
	// reader NewReader returns then has a Close method (io.Closer), which
	// a caller that stops before io.EOF or an error must call. Other
	// formats ignore it.
	Workers int
}

// Prefix maps a short name to a namespace IRI for readable output.
type Prefix struct {
	Name, IRI string
}

// WriteOptions configure an encoder.
type WriteOptions struct {
	// Prefixes are declared at the top of Turtle and TriG output and used to
	// abbreviate IRIs.
	Prefixes []Prefix
	// Base, when set, is declared in Turtle/TriG output.
	Base string
	// JSONLD configures the JSON-LD encoder; other formats ignore it.
	JSONLD JSONLDOptions
}

// Reader is a stream of quads decoded from one document. ReadQuad returns
// io.EOF at the end of a well-formed document and a *SyntaxError for
// malformed input.
type Reader = quad.Reader

// Writer is a stream of quads encoded into one document. Close finishes the
// document (it does not close the underlying io.Writer).
type Writer = quad.WriteCloser
