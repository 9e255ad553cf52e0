package graph_test

import (
	"context"
	"testing"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/rdfio"
)

func TestLoadIfEmpty(t *testing.T) {
	ctx := context.Background()
	trig, _ := rdfio.Lookup(rdfio.TriG)
	doc := func(data string) []graph.Document {
		return []graph.Document{{Name: "doc.trig", Data: []byte(data), Format: trig}}
	}
	good := `<https://example.org/g> { <https://example.org/a> <https://example.org/p> "x" , "y" . }`
	store := mustOpen(t, graph.Config{Backend: graph.Memory})

	if _, err := store.LoadIfEmpty(ctx, doc(good+" <https://example.org/b> <https://example.org/p> ")); graph.KindOf(err) != graph.Invalid {
		t.Fatalf("LoadIfEmpty(truncated) error = %v, want kind Invalid", err)
	}
	if empty, _ := store.IsEmpty(ctx); !empty {
		t.Fatal("a malformed document left quads behind")
	}
	n, err := store.LoadIfEmpty(ctx, doc(good))
	if err != nil || n != 2 {
		t.Fatalf("LoadIfEmpty(empty store) = %d, %v; want 2, nil", n, err)
	}
	n, err = store.LoadIfEmpty(ctx, doc(`<https://example.org/c> <https://example.org/p> "z" .`))
	if err != nil || n != 0 {
		t.Fatalf("LoadIfEmpty(non-empty store) = %d, %v; want 0, nil", n, err)
	}
	st, err := store.Stats(ctx)
	if err != nil || st.Quads != 2 {
		t.Fatalf("after two loads Stats().Quads = %d, %v; want 2", st.Quads, err)
	}
}
