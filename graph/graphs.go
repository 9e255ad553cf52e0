package graph

import (
	"context"
	"errors"
	"fmt"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
	"github.com/innograph/innograph/graph/rdfio"
)

// GraphName is the one check of a graph name entering from outside (a
// command's -graph, a request's ?graph=, a restored dump): an absolute
// IRI, free of characters an IRI may not hold, so that every graph in the
// store can be written to N-Quads, read back and addressed over HTTP. It
// returns an Invalid error saying what is wrong.
func GraphName(s string) (quad.IRI, error) {
	if err := rdfio.CheckIRI(s); err != nil {
		return "", Errorf("check graph name", Invalid, "graph name: %v", err)
	}
	return quad.IRI(s), nil
}

// checkGraph refuses a graph label that GraphName would refuse; a blank
// node label (from a dataset document) and the default graph (nil) pass.
func checkGraph(g quad.Value) error {
	if iri, ok := g.(quad.IRI); ok {
		_, err := GraphName(string(iri))
		return err
	}
	return nil
}

// GraphChange is what one graph write did.
type GraphChange struct {
	// Created reports that the graph held no quad before the write.
	Created bool
	// Added and Removed count the quads the write added and removed; quads
	// that were already there (or already gone) are not counted.
	Added, Removed int
}

// ReplaceGraph makes graph g (nil for the default graph) hold exactly qs:
// each quad's label is set to g, quads of g not in qs are removed, and quads
// of qs not yet in g are added, all in one transaction, so a reader sees
// the old graph or the new one and never a mix. When v is not nil the write
// is validated first, under the writer lock, so no other write changes the
// data validated before this one is applied. It returns the change, or an
// Invalid error for an incomplete quad, Unprocessable (wrapping a
// *ValidationError) for a write v refuses, Unavailable after Close, and
// Internal when the backend fails (then nothing is applied).
func (s *Store) ReplaceGraph(ctx context.Context, g quad.Value, qs []quad.Quad, v *Validator) (GraphChange, error) {
	return s.updateGraph(ctx, "replace graph", g, qs, true, v)
}

// MergeGraph adds qs to graph g (nil for the default graph) in one
// transaction, setting each quad's label to g; v as for ReplaceGraph.
// Errors as ReplaceGraph.
func (s *Store) MergeGraph(ctx context.Context, g quad.Value, qs []quad.Quad, v *Validator) (GraphChange, error) {
	return s.updateGraph(ctx, "merge graph", g, qs, false, v)
}

// DeleteGraph removes every quad of graph g (nil for the default graph) in
// one transaction. It returns a NotFound error when g holds no quad.
func (s *Store) DeleteGraph(ctx context.Context, g quad.Value) (GraphChange, error) {
	ch, err := s.updateGraph(ctx, "delete graph", g, nil, true, nil)
	if err == nil && ch.Created {
		return GraphChange{}, Errorf("delete graph", NotFound, "graph %s holds no quads", graphText(g))
	}
	return ch, err
}

// HasGraph reports whether graph g (nil for the default graph) holds at
// least one quad.
func (s *Store) HasGraph(ctx context.Context, g quad.Value) (bool, error) {
	found := false
	err := s.read("check graph", func(qs cgraph.QuadStore) error {
		return eachInGraph(ctx, qs, g, func(quad.Quad) bool {
			found = true
			return false
		})
	})
	return found, err
}

// ReadGraph returns every quad of graph g (nil for the default graph) as one
// consistent state: it reads with writers held off (other consistent reads
// run alongside), so on every backend the
// quads are those before or after any write, never a mix (Cayley's memstore
// applies a batch delta by delta, visible to a concurrent iterator). The
// graph is held in memory. It returns a NotFound error when a named graph
// holds no quad.
func (s *Store) ReadGraph(ctx context.Context, g quad.Value) ([]quad.Quad, error) {
	s.wmu.RLock()
	defer s.wmu.RUnlock()
	var out []quad.Quad
	err := s.read("read graph", func(qs cgraph.QuadStore) error {
		return eachInGraph(ctx, qs, g, func(q quad.Quad) bool {
			out = append(out, q)
			return true
		})
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 && g != nil {
		return nil, Errorf("read graph", NotFound, "graph %s holds no quads", graphText(g))
	}
	return out, nil
}

// SnapshotGraph streams every quad of graph g (nil for the default graph)
// to fn as one consistent state, like Snapshot. fn should not wait on anything slow (a client): writes
// wait for it. It returns a NotFound error when a named graph holds no
// quad, fn's first error unchanged, and a Timeout error when ctx ends
// first.
func (s *Store) SnapshotGraph(ctx context.Context, g quad.Value, fn func(quad.Quad) error) error {
	n := 0
	var ferr error
	count := func(q quad.Quad) error {
		n++
		return fn(q)
	}
	if r := s.tierSnapshot(ctx); r != nil {
		// The tier's snapshot is one state already: no writer waits.
		defer r.Close()
		var gid frontier.ID
		if g != nil {
			ids := []frontier.ID{0}
			if err := r.Lookup(ctx, []quad.Value{g}, ids); err != nil {
				return E("read graph", Internal, err)
			}
			if gid = ids[0]; gid == 0 {
				return Errorf("read graph", NotFound, "graph %s holds no quads", graphText(g))
			}
		}
		err := streamFrontier(ctx, r, func(emit func(frontier.Quad) bool) error {
			return r.Quads(ctx, quad.Label, []frontier.ID{gid}, nil, func(_ int, q frontier.Quad) bool { return emit(q) })
		}, count)
		if err == nil && n == 0 && g != nil {
			err = Errorf("read graph", NotFound, "graph %s holds no quads", graphText(g))
		}
		return err
	}
	s.wmu.RLock()
	defer s.wmu.RUnlock()
	err := s.read("read graph", func(qs cgraph.QuadStore) error {
		return eachInGraph(ctx, qs, g, func(q quad.Quad) bool {
			n++
			ferr = fn(q)
			return ferr == nil
		})
	})
	switch {
	case ferr != nil:
		return ferr
	case err != nil:
		return err
	case n == 0 && g != nil:
		return Errorf("read graph", NotFound, "graph %s holds no quads", graphText(g))
	}
	return nil
}

// tierSnapshot returns a reader of the in-memory read tier when it is
// current: a snapshot holding every write that has returned, consistent
// without the writer lock. Nil when the tier is off or being rebuilt.
func (s *Store) tierSnapshot(ctx context.Context) frontier.Reader {
	t := s.tier
	if t == nil {
		return nil
	}
	idx := t.idx.Load()
	if idx == nil {
		return nil
	}
	r, err := idx.Reader(ctx)
	if err != nil {
		return nil
	}
	return r
}

// streamFrontier runs walk, which emits quads by ID, and calls fn with
// each quad's values, resolved in batches. fn's first error is returned
// unchanged; a Timeout error when ctx ends first.
func streamFrontier(ctx context.Context, r frontier.Reader, walk func(emit func(frontier.Quad) bool) error, fn func(quad.Quad) error) error {
	const batch = 1024
	pending := make([]frontier.Quad, 0, batch)
	ids := make([]frontier.ID, 0, 4*batch)
	vals := make([]quad.Value, 4*batch)
	var ferr error
	flush := func() bool {
		ids = ids[:0]
		for _, q := range pending {
			ids = append(ids, q.S, q.P, q.O, q.G)
		}
		if err := r.Values(ctx, ids, vals[:len(ids)]); err != nil {
			ferr = E("read graph", Internal, err)
			return false
		}
		for i := range pending {
			v := vals[4*i : 4*i+4]
			if ferr = fn(quad.Quad{Subject: v[0], Predicate: v[1], Object: v[2], Label: v[3]}); ferr != nil {
				return false
			}
		}
		pending = pending[:0]
		return true
	}
	err := walk(func(q frontier.Quad) bool {
		pending = append(pending, q)
		return len(pending) < batch || flush()
	})
	if ferr == nil && err == nil && len(pending) > 0 {
		flush()
	}
	switch {
	case ferr != nil:
		return ferr
	case ctx.Err() != nil:
		return E("read graph", Timeout, ctx.Err())
	case err != nil:
		return E("read graph", Internal, err)
	}
	return nil
}

// Snapshot streams every quad of the store to fn as one consistent state
// on every backend: the read tier's snapshot when it is current (writes go
// on meanwhile), else with writers held off until fn has seen the last
// quad. fn should not wait on anything slow (a client). fn's first error
// is returned unchanged; a Timeout error when ctx ends first.
func (s *Store) Snapshot(ctx context.Context, fn func(quad.Quad) error) error {
	if r := s.tierSnapshot(ctx); r != nil {
		defer r.Close()
		return streamFrontier(ctx, r, func(emit func(frontier.Quad) bool) error {
			return r.All(ctx, emit)
		}, fn)
	}
	s.wmu.RLock()
	defer s.wmu.RUnlock()
	return s.EachQuad(ctx, Selection{}, fn)
}

// updateGraph reads graph g, computes the deltas that make it hold qs
// (replace) or qs in addition (merge), and applies them in one transaction,
// all under the writer lock so that no other write slips in between.
func (s *Store) updateGraph(ctx context.Context, op string, g quad.Value, qs []quad.Quad, replace bool, v *Validator) (GraphChange, error) {
	if err := checkGraph(g); err != nil {
		return GraphChange{}, err
	}
	want := make(map[quad.Quad]struct{}, len(qs))
	for _, q := range qs {
		q.Label = g
		if !q.IsValid() {
			return GraphChange{}, Errorf(op, Invalid, "invalid quad %v: subject, predicate and object are required", q)
		}
		want[q] = struct{}{}
	}
	if err := ctx.Err(); err != nil {
		return GraphChange{}, E(op, Timeout, err)
	}
	unlock, err := s.lockWriters(ctx, op)
	if err != nil {
		return GraphChange{}, err
	}
	defer unlock()
	var ch GraphChange
	err = s.read(op, func(cqs cgraph.QuadStore) error {
		if v != nil {
			labelled := make([]quad.Quad, len(qs))
			for i, q := range qs {
				q.Label = g
				labelled[i] = q
			}
			if err := v.check(ctx, cqs, g, labelled, replace); err != nil {
				return err
			}
		}
		var deltas []cgraph.Delta
		existing := 0
		err := s.eachInGraphLocked(ctx, cqs, g, func(q quad.Quad) bool {
			existing++
			if _, keep := want[q]; keep {
				delete(want, q)
			} else if replace {
				deltas = append(deltas, cgraph.Delta{Action: cgraph.Delete, Quad: q})
			}
			return true
		})
		if err != nil {
			return err
		}
		ch.Created = existing == 0
		ch.Removed = len(deltas)
		// Add in the order of the request, for a reproducible log.
		for _, q := range qs {
			q.Label = g
			if _, add := want[q]; add {
				delete(want, q)
				deltas = append(deltas, cgraph.Delta{Action: cgraph.Add, Quad: q})
			}
		}
		ch.Added = len(deltas) - ch.Removed
		if len(deltas) == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return E(op, Timeout, err)
		}
		if err := s.applyDeltas(deltas, false, false); err != nil {
			return E(op, Internal, err)
		}
		return nil
	})
	if err != nil {
		return GraphChange{}, err
	}
	return ch, nil
}

// eachInGraphLocked is eachInGraph for a caller holding the writer lock:
// on a store no other server writes to, the read tier then holds every
// write, and reads graph g by its index (the default graph too) instead of
// scanning the store through Cayley, which held every other write back for
// seconds behind each replace of the default graph.
func (s *Store) eachInGraphLocked(ctx context.Context, cqs cgraph.QuadStore, g quad.Value, fn func(quad.Quad) bool) error {
	if s.shared != nil {
		// Other servers' writes reach the tier a poll later: read the
		// database itself.
		return eachInGraph(ctx, cqs, g, fn)
	}
	r := s.tierSnapshot(ctx)
	if r == nil {
		return eachInGraph(ctx, cqs, g, fn)
	}
	defer r.Close()
	var gid frontier.ID
	if g != nil {
		ids := []frontier.ID{0}
		if err := r.Lookup(ctx, []quad.Value{g}, ids); err != nil {
			return E("read graph", Internal, err)
		}
		if gid = ids[0]; gid == 0 {
			return nil // no quad names g
		}
	}
	err := streamFrontier(ctx, r, func(emit func(frontier.Quad) bool) error {
		return r.Quads(ctx, quad.Label, []frontier.ID{gid}, nil, func(_ int, q frontier.Quad) bool { return emit(q) })
	}, func(q quad.Quad) error {
		if !fn(q) {
			return errStop
		}
		return nil
	})
	if errors.Is(err, errStop) {
		return nil
	}
	return err
}

// eachInGraph calls fn with every quad of graph g until fn returns false.
// The default graph (nil) has no index of its own, so it is a scan.
func eachInGraph(ctx context.Context, qs cgraph.QuadStore, g quad.Value, fn func(quad.Quad) bool) error {
	var it cgraph.Iterator
	if g != nil {
		ref := qs.ValueOf(g)
		if ref == nil {
			return nil
		}
		it = qs.QuadIterator(quad.Label, ref)
	} else {
		it = qs.QuadsAllIterator()
	}
	defer it.Close()
	for it.Next(ctx) {
		q := qs.Quad(it.Result())
		if g == nil && q.Label != nil {
			continue
		}
		if !fn(q) {
			break
		}
	}
	if err := ctx.Err(); err != nil {
		return E("read graph", Timeout, err)
	}
	if err := it.Err(); err != nil {
		return E("read graph", Internal, err)
	}
	return nil
}

// graphText names a graph in messages.
func graphText(g quad.Value) string {
	if g == nil {
		return "default"
	}
	return fmt.Sprintf("%v", g)
}
