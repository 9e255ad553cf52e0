package graph

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"sync"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
	"github.com/innograph/innograph/graph/internal/memindex"
)

// shortestByBFS is the search ShortestPaths ran before search (two bfs
// walks whose every neighbour is read and sorted by IRI): the reference
// that TestShortestSameAsBFS holds the search to, truncated answers
// included.
func shortestByBFS(w *walker, a, b nid, dir Direction, preds []nid, maxHops int) ([][]pedge, bool, error) {
	if a == b {
		return [][]pedge{{}}, false, nil
	}
	fa, fb := newBFS(w, a, dir, preds), newBFS(w, b, dir.reverse(), preds)
	for fa.depth+fb.depth < maxHops {
		if len(fa.frontier) == 0 || len(fb.frontier) == 0 {
			return nil, false, nil
		}
		grow, other := fa, fb
		if len(fb.frontier) < len(fa.frontier) {
			grow, other = fb, fa
		}
		found, err := grow.level(len(other.dist))
		if err != nil {
			return nil, false, err
		}
		// The first level that meets the other side fixes the distance.
		// Before it the two visited sets were disjoint, so no path was
		// shorter than da+db+1 (da, db the depths before this level);
		// a meeting node m has dist da+1 here and at most db there, so
		// the distance is exactly da+db+1 and every meeting node has
		// dist db on the other side. Every shortest path has its node at
		// da+1 among the meeting nodes, and the DAGs of both sides are
		// complete to their depths, so all shortest paths are found.
		var meet []nid
		for _, n := range found {
			if _, ok := other.dist[n]; ok {
				meet = append(meet, n)
			}
		}
		if len(meet) == 0 {
			continue
		}
		if err := w.prefetch(meet); err != nil {
			return nil, false, err
		}
		sort.Slice(meet, func(i, j int) bool { return w.text(meet[i]) < w.text(meet[j]) })
		var out [][]pedge
		truncated := false
		for _, m := range meet {
			left, t1 := fa.chains(m, w.lim.MaxPaths)
			right, t2 := fb.chains(m, w.lim.MaxPaths)
			truncated = truncated || t1 || t2
			for _, l := range left {
				for _, r := range right {
					if len(out) == w.lim.MaxPaths {
						return out, true, nil
					}
					c := append([]pedge(nil), l...)
					for i := len(r) - 1; i >= 0; i-- {
						c = append(c, r[i].flip())
					}
					out = append(out, c)
				}
			}
		}
		return out, truncated, nil
	}
	return nil, false, nil
}

// randomGraph is a graph with the shapes that make searches differ if
// they are going to: hubs with many shortest paths through them, quads
// stated in two graphs, literals and blank nodes beside IRIs, self-loops,
// rdf:type links and two predicates in both directions.
func randomGraph(rng *rand.Rand, nodes int) []quad.Quad {
	node := func(i int) quad.IRI { return quad.IRI(fmt.Sprintf("%sn%02d", ex, i)) }
	preds := []quad.IRI{ex + "p", ex + "q"}
	var qs []quad.Quad
	for i := 0; i < nodes; i++ {
		qs = append(qs, quad.Quad{Subject: node(i), Predicate: frontier.RDFType, Object: quad.IRI(ex + "C")},
			quad.Quad{Subject: node(i), Predicate: frontier.RDFSLabel, Object: quad.String(fmt.Sprint("label ", i))})
		if i%7 == 0 {
			qs = append(qs, quad.Quad{Subject: node(i), Predicate: preds[0], Object: quad.BNode(fmt.Sprint("b", i))},
				quad.Quad{Subject: quad.BNode(fmt.Sprint("b", i)), Predicate: preds[1], Object: node((i + 1) % nodes)})
		}
		if i%11 == 0 {
			qs = append(qs, quad.Quad{Subject: node(i), Predicate: preds[1], Object: node(i)})
		}
		for range 2 + rng.IntN(3) {
			j := rng.IntN(nodes)
			if rng.IntN(4) == 0 {
				j = rng.IntN(3) // a hub
			}
			q := quad.Quad{Subject: node(i), Predicate: preds[rng.IntN(2)], Object: node(j)}
			qs = append(qs, q)
			if rng.IntN(5) == 0 {
				q.Label = quad.IRI(ex + "g2")
				qs = append(qs, q)
			}
		}
	}
	return qs
}

// noIRIs hides the in-memory reader's IRIs, as the backends' readers
// lack it: the walker then reads values.
type noIRIs struct{ frontier.Reader }

// TestShortestSameAsBFS runs the search and the reference on random
// graphs, for every direction, with and without a predicate, for path caps
// from 1 (nearly every answer truncated) to the default, and wants the same
// chains (ShortestPaths sorts them), the same truncation and the same
// errors.
func TestShortestSameAsBFS(t *testing.T) {
	ctx := context.Background()
	type answer struct {
		chains    [][]pedge
		truncated bool
		err       string
	}
	run := func(r frontier.Reader, lim QueryLimits, f func(w *walker) ([][]pedge, bool, error)) answer {
		w, err := newWalker(ctx, "test", r, lim)
		if err != nil {
			t.Fatal(err)
		}
		c, tr, err := f(w)
		if err != nil {
			return answer{err: err.Error()}
		}
		// ShortestPaths sorts the paths it is given: which are given
		// is what must agree.
		sort.Slice(c, func(i, j int) bool { return fmt.Sprint(c[i]) < fmt.Sprint(c[j]) })
		return answer{chains: c, truncated: tr}
	}
	truncations, paths := 0, 0
	for seed := range 50 {
		rng := rand.New(rand.NewPCG(uint64(seed), 17))
		n := 20 + rng.IntN(40)
		// Odd seeds write a third of the graph after the build: their
		// nodes' links are not at hand, and the search reads those
		// nodes' quads beside the others' links.
		qs := randomGraph(rng, n)
		cut := len(qs)
		if seed%2 == 1 {
			cut = 2 * len(qs) / 3
		}
		x := memindex.FromQuads(qs[:cut])
		if err := x.Apply(ctx, qs[cut:], nil); err != nil {
			t.Fatal(err)
		}
		r, err := x.Reader(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]nid, n)
		vals := make([]quad.Value, n)
		for i := range vals {
			vals[i] = quad.IRI(fmt.Sprintf("%sn%02d", ex, i))
		}
		if err := r.Lookup(ctx, vals, ids); err != nil {
			t.Fatal(err)
		}
		pq, err := newWalker(ctx, "test", r, QueryLimits{})
		if err != nil {
			t.Fatal(err)
		}
		onlyP, err := pq.predSet([]string{ex + "p"})
		if err != nil {
			t.Fatal(err)
		}
		for range 100 {
			a, b := ids[rng.IntN(n)], ids[rng.IntN(n)]
			dir := []Direction{Both, Out, In}[rng.IntN(3)]
			preds := [][]nid{nil, nil, onlyP, {}}[rng.IntN(4)]
			lim := QueryLimits{MaxPaths: []int{1, 2, 3, 20}[rng.IntN(4)], MaxVisited: []int{5, 200000, 200000}[rng.IntN(3)]}.withDefaults()
			hops := 1 + rng.IntN(6)
			want := run(r, lim, func(w *walker) ([][]pedge, bool, error) { return shortestByBFS(w, a, b, dir, preds, hops) })
			for _, reader := range []frontier.Reader{r, noIRIs{r}} {
				got := run(reader, lim, func(w *walker) ([][]pedge, bool, error) {
					w.searches = &sync.Pool{}
					return shortest(w, a, b, dir, preds, hops)
				})
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("seed %d: shortest(%d, %d, %s, %v, %d hops, %+v) over %T =\n%+v\nwant\n%+v", seed, a, b, dir, preds, hops, lim, reader, got, want)
				}
			}
			if want.truncated {
				truncations++
			}
			paths += len(want.chains)
		}
		r.Close()
	}
	if truncations < 100 || paths < 1000 {
		t.Errorf("only %d truncated answers and %d paths: the graphs test too little", truncations, paths)
	}
}

// TestShortestPooled reuses one pooled search for many queries and wants
// the answers of fresh ones: reset must forget everything.
func TestShortestPooled(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 4))
	x := memindex.FromQuads(randomGraph(rng, 50))
	r, err := x.Reader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	pool := &sync.Pool{}
	var ids []nid
	for i := 0; i < 50; i++ {
		id := make([]nid, 1)
		if err := r.Lookup(ctx, []quad.Value{quad.IRI(fmt.Sprintf("%sn%02d", ex, i))}, id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id[0])
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for i := range 200 {
		a, b := ids[rng.IntN(len(ids))], ids[rng.IntN(len(ids))]
		var got, want [][]pedge
		for _, p := range []*sync.Pool{pool, nil} {
			w, err := newWalker(ctx, "test", r, QueryLimits{})
			if err != nil {
				t.Fatal(err)
			}
			w.searches = p
			c, _, err := shortest(w, a, b, Both, nil, 6)
			if err != nil {
				t.Fatal(err)
			}
			if p != nil {
				got = c
			} else {
				want = c
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("query %d: pooled search = %v, fresh = %v", i, got, want)
		}
	}
}
