package results

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/rdfio"
)

// Format is a SPARQL query results format.
type Format struct {
	// Name is the short name (json, xml, csv, tsv).
	Name string
	// MediaTypes are the media types it is served as; the first is the
	// canonical one.
	MediaTypes []string
	// Extensions are its file extensions, with the dot.
	Extensions []string
	// Boolean reports whether it can carry an ASK result.
	Boolean bool
}

// Names of the formats.
const (
	JSON = "json"
	XML  = "xml"
	CSV  = "csv"
	TSV  = "tsv"
)

var formats = []Format{
	{Name: JSON, MediaTypes: []string{"application/sparql-results+json", "application/json"}, Extensions: []string{".srj", ".json"}, Boolean: true},
	{Name: XML, MediaTypes: []string{"application/sparql-results+xml", "application/xml", "text/xml"}, Extensions: []string{".srx", ".xml"}, Boolean: true},
	{Name: CSV, MediaTypes: []string{"text/csv"}, Extensions: []string{".csv"}},
	{Name: TSV, MediaTypes: []string{"text/tab-separated-values"}, Extensions: []string{".tsv"}},
}

// Formats returns every results format, JSON first.
func Formats() []Format { return append([]Format(nil), formats...) }

// Lookup finds a format by name, media type or extension (with its dot).
func Lookup(s string) (Format, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, f := range formats {
		if f.Name == s {
			return f, true
		}
		for _, m := range f.MediaTypes {
			if m == s {
				return f, true
			}
		}
		for _, e := range f.Extensions {
			if e == s {
				return f, true
			}
		}
	}
	return Format{}, false
}

// Negotiate picks the results format an Accept header prefers among
// offered (nil: every format), with graph/rdfio's one negotiation rule
// (quality values, the most specific range deciding, aliases only when
// named exactly). An empty header chooses the first offered. ok is false
// when none is acceptable. For ASK, offer only the formats with Boolean.
func Negotiate(accept string, offered []Format) (Format, bool) {
	if offered == nil {
		offered = formats
	}
	as := make([]rdfio.Format, len(offered))
	for i, f := range offered {
		as[i] = rdfio.Format{Name: f.Name, MediaTypes: f.MediaTypes, Extensions: f.Extensions}
	}
	got, ok := rdfio.Negotiate(accept, as)
	if !ok {
		return Format{}, false
	}
	for _, f := range offered {
		if f.Name == got.Name {
			return f, true
		}
	}
	return Format{}, false
}

// ErrNoBoolean is returned by WriteBoolean for formats that cannot carry an
// ASK result (CSV and TSV define none).
var ErrNoBoolean = errors.New("results: the format has no boolean result")

// encoder writes one format.
type encoder interface {
	head(w *bufio.Writer, vars []string)
	row(w *bufio.Writer, vars []string, row []quad.Value, first bool)
	tail(w *bufio.Writer)
}

// Writer streams a solution sequence in one format. Nothing is written to
// the underlying writer before the first Write or Close, so a caller can
// still report an error instead (an HTTP status) until then. Output is
// buffered: Flush pushes what is written so far.
type Writer struct {
	w       *bufio.Writer
	enc     encoder
	vars    []string
	rows    int
	started bool
	closed  bool
}

// NewWriter returns a Writer of solutions with the given variables (names
// without '?') in format f. It returns an error for an unknown format.
func NewWriter(w io.Writer, f Format, vars []string) (*Writer, error) {
	enc, err := encoderFor(f)
	if err != nil {
		return nil, err
	}
	return &Writer{w: bufio.NewWriterSize(w, 32<<10), enc: enc, vars: vars}, nil
}

func encoderFor(f Format) (encoder, error) {
	switch f.Name {
	case JSON:
		return jsonEncoder{}, nil
	case XML:
		return xmlEncoder{}, nil
	case CSV:
		return csvEncoder{}, nil
	case TSV:
		return tsvEncoder{}, nil
	}
	return nil, fmt.Errorf("results: unknown format %q", f.Name)
}

func (w *Writer) start() {
	if !w.started {
		w.started = true
		w.enc.head(w.w, w.vars)
	}
}

// Write writes one solution: row[i] is the value of the i-th variable, nil
// when unbound. It returns the first error of the underlying writer.
func (w *Writer) Write(row []quad.Value) error {
	if w.closed {
		return errors.New("results: write after close")
	}
	w.start()
	w.enc.row(w.w, w.vars, row, w.rows == 0)
	w.rows++
	if w.w.Buffered() >= 16<<10 {
		return w.w.Flush()
	}
	return nil
}

// Flush writes buffered output to the underlying writer.
func (w *Writer) Flush() error { return w.w.Flush() }

// Close ends the document and flushes it. It does not close the underlying
// writer.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	w.start()
	w.closed = true
	w.enc.tail(w.w)
	return w.w.Flush()
}

// WriteBoolean writes the result of an ASK query in format f (JSON or XML);
// it returns ErrNoBoolean for CSV and TSV.
func WriteBoolean(w io.Writer, f Format, b bool) error {
	bw := bufio.NewWriter(w)
	switch f.Name {
	case JSON:
		fmt.Fprintf(bw, "{\"head\":{},\"boolean\":%t}\n", b)
	case XML:
		fmt.Fprintf(bw, "<?xml version=\"1.0\"?>\n<sparql xmlns=\"%s\">\n<head/>\n<boolean>%t</boolean>\n</sparql>\n", xmlNS, b)
	case CSV, TSV:
		return ErrNoBoolean
	default:
		return fmt.Errorf("results: unknown format %q", f.Name)
	}
	return bw.Flush()
}

// Result is a whole result document read back: the variables and rows of
// a solution sequence (Rows[i][j] is the value of Vars[j], nil when
// unbound), or the Boolean of an ASK result.
type Result struct {
	Vars    []string
	Rows    [][]quad.Value
	Boolean *bool
}

// Read parses a result document in format f. CSV loses the kind of every
// value: IRIs and literals are read as plain literals, values starting
// with "_:" as blank nodes.
func Read(r io.Reader, f Format) (*Result, error) {
	switch f.Name {
	case JSON:
		return readJSON(r)
	case XML:
		return readXML(r)
	case CSV:
		return readCSV(r)
	case TSV:
		return readTSV(r)
	}
	return nil, fmt.Errorf("results: unknown format %q", f.Name)
}
