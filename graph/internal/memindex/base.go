package memindex

import (
	"cmp"
	"slices"
	"sync"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
)

// q4 is a quad by term IDs; g is zero for the default graph.
type q4 struct{ s, p, o, g uint32 }

// ent is one quad in an order, without the order's lead term.
type ent struct{ a, b, c uint32 }

func (x ent) cmp(y ent) int {
	if c := cmp.Compare(x.a, y.a); c != 0 {
		return c
	}
	if c := cmp.Compare(x.b, y.b); c != 0 {
		return c
	}
	return cmp.Compare(x.c, y.c)
}

// order is one of the four sort orders quads are kept in (runs keep all
// four, the base all but P). Each is sorted by its lead term, then a, b,
// c. The S, O and G orders have the predicate second, so a node's quads
// with one predicate are contiguous.
type order uint8

const (
	byS order = iota // lead S; a, b, c = P, O, G
	byO              // lead O; P, S, G
	byP              // lead P; G, S, O
	byG              // lead G; P, S, O
)

func orderOf(d quad.Direction) (order, bool) {
	switch d {
	case quad.Subject:
		return byS, true
	case quad.Object:
		return byO, true
	case quad.Predicate:
		return byP, true
	case quad.Label:
		return byG, true
	}
	return 0, false
}

func (o order) split(q q4) (uint32, ent) {
	switch o {
	case byS:
		return q.s, ent{q.p, q.o, q.g}
	case byO:
		return q.o, ent{q.p, q.s, q.g}
	case byP:
		return q.p, ent{q.g, q.s, q.o}
	}
	return q.g, ent{q.p, q.s, q.o}
}

func (o order) join(lead uint32, e ent) q4 {
	switch o {
	case byS:
		return q4{lead, e.a, e.b, e.c}
	case byO:
		return q4{e.b, e.a, lead, e.c}
	case byP:
		return q4{e.b, lead, e.c, e.a}
	}
	return q4{e.b, e.a, e.c, lead}
}

// dense is an order over all term IDs: term t's entries are
// ent[off[t]:off[t+1]].
type dense struct {
	off []uint32
	ent []ent
}

func (d *dense) rng(t uint32) []ent {
	if int(t)+1 >= len(d.off) {
		return nil
	}
	return d.ent[d.off[t]:d.off[t+1]]
}

// sparse is an order over the few terms that lead it (predicates, graphs):
// keys[i]'s entries are ent[off[i]:off[i+1]].
type sparse struct {
	keys []uint32
	off  []uint32
	ent  []ent
}

func (s *sparse) rng(t uint32) []ent {
	i, ok := slices.BinarySearch(s.keys, t)
	if !ok {
		return nil
	}
	return s.ent[s.off[i]:s.off[i+1]]
}

// base is the immutable bulk of an index, for terms 1..n: every quad in
// the S, O and G orders, and each term's preferred label. The base keeps
// no P order: a predicate's quads are its ranges in the G order of the
// graphs that use it, which preds lists.
type base struct {
	n      uint32
	quads  int64
	s, o   dense
	g      sparse // includes key 0, the default graph
	preds  predGraphs
	labels []uint32
}

// predGraphs lists, for each predicate, the graphs holding quads with it
// and how many.
type predGraphs struct {
	keys   []uint32 // predicates
	off    []uint32 // keys[i]'s graphs are graphs[off[i]:off[i+1]]
	graphs []uint32
	counts []uint32
	totals []int64
}

// graphsOf returns the graphs holding quads with predicate p, and their
// number of such quads.
func (pg *predGraphs) graphsOf(p uint32) (graphs, counts []uint32, total int64) {
	i, ok := slices.BinarySearch(pg.keys, p)
	if !ok {
		return nil, nil, 0
	}
	return pg.graphs[pg.off[i]:pg.off[i+1]], pg.counts[pg.off[i]:pg.off[i+1]], pg.totals[i]
}

// rng returns term t's entries in order o, which is not byP.
func (b *base) rng(o order, t uint32) []ent {
	switch o {
	case byS:
		return b.s.rng(t)
	case byO:
		return b.o.rng(t)
	case byG:
		return b.g.rng(t)
	}
	panic("memindex: the base has no P order")
}

// label returns term t's preferred label as of the base.
func (b *base) label(t uint32) uint32 {
	if int(t) < len(b.labels) {
		return b.labels[t]
	}
	return 0
}

func (b *base) size() int64 {
	pg := &b.preds
	n := int64(cap(b.s.off)+cap(b.o.off)+cap(b.g.off)+cap(b.g.keys)+cap(b.labels)) * 4
	n += int64(cap(pg.keys)+cap(pg.off)+cap(pg.graphs)+cap(pg.counts)+2*cap(pg.totals)) * 4
	return n + int64(cap(b.s.ent)+cap(b.o.ent)+cap(b.g.ent))*12
}

// predRange returns the part of a node's entries r (of an order whose a is
// the predicate) with predicate p.
func predRange(r []ent, p uint32) []ent {
	lo, _ := slices.BinarySearchFunc(r, p, byA)
	n, _ := slices.BinarySearchFunc(r[lo:], p+1, byA)
	return r[lo : lo+n]
}

func byA(e ent, p uint32) int { return cmp.Compare(e.a, p) }

// has reports whether the base holds q.
func (b *base) has(q q4) bool {
	_, e := byS.split(q)
	_, ok := slices.BinarySearchFunc(b.s.rng(q.s), e, ent.cmp)
	return ok
}

// chunkSize is the length of the chunks quads are gathered in, so that
// gathering millions never copies them to grow a slice.
const chunkSize = 1 << 16

// chunks is a list of quads gathered in chunks.
type chunks [][]q4

func (c *chunks) add(q q4) {
	if n := len(*c); n == 0 || len((*c)[n-1]) == chunkSize {
		*c = append(*c, make([]q4, 0, chunkSize))
	}
	last := &(*c)[len(*c)-1]
	*last = append(*last, q)
}

func (c chunks) len() int {
	if len(c) == 0 {
		return 0
	}
	return (len(c)-1)*chunkSize + len(c[len(c)-1])
}

// buildBase builds a base over terms 1..n from qs, which may hold
// duplicates and come in any order; sorted says they are already distinct
// and sorted by S, P, O, G, as a compaction gives them. It drops qs as soon
// as it can (callers pass their only reference). Counting sorts place every
// quad in O(n + len(qs)) per order; only each subject's few entries are
// sorted by comparison.
func buildBase(qs chunks, n uint32, sorted bool, tv *terms, labelID uint32) *base {
	b := &base{n: n}
	// S order: bucket by subject, sort each subject's entries, drop
	// duplicates.
	off := make([]uint32, n+2)
	for _, c := range qs {
		for _, q := range c {
			off[q.s+1]++
		}
	}
	for t := uint32(1); t < n+2; t++ {
		off[t] += off[t-1]
	}
	pos := slices.Clone(off)
	sEnt := make([]ent, qs.len())
	for i, c := range qs {
		for _, q := range c {
			sEnt[pos[q.s]] = ent{q.p, q.o, q.g}
			pos[q.s]++
		}
		qs[i] = nil
	}
	qs = nil
	if !sorted {
		w := uint32(0)
		for t := uint32(0); t <= n; t++ {
			r := sEnt[off[t]:off[t+1]]
			sortEnts(r)
			off[t] = w
			for i, e := range r {
				if i == 0 || e != r[i-1] {
					sEnt[w] = e
					w++
				}
			}
		}
		off[n+1] = w
		if int(w) < len(sEnt) {
			sEnt = slices.Clone(sEnt[:w])
		}
	}
	b.s = dense{off: off, ent: sEnt}
	b.quads = int64(len(sEnt))

	// tmp holds the quads sorted by P, S, O, G: S order scattered stably
	// by predicate.
	tmp := make([]q4, len(sEnt))
	pos = counts(n, func(yield func(uint32)) {
		for _, e := range sEnt {
			yield(e.a)
		}
	})
	for t := uint32(1); t <= n; t++ {
		for _, e := range b.s.rng(t) {
			tmp[pos[e.a]] = q4{t, e.a, e.b, e.c}
			pos[e.a]++
		}
	}
	// The O and G orders from tmp, and the labels from the S order, are
	// independent: build them side by side.
	var wg sync.WaitGroup
	wg.Go(func() { b.o = buildO(tmp, n) })
	wg.Go(func() { b.g, b.preds = buildG(tmp, n) })
	b.labels = make([]uint32, n+1)
	if labelID != 0 {
		for t := uint32(1); t <= n; t++ {
			b.labels[t] = bestLabel(tv, predRange(b.s.rng(t), labelID))
		}
	}
	wg.Wait()
	return b
}

// buildO returns the O order: tmp (sorted P, S, O, G) scattered stably by
// object is sorted O, P, S, G.
func buildO(tmp []q4, n uint32) dense {
	off := counts(n, func(yield func(uint32)) {
		for _, q := range tmp {
			yield(q.o)
		}
	})
	pos := slices.Clone(off)
	es := make([]ent, len(tmp))
	for _, q := range tmp {
		es[pos[q.o]] = ent{q.p, q.s, q.g}
		pos[q.o]++
	}
	return dense{off: off, ent: es}
}

// buildG returns the G order, tmp (sorted P, S, O, G) scattered stably by
// graph, and the list of graphs of each predicate.
func buildG(tmp []q4, n uint32) (sparse, predGraphs) {
	off := counts(n, func(yield func(uint32)) {
		for _, q := range tmp {
			yield(q.g)
		}
	})
	pos := slices.Clone(off)
	es := make([]ent, len(tmp))
	for _, q := range tmp {
		es[pos[q.g]] = ent{q.p, q.s, q.o}
		pos[q.g]++
	}
	g := toSparse(off, es)
	type pgc struct{ p, g, n uint32 }
	var pairs []pgc
	for i, key := range g.keys {
		r := es[g.off[i]:g.off[i+1]]
		for j := 0; j < len(r); {
			k := j + len(predRange(r[j:], r[j].a))
			pairs = append(pairs, pgc{r[j].a, key, uint32(k - j)})
			j = k
		}
	}
	slices.SortFunc(pairs, func(x, y pgc) int {
		if c := cmp.Compare(x.p, y.p); c != 0 {
			return c
		}
		return cmp.Compare(x.g, y.g)
	})
	var pg predGraphs
	for i, x := range pairs {
		if i == 0 || x.p != pairs[i-1].p {
			pg.keys = append(pg.keys, x.p)
			pg.off = append(pg.off, uint32(i))
			pg.totals = append(pg.totals, 0)
		}
		pg.graphs = append(pg.graphs, x.g)
		pg.counts = append(pg.counts, x.n)
		pg.totals[len(pg.totals)-1] += int64(x.n)
	}
	pg.off = append(pg.off, uint32(len(pairs)))
	return g, pg
}

// counts returns the offsets of a counting sort by key (0..n).
func counts(n uint32, keys func(yield func(uint32))) []uint32 {
	off := make([]uint32, n+2)
	keys(func(k uint32) { off[k+1]++ })
	for t := uint32(1); t < n+2; t++ {
		off[t] += off[t-1]
	}
	return off
}

// toSparse keeps the offsets of the keys that have entries.
func toSparse(off []uint32, e []ent) sparse {
	var s sparse
	for t := 0; t+1 < len(off); t++ {
		if off[t+1] > off[t] {
			s.keys = append(s.keys, uint32(t))
			s.off = append(s.off, off[t])
		}
	}
	s.off = append(s.off, uint32(len(e)))
	s.ent = e
	return s
}

func sortEnts(r []ent) {
	if len(r) <= 12 {
		for i := 1; i < len(r); i++ {
			for j := i; j > 0 && r[j].cmp(r[j-1]) < 0; j-- {
				r[j], r[j-1] = r[j-1], r[j]
			}
		}
		return
	}
	slices.SortFunc(r, ent.cmp)
}

// bestLabel returns the label the service prefers among the objects of a
// node's rdfs:label entries r (S order), zero if none is a literal.
func bestLabel(tv *terms, r []ent) uint32 {
	var best uint32
	var bv quad.Value
	for i, e := range r {
		if i > 0 && e.b == r[i-1].b {
			continue // the same label in another graph
		}
		if v := tv.value(e.b); frontier.PreferLabel(v, bv) {
			best, bv = e.b, v
		}
	}
	return best
}
