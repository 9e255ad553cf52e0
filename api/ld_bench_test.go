package api_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/api"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/gen"
	"github.com/innograph/innograph/graph/rdfio"
)

// The export benchmarks stream a generated ecosystem from a bolt store
// through the real handler over loopback HTTP. The size is
// INNOGRAPH_BENCH_QUADS (default 100000); the targets are for 1M:
//
//	INNOGRAPH_BENCH_QUADS=1000000 go test ./api -run '^$' -bench Export -benchtime 1x
//
// The store is built once per size in $TMPDIR/innograph-export-bench-<quads>-v2
// (at least <quads> quads: 1,021,xxx for 1M) and reused. Each benchmark reports quads/s,
// the peak Go heap in use and the peak anonymous resident memory of the
// process (RssAnon, sampled every 5 ms; bolt's file mapping is file-backed
// and not counted), both in MB.

func exportBenchStore(b *testing.B) (*graph.Store, int64) {
	b.Helper()
	want := 100000
	if v := os.Getenv("INNOGRAPH_BENCH_QUADS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < gen.QuadsPerRegion {
			b.Fatalf("INNOGRAPH_BENCH_QUADS=%q: want a number of quads >= %d", v, gen.QuadsPerRegion)
		}
		want = n
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("innograph-export-bench-%d-v2", want))
	if _, err := os.Stat(filepath.Join(dir, "complete")); err != nil {
		tmp := dir + ".tmp" + strconv.Itoa(os.Getpid())
		os.RemoveAll(tmp)
		s, err := graph.Open(context.Background(), graph.Config{Backend: graph.Bolt, Path: tmp, NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		var qs []quad.Quad
		// A region is a little under QuadsPerRegion: generate at least want.
		if err := gen.Generate(quadSlice{&qs}, gen.Config{Regions: max(2, want/1250+1), Seed: 1}); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Load(context.Background(), quad.NewReader(qs), graph.LoadOptions{BatchSize: 100000}); err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
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
	st, err := s.Stats(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	return s, st.Quads
}

// peakMemory samples the Go heap in use and the process's anonymous
// resident memory until stop is called, and returns their peaks in bytes.
func peakMemory() (stop func() (heap, anon uint64)) {
	var heap, anon uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	sample := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap = max(heap, ms.HeapInuse)
		anon = max(anon, rssAnon())
	}
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				sample()
				return
			case <-t.C:
				sample()
			}
		}
	}()
	return func() (uint64, uint64) {
		close(done)
		wg.Wait()
		return heap, anon
	}
}

// rssAnon reads RssAnon from /proc/self/status (0 where there is none).
func rssAnon() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "RssAnon:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func BenchmarkExport(b *testing.B) {
	store, n := exportBenchStore(b)
	srv := httptest.NewServer(api.New(api.Config{}, store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	b.Cleanup(srv.Close)
	for _, tc := range []struct{ name, query string }{
		{"nquads", "format=nquads"},
		{"ntriples", "format=ntriples"},
		{"turtle", "format=turtle"},
		{"trig", "format=trig"},
		{"jsonld", "format=jsonld"},
		{"jsonld-expanded", "format=jsonld&profile=expanded"},
		{"nquads-gzip", "format=nquads"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			runtime.GC()
			stop := peakMemory()
			var bytes int64
			cpu0 := cpuTime()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				req, _ := http.NewRequest("GET", srv.URL+"/api/v1/export?"+tc.query, nil)
				if strings.HasSuffix(tc.name, "-gzip") {
					req.Header.Set("Accept-Encoding", "gzip")
				} else {
					req.Header.Set("Accept-Encoding", "identity")
				}
				resp, err := http.DefaultTransport.RoundTrip(req)
				if err != nil {
					b.Fatal(err)
				}
				m, err := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != 200 {
					b.Fatalf("export %s: %d, %v", tc.query, resp.StatusCode, err)
				}
				bytes += m
			}
			b.StopTimer()
			cpu := cpuTime() - cpu0
			heap, anon := stopPeak(stop)
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "quads/s")
			b.ReportMetric(float64(n)*float64(b.N)/cpu.Seconds(), "quads/cpu-s")
			b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(anon)/(1<<20), "peak-anon-MB")
			b.ReportMetric(float64(bytes)/float64(b.N)/(1<<20), "body-MB")
		})
	}
	// The floor: reading the store with no encoder at all.
	b.Run("iterate-only", func(b *testing.B) {
		cpu0 := cpuTime()
		for i := 0; i < b.N; i++ {
			if err := store.EachQuad(context.Background(), graph.Selection{}, func(quad.Quad) error { return nil }); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "quads/s")
		b.ReportMetric(float64(n)*float64(b.N)/(cpuTime()-cpu0).Seconds(), "quads/cpu-s")
	})
	// Encoding without HTTP, to separate the encoder from the transport.
	b.Run("nquads-no-http", func(b *testing.B) {
		f, _ := rdfio.Lookup(rdfio.NQuads)
		for i := 0; i < b.N; i++ {
			w, _ := rdfio.NewWriter(io.Discard, f, graph.WriteOptions(""))
			if err := store.EachQuad(context.Background(), graph.Selection{}, w.WriteQuad); err != nil {
				b.Fatal(err)
			}
			w.Close()
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "quads/s")
	})
}

// cpuTime is the user and system CPU time the process has used: on a
// shared machine quads per CPU second is steadier than per wall second.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func stopPeak(stop func() (uint64, uint64)) (uint64, uint64) { return stop() }
