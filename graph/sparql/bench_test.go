package sparql_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
	"github.com/innograph/innograph/graph/gen"
	"github.com/innograph/innograph/graph/internal/memindex"
	"github.com/innograph/innograph/graph/sparql"
	"github.com/innograph/innograph/graph/sparql/parse"
	"github.com/innograph/innograph/graph/sparql/results"
	"github.com/innograph/innograph/ontology"
)

// The benchmarks run the canonical questions, written in SPARQL,
// on a generated ecosystem held by the in-memory tier. Its size is
// INNOGRAPH_BENCH_QUADS (default 100000); the targets are for 1M:
//
//	INNOGRAPH_BENCH_QUADS=1000000 go test ./graph/sparql -run '^$' -bench . -benchtime 200x
//
// Each reports p50 and p99 latency; the scan reports rows per second.

var bench struct {
	once    sync.Once
	index   *memindex.Index
	regions int
	quads   int
}

type quadSlice struct{ qs []quad.Quad }

func (s *quadSlice) WriteQuad(q quad.Quad) error { s.qs = append(s.qs, q); return nil }

func (s *quadSlice) WriteQuads(qs []quad.Quad) (int, error) {
	s.qs = append(s.qs, qs...)
	return len(qs), nil
}

func benchIndex(b *testing.B) (*memindex.Index, int) {
	b.Helper()
	bench.once.Do(func() {
		n := 100000
		if s := os.Getenv("INNOGRAPH_BENCH_QUADS"); s != "" {
			if v, err := strconv.Atoi(s); err == nil && v > 0 {
				n = v
			}
		}
		bench.regions = max(2, n/gen.QuadsPerRegion)
		var out quadSlice
		if err := gen.Generate(&out, gen.Config{Regions: bench.regions, Seed: 1}); err != nil {
			panic(err)
		}
		bench.quads = len(out.qs)
		bench.index = memindex.FromQuads(out.qs)
		runtime.GC()
	})
	return bench.index, bench.regions
}

const prefixes = "PREFIX ig: <" + ontology.NS + ">\nPREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"

// latency records durations and reports percentiles.
type latency []time.Duration

func (l *latency) report(b *testing.B) {
	b.Helper()
	if len(*l) == 0 {
		return
	}
	slices.Sort(*l)
	at := func(p float64) time.Duration { return (*l)[min(len(*l)-1, int(p*float64(len(*l))))] }
	b.ReportMetric(float64(at(0.50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(at(0.99).Microseconds())/1000, "p99-ms")
}

// runQuery prepares and runs query on a fresh Reader (as a request would)
// and returns the number of rows (or 1 for a true ASK).
func runQuery(ctx context.Context, x *memindex.Index, query string) (int, error) {
	q, err := parse.Query(prefixes+query, parse.Options{})
	if err != nil {
		return 0, err
	}
	r, err := x.Reader(ctx)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	plan, err := sparql.Prepare(ctx, r, q, sparql.Options{})
	if err != nil {
		return 0, err
	}
	if plan.Form().String() == "ASK" {
		ok, err := plan.Ask(ctx)
		if ok {
			return 1, err
		}
		return 0, err
	}
	n := 0
	err = plan.Select(ctx, func([]quad.Value) error { n++; return nil })
	return n, err
}

func benchQueries(b *testing.B, query func(rng *rand.Rand, regions int) string, check func(rows int) error) {
	x, regions := benchIndex(b)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 11))
	var l latency
	total := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := query(rng, regions)
		start := time.Now()
		n, err := runQuery(ctx, x, q)
		l = append(l, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		if check != nil {
			if err := check(n); err != nil {
				b.Fatalf("%v\n%s", err, q)
			}
		}
		total += n
	}
	b.StopTimer()
	l.report(b)
	b.ReportMetric(float64(total)/float64(b.N), "rows/op")
}

// Pairs of a university and a business cluster connected through one
// innovation network.
func BenchmarkConnectionsThrough(b *testing.B) {
	benchQueries(b, func(rng *rand.Rand, regions int) string {
		n := string(gen.NetworkIRI(rng.IntN(regions), rng.IntN(2)))
		return fmt.Sprintf(`SELECT ?u ?c WHERE {
			?u ig:memberOf <%s> ; a ig:University .
			?c ig:memberOf <%s> ; a ig:BusinessCluster .
		}`, n, n)
	}, nil)
}

// The 3-step pattern company -> cluster -> network <- university.
func BenchmarkPattern3Step(b *testing.B) {
	const pattern = `
		?cl a ig:BusinessCluster . ?co ig:memberOf ?cl .
		?cl ig:memberOf ?n . ?n a ig:InnovationNetwork .
		?u ig:memberOf ?n ; a ig:University .`
	b.Run("from-class", func(b *testing.B) {
		benchQueries(b, func(*rand.Rand, int) string {
			return `SELECT ?co ?cl ?n ?u WHERE { ?co a ig:Company . ` + pattern + ` } LIMIT 100`
		}, func(rows int) error {
			if rows != 100 {
				return fmt.Errorf("%d rows, want a full page of 100", rows)
			}
			return nil
		})
	})
	b.Run("from-id", func(b *testing.B) {
		benchQueries(b, func(rng *rand.Rand, regions int) string {
			c := string(gen.CompanyIRI(rng.IntN(regions), rng.IntN(100)))
			return fmt.Sprintf(`SELECT ?cl ?n ?u WHERE { BIND(<%s> AS ?co) %s } LIMIT 100`, c, pattern)
		}, nil)
	})
}

// The 2-hop neighbourhood of a company, rdf:type links left out.
func BenchmarkNeighbourhood2Hop(b *testing.B) {
	benchQueries(b, func(rng *rand.Rand, regions int) string {
		c := string(gen.CompanyIRI(rng.IntN(regions), rng.IntN(100)))
		return fmt.Sprintf(`SELECT DISTINCT ?x ?y WHERE {
			<%s> !(rdf:type|^rdf:type) ?x .
			OPTIONAL { ?x !(rdf:type|^rdf:type) ?y }
		} LIMIT 1000`, c)
	}, nil)
}

// The shortest path length between two companies of neighbouring
// regions, as a ladder of ASK queries over paths of 1 to 6 links of any
// predicate but rdf:type, in either direction.
func BenchmarkShortestPathASK(b *testing.B) {
	x, regions := benchIndex(b)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 11))
	var l latency
	found, hops := 0, 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := rng.IntN(regions)
		from, to := string(gen.CompanyIRI(r, rng.IntN(100))), string(gen.CompanyIRI((r+1)%regions, rng.IntN(100)))
		start := time.Now()
		path := "!(rdf:type|^rdf:type)"
		for k := 1; k <= 6; k++ {
			n, err := runQuery(ctx, x, fmt.Sprintf("ASK { <%s> %s <%s> }", from, path, to))
			if err != nil {
				b.Fatal(err)
			}
			if n == 1 {
				found++
				hops += k
				break
			}
			path += "/!(rdf:type|^rdf:type)"
		}
		l = append(l, time.Since(start))
	}
	b.StopTimer()
	l.report(b)
	if found == 0 {
		b.Fatal("no path found")
	}
	b.ReportMetric(float64(found)/float64(b.N), "found/op")
	b.ReportMetric(float64(hops)/float64(found), "hops")
}

// SELECT * { ?s ?p ?o }: every quad decoded and handed out, as fast as
// the caller takes them. The live-heap sub-benchmark forces a collection
// at points through the scan and reports how far the live heap grew over
// its level before the scan: flat memory means a few MB whatever the size.
func BenchmarkScanAll(b *testing.B) {
	x, _ := benchIndex(b)
	ctx := context.Background()
	b.Run("throughput", func(b *testing.B) {
		var rows int
		b.ResetTimer()
		start := time.Now()
		for i := 0; i < b.N; i++ {
			n, err := runQuery(ctx, x, `SELECT * WHERE { ?s ?p ?o }`)
			if err != nil {
				b.Fatal(err)
			}
			rows += n
		}
		elapsed := time.Since(start)
		b.StopTimer()
		b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
		b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
	})
	// What the endpoint does: every row through a results writer.
	for _, format := range []string{results.TSV, results.JSON} {
		b.Run("write-"+format, func(b *testing.B) {
			f, _ := results.Lookup(format)
			var rows int
			var bytes countingWriter
			start := time.Now()
			for i := 0; i < b.N; i++ {
				q, err := parse.Query(`SELECT * WHERE { ?s ?p ?o }`, parse.Options{})
				if err != nil {
					b.Fatal(err)
				}
				r, err := x.Reader(ctx)
				if err != nil {
					b.Fatal(err)
				}
				plan, err := sparql.Prepare(ctx, r, q, sparql.Options{})
				if err != nil {
					b.Fatal(err)
				}
				w, err := results.NewWriter(&bytes, f, plan.Vars())
				if err != nil {
					b.Fatal(err)
				}
				err = plan.Select(ctx, func(row []quad.Value) error { rows++; return w.Write(row) })
				if err == nil {
					err = w.Close()
				}
				r.Close()
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(rows)/time.Since(start).Seconds(), "rows/s")
			b.ReportMetric(float64(bytes)/float64(rows), "bytes/row")
		})
	}
	for _, query := range []struct{ name, text string }{
		{"live-heap", `SELECT * WHERE { ?s ?p ?o }`},
		{"live-heap-computed", `SELECT ?s (STR(?o) AS ?text) (CONCAT(STR(?s), "#", STR(?p)) AS ?key) WHERE { ?s ?p ?o }`},
	} {
		b.Run(query.name, func(b *testing.B) {
			var ms runtime.MemStats
			for i := 0; i < b.N; i++ {
				runtime.GC()
				runtime.ReadMemStats(&ms)
				base := ms.HeapAlloc
				var peak uint64
				q, err := parse.Query(query.text, parse.Options{})
				if err != nil {
					b.Fatal(err)
				}
				r, err := x.Reader(ctx)
				if err != nil {
					b.Fatal(err)
				}
				plan, err := sparql.Prepare(ctx, r, q, sparql.Options{})
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				err = plan.Select(ctx, func([]quad.Value) error {
					if n++; n%(bench.quads/5+1) == 0 {
						runtime.GC()
						runtime.ReadMemStats(&ms)
						peak = max(peak, ms.HeapAlloc)
					}
					return nil
				})
				r.Close()
				if err != nil {
					b.Fatal(err)
				}
				growth := 0.0
				if peak > base {
					growth = float64(peak-base) / (1 << 20)
				}
				b.ReportMetric(growth, "live-heap-growth-MB")
				b.ReportMetric(float64(n), "rows")
			}
		})
	}
}

// countingWriter counts and drops what is written.
type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

var _ frontier.Reader // the benchmarks read through memindex's frontier.Reader

// The peer questions: the SPARQL texts cmd/innograph-peers sends to
// Oxigraph, Virtuoso and our /sparql (cmd/innograph-peers/questions.go),
// asked here in process, so that a profile shows the engine's share of
// the HTTP figures. Inputs are drawn as the peers command draws them.
const peerEdge = "!(rdf:type|^rdf:type)"

func peerConnections(n string) string {
	return fmt.Sprintf(`SELECT DISTINCT ?x ?y WHERE {
  ?x %[1]s <%[2]s> . FILTER(isIRI(?x)) FILTER EXISTS { ?x rdf:type ig:University }
  ?y %[1]s <%[2]s> . FILTER(isIRI(?y)) FILTER EXISTS { ?y rdf:type ig:BusinessCluster }
  FILTER(?x != ?y)
}`, peerEdge, n)
}

func peerPattern(u string) string {
	return fmt.Sprintf(`SELECT DISTINCT ?co WHERE {
  <%s> ig:memberOf ?net .
  ?net rdf:type ig:InnovationNetwork .
  ?cl ig:memberOf ?net .
  ?cl rdf:type ig:BusinessCluster .
  ?co ig:memberOf ?cl .
  ?co rdf:type ig:Company .
}`, u)
}

func peerNeighbourhood(c string) string {
	return fmt.Sprintf(`SELECT DISTINCT ?n WHERE {
  { SELECT DISTINCT ?m WHERE { <%[2]s> %[1]s? ?m . FILTER(isIRI(?m)) } }
  ?m %[1]s? ?n . FILTER(isIRI(?n))
}`, peerEdge, c)
}

// peerReach asks whether a walk of exactly k edges joins a and b, meeting
// in the middle on distinct nodes, as the peers command's ladder does.
func peerReach(a, b string, k int) string {
	fromA, fromB := (k+1)/2, k/2
	walk := func(sb *strings.Builder, start, prefix string, hops int, end string) {
		prev := "<" + start + ">"
		for i := 1; i <= hops; i++ {
			next := fmt.Sprintf("?%s%d", prefix, i)
			if i == hops {
				next = end
			}
			fmt.Fprintf(sb, " %s %s %s .", prev, peerEdge, next)
			if strings.HasPrefix(next, "?") {
				fmt.Fprintf(sb, " FILTER(isIRI(%s))", next)
			}
			prev = next
		}
	}
	var sb strings.Builder
	sb.WriteString("ASK {\n")
	if fromB == 0 {
		walk(&sb, a, "a", fromA, "<"+b+">")
	} else {
		sb.WriteString("  { SELECT DISTINCT ?m WHERE {")
		walk(&sb, a, "a", fromA, "?m")
		sb.WriteString(" } }\n  { SELECT DISTINCT ?m WHERE {")
		walk(&sb, b, "b", fromB, "?m")
		sb.WriteString(" } }\n")
	}
	sb.WriteString("}")
	return sb.String()
}

func BenchmarkPeerQuestions(b *testing.B) {
	b.Run("connections", func(b *testing.B) {
		benchQueries(b, func(rng *rand.Rand, regions int) string {
			return peerConnections(string(gen.NetworkIRI(rng.IntN(regions), rng.IntN(2))))
		}, nil)
	})
	b.Run("pattern", func(b *testing.B) {
		benchQueries(b, func(rng *rand.Rand, regions int) string {
			return peerPattern(string(gen.UniversityIRI(rng.IntN(regions), rng.IntN(3))))
		}, nil)
	})
	b.Run("neighbourhood", func(b *testing.B) {
		benchQueries(b, func(rng *rand.Rand, regions int) string {
			return peerNeighbourhood(string(gen.CompanyIRI(rng.IntN(regions), rng.IntN(100))))
		}, nil)
	})
	b.Run("shortest", func(b *testing.B) {
		x, regions := benchIndex(b)
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(7, 11))
		var l latency
		found, hops := 0, 0
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			r := rng.IntN(regions)
			from, to := string(gen.CompanyIRI(r, rng.IntN(100))), string(gen.CompanyIRI((r+1)%regions, rng.IntN(100)))
			start := time.Now()
			for k := 1; k <= 6; k++ {
				n, err := runQuery(ctx, x, peerReach(from, to, k))
				if err != nil {
					b.Fatal(err)
				}
				if n == 1 {
					found++
					hops += k
					break
				}
			}
			l = append(l, time.Since(start))
		}
		b.StopTimer()
		l.report(b)
		if found > 0 {
			b.ReportMetric(float64(hops)/float64(found), "hops")
		}
	})
}
