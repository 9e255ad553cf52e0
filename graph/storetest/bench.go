package storetest

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/gen"
)

// Generated streams the synthetic ecosystem cfg describes as a quad.Reader,
// for graph.Store.Load. Generation runs in its own goroutine; read to EOF.
func Generated(cfg gen.Config) quad.Reader {
	p := &quadPipe{ch: make(chan quad.Quad, 4096), done: make(chan error, 1)}
	go func() {
		err := gen.Generate(p, cfg)
		close(p.ch)
		p.done <- err
	}()
	return p
}

// quadPipe turns gen.Generate's writes into reads.
type quadPipe struct {
	ch   chan quad.Quad
	done chan error
	err  error
}

func (p *quadPipe) WriteQuad(q quad.Quad) error { p.ch <- q; return nil }

func (p *quadPipe) WriteQuads(qs []quad.Quad) (int, error) {
	for _, q := range qs {
		p.ch <- q
	}
	return len(qs), nil
}

func (p *quadPipe) ReadQuad() (quad.Quad, error) {
	if q, ok := <-p.ch; ok {
		return q, nil
	}
	if p.err == nil {
		p.err = <-p.done
		if p.err == nil {
			p.err = io.EOF
		}
	}
	return quad.Quad{}, p.err
}

func (p *quadPipe) Close() error { return nil }

// BenchQuads is the size of the benchmark store when INNOGRAPH_BENCH_QUADS
// is not set.
const BenchQuads = 100000

// BenchStore opens the benchmark store: a generated ecosystem of
// INNOGRAPH_BENCH_QUADS quads (default BenchQuads; the targets are
// for 1000000) in a bolt store opened with the default Config, and returns
// it with its number of regions. The store is built once per size and name
// in $TMPDIR/innograph-bench-<quads>-v1<name> and reused by later runs
// (building 1M quads takes about half a minute); delete the directory to
// rebuild it. Each package gives its own name, because bolt lets one
// process at a time open a store and go test runs packages in parallel.
//
// With INNOGRAPH_BENCH_DSN set, the store is that PostgreSQL database
// instead (create it first): an empty one is loaded with the same generated
// ecosystem, one that holds quads is taken as loaded; drop and recreate the
// database to rebuild it. The same benchmarks then measure PostgreSQL.
func BenchStore(tb testing.TB, name string) (*graph.Store, int) {
	tb.Helper()
	if dsn := os.Getenv("INNOGRAPH_BENCH_DSN"); dsn != "" {
		return benchPostgres(tb, dsn)
	}
	dir, regions := BenchDir(tb, name)
	s, err := graph.Open(context.Background(), graph.Config{Backend: graph.Bolt, Path: dir})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s, regions
}

// BenchDir returns the directory of BenchStore's bolt store (not opened),
// building it on first use, and its number of regions.
func BenchDir(tb testing.TB, name string) (string, int) {
	tb.Helper()
	want := benchQuads(tb)
	regions := max(2, want/gen.QuadsPerRegion)
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("innograph-bench-%d-v1%s", want, name))
	if _, err := os.Stat(filepath.Join(dir, "complete")); err != nil {
		tmp := dir + ".tmp" + strconv.Itoa(os.Getpid())
		os.RemoveAll(tmp)
		s, err := graph.Open(context.Background(), graph.Config{Backend: graph.Bolt, Path: tmp, ReadTier: graph.ReadTierOff})
		if err != nil {
			tb.Fatal(err)
		}
		start := time.Now()
		n, err := s.Load(context.Background(), Generated(gen.Config{Regions: regions, Seed: 1}), graph.LoadOptions{BatchSize: 100000})
		if err != nil {
			tb.Fatalf("load: %v", err)
		}
		if err := s.Close(); err != nil {
			tb.Fatal(err)
		}
		tb.Logf("built %s: %d quads, %d regions in %v", dir, n, regions, time.Since(start))
		if err := os.WriteFile(filepath.Join(tmp, "complete"), nil, 0o600); err != nil {
			tb.Fatal(err)
		}
		os.RemoveAll(dir)
		if err := os.Rename(tmp, dir); err != nil {
			tb.Fatal(err)
		}
	}
	return dir, regions
}

// benchPostgres is BenchStore on the PostgreSQL database dsn.
func benchPostgres(tb testing.TB, dsn string) (*graph.Store, int) {
	ctx := context.Background()
	want := benchQuads(tb)
	regions := max(2, want/gen.QuadsPerRegion)
	s, err := graph.Open(ctx, graph.Config{Backend: graph.Postgres, DSN: dsn})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	empty, err := s.IsEmpty(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	if empty {
		start := time.Now()
		n, err := s.Load(ctx, Generated(gen.Config{Regions: regions, Seed: 1}), graph.LoadOptions{})
		if err != nil {
			tb.Fatalf("load: %v", err)
		}
		tb.Logf("loaded %d quads, %d regions into PostgreSQL in %v", n, regions, time.Since(start))
	}
	return s, regions
}

// benchQuads is INNOGRAPH_BENCH_QUADS, or BenchQuads.
func benchQuads(tb testing.TB) int {
	tb.Helper()
	if v := os.Getenv("INNOGRAPH_BENCH_QUADS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < gen.QuadsPerRegion {
			tb.Fatalf("INNOGRAPH_BENCH_QUADS=%q: want a number of quads >= %d", v, gen.QuadsPerRegion)
		}
		return n
	}
	return BenchQuads
}

// Latencies collects the durations of benchmark operations and reports
// their p50 and p99. It is safe for one goroutine; merge per-goroutine
// ones with Add.
type Latencies struct{ took []time.Duration }

// Time runs op and records how long it took.
func (l *Latencies) Time(op func() error) error {
	start := time.Now()
	err := op()
	l.took = append(l.took, time.Since(start))
	return err
}

// Add merges o's durations into l.
func (l *Latencies) Add(o *Latencies) { l.took = append(l.took, o.took...) }

// Report reports the p50 and p99 latency in milliseconds as metrics of b.
func (l *Latencies) Report(b *testing.B) {
	if len(l.took) == 0 {
		return
	}
	took := append([]time.Duration(nil), l.took...)
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	pct := func(p int) float64 { return float64(took[(len(took)-1)*p/100].Microseconds()) / 1000 }
	b.ReportMetric(pct(50), "p50-ms")
	b.ReportMetric(pct(99), "p99-ms")
}

// Rand is the deterministic source of benchmark inputs.
func Rand() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }
