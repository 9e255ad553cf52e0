package graph

import (
	"context"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
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
	return describeOf(ctx, s.query, v)
}

func describeOf(ctx context.Context, query querier, v quad.Value) (Description, error) {
	const op = "describe"
	d := Description{Subject: v}
	err := query(ctx, op, QueryLimits{}, func(w *walker) error {
		ids, err := w.lookup(v)
		if err != nil {
			return err
		}
		if ids[0] == 0 {
			return Errorf(op, NotFound, "nothing is known about %s", v)
		}
		seen := map[nid]bool{ids[0]: true}
		queue := []nid{ids[0]}
		// read appends the quads of node in direction dir to *to, up to
		// MaxDescription, and queues the blank nodes at their other end.
		read := func(dir quad.Direction, node nid, to *[]quad.Quad) error {
			var found []frontier.Quad
			err := w.quads(dir, []nid{node}, nil, func(_ int, q frontier.Quad) bool {
				found = append(found, q)
				return len(*to)+len(found) < MaxDescription
			})
			if err != nil {
				return err
			}
			refs := make([]nid, 0, 4*len(found))
			for _, q := range found {
				refs = append(refs, q.S, q.P, q.O, q.G)
			}
			if err := w.prefetch(refs); err != nil {
				return err
			}
			for _, q := range found {
				v := quad.Quad{Subject: w.vals[q.S], Predicate: w.vals[q.P], Object: w.vals[q.O]}
				if q.G != 0 {
					v.Label = w.vals[q.G]
				}
				*to = append(*to, v)
				other := q.O
				if dir == quad.Object {
					other = q.S
				}
				if _, ok := w.vals[other].(quad.BNode); ok && !seen[other] {
					seen[other] = true
					queue = append(queue, other)
				}
			}
			if len(*to) >= MaxDescription {
				d.Truncated = true
			}
			return nil
		}
		bounded := func() error {
			for len(queue) > 0 && !d.Truncated {
				cur := queue[0]
				queue = queue[1:]
				if err := read(quad.Subject, cur, &d.Quads); err != nil {
					return err
				}
			}
			return nil
		}
		if err := bounded(); err != nil {
			return err
		}
		queue = queue[:0]
		if err := read(quad.Object, ids[0], &d.Incoming); err != nil {
			return err
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
