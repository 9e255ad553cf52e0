package graph

import (
	"context"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
)

// eachOfType streams the concise bounded descriptions of the instances of
// sel.Type (see Selection). It walks the class's rdf:type quads through the
// object index and, per instance, that instance's quads through the subject
// index, so it holds one description at a time. An instance typed in
// several graphs is described once: at the type quad with the least graph
// name.
func eachOfType(ctx context.Context, qs cgraph.QuadStore, sel Selection, fn func(quad.Quad) error) error {
	const op = "read quads of a type"
	class, typ := qs.ValueOf(sel.Type), qs.ValueOf(rdfType)
	if class == nil || typ == nil {
		return nil // nothing is typed with it
	}
	var inGraph func(cgraph.Ref) bool = func(cgraph.Ref) bool { return true }
	if sel.Graph != nil {
		g := qs.ValueOf(sel.Graph)
		if g == nil {
			return nil
		}
		gk := g.Key()
		inGraph = func(q cgraph.Ref) bool {
			l := qs.QuadDirection(q, quad.Label)
			return l != nil && l.Key() == gk
		}
	}
	typKey := typ.Key()
	var desc []quad.Quad // the current instance's quads, reused
	var stop error       // fn's error, returned unchanged
	it := qs.QuadIterator(quad.Object, class)
	defer it.Close()
	for it.Next(ctx) {
		tq := it.Result()
		if qs.QuadDirection(tq, quad.Predicate).Key() != typKey || !inGraph(tq) {
			continue
		}
		subj := qs.QuadDirection(tq, quad.Subject)
		label := graphName(qs.NameOf(qs.QuadDirection(tq, quad.Label)))
		desc = desc[:0]
		first := true // tq is the instance's type quad with the least graph name
		err := eachRefAt(ctx, qs, quad.Subject, subj, func(q cgraph.Ref) bool {
			if !inGraph(q) {
				return true
			}
			v := qs.Quad(q)
			if v.Predicate == rdfType && v.Object == sel.Type && graphName(v.Label) < label {
				first = false
				return false
			}
			desc = append(desc, v)
			return true
		})
		if err != nil {
			return E(op, KindOf(err), err)
		}
		if !first {
			continue
		}
		if err := emitDescription(ctx, qs, subj, desc, inGraph, func(q quad.Quad) error {
			if err := fn(q); err != nil {
				stop = err
			}
			return stop
		}); err != nil {
			if stop != nil {
				return stop
			}
			return E(op, KindOf(err), err)
		}
	}
	if err := ctx.Err(); err != nil {
		return E(op, Timeout, err)
	}
	if err := it.Err(); err != nil {
		return E(op, Internal, err)
	}
	return nil
}

// emitDescription sends desc, the quads of subj, and then, breadth first,
// the quads of every blank node reached from it (each blank node once,
// subj never again).
func emitDescription(ctx context.Context, qs cgraph.QuadStore, subj cgraph.Ref, desc []quad.Quad, inGraph func(cgraph.Ref) bool, fn func(quad.Quad) error) error {
	var queue []quad.BNode
	var seen map[quad.BNode]bool
	if b, ok := qs.NameOf(subj).(quad.BNode); ok {
		seen = map[quad.BNode]bool{b: true}
	}
	visit := func(q quad.Quad) error {
		if b, ok := q.Object.(quad.BNode); ok && !seen[b] {
			if seen == nil {
				seen = make(map[quad.BNode]bool)
			}
			seen[b] = true
			queue = append(queue, b)
		}
		return fn(q)
	}
	for _, q := range desc {
		if err := visit(q); err != nil {
			return err
		}
	}
	for len(queue) > 0 {
		b := queue[0]
		queue = queue[1:]
		ref := qs.ValueOf(b)
		if ref == nil {
			continue
		}
		var ferr error
		err := eachRefAt(ctx, qs, quad.Subject, ref, func(q cgraph.Ref) bool {
			if inGraph(q) {
				ferr = visit(qs.Quad(q))
			}
			return ferr == nil
		})
		if ferr != nil {
			return ferr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// eachQuadAt calls fn for each quad with ref in direction dir until fn
// returns false, using the backend's index for that direction.
func eachQuadAt(ctx context.Context, qs cgraph.QuadStore, dir quad.Direction, ref cgraph.Ref, fn func(quad.Quad) bool) error {
	it := qs.QuadIterator(dir, ref)
	defer it.Close()
	for it.Next(ctx) {
		if !fn(qs.Quad(it.Result())) {
			return nil
		}
	}
	if err := ctx.Err(); err != nil {
		return E("read", Timeout, err)
	}
	return it.Err()
}

// eachRefAt is eachQuadAt over quad refs, for callers that look at a few
// directions before materialising the quad.
func eachRefAt(ctx context.Context, qs cgraph.QuadStore, dir quad.Direction, ref cgraph.Ref, fn func(cgraph.Ref) bool) error {
	it := qs.QuadIterator(dir, ref)
	defer it.Close()
	for it.Next(ctx) {
		if !fn(it.Result()) {
			return nil
		}
	}
	if err := ctx.Err(); err != nil {
		return E("read", Timeout, err)
	}
	return it.Err()
}

// Has reports whether any quad mentions v, in any position.
func (s *Store) Has(ctx context.Context, v quad.Value) (bool, error) {
	const op = "look up value"
	found := false
	err := s.query(ctx, op, QueryLimits{}, func(w *walker) error {
		ids, err := w.lookup(v)
		found = err == nil && ids[0] != 0
		return err
	})
	return found, err
}

// Labels returns the preferred label (English, then untagged, then the
// least language tag) of each value that has an rdfs:label; values without
// one are absent from the map.
func (s *Store) Labels(ctx context.Context, vs []quad.Value) (map[quad.Value]string, error) {
	return labels(ctx, s.query, vs)
}

func labels(ctx context.Context, query querier, vs []quad.Value) (map[quad.Value]string, error) {
	const op = "labels"
	out := make(map[quad.Value]string)
	err := query(ctx, op, QueryLimits{}, func(w *walker) error {
		ids, err := w.lookup(vs...)
		if err != nil {
			return err
		}
		if err := w.describe(ids); err != nil {
			return err
		}
		for i, id := range ids {
			if id == 0 {
				continue
			}
			if l := w.info[id].node.Label; l != "" {
				out[vs[i]] = l
			}
		}
		return nil
	})
	return out, err
}

// kindTeller is a frontier.Reader that tells the kind of terms without
// building their values (the in-memory tier's reader).
type kindTeller interface {
	Kinds(ctx context.Context, ids []frontier.ID, out []frontier.Kind) error
}

// eachOfTypeIn is eachOfType over the read tier's reader r: the class's
// rdf:type quads through its object order, and per instance its quads
// and its blank nodes' (each once) through the subject order, one
// description at a time, the values resolved in batches (streamFrontier).
// The type quads of one instance come together, so an instance typed in
// several graphs is described once without comparing graph names. It
// returns false, reading nothing, when r cannot tell blank nodes apart.
func eachOfTypeIn(ctx context.Context, r frontier.Reader, sel Selection, fn func(quad.Quad) error) (bool, error) {
	const op = "read quads of a type"
	kt, ok := r.(kindTeller)
	if !ok {
		return false, nil
	}
	vals := []quad.Value{sel.Type, rdfType}
	if sel.Graph != nil {
		vals = append(vals, sel.Graph)
	}
	ids := make([]frontier.ID, len(vals))
	if err := r.Lookup(ctx, vals, ids); err != nil {
		return true, E(op, Internal, err)
	}
	class, typ := ids[0], ids[1]
	if class == 0 || typ == 0 || (sel.Graph != nil && ids[2] == 0) {
		return true, nil // nothing is typed with it (in that graph)
	}
	inGraph := func(q frontier.Quad) bool { return sel.Graph == nil || q.G == ids[2] }
	return true, streamFrontier(ctx, r, func(emit func(frontier.Quad) bool) error {
		var (
			queue, one []frontier.ID
			desc       []frontier.Quad
			objs       []frontier.ID
			kinds      []frontier.Kind
			seen       = map[frontier.ID]bool{}
			stopped    bool
		)
		// describe emits inst's quads, then those of the blank nodes they
		// reach, breadth first, each blank node once.
		describe := func(inst frontier.ID) error {
			clear(seen)
			seen[inst] = true // a blank node instance is described once
			queue = append(queue[:0], inst)
			for len(queue) > 0 {
				one = append(one[:0], queue[0])
				queue = queue[1:]
				desc = desc[:0]
				if err := r.Quads(ctx, quad.Subject, one, nil, func(_ int, q frontier.Quad) bool {
					if inGraph(q) {
						desc = append(desc, q)
					}
					return true
				}); err != nil {
					return err
				}
				objs = objs[:0]
				for _, q := range desc {
					objs = append(objs, q.O)
				}
				kinds = append(kinds[:0], make([]frontier.Kind, len(objs))...)
				if err := kt.Kinds(ctx, objs, kinds); err != nil {
					return err
				}
				for i, q := range desc {
					if kinds[i] == frontier.KindBlank && !seen[q.O] {
						seen[q.O] = true
						queue = append(queue, q.O)
					}
					if !emit(q) {
						stopped = true
						return nil
					}
				}
			}
			return nil
		}
		// A class's type quads come by instance (the object order is
		// sorted by predicate, subject, graph): each instance is
		// described at its first type quad in the selection.
		var last frontier.ID
		var derr error
		err := r.Quads(ctx, quad.Object, ids[:1], ids[1:2], func(_ int, q frontier.Quad) bool {
			if !inGraph(q) || q.S == last {
				return true
			}
			last = q.S
			derr = describe(q.S)
			return derr == nil && !stopped
		})
		if derr != nil {
			return derr
		}
		return err
	}, fn)
}
