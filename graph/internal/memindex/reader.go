package memindex

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
)

// checkEvery is how many nodes or quads a Reader handles between looks at
// its ctx.
const checkEvery = 1024

// reader is a frontier.Reader pinned to one generation. Its IDs are the
// dictionary's term IDs, which stay the same across generations.
type reader struct {
	st   *state
	buf  []rent // overlay scratch of the methods that call no fn
	enc  []byte // encoding scratch
	ents []ent  // label scratch

	// Scratch of Quads and All, used by the outermost call only: fn may
	// call the Reader again (a nested-loop join does), and inner calls
	// take fresh buffers.
	depth int
	walk  walkScratch
}

type walkScratch struct {
	buf      []rent
	preds    []uint32
	visit    []uint64
	visitTmp []uint64
	// quads is the state of a Quads call's walk, and emit its method
	// value, made once: a closure over the call's variables cost four
	// allocations per call.
	quads quadsWalk
	emit  func(ent) bool
}

// quadsWalk gives the entries of one node of a Quads call to its fn as
// quads, checking ctx every checkEvery entries.
type quadsWalk struct {
	ctx     context.Context
	fn      func(i int, q frontier.Quad) bool
	o       order
	i       int
	t       uint32
	work    int
	err     error
	stopped bool
}

func (q *quadsWalk) emit(e ent) bool {
	if q.work++; q.work >= checkEvery {
		q.work = 0
		if q.err = q.ctx.Err(); q.err != nil {
			return false
		}
	}
	x := q.o.join(q.t, e)
	if !q.fn(q.i, frontier.Quad{S: frontier.ID(x.s), P: frontier.ID(x.p), O: frontier.ID(x.o), G: frontier.ID(x.g)}) {
		q.stopped = true
		return false
	}
	return true
}

// scratch returns the walk scratch for a call of Quads or All, and the
// func to call when it ends.
func (r *reader) scratch() (*walkScratch, func()) {
	r.depth++
	w := &r.walk
	if r.depth > 1 {
		w = &walkScratch{}
	}
	return w, func() { r.depth-- }
}

var _ frontier.Reader = (*reader)(nil)

// term converts an ID to a term ID of the pinned generation, zero if it
// names none.
func (r *reader) term(id frontier.ID) uint32 {
	if id > math.MaxUint32 || uint32(id) > r.st.terms.n {
		return 0
	}
	return uint32(id)
}

func (r *reader) ready(ctx context.Context) error {
	if r.st == nil {
		return ErrClosed
	}
	return ctx.Err()
}

// Lookup implements frontier.Reader. A value whose quads have all been
// removed is absent, though its ID stays reserved.
func (r *reader) Lookup(ctx context.Context, vals []quad.Value, out []frontier.ID) error {
	if err := r.ready(ctx); err != nil {
		return err
	}
	for i, v := range vals {
		if i%checkEvery == checkEvery-1 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		var t uint32
		t, r.enc = r.st.terms.lookup(v, r.enc)
		if t != 0 && !r.live(t) {
			t = 0
		}
		out[i] = frontier.ID(t)
	}
	return nil
}

// live reports whether term t is in some quad of the generation.
func (r *reader) live(t uint32) bool {
	for o := byS; o <= byG; o++ {
		if r.st.degree(o, t, &r.buf) > 0 {
			return true
		}
	}
	return false
}

// Values implements frontier.Reader.
func (r *reader) Values(ctx context.Context, ids []frontier.ID, out []quad.Value) error {
	if err := r.ready(ctx); err != nil {
		return err
	}
	for i, id := range ids {
		if i%checkEvery == checkEvery-1 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		out[i] = r.st.terms.value(r.term(id))
	}
	return nil
}

// IRIs sets out[i] to whether ids[i] names an IRI of the pinned
// generation (false for zero and for IDs past it), from the dictionary's
// bitmap of IRIs: a walk that keeps the IRIs among thousands of
// neighbours learns which they are without building their values (or
// reading their scattered encodings, as Kinds must for the other kinds).
// len(out) == len(ids).
func (r *reader) IRIs(ctx context.Context, ids []frontier.ID, out []bool) error {
	if err := r.ready(ctx); err != nil {
		return err
	}
	for i, id := range ids {
		if i%checkEvery == checkEvery-1 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		t := r.term(id)
		out[i] = t != 0 && r.st.terms.isIRI(t)
	}
	return nil
}

// Kinds sets out[i] to the kind of ids[i] from the first byte of its
// encoding, without decoding the value: the SPARQL engine's isIRI and
// friends on a walk's frontier. len(out) == len(ids).
func (r *reader) Kinds(ctx context.Context, ids []frontier.ID, out []frontier.Kind) error {
	if err := r.ready(ctx); err != nil {
		return err
	}
	for i, id := range ids {
		out[i] = frontier.KindUnknown
		t := r.term(id)
		if t == 0 {
			continue
		}
		switch r.st.terms.enc(t)[0] {
		case kindIRI:
			out[i] = frontier.KindIRI
		case kindBNode:
			out[i] = frontier.KindBlank
		default:
			out[i] = frontier.KindLiteral
		}
	}
	return nil
}

// normPreds returns preds as sorted, distinct term IDs of the generation
// (IDs naming no term match nothing and are dropped), in buf.
func (r *reader) normPreds(preds []frontier.ID, buf []uint32) []uint32 {
	buf = buf[:0]
	for _, p := range preds {
		if t := r.term(p); t != 0 {
			buf = append(buf, t)
		}
	}
	slices.Sort(buf)
	return slices.Compact(buf)
}

// Quads implements frontier.Reader. A node's quads come sorted by their
// order's keys (for Subject: predicate, object, graph). Node zero in the
// Label direction names the default graph.
func (r *reader) Quads(ctx context.Context, dir quad.Direction, nodes []frontier.ID, preds []frontier.ID, fn func(i int, q frontier.Quad) bool) error {
	if err := r.ready(ctx); err != nil {
		return err
	}
	o, ok := orderOf(dir)
	if !ok {
		return fmt.Errorf("memindex: Quads in direction %v", dir)
	}
	w, done := r.scratch()
	defer done()
	var ps []uint32
	if preds != nil {
		w.preds = r.normPreds(preds, w.preds)
		if len(w.preds) == 0 {
			return nil
		}
		ps = w.preds
	}
	q := &w.quads
	*q = quadsWalk{ctx: ctx, fn: fn, o: o}
	defer func() { *q = quadsWalk{} }() // holds nothing of the caller's after
	if w.emit == nil {
		w.emit = q.emit
	}
	// A big frontier is visited in ID order, which walks the arrays
	// forward instead of jumping about them (quads of one node still come
	// together; no other order is promised).
	visit := r.visitOrder(nodes, w)
	for k := range nodes {
		if q.work++; q.work >= checkEvery {
			q.work = 0
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if visit != nil {
			q.i, q.t = int(uint32(visit[k])), uint32(visit[k]>>32)
		} else {
			q.i, q.t = k, r.term(nodes[k])
		}
		if q.t == 0 && (o != byG || nodes[q.i] != 0) {
			continue
		}
		nodePreds := ps
		if o == byP && ps != nil {
			if _, ok := slices.BinarySearch(ps, q.t); !ok {
				continue
			}
			nodePreds = nil
		}
		if !r.st.each(o, q.t, nodePreds, &w.buf, w.emit) {
			if q.stopped {
				return nil
			}
			return q.err
		}
	}
	return nil
}

// visitSorted is the frontier size from which Quads visits nodes in ID
// order.
const visitSorted = 1024

// visitOrder returns, for a frontier of at least visitSorted nodes, the
// term of each node and its index, packed term<<32 | index and sorted;
// nil for a smaller one.
func (r *reader) visitOrder(nodes []frontier.ID, w *walkScratch) []uint64 {
	if len(nodes) < visitSorted || len(nodes) > math.MaxUint32 {
		return nil
	}
	v := w.visit[:0]
	for i, n := range nodes {
		v = append(v, uint64(r.term(n))<<32|uint64(i))
	}
	w.visit, w.visitTmp = radixSortHigh(v, w.visitTmp)
	return w.visit
}

// radixSortHigh sorts v by its high 32 bits (stably: indices stay in
// order), using tmp (grown as needed) as scratch; it returns the sorted
// slice and the scratch, one of them v's array.
func radixSortHigh(v, tmp []uint64) (sorted, scratch []uint64) {
	if cap(tmp) < len(v) {
		tmp = make([]uint64, len(v))
	}
	tmp = tmp[:len(v)]
	var count [1 << 11]int
	for shift := uint(32); shift < 64; shift += 11 {
		clear(count[:])
		for _, x := range v {
			count[(x>>shift)&(1<<11-1)]++
		}
		sum := 0
		for i, c := range count {
			count[i], sum = sum, sum+c
		}
		for _, x := range v {
			d := (x >> shift) & (1<<11 - 1)
			tmp[count[d]] = x
			count[d]++
		}
		v, tmp = tmp, v
	}
	return v, tmp
}

// All implements frontier.Reader; quads come sorted by subject,
// predicate, object and graph.
func (r *reader) All(ctx context.Context, fn func(q frontier.Quad) bool) error {
	if err := r.ready(ctx); err != nil {
		return err
	}
	w, done := r.scratch()
	defer done()
	var (
		work    int
		err     error
		stopped bool
		t       uint32
	)
	emit := func(e ent) bool {
		if work++; work >= checkEvery {
			work = 0
			if err = ctx.Err(); err != nil {
				return false
			}
		}
		if !fn(frontier.Quad{S: frontier.ID(t), P: frontier.ID(e.a), O: frontier.ID(e.b), G: frontier.ID(e.c)}) {
			stopped = true
			return false
		}
		return true
	}
	for t = 1; t <= r.st.terms.n; t++ {
		if !r.st.each(byS, t, nil, &w.buf, emit) {
			if stopped {
				return nil
			}
			return err
		}
	}
	return nil
}

// Describe implements frontier.Reader. Types come sorted by ID. Labels
// tied under frontier.BetterLabel go to the smaller N-Quads form.
func (r *reader) Describe(ctx context.Context, ids []frontier.ID, out []frontier.Facts) error {
	if err := r.ready(ctx); err != nil {
		return err
	}
	st := r.st
	var types []frontier.ID // one backing array for every node's types
	ends := make([]int, len(ids))
	typeOnly := []uint32{st.typeID}
	labelOnly := []uint32{st.labelID}
	var last uint32
	addType := func(e ent) bool {
		if e.b != last { // entries come sorted by object, then graph
			types, last = append(types, frontier.ID(e.b)), e.b
		}
		return true
	}
	addLabel := func(e ent) bool {
		r.ents = append(r.ents, e)
		return true
	}
	for i, id := range ids {
		if i%checkEvery == checkEvery-1 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		t := r.term(id)
		out[i] = frontier.Facts{}
		if t == 0 {
			ends[i] = len(types)
			continue
		}
		touched := st.touched[byS].has(t)
		if st.typeID != 0 {
			last = 0
			if touched {
				st.each(byS, t, typeOnly, &r.buf, addType)
			} else {
				for _, e := range predRange(st.base.s.rng(t), st.typeID) {
					addType(e)
				}
			}
		}
		ends[i] = len(types)
		switch {
		case st.labelID == 0:
		case !touched:
			out[i].Label = frontier.ID(st.base.label(t))
		default:
			r.ents = r.ents[:0]
			st.each(byS, t, labelOnly, &r.buf, addLabel)
			out[i].Label = frontier.ID(bestLabel(&st.terms, r.ents))
		}
	}
	start := 0
	for i, end := range ends {
		if end > start {
			out[i].Types = types[start:end:end]
		}
		start = end
	}
	return nil
}

// Count implements frontier.Reader. It is exact except for patterns of two
// or three bound terms that no order has as a prefix (subject and object,
// say) over more than 65,536 quads, where it gives the count of the
// longest prefix, an upper bound.
func (r *reader) Count(ctx context.Context, pattern frontier.Quad) (int64, bool, error) {
	if err := r.ready(ctx); err != nil {
		return 0, false, err
	}
	var k [4]uint32
	for i, id := range [4]frontier.ID{pattern.S, pattern.P, pattern.O, pattern.G} {
		if id == 0 {
			continue
		}
		if k[i] = r.term(id); k[i] == 0 {
			return 0, true, nil
		}
	}
	n, exact := r.st.count(q4{k[0], k[1], k[2], k[3]}, &r.buf)
	return n, exact, nil
}

// Close implements frontier.Reader: it unpins the generation.
func (r *reader) Close() error {
	r.st = nil
	return nil
}
