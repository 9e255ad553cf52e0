package frontiertest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
)

type test struct {
	name string
	data func() []quad.Quad // nil: fixture
	run  func(c *check)
}

var tests = []test{
	{name: "Lookup/Kinds", run: func(c *check) {
		// Values alike in text but different terms must get different IDs.
		vals := []quad.Value{
			alice, quad.String(ex + "alice"), b1, quad.BNode("x"), iri("x"), quad.String("x"),
			lang("x", "en"), typed("x", ex+"dt"), typed("01", xsd+"integer"), typed("1", xsd+"integer"),
			typed("Blank", ex+"dt"), lang("Blank", "da"), quad.String(""),
		}
		ids := c.ids(vals...)
		seen := map[frontier.ID]quad.Value{}
		for i, id := range ids {
			if v, dup := seen[id]; dup {
				c.Errorf("Lookup gave %v and %v the same ID %d", v, vals[i], id)
			}
			seen[id] = vals[i]
		}
	}},
	{name: "Lookup/EveryPosition", run: func(c *check) {
		// Only a subject, only a predicate, only an object, only a graph.
		c.ids(dave, knows, lang("Alicia", "es"), g1)
	}},
	{name: "Lookup/Unknown", run: func(c *check) {
		vals := []quad.Value{
			iri("nobody"), alice, quad.String("Alice"), lang("Alice", "de"), lang("Alice", "en"),
			typed("1", xsd+"int"), quad.String("01"), typed("01", xsd+"decimal"), quad.BNode("alice"),
			iri("b1"), quad.String("long"), nil, quad.IRI("alice"), quad.String(ex + "bob"), bob,
		}
		got := c.lookup(c.r, vals...)
		for i, v := range vals {
			if known := c.m.known(v); known != (got[i] != 0) {
				c.Errorf("Lookup(%#v) = %d; stored: %v", v, got[i], known)
			}
		}
		if err := c.r.Lookup(c.ctx, nil, nil); err != nil {
			c.Errorf("Lookup of no values = %v", err)
		}
	}},
	{name: "Values/RoundTrip", run: func(c *check) {
		vals := c.m.values()
		got := c.values(c.r, c.ids(vals...))
		for i, v := range vals {
			if got[i] != v {
				c.Errorf("Values(Lookup(%#v)) = %#v", v, got[i])
			}
		}
	}},
	{name: "Values/ZeroAndUnknown", run: func(c *check) {
		got := c.values(c.r, []frontier.ID{0, unknownID, c.id(alice), 0})
		if got[0] != nil || got[1] != nil || got[2] != alice || got[3] != nil {
			c.Errorf("Values(0, unknown, alice, 0) = %#v, want nil, nil, alice, nil", got)
		}
		if err := c.r.Values(c.ctx, nil, nil); err != nil {
			c.Errorf("Values of no IDs = %v", err)
		}
	}},
	{name: "Values/IDsStable", run: func(c *check) {
		a, b := c.id(alice), c.id(alice)
		if a != b {
			c.Errorf("Lookup(alice) = %d, then %d", a, b)
		}
		err := c.r.Quads(c.ctx, quad.Subject, []frontier.ID{a}, nil, func(_ int, x frontier.Quad) bool {
			if x.S != a {
				c.Errorf("Quads(Subject, alice) gave subject %d, Lookup gave %d", x.S, a)
			}
			return true
		})
		if err != nil {
			c.Fatal(err)
		}
	}},
	{name: "Quads/EveryDirection", run: func(c *check) {
		vals := c.m.values()
		nodes := c.ids(vals...)
		// A node listed twice, and every value in every direction (most
		// have no quads in most directions).
		vals, nodes = append(vals, vals[0]), append(nodes, nodes[0])
		predSets := []struct {
			name string
			vals []quad.Value
		}{
			{"nil", nil},
			{"empty", []quad.Value{}},
			{"knows", []quad.Value{knows}},
			{"knows,label,knows", []quad.Value{knows, label, knows}},
			{"type,value", []quad.Value{rdfType, val}},
			{"not a predicate", []quad.Value{alice}},
		}
		for _, dir := range dirs {
			for _, ps := range predSets {
				c.Run(dir.String()+"/"+ps.name, func(t *testing.T) {
					c := c.sub(t)
					var preds []frontier.ID
					if ps.vals != nil {
						preds = c.ids(ps.vals...)
					}
					got := c.quads(c.r, dir, nodes, preds)
					c.same(fmt.Sprintf("Quads(%v, every value, preds %s)", dir, ps.name), got,
						c.m.quadsOf(dir, vals, ps.vals))
				})
			}
		}
	}},
	{name: "Quads/ZeroPredicate", run: func(c *check) {
		// A predicate the engine looked up and did not find is zero: it
		// matches nothing.
		got := c.quads(c.r, quad.Subject, c.ids(alice), []frontier.ID{0})
		if len(got) != 0 {
			c.Errorf("Quads(Subject, alice, preds [0]) = %q, want none", got)
		}
	}},
	{name: "Quads/ZeroNode", run: func(c *check) {
		for _, dir := range []quad.Direction{quad.Subject, quad.Predicate, quad.Object} {
			got := c.quads(c.r, dir, []frontier.ID{0, c.id(bob), 0}, nil)
			c.same(fmt.Sprintf("Quads(%v, [0 bob 0])", dir), got,
				c.m.quadsOf(dir, []quad.Value{nil, bob, nil}, nil))
		}
	}},
	{name: "Quads/UnknownNode", run: func(c *check) {
		got := c.quads(c.r, quad.Subject, []frontier.ID{unknownID}, nil)
		if len(got) != 0 {
			c.Errorf("Quads(Subject, an unknown ID) = %q, want none", got)
		}
	}},
	{name: "Quads/SeveralGraphs", run: func(c *check) {
		got := c.quads(c.r, quad.Subject, c.ids(alice), c.ids(rdfType))
		want := []string{
			"0 " + quadKey(q(alice, rdfType, person, g1)),
			"0 " + quadKey(q(alice, rdfType, person, g2)),
			"0 " + quadKey(q(alice, rdfType, agent, g1)),
		}
		c.same("Quads(Subject, alice, [rdf:type]): the same triple once per graph", got, want)
		got = c.quads(c.r, quad.Object, c.ids(person), c.ids(rdfType))
		c.same("Quads(Object, Person, [rdf:type])", got, c.m.quadsOf(quad.Object, []quad.Value{person}, []quad.Value{rdfType}))
		if len(got) != 4 {
			c.Errorf("Quads(Object, Person) gave %d quads, want 4", len(got))
		}
	}},
	{name: "Quads/DefaultGraph", run: func(c *check) {
		var zeroG int
		err := c.r.Quads(c.ctx, quad.Subject, c.ids(alice), c.ids(knows), func(_ int, x frontier.Quad) bool {
			if x.G == 0 {
				zeroG++
			}
			return true
		})
		if err != nil {
			c.Fatal(err)
		}
		if zeroG != 1 {
			c.Errorf("Quads(Subject, alice, [knows]) gave %d default-graph quads (G zero), want 1", zeroG)
		}
		got := c.quads(c.r, quad.Subject, c.ids(dave), nil)
		c.same("Quads(Subject, dave)", got, []string{
			"0 " + quadKey(q(dave, label, iri("notALabel"), nil)),
			"0 " + quadKey(q(dave, rdfType, iri("Thing"), nil)),
		})
	}},
	{name: "Quads/LabelDirection", run: func(c *check) {
		got := c.quads(c.r, quad.Label, c.ids(g2, g1), c.ids(label))
		c.same("Quads(Label, [g2 g1], [label])", got,
			c.m.quadsOf(quad.Label, []quad.Value{g2, g1}, []quad.Value{label}))
		if len(got) != 11 {
			c.Errorf("Quads(Label, [g2 g1], [label]) gave %d quads, want 11", len(got))
		}
	}},
	{name: "Quads/NodeTwice", run: func(c *check) {
		got := c.quads(c.r, quad.Subject, c.ids(bob, alice, bob), nil)
		perIndex := map[byte]int{}
		for _, l := range got {
			perIndex[l[0]]++
		}
		if perIndex['0'] != 6 || perIndex['2'] != 6 || perIndex['1'] != 12 {
			c.Errorf("Quads(Subject, [bob alice bob]) gave %v quads per index, want 6, 12, 6", perIndex)
		}
	}},
	{name: "Quads/Stop", run: func(c *check) {
		nodes := c.ids(c.m.values()...)
		for _, stopAt := range []int{1, 3} {
			calls := 0
			err := c.r.Quads(c.ctx, quad.Subject, nodes, nil, func(int, frontier.Quad) bool {
				calls++
				return calls < stopAt
			})
			if err != nil || calls != stopAt {
				c.Errorf("Quads with fn false at call %d: %d calls, err %v; want %d calls, nil", stopAt, calls, err, stopAt)
			}
		}
	}},
	{name: "Quads/NoNodes", run: func(c *check) {
		err := c.r.Quads(c.ctx, quad.Subject, nil, nil, func(int, frontier.Quad) bool {
			c.Errorf("Quads of no nodes called fn")
			return true
		})
		if err != nil {
			c.Errorf("Quads of no nodes = %v", err)
		}
	}},
	{name: "All", run: func(c *check) {
		c.same("All", c.all(c.r), c.m.quadsKeys())
		if n := len(c.m.quads); n != 36 {
			c.Fatalf("fixture holds %d distinct quads, want 36", n)
		}
	}},
	{name: "All/Stop", run: func(c *check) {
		for _, stopAt := range []int{1, 3} {
			calls := 0
			err := c.r.All(c.ctx, func(frontier.Quad) bool { calls++; return calls < stopAt })
			if err != nil || calls != stopAt {
				c.Errorf("All with fn false at call %d: %d calls, err %v; want %d calls, nil", stopAt, calls, err, stopAt)
			}
		}
	}},
	{name: "Reentrant", run: func(c *check) {
		// Every method called from inside a running walk's fn answers as it
		// does outside, and the outer walk still gives all its quads.
		type inner struct{ quads, values, lookup string }
		ask := func(q frontier.Quad) inner {
			var in inner
			// The contract leaves the order of a node's quads open (a SQL
			// reader's rows come in the plan's order): compare them as sets.
			sorted := func(qs []string) string { slices.Sort(qs); return strings.Join(qs, "|") }
			in.quads = sorted(c.quads(c.r, quad.Subject, []frontier.ID{q.S}, []frontier.ID{q.P}))
			in.quads += "/" + sorted(c.quads(c.r, quad.Object, []frontier.ID{q.O}, nil))
			vals := c.values(c.r, []frontier.ID{q.S, q.O})
			in.values = fmt.Sprint(vals)
			in.lookup = fmt.Sprint(c.lookup(c.r, vals...))
			facts := make([]frontier.Facts, 1)
			if err := c.r.Describe(c.ctx, []frontier.ID{q.S}, facts); err != nil {
				c.Fatal(err)
			}
			n, _, err := c.r.Count(c.ctx, frontier.Quad{S: q.S, P: q.P})
			if err != nil {
				c.Fatal(err)
			}
			in.lookup += fmt.Sprint(facts[0].Label, len(facts[0].Types), n)
			return in
		}
		var outer []frontier.Quad
		var nested []inner
		err := c.r.All(c.ctx, func(q frontier.Quad) bool {
			outer = append(outer, q)
			nested = append(nested, ask(q))
			return true
		})
		if err != nil {
			c.Fatal(err)
		}
		c.same("All with calls nested in its fn", c.decode(c.r, outer), c.m.quadsKeys())
		for i, q := range outer {
			if want := ask(q); nested[i] != want {
				c.Errorf("inside All's fn for %v: %+v; outside: %+v", c.decode(c.r, []frontier.Quad{q}), nested[i], want)
			}
		}
		nodes := c.ids(c.m.values()...)
		var got []frontier.Quad
		err = c.r.Quads(c.ctx, quad.Object, nodes, c.ids(rdfType, knows, label), func(_ int, q frontier.Quad) bool {
			got = append(got, q)
			if ask(q) != ask(q) {
				c.Errorf("nested answers differ between two calls")
			}
			return true
		})
		if err != nil {
			c.Fatal(err)
		}
		want := c.m.quadsOf(quad.Object, c.m.values(), []quad.Value{rdfType, knows, label})
		var keys []string
		for _, k := range want {
			keys = append(keys, k[strings.IndexByte(k, ' ')+1:])
		}
		c.same("Quads(Object, every value, [type knows label]) with calls nested in its fn", c.decode(c.r, got), keys)
	}},
	{name: "Describe", run: func(c *check) {
		vals := c.m.values()
		ids := c.ids(vals...)
		c.describe(c.r, append(vals, nil, nil), append(ids, 0, unknownID))
		// Stated by hand too, so the model cannot be wrong alone.
		out := make([]frontier.Facts, 5)
		if err := c.r.Describe(c.ctx, c.ids(alice, bob, carol, b1, dave), out); err != nil {
			c.Fatal(err)
		}
		wantLabels := []quad.Value{lang("Alice", "en"), quad.String("Bob"), lang("Caz", "en"), typed("Blank", ex+"dt"), nil}
		wantTypes := []int{2, 1, 1, 1, 1}
		for i, f := range out {
			var lbl quad.Value
			if f.Label != 0 {
				lbl = c.values(c.r, []frontier.ID{f.Label})[0]
			}
			if lbl != wantLabels[i] || len(f.Types) != wantTypes[i] {
				c.Errorf("Describe #%d = %d types, label %#v; want %d types, label %#v", i, len(f.Types), lbl, wantTypes[i], wantLabels[i])
			}
		}
	}},
	{name: "Count", run: func(c *check) {
		countAll(c, c.m.quads)
		c.count(c.r, frontier.Quad{}, 36, "any")
		c.count(c.r, frontier.Quad{S: c.id(alice), P: c.id(rdfType), O: c.id(person)}, 2, "alice type Person in any graph")
		c.count(c.r, frontier.Quad{S: c.id(alice), P: c.id(knows), O: c.id(bob), G: c.id(g1)}, 1, "alice knows bob in g1")
		c.count(c.r, frontier.Quad{S: unknownID}, 0, "an unknown subject")
		c.count(c.r, frontier.Quad{S: c.id(knows)}, 0, "a predicate as subject")
		c.count(c.r, frontier.Quad{P: c.id(label), G: unknownID}, 0, "labels in an unknown graph")
	}},
	{name: "Context/Cancelled", run: func(c *check) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		ids := c.ids(alice, bob)
		fn := func(int, frontier.Quad) bool { return true }
		_, _, countErr := c.r.Count(ctx, frontier.Quad{S: ids[0]})
		for _, call := range []struct {
			name string
			err  error
		}{
			{"Lookup", c.r.Lookup(ctx, []quad.Value{alice}, make([]frontier.ID, 1))},
			{"Values", c.r.Values(ctx, ids, make([]quad.Value, 2))},
			{"Quads", c.r.Quads(ctx, quad.Subject, ids, nil, fn)},
			{"All", c.r.All(ctx, func(frontier.Quad) bool { return true })},
			{"Describe", c.r.Describe(ctx, ids, make([]frontier.Facts, 2))},
			{"Count", countErr},
		} {
			if !errors.Is(call.err, context.Canceled) {
				c.Errorf("%s with a cancelled ctx = %v, want context.Canceled", call.name, call.err)
			}
		}
		// The Reader still answers with a live ctx.
		if got := c.quads(c.r, quad.Subject, ids, nil); len(got) != 18 {
			c.Errorf("Quads after a cancelled call gave %d quads, want 18", len(got))
		}
	}},
	{name: "Context/CancelledMidWalk", data: func() []quad.Quad { return manySubjects(3000) }, run: func(c *check) {
		total := len(c.m.quads)
		var subjects []quad.Value
		for i := range 3000 {
			subjects = append(subjects, iri(fmt.Sprintf("many/%d", i)))
		}
		nodes := c.ids(subjects...)
		walks := []struct {
			name string
			walk func(ctx context.Context, fn func() bool) error
		}{
			{"All", func(ctx context.Context, fn func() bool) error {
				return c.r.All(ctx, func(frontier.Quad) bool { return fn() })
			}},
			{"Quads", func(ctx context.Context, fn func() bool) error {
				return c.r.Quads(ctx, quad.Subject, nodes, nil, func(int, frontier.Quad) bool { return fn() })
			}},
		}
		for _, w := range walks {
			ctx, cancel := context.WithCancel(context.Background())
			calls := 0
			err := w.walk(ctx, func() bool {
				calls++
				if calls == 10 {
					cancel()
				}
				return true
			})
			cancel()
			if !errors.Is(err, context.Canceled) || calls >= total {
				c.Errorf("%s cancelled at the 10th of %d quads: %d calls, err %v; want it to stop early with context.Canceled",
					w.name, total, calls, err)
			}
		}
	}},
	{name: "Readers/Many", run: func(c *check) {
		// Each Reader's IDs are its own; use each only with its Reader.
		for i := range 20 {
			r, err := c.src.Reader(c.ctx)
			if err != nil {
				c.Fatalf("Source.Reader #%d: %v", i+2, err)
			}
			ids := c.lookup(r, alice, knows)
			if i%2 == 0 {
				c.same("Quads on a second Reader", c.quads(r, quad.Subject, ids[:1], ids[1:]),
					c.m.quadsOf(quad.Subject, []quad.Value{alice}, []quad.Value{knows}))
			}
			if err := r.Close(); err != nil {
				c.Errorf("Close of Reader %d = %v", i, err)
			}
		}
		// Closing others left the first one working.
		c.same("All on the first Reader", c.all(c.r), c.m.quadsKeys())
	}},
	{name: "Readers/Parallel", data: func() []quad.Quad { return randomData(3, 600) }, run: func(c *check) {
		vals := c.m.values()
		want := c.m.quadsOf(quad.Object, vals, nil)
		// Walk on four Readers at once; decode afterwards, on this goroutine.
		type walk struct {
			r   frontier.Reader
			ids []frontier.ID
			idx []int
			qs  []frontier.Quad
			err error
		}
		walks := make([]*walk, 4)
		for i := range walks {
			r := c.reader(c.ctx)
			walks[i] = &walk{r: r, ids: c.lookup(r, vals...)}
		}
		var wg sync.WaitGroup
		for _, w := range walks {
			wg.Go(func() {
				w.err = w.r.Quads(c.ctx, quad.Object, w.ids, nil, func(i int, x frontier.Quad) bool {
					w.idx, w.qs = append(w.idx, i), append(w.qs, x)
					return true
				})
			})
		}
		wg.Wait()
		for _, w := range walks {
			if w.err != nil {
				c.Fatalf("Quads on a Reader used in parallel: %v", w.err)
			}
			got := c.decode(w.r, w.qs)
			for j := range got {
				got[j] = fmt.Sprintf("%d %s", w.idx[j], got[j])
			}
			c.same("Quads(Object, every value) on a Reader used in parallel", got, want)
		}
	}},
	{name: "EmptyStore", data: func() []quad.Quad { return nil }, run: func(c *check) {
		if got := c.lookup(c.r, alice, quad.String("x")); got[0] != 0 || got[1] != 0 {
			c.Errorf("Lookup on an empty store = %v, want zeros", got)
		}
		if got := c.all(c.r); len(got) != 0 {
			c.Errorf("All on an empty store = %q", got)
		}
		c.count(c.r, frontier.Quad{}, 0, "any, empty store")
		out := make([]frontier.Facts, 1)
		if err := c.r.Describe(c.ctx, []frontier.ID{0}, out); err != nil || out[0].Label != 0 || len(out[0].Types) != 0 {
			c.Errorf("Describe(0) on an empty store = %+v, %v", out[0], err)
		}
	}},
	{name: "Random", data: func() []quad.Quad { return randomData(1, 800) }, run: func(c *check) {
		rng := rand.New(rand.NewPCG(2, 2))
		vals := c.m.values()
		ids := c.ids(vals...)
		c.same("All", c.all(c.r), c.m.quadsKeys())
		for k := range 40 {
			dir := dirs[k%4]
			var nv []quad.Value
			var nodes []frontier.ID
			for range 1 + rng.IntN(12) {
				j := rng.IntN(len(vals))
				nv, nodes = append(nv, vals[j]), append(nodes, ids[j])
			}
			var pv []quad.Value
			var preds []frontier.ID
			if k%3 != 0 {
				pv, preds = []quad.Value{}, []frontier.ID{}
				for range rng.IntN(4) {
					j := rng.IntN(len(vals))
					pv, preds = append(pv, vals[j]), append(preds, ids[j])
				}
			}
			c.same(fmt.Sprintf("query %d: Quads(%v, %v, preds %v)", k, dir, nv, pv),
				c.quads(c.r, dir, nodes, preds), c.m.quadsOf(dir, nv, pv))
		}
		c.describe(c.r, vals, ids)
		countAll(c, c.m.quads[:200])
	}},
}

// countAll checks Count for every pattern of bound terms (the 16 subsets of
// directions) taken from each of quads.
func countAll(c *check, quads []quad.Quad) {
	c.Helper()
	for _, x := range quads {
		var g frontier.ID
		if x.Label != nil {
			g = c.id(x.Label)
		}
		full := frontier.Quad{S: c.id(x.Subject), P: c.id(x.Predicate), O: c.id(x.Object), G: g}
		for mask := range 16 {
			var p frontier.Quad
			var pv quad.Quad
			if mask&1 != 0 {
				p.S, pv.Subject = full.S, x.Subject
			}
			if mask&2 != 0 {
				p.P, pv.Predicate = full.P, x.Predicate
			}
			if mask&4 != 0 {
				p.O, pv.Object = full.O, x.Object
			}
			if mask&8 != 0 {
				p.G, pv.Label = full.G, x.Label
			}
			c.count(c.r, p, c.m.count(pv), fmt.Sprintf("%v %v %v %v", pv.Subject, pv.Predicate, pv.Object, pv.Label))
		}
	}
}

// sub is c for a nested subtest.
func (c *check) sub(t *testing.T) *check {
	d := *c
	d.T = t
	return &d
}

// quadsKeys is what All must give.
func (m *model) quadsKeys() []string { return slices.Clone(m.keys) }
