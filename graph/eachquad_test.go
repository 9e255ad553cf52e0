package graph_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
)

// TestEachQuadTierAndStore: EachQuad answers from the read tier when it is
// on and from the backend when it is off; both give the same quads, for
// the whole store, one graph, and a graph the store does not hold.
func TestEachQuadTierAndStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	ex := func(s string) quad.IRI { return quad.IRI("https://example.org/" + s) }
	var qs []quad.Quad
	for i, g := range []quad.Value{ex("g1"), ex("g2"), nil} {
		qs = append(qs,
			quad.Make(ex("a"), ex("p"), ex("b"), g),
			quad.Make(ex("a"), ex("label"), quad.LangString{Value: "ä \"x\"", Lang: "de"}, g),
			quad.Make(quad.BNode("n"), ex("count"), quad.TypedString{Value: quad.String([]string{"01", "2", "3"}[i]), Type: "http://www.w3.org/2001/XMLSchema#integer"}, g),
		)
	}
	s := mustOpen(t, graph.Config{Backend: graph.Bolt, Path: dir})
	writeAll(t, s, qs)
	read := func(s *graph.Store, g quad.Value) []string { return eachSorted(t, s, graph.Selection{Graph: g}) }
	selections := []quad.Value{nil, ex("g1"), ex("nowhere")}
	var tier [][]string
	for _, g := range selections {
		tier = append(tier, read(s, g))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	off := mustOpen(t, graph.Config{Backend: graph.Bolt, Path: dir, ReadTier: graph.ReadTierOff})
	for i, g := range selections {
		if got := read(off, g); !slices.Equal(got, tier[i]) {
			t.Errorf("graph %v: the tier gives\n%q\nthe store\n%q", g, tier[i], got)
		}
	}
	if n := len(tier[0]); n != len(qs) {
		t.Errorf("the whole store: %d quads, want %d", n, len(qs))
	}
	if n := len(tier[1]); n != 3 {
		t.Errorf("graph g1: %d quads, want 3", n)
	}
	if n := len(tier[2]); n != 0 {
		t.Errorf("a graph the store does not hold: %d quads, want none", n)
	}
}

// TestEachQuadOfTypeTierAndStore checks that a Type selection reads the
// same quads from the read tier as from the store through Cayley, over
// instances typed in two graphs (described once), blank-node descriptions
// nested and in a cycle, a blank-node instance pointed back at, a Graph
// restriction, an instance whose type is in one graph and description in
// another, a class nothing has, and a write after the tier's build.
func TestEachQuadOfTypeTierAndStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	ex := func(s string) quad.IRI { return quad.IRI("https://example.org/" + s) }
	typ := quad.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
	g1, g2 := ex("g1"), ex("g2")
	qs := []quad.Quad{
		quad.Make(ex("a"), typ, ex("C"), g1),
		quad.Make(ex("a"), typ, ex("C"), g2),
		quad.Make(ex("a"), ex("name"), quad.String("A"), g1),
		quad.Make(ex("a"), ex("amount"), quad.BNode("m1"), g2),
		quad.Make(quad.BNode("m1"), ex("value"), quad.TypedString{Value: "01", Type: "http://www.w3.org/2001/XMLSchema#integer"}, g2),
		quad.Make(quad.BNode("m1"), ex("unit"), quad.BNode("u1"), g2),
		quad.Make(quad.BNode("u1"), ex("back"), quad.BNode("m1"), g2),
		quad.Make(quad.BNode("u1"), ex("label"), quad.LangString{Value: "Euro", Lang: "en"}, g2),
		quad.Make(ex("b"), typ, ex("C"), g2),
		quad.Make(ex("b"), ex("knows"), ex("a"), g1),
		quad.Make(quad.BNode("x"), typ, ex("C"), nil),
		quad.Make(quad.BNode("x"), ex("self"), quad.BNode("y"), nil),
		quad.Make(quad.BNode("y"), ex("to"), quad.BNode("x"), nil),
		quad.Make(ex("c"), typ, ex("D"), g1),
		quad.Make(ex("c"), ex("name"), quad.String("C"), g1),
	}
	s := mustOpen(t, graph.Config{Backend: graph.Bolt, Path: dir})
	writeAll(t, s, qs)
	// Written after the tier's build: in its overlay, not its base.
	writeAll(t, s, []quad.Quad{quad.Make(ex("d"), typ, ex("C"), g1), quad.Make(ex("d"), ex("name"), quad.String("D"), g1)})
	read := func(s *graph.Store, sel graph.Selection) []string { return eachSorted(t, s, sel) }
	sels := []graph.Selection{
		{Type: ex("C")}, {Type: ex("C"), Graph: g1}, {Type: ex("C"), Graph: g2}, {Type: ex("D")},
		{Type: ex("nothing")}, {Type: ex("C"), Graph: ex("nowhere")},
	}
	var tier [][]string
	for _, sel := range sels {
		tier = append(tier, read(s, sel))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	off := mustOpen(t, graph.Config{Backend: graph.Bolt, Path: dir, ReadTier: graph.ReadTierOff})
	for i, sel := range sels {
		if got := read(off, sel); !slices.Equal(got, tier[i]) {
			t.Errorf("%+v: the tier gives\n%q\nthe store\n%q", sel, tier[i], got)
		}
	}
	// C: a (4 quads of its own, 4 of its blank nodes), b (2), x (3 with
	// y), d (2); in g1: a (2), d (2); in g2: a (2 and 4), b (1); D: c (2).
	for i, want := range []int{15, 4, 7, 2, 0, 0} {
		if n := len(tier[i]); n != want {
			t.Errorf("%+v: %d quads, want %d:\n%q", sels[i], n, want, tier[i])
		}
		if all := strings.Join(tier[i], ""); len(all) > 0 {
			for _, q := range tier[i] {
				if strings.Count(all, q) != 1 {
					t.Errorf("%+v: %q more than once", sels[i], q)
				}
			}
		}
	}
}

// eachSorted returns the quads EachQuad gives for sel, as sorted N-Quads
// lines.
func eachSorted(t *testing.T, s *graph.Store, sel graph.Selection) []string {
	t.Helper()
	var out []string
	if err := s.EachQuad(context.Background(), sel, func(q quad.Quad) error {
		out = append(out, q.NQuad())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}
