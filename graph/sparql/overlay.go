package sparql

import (
	"context"
	"sort"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
)

// overlayBit marks the IDs an overlay gives values its base does not
// hold. (The evaluator's own local IDs use the bit above.)
const overlayBit ID = 1 << 62

// overlay is a frontier.Reader over a base Reader with quads added and
// removed in memory: what the operations of one update request see of
// the ones before them, and, at the end, the request's net change.
type overlay struct {
	base    frontier.Reader
	vals    []quad.Value // values new to the base: ID overlayBit|i
	ids     map[quad.Value]ID
	added   map[frontier.Quad]bool
	removed map[frontier.Quad]bool
	// index of added quads by each direction, rebuilt when dirty
	index [4]map[ID][]frontier.Quad
	dirty bool
}

var _ frontier.Reader = (*overlay)(nil)

func newOverlay(base frontier.Reader) *overlay {
	return &overlay{base: base, ids: map[quad.Value]ID{}, added: map[frontier.Quad]bool{}, removed: map[frontier.Quad]bool{}}
}

func (o *overlay) isNew(id ID) bool { return id&overlayBit != 0 }

// intern returns the ID of v in the overlay, giving a new value an ID of
// its own.
func (o *overlay) intern(ctx context.Context, vals []quad.Value, out []ID) error {
	if err := o.Lookup(ctx, vals, out); err != nil {
		return err
	}
	for i, v := range vals {
		if out[i] == 0 && v != nil {
			id := overlayBit | ID(len(o.vals))
			o.vals = append(o.vals, v)
			o.ids[v] = id
			out[i] = id
		}
	}
	return nil
}

// inBase reports for each quad whether the base holds it.
func (o *overlay) inBase(ctx context.Context, qs []frontier.Quad) ([]bool, error) {
	out := make([]bool, len(qs))
	bySubj := map[ID][]int{}
	var subjects []ID
	for i, q := range qs {
		if o.isNew(q.S) || o.isNew(q.P) || o.isNew(q.O) || o.isNew(q.G) {
			continue
		}
		if _, ok := bySubj[q.S]; !ok {
			subjects = append(subjects, q.S)
		}
		bySubj[q.S] = append(bySubj[q.S], i)
	}
	for start := 0; start < len(subjects); start += batchSize {
		chunk := subjects[start:min(start+batchSize, len(subjects))]
		err := o.base.Quads(ctx, quad.Subject, chunk, nil, func(i int, q frontier.Quad) bool {
			for _, j := range bySubj[chunk[i]] {
				if qs[j] == q {
					out[j] = true
				}
			}
			return true
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// insert adds quads (of overlay IDs).
func (o *overlay) insert(ctx context.Context, qs []frontier.Quad) error {
	in, err := o.inBase(ctx, qs)
	if err != nil {
		return err
	}
	for i, q := range qs {
		switch {
		case o.removed[q]:
			delete(o.removed, q)
		case !in[i] && !o.added[q]:
			o.added[q] = true
			o.dirty = true
		}
	}
	return nil
}

// remove deletes quads (of overlay IDs); quads not present are ignored.
func (o *overlay) remove(ctx context.Context, qs []frontier.Quad) error {
	in, err := o.inBase(ctx, qs)
	if err != nil {
		return err
	}
	for i, q := range qs {
		switch {
		case o.added[q]:
			delete(o.added, q)
			o.dirty = true
		case in[i]:
			o.removed[q] = true
		}
	}
	return nil
}

func (o *overlay) size() int64 { return int64(len(o.added) + len(o.removed)) }

func (o *overlay) reindex() {
	if !o.dirty && o.index[0] != nil {
		return
	}
	for d := range o.index {
		o.index[d] = map[ID][]frontier.Quad{}
	}
	keys := make([]frontier.Quad, 0, len(o.added))
	for q := range o.added {
		keys = append(keys, q)
	}
	// A stable order keeps walks deterministic.
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.S != b.S {
			return a.S < b.S
		}
		if a.P != b.P {
			return a.P < b.P
		}
		if a.O != b.O {
			return a.O < b.O
		}
		return a.G < b.G
	})
	for _, q := range keys {
		o.index[0][q.S] = append(o.index[0][q.S], q)
		o.index[1][q.P] = append(o.index[1][q.P], q)
		o.index[2][q.O] = append(o.index[2][q.O], q)
		o.index[3][q.G] = append(o.index[3][q.G], q)
	}
	o.dirty = false
}

func dirIndex(d quad.Direction) int {
	switch d {
	case quad.Subject:
		return 0
	case quad.Predicate:
		return 1
	case quad.Object:
		return 2
	}
	return 3
}

// Lookup implements frontier.Reader.
func (o *overlay) Lookup(ctx context.Context, vals []quad.Value, out []ID) error {
	if err := o.base.Lookup(ctx, vals, out); err != nil {
		return err
	}
	for i, v := range vals {
		if out[i] == 0 {
			out[i] = o.ids[v]
		}
	}
	return nil
}

// Values implements frontier.Reader.
func (o *overlay) Values(ctx context.Context, ids []ID, out []quad.Value) error {
	if err := o.base.Values(ctx, ids, out); err != nil {
		return err
	}
	for i, id := range ids {
		if o.isNew(id) && int(id&^overlayBit) < len(o.vals) {
			out[i] = o.vals[id&^overlayBit]
		}
	}
	return nil
}

// Quads implements frontier.Reader: for each node its base quads not
// removed, then its added quads.
func (o *overlay) Quads(ctx context.Context, dir quad.Direction, nodes []ID, preds []ID, fn func(i int, q frontier.Quad) bool) error {
	o.reindex()
	var ps map[ID]bool
	if preds != nil {
		ps = map[ID]bool{}
		for _, p := range preds {
			ps[p] = true
		}
	}
	idx := o.index[dirIndex(dir)]
	for start := 0; start < len(nodes); start += batchSize {
		chunk := nodes[start:min(start+batchSize, len(nodes))]
		per := make([][]frontier.Quad, len(chunk))
		// Only nodes the base knows go to it (zero in the Label direction
		// names its default graph, so a new node must not become zero).
		var baseNodes []ID
		var at []int
		for i, n := range chunk {
			if !o.isNew(n) {
				baseNodes = append(baseNodes, n)
				at = append(at, i)
			}
		}
		err := o.base.Quads(ctx, dir, baseNodes, preds, func(k int, q frontier.Quad) bool {
			if !o.removed[q] {
				per[at[k]] = append(per[at[k]], q)
			}
			return true
		})
		if err != nil {
			return err
		}
		for i, n := range chunk {
			for _, q := range per[i] {
				if !fn(start+i, q) {
					return nil
				}
			}
			for _, q := range idx[n] {
				if ps != nil && !ps[q.P] {
					continue
				}
				if !fn(start+i, q) {
					return nil
				}
			}
		}
	}
	return nil
}

// All implements frontier.Reader.
func (o *overlay) All(ctx context.Context, fn func(q frontier.Quad) bool) error {
	stopped := false
	err := o.base.All(ctx, func(q frontier.Quad) bool {
		if o.removed[q] {
			return true
		}
		if !fn(q) {
			stopped = true
			return false
		}
		return true
	})
	if err != nil || stopped {
		return err
	}
	o.reindex()
	for _, qs := range o.index[0] {
		for _, q := range qs {
			if !fn(q) {
				return nil
			}
		}
	}
	return nil
}

// Describe implements frontier.Reader; the engine does not use it, and
// the overlay answers with the base's facts.
func (o *overlay) Describe(ctx context.Context, ids []ID, out []frontier.Facts) error {
	return o.base.Describe(ctx, ids, out)
}

// Count implements frontier.Reader, as an estimate.
func (o *overlay) Count(ctx context.Context, p frontier.Quad) (int64, bool, error) {
	n, _, err := o.base.Count(ctx, p)
	if err != nil {
		return 0, false, err
	}
	for q := range o.added {
		if (p.S == 0 || p.S == q.S) && (p.P == 0 || p.P == q.P) && (p.O == 0 || p.O == q.O) && (p.G == 0 || p.G == q.G) {
			n++
		}
	}
	return n, false, nil
}

// Close implements frontier.Reader; the base is its owner's to close.
func (o *overlay) Close() error { return nil }
