package sqlstore_test

import (
	"context"
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
	"github.com/innograph/innograph/graph/gen"
	"github.com/innograph/innograph/graph/internal/cayleystore"
	"github.com/innograph/innograph/graph/internal/sqlstore"
)

// deltaWriter turns gen.Generate's quads into batches applied to s.
type deltaWriter struct {
	tb testing.TB
	s  *sqlstore.Store
	ds []cgraph.Delta
}

func (w *deltaWriter) WriteQuad(q quad.Quad) error {
	w.ds = append(w.ds, cgraph.Delta{Action: cgraph.Add, Quad: q})
	if len(w.ds) == 10000 {
		return w.flush()
	}
	return nil
}

func (w *deltaWriter) WriteQuads(qs []quad.Quad) (int, error) {
	for i, q := range qs {
		if err := w.WriteQuad(q); err != nil {
			return i, err
		}
	}
	return len(qs), nil
}

func (w *deltaWriter) flush() error {
	if len(w.ds) == 0 {
		return nil
	}
	_, err := w.s.Apply(w.ds, true, false)
	w.ds = w.ds[:0]
	return err
}

func (w *deltaWriter) Close() error { return w.flush() }

// BenchmarkTwoHops reads a region's 2-hop neighbourhood (the quads of the
// region as object, then of every node found, both directions, and the
// values of every node) through sqlstore's batched reader and through
// cayleystore's generic one over Cayley's SQL store, on a generated graph
// of about 100,000 quads in a fresh database of
// INNOGRAPH_TEST_POSTGRES_DSN's server:
//
//	go test ./graph/internal/sqlstore -run '^$' -bench TwoHops
func BenchmarkTwoHops(b *testing.B) {
	dsn := freshDatabase(b)
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, sqlstore.Config{Backend: sqlstore.Postgres, DSN: dsn})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	w := &deltaWriter{tb: b, s: s}
	if err := gen.Generate(w, gen.Config{Regions: 80, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	for _, src := range []struct {
		name string
		src  frontier.Source
	}{
		{"sqlstore", s.Batched().Source()},
		{"cayleystore", cayleystore.New(s.QuadStore(), cayleystore.Options{ValuesOf: s.BatchValues()})},
	} {
		b.Run(src.name, func(b *testing.B) {
			var nodes int
			for i := 0; i < b.N; i++ {
				nodes = twoHops(b, src.src, gen.RegionIRI(i%80))
			}
			b.ReportMetric(float64(nodes), "nodes")
		})
	}
}

func twoHops(b *testing.B, src frontier.Source, start quad.IRI) int {
	ctx := context.Background()
	r, err := src.Reader(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	ids := make([]frontier.ID, 1)
	if err := r.Lookup(ctx, []quad.Value{start}, ids); err != nil || ids[0] == 0 {
		b.Fatalf("Lookup(%v) = %v, %v", start, ids, err)
	}
	seen := map[frontier.ID]bool{ids[0]: true}
	frontierIDs := ids
	for hop := 0; hop < 2; hop++ {
		var next []frontier.ID
		for _, dir := range []quad.Direction{quad.Subject, quad.Object} {
			err := r.Quads(ctx, dir, frontierIDs, nil, func(_ int, q frontier.Quad) bool {
				other := q.O
				if dir == quad.Object {
					other = q.S
				}
				if !seen[other] {
					seen[other] = true
					next = append(next, other)
				}
				return true
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		frontierIDs = next
	}
	all := make([]frontier.ID, 0, len(seen))
	for id := range seen {
		all = append(all, id)
	}
	vals := make([]quad.Value, len(all))
	if err := r.Values(ctx, all, vals); err != nil {
		b.Fatal(err)
	}
	return len(all)
}
