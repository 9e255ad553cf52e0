package graph_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
)

func openBackend(t *testing.T, b graph.Backend) *graph.Store {
	t.Helper()
	cfg := graph.Config{Backend: b}
	switch b {
	case graph.Memory:
	case graph.Postgres:
		cfg.DSN = freshPostgres(t, postgresDSN(t))
	default:
		cfg.Path = filepath.Join(t.TempDir(), "data")
	}
	s, err := graph.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func graphQuads(t *testing.T, s *graph.Store, g quad.Value) []string {
	t.Helper()
	var out []string
	err := s.EachQuad(context.Background(), graph.Selection{}, func(q quad.Quad) error {
		if q.Label == g || (g != nil && q.Label != nil && q.Label.String() == g.String()) {
			out = append(out, q.String())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// TestGraphWrites replaces, merges and deletes graphs on the embedded
// backends and checks the counts and the resulting content, including
// typed literals whose lexical form must survive the diff unchanged.
func TestGraphWrites(t *testing.T) {
	ex := func(s string) quad.IRI { return quad.IRI("https://example.org/" + s) }
	g := ex("g")
	n := func(s string, o quad.Value) quad.Quad {
		return quad.Quad{Subject: ex(s), Predicate: ex("p"), Object: o}
	}
	integer := quad.TypedString{Value: "01", Type: "http://www.w3.org/2001/XMLSchema#integer"}
	for _, b := range []graph.Backend{graph.Memory, graph.Bolt, graph.LevelDB, graph.Postgres} {
		t.Run(string(b), func(t *testing.T) {
			ctx := context.Background()
			s := openBackend(t, b)
			other := quad.Quad{Subject: ex("o"), Predicate: ex("p"), Object: quad.String("other"), Label: ex("other")}
			if err := s.Write(ctx, func(bt *graph.Batch) error { bt.Add(other); return nil }); err != nil {
				t.Fatal(err)
			}
			ch, err := s.ReplaceGraph(ctx, g, []quad.Quad{n("a", integer), n("b", quad.String("x"))}, nil)
			if err != nil || !ch.Created || ch.Added != 2 || ch.Removed != 0 {
				t.Fatalf("first ReplaceGraph = %+v, %v; want created, 2 added", ch, err)
			}
			ch, err = s.ReplaceGraph(ctx, g, []quad.Quad{n("a", integer), n("c", quad.LangString{Value: "y", Lang: "da"})}, nil)
			if err != nil || ch.Created || ch.Added != 1 || ch.Removed != 1 {
				t.Fatalf("second ReplaceGraph = %+v, %v; want 1 added, 1 removed (the typed literal kept)", ch, err)
			}
			ch, err = s.MergeGraph(ctx, g, []quad.Quad{n("a", integer), n("d", ex("z"))}, nil)
			if err != nil || ch.Added != 1 || ch.Removed != 0 {
				t.Fatalf("MergeGraph = %+v, %v; want 1 added", ch, err)
			}
			if got := graphQuads(t, s, g); len(got) != 3 {
				t.Errorf("graph holds %v, want 3 quads", got)
			}
			ch, err = s.MergeGraph(ctx, nil, []quad.Quad{n("e", quad.String("default"))}, nil)
			if err != nil || !ch.Created || ch.Added != 1 {
				t.Fatalf("MergeGraph(default) = %+v, %v", ch, err)
			}
			if ok, err := s.HasGraph(ctx, nil); !ok || err != nil {
				t.Errorf("HasGraph(default) = %v, %v; want true", ok, err)
			}
			ch, err = s.DeleteGraph(ctx, g)
			if err != nil || ch.Removed != 3 {
				t.Fatalf("DeleteGraph = %+v, %v; want 3 removed", ch, err)
			}
			if ok, _ := s.HasGraph(ctx, g); ok {
				t.Error("graph still present after DeleteGraph")
			}
			if _, err := s.DeleteGraph(ctx, g); graph.KindOf(err) != graph.NotFound {
				t.Errorf("DeleteGraph of an absent graph = %v, want NotFound", err)
			}
			if got := graphQuads(t, s, ex("other")); len(got) != 1 {
				t.Errorf("other graph = %v, want untouched", got)
			}
			if got := graphQuads(t, s, nil); len(got) != 1 {
				t.Errorf("default graph = %v, want 1 quad", got)
			}
		})
	}
}

// TestReplaceShrinks replaces graphs with fewer quads that share nodes with
// the old ones (the label, subjects): on Cayley's key-value stores a naive
// batch stores the new quads without their graph (see padSharedNodes).
func TestReplaceShrinks(t *testing.T) {
	for _, b := range []graph.Backend{graph.Memory, graph.Bolt, graph.LevelDB, graph.Postgres} {
		t.Run(string(b), func(t *testing.T) {
			s := openBackend(t, b)
			g := quad.IRI("https://example.org/shrinking")
			mk := func(version, n int) []quad.Quad {
				var qs []quad.Quad
				for j := 0; j < n; j++ {
					qs = append(qs, quad.Quad{Subject: quad.IRI(fmt.Sprintf("%s/s%d", g, j)), Predicate: quad.IRI("https://example.org/p"), Object: quad.String(fmt.Sprintf("version %d", version))})
				}
				return qs
			}
			for version, n := range []int{50, 30, 80, 80, 20, 1, 40} {
				if _, err := s.ReplaceGraph(context.Background(), g, mk(version, n), nil); err != nil {
					t.Fatal(err)
				}
				if got := graphQuads(t, s, g); len(got) != n {
					t.Fatalf("after replacing with %d quads (version %d) the graph holds %d", n, version, len(got))
				}
				if got := graphQuads(t, s, nil); len(got) != 0 {
					t.Fatalf("after replace %d the default graph holds %v", version, got)
				}
			}
			st, err := s.Stats(context.Background())
			if err != nil || st.Quads != 40 {
				t.Errorf("Stats = %d quads, %v; want the 40 of the last version", st.Quads, err)
			}
		})
	}
}

// TestGraphNameChecked: the store refuses to write a graph whose name is
// not an absolute IRI, with the same check the commands and the API use.
func TestGraphNameChecked(t *testing.T) {
	s := openBackend(t, graph.Memory)
	q := []quad.Quad{{Subject: quad.IRI("https://example.org/a"), Predicate: quad.IRI("https://example.org/p"), Object: quad.String("x")}}
	for _, name := range []string{"not an iri", "relative", "https://example.org/%zz", "https://exa mple.org/"} {
		if _, err := graph.GraphName(name); graph.KindOf(err) != graph.Invalid {
			t.Errorf("GraphName(%q) = %v, want Invalid", name, err)
		}
		if _, err := s.MergeGraph(context.Background(), quad.IRI(name), q, nil); graph.KindOf(err) != graph.Invalid {
			t.Errorf("MergeGraph(%q) = %v, want Invalid", name, err)
		}
	}
	for _, name := range []string{"https://example.org/g", "urn:x:y", "http://example.org/%C3%A6"} {
		if _, err := graph.GraphName(name); err != nil {
			t.Errorf("GraphName(%q) = %v, want nil", name, err)
		}
	}
}
