package memindex

import (
	"cmp"
	"slices"

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

// order is one of the four sort orders every quad is kept in. Each is
// sorted by its lead term, then a, b, c. The S, O and G orders have the
// predicate second, so a node's quads with one predicate are contiguous;
// the P order has the graph second, so Count(P, G) is a range too.
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

// predFirst reports whether the order's a is the predicate.
func (o order) predFirst() bool { return o != byP }

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

// base is the immutable bulk of an index: every quad in the four orders,
// and each term's preferred label, for terms 1..n.
type base struct {
	n      uint32
	quads  int64
	s, o   dense
	p, g   sparse // g includes key 0, the default graph
	labels []uint32
}

func (b *base) rng(o order, t uint32) []ent {
	switch o {
	case byS:
		return b.s.rng(t)
	case byO:
		return b.o.rng(t)
	case byP:
		return b.p.rng(t)
	}
	return b.g.rng(t)
}

// label returns term t's preferred label as of the base.
func (b *base) label(t uint32) uint32 {
	if int(t) < len(b.labels) {
		return b.labels[t]
	}
	return 0
}

func (b *base) size() int64 {
	n := int64(cap(b.s.off)+cap(b.o.off)+cap(b.p.off)+cap(b.g.off)+cap(b.p.keys)+cap(b.g.keys)+cap(b.labels)) * 4
	return n + int64(cap(b.s.ent)+cap(b.o.ent)+cap(b.p.ent)+cap(b.g.ent))*12
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

// buildBase builds a base over terms 1..n from qs, which may hold
// duplicates and come in any order; sorted says they are already distinct
// and sorted by S, P, O, G, as a compaction gives them. qs is reused as
// scratch. Counting sorts place every quad in O(n + len(qs)) per order; only
// each subject's few entries are sorted by comparison.
func buildBase(qs []q4, n uint32, sorted bool, tv *terms, labelID uint32) *base {
	b := &base{n: n}
	// S order: bucket by subject, sort each subject's entries, drop
	// duplicates.
	off := make([]uint32, n+2)
	for _, q := range qs {
		off[q.s+1]++
	}
	for t := uint32(1); t < n+2; t++ {
		off[t] += off[t-1]
	}
	pos := slices.Clone(off)
	sEnt := make([]ent, len(qs))
	for _, q := range qs {
		sEnt[pos[q.s]] = ent{q.p, q.o, q.g}
		pos[q.s]++
	}
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
		sEnt = slices.Clip(sEnt[:w])
	}
	b.s = dense{off: off, ent: sEnt}
	b.quads = int64(len(sEnt))

	// tmp holds the quads sorted by P, S, O, G: S order scattered stably
	// by predicate.
	tmp := qs[:len(sEnt)]
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
	// O order: tmp scattered stably by object is sorted O, P, S, G.
	oOff := counts(n, func(yield func(uint32)) {
		for _, q := range tmp {
			yield(q.o)
		}
	})
	pos = slices.Clone(oOff)
	oEnt := make([]ent, len(tmp))
	for _, q := range tmp {
		oEnt[pos[q.o]] = ent{q.p, q.s, q.g}
		pos[q.o]++
	}
	b.o = dense{off: oOff, ent: oEnt}
	// G order: tmp scattered by graph is sorted G, P, S, O.
	gOff := counts(n, func(yield func(uint32)) {
		for _, q := range tmp {
			yield(q.g)
		}
	})
	pos = slices.Clone(gOff)
	gEnt := make([]ent, len(tmp))
	for _, q := range tmp {
		gEnt[pos[q.g]] = ent{q.p, q.s, q.o}
		pos[q.g]++
	}
	b.g = toSparse(gOff, gEnt)
	// P order: G order scattered by predicate is sorted P, G, S, O.
	pOff := counts(n, func(yield func(uint32)) {
		for _, e := range gEnt {
			yield(e.a)
		}
	})
	pos = slices.Clone(pOff)
	pEnt := make([]ent, len(gEnt))
	for i, g := range b.g.keys {
		for _, e := range gEnt[b.g.off[i]:b.g.off[i+1]] {
			pEnt[pos[e.a]] = ent{g, e.b, e.c}
			pos[e.a]++
		}
	}
	b.p = toSparse(pOff, pEnt)

	b.labels = make([]uint32, n+1)
	if labelID != 0 {
		for t := uint32(1); t <= n; t++ {
			b.labels[t] = bestLabel(tv, predRange(b.s.rng(t), labelID))
		}
	}
	return b
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
		if v := tv.value(e.b); preferLabel(v, bv) {
			best, bv = e.b, v
		}
	}
	return best
}

// preferLabel is frontier.BetterLabel with its ties (equal rank and text,
// such as "x" and "x"^^xsd:token) broken by the values' N-Quads forms, so
// the choice never depends on the order quads arrived in.
func preferLabel(v, best quad.Value) bool {
	if frontier.BetterLabel(v, best) {
		return true
	}
	if best == nil || frontier.BetterLabel(best, v) {
		return false
	}
	return v.String() < best.String()
}
