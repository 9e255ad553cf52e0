package graph

import (
	"context"
	"errors"

	"github.com/cayleygraph/quad"
)

// changeLog is the generation and change log of a database that several
// servers share (PostgreSQL; graph/internal/sqlstore keeps it in the same
// transaction as each write). The tier follows it (tier.go).
type changeLog interface {
	// Create creates the log where it is missing.
	Create(ctx context.Context) error
	// Head returns the database's generation and how far the log is
	// pruned.
	Head(ctx context.Context) (gen, pruned uint64, err error)
	// Since calls fn with each change after generation after, up to upto,
	// in order; an error wrapping errLogGap when the log no longer holds
	// one of them whole.
	Since(ctx context.Context, after, upto uint64, fn func(gen uint64, adds, removes []quad.Quad) error) error
	// Prune drops changes older than the last keep generations before
	// gen, fewer where they name more than keepQuads quads.
	Prune(ctx context.Context, gen uint64, keep, keepQuads int64) error
}

// The change log's window: the last changeKeep generations, fewer when
// they name more than changeKeepQuads quads, pruned every pruneEvery
// generations.
const (
	changeKeep      = 4096
	changeKeepQuads = 1 << 18
	pruneEvery      = 64
)

// errLogGap says the log cannot bring a tier from its generation to the
// database's: pruned past it, or holding a change without its quads.
var errLogGap = errors.New("the change log does not hold every change since")

func changeSchema(ctx context.Context, l changeLog) error { return l.Create(ctx) }

func logHead(ctx context.Context, l changeLog) (gen, pruned uint64, err error) {
	return l.Head(ctx)
}

func pruneChanges(ctx context.Context, l changeLog, gen uint64, keep, keepQuads int64) error {
	return l.Prune(ctx, gen, keep, keepQuads)
}

// changesSince is changeLog.Since with each change as the tier takes it.
func changesSince(ctx context.Context, l changeLog, after, upto uint64, fn func(gen uint64, c tierChange) error) error {
	return l.Since(ctx, after, upto, func(gen uint64, adds, removes []quad.Quad) error {
		return fn(gen, tierChange{adds: adds, removes: removes})
	})
}
