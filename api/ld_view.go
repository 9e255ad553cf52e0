package api

import (
	"context"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
)

// Terms of the framed (viewer) JSON-LD.
const (
	skosPrefLabel = quad.IRI("http://www.w3.org/2004/02/skos/core#prefLabel")
	// outsideAnswer is the type the framed profile gives a node a link
	// points to that neither the store nor the ontology describes (a web
	// page, an IRI of another dataset): a viewer draws it as outside the
	// answer, with its IRI as the only name it has. A type, because the
	// framed profile keeps types, labels and links and nothing else.
	outsideAnswer = quad.IRI("https://w3id.org/innograph/ns/json-ld#Outside")
)

// isViewLabel reports whether p is one of the label properties the framed
// profile keeps.
func isViewLabel(p quad.Value) bool { return p == rdfsLabel || p == skosPrefLabel }

// describe is the store's description of iri together with what the
// ontology states about it (SKOS concepts and indicators are defined there),
// in the ontology's graph; the ontology's blank nodes come along. It
// returns NotFound when neither knows iri.
func (l *linkedData) describe(ctx context.Context, iri quad.IRI) (graph.Description, error) {
	d, err := l.s.store.Describe(ctx, iri)
	extra := l.ontologyAbout(iri)
	if err != nil {
		if graph.KindOf(err) != graph.NotFound || len(extra) == 0 {
			return d, err
		}
		d = graph.Description{Subject: iri}
	}
	d.Quads = append(d.Quads, extra...)
	return d, nil
}

// ontologyAbout returns the ontology's quads about v and its blank nodes,
// labelled with the ontology's graph.
func (l *linkedData) ontologyAbout(v quad.Value) []quad.Quad {
	g := quad.IRI(DefaultBaseURL + ontologyPath)
	var out []quad.Quad
	seen := map[quad.Value]bool{v: true}
	queue := []quad.Value{v}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, q := range l.ontologyBySubject[cur] {
			q.Label = g
			out = append(out, q)
			if b, ok := q.Object.(quad.BNode); ok && !seen[b] {
				seen[b] = true
				queue = append(queue, b)
			}
		}
	}
	return out
}

// viewQuads completes quads for the framed profile, so that a viewer can
// draw every node without a second request: each node a link points to,
// and each subject, gets its types and labels, from the store or from the
// ontology; a node that neither describes is marked outsideAnswer.
func (l *linkedData) viewQuads(ctx context.Context, quads []quad.Quad) ([]quad.Quad, error) {
	v := newViewNodes()
	for _, q := range quads {
		v.see(q)
	}
	extra, err := l.complete(ctx, v)
	if err != nil {
		return nil, err
	}
	return append(append([]quad.Quad(nil), quads...), extra...), nil
}

// viewNodes records, over a stream of quads, which nodes are typed and
// labelled and which ones the quads name (subjects and link targets).
type viewNodes struct {
	typed, labelled map[quad.Value]bool
	named           map[quad.Value]bool
	order           []quad.Value
}

func newViewNodes() *viewNodes {
	return &viewNodes{typed: map[quad.Value]bool{}, labelled: map[quad.Value]bool{}, named: map[quad.Value]bool{}}
}

func (v *viewNodes) name(n quad.Value) {
	if !v.named[n] {
		v.named[n] = true
		v.order = append(v.order, n)
	}
}

// see notes one quad of the answer.
func (v *viewNodes) see(q quad.Quad) {
	v.name(q.Subject)
	switch {
	case q.Predicate == rdfType:
		v.typed[q.Subject] = true
		return
	case isViewLabel(q.Predicate):
		v.labelled[q.Subject] = true
	}
	switch q.Object.(type) {
	case quad.IRI, quad.BNode:
		v.name(q.Object)
	}
}

// complete returns the quads that give every node v names its types and
// labels (from the store, then the ontology), and marks the nodes neither
// describes as outside the answer.
func (l *linkedData) complete(ctx context.Context, v *viewNodes) ([]quad.Quad, error) {
	var need []quad.Value
	wanted := map[quad.Value]bool{}
	for _, n := range v.order {
		if !(v.typed[n] && v.labelled[n]) {
			need = append(need, n)
			wanted[n] = true
		}
	}
	var out []quad.Quad
	add := func(q quad.Quad) {
		if !wanted[q.Subject] || !(q.Predicate == rdfType || isViewLabel(q.Predicate)) {
			return
		}
		if q.Predicate == rdfType {
			v.typed[q.Subject] = true
		} else {
			v.labelled[q.Subject] = true
		}
		q.Label = nil
		out = append(out, q)
	}
	var nodes []graph.Node
	for _, n := range need {
		if iri, ok := n.(quad.IRI); ok {
			nodes = append(nodes, graph.Node{ID: string(iri)})
		}
	}
	if len(nodes) > 0 {
		cover, err := l.s.store.CoverQuads(ctx, graph.Subgraph{Nodes: nodes})
		if err != nil {
			return nil, err
		}
		for _, q := range cover {
			add(q)
		}
	}
	for _, n := range need {
		for _, q := range l.ontologyBySubject[n] {
			add(q)
		}
	}
	for _, n := range need {
		if !v.typed[n] && !v.labelled[n] {
			out = append(out, quad.Quad{Subject: n, Predicate: rdfType, Object: outsideAnswer})
		}
	}
	return out, nil
}
