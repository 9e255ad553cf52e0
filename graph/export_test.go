package graph

import (
	"context"
	"fmt"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/internal/sqlstore"
)

// BatchedValues resolves vs through the store's batched SQL reader, its
// value cache emptied first so every value is decoded from the table, and
// through Cayley's per-value NameOf, for tests to compare.
func BatchedValues(ctx context.Context, s *Store, vs []quad.Value) (batched, cayley []quad.Value, err error) {
	sqls, ok := s.be.(*sqlstore.Store)
	if !ok || sqls.Batched() == nil {
		return nil, nil, fmt.Errorf("%s store has no SQL reader", s.backend)
	}
	sqls.Batched().ForgetValues()
	refs := make([]cgraph.Ref, len(vs))
	for i, v := range vs {
		refs[i] = s.qs.ValueOf(v)
	}
	if batched, err = sqls.Batched().ValuesOf(ctx, refs); err != nil {
		return nil, nil, err
	}
	for _, v := range vs {
		cayley = append(cayley, s.qs.NameOf(s.qs.ValueOf(v)))
	}
	return batched, cayley, nil
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
