package graph

import (
	"context"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/internal/sqlstore"
)

// sqlReader hands the walker PostgreSQL's batched reads
// (graph/internal/sqlstore) in the shape it was written for. It goes when
// the walker reads through a frontier.Reader only.
type sqlReader struct{ b *sqlstore.Batched }

// hashQuad is a quad of Cayley's SQL store: a ref whose terms are hashes.
type hashQuad interface {
	cgraph.Ref
	Get(quad.Direction) cgraph.ValueHash
}

// sqlQuad is a quad found by quads: see sqlstore.Quad.
type sqlQuad struct {
	quad  hashQuad
	dir   quad.Direction
	other quad.Value
}

// termFacts: see sqlstore.TermFacts.
type termFacts struct{ known, class bool }

func (r *sqlReader) quads(ctx context.Context, dirs []quad.Direction, nodes, preds []cgraph.ValueHash) ([]sqlQuad, error) {
	qs, err := r.b.Quads(ctx, dirs, nodes, preds)
	if err != nil {
		return nil, err
	}
	out := make([]sqlQuad, len(qs))
	for i, q := range qs {
		out[i] = sqlQuad{quad: q.Quad, dir: q.Dir, other: q.Other}
	}
	return out, nil
}

func (r *sqlReader) values(ctx context.Context, hs []cgraph.ValueHash) (map[cgraph.ValueHash]quad.Value, error) {
	return r.b.Values(ctx, hs)
}

func (r *sqlReader) terms(ctx context.Context, hs []cgraph.ValueHash, typ cgraph.ValueHash) (map[cgraph.ValueHash]termFacts, error) {
	fs, err := r.b.Terms(ctx, hs, typ)
	if err != nil {
		return nil, err
	}
	out := make(map[cgraph.ValueHash]termFacts, len(fs))
	for h, f := range fs {
		out[h] = termFacts{known: f.Known, class: f.Class}
	}
	return out, nil
}

// refHash: see sqlstore.RefHash.
func refHash(k any) (cgraph.ValueHash, bool) { return sqlstore.RefHash(k) }
