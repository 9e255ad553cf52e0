package graph_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/gen"
	"github.com/innograph/innograph/graph/storetest"
	"github.com/innograph/innograph/ontology"
)

// The path-query benchmarks run on a generated ecosystem in a bolt store
// opened with the default Config (storetest.BenchStore). Its size is
// INNOGRAPH_BENCH_QUADS (default 100000); the targets are for 1M:
//
//	INNOGRAPH_BENCH_QUADS=1000000 go test ./graph -run '^$' \
//	    -bench 'ConnectionsThrough|Pattern3Step|PatternFromUniversity|Neighbourhood2Hop|ShortestPath' -benchtime 200x
//
// Each benchmark reports p50 and p99 latency.

// benchStore opens the benchmark store, building it on first use.
func benchStore(b *testing.B) (*graph.Store, int) { return storetest.BenchStore(b, "") }

// latencies runs query b.N times with a fresh random input each time and
// reports the p50 and p99 latency.
func latencies(b *testing.B, query func(rng *rand.Rand) error) {
	b.Helper()
	rng := storetest.Rand()
	var l storetest.Latencies
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := l.Time(func() error { return query(rng) }); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	l.Report(b)
}

func BenchmarkConnectionsThrough(b *testing.B) {
	s, regions := benchStore(b)
	ctx := context.Background()
	pairs := 0
	latencies(b, func(rng *rand.Rand) error {
		page, err := s.Connections(ctx, graph.ConnectionQuery{
			From: string(ontology.University), To: string(ontology.BusinessCluster),
			Through: string(gen.NetworkIRI(rng.IntN(regions), rng.IntN(2))),
		})
		pairs += len(page.Pairs)
		return err
	})
	if pairs == 0 {
		b.Fatal("no query found a pair")
	}
	b.ReportMetric(float64(pairs)/float64(b.N), "pairs/op")
}

func BenchmarkPattern3Step(b *testing.B) {
	s, regions := benchStore(b)
	ctx := context.Background()
	member := []string{string(ontology.MemberOf)}
	steps := []graph.Step{
		{Predicates: member, Type: string(ontology.BusinessCluster)},
		{Predicates: member, Type: string(ontology.InnovationNetwork)},
		{Predicates: member, Direction: graph.In, Type: string(ontology.University)},
	}
	b.Run("from-class", func(b *testing.B) {
		latencies(b, func(*rand.Rand) error {
			r, err := s.Paths(ctx, graph.Pattern{Start: graph.Start{Type: string(ontology.Company)}, Steps: steps, Limit: 100})
			if err == nil && len(r.Matches) != 100 {
				err = fmt.Errorf("%d matches, want a full page", len(r.Matches))
			}
			return err
		})
	})
	b.Run("from-id", func(b *testing.B) {
		latencies(b, func(rng *rand.Rand) error {
			_, err := s.Paths(ctx, graph.Pattern{Start: graph.Start{IDs: []string{string(gen.CompanyIRI(rng.IntN(regions), rng.IntN(100)))}}, Steps: steps, Limit: 100})
			return err
		})
	})
}

// BenchmarkPatternFromUniversity is the peer comparison's pattern
// question (cmd/innograph-peers): from a university, memberOf out to a
// network, in from a cluster, in from a company; "all-pages" follows every
// cursor of the matches, "end-nodes" asks for the distinct companies.
func BenchmarkPatternFromUniversity(b *testing.B) {
	s, regions := benchStore(b)
	ctx := context.Background()
	member := []string{string(ontology.MemberOf)}
	pattern := func(rng *rand.Rand, form graph.ResultForm) graph.Pattern {
		return graph.Pattern{
			Start: graph.Start{IDs: []string{string(gen.UniversityIRI(rng.IntN(regions), rng.IntN(3)))}},
			Steps: []graph.Step{
				{Predicates: member, Type: string(ontology.InnovationNetwork)},
				{Predicates: member, Direction: graph.In, Type: string(ontology.BusinessCluster)},
				{Predicates: member, Direction: graph.In, Type: string(ontology.Company)},
			},
			Result: form, Limit: 1000,
		}
	}
	b.Run("all-pages", func(b *testing.B) {
		latencies(b, func(rng *rand.Rand) error {
			p := pattern(rng, graph.Tuples)
			for {
				r, err := s.Paths(ctx, p)
				if err != nil || r.Next == "" {
					return err
				}
				p.Cursor = r.Next
			}
		})
	})
	b.Run("end-nodes", func(b *testing.B) {
		latencies(b, func(rng *rand.Rand) error {
			p := pattern(rng, graph.EndNodes)
			for {
				r, err := s.Paths(ctx, p)
				if err != nil || r.Next == "" {
					return err
				}
				p.Cursor = r.Next
			}
		})
	})
}

func BenchmarkNeighbourhood2Hop(b *testing.B) {
	s, regions := benchStore(b)
	ctx := context.Background()
	latencies(b, func(rng *rand.Rand) error {
		_, err := s.Neighbourhood(ctx, graph.NeighbourhoodQuery{ID: string(gen.CompanyIRI(rng.IntN(regions), rng.IntN(100))), Hops: 2, Limit: 1000})
		return err
	})
}

func BenchmarkShortestPath(b *testing.B) {
	s, regions := benchStore(b)
	ctx := context.Background()
	hops, found := 0, 0
	latencies(b, func(rng *rand.Rand) error {
		r := rng.IntN(regions)
		res, err := s.ShortestPaths(ctx, graph.ShortestQuery{
			From: string(gen.CompanyIRI(r, rng.IntN(100))), To: string(gen.CompanyIRI((r+1)%regions, rng.IntN(100))), MaxHops: 6,
		})
		if res.Hops > 0 {
			hops += res.Hops
			found++
		}
		return err
	})
	if found == 0 {
		b.Fatal("no shortest path found")
	}
	b.ReportMetric(float64(found)/float64(b.N), "found/op")
	b.ReportMetric(float64(hops)/float64(found), "hops")
}
