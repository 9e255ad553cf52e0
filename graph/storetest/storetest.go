package storetest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
)

// Opener opens a fresh, empty store for one test. Reopen, when not nil,
// closes nothing itself: it opens the same store again after the test closed
// the first handle (persistent backends only).
type Opener struct {
	Open   func(tb testing.TB) *graph.Store
	Reopen func(tb testing.TB) *graph.Store
	// Load makes the suite add its quads with Store.Load in small
	// batches rather than Store.Write, so that the first quads of each
	// store go in through the backend's bulk load into an empty store.
	Load bool
}

const (
	ex  = "https://example.org/"
	xsd = "http://www.w3.org/2001/XMLSchema#"
)

func iri(s string) quad.IRI { return quad.IRI(ex + s) }

// sample is a small dataset covering every term kind and two named graphs.
func sample() []quad.Quad {
	g1, g2 := iri("graph/1"), iri("graph/2")
	return []quad.Quad{
		{Subject: iri("a"), Predicate: iri("p"), Object: iri("b"), Label: g1},
		{Subject: iri("a"), Predicate: iri("name"), Object: quad.String("Århus \"quoted\"\n"), Label: g1},
		{Subject: iri("a"), Predicate: iri("name"), Object: quad.LangString{Value: "Aarhus Universitet", Lang: "da"}, Label: g1},
		{Subject: iri("a"), Predicate: iri("n"), Object: quad.TypedString{Value: "01", Type: xsd + "integer"}, Label: g1},
		{Subject: iri("a"), Predicate: iri("d"), Object: quad.TypedString{Value: "1.50", Type: xsd + "decimal"}, Label: g2},
		{Subject: quad.BNode("x1"), Predicate: iri("p"), Object: iri("a"), Label: g2},
		{Subject: iri("b"), Predicate: iri("p"), Object: iri("c")},
	}
}

// keys renders quads as sorted N-Quads-like lines so sets compare simply.
func keys(qs []quad.Quad) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.NQuad()
	}
	sort.Strings(out)
	return out
}

func all(tb testing.TB, s *graph.Store, sel graph.Selection) []quad.Quad {
	tb.Helper()
	var out []quad.Quad
	if err := s.EachQuad(context.Background(), sel, func(q quad.Quad) error {
		out = append(out, q)
		return nil
	}); err != nil {
		tb.Fatalf("EachQuad: %v", err)
	}
	return out
}

func (o Opener) add(tb testing.TB, s *graph.Store, qs []quad.Quad) {
	tb.Helper()
	if o.Load {
		if n, err := s.Load(context.Background(), quad.NewReader(qs), graph.LoadOptions{BatchSize: 5}); err != nil || n != int64(len(qs)) {
			tb.Fatalf("Load = %d, %v; want %d, nil", n, err, len(qs))
		}
		return
	}
	if err := s.Write(context.Background(), func(b *graph.Batch) error {
		for _, q := range qs {
			b.Add(q)
		}
		return nil
	}); err != nil {
		tb.Fatalf("Write: %v", err)
	}
}

func sameSet(tb testing.TB, what string, got, want []quad.Quad) {
	tb.Helper()
	g, w := keys(got), keys(want)
	if fmt.Sprint(g) != fmt.Sprint(w) {
		tb.Errorf("%s:\n got %d quads %q\nwant %d quads %q", what, len(g), g, len(w), w)
	}
}

type test struct {
	name string
	run  func(t *testing.T, o Opener)
}

var tests = []test{
	{"EmptyStore", func(t *testing.T, o Opener) {
		s := o.Open(t)
		st, err := s.Stats(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if st.Quads != 0 || st.Subjects != 0 || len(st.Graphs) != 0 {
			t.Errorf("Stats() on empty store = %+v, want zeros", st)
		}
		if err := s.Ping(context.Background()); err != nil {
			t.Errorf("Ping() = %v", err)
		}
	}},
	{"WriteAndReadBack", func(t *testing.T, o Opener) {
		s := o.Open(t)
		o.add(t, s, sample())
		sameSet(t, "EachQuad(all)", all(t, s, graph.Selection{}), sample())
	}},
	{"LexicalFormsKept", func(t *testing.T, o Opener) {
		s := o.Open(t)
		o.add(t, s, sample())
		found := 0
		for _, q := range all(t, s, graph.Selection{}) {
			if q.Predicate == iri("n") {
				found++
				if q.Object != (quad.TypedString{Value: "01", Type: xsd + "integer"}) {
					t.Errorf("typed literal came back as %#v, want lexical form \"01\" kept", q.Object)
				}
			}
		}
		if found != 1 {
			t.Errorf("%d quads with the typed literal came back, want 1", found)
		}
	}},
	{"GraphSelection", func(t *testing.T, o Opener) {
		s := o.Open(t)
		o.add(t, s, sample())
		var want []quad.Quad
		for _, q := range sample() {
			if q.Label == iri("graph/2") {
				want = append(want, q)
			}
		}
		sameSet(t, "EachQuad(graph/2)", all(t, s, graph.Selection{Graph: iri("graph/2")}), want)
		if got := all(t, s, graph.Selection{Graph: iri("graph/none")}); len(got) != 0 {
			t.Errorf("EachQuad(unknown graph) = %d quads, want 0", len(got))
		}
	}},
	{"TypeSelection", func(t *testing.T, o Opener) {
		s := o.Open(t)
		rdfType := quad.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
		g1, g2 := iri("graph/1"), iri("graph/2")
		typed := []quad.Quad{
			// a is a Thing in two graphs: described once, with its amount.
			{Subject: iri("a"), Predicate: rdfType, Object: iri("Thing"), Label: g1},
			{Subject: iri("a"), Predicate: rdfType, Object: iri("Thing"), Label: g2},
			{Subject: iri("a"), Predicate: iri("amount"), Object: quad.BNode("m1"), Label: g2},
			{Subject: quad.BNode("m1"), Predicate: iri("value"), Object: quad.String("9"), Label: g2},
			{Subject: quad.BNode("m1"), Predicate: iri("next"), Object: quad.BNode("m2"), Label: g2},
			{Subject: quad.BNode("m2"), Predicate: iri("value"), Object: quad.String("10"), Label: g2},
			{Subject: iri("b"), Predicate: rdfType, Object: iri("Thing")},
			{Subject: iri("c"), Predicate: rdfType, Object: iri("Other"), Label: g1},
			{Subject: iri("c"), Predicate: iri("p"), Object: iri("a"), Label: g1},
		}
		data := append(sample(), typed...)
		o.add(t, s, data)
		var want, wantG2 []quad.Quad
		for _, q := range data {
			subj := q.Subject
			if subj == iri("a") || subj == iri("b") || subj == quad.BNode("m1") || subj == quad.BNode("m2") {
				want = append(want, q)
				if q.Label == g2 {
					wantG2 = append(wantG2, q)
				}
			}
		}
		got := all(t, s, graph.Selection{Type: iri("Thing")})
		if len(got) != len(want) {
			t.Errorf("EachQuad(type Thing) = %d quads, want %d (each description once)", len(got), len(want))
		}
		sameSet(t, "EachQuad(type Thing)", got, want)
		sameSet(t, "EachQuad(type Thing, graph/2)", all(t, s, graph.Selection{Type: iri("Thing"), Graph: g2}), wantG2)
		if got := all(t, s, graph.Selection{Type: iri("Nothing")}); len(got) != 0 {
			t.Errorf("EachQuad(unknown type) = %d quads, want 0", len(got))
		}
		if ok, err := s.Has(context.Background(), iri("Thing")); !ok || err != nil {
			t.Errorf("Has(Thing) = %v, %v; want true", ok, err)
		}
		if ok, err := s.Has(context.Background(), iri("Nothing")); ok || err != nil {
			t.Errorf("Has(Nothing) = %v, %v; want false", ok, err)
		}
	}},
	{"Stats", func(t *testing.T, o Opener) {
		s := o.Open(t)
		o.add(t, s, sample())
		st, err := s.Stats(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if st.Quads != 7 || st.Subjects != 3 {
			t.Errorf("Stats() = %d quads, %d subjects; want 7, 3", st.Quads, st.Subjects)
		}
		want := []graph.GraphStats{{Graph: "", Quads: 1}, {Graph: ex + "graph/1", Quads: 4}, {Graph: ex + "graph/2", Quads: 2}}
		if fmt.Sprint(st.Graphs) != fmt.Sprint(want) {
			t.Errorf("Stats().Graphs = %v, want %v", st.Graphs, want)
		}
		typ := quad.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
		o.add(t, s, []quad.Quad{
			{Subject: iri("a"), Predicate: typ, Object: iri("Org"), Label: iri("graph/1")},
			{Subject: iri("a"), Predicate: typ, Object: iri("Org"), Label: iri("graph/2")},
			{Subject: iri("b"), Predicate: typ, Object: iri("Org")},
			{Subject: iri("b"), Predicate: typ, Object: iri("Region")},
		})
		st, err = s.Stats(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		wantClasses := []graph.ClassStats{{Class: ex + "Org", Entities: 2}, {Class: ex + "Region", Entities: 1}}
		if st.Quads != 11 || fmt.Sprint(st.Classes) != fmt.Sprint(wantClasses) {
			t.Errorf("Stats() after typing = %d quads, classes %v; want 11, %v (the cache must see writes)", st.Quads, st.Classes, wantClasses)
		}
	}},
	{"DuplicatesIgnored", func(t *testing.T, o Opener) {
		s := o.Open(t)
		o.add(t, s, sample())
		o.add(t, s, sample())
		o.add(t, s, append(sample(), sample()...))
		if got := all(t, s, graph.Selection{}); len(got) != len(sample()) {
			t.Errorf("after loading the same quads three times: %d quads, want %d", len(got), len(sample()))
		}
	}},
	{"FailedBatchAppliesNothing", func(t *testing.T, o Opener) {
		s := o.Open(t)
		boom := errors.New("boom")
		err := s.Write(context.Background(), func(b *graph.Batch) error {
			for _, q := range sample() {
				b.Add(q)
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Errorf("Write() = %v, want the closure's error", err)
		}
		err = s.Write(context.Background(), func(b *graph.Batch) error {
			for _, q := range sample() {
				b.Add(q)
			}
			b.Add(quad.Quad{Subject: iri("a"), Predicate: iri("p")}) // no object
			return nil
		})
		if graph.KindOf(err) != graph.Invalid {
			t.Errorf("Write(invalid quad) = %v (kind %v), want kind invalid", err, graph.KindOf(err))
		}
		if got := all(t, s, graph.Selection{}); len(got) != 0 {
			t.Errorf("after failed batches: %d quads stored, want 0", len(got))
		}
	}},
	{"Remove", func(t *testing.T, o Opener) {
		s := o.Open(t)
		o.add(t, s, sample())
		gone := sample()[:2]
		if err := s.Write(context.Background(), func(b *graph.Batch) error {
			for _, q := range gone {
				b.Remove(q)
			}
			b.Remove(quad.Quad{Subject: iri("zz"), Predicate: iri("p"), Object: iri("zz")}) // missing: no-op
			return nil
		}); err != nil {
			t.Fatalf("Write(remove) = %v", err)
		}
		sameSet(t, "after remove", all(t, s, graph.Selection{}), sample()[2:])
	}},
	{"CancelledRead", func(t *testing.T, o Opener) {
		s := o.Open(t)
		o.add(t, s, sample())
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := s.EachQuad(ctx, graph.Selection{}, func(quad.Quad) error { return nil })
		if graph.KindOf(err) != graph.Timeout {
			t.Errorf("EachQuad(cancelled ctx) = %v, want a timeout error", err)
		}
	}},
	{"Load", func(t *testing.T, o Opener) {
		s := o.Open(t)
		var batches []int64
		n, err := s.Load(context.Background(), quad.NewReader(sample()), graph.LoadOptions{BatchSize: 3, Progress: func(n int64) { batches = append(batches, n) }})
		if err != nil || n != 7 {
			t.Fatalf("Load() = %d, %v; want 7, nil", n, err)
		}
		if fmt.Sprint(batches) != "[3 6 7]" {
			t.Errorf("progress after batches = %v, want [3 6 7]", batches)
		}
		sameSet(t, "after Load", all(t, s, graph.Selection{}), sample())
	}},
	{"Describe", func(t *testing.T, o Opener) {
		s := o.Open(t)
		amount := quad.Quad{Subject: iri("a"), Predicate: iri("amount"), Object: quad.BNode("m1"), Label: iri("graph/1")}
		value := quad.Quad{Subject: quad.BNode("m1"), Predicate: iri("value"), Object: quad.TypedString{Value: "1.9", Type: xsd + "decimal"}, Label: iri("graph/1")}
		o.add(t, s, append(sample(), amount, value))
		d, err := s.Describe(context.Background(), iri("a"))
		if err != nil {
			t.Fatalf("Describe(a) = %v", err)
		}
		var want []quad.Quad
		for _, q := range sample() {
			if q.Subject == iri("a") {
				want = append(want, q)
			}
		}
		// The blank node _:x1 points at a: its description comes along.
		sameSet(t, "Describe(a).Quads", d.Quads, append(want, amount, value, sample()[5]))
		sameSet(t, "Describe(a).Incoming", d.Incoming, []quad.Quad{sample()[5]})
		if _, err := s.Describe(context.Background(), iri("nobody")); graph.KindOf(err) != graph.NotFound {
			t.Errorf("Describe(unknown) = %v, want not found", err)
		}
		if d, err := s.Describe(context.Background(), iri("c")); err != nil || len(d.Quads) != 0 || len(d.Incoming) != 1 {
			t.Errorf("Describe(c) = %+v, %v; want only one incoming quad", d, err)
		}
	}},
	{"ClosedStore", func(t *testing.T, o Opener) {
		s := o.Open(t)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Errorf("second Close() = %v, want nil", err)
		}
		if err := s.Ping(context.Background()); graph.KindOf(err) != graph.Unavailable {
			t.Errorf("Ping() after Close = %v, want unavailable", err)
		}
	}},
	{"Persistence", func(t *testing.T, o Opener) {
		if o.Reopen == nil {
			t.Skip("backend does not persist")
		}
		s := o.Open(t)
		o.add(t, s, sample())
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		s2 := o.Reopen(t)
		sameSet(t, "after reopen", all(t, s2, graph.Selection{}), sample())
	}},
	{"PathQueries", pathQueries},
}

// Run runs the whole suite against the backend o opens.
func Run(t *testing.T, o Opener) {
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, o) })
	}
}
