package rdftest

import (
	"testing"

	"github.com/cayleygraph/quad"
)

func TestCanonicalDataset(t *testing.T) {
	iri := func(s string) quad.IRI { return quad.IRI("http://x/" + s) }
	p := iri("p")
	tests := []struct {
		name string
		a, b []quad.Quad
		iso  bool
	}{
		{"renamed", []quad.Quad{{Subject: quad.BNode("a"), Predicate: p, Object: quad.BNode("b")}},
			[]quad.Quad{{Subject: quad.BNode("x"), Predicate: p, Object: quad.BNode("y")}}, true},
		{"self loop vs edge", []quad.Quad{{Subject: quad.BNode("a"), Predicate: p, Object: quad.BNode("a")}},
			[]quad.Quad{{Subject: quad.BNode("x"), Predicate: p, Object: quad.BNode("y")}}, false},
		{"symmetric cycle", []quad.Quad{
			{Subject: quad.BNode("a"), Predicate: p, Object: quad.BNode("b")},
			{Subject: quad.BNode("b"), Predicate: p, Object: quad.BNode("a")},
			{Subject: quad.BNode("c"), Predicate: p, Object: quad.BNode("c")}}, []quad.Quad{
			{Subject: quad.BNode("z"), Predicate: p, Object: quad.BNode("z")},
			{Subject: quad.BNode("y"), Predicate: p, Object: quad.BNode("x")},
			{Subject: quad.BNode("x"), Predicate: p, Object: quad.BNode("y")}}, true},
		{"graph label", []quad.Quad{{Subject: iri("s"), Predicate: p, Object: iri("o"), Label: quad.BNode("g")}},
			[]quad.Quad{{Subject: iri("s"), Predicate: p, Object: iri("o")}}, false},
		{"literal differs", []quad.Quad{{Subject: iri("s"), Predicate: p, Object: quad.String("1")}},
			[]quad.Quad{{Subject: iri("s"), Predicate: p, Object: quad.TypedString{Value: "1", Type: quad.IRI("http://www.w3.org/2001/XMLSchema#integer")}}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Canonical(tc.a) == Canonical(tc.b); got != tc.iso {
				t.Errorf("isomorphic = %v, want %v", got, tc.iso)
			}
		})
	}
}
