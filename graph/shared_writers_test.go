package graph_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
)

// TestSharedWritersSerialise runs two servers on one PostgreSQL database
// and has them write the same data at once, the two ways a write reads
// before it writes: a graph replace (the graph read, then the difference
// applied) and a SPARQL DELETE/INSERT ... WHERE (a counter read and
// raised). Each server serialises its own writers; across servers the
// read and the write must also be one step, or one server's write is
// computed from data the other has just changed: a replace would leave
// the union of the two bodies, and an increment would be lost.
func TestSharedWritersSerialise(t *testing.T) {
	dsn := freshPostgres(t, postgresDSN(t))
	ctx := context.Background()
	open := func() *graph.Store {
		return mustOpen(t, graph.Config{Backend: graph.Postgres, DSN: dsn, ReadTier: graph.ReadTierMemory})
	}
	servers := []*graph.Store{open(), open()}
	ex := func(s string) quad.IRI { return quad.IRI("https://example.org/" + s) }
	g := ex("g")

	t.Run("replace", func(t *testing.T) {
		const rounds = 15
		body := func(server, round int) []quad.Quad {
			var qs []quad.Quad
			for i := 0; i < 20; i++ {
				qs = append(qs, quad.Make(ex(fmt.Sprintf("s%d", i)), ex("p"), quad.String(fmt.Sprintf("server %d round %d", server, round)), g))
			}
			return qs
		}
		for round := 0; round < rounds; round++ {
			var wg sync.WaitGroup
			errs := make([]error, len(servers))
			for i, s := range servers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = s.ReplaceGraph(ctx, g, body(i, round), nil)
				}()
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("round %d, server %d: ReplaceGraph: %v", round, i, err)
				}
			}
			got, err := servers[0].ReadGraph(ctx, g)
			if err != nil {
				t.Fatal(err)
			}
			gotText := quadTexts(got)
			matches := false
			for i := range servers {
				if slices.Equal(gotText, quadTexts(body(i, round))) {
					matches = true
				}
			}
			if !matches {
				t.Fatalf("round %d: after two replaces at once the graph holds %d quads, neither body (20 quads each):\n%s",
					round, len(got), strings.Join(gotText, "\n"))
			}
		}
	})

	t.Run("sparql increment", func(t *testing.T) {
		insert := `INSERT DATA { GRAPH <https://example.org/counter> { <https://example.org/c> <https://example.org/n> 0 } }`
		if _, err := servers[0].UpdateSPARQL(ctx, graph.SPARQLRequest{Text: insert}, nil); err != nil {
			t.Fatal(err)
		}
		const each = 15
		incr := `DELETE { GRAPH <https://example.org/counter> { <https://example.org/c> <https://example.org/n> ?n } }
INSERT { GRAPH <https://example.org/counter> { <https://example.org/c> <https://example.org/n> ?m } }
WHERE { GRAPH <https://example.org/counter> { <https://example.org/c> <https://example.org/n> ?n } BIND(?n + 1 AS ?m) }`
		var wg sync.WaitGroup
		errs := make(chan error, len(servers)*each)
		for _, s := range servers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range each {
					if _, err := s.UpdateSPARQL(ctx, graph.SPARQLRequest{Text: incr}, nil); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("increment: %v", err)
		}
		got, err := servers[1].ReadGraph(ctx, ex("counter"))
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("<https://example.org/c> <https://example.org/n> \"%d\"^^<http://www.w3.org/2001/XMLSchema#integer> <https://example.org/counter> .", len(servers)*each)
		if texts := quadTexts(got); !slices.Equal(texts, []string{want}) {
			t.Fatalf("after %d increments from each of %d servers the counter graph holds\n%s\nwant\n%s", each, len(servers), strings.Join(texts, "\n"), want)
		}
	})
}

// quadTexts returns the N-Quads lines of qs, sorted.
func quadTexts(qs []quad.Quad) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.NQuad()
	}
	slices.Sort(out)
	return out
}
