package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
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
// of one network, the Q5-shaped join of one network's universities and
// clusters, the fixed cost of a request (ASK {}), and the shortest path
// as the peers command's ASK ladder beside GET /api/v1/shortest-path for
// the same pairs. ns/op is the latency of one request (of one whole
// answer for the shortest path).
func BenchmarkSPARQLHTTP(b *testing.B) {
	n := 100_000
	if v := os.Getenv("INNOGRAPH_BENCH_QUADS"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	regions := max(2, n/gen.QuadsPerRegion)
	store, err := graph.Open(context.Background(), graph.Config{Backend: graph.Bolt, Path: filepath.Join(b.TempDir(), "data"), NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	err = store.Write(context.Background(), func(bt *graph.Batch) error {
		return gen.Generate(batchWriter{bt}, gen.Config{Regions: regions, Seed: 1})
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
	// The fixed cost of a request: parsing, planning, negotiation and
	// writing an answer that needs no data.
	b.Run("ask-empty", func(b *testing.B) {
		run(b, "ASK {}", "application/sparql-results+json")
	})
	// The shortest path as the peers command asks it of every SPARQL
	// endpoint (an ASK per length until a yes), beside our own endpoint
	// for the same pairs: the ratio of the two is issue 12's target.
	b.Run("shortest-ladder", func(b *testing.B) {
		ladder(b, srv.URL, regions, false)
	})
	b.Run("shortest-path", func(b *testing.B) {
		ladder(b, srv.URL, regions, true)
	})
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

// ladder asks the shortest path between companies of neighbouring
// regions, drawn as the peers command draws them, one pair per iteration:
// through GET /api/v1/shortest-path (path) or as the peers command's ASK
// ladder over /sparql, one request per length until a yes. It reports
// the latency of a whole answer and the mean hops.
func ladder(b *testing.B, base string, regions int, path bool) {
	rng := rand.New(rand.NewPCG(7, 11))
	var lat []time.Duration
	hops := 0
	get := func(u string) []byte {
		resp, err := http.Get(u)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("%d %v %.300s", resp.StatusCode, err, body)
		}
		return body
	}
	for i := 0; i < b.N; i++ {
		r := rng.IntN(regions)
		from, to := string(gen.CompanyIRI(r, rng.IntN(100))), string(gen.CompanyIRI((r+1)%regions, rng.IntN(100)))
		t0 := time.Now()
		if path {
			q := url.Values{"from": {from}, "to": {to}, "maxHops": {"6"}}
			var res struct{ Hops int }
			if err := json.Unmarshal(get(base+"/api/v1/shortest-path?"+q.Encode()), &res); err != nil {
				b.Fatal(err)
			}
			hops += res.Hops
		} else {
			for k := 1; k <= 6; k++ {
				body := get(base + "/sparql?query=" + url.QueryEscape(reachQuery(from, to, k)))
				if bytes.Contains(body, []byte("true")) {
					hops += k
					break
				}
			}
		}
		lat = append(lat, time.Since(t0))
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(hops)/float64(b.N), "hops")
}

// reachQuery is the peers command's ASK for a walk of exactly k edges
// through IRIs (any predicate but rdf:type, either way) from a to b,
// meeting in the middle on distinct nodes.
func reachQuery(a, b string, k int) string {
	const edge = "!(rdf:type|^rdf:type)"
	fromA, fromB := (k+1)/2, k/2
	var sb strings.Builder
	walk := func(start, prefix string, hops int, end string) {
		prev := "<" + start + ">"
		for i := 1; i <= hops; i++ {
			next := fmt.Sprintf("?%s%d", prefix, i)
			if i == hops {
				next = end
			}
			fmt.Fprintf(&sb, " %s %s %s .", prev, edge, next)
			if strings.HasPrefix(next, "?") {
				fmt.Fprintf(&sb, " FILTER(isIRI(%s))", next)
			}
			prev = next
		}
	}
	sb.WriteString("PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\nASK {\n")
	if fromB == 0 {
		walk(a, "a", fromA, "<"+b+">")
	} else {
		sb.WriteString("  { SELECT DISTINCT ?m WHERE {")
		walk(a, "a", fromA, "?m")
		sb.WriteString(" } }\n  { SELECT DISTINCT ?m WHERE {")
		walk(b, "b", fromB, "?m")
		sb.WriteString(" } }\n")
	}
	sb.WriteString("}")
	return sb.String()
}
