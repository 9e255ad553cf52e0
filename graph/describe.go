package graph

import (
	"context"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// MaxDescription bounds the quads one Describe returns, so a super-node
// (a class with a million instances) cannot exhaust memory.
const MaxDescription = 100000

// Description is what the store says about one resource: its concise
// bounded description (every quad with the resource as subject, and
// recursively the quads of blank nodes it points to), the quads that point
// at it, and the descriptions of the blank nodes among those (a blank node
// has no document of its own, so this is the only place it can be seen).
type Description struct {
	Subject  quad.Value
	Quads    []quad.Quad // the concise bounded description, and that of blank nodes pointing at Subject
	Incoming []quad.Quad // quads whose object is Subject
	// Truncated reports that MaxDescription cut the description short.
	Truncated bool
}

// Describe returns the description of v across every named graph. It
// returns a NotFound error when no quad mentions v.
func (s *Store) Describe(ctx context.Context, v quad.Value) (Description, error) {
	const op = "describe"
	d := Description{Subject: v}
	err := s.read(op, func(qs cgraph.QuadStore) error {
		ref := qs.ValueOf(v)
		if ref == nil {
			return Errorf(op, NotFound, "nothing is known about %s", v)
		}
		seen := map[quad.Value]bool{v: true}
		queue := []cgraph.Ref{ref}
		bounded := func() error {
			for len(queue) > 0 && !d.Truncated {
				cur := queue[0]
				queue = queue[1:]
				err := eachQuadAt(ctx, qs, quad.Subject, cur, func(q quad.Quad) bool {
					d.Quads = append(d.Quads, q)
					if b, ok := q.Object.(quad.BNode); ok && !seen[b] {
						seen[b] = true
						if r := qs.ValueOf(b); r != nil {
							queue = append(queue, r)
						}
					}
					d.Truncated = len(d.Quads) >= MaxDescription
					return !d.Truncated
				})
				if err != nil {
					return E(op, KindOf(err), err)
				}
			}
			return nil
		}
		if err := bounded(); err != nil {
			return err
		}
		err := eachQuadAt(ctx, qs, quad.Object, ref, func(q quad.Quad) bool {
			d.Incoming = append(d.Incoming, q)
			d.Truncated = d.Truncated || len(d.Incoming) >= MaxDescription
			return len(d.Incoming) < MaxDescription
		})
		if err != nil {
			return err
		}
		for _, q := range d.Incoming {
			if b, ok := q.Subject.(quad.BNode); ok && !seen[b] {
				seen[b] = true
				if r := qs.ValueOf(b); r != nil {
					queue = append(queue, r)
				}
			}
		}
		return bounded()
	})
	if err != nil {
		return Description{}, err
	}
	if len(d.Quads) == 0 && len(d.Incoming) == 0 {
		return Description{}, Errorf(op, NotFound, "nothing is known about %s", v)
	}
	return d, nil
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
