package api

import (
	"context"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
)

// Terms of the framed (viewer) JSON-LD.
const (
	skosPrefLabel = quad.IRI("http://www.w3.org/2004/02/skos/core#prefLabel")
	// outsideAnswer marks a node a link of a framed answer points to that
	// neither the store nor the ontology describes (a web page, an IRI of
	// another dataset): a viewer draws it as outside the answer, with its
	// IRI as the only name it has.
	outsideAnswer = quad.IRI("https://w3id.org/innograph/ns/json-ld#outside")
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
	typed, labelled := map[quad.Value]bool{}, map[quad.Value]bool{}
	note := func(q quad.Quad) {
		switch {
		case q.Predicate == rdfType:
			typed[q.Subject] = true
		case isViewLabel(q.Predicate):
			labelled[q.Subject] = true
		}
	}
	for _, q := range quads {
		note(q)
	}
	var need []quad.Value
	wanted := map[quad.Value]bool{}
	want := func(v quad.Value) {
		if (typed[v] && labelled[v]) || wanted[v] {
			return
		}
		wanted[v] = true
		need = append(need, v)
	}
	for _, q := range quads {
		want(q.Subject)
		if q.Predicate == rdfType {
			continue
		}
		switch q.Object.(type) {
		case quad.IRI, quad.BNode:
			want(q.Object)
		}
	}
	out := append([]quad.Quad(nil), quads...)
	var nodes []graph.Node
	for _, v := range need {
		if iri, ok := v.(quad.IRI); ok {
			nodes = append(nodes, graph.Node{ID: string(iri)})
		}
	}
	if len(nodes) > 0 {
		cover, err := l.s.store.CoverQuads(ctx, graph.Subgraph{Nodes: nodes})
		if err != nil {
			return nil, err
		}
		for _, q := range cover {
			if wanted[q.Subject] && (q.Predicate == rdfType || isViewLabel(q.Predicate)) {
				note(q)
				out = append(out, q)
			}
		}
	}
	for _, v := range need {
		for _, q := range l.ontologyBySubject[v] {
			if q.Predicate == rdfType || isViewLabel(q.Predicate) {
				note(q)
				out = append(out, q)
			}
		}
	}
	for _, v := range need {
		if !typed[v] && !labelled[v] {
			out = append(out, quad.Quad{Subject: v, Predicate: outsideAnswer, Object: quad.TypedString{Value: "true", Type: "http://www.w3.org/2001/XMLSchema#boolean"}})
		}
	}
	return out, nil
}
