package graph

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
	"github.com/innograph/innograph/graph/internal/memindex"
)

// The engine's own tests: each algorithm over a reader of a few quads in
// memory (memindex.FromQuads), with no store.

const ex = "https://example.org/"

// over is a querier running queries over the quads.
func over(quads ...quad.Quad) querier {
	src := memindex.FromQuads(quads)
	return func(ctx context.Context, op string, lim QueryLimits, fn func(w *walker) error) error {
		r, err := src.Reader(ctx)
		if err != nil {
			return err
		}
		defer r.Close()
		w, err := newWalker(ctx, op, r, lim)
		if err != nil {
			return err
		}
		return fn(w)
	}
}

// chainGraph is a ladder: a0-a1-...-a9 by ex:next, each ai typed ex:A,
// labelled, and all linked to the hub by ex:in.
func chainGraph() []quad.Quad {
	typ, lbl := frontier.RDFType, frontier.RDFSLabel
	var qs []quad.Quad
	for i := 0; i < 10; i++ {
		n := quad.IRI(fmt.Sprintf("%sa%d", ex, i))
		qs = append(qs,
			quad.Quad{Subject: n, Predicate: typ, Object: quad.IRI(ex + "A")},
			quad.Quad{Subject: n, Predicate: lbl, Object: quad.LangString{Value: quad.String(fmt.Sprintf("a %d", i)), Lang: "de"}},
			quad.Quad{Subject: n, Predicate: lbl, Object: quad.String(fmt.Sprintf("A%d", i))},
			quad.Quad{Subject: n, Predicate: quad.IRI(ex + "in"), Object: quad.IRI(ex + "hub")},
		)
		if i > 0 {
			qs = append(qs, quad.Quad{Subject: quad.IRI(fmt.Sprintf("%sa%d", ex, i-1)), Predicate: quad.IRI(ex + "next"), Object: n})
		}
	}
	qs = append(qs, quad.Quad{Subject: quad.IRI(ex + "hub"), Predicate: typ, Object: quad.IRI(ex + "Hub")})
	return qs
}

func TestEngineShortest(t *testing.T) {
	q := over(chainGraph()...)
	res, err := shortestPaths(context.Background(), q, ShortestQuery{From: ex + "a0", To: ex + "a3", Predicates: []string{ex + "next"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Hops != 3 || len(res.Paths) != 1 || res.Paths[0].Nodes[1].ID != ex+"a1" || res.Paths[0].Nodes[1].Label != "A1" {
		t.Errorf("shortest a0-a3 by next = %+v, want the 3-hop chain with untagged labels", res)
	}
	res, err = shortestPaths(context.Background(), q, ShortestQuery{From: ex + "a0", To: ex + "a3"})
	if err != nil || res.Hops != 2 {
		t.Errorf("shortest a0-a3 = %+v, %v; want 2 hops through the hub", res, err)
	}
}

func TestEngineNeighbourhood(t *testing.T) {
	g, err := neighbourhoodOf(context.Background(), over(chainGraph()...), NeighbourhoodQuery{ID: ex + "a0", Hops: 1})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, n := range g.Nodes {
		ids = append(ids, strings.TrimPrefix(n.ID, ex))
	}
	if got := strings.Join(ids, " "); got != "a0 a1 hub" {
		t.Errorf("neighbourhood of a0 = %s, want a0 a1 hub", got)
	}
}

// TestEnginePaging pages through a pattern's matches, a connection's
// pairs and entities one at a time and checks the pages join up to the
// whole answer, each page resuming from its cursor.
func TestEnginePaging(t *testing.T) {
	ctx := context.Background()
	q := over(chainGraph()...)
	p := Pattern{Start: Start{Type: ex + "A"}, Steps: []Step{{Predicates: []string{ex + "next"}, Repeat: &Repeat{Min: 1, Max: 3}}}}
	for _, form := range []ResultForm{Tuples, EndNodes} {
		p.Result, p.Limit, p.Cursor = form, 100, ""
		whole, err := paths(ctx, q, p)
		if err != nil {
			t.Fatal(err)
		}
		want := patternItems(whole)
		var got []string
		p.Limit = 1
		for i := 0; ; i++ {
			r, err := paths(ctx, q, p)
			if err != nil {
				t.Fatalf("%s page %d: %v", form, i, err)
			}
			got = append(got, patternItems(r)...)
			if r.Next == "" {
				break
			}
			p.Cursor = r.Next
		}
		if fmt.Sprint(got) != fmt.Sprint(want) || len(want) < 9 {
			t.Errorf("%s paged one by one = %v, want %v", form, got, want)
		}
	}

	// A pattern of no steps: each match is its start alone.
	p = Pattern{Start: Start{IDs: []string{ex + "a0", ex + "a1", ex + "a2"}}, Limit: 1}
	var starts []string
	for i := 0; i < 5; i++ {
		r, err := paths(ctx, q, p)
		if err != nil {
			t.Fatal(err)
		}
		starts = append(starts, patternItems(r)...)
		if r.Next == "" {
			break
		}
		p.Cursor = r.Next
	}
	if got := strings.Join(starts, "|"); got != "a0 |a1 |a2 " {
		t.Errorf("no-step pattern paged = %q, want a0, a1, a2", got)
	}

	cq := ConnectionQuery{From: ex + "A", To: ex + "A", Through: ex + "hub", Limit: 100}
	whole, err := connections(ctx, q, cq)
	if err != nil || len(whole.Pairs) != 90 {
		t.Fatalf("connections through the hub = %d pairs, %v; want 90", len(whole.Pairs), err)
	}
	cq.Limit = 7
	var pairs []string
	for {
		page, err := connections(ctx, q, cq)
		if err != nil {
			t.Fatal(err)
		}
		for _, pr := range page.Pairs {
			pairs = append(pairs, pr.From.ID+" "+pr.To.ID)
		}
		if page.Next == "" {
			break
		}
		cq.Cursor = page.Next
	}
	var want []string
	for _, pr := range whole.Pairs {
		want = append(want, pr.From.ID+" "+pr.To.ID)
	}
	if fmt.Sprint(pairs) != fmt.Sprint(want) {
		t.Errorf("paged pairs = %v, want %v", pairs, want)
	}

	eq := EntityQuery{Type: ex + "A", Limit: 3}
	var ents []string
	for {
		page, err := entities(ctx, q, eq)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range page.Entities {
			ents = append(ents, n.ID)
		}
		if page.Next == "" {
			break
		}
		eq.Cursor = page.Next
	}
	if len(ents) != 10 {
		t.Errorf("paged entities = %v, want the 10 instances", ents)
	}
}

func patternItems(r PatternResult) []string {
	var out []string
	for _, m := range r.Matches {
		var b strings.Builder
		for _, n := range m.Path.Nodes {
			b.WriteString(strings.TrimPrefix(n.ID, ex) + " ")
		}
		out = append(out, b.String())
	}
	for _, n := range r.Nodes {
		out = append(out, n.ID)
	}
	return out
}

// TestEngineBadCursors: a cursor that is not the next of the same query
// (garbage, edited, from another query, the old offset form with a huge
// offset, a walk that does not fit the pattern) is Invalid, never a
// panic.
func TestEngineBadCursors(t *testing.T) {
	ctx := context.Background()
	q := over(chainGraph()...)
	cq := ConnectionQuery{From: ex + "A", To: ex + "A", Through: ex + "hub", Limit: 2}
	page, err := connections(ctx, q, cq)
	if err != nil || page.Next == "" {
		t.Fatalf("connections page 1 = %+v, %v", page, err)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(page.Next)
	hash := queryHash(cq.From, cq.To, cq.Through, DefaultConnectionHops)
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	p := Pattern{Start: Start{IDs: []string{ex + "a0"}}, Steps: []Step{{Predicates: []string{ex + "next"}}}}
	phash := queryHash(p.Start, p.Steps, p.Result)
	for name, c := range map[string]string{
		"garbage":         "!!",
		"not JSON":        b64("hello"),
		"edited":          b64(strings.Replace(string(raw), ex, ex+"x", 1)),
		"huge offset":     b64(fmt.Sprintf(`{"k":"connections","q":%d,"o":9223372036854775807}`, hash)),
		"negative offset": b64(fmt.Sprintf(`{"k":"connections","q":%d,"o":-5}`, hash)),
		"other query":     encodeCursor("connections", hash+1, []string{"a", "b"}),
		"short position":  encodeCursor("connections", hash, []string{"a"}),
		"too long":        strings.Repeat("A", maxCursor+1),
	} {
		cq.Cursor = c
		if _, err := connections(ctx, q, cq); KindOf(err) != Invalid {
			t.Errorf("connections with a %s cursor: %v, want Invalid", name, err)
		}
	}
	for name, c := range map[string]string{
		"start out of range": encodeCursor("paths", phash, []string{"7", "out", ex + "next", ex + "a1", "+"}),
		"start not a number": encodeCursor("paths", phash, []string{"x", "out", ex + "next", ex + "a1", "+"}),
		"too few advances":   encodeCursor("paths", phash, []string{"0", "out", ex + "next", ex + "a1"}),
		"too many hops":      encodeCursor("paths", phash, []string{"0", "out", ex + "next", ex + "a1", "out", ex + "next", ex + "a2", "+"}),
		"cut hop":            encodeCursor("paths", phash, []string{"0", "out", ex + "next"}),
		"unknown move":       encodeCursor("paths", phash, []string{"0", "sideways", "+"}),
	} {
		p.Cursor = c
		if _, err := paths(ctx, q, p); KindOf(err) != Invalid {
			t.Errorf("paths with a %s cursor: %v, want Invalid", name, err)
		}
	}
}

// TestAnswerRoundTrip: json.Marshal's form of an answer reads back whole.
func TestAnswerRoundTrip(t *testing.T) {
	ctx := context.Background()
	q := over(chainGraph()...)
	page, err := connections(ctx, q, ConnectionQuery{From: ex + "A", To: ex + "A", Through: ex + "hub", Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(page)
	var back ConnectionPage
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, page) {
		t.Errorf("ConnectionPage round trip = %+v, %v; want %+v", back, err, page)
	}
	res, err := paths(ctx, q, Pattern{Start: Start{Type: ex + "A"}, Steps: []Step{{Predicates: []string{ex + "in"}}}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ = json.Marshal(res)
	var rback PatternResult
	if err := json.Unmarshal(b, &rback); err != nil || !reflect.DeepEqual(rback, res) {
		t.Errorf("PatternResult round trip = %+v, %v; want %+v", rback, err, res)
	}
}
