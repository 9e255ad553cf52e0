package memindex

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
	"github.com/innograph/innograph/graph/frontier/frontiertest"
)

// The suite runs against indexes that reach the same quads by different
// paths, so that answers merged from the base and the runs of changes over
// it are checked as well as a plain built base.
func TestFrontier(t *testing.T) {
	openers := []struct {
		name string
		open func(t testing.TB, quads []quad.Quad) *Index
	}{
		{"Built", func(t testing.TB, quads []quad.Quad) *Index { return FromQuads(quads) }},
		{"Applied", func(t testing.TB, quads []quad.Quad) *Index {
			x := New()
			applyInBatches(t, x, quads, nil, 7)
			return x
		}},
		{"Churned", churned},
		{"ChurnedCompacted", func(t testing.TB, quads []quad.Quad) *Index {
			x := churned(t, quads)
			if err := x.Compact(context.Background()); err != nil {
				t.Fatal(err)
			}
			if n := len(x.cur.Load().runs); n != 0 {
				t.Fatalf("%d runs left after Compact", n)
			}
			return x
		}},
		{"ChurnedManyRuns", func(t testing.TB, quads []quad.Quad) *Index {
			// No merging: quads toggled in several runs are resolved
			// at read time.
			x := FromQuads(quads[:len(quads)/3])
			x.maxRuns, x.mergeRatio = 64, 0
			churnInto(t, x, quads)
			if n := len(x.cur.Load().runs); len(quads) > 100 && n < 10 {
				t.Errorf("%d runs, want many", n)
			}
			return x
		}},
		{"ChurnedBackground", func(t testing.TB, quads []quad.Quad) *Index {
			x := New()
			x.compactMin, x.compactDiv = 16, 1
			churnInto(t, x, quads)
			return x
		}},
	}
	for _, o := range openers {
		t.Run(o.name, func(t *testing.T) {
			frontiertest.Run(t, func(t testing.TB, quads []quad.Quad) frontier.Source {
				x := o.open(t, quads)
				if got, want := x.Len(), distinct(quads); got != want {
					t.Errorf("Len() = %d, want %d", got, want)
				}
				return x
			})
		})
	}
}

func distinct(quads []quad.Quad) int64 {
	seen := map[quad.Quad]bool{}
	for _, q := range quads {
		seen[q] = true
	}
	return int64(len(seen))
}

func applyInBatches(t testing.TB, x *Index, adds, removes []quad.Quad, size int) {
	t.Helper()
	for len(adds) > 0 || len(removes) > 0 {
		a, r := min(size, len(adds)), min(size, len(removes))
		if err := x.Apply(context.Background(), adds[:a], removes[:r]); err != nil {
			t.Fatalf("Apply: %v", err)
		}
		adds, removes = adds[a:], removes[r:]
	}
}

// churned builds an index from half of quads and quads that do not belong,
// then reaches quads by Applies that remove, re-add and add in batches of
// varied size.
func churned(t testing.TB, quads []quad.Quad) *Index {
	half := len(quads) / 2
	x := FromQuads(append(slices.Clone(quads[:half]), junk(20)...))
	churnInto(t, x, quads)
	return x
}

func churnInto(t testing.TB, x *Index, quads []quad.Quad) {
	t.Helper()
	rng := rand.New(rand.NewPCG(uint64(len(quads)), 5))
	size := func() int { return max(1+rng.IntN(40), len(quads)/40) } // so big datasets take few Applies
	shuffled := slices.Clone(quads)
	rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	// Add everything and more; remove the extra and a third of the rest;
	// add that third back, one batch also removing it again first.
	applyInBatches(t, x, append(slices.Clone(shuffled), junk(30)...), nil, size())
	third := shuffled[:len(shuffled)/3]
	applyInBatches(t, x, nil, append(junk(30), third...), size())
	half := third[:len(third)/2]
	if err := x.Apply(context.Background(), half, half); err != nil {
		t.Fatal(err)
	}
	applyInBatches(t, x, third[len(half):], nil, max(3, len(quads)/100))
	// The last few toggled one by one: removed, added, removed, added.
	last := shuffled[len(shuffled)-min(len(shuffled), 5):]
	for range 2 {
		applyInBatches(t, x, nil, last, 1)
		applyInBatches(t, x, last, nil, 1)
	}
}

// junk returns n quads no test dataset holds.
func junk(n int) []quad.Quad {
	var out []quad.Quad
	for i := range n {
		s := quad.IRI(fmt.Sprintf("http://junk.example/%d", i%7))
		out = append(out, quad.Quad{Subject: s, Predicate: frontier.RDFSLabel, Object: quad.LangString{Value: quad.String(fmt.Sprint("AAA", i)), Lang: "en"}, Label: quad.IRI("http://example.org/g1")},
			quad.Quad{Subject: quad.IRI("http://example.org/alice"), Predicate: frontier.RDFType, Object: quad.IRI(fmt.Sprint("http://junk.example/T", i))})
	}
	return out[:n]
}

func TestRadixSortHigh(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 5, 3000} {
		v := make([]uint64, n)
		for i := range v {
			v[i] = uint64(rng.Uint32())<<32 | uint64(i)
		}
		want := slices.Clone(v)
		slices.Sort(want) // indices are distinct and ascending, so this is the stable order
		got, _ := radixSortHigh(v, nil)
		if !slices.Equal(got, want) {
			t.Errorf("radixSortHigh of %d values is not sorted", n)
		}
	}
}

// Kinds reads a term's kind from its encoding, as Values would decode it.
func TestKinds(t *testing.T) {
	vals := []quad.Value{quad.IRI("http://example.org/s"), quad.BNode("b"), quad.String("x"),
		quad.LangString{Value: "x", Lang: "da"}, quad.TypedString{Value: "1", Type: "http://www.w3.org/2001/XMLSchema#integer"}}
	var quads []quad.Quad
	for _, v := range vals[1:] {
		quads = append(quads, quad.Quad{Subject: vals[0], Predicate: quad.IRI("http://example.org/p"), Object: v})
	}
	r, err := FromQuads(quads).Reader(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ids := make([]frontier.ID, len(vals))
	if err := r.Lookup(context.Background(), vals, ids); err != nil {
		t.Fatal(err)
	}
	ids = append(ids, 0, 1<<40)
	want := []frontier.Kind{frontier.KindIRI, frontier.KindBlank, frontier.KindLiteral, frontier.KindLiteral, frontier.KindLiteral, frontier.KindUnknown, frontier.KindUnknown}
	got := make([]frontier.Kind, len(ids))
	if err := r.(*reader).Kinds(context.Background(), ids, got); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("Kinds(%v) = %v, want %v", vals, got, want)
	}
}

// TestIRIs checks the kind test against the values themselves, for every
// kind of term, for IDs past the generation and for zero.
func TestIRIs(t *testing.T) {
	ctx := context.Background()
	ex := func(s string) quad.IRI { return quad.IRI("http://example.org/" + s) }
	x := FromQuads([]quad.Quad{
		{Subject: ex("a"), Predicate: ex("p"), Object: ex("b"), Label: ex("g")},
		{Subject: quad.BNode("x"), Predicate: ex("p"), Object: quad.String("plain")},
		{Subject: ex("a"), Predicate: frontier.RDFSLabel, Object: quad.LangString{Value: "A", Lang: "en"}},
		{Subject: ex("a"), Predicate: ex("year"), Object: quad.TypedString{Value: "2001", Type: "http://www.w3.org/2001/XMLSchema#gYear"}},
	})
	r, err := x.Reader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ids := []frontier.ID{0, 1 << 40}
	for id := frontier.ID(1); id < 20; id++ {
		ids = append(ids, id)
	}
	got := make([]bool, len(ids))
	if err := r.(*reader).IRIs(ctx, ids, got); err != nil {
		t.Fatal(err)
	}
	vals := make([]quad.Value, len(ids))
	if err := r.Values(ctx, ids, vals); err != nil {
		t.Fatal(err)
	}
	iris := 0
	for i, v := range vals {
		_, want := v.(quad.IRI)
		if got[i] != want {
			t.Errorf("IRIs says %v of ID %d (%v), want %v", got[i], ids[i], v, want)
		}
		if want {
			iris++
		}
	}
	if iris != 6 { // a, p, b, g, rdfs:label, year (a datatype is no term of its own)
		t.Errorf("%d IRIs among the IDs, want 6", iris)
	}
	r.Close()
	if err := r.(*reader).IRIs(ctx, ids, got); err == nil {
		t.Error("IRIs on a closed Reader succeeded")
	}
}

// TestIRIsMany checks the kind bits over several chunks of the
// dictionary, for terms of a build and of Applies after it, and that a
// Reader opened before an Apply knows nothing of its terms.
func TestIRIsMany(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 8))
	term := func(i int) quad.Value {
		switch rng.IntN(3) {
		case 0:
			return quad.IRI(fmt.Sprintf("http://example.org/n%d", i))
		case 1:
			return quad.BNode(fmt.Sprintf("b%d", i))
		}
		return quad.String(fmt.Sprintf("s%d", i))
	}
	var built, applied []quad.Quad
	for i := range 6000 {
		q := quad.Quad{Subject: quad.IRI(fmt.Sprintf("http://example.org/s%d", i%50)), Predicate: quad.IRI("http://example.org/p"), Object: term(i)}
		if i < 4500 {
			built = append(built, q)
		} else {
			applied = append(applied, q)
		}
	}
	x := FromQuads(built)
	old, err := x.Reader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	applyInBatches(t, x, applied, nil, 500)
	r, err := x.Reader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ids := make([]frontier.ID, 6200)
	for i := range ids {
		ids[i] = frontier.ID(i)
	}
	vals := make([]quad.Value, len(ids))
	if err := r.Values(ctx, ids, vals); err != nil {
		t.Fatal(err)
	}
	got := make([]bool, len(ids))
	if err := r.(*reader).IRIs(ctx, ids, got); err != nil {
		t.Fatal(err)
	}
	oldGot := make([]bool, len(ids))
	if err := old.(*reader).IRIs(ctx, ids, oldGot); err != nil {
		t.Fatal(err)
	}
	oldN := old.(*reader).st.terms.n
	kinds := map[bool]int{}
	for i, v := range vals {
		_, want := v.(quad.IRI)
		kinds[want]++
		if got[i] != want {
			t.Fatalf("IRIs says %v of ID %d (%v), want %v", got[i], ids[i], v, want)
		}
		if wantOld := want && uint32(ids[i]) <= oldN; oldGot[i] != wantOld {
			t.Fatalf("the Reader from before the Applies says %v of ID %d (%v), want %v", oldGot[i], ids[i], v, wantOld)
		}
	}
	if kinds[true] < 1000 || kinds[false] < 1000 {
		t.Errorf("kinds %v: the test holds too few of one", kinds)
	}
}
