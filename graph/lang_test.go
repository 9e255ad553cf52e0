package graph_test

import (
	"context"
	"encoding/json"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/gen"
)

// langStore holds a small chain a -p-> b -p-> c, a -q-> d, and names of a and b.
func langStore(t *testing.T) *graph.Store {
	t.Helper()
	s := mustOpen(t, graph.Config{Backend: graph.Memory})
	ex := func(n string) quad.IRI { return quad.IRI("https://example.org/" + n) }
	err := s.Write(context.Background(), func(b *graph.Batch) error {
		b.Add(quad.Quad{Subject: ex("a"), Predicate: ex("p"), Object: ex("b")})
		b.Add(quad.Quad{Subject: ex("b"), Predicate: ex("p"), Object: ex("c")})
		b.Add(quad.Quad{Subject: ex("a"), Predicate: ex("q"), Object: ex("d")})
		b.Add(quad.Quad{Subject: ex("a"), Predicate: ex("name"), Object: quad.String("A")})
		b.Add(quad.Quad{Subject: ex("b"), Predicate: ex("name"), Object: quad.LangString{Value: "Bé", Lang: "fr"}})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestQueryLanguages(t *testing.T) {
	s := langStore(t)
	tests := []struct {
		name      string
		q         graph.LangQuery
		kind      graph.Kind // expected error kind, or -1 for success
		want      []string   // substrings of the joined results
		n         int        // number of results, -1 to skip
		truncated bool
	}{
		{"gizmo out", graph.LangQuery{Language: graph.Gizmo, Text: `g.V("<https://example.org/a>").Out("<https://example.org/p>").All()`}, -1, []string{"https://example.org/b"}, 1, false},
		{"gizmo two hops", graph.LangQuery{Language: graph.Gizmo, Text: `g.V("<https://example.org/a>").Out("<https://example.org/p>").Out("<https://example.org/p>").All()`}, -1, []string{"https://example.org/c"}, 1, false},
		{"gizmo emit", graph.LangQuery{Language: graph.Gizmo, Text: `g.Emit({answer: 42})`}, -1, []string{`"answer":42`}, 1, false},
		// JavaScript regular expressions run on dlclark/regexp2 (through goja).
		{"gizmo regexp", graph.LangQuery{Language: graph.Gizmo, Text: `g.Emit({m: "aXbbbc".match(/b+/)[0], r: "Tværspor".replace(/æ/g, "ae"), t: /^\d{3}$/.test("123")})`}, -1, []string{`{"m":"bbb","r":"Tvaerspor","t":true}`}, 1, false},
		{"gizmo limit", graph.LangQuery{Language: graph.Gizmo, Text: `g.V().All()`, Limit: 2}, -1, nil, 2, true},
		{"gizmo syntax error", graph.LangQuery{Language: graph.Gizmo, Text: `g.V(.All()`}, graph.Invalid, nil, -1, false},
		{"gizmo runtime error", graph.LangQuery{Language: graph.Gizmo, Text: `g.V().NoSuchStep()`}, graph.Invalid, nil, -1, false},
		{"gizmo thrown", graph.LangQuery{Language: graph.Gizmo, Text: `throw new Error("nope")`}, graph.Invalid, nil, -1, false},
		{"graphql", graph.LangQuery{Language: graph.GraphQL, Text: `{ nodes(id: <https://example.org/a>) { id <https://example.org/p> { id } } }`}, -1, []string{"https://example.org/b"}, 1, false},
		{"graphql values", graph.LangQuery{Language: graph.GraphQL, Text: `{ nodes(id: <https://example.org/a>) { <https://example.org/name> <https://example.org/p> { <https://example.org/name> } } }`}, -1, []string{`"<https://example.org/name>":"A"`, `{"@language":"fr","@value":"Bé"}`}, 1, false},
		{"graphql limit", graph.LangQuery{Language: graph.GraphQL, Text: `{ nodes { id } }`, Limit: 2}, -1, nil, 1, true},
		{"graphql mutation", graph.LangQuery{Language: graph.GraphQL, Text: `mutation { nodes { id } }`}, graph.Invalid, nil, -1, false},
		{"graphql syntax", graph.LangQuery{Language: graph.GraphQL, Text: `{ nodes { id }`}, graph.Invalid, nil, -1, false},
		{"empty", graph.LangQuery{Language: graph.Gizmo, Text: "  "}, graph.Invalid, nil, -1, false},
		{"unknown language", graph.LangQuery{Language: "sparql", Text: "SELECT"}, graph.Invalid, nil, -1, false},
		{"too long", graph.LangQuery{Language: graph.Gizmo, Text: strings.Repeat(" ", graph.MaxQueryText) + "g.V()"}, graph.TooLarge, nil, -1, false},
		{"limit over max", graph.LangQuery{Language: graph.Gizmo, Text: "g.V().All()", Limit: 1 << 20}, graph.Invalid, nil, -1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := s.Query(context.Background(), tc.q)
			if tc.kind >= 0 {
				if err == nil || graph.KindOf(err) != tc.kind {
					t.Fatalf("Query(%q) = %v, %v; want kind %v", tc.q.Text, res, err, tc.kind)
				}
				return
			}
			if err != nil {
				t.Fatalf("Query(%q): %v", tc.q.Text, err)
			}
			var all []string
			for _, r := range res.Results {
				all = append(all, string(r))
			}
			joined := strings.Join(all, "\n")
			for _, w := range tc.want {
				if !strings.Contains(joined, w) {
					t.Errorf("Query(%q) = %s, want it to contain %q", tc.q.Text, joined, w)
				}
			}
			if tc.n >= 0 && len(res.Results) != tc.n || res.Truncated != tc.truncated {
				t.Errorf("Query(%q) = %d results (truncated %v), want %d (truncated %v)", tc.q.Text, len(res.Results), res.Truncated, tc.n, tc.truncated)
			}
			if tc.q.Language == graph.GraphQL && tc.truncated {
				var doc struct {
					Data struct{ Nodes []json.RawMessage }
				}
				if err := json.Unmarshal(res.Results[0], &doc); err != nil || len(doc.Data.Nodes) != tc.q.Limit {
					t.Errorf("Query(%q) data = %s (%v), want %d nodes", tc.q.Text, res.Results[0], err, tc.q.Limit)
				}
			}
		})
	}
}

// TestGizmoCannotWrite tries what a script could reach for to change the
// store; every attempt fails and the store keeps its five quads.
func TestGizmoCannotWrite(t *testing.T) {
	s := langStore(t)
	ctx := context.Background()
	scripts := []string{
		`g.AddQuad("<x>", "<y>", "<z>")`,
		`graph.addQuad("<x>", "<y>", "<z>")`,
		`g.s.qs.ApplyDeltas([])`,
		`g.V().s.qs.NewQuadWriter()`,
		`g.V().path.Write()`,
		`g.Write([{subject: "<x>", predicate: "<y>", object: "<z>"}])`,
		`g.V("<https://example.org/a>").Out("<https://example.org/p>").Delete()`,
		`g.V().RemoveQuad("<https://example.org/a>", "<https://example.org/p>", "<https://example.org/b>")`,
	}
	for _, sc := range scripts {
		if _, err := s.Query(ctx, graph.LangQuery{Language: graph.Gizmo, Text: sc}); graph.KindOf(err) != graph.Invalid {
			t.Errorf("Query(%q) = %v, want the script to fail (Invalid)", sc, err)
		}
	}
	st, err := s.Stats(ctx)
	if err != nil || st.Quads != 5 {
		t.Errorf("after write attempts: %d quads, %v; want the 5 quads unchanged", st.Quads, err)
	}
}

// TestQueriesStopAtDeadline runs scripts and queries that would not end
// for minutes.
func TestQueriesStopAtDeadline(t *testing.T) {
	s := loadGenerated(t, graph.Memory, gen.Config{Regions: 8, Seed: 1})
	m := "<https://w3id.org/innograph/ontology#memberOf>"
	scripts := map[string]graph.LangQuery{
		"busy loop":       {Language: graph.Gizmo, Text: `while (true) {}`},
		"recursive walks": {Language: graph.Gizmo, Text: `var n = 0; while (true) { g.V().FollowRecursive(g.M().Both(), 12).ForEach(function(x){ n++ }) }`},
		"growing array":   {Language: graph.Gizmo, Text: `var a = []; while (true) { a.push(g.V().ToArray()) }`},
		// Members of what members of what every node is a member of:
		// 1000 objects per level, five levels.
		"graphql nesting": {Language: graph.GraphQL, Limit: 1000, Text: `{ nodes { id ` + m + ` { id ` + m + ` @rev { id ` + m + ` { id ` + m + ` @rev { id } } } } } }`},
	}
	for name, q := range scripts {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			before := runtime.NumGoroutine()
			start := time.Now()
			_, err := s.Query(ctx, q)
			took := time.Since(start)
			// The script's goroutine has closed its channel and is
			// returning; give it a moment to be gone.
			for i := 0; i < 100 && runtime.NumGoroutine() > before; i++ {
				time.Sleep(time.Millisecond)
			}
			if n := runtime.NumGoroutine(); n > before {
				buf := make([]byte, 1<<16)
				t.Errorf("%s: %d goroutines after Query returned, %d before: the script still runs\n%s", name, n, before, buf[:runtime.Stack(buf, true)])
			}
			if took > 3*time.Second {
				t.Errorf("%s returned %v after it started, want soon after the 300ms deadline", name, took)
			}
			if graph.KindOf(err) != graph.Timeout {
				t.Errorf("%s: %v (kind %v), want a timeout", name, err, graph.KindOf(err))
			}
		})
	}
	if _, err := s.Query(context.Background(), graph.LangQuery{Language: graph.Gizmo, Text: `g.V().Limit(1).All()`}); err != nil {
		t.Errorf("a query after the timeouts: %v", err)
	}
}
