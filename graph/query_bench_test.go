package graph_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/gen"
	"github.com/innograph/innograph/ontology"
)

// The path-query benchmarks run on a generated ecosystem in a bolt store
// opened with the default Config. Its size is INNOGRAPH_BENCH_QUADS
// (default 100000); the targets are for 1M:
//
//	INNOGRAPH_BENCH_QUADS=1000000 go test ./graph -run '^$' \
//	    -bench 'ConnectionsThrough|Pattern3Step|Neighbourhood2Hop|ShortestPath' -benchtime 200x
//
// The store is built once per size in $TMPDIR/innograph-bench-<quads>-v1
// and reused by later runs (loading 1M quads takes minutes); delete the
// directory to rebuild it. Each benchmark reports p50 and p99 latency.

// benchStore opens the benchmark store, building it on first use.
func benchStore(b *testing.B) (*graph.Store, int) {
	b.Helper()
	want := 100000
	if v := os.Getenv("INNOGRAPH_BENCH_QUADS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < gen.QuadsPerRegion {
			b.Fatalf("INNOGRAPH_BENCH_QUADS=%q: want a number of quads >= %d", v, gen.QuadsPerRegion)
		}
		want = n
	}
	regions := max(2, want/gen.QuadsPerRegion)
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("innograph-bench-%d-v1", want))
	if _, err := os.Stat(filepath.Join(dir, "complete")); err != nil {
		tmp := dir + ".tmp" + strconv.Itoa(os.Getpid())
		os.RemoveAll(tmp)
		s, err := graph.Open(context.Background(), graph.Config{Backend: graph.Bolt, Path: tmp})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		n, err := s.Load(context.Background(), generated(gen.Config{Regions: regions, Seed: 1}), graph.LoadOptions{BatchSize: 100000})
		if err != nil {
			b.Fatalf("load: %v", err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		b.Logf("built %s: %d quads, %d regions in %v", dir, n, regions, time.Since(start))
		if err := os.WriteFile(filepath.Join(tmp, "complete"), nil, 0o600); err != nil {
			b.Fatal(err)
		}
		os.RemoveAll(dir)
		if err := os.Rename(tmp, dir); err != nil {
			b.Fatal(err)
		}
	}
	s, err := graph.Open(context.Background(), graph.Config{Backend: graph.Bolt, Path: dir})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s, regions
}

// latencies runs query b.N times with a fresh random input each time and
// reports the p50 and p99 latency.
func latencies(b *testing.B, query func(rng *rand.Rand) error) {
	b.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	took := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if err := query(rng); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	pct := func(p int) float64 { return float64(took[(len(took)-1)*p/100].Microseconds()) / 1000 }
	b.ReportMetric(pct(50), "p50-ms")
	b.ReportMetric(pct(99), "p99-ms")
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
	latencies(b, func(rng *rand.Rand) error {
		r := rng.IntN(regions)
		_, err := s.ShortestPaths(ctx, graph.ShortestQuery{
			From: string(gen.CompanyIRI(r, rng.IntN(100))), To: string(gen.CompanyIRI((r+1)%regions, rng.IntN(100))), MaxHops: 6,
		})
		return err
	})
}
