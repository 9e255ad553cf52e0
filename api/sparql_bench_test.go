package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/innograph/innograph/api"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/gen"
)

// BenchmarkSPARQLHTTP asks the SPARQL endpoint over HTTP, one request at
// a time, on a generated ecosystem in bolt (INNOGRAPH_BENCH_QUADS quads,
// 100,000 by default) served from the read tier: a full scan streamed as
// TSV (rows/s), the 3-step company, cluster, network, university pattern
// of one network, and the Q5-shaped join of one network's universities
// and clusters. ns/op is the latency of one request.
func BenchmarkSPARQLHTTP(b *testing.B) {
	n := 100_000
	if v := os.Getenv("INNOGRAPH_BENCH_QUADS"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	store, err := graph.Open(context.Background(), graph.Config{Backend: graph.Bolt, Path: filepath.Join(b.TempDir(), "data"), NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	err = store.Write(context.Background(), func(bt *graph.Batch) error {
		return gen.Generate(batchWriter{bt}, gen.Config{Regions: max(2, n/gen.QuadsPerRegion), Seed: 1})
	})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(api.New(api.Config{QueryTimeout: time.Minute, MaxSPARQLRows: -1}, store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	b.Cleanup(func() { srv.Close(); store.Close() })
	network := string(gen.NetworkIRI(0, 0))
	const ig = "PREFIX ig: <https://w3id.org/innograph/ontology#>\n"
	run := func(b *testing.B, query, accept string) {
		var lat []time.Duration
		rows := 0
		start := time.Now()
		for i := 0; i < b.N; i++ {
			t0 := time.Now()
			req, _ := http.NewRequest("GET", srv.URL+"/sparql?query="+url.QueryEscape(query), nil)
			req.Header.Set("Accept", accept)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != 200 {
				b.Fatalf("%d %v %.300s", resp.StatusCode, err, body)
			}
			rows = 0
			for _, c := range body {
				if c == '\n' {
					rows++
				}
			}
			lat = append(lat, time.Since(t0))
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(rows-1), "rows")
		b.ReportMetric(float64((rows-1)*b.N)/time.Since(start).Seconds(), "rows/s")
	}
	b.Run("scan", func(b *testing.B) {
		run(b, "SELECT * WHERE { ?s ?p ?o }", "text/tab-separated-values")
	})
	b.Run("3-step", func(b *testing.B) {
		run(b, ig+"SELECT DISTINCT ?company ?cluster ?university WHERE { ?company a ig:Company ; ig:memberOf ?cluster . ?cluster a ig:BusinessCluster ; ig:memberOf <"+network+"> . ?university a ig:University ; ig:memberOf <"+network+"> }", "application/sparql-results+json")
	})
	b.Run("universities-clusters", func(b *testing.B) {
		run(b, ig+"SELECT ?u ?c WHERE { ?u a ig:University ; ig:memberOf <"+network+"> . ?c a ig:BusinessCluster ; ig:memberOf <"+network+"> }", "application/sparql-results+json")
	})
}
