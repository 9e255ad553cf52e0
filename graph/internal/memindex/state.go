package memindex

import (
	"cmp"
	"slices"
)

// rent is a run's entry: a quad in one order, and whether the run removes
// it (del) or adds it.
type rent struct {
	lead uint32
	e    ent
	del  bool
}

func (x rent) cmp(y rent) int {
	if c := cmp.Compare(x.lead, y.lead); c != 0 {
		return c
	}
	return x.e.cmp(y.e)
}

// run is one immutable layer of changes over the base: every entry toggles
// its quad relative to the layers below (an add is of a quad they lack, a
// remove of one they hold), in all four orders.
type run struct {
	ord [4][]rent
	net int64 // quads added minus removed
}

func (r *run) size() int { return len(r.ord[byS]) }

// rng returns the run's entries of lead t in order o.
func (r *run) rng(o order, t uint32) []rent {
	es := r.ord[o]
	lo, _ := slices.BinarySearchFunc(es, t, func(x rent, t uint32) int { return cmp.Compare(x.lead, t) })
	hi, _ := slices.BinarySearchFunc(es[lo:], t+1, func(x rent, t uint32) int { return cmp.Compare(x.lead, t) })
	return es[lo : lo+hi]
}

// newRun makes a run of toggles, each a quad with del set for a removal.
func newRun(toggles []rent) *run {
	r := &run{}
	for o := range r.ord {
		es := make([]rent, len(toggles))
		for i, t := range toggles {
			q := byS.join(t.lead, t.e)
			lead, e := order(o).split(q)
			es[i] = rent{lead, e, t.del}
		}
		slices.SortFunc(es, rent.cmp)
		r.ord[o] = es
	}
	for _, t := range toggles {
		if t.del {
			r.net--
		} else {
			r.net++
		}
	}
	return r
}

// merge returns one run equivalent to a followed by b: a quad toggled by
// both is back as it was, and drops out.
func merge(a, b *run) *run {
	r := &run{net: a.net + b.net}
	for o := range r.ord {
		x, y := a.ord[o], b.ord[o]
		out := make([]rent, 0, len(x)+len(y))
		i, j := 0, 0
		for i < len(x) && j < len(y) {
			switch c := x[i].cmp(y[j]); {
			case c < 0:
				out = append(out, x[i])
				i++
			case c > 0:
				out = append(out, y[j])
				j++
			default:
				i, j = i+1, j+1
			}
		}
		out = append(append(out, x[i:]...), y[j:]...)
		r.ord[o] = slices.Clip(out)
	}
	return r
}

// bitset marks term IDs, in blocks of 4,096 shared between the bitsets
// of successive generations: with copies only the blocks it changes, so a
// small Apply copies a few hundred bytes, not a bit per term.
type bitset []*[64]uint64

func (b bitset) has(t uint32) bool {
	i := t >> 12
	if int(i) >= len(b) || b[i] == nil {
		return false
	}
	return b[i][t>>6&63]&(1<<(t&63)) != 0
}

// with returns b (grown to hold n bits) with the leads of es set.
func (b bitset) with(n uint32, es []rent) bitset {
	if len(es) == 0 && int(n>>12) < len(b) {
		return b
	}
	c := make(bitset, max(len(b), int(n>>12)+1))
	copy(c, b)
	for _, e := range es {
		i := e.lead >> 12
		if c[i] == nil || int(i) < len(b) && c[i] == b[i] {
			blk := new([64]uint64)
			if c[i] != nil {
				*blk = *c[i]
			}
			c[i] = blk
		}
		c[i][e.lead>>6&63] |= 1 << (e.lead & 63)
	}
	return c
}

// state is one generation of an index: immutable once published.
type state struct {
	gen     uint64
	quads   int64
	terms   terms
	base    *base
	runs    []*run    // oldest first
	touched [4]bitset // per order, the leads some run has entries for
	typeID  uint32    // IDs of rdf:type and rdfs:label, zero while unknown
	labelID uint32
}

// overlaySize is the number of run entries (per order) over the base.
func (st *state) overlaySize() int {
	n := 0
	for _, r := range st.runs {
		n += r.size()
	}
	return n
}

// overlay returns the runs' entries for lead t in order o, resolved against
// each other: sorted by e, one per quad, del meaning the base holds the
// quad and this generation does not, and !del the reverse. Quads toggled an
// even number of times are as in the base and left out. buf is reused.
func (st *state) overlay(o order, t uint32, buf []rent) []rent {
	if !st.touched[o].has(t) {
		return nil
	}
	buf = buf[:0]
	from := 0
	for _, r := range st.runs {
		if es := r.rng(o, t); len(es) > 0 {
			buf = append(buf, es...)
			from++
		}
	}
	if from <= 1 {
		return buf
	}
	slices.SortStableFunc(buf, rent.cmp)
	// Runs toggle: an odd number of entries changes the quad, and the
	// newest (last, the sort being stable) says which way.
	w := 0
	for i := 0; i < len(buf); {
		j := i + 1
		for j < len(buf) && buf[j].e == buf[i].e {
			j++
		}
		if (j-i)%2 == 1 {
			buf[w] = buf[j-1]
			w++
		}
		i = j
	}
	return buf[:w]
}

// merged calls fn for the entries present in this generation, given a
// base range r and its resolved overlay ov (both sorted), in order, until fn
// returns false.
func merged(r []ent, ov []rent, fn func(ent) bool) bool {
	if len(ov) == 0 {
		for _, e := range r {
			if !fn(e) {
				return false
			}
		}
		return true
	}
	j := 0
	for _, e := range r {
		for ; j < len(ov) && ov[j].e.cmp(e) < 0; j++ {
			if !ov[j].del && !fn(ov[j].e) {
				return false
			}
		}
		if j < len(ov) && ov[j].e == e {
			j++
			if ov[j-1].del {
				continue
			}
		}
		if !fn(e) {
			return false
		}
	}
	for ; j < len(ov); j++ {
		if !ov[j].del && !fn(ov[j].e) {
			return false
		}
	}
	return true
}

// overlayPred returns the part of ov (sorted) with a == p.
func overlayPred(ov []rent, p uint32) []rent {
	lo, _ := slices.BinarySearchFunc(ov, p, func(x rent, p uint32) int { return cmp.Compare(x.e.a, p) })
	n, _ := slices.BinarySearchFunc(ov[lo:], p+1, func(x rent, p uint32) int { return cmp.Compare(x.e.a, p) })
	return ov[lo : lo+n]
}

// each calls fn for the entries of lead t in order o, in order, until fn
// returns false. With preds not nil (sorted, distinct; an order whose a is
// the predicate) only entries with a in preds are given.
func (st *state) each(o order, t uint32, preds []uint32, buf *[]rent, fn func(ent) bool) bool {
	if o == byP {
		return st.eachPred(t, buf, fn)
	}
	r := st.base.rng(o, t)
	ov := st.overlay(o, t, *buf)
	*buf = ov
	if preds == nil {
		return merged(r, ov, fn)
	}
	if len(r)+len(ov) <= 16*len(preds) {
		return merged(r, ov, func(e ent) bool {
			if _, ok := slices.BinarySearch(preds, e.a); !ok {
				return true
			}
			return fn(e)
		})
	}
	for _, p := range preds {
		if !merged(predRange(r, p), overlayPred(ov, p), fn) {
			return false
		}
	}
	return true
}

// eachPred calls fn for predicate p's quads as P-order entries (graph,
// subject, object), graph by graph, until fn returns false: the base has
// them in the G order.
func (st *state) eachPred(p uint32, buf *[]rent, fn func(ent) bool) bool {
	graphs, _, _ := st.base.preds.graphsOf(p)
	if st.touched[byP].has(p) {
		graphs = slices.Clone(graphs)
		for _, r := range st.runs {
			for _, x := range r.rng(byP, p) {
				graphs = append(graphs, x.e.a)
			}
		}
		slices.Sort(graphs)
		graphs = slices.Compact(graphs)
	}
	pp := []uint32{p}
	for _, g := range graphs {
		if !st.each(byG, g, pp, buf, func(e ent) bool { return fn(ent{g, e.b, e.c}) }) {
			return false
		}
	}
	return true
}

// has reports whether this generation holds q.
func (st *state) has(q q4) bool {
	in := st.base.has(q)
	if !st.touched[byS].has(q.s) {
		return in
	}
	lead, e := byS.split(q)
	for _, r := range st.runs {
		if _, ok := slices.BinarySearchFunc(r.ord[byS], rent{lead: lead, e: e}, rent.cmp); ok {
			in = !in
		}
	}
	return in
}

// degree returns the number of quads with lead t in order o.
func (st *state) degree(o order, t uint32, buf *[]rent) int64 {
	var n int64
	if o == byP {
		_, _, n = st.base.preds.graphsOf(t)
	} else {
		n = int64(len(st.base.rng(o, t)))
	}
	ov := st.overlay(o, t, *buf)
	*buf = ov
	for _, x := range ov {
		if x.del {
			n--
		} else {
			n++
		}
	}
	return n
}

// scanLimit is how many entries Count scans to give an exact answer for
// a pattern no order has as a prefix; beyond it, it gives the prefix's
// count as an upper bound.
const scanLimit = 1 << 16

// count returns the number of quads matching p (zero terms match any).
func (st *state) count(p q4, buf *[]rent) (int64, bool) {
	if p == (q4{}) {
		return st.quads, true
	}
	for _, t := range []uint32{p.s, p.p, p.o, p.g} {
		if t > st.terms.n {
			return 0, true
		}
	}
	if p.s == 0 && p.o == 0 && p.g == 0 {
		return st.degree(byP, p.p, buf), true
	}
	// The order whose lead and following keys cover most bound terms (the
	// P order is only a list of graphs in the base, and other orders cover
	// P with any other term).
	type plan struct {
		o      order
		lead   uint32
		key    ent
		prefix int  // bound keys after the lead
		full   bool // the prefix covers every bound term
		size   int
	}
	var best *plan
	for o := byS; o <= byG; o++ {
		lead, key := o.split(p)
		if lead == 0 || o == byP {
			continue
		}
		k := 0
		for _, v := range []uint32{key.a, key.b, key.c} {
			if v == 0 {
				break
			}
			k++
		}
		rest := 0
		for _, v := range []uint32{key.a, key.b, key.c}[k:] {
			if v != 0 {
				rest++
			}
		}
		pl := &plan{o: o, lead: lead, key: key, prefix: k, full: rest == 0, size: len(st.base.rng(o, lead))}
		if best == nil || pl.full && !best.full || pl.full == best.full && (pl.prefix > best.prefix || pl.prefix == best.prefix && pl.size < best.size) {
			best = pl
		}
	}
	r := narrow(st.base.rng(best.o, best.lead), best.key, best.prefix)
	ov := narrowOverlay(st.overlay(best.o, best.lead, *buf), best.key, best.prefix)
	*buf = ov
	n := int64(len(r))
	for _, x := range ov {
		if x.del {
			n--
		} else {
			n++
		}
	}
	if best.full {
		return n, true
	}
	if len(r) > scanLimit {
		return n, false
	}
	n = 0
	k := best.key
	merged(r, ov, func(e ent) bool {
		if (k.a == 0 || k.a == e.a) && (k.b == 0 || k.b == e.b) && (k.c == 0 || k.c == e.c) {
			n++
		}
		return true
	})
	return n, true
}

// prefixCmp compares the first k fields of e with key's.
func prefixCmp(e, key ent, k int) int {
	if k == 0 {
		return 0
	}
	if c := cmp.Compare(e.a, key.a); c != 0 || k == 1 {
		return c
	}
	if c := cmp.Compare(e.b, key.b); c != 0 || k == 2 {
		return c
	}
	return cmp.Compare(e.c, key.c)
}

// narrow returns the part of r (sorted) whose first k fields equal key's.
func narrow(r []ent, key ent, k int) []ent {
	lo, _ := slices.BinarySearchFunc(r, key, func(e, key ent) int { return prefixCmp(e, key, k) })
	n, _ := slices.BinarySearchFunc(r[lo:], key, func(e, key ent) int { return atMost(prefixCmp(e, key, k)) })
	return r[lo : lo+n]
}

func narrowOverlay(ov []rent, key ent, k int) []rent {
	lo, _ := slices.BinarySearchFunc(ov, key, func(x rent, key ent) int { return prefixCmp(x.e, key, k) })
	n, _ := slices.BinarySearchFunc(ov[lo:], key, func(x rent, key ent) int { return atMost(prefixCmp(x.e, key, k)) })
	return ov[lo : lo+n]
}

// atMost turns a comparison into one that finds the end of the equal run.
func atMost(c int) int {
	if c <= 0 {
		return -1
	}
	return 1
}

// withRun returns the next generation: st with run r on top. It merges
// the newest runs while the one below is at most ratio times larger, and
// keeps at most maxRuns besides the oldest frozen ones, which are being
// compacted and stay as they are.
func (st *state) withRun(r *run, tv terms, frozen, maxRuns, ratio int) *state {
	next := *st
	next.gen++
	next.quads += r.net
	next.terms = tv
	next.runs = append(slices.Clip(st.runs), r)
	for len(next.runs)-frozen >= 2 {
		k := len(next.runs)
		a, b := next.runs[k-2], next.runs[k-1]
		if a.size() > ratio*b.size() && k-frozen <= maxRuns {
			break
		}
		next.runs = next.runs[: k-2 : k-2]
		if m := merge(a, b); m.size() > 0 {
			next.runs = append(next.runs, m)
		}
	}
	for o := range next.touched {
		next.touched[o] = st.touched[o].with(tv.n, r.ord[o])
	}
	return &next
}

// compacted returns a base holding exactly what st holds.
func (st *state) compacted() *base {
	var qs chunks
	var buf []rent
	for t := uint32(1); t <= st.terms.n; t++ {
		st.each(byS, t, nil, &buf, func(e ent) bool {
			qs.add(byS.join(t, e))
			return true
		})
	}
	return buildBase(qs, st.terms.n, true, &st.terms, st.labelID)
}

// onBase returns st with the base b, which holds st.base and the oldest k
// runs, in place of them.
func (st *state) onBase(b *base, k int) *state {
	next := *st
	next.base = b
	next.runs = slices.Clone(st.runs[k:])
	for o := range next.touched {
		next.touched[o] = nil
		for _, r := range next.runs {
			next.touched[o] = next.touched[o].with(st.terms.n, r.ord[o])
		}
	}
	return &next
}
