package graph_test

import (
	"context"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/storetest"
)

// BenchmarkReadTierOpen opens the benchmark store (storetest.BenchDir: a
// generated ecosystem of INNOGRAPH_BENCH_QUADS quads in bolt) with the
// memory read tier, whose build is most of the time, and with the tier
// off, and reports the tier's size per quad and the heap the process
// keeps with it. At 1M quads (docs/performance.md, "Read tier"):
//
//	INNOGRAPH_BENCH_QUADS=1000000 go test ./graph -run '^$' -bench ReadTierOpen -benchtime 3x
//
// With INNOGRAPH_BENCH_DSN set it measures that PostgreSQL database
// instead, loaded as storetest.BenchStore loads it.
func BenchmarkReadTierOpen(b *testing.B) {
	ctx := context.Background()
	var open func(tier graph.ReadTier) graph.Config
	if dsn := os.Getenv("INNOGRAPH_BENCH_DSN"); dsn != "" {
		s, _ := storetest.BenchStore(b, "")
		s.Close()
		open = func(tier graph.ReadTier) graph.Config {
			return graph.Config{Backend: graph.Postgres, DSN: dsn, ReadTier: tier}
		}
	} else {
		dir, _ := storetest.BenchDir(b, "-tier")
		open = func(tier graph.ReadTier) graph.Config {
			return graph.Config{Backend: graph.Bolt, Path: dir, ReadTier: tier}
		}
	}
	for _, tier := range graph.ReadTiers() {
		b.Run(string(tier), func(b *testing.B) {
			var quads, bytes int64
			var heap uint64
			var cpu time.Duration
			for i := 0; i < b.N; i++ {
				runtime.GC()
				var before runtime.MemStats
				runtime.ReadMemStats(&before)
				c0 := cpuTime()
				s, err := graph.Open(ctx, open(tier))
				if err != nil {
					b.Fatal(err)
				}
				cpu += cpuTime() - c0
				b.StopTimer()
				st := s.ReadTierStatus()
				if tier == graph.ReadTierMemory && !st.Ready {
					b.Fatalf("read tier not ready after Open: %+v", st)
				}
				quads, bytes = st.Quads, st.Bytes
				runtime.GC()
				var after runtime.MemStats
				runtime.ReadMemStats(&after)
				heap = after.HeapAlloc - min(after.HeapAlloc, before.HeapAlloc)
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
			if quads > 0 {
				b.ReportMetric(float64(quads), "quads")
				b.ReportMetric(float64(bytes)/float64(quads), "index-bytes/quad")
				b.ReportMetric(float64(heap)/float64(quads), "heap-bytes/quad")
			}
		})
	}
}

// cpuTime returns the CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
