// Package cayleystore answers frontier.Reader over any Cayley QuadStore
// (memstore, bolt, leveldb, PostgreSQL): the read path of a Store whose
// in-memory tier is off, or stale while it is rebuilt.
//
// Each Reader keeps its own dictionary from Cayley's node references to
// frontier IDs (dense, from one, in the order it first meets them), so IDs
// are valid within one Reader only, as the contract allows. Reads go to
// the backend at each call and see what is committed then: a Reader pins
// no snapshot. Quads walks Cayley's per-node quad iterator for each node;
// values are resolved in batches where the store offers one (Options).
//
// The package imports Cayley's graph package, the quad data model,
// graph/frontier and the standard library: no innograph store code.
package cayleystore

import (
	"context"
	"fmt"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
)

// Options tune a Source.
type Options struct {
	// ValuesOf resolves node references to values in one round trip.
	// Nil uses the store's own batch lookup (cgraph.BatchQuadStore) where
	// it has one, else NameOf per reference.
	ValuesOf func(ctx context.Context, refs []cgraph.Ref) ([]quad.Value, error)
	// CountAll counts every stored quad. Nil uses the store's Stats
	// (Cayley's SQL store caches its count, which writes that bypass
	// its ApplyDeltas leave stale: give CountAll there).
	CountAll func(ctx context.Context) (int64, error)
}

// Source hands out Readers over one QuadStore.
type Source struct {
	qs       cgraph.QuadStore
	valuesOf func(ctx context.Context, refs []cgraph.Ref) ([]quad.Value, error)
	countAll func(ctx context.Context) (int64, error)
}

var _ frontier.Source = (*Source)(nil)

// New returns a Source reading qs, which must stay open while its Readers
// are used.
func New(qs cgraph.QuadStore, opt Options) *Source {
	s := &Source{qs: qs, valuesOf: opt.ValuesOf, countAll: opt.CountAll}
	if s.valuesOf == nil {
		if bq, ok := qs.(cgraph.BatchQuadStore); ok {
			s.valuesOf = bq.ValuesOf
		}
	}
	return s
}

// Reader implements frontier.Source.
func (s *Source) Reader(ctx context.Context) (frontier.Reader, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &reader{src: s, qs: s.qs, ids: make(map[any]frontier.ID)}, nil
}

// checkEvery is how many quads or values a call handles between looks at
// its ctx.
const checkEvery = 256

// scanLimit is how many quads Count reads to count a pattern of several
// bound terms exactly; beyond it, it answers with an estimate.
const scanLimit = 1 << 16

// errClosed is returned by a Reader's methods after Close.
var errClosed = fmt.Errorf("cayleystore: reader used after Close")

// reader is a frontier.Reader over the QuadStore, with its own dictionary.
type reader struct {
	src    *Source
	qs     cgraph.QuadStore
	refs   []cgraph.Ref        // refs[id-1] is the node of id
	vals   []quad.Value        // vals[id-1] is its value once known
	ids    map[any]frontier.ID // by Ref.Key()
	closed bool

	typeRef, labelRef cgraph.Ref // rdf:type and rdfs:label, resolved once
	wellKnown         bool

	// counts caches Count's answers for the Reader's life (one query):
	// planners ask the same patterns again, and a pattern of a predicate
	// or graph alone is a scan on Cayley's key-value stores.
	counts map[frontier.Quad]counted
}

type counted struct {
	n     int64
	exact bool
}

// countCacheMax bounds the Count cache of one Reader.
const countCacheMax = 4096

var _ frontier.Reader = (*reader)(nil)

func (r *reader) ready(ctx context.Context) error {
	if r.closed {
		return errClosed
	}
	return ctx.Err()
}

// valid reports whether ref names a node: Cayley's SQL store hands out an
// invalid hash for a missing graph label rather than nil.
func valid(ref cgraph.Ref) bool {
	if ref == nil {
		return false
	}
	if v, ok := ref.(interface{ Valid() bool }); ok {
		return v.Valid()
	}
	return true
}

// id returns the ID of ref in this Reader, assigning the next one to a
// node not yet seen; zero for no node.
func (r *reader) id(ref cgraph.Ref) frontier.ID {
	if !valid(ref) {
		return 0
	}
	k := ref.Key()
	if id, ok := r.ids[k]; ok {
		return id
	}
	r.refs = append(r.refs, ref)
	r.vals = append(r.vals, nil)
	id := frontier.ID(len(r.refs))
	r.ids[k] = id
	return id
}

// ref returns the node of id, nil for zero or an ID this Reader never gave.
func (r *reader) ref(id frontier.ID) cgraph.Ref {
	if id == 0 || id > frontier.ID(len(r.refs)) {
		return nil
	}
	return r.refs[id-1]
}

// Lookup implements frontier.Reader. A value is known when the store
// resolves it to a node whose value it can read back (Cayley's SQL store
// computes a reference for any value). Cayley keeps a node while its
// reference count is above zero, and its SQL store caches values by hash,
// so a value whose quads were all removed may still be found: its ID then
// has no quads, which only costs a query a wasted lookup.
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
		out[i] = 0
		if v == nil {
			continue
		}
		ref := r.qs.ValueOf(v)
		if !valid(ref) {
			continue
		}
		if id, ok := r.ids[ref.Key()]; ok {
			if r.vals[id-1] != nil {
				out[i] = id
				continue
			}
		}
		got := r.qs.NameOf(ref)
		if got == nil {
			continue
		}
		id := r.id(ref)
		r.vals[id-1] = got
		out[i] = id
	}
	return ctx.Err()
}

// Values implements frontier.Reader: the values not yet known are read in
// one batch.
func (r *reader) Values(ctx context.Context, ids []frontier.ID, out []quad.Value) error {
	if err := r.ready(ctx); err != nil {
		return err
	}
	var (
		miss []cgraph.Ref
		at   []frontier.ID
	)
	seen := make(map[frontier.ID]bool)
	for i, id := range ids {
		out[i] = nil
		ref := r.ref(id)
		if ref == nil {
			continue
		}
		if v := r.vals[id-1]; v != nil {
			out[i] = v
		} else if !seen[id] {
			seen[id] = true
			miss = append(miss, ref)
			at = append(at, id)
		}
	}
	if len(miss) == 0 {
		return nil
	}
	for lo := 0; lo < len(miss); lo += 1024 {
		if err := ctx.Err(); err != nil {
			return err
		}
		hi := min(lo+1024, len(miss))
		vals, err := r.resolve(ctx, miss[lo:hi])
		if err != nil {
			return err
		}
		for j, v := range vals {
			r.vals[at[lo+j]-1] = v
		}
	}
	for i, id := range ids {
		if out[i] == nil && r.ref(id) != nil {
			out[i] = r.vals[id-1]
		}
	}
	return nil
}

// resolve reads the values of refs from the store.
func (r *reader) resolve(ctx context.Context, refs []cgraph.Ref) ([]quad.Value, error) {
	if r.src.valuesOf != nil {
		vals, err := r.src.valuesOf(ctx, refs)
		if err != nil {
			return nil, fmt.Errorf("read %d values: %w", len(refs), err)
		}
		return vals, nil
	}
	vals := make([]quad.Value, len(refs))
	for i, ref := range refs {
		vals[i] = r.qs.NameOf(ref)
	}
	return vals, nil
}

// value returns the value of id, reading it when not yet known.
func (r *reader) value(ctx context.Context, id frontier.ID) (quad.Value, error) {
	if ref := r.ref(id); ref != nil && r.vals[id-1] == nil {
		out := make([]quad.Value, 1)
		if err := r.Values(ctx, []frontier.ID{id}, out); err != nil {
			return nil, err
		}
	}
	if id == 0 || id > frontier.ID(len(r.vals)) {
		return nil, nil
	}
	return r.vals[id-1], nil
}

// quad turns a Cayley quad reference into a frontier.Quad of this Reader.
func (r *reader) quad(qref cgraph.Ref) frontier.Quad {
	return frontier.Quad{
		S: r.id(r.qs.QuadDirection(qref, quad.Subject)),
		P: r.id(r.qs.QuadDirection(qref, quad.Predicate)),
		O: r.id(r.qs.QuadDirection(qref, quad.Object)),
		G: r.id(r.qs.QuadDirection(qref, quad.Label)),
	}
}

// walk calls fn for every quad of it until fn returns false, closing it.
func (r *reader) walk(ctx context.Context, it cgraph.Iterator, fn func(frontier.Quad) bool) error {
	defer it.Close()
	n := 0
	for it.Next(ctx) {
		if n++; n%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if !fn(r.quad(it.Result())) {
			return nil
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return it.Err()
}

// Quads implements frontier.Reader, walking Cayley's quad iterator of each
// node in turn; the default graph (a zero node in the Label direction) is a
// scan of every quad.
func (r *reader) Quads(ctx context.Context, dir quad.Direction, nodes []frontier.ID, preds []frontier.ID, fn func(i int, q frontier.Quad) bool) error {
	if err := r.ready(ctx); err != nil {
		return err
	}
	switch dir {
	case quad.Subject, quad.Predicate, quad.Object, quad.Label:
	default:
		return fmt.Errorf("cayleystore: Quads in direction %v", dir)
	}
	var want map[frontier.ID]bool
	if preds != nil {
		want = make(map[frontier.ID]bool, len(preds))
		for _, p := range preds {
			if p != 0 {
				want[p] = true
			}
		}
		if len(want) == 0 {
			return nil
		}
	}
	for i, node := range nodes {
		if err := ctx.Err(); err != nil {
			return err
		}
		var it cgraph.Iterator
		switch ref := r.ref(node); {
		case ref != nil:
			it = r.qs.QuadIterator(dir, ref)
		case node == 0 && dir == quad.Label:
			it = r.qs.QuadsAllIterator()
		default:
			continue
		}
		stopped := false
		err := r.walk(ctx, it, func(q frontier.Quad) bool {
			if node == 0 && q.G != 0 || want != nil && !want[q.P] {
				return true
			}
			if !fn(i, q) {
				stopped = true
				return false
			}
			return true
		})
		if err != nil {
			return err
		}
		if stopped {
			return nil
		}
	}
	return nil
}

// All implements frontier.Reader.
func (r *reader) All(ctx context.Context, fn func(q frontier.Quad) bool) error {
	if err := r.ready(ctx); err != nil {
		return err
	}
	return r.walk(ctx, r.qs.QuadsAllIterator(), fn)
}

// Describe implements frontier.Reader from each node's quads as subject.
func (r *reader) Describe(ctx context.Context, ids []frontier.ID, out []frontier.Facts) error {
	if err := r.ready(ctx); err != nil {
		return err
	}
	if !r.wellKnown {
		r.typeRef, r.labelRef, r.wellKnown = r.qs.ValueOf(frontier.RDFType), r.qs.ValueOf(frontier.RDFSLabel), true
	}
	typeID, labelID := r.id(r.typeRef), r.id(r.labelRef)
	for i, id := range ids {
		out[i] = frontier.Facts{}
		ref := r.ref(id)
		if ref == nil || typeID == 0 && labelID == 0 {
			continue
		}
		var (
			types  []frontier.ID
			labels []frontier.ID
		)
		err := r.walk(ctx, r.qs.QuadIterator(quad.Subject, ref), func(q frontier.Quad) bool {
			switch {
			case q.P == typeID && typeID != 0:
				types = append(types, q.O)
			case q.P == labelID && labelID != 0:
				labels = append(labels, q.O)
			}
			return true
		})
		if err != nil {
			return err
		}
		f := frontier.Facts{}
		seen := make(map[frontier.ID]bool, len(types))
		for _, t := range types {
			if !seen[t] {
				seen[t] = true
				f.Types = append(f.Types, t)
			}
		}
		var best quad.Value
		for _, l := range labels {
			v, err := r.value(ctx, l)
			if err != nil {
				return err
			}
			if frontier.PreferLabel(v, best) {
				f.Label, best = l, v
			}
		}
		out[i] = f
	}
	return nil
}

// Count implements frontier.Reader: the store's quad count for no bound
// term, its per-node count for one bound term where it is exact, and
// otherwise a scan of the quads of the bound term with the fewest, exact up
// to scanLimit quads and an upper bound beyond.
func (r *reader) Count(ctx context.Context, pattern frontier.Quad) (int64, bool, error) {
	if err := r.ready(ctx); err != nil {
		return 0, false, err
	}
	if c, ok := r.counts[pattern]; ok {
		return c.n, c.exact, nil
	}
	n, exact, err := r.count(ctx, pattern)
	if err == nil {
		if r.counts == nil || len(r.counts) >= countCacheMax {
			r.counts = make(map[frontier.Quad]counted)
		}
		r.counts[pattern] = counted{n, exact}
	}
	return n, exact, err
}

// count is Count without the cache.
func (r *reader) count(ctx context.Context, pattern frontier.Quad) (int64, bool, error) {
	if pattern == (frontier.Quad{}) {
		if r.src.countAll != nil {
			n, err := r.src.countAll(ctx)
			return n, err == nil, err
		}
		st, err := r.qs.Stats(ctx, true)
		if err != nil {
			return r.emptyOr(ctx, err)
		}
		return st.Quads.Size, st.Quads.Exact, nil
	}
	var (
		bound  int
		best   quad.Direction
		bestSz cgraph.Size
	)
	for _, d := range quad.Directions {
		id := pattern.At(d)
		if id == 0 {
			continue
		}
		ref := r.ref(id)
		if ref == nil {
			return 0, true, nil
		}
		bound++
		sz, err := r.qs.QuadIteratorSize(ctx, d, ref)
		if err != nil {
			return 0, false, err
		}
		if sz.Exact && sz.Size == 0 {
			return 0, true, nil
		}
		if best == quad.Any || sz.Exact && !bestSz.Exact || sz.Exact == bestSz.Exact && sz.Size < bestSz.Size {
			best, bestSz = d, sz
		}
	}
	if bound == 1 && bestSz.Exact {
		return bestSz.Size, true, nil
	}
	var n, seen int64
	err := r.walk(ctx, r.qs.QuadIterator(best, r.ref(pattern.At(best))), func(q frontier.Quad) bool {
		if seen++; seen > scanLimit {
			return false
		}
		for _, d := range quad.Directions {
			if id := pattern.At(d); id != 0 && q.At(d) != id {
				return true
			}
		}
		n++
		return true
	})
	if err != nil {
		return 0, false, err
	}
	if seen > scanLimit {
		// The quads of the best term bound the count; their number is
		// known exactly only where the store says so.
		if bestSz.Exact {
			return bestSz.Size, false, nil
		}
		n, _, err := r.count(ctx, frontier.Quad{})
		if err != nil {
			return 0, false, err
		}
		return max(n, seen), false, nil
	}
	return n, true, nil
}

// emptyOr answers Count of every quad when the store's statistics fail
// with err: zero when the store holds no quad (Cayley's key-value stores
// keep no statistics until the first write), err otherwise.
func (r *reader) emptyOr(ctx context.Context, err error) (int64, bool, error) {
	it := r.qs.QuadsAllIterator()
	defer it.Close()
	if it.Next(ctx) || it.Err() != nil || ctx.Err() != nil {
		return 0, false, err
	}
	return 0, true, nil
}

// Close implements frontier.Reader.
func (r *reader) Close() error {
	r.closed = true
	r.refs, r.vals, r.ids, r.counts = nil, nil, nil, nil
	return nil
}
