package graph

import (
	"context"
	"fmt"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// BatchedValues resolves vs through the store's batched SQL reader, its
// value cache emptied first so every value is decoded from the table, and
// through Cayley's per-value NameOf, for tests to compare.
func BatchedValues(ctx context.Context, s *Store, vs []quad.Value) (batched, cayley []quad.Value, err error) {
	if s.sqlRead == nil {
		return nil, nil, fmt.Errorf("%s store has no SQL reader", s.backend)
	}
	s.sqlRead.mu.Lock()
	clear(s.sqlRead.vals)
	s.sqlRead.mu.Unlock()
	hs := make([]cgraph.ValueHash, len(vs))
	for i, v := range vs {
		hs[i], _ = refHash(s.qs.ValueOf(v))
	}
	got, err := s.sqlRead.values(ctx, hs)
	if err != nil {
		return nil, nil, err
	}
	for i, v := range vs {
		batched = append(batched, got[hs[i]])
		cayley = append(cayley, s.qs.NameOf(s.qs.ValueOf(v)))
	}
	return batched, cayley, nil
}

// BatchedWalk is what a walker learns of ids, asked for all of them at once
// (on SQL: one query per question) or node by node through Cayley's
// iterators and NameOf.
type BatchedWalk struct {
	Hops  [][]Edge // the hops of each id in the asked direction
	Nodes []Node   // each id as a Node: label and types
}

// WalkBoth returns what walkers over s find from ids, walking d through
// preds (nil: any but rdf:type): one asking for all ids at once by
// expandMany then nodes, one by describeExpand then nodes (on SQL: one
// query per question), and one asking Cayley node by node.
func WalkBoth(ctx context.Context, s *Store, ids []string, d Direction, preds []string) (batched, described, perNode BatchedWalk, err error) {
	err = s.read("test walk", func(qs cgraph.QuadStore) error {
		walkers := []*walker{s.newWalker(ctx, "test", qs, QueryLimits{}), s.newWalker(ctx, "test", qs, QueryLimits{}), newPerNodeWalker(ctx, qs)}
		outs := []*BatchedWalk{&batched, &described, &perNode}
		for i, w := range walkers {
			var refs []cgraph.Ref
			for _, id := range ids {
				refs = append(refs, qs.ValueOf(quad.IRI(id)))
			}
			expand := w.expandMany
			if i == 1 {
				expand = w.describeExpand
			}
			hss, err := expand(refs, d, w.predSet(preds))
			if err != nil {
				return err
			}
			out := outs[i]
			for j, hs := range hss {
				es := []Edge{}
				for _, h := range hs {
					es = append(es, w.edge(refs[j], h))
				}
				out.Hops = append(out.Hops, es)
			}
			if out.Nodes, err = w.nodes(refs); err != nil {
				return err
			}
		}
		return nil
	})
	return batched, described, perNode, err
}

// newPerNodeWalker is a walker that asks Cayley node by node, as on a
// store without a batched reader.
func newPerNodeWalker(ctx context.Context, qs cgraph.QuadStore) *walker {
	s := &Store{}
	return s.newWalker(ctx, "test", qs, QueryLimits{})
}

// FailTierApply makes the next n writes fail to reach s's read tier, as if
// the index refused them, for tests of the rebuild that follows.
func FailTierApply(s *Store, n int) {
	s.tier.mu.Lock()
	defer s.tier.mu.Unlock()
	s.tier.fault = func() error {
		if n <= 0 {
			return nil
		}
		n--
		return errTierFault
	}
}

// WaitTier waits for a running build of s's read tier to end.
func WaitTier(ctx context.Context, s *Store) error { return s.waitTier(ctx) }

// PauseFollow stops (or restarts) s's read tier following other servers'
// writes to a shared database.
func PauseFollow(s *Store, paused bool) {
	s.tier.mu.Lock()
	defer s.tier.mu.Unlock()
	s.tier.paused = paused
}

// ShrinkChangeLog sets the window of s's change log on PostgreSQL.
func ShrinkChangeLog(s *Store, keep, keepQuads int64) {
	s.shared.keep, s.shared.keepQuads = keep, keepQuads
}
