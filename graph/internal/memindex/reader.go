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
	st    *state
	buf   []rent   // overlay scratch
	enc   []byte   // encoding scratch
	preds []uint32 // normalised predicate set
	ents  []ent    // label scratch
	depth int      // calls running: a call made from inside a walk's fn is nested
}

// enter starts a call and returns the overlay scratch it may use: the
// reader's own for an outermost call, a fresh one for a call made from
// inside another call's fn (frontier.Reader allows that nesting, and the
// outer walk is still iterating the reader's own buffer).
func (r *reader) enter() *[]rent {
	r.depth++
	if r.depth == 1 {
		return &r.buf
	}
	return new([]rent)
}

func (r *reader) leave() { r.depth-- }

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
	buf := r.enter()
	defer r.leave()
	for i, v := range vals {
		if i%checkEvery == checkEvery-1 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		var t uint32
		t, r.enc = r.st.terms.lookup(v, r.enc)
		if t != 0 && !r.live(t, buf) {
			t = 0
		}
		out[i] = frontier.ID(t)
	}
	return nil
}

// live reports whether term t is in some quad of the generation.
func (r *reader) live(t uint32, buf *[]rent) bool {
	for o := byS; o <= byG; o++ {
		if r.st.degree(o, t, buf) > 0 {
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

// normPreds returns preds as sorted, distinct term IDs of the generation
// (IDs naming no term match nothing and are dropped), in into's storage.
func (r *reader) normPreds(preds []frontier.ID, into []uint32) []uint32 {
	into = into[:0]
	for _, p := range preds {
		if t := r.term(p); t != 0 {
			into = append(into, t)
		}
	}
	slices.Sort(into)
	return slices.Compact(into)
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
	buf := r.enter()
	defer r.leave()
	var ps []uint32
	if preds != nil {
		if r.depth == 1 {
			r.preds = r.normPreds(preds, r.preds)
			ps = r.preds
		} else {
			ps = r.normPreds(preds, nil)
		}
		if len(ps) == 0 {
			return nil
		}
	}
	var (
		work    int
		err     error
		stopped bool
		i       int
		t       uint32
	)
	emit := func(e ent) bool {
		if work++; work >= checkEvery {
			work = 0
			if err = ctx.Err(); err != nil {
				return false
			}
		}
		q := o.join(t, e)
		if !fn(i, frontier.Quad{S: frontier.ID(q.s), P: frontier.ID(q.p), O: frontier.ID(q.o), G: frontier.ID(q.g)}) {
			stopped = true
			return false
		}
		return true
	}
	for i = range nodes {
		if work++; work >= checkEvery {
			work = 0
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		t = r.term(nodes[i])
		if t == 0 && (o != byG || nodes[i] != 0) {
			continue
		}
		nodePreds := ps
		if o == byP && ps != nil {
			if _, ok := slices.BinarySearch(ps, t); !ok {
				continue
			}
			nodePreds = nil
		}
		if !r.st.each(o, t, nodePreds, buf, emit) {
			if stopped {
				return nil
			}
			return err
		}
	}
	return nil
}

// All implements frontier.Reader; quads come sorted by subject,
// predicate, object and graph.
func (r *reader) All(ctx context.Context, fn func(q frontier.Quad) bool) error {
	if err := r.ready(ctx); err != nil {
		return err
	}
	buf := r.enter()
	defer r.leave()
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
		if !r.st.each(byS, t, nil, buf, emit) {
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
	buf := r.enter()
	defer r.leave()
	var ents []ent
	if r.depth == 1 {
		ents = r.ents
		defer func() { r.ents = ents }()
	}
	var types []frontier.ID // one backing array for every node's types
	ends := make([]int, len(ids))
	for i, id := range ids {
		if i%checkEvery == checkEvery-1 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		t := r.term(id)
		out[i] = frontier.Facts{}
		if t != 0 && st.typeID != 0 {
			var last uint32
			st.each(byS, t, []uint32{st.typeID}, buf, func(e ent) bool {
				if e.b != last { // entries come sorted by object, then graph
					types, last = append(types, frontier.ID(e.b)), e.b
				}
				return true
			})
		}
		ends[i] = len(types)
		if t == 0 || st.labelID == 0 {
			continue
		}
		if !st.touched[byS].has(t) {
			out[i].Label = frontier.ID(st.base.label(t))
			continue
		}
		ents = ents[:0]
		st.each(byS, t, []uint32{st.labelID}, buf, func(e ent) bool {
			ents = append(ents, e)
			return true
		})
		out[i].Label = frontier.ID(bestLabel(&st.terms, ents))
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
	buf := r.enter()
	defer r.leave()
	n, exact := r.st.count(q4{k[0], k[1], k[2], k[3]}, buf)
	return n, exact, nil
}

// Close implements frontier.Reader: it unpins the generation.
func (r *reader) Close() error {
	r.st = nil
	return nil
}
