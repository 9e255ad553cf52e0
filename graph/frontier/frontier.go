package frontier

import (
	"context"
	"strings"

	"github.com/cayleygraph/quad"
)

// ID names one value (IRI, blank node or literal) within one Reader. Zero is
// not an ID: it means "absent" (Lookup of an unknown value) or "any" (a
// wildcard in Count).
type ID uint64

// Quad is a stored quad by the IDs of its four terms; G is zero for the
// default graph.
type Quad struct{ S, P, O, G ID }

// At returns the term of q in direction d (quad.Subject, Predicate, Object
// or Label).
func (q Quad) At(d quad.Direction) ID {
	switch d {
	case quad.Subject:
		return q.S
	case quad.Predicate:
		return q.P
	case quad.Object:
		return q.O
	case quad.Label:
		return q.G
	}
	return 0
}

// Kind is the kind of a term: what an engine's isIRI, isBlank and
// isLiteral ask, answered by readers that know it without decoding the
// value (see the engines' optional kind interfaces).
type Kind uint8

// The kinds of terms; KindUnknown is for zero or an ID the Reader does
// not know.
const (
	KindUnknown Kind = iota
	KindIRI
	KindBlank
	KindLiteral
)

// Facts is what Describe says of one node: its classes (objects of its
// rdf:type quads, distinct, in no fixed order) and the ID of its preferred
// label literal (see BetterLabel), zero when it has none.
type Facts struct {
	Types []ID
	Label ID
}

// Reader answers an engine's questions for one query. Methods honour ctx
// (returning ctx.Err() once it is done) and may be called from one
// goroutine at a time. They may also be called from inside the fn of a
// running Quads or All, on that goroutine, and must then answer as they
// would outside it without disturbing the running walk: a streaming
// engine joins by asking about the next pattern for the quads it is given
// (the SPARQL engine's bind joins, an export decoding values as it
// writes), and buffering every walk instead would make memory grow with
// the answer. The answers reflect one state of the store where the
// implementation can give that (the in-memory tier pins a generation;
// Cayley's backends read what is committed at each call).
type Reader interface {
	// Lookup sets out[i] to the ID of vals[i], or zero when the store holds
	// no quad with that value in any position. len(out) == len(vals).
	Lookup(ctx context.Context, vals []quad.Value, out []ID) error

	// Values sets out[i] to the value of ids[i] (nil for zero or an ID
	// unknown to this Reader). len(out) == len(ids).
	Values(ctx context.Context, ids []ID, out []quad.Value) error

	// Quads calls fn(i, q) for every stored quad q with q.At(dir) ==
	// nodes[i], for dir one of quad.Subject, Predicate, Object or Label.
	// In the Label direction a zero node names the default graph: its
	// quads (G zero) are given; in the other directions zero has none.
	// When preds is not nil only quads whose predicate is in preds are
	// given (an empty non-nil preds gives none). Quads of one node come
	// together, in no other fixed order; a quad stated in several graphs
	// comes once per graph. fn returning false stops the walk without an
	// error. A node listed twice has its quads given twice.
	Quads(ctx context.Context, dir quad.Direction, nodes []ID, preds []ID, fn func(i int, q Quad) bool) error

	// All calls fn for every stored quad, in no fixed order, until fn
	// returns false.
	All(ctx context.Context, fn func(q Quad) bool) error

	// Describe sets out[i] to the Facts of ids[i]. len(out) == len(ids).
	Describe(ctx context.Context, ids []ID, out []Facts) error

	// Count returns how many stored quads match pattern, where a zero term
	// matches anything: exact when exact is true, otherwise an estimate a
	// planner may use to order joins (an upper bound where the backend can
	// give one cheaply).
	Count(ctx context.Context, pattern Quad) (n int64, exact bool, err error)

	// Close releases what the Reader holds (a pinned generation, a
	// per-query dictionary). The Reader must not be used after.
	Close() error
}

// Source hands out Readers. Every backend of a Store, and the in-memory
// tier, is a Source.
type Source interface {
	Reader(ctx context.Context) (Reader, error)
}

// Well-known IRIs every implementation treats specially in Describe.
const (
	RDFType   = quad.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
	RDFSLabel = quad.IRI("http://www.w3.org/2000/01/rdf-schema#label")
)

// labelRank orders label candidates: English first (en, en-*), then
// untagged (and typed), then other language tags by tag; IRIs and blank
// nodes are not labels.
func labelRank(v quad.Value) (rank, text string, ok bool) {
	var lang string
	switch v := v.(type) {
	case quad.String:
		text = string(v)
	case quad.LangString:
		text, lang = string(v.Value), strings.ToLower(v.Lang)
	case quad.TypedString:
		text = string(v.Value) // ranked as untagged, as the walker always did
	default:
		return "", "", false
	}
	switch {
	case lang == "en" || strings.HasPrefix(lang, "en-"):
		return "0" + lang, text, true
	case lang == "":
		return "1", text, true
	}
	return "2" + lang, text, true
}

// BetterLabel reports whether rdfs:label value a is preferred to b, the one
// label rule of the service (path answers, HTML pages, the explorer):
// English first, then an untagged literal, then the smallest language tag;
// ties go to the smaller text. A value that is not a string literal is
// never preferred; any string literal is preferred to nil.
func BetterLabel(a, b quad.Value) bool {
	ra, ta, oka := labelRank(a)
	if !oka {
		return false
	}
	rb, tb, okb := labelRank(b)
	if !okb {
		return true
	}
	if ra != rb {
		return ra < rb
	}
	return ta < tb
}

// PreferLabel is BetterLabel with its ties (equal rank and text, such as
// "x" and "x"^^xsd:token) broken by the values' N-Quads forms, so the label
// chosen among several never depends on the order they are read in. Every
// Reader picks Describe's label with it.
func PreferLabel(a, b quad.Value) bool {
	if BetterLabel(a, b) {
		return true
	}
	if b == nil || BetterLabel(b, a) {
		return false
	}
	return a.String() < b.String()
}

// LabelText returns the text of a label literal, "" for anything else.
func LabelText(v quad.Value) string {
	_, text, _ := labelRank(v)
	return text
}
