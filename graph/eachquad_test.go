package graph_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
)

// TestEachQuadTierAndStore: EachQuad answers from the read tier when it is
// on and from the backend when it is off; both give the same quads, for
// the whole store, one graph, and a graph the store does not hold.
func TestEachQuadTierAndStore(t *testing.T) {
	ctx := context.Background()
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
	read := func(s *graph.Store, g quad.Value) []string {
		var out []string
		if err := s.EachQuad(ctx, graph.Selection{Graph: g}, func(q quad.Quad) error {
			out = append(out, q.NQuad())
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		slices.Sort(out)
		return out
	}
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
