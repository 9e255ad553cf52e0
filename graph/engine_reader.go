package graph

import (
	"context"
	"sync"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
	"github.com/innograph/innograph/graph/internal/memindex"
)

// engineIndex is a stand-in for the read tier until Store.Reader lands:
// an in-memory index of the store's quads, rebuilt when the generation
// changes.
type engineIndex struct {
	mu  sync.Mutex
	gen uint64
	x   *memindex.Index
}

var engineIndexes sync.Map // *Store -> *engineIndex

// engineReader returns a frontier.Reader over the store's quads.
func (s *Store) engineReader(ctx context.Context) (frontier.Reader, error) {
	v, _ := engineIndexes.LoadOrStore(s, &engineIndex{})
	ei := v.(*engineIndex)
	ei.mu.Lock()
	defer ei.mu.Unlock()
	gen := s.gen.Load()
	if ei.x == nil || ei.gen != gen {
		x, err := memindex.Build(ctx, func(yield func(quad.Quad) error) error {
			return s.EachQuad(ctx, Selection{}, yield)
		}, nil)
		if err != nil {
			return nil, err
		}
		ei.x, ei.gen = x, gen
	}
	return ei.x.Reader(ctx)
}
