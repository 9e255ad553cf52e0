package api

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
)

// FuzzDecodePattern feeds arbitrary bodies to the strict decoder of POST
// /api/v1/paths, then runs every pattern it accepts on a small store. The
// decoder must never panic, what it accepts, encoded again, must decode to the
// same pattern, and evaluation must end in an answer or a client-side error
// kind (never Internal), within the deadline.
func FuzzDecodePattern(f *testing.F) {
	for _, seed := range []string{
		`{"start":{"type":"Region"},"steps":[{"predicates":["ig:memberOf"]}]}`,
		`{"start":{"ids":["region/dk04"]},"steps":[{"direction":"both","repeat":{"min":1,"max":3}}],"result":"subgraph","limit":5}`,
		`{"start":{"ids":["https://example.org/a"]},"steps":[{"direction":"in","type":"ig:Company"}],"cursor":"eyJrIjoicGF0aHMifQ"}`,
		`{"start":{},"steps":[]}`,
		`{"start":{"type":"Region"},"steps":[{}],"colour":"blue"}`,
		`[]`, `null`, `{`, ``,
	} {
		f.Add([]byte(seed))
	}
	ex := func(s string) quad.IRI { return quad.IRI("https://example.org/" + s) }
	store, err := graph.Open(context.Background(), graph.Config{Backend: graph.Memory})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { store.Close() })
	if err := store.Write(context.Background(), func(b *graph.Batch) error {
		for _, q := range []quad.Quad{
			{Subject: ex("a"), Predicate: ex("p"), Object: ex("b"), Label: ex("g")},
			{Subject: ex("b"), Predicate: ex("p"), Object: ex("c"), Label: ex("g")},
			{Subject: ex("c"), Predicate: ex("p"), Object: ex("a"), Label: ex("g")},
			{Subject: ex("a"), Predicate: quad.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), Object: ex("C"), Label: ex("g")},
		} {
			b.Add(q)
		}
		return nil
	}); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := decodePattern(body)
		if err != nil {
			if k := graph.KindOf(err); k != graph.Invalid {
				t.Fatalf("decodePattern(%q) error kind %v, want Invalid: %v", body, k, err)
			}
			return
		}
		again, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("marshal accepted pattern: %v", err)
		}
		// Terms come back resolved to IRIs, which resolve to themselves.
		back, err := decodePattern(again)
		if err != nil || !reflect.DeepEqual(back, p) {
			t.Fatalf("pattern %q does not survive a JSON round trip: %s, %v", body, again, err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		start := time.Now()
		_, err = store.Paths(ctx, p)
		if took := time.Since(start); took > 5*time.Second {
			t.Fatalf("Paths(%q) took %v, past its deadline", body, took)
		}
		if err != nil && graph.KindOf(err) == graph.Internal {
			t.Fatalf("Paths(%q) = internal error %v", body, err)
		}
	})
}
