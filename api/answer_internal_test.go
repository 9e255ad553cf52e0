package api

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"reflect"
	"strconv"
	"testing"

	"github.com/innograph/innograph/graph"
)

// TestAnswerLength writes answers below and above answerChunk through one
// Server, whose pooled writer serves them all: a short answer carries its
// Content-Length, a long one streams without one, and each decodes to
// what was written, with nothing left over from the answer before.
func TestAnswerLength(t *testing.T) {
	s := &Server{}
	subgraph := func(n int) graph.Subgraph {
		g := graph.Subgraph{Nodes: []graph.Node{}, Edges: []graph.Edge{}}
		for i := range n {
			id := fmt.Sprintf("https://example.org/node/%06d", i)
			g.Nodes = append(g.Nodes, graph.Node{ID: id, Label: "a node", Types: []string{"https://example.org/T"}})
			g.Edges = append(g.Edges, graph.Edge{From: id, To: "https://example.org/hub", Predicate: "https://example.org/p", Direction: graph.Out})
		}
		return g
	}
	short := graph.ShortestResult{Hops: 1, Paths: []graph.Path{{
		Nodes: []graph.Node{{ID: "https://example.org/a", Label: "A"}, {ID: "https://example.org/b"}},
		Edges: []graph.Edge{{From: "https://example.org/a", To: "https://example.org/b", Predicate: "https://example.org/p", Direction: graph.Out}},
	}}}
	for _, tc := range []struct {
		name   string
		v      any
		length bool
	}{
		{"shortest", short, true},
		{"big subgraph", subgraph(2000), false},
		{"small subgraph", subgraph(3), true},
		{"shortest again", short, true},
	} {
		rec := httptest.NewRecorder()
		if err := s.writeAnswerJSON(rec, rec.Header(), tc.v); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		body := rec.Body.Bytes()
		cl := rec.Header().Get("Content-Length")
		switch {
		case tc.length && cl != strconv.Itoa(len(body)):
			t.Errorf("%s: Content-Length %q for %d bytes", tc.name, cl, len(body))
		case !tc.length && (cl != "" || len(body) <= answerChunk):
			t.Errorf("%s: Content-Length %q for %d bytes, want none for more than %d", tc.name, cl, len(body), answerChunk)
		}
		switch v := tc.v.(type) {
		case graph.ShortestResult:
			var got graph.ShortestResult
			if err := json.Unmarshal(body, &got); err != nil || !reflect.DeepEqual(got, v) {
				t.Errorf("%s: decoded %+v, %v; want %+v\n%s", tc.name, got, err, v, body)
			}
		case graph.Subgraph:
			var got graph.Subgraph
			if err := json.Unmarshal(body, &got); err != nil || !reflect.DeepEqual(got, v) {
				t.Errorf("%s: decoded %d nodes, %d edges, %v; want %d, %d", tc.name, len(got.Nodes), len(got.Edges), err, len(v.Nodes), len(v.Edges))
			}
		}
	}
}
