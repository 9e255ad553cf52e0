package memindex

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
)

const ex = "http://example.org/"

func iri(s string) quad.IRI { return quad.IRI(ex + s) }

func qd(s, p, o string) quad.Quad {
	return quad.Quad{Subject: iri(s), Predicate: iri(p), Object: iri(o)}
}

// contents returns everything r holds, as sorted N-Quads lines.
func contents(t testing.TB, r frontier.Reader) []string {
	t.Helper()
	ctx := context.Background()
	var qs []frontier.Quad
	if err := r.All(ctx, func(q frontier.Quad) bool { qs = append(qs, q); return true }); err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(qs))
	for i, q := range qs {
		v := make([]quad.Value, 4)
		if err := r.Values(ctx, []frontier.ID{q.S, q.P, q.O, q.G}, v); err != nil {
			t.Fatal(err)
		}
		out[i] = quad.Quad{Subject: v[0], Predicate: v[1], Object: v[2], Label: v[3]}.NQuad()
	}
	slices.Sort(out)
	return out
}

func lines(qs ...quad.Quad) []string {
	var out []string
	for _, q := range qs {
		out = append(out, q.NQuad())
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func open(t testing.TB, x *Index) frontier.Reader {
	t.Helper()
	r, err := x.Reader(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func mustApply(t testing.TB, x *Index, adds, removes []quad.Quad) {
	t.Helper()
	if err := x.Apply(context.Background(), adds, removes); err != nil {
		t.Fatalf("Apply: %v", err)
	}
}

func TestApplySnapshot(t *testing.T) {
	a, b, c := qd("a", "p", "b"), qd("b", "p", "c"), qd("c", "p", "a")
	x := FromQuads([]quad.Quad{a, b})
	before := open(t, x)
	mustApply(t, x, []quad.Quad{c}, []quad.Quad{a})
	after := open(t, x)
	if got, want := contents(t, before), lines(a, b); !slices.Equal(got, want) {
		t.Errorf("Reader opened before Apply sees %q, want %q", got, want)
	}
	if got, want := contents(t, after), lines(b, c); !slices.Equal(got, want) {
		t.Errorf("Reader opened after Apply sees %q, want %q", got, want)
	}
	// The older Reader keeps its view through a compaction too.
	if err := x.Compact(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, want := contents(t, before), lines(a, b); !slices.Equal(got, want) {
		t.Errorf("after Compact, the first Reader sees %q, want %q", got, want)
	}
	if got, want := contents(t, open(t, x)), lines(b, c); !slices.Equal(got, want) {
		t.Errorf("after Compact, a new Reader sees %q, want %q", got, want)
	}
}

func TestApplySemantics(t *testing.T) {
	a, b, c := qd("a", "p", "b"), qd("b", "p", "c"), qd("c", "p", "a")
	tests := []struct {
		name          string
		adds, removes []quad.Quad
		want          []string
		changes       bool
	}{
		{"add present", []quad.Quad{a}, nil, lines(a, b), false},
		{"remove absent", nil, []quad.Quad{c}, lines(a, b), false},
		{"remove with an unknown value", nil, []quad.Quad{qd("zz", "p", "a")}, lines(a, b), false},
		{"add twice in one batch", []quad.Quad{c, c}, nil, lines(a, b, c), true},
		{"remove twice in one batch", nil, []quad.Quad{a, a}, lines(b), true},
		{"remove then add the same", []quad.Quad{a}, []quad.Quad{a}, lines(a, b), false},
		{"remove and add a new one", []quad.Quad{c}, []quad.Quad{c}, lines(a, b, c), true},
		{"empty", nil, nil, lines(a, b), false},
		{"swap", []quad.Quad{c}, []quad.Quad{a, b}, lines(c), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := FromQuads([]quad.Quad{a, b})
			mustApply(t, x, tc.adds, tc.removes)
			if got := contents(t, open(t, x)); !slices.Equal(got, tc.want) {
				t.Errorf("contents = %q, want %q", got, tc.want)
			}
			if got := x.Len(); got != int64(len(tc.want)) {
				t.Errorf("Len() = %d, want %d", got, len(tc.want))
			}
			if gen := x.Generation(); gen != map[bool]uint64{false: 0, true: 1}[tc.changes] {
				t.Errorf("Generation() = %d; the Apply changed something: %v", gen, tc.changes)
			}
		})
	}
}

// odd is a quad.Value that is no RDF term.
type odd string

func (o odd) String() string      { return string(o) }
func (o odd) Native() interface{} { return string(o) }

func TestApplyInvalid(t *testing.T) {
	good := qd("a", "p", "b")
	bad := []struct {
		name string
		q    quad.Quad
	}{
		{"no subject", quad.Quad{Predicate: iri("p"), Object: iri("o")}},
		{"no predicate", quad.Quad{Subject: iri("s"), Object: iri("o")}},
		{"no object", quad.Quad{Subject: iri("s"), Predicate: iri("p")}},
		{"not a term", quad.Quad{Subject: iri("s"), Predicate: iri("p"), Object: odd("x")}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			x := FromQuads([]quad.Quad{good})
			for _, lists := range [][2][]quad.Quad{{{qd("n", "p", "n"), tc.q}, nil}, {nil, {good, tc.q}}} {
				err := x.Apply(context.Background(), lists[0], lists[1])
				if !errors.Is(err, ErrInvalid) {
					t.Errorf("Apply(%v) = %v, want ErrInvalid", tc.q, err)
				}
			}
			if got := contents(t, open(t, x)); !slices.Equal(got, lines(good)) || x.Generation() != 0 {
				t.Errorf("after refused Applies: %q at generation %d, want the quad as it was", got, x.Generation())
			}
			_, err := Build(context.Background(), func(yield func(quad.Quad) error) error {
				return yield(tc.q)
			}, nil)
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("Build(%v) = %v, want ErrInvalid", tc.q, err)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	x := New()
	if err := x.Apply(ctx, []quad.Quad{good}, nil); !errors.Is(err, context.Canceled) || x.Len() != 0 {
		t.Errorf("Apply with a cancelled ctx = %v, Len %d; want context.Canceled, 0", err, x.Len())
	}
}

// A value whose quads are all removed is unknown to Lookup, and comes back
// with its old ID when added again.
func TestLookupRemoved(t *testing.T) {
	a, b := qd("a", "p", "b"), qd("a", "q", "c")
	x := FromQuads([]quad.Quad{a, b})
	ctx := context.Background()
	ids := func() []frontier.ID {
		out := make([]frontier.ID, 3)
		if err := open(t, x).Lookup(ctx, []quad.Value{iri("b"), iri("p"), iri("a")}, out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	first := ids()
	mustApply(t, x, nil, []quad.Quad{a})
	if got := ids(); got[0] != 0 || got[1] != 0 || got[2] != first[2] {
		t.Errorf("Lookup(b, p, a) after removing a p b = %v, want 0, 0, %d", got, first[2])
	}
	mustApply(t, x, []quad.Quad{a}, nil)
	if got := ids(); !slices.Equal(got, first) {
		t.Errorf("Lookup after adding it back = %v, want %v", got, first)
	}
}

func TestDescribeAfterApply(t *testing.T) {
	label := func(s, text, lang string) quad.Quad {
		return quad.Quad{Subject: iri(s), Predicate: frontier.RDFSLabel, Object: quad.LangString{Value: quad.String(text), Lang: lang}}
	}
	typ := func(s, class string) quad.Quad {
		return quad.Quad{Subject: iri(s), Predicate: frontier.RDFType, Object: iri(class)}
	}
	x := FromQuads([]quad.Quad{label("a", "Danish", "da"), typ("a", "T")})
	describe := func() (string, []string) {
		r := open(t, x)
		ctx := context.Background()
		ids := make([]frontier.ID, 1)
		if err := r.Lookup(ctx, []quad.Value{iri("a")}, ids); err != nil {
			t.Fatal(err)
		}
		f := make([]frontier.Facts, 1)
		if err := r.Describe(ctx, ids, f); err != nil {
			t.Fatal(err)
		}
		vals := make([]quad.Value, len(f[0].Types)+1)
		if err := r.Values(ctx, append(f[0].Types, f[0].Label), vals); err != nil {
			t.Fatal(err)
		}
		var types []string
		for _, v := range vals[:len(vals)-1] {
			types = append(types, v.String())
		}
		slices.Sort(types)
		return fmt.Sprint(vals[len(vals)-1]), types
	}
	steps := []struct {
		adds, removes []quad.Quad
		label         string
		types         []string
	}{
		{nil, nil, `"Danish"@da`, []string{"<" + ex + "T>"}},
		{[]quad.Quad{label("a", "English", "en"), typ("a", "U")}, nil, `"English"@en`, []string{"<" + ex + "T>", "<" + ex + "U>"}},
		{nil, []quad.Quad{label("a", "English", "en"), typ("a", "T")}, `"Danish"@da`, []string{"<" + ex + "U>"}},
		{nil, []quad.Quad{label("a", "Danish", "da")}, "<nil>", []string{"<" + ex + "U>"}},
	}
	for i, s := range steps {
		mustApply(t, x, s.adds, s.removes)
		for _, compact := range []bool{false, true} {
			if compact {
				if err := x.Compact(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			if lbl, types := describe(); lbl != s.label || !slices.Equal(types, s.types) {
				t.Errorf("step %d (compacted %v): Describe(a) = %s %v, want %s %v", i, compact, lbl, types, s.label, s.types)
			}
		}
	}
}

// TestApplyRandom applies random batches and checks every generation
// against a model, keeping Readers of older generations open to check
// they do not move.
func TestApplyRandom(t *testing.T) {
	for _, policy := range []struct {
		name                string
		compactMin, maxRuns int
	}{{"default", 1 << 15, 4}, {"compacting", 40, 4}, {"many runs", 1 << 30, 30}} {
		t.Run(policy.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, 7))
			x := New()
			x.compactMin, x.maxRuns = policy.compactMin, policy.maxRuns
			pool := make([]quad.Quad, 300)
			for i := range pool {
				pool[i] = qd(fmt.Sprint("s", rng.IntN(30)), fmt.Sprint("p", rng.IntN(4)), fmt.Sprint("o", rng.IntN(30)))
				if i%3 == 0 {
					pool[i].Label = iri(fmt.Sprint("g", rng.IntN(3)))
				}
			}
			model := map[quad.Quad]bool{}
			type pinned struct {
				r    frontier.Reader
				want []string
			}
			var old []pinned
			for step := range 200 {
				var adds, removes []quad.Quad
				for range rng.IntN(12) {
					adds = append(adds, pool[rng.IntN(len(pool))])
				}
				for range rng.IntN(12) {
					removes = append(removes, pool[rng.IntN(len(pool))])
				}
				mustApply(t, x, adds, removes)
				for _, q := range removes {
					delete(model, q)
				}
				for _, q := range adds {
					model[q] = true
				}
				var want []quad.Quad
				for q := range model {
					want = append(want, q)
				}
				r := open(t, x)
				if got := contents(t, r); !slices.Equal(got, lines(want...)) {
					t.Fatalf("step %d: contents differ from the model:\n got %q\nwant %q", step, got, lines(want...))
				}
				if n, exact, err := r.Count(context.Background(), frontier.Quad{}); n != int64(len(want)) || !exact || err != nil {
					t.Fatalf("step %d: Count(any) = %d, %v, %v; want %d", step, n, exact, err, len(want))
				}
				if step%20 == 0 {
					old = append(old, pinned{r, lines(want...)})
				}
			}
			for i, p := range old {
				if got := contents(t, p.r); !slices.Equal(got, p.want) {
					t.Errorf("Reader pinned at step %d: contents changed", 20*i)
				}
			}
		})
	}
}

// TestConcurrentApply reads while one writer applies, under -race: every
// batch replaces ten marker quads by ten others, so a Reader must always
// count exactly ten, and All must agree with Count.
func TestConcurrentApply(t *testing.T) {
	marker := iri("marker")
	batch := func(k int) []quad.Quad {
		var out []quad.Quad
		for i := range 10 {
			out = append(out, quad.Quad{Subject: iri(fmt.Sprint("m", i)), Predicate: marker, Object: quad.String(fmt.Sprint(k)), Label: iri(fmt.Sprint("g", k%3))})
		}
		return out
	}
	var base []quad.Quad
	for i := range 500 {
		base = append(base, qd(fmt.Sprint("n", i), "p", fmt.Sprint("n", (i*7)%500)))
	}
	x := FromQuads(append(base, batch(0)...))
	x.compactMin, x.compactDiv = 50, 1 // compactions in the background too
	ctx := context.Background()
	const rounds = 300
	var wg sync.WaitGroup
	wg.Go(func() {
		for k := 1; k <= rounds; k++ {
			if err := x.Apply(ctx, batch(k), batch(k-1)); err != nil {
				t.Errorf("Apply: %v", err)
				return
			}
		}
	})
	for range 3 {
		wg.Go(func() {
			for x.Generation() < rounds {
				r, err := x.Reader(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				ids := make([]frontier.ID, 1)
				_ = r.Lookup(ctx, []quad.Value{marker}, ids)
				n, _, _ := r.Count(ctx, frontier.Quad{P: ids[0]})
				all, _, _ := r.Count(ctx, frontier.Quad{})
				var walked int64
				_ = r.All(ctx, func(frontier.Quad) bool { walked++; return true })
				var byPred int64
				_ = r.Quads(ctx, quad.Predicate, ids, nil, func(int, frontier.Quad) bool { byPred++; return true })
				r.Close()
				if n != 10 || byPred != 10 || all != walked || all != 510 {
					t.Errorf("Reader saw %d (Count) and %d (Quads) marker quads, %d quads counted and %d walked; want 10, 10, 510, 510", n, byPred, all, walked)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := x.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	if got := contents(t, open(t, x)); !slices.Equal(got, lines(append(base, batch(rounds)...)...)) {
		t.Errorf("final contents differ")
	}
}

func TestBuild(t *testing.T) {
	ctx := context.Background()
	var qs []quad.Quad
	objects := make([]quad.Value, 1000)
	for i := range objects {
		objects[i] = quad.Int(i)
	}
	for i := range 140000 {
		qs = append(qs, quad.Quad{Subject: iri("s"), Predicate: iri("p"), Object: objects[i%1000], Label: iri(fmt.Sprint("g", i/1000))})
	}
	var calls []int64
	x, err := Build(ctx, func(yield func(quad.Quad) error) error {
		for _, q := range qs {
			if err := yield(q); err != nil {
				return err
			}
		}
		return nil
	}, func(n int64) { calls = append(calls, n) })
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{131072, 140000}; !slices.Equal(calls, want) {
		t.Errorf("progress calls %v, want %v", calls, want)
	}
	if x.Len() != 140000 {
		t.Errorf("Len() = %d", x.Len())
	}
	// Errors: each's own, and ctx's.
	_, err = Build(ctx, func(yield func(quad.Quad) error) error { return io.ErrUnexpectedEOF }, nil)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("Build with a failing stream = %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	_, err = Build(cctx, func(yield func(quad.Quad) error) error {
		for i, q := range qs {
			if i == 1000 {
				cancel()
			}
			if err := yield(q); err != nil {
				return err
			}
		}
		return nil
	}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Build cancelled = %v", err)
	}
	// A bad quad early in a long stream stops the stream: yield returns
	// an error, and Build returns ErrInvalid without waiting for the end.
	var yieldErr error
	var yielded int
	_, err = Build(ctx, func(yield func(quad.Quad) error) error {
		for i, q := range qs {
			if i == 5000 {
				q.Object = nil
			}
			if yieldErr = yield(q); yieldErr != nil {
				return yieldErr
			}
			yielded++
		}
		return nil
	}, nil)
	if !errors.Is(err, ErrInvalid) || yieldErr == nil || yielded == len(qs) {
		t.Errorf("Build with a bad quad = %v after %d of %d quads (yield said %v); want ErrInvalid, the stream stopped", err, yielded, len(qs), yieldErr)
	}
}

func TestReaderClosed(t *testing.T) {
	x := FromQuads([]quad.Quad{qd("a", "p", "b")})
	r := open(t, x)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.Values(context.Background(), []frontier.ID{1}, make([]quad.Value, 1)); !errors.Is(err, ErrClosed) {
		t.Errorf("Values after Close = %v, want ErrClosed", err)
	}
}

// Node zero in the Label direction is the default graph.
func TestDefaultGraphByLabel(t *testing.T) {
	a, b := qd("a", "p", "b"), qd("b", "p", "c")
	b.Label = iri("g")
	x := FromQuads([]quad.Quad{a, b})
	mustApply(t, x, []quad.Quad{qd("c", "p", "a")}, nil)
	r := open(t, x)
	var got []frontier.Quad
	if err := r.Quads(context.Background(), quad.Label, []frontier.ID{0}, nil, func(_ int, q frontier.Quad) bool {
		got = append(got, q)
		return true
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].G != 0 || got[1].G != 0 {
		t.Errorf("Quads(Label, [0]) = %v, want the two default-graph quads", got)
	}
}

// fn may call the Reader again: a nested-loop join walks the quads of
// each quad's object inside the outer walk, with runs over the base so
// the walks use overlay scratch.
func TestNestedCalls(t *testing.T) {
	var qs []quad.Quad
	for i := range 40 {
		qs = append(qs, qd(fmt.Sprint("n", i), "p", fmt.Sprint("n", (i+1)%40)), qd(fmt.Sprint("n", i), "q", fmt.Sprint("m", i%3)))
	}
	x := FromQuads(qs[:50])
	mustApply(t, x, qs[50:], qs[:5])
	r := open(t, x)
	ctx := context.Background()
	all := func() []frontier.ID {
		ids := make([]frontier.ID, 40)
		vals := make([]quad.Value, 40)
		for i := range vals {
			vals[i] = iri(fmt.Sprint("n", i))
		}
		if err := r.Lookup(ctx, vals, ids); err != nil {
			t.Fatal(err)
		}
		return ids
	}
	nodes := append(all(), all()...)
	pairs := func(nested bool) []string {
		var out []string
		var outer []frontier.Quad
		err := r.Quads(ctx, quad.Subject, nodes, nil, func(_ int, q frontier.Quad) bool {
			out = append(out, fmt.Sprint(q))
			if !nested {
				outer = append(outer, q)
				return true
			}
			f := make([]frontier.Facts, 1)
			if err := r.Describe(ctx, []frontier.ID{q.O}, f); err != nil {
				t.Error(err)
			}
			if err := r.Quads(ctx, quad.Subject, []frontier.ID{q.O}, nil, func(_ int, q2 frontier.Quad) bool {
				out = append(out, fmt.Sprint(q, q2))
				return true
			}); err != nil {
				t.Error(err)
			}
			return true
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range outer {
			if err := r.Quads(ctx, quad.Subject, []frontier.ID{q.O}, nil, func(_ int, q2 frontier.Quad) bool {
				out = append(out, fmt.Sprint(q, q2))
				return true
			}); err != nil {
				t.Fatal(err)
			}
		}
		slices.Sort(out)
		return out
	}
	flat, nested := pairs(false), pairs(true)
	if len(flat) == 0 || !slices.Equal(flat, nested) {
		t.Errorf("nested walk gave %d pairs, flat walk %d; they differ", len(nested), len(flat))
	}
}
