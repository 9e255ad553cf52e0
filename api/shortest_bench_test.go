package api_test

import (
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/innograph/innograph/api"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/gen"
)

// BenchmarkShortestPathHandler asks GET /api/v1/shortest-path of the
// handler in process (no connection), for companies of neighbouring
// regions of a generated ecosystem in bolt (about 100,000 quads) served
// from the read tier: the server's own work per request, middleware,
// search, description and JSON answer, with its allocations.
func BenchmarkShortestPathHandler(b *testing.B) {
	const regions = 77
	store, err := graph.Open(context.Background(), graph.Config{Backend: graph.Bolt, Path: filepath.Join(b.TempDir(), "data"), NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	err = store.Write(context.Background(), func(bt *graph.Batch) error {
		return gen.Generate(batchWriter{bt}, gen.Config{Regions: regions, Seed: 1})
	})
	if err != nil {
		b.Fatal(err)
	}
	h := api.New(api.Config{QueryTimeout: time.Minute}, store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	rng := rand.New(rand.NewPCG(1, 1))
	targets := make([]string, 256)
	for i := range targets {
		r := rng.IntN(regions)
		targets[i] = "/api/v1/shortest-path?maxHops=6&from=" + url.QueryEscape(string(gen.CompanyIRI(r, rng.IntN(100)))) +
			"&to=" + url.QueryEscape(string(gen.CompanyIRI((r+1)%regions, rng.IntN(100))))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", targets[i%len(targets)], nil))
		if rec.Code != 200 && rec.Code != 404 {
			b.Fatalf("GET %s: %d %s", targets[i%len(targets)], rec.Code, rec.Body)
		}
	}
}
