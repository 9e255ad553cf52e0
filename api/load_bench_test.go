package api_test

import (
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/innograph/innograph/api"
	"github.com/innograph/innograph/graph/gen"
	"github.com/innograph/innograph/graph/storetest"
)

// loadClients is the number of concurrent connections of the load test.
const loadClients = 8

// BenchmarkHTTPLoad is the load test of the query API: the real handler on
// a loopback port over the bolt benchmark store (storetest.BenchStore,
// sized by INNOGRAPH_BENCH_QUADS), hit by a real HTTP client over 8
// concurrent keep-alive connections (sub-benchmarks c8/...), and for
// comparison by one client (c1/..., the latency without queueing on the
// two cores). Each sub-benchmark sends b.N requests of one kind, split over
// the clients, and reports p50 and p99 latency as the client sees it and the
// throughput:
//
//	INNOGRAPH_BENCH_QUADS=1000000 go test ./api -run '^$' -bench HTTPLoad -benchtime 400x
//
// Every request has a 30 s client timeout and the loop is bounded by b.N.
func BenchmarkHTTPLoad(b *testing.B) {
	store, regions := storetest.BenchStore(b, "-api")
	srv := httptest.NewServer(api.New(api.Config{}, store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	b.Cleanup(srv.Close)
	client := &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxConnsPerHost: loadClients, MaxIdleConnsPerHost: loadClients},
	}
	b.Cleanup(client.CloseIdleConnections)
	esc := func(s fmt.Stringer) string { return url.QueryEscape(strings.Trim(s.String(), "<>")) }
	threeStep := func(start string) string {
		return `{"start":` + start + `,"steps":[
			{"predicates":["memberOf"],"type":"BusinessCluster"},
			{"predicates":["memberOf"],"type":"InnovationNetwork"},
			{"predicates":["memberOf"],"direction":"in","type":"University"}],"limit":100}`
	}
	kinds := []struct {
		name string
		req  func(rng *rand.Rand) (*http.Request, error)
	}{
		{"connections-through", func(rng *rand.Rand) (*http.Request, error) {
			return http.NewRequest("GET", srv.URL+"/api/v1/connections?from=University&to=BusinessCluster&through="+
				esc(gen.NetworkIRI(rng.IntN(regions), rng.IntN(2))), nil)
		}},
		{"pattern-3step-from-class", func(*rand.Rand) (*http.Request, error) {
			return http.NewRequest("POST", srv.URL+"/api/v1/paths", strings.NewReader(threeStep(`{"type":"Company"}`)))
		}},
		{"pattern-3step-from-id", func(rng *rand.Rand) (*http.Request, error) {
			id := strings.Trim(gen.CompanyIRI(rng.IntN(regions), rng.IntN(100)).String(), "<>")
			return http.NewRequest("POST", srv.URL+"/api/v1/paths", strings.NewReader(threeStep(`{"ids":["`+id+`"]}`)))
		}},
		{"neighbourhood-2hop", func(rng *rand.Rand) (*http.Request, error) {
			return http.NewRequest("GET", srv.URL+"/api/v1/entities/"+url.PathEscape(strings.Trim(gen.CompanyIRI(rng.IntN(regions), rng.IntN(100)).String(), "<>"))+
				"/neighbourhood?hops=2&limit=1000", nil)
		}},
		{"shortest-path", func(rng *rand.Rand) (*http.Request, error) {
			r := rng.IntN(regions)
			return http.NewRequest("GET", srv.URL+"/api/v1/shortest-path?maxHops=6&from="+esc(gen.CompanyIRI(r, rng.IntN(100)))+
				"&to="+esc(gen.CompanyIRI((r+1)%regions, rng.IntN(100))), nil)
		}},
	}
	for _, clients := range []int{loadClients, 1} {
		for _, k := range kinds {
			b.Run(fmt.Sprintf("c%d/%s", clients, k.name), func(b *testing.B) {
				var (
					mu    sync.Mutex
					all   storetest.Latencies
					first error
					wg    sync.WaitGroup
				)
				work := make(chan *http.Request, b.N)
				rng := storetest.Rand()
				for i := 0; i < b.N; i++ {
					req, err := k.req(rng)
					if err != nil {
						b.Fatal(err)
					}
					work <- req
				}
				close(work)
				b.ResetTimer()
				start := time.Now()
				for c := 0; c < clients; c++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						var l storetest.Latencies
						for req := range work {
							err := l.Time(func() error {
								resp, err := client.Do(req)
								if err != nil {
									return err
								}
								defer resp.Body.Close()
								if _, err := io.Copy(io.Discard, resp.Body); err != nil {
									return err
								}
								if resp.StatusCode != http.StatusOK {
									return fmt.Errorf("%s %s = %d", req.Method, req.URL, resp.StatusCode)
								}
								return nil
							})
							if err != nil {
								mu.Lock()
								if first == nil {
									first = err
								}
								mu.Unlock()
							}
						}
						mu.Lock()
						all.Add(&l)
						mu.Unlock()
					}()
				}
				wg.Wait()
				elapsed := time.Since(start)
				b.StopTimer()
				if first != nil {
					b.Fatal(first)
				}
				all.Report(b)
				b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
			})
		}
	}
}
