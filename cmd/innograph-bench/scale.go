package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/innograph/innograph/graph/gen"
	"github.com/innograph/innograph/ontology"
)

// The scale benchmark ("innograph-bench scale") measures reads per second
// of innograph servers on a PostgreSQL primary and hot standby, as
// docs/scale.md lays them out: first one server alone on the primary, then
// two read-only servers on the standby and one read-write server on the
// primary behind a client-side round robin, each time with the same number
// of concurrent clients mixing documents, path queries and exports for the
// same time. No HTTP cache: every request reaches a server. During the
// second run a writer adds a quad every 50 ms through the read-write server
// and the read-only servers' replication lag is sampled.

type scaleConfig struct {
	primary, standby string
	innograph        string
	dir              string
	quads            int
	clients          int
	duration         time.Duration
	writeEvery       time.Duration
}

func runScale(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("innograph-bench scale", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg scaleConfig
	fs.StringVar(&cfg.primary, "primary", getenv("INNOGRAPH_TEST_POSTGRES_PRIMARY_DSN"), "DSN of the PostgreSQL primary (default $INNOGRAPH_TEST_POSTGRES_PRIMARY_DSN); its innograph tables are replaced")
	fs.StringVar(&cfg.standby, "standby", getenv("INNOGRAPH_TEST_POSTGRES_STANDBY_DSN"), "DSN of a hot standby of the primary (default $INNOGRAPH_TEST_POSTGRES_STANDBY_DSN)")
	fs.StringVar(&cfg.innograph, "innograph", "", "innograph binary (default: go build ./cmd/innograph)")
	fs.StringVar(&cfg.dir, "dir", filepath.Join(os.TempDir(), "innograph-bench"), "working directory for the generated graph and server logs")
	fs.IntVar(&cfg.quads, "quads", 100000, "size of the generated graph, in quads")
	fs.IntVar(&cfg.clients, "clients", 16, "concurrent clients")
	fs.DurationVar(&cfg.duration, "duration", 60*time.Second, "how long each configuration is loaded")
	fs.DurationVar(&cfg.writeEvery, "write-every", 50*time.Millisecond, "interval of the writes during the replicated run (0: no writes)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.primary == "" || cfg.standby == "" {
		return fmt.Errorf("scale needs -primary and -standby (.ci/postgres.sh pg_start_replica starts both)")
	}
	if err := os.MkdirAll(cfg.dir, 0o700); err != nil {
		return err
	}
	b := &bench{cfg: config{dir: cfg.dir}, log: stderr}
	if cfg.innograph == "" {
		cfg.innograph = filepath.Join(cfg.dir, "innograph")
		b.logf("building %s", cfg.innograph)
		build := exec.CommandContext(ctx, "go", "build", "-o", cfg.innograph, "./cmd/innograph")
		build.Stdout, build.Stderr = stderr, stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build innograph: %w", err)
		}
	}
	file, n, err := b.generate(cfg.quads)
	if err != nil {
		return err
	}
	primary, err := sql.Open("postgres", cfg.primary)
	if err != nil {
		return err
	}
	defer primary.Close()
	standby, err := sql.Open("postgres", cfg.standby)
	if err != nil {
		return err
	}
	defer standby.Close()
	if _, err := primary.ExecContext(ctx, `DROP TABLE IF EXISTS quads, nodes, innograph_bulk_schema, innograph_generation, innograph_changes CASCADE`); err != nil {
		return err
	}
	b.logf("loading %d quads into the primary", n)
	load := exec.CommandContext(ctx, cfg.innograph, "load", "-backend", "postgres", "-dsn", cfg.primary, file)
	load.Stderr = stderr
	if err := load.Run(); err != nil {
		return fmt.Errorf("load: %w", err)
	}
	if err := replayed(ctx, primary, standby); err != nil {
		return err
	}
	regions := regionsFor(cfg.quads)
	before := loadAvg()

	alone := &scaleRun{name: "one server (primary)"}
	srv, err := startInnograph(ctx, cfg, "alone", "-dsn", cfg.primary)
	if err != nil {
		return err
	}
	b.logf("one server alone: %d clients for %v", cfg.clients, cfg.duration)
	alone.load(ctx, []string{srv.url}, cfg, regions)
	srv.stop()

	repl := &scaleRun{name: "2 read-only (standby) + 1 read-write (primary)"}
	w, err := startInnograph(ctx, cfg, "writer", "-dsn", cfg.primary, "-write-tokens", "bench:"+benchSecret)
	if err != nil {
		return err
	}
	defer w.stop()
	var readers []*innographProc
	for i := 0; i < 2; i++ {
		r, err := startInnograph(ctx, cfg, fmt.Sprintf("reader%d", i), "-dsn", cfg.standby, "-read-only", "-primary-url", w.url+"/")
		if err != nil {
			return err
		}
		defer r.stop()
		readers = append(readers, r)
	}
	b.logf("replicated: %d clients for %v over 3 servers, a write every %v", cfg.clients, cfg.duration, cfg.writeEvery)
	lctx, stopSide := context.WithCancel(ctx)
	var side sync.WaitGroup
	var lags []float64
	var writes, writeErrs atomic.Int64
	var visible []time.Duration
	side.Add(2)
	go func() { defer side.Done(); lags = sampleLag(lctx, readers) }()
	go func() {
		defer side.Done()
		visible = writeLoad(lctx, w.url, readers, cfg.writeEvery, &writes, &writeErrs)
	}()
	repl.load(ctx, []string{w.url, readers[0].url, readers[1].url}, cfg, regions)
	stopSide()
	side.Wait()

	fmt.Fprintf(stdout, "### Scale-out: %d quads, %d clients, %v per configuration\n\n", n, cfg.clients, cfg.duration)
	fmt.Fprintf(stdout, "load average before: %s\n\n", before)
	fmt.Fprintln(stdout, "| configuration | kind | requests | 5xx | p50 ms | p99 ms | reads/s |")
	fmt.Fprintln(stdout, "|---|---|---:|---:|---:|---:|---:|")
	for _, r := range []*scaleRun{alone, repl} {
		r.report(stdout)
	}
	sort.Float64s(lags)
	if len(lags) > 0 {
		fmt.Fprintf(stdout, "\nreplica lag during the replicated run (%d writes, %d failed; %d samples of /metrics): p50 %.3f s, p99 %.3f s, max %.3f s\n",
			writes.Load(), writeErrs.Load(), len(lags), lags[len(lags)/2], lags[(len(lags)-1)*99/100], lags[len(lags)-1])
	}
	sort.Slice(visible, func(i, j int) bool { return visible[i] < visible[j] })
	if len(visible) > 0 {
		fmt.Fprintf(stdout, "write to visible on a read-only server (%d sampled writes; acknowledged write until the reader's Innograph-Generation reaches it): p50 %.0f ms, p99 %.0f ms, max %.0f ms\n",
			len(visible), ms(visible[len(visible)/2]), ms(visible[(len(visible)-1)*99/100]), ms(visible[len(visible)-1]))
	}
	fmt.Fprintf(stdout, "load average after: %s\n", loadAvg())
	if alone.errors5xx.Load()+repl.errors5xx.Load() > 0 {
		return fmt.Errorf("%d answers were 5xx", alone.errors5xx.Load()+repl.errors5xx.Load())
	}
	return nil
}

const benchSecret = "bench-write-0123456789abcdef"

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// replayed waits until the standby has replayed what the primary flushed.
func replayed(ctx context.Context, primary, standby *sql.DB) error {
	var target string
	if err := primary.QueryRowContext(ctx, `SELECT pg_current_wal_flush_lsn()::text`).Scan(&target); err != nil {
		return err
	}
	for deadline := time.Now().Add(5 * time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var done bool
		if err := standby.QueryRowContext(ctx, `SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn`, target).Scan(&done); err != nil {
			return err
		}
		if done {
			return nil
		}
	}
	return fmt.Errorf("the standby did not replay up to %s within 5 minutes", target)
}

// innographProc is one "innograph serve" child process.
type innographProc struct {
	url  string
	cmd  *exec.Cmd
	once sync.Once
}

func (p *innographProc) stop() {
	p.once.Do(func() {
		p.cmd.Process.Signal(os.Interrupt)
		p.cmd.Wait()
	})
}

// startInnograph starts a server with args on a free port and waits until
// /readyz answers 200.
func startInnograph(ctx context.Context, cfg scaleConfig, name string, args ...string) (*innographProc, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	logf, err := os.Create(filepath.Join(cfg.dir, "scale-"+name+".log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, cfg.innograph, append([]string{"serve", "-addr", addr, "-backend", "postgres", "-log-format", "json"}, args...)...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &innographProc{url: "http://" + addr, cmd: cmd}
	for deadline := time.Now().Add(5 * time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get(p.url + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p, nil
			}
		}
	}
	p.stop()
	return nil, fmt.Errorf("%s did not become ready within 5 minutes (log %s)", name, logf.Name())
}

// scaleRun is the tally of one configuration.
type scaleRun struct {
	name      string
	took      time.Duration
	mu        sync.Mutex
	latency   map[string][]time.Duration
	errors5xx atomic.Int64
	other     atomic.Int64 // transport errors and unexpected statuses below 500
}

// kinds of request in the mix, and how often each is sent (of 10).
var scaleMix = []string{"document", "document", "document", "document", "document", "document", "document", "path", "path", "export"}

// load runs cfg.clients clients against urls (round robin) for
// cfg.duration.
func (r *scaleRun) load(ctx context.Context, urls []string, cfg scaleConfig, regions int) {
	r.latency = map[string][]time.Duration{}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: cfg.clients, DisableCompression: true}, Timeout: 60 * time.Second}
	lctx, cancel := context.WithTimeout(ctx, cfg.duration)
	defer cancel()
	var next atomic.Uint64
	var wg sync.WaitGroup
	start := time.Now()
	for c := 0; c < cfg.clients; c++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, 7))
			local := map[string][]time.Duration{}
			for lctx.Err() == nil {
				base := urls[next.Add(1)%uint64(len(urls))]
				kind := scaleMix[rng.IntN(len(scaleMix))]
				target := base + scaleRequest(rng, kind, regions)
				t0 := time.Now()
				resp, err := client.Get(target)
				if err != nil {
					if lctx.Err() == nil {
						r.other.Add(1)
					}
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				d := time.Since(t0)
				switch {
				case resp.StatusCode >= 500:
					r.errors5xx.Add(1)
				case resp.StatusCode != 200:
					r.other.Add(1)
				default:
					local[kind] = append(local[kind], d)
				}
			}
			r.mu.Lock()
			for k, v := range local {
				r.latency[k] = append(r.latency[k], v...)
			}
			r.mu.Unlock()
		}(uint64(c) + 1)
	}
	wg.Wait()
	r.took = time.Since(start)
}

// scaleRequest is the path and query of one request of kind.
func scaleRequest(rng *rand.Rand, kind string, regions int) string {
	company := func() string { return string(gen.CompanyIRI(rng.IntN(regions), rng.IntN(100))) }
	switch kind {
	case "document":
		return "/doc/" + strings.TrimPrefix(company(), ontology.IDBase)
	case "path":
		if rng.IntN(2) == 0 {
			r := rng.IntN(regions)
			return "/api/v1/shortest-path?maxHops=6&from=" + url.QueryEscape(string(gen.CompanyIRI(r, rng.IntN(100)))) +
				"&to=" + url.QueryEscape(string(gen.CompanyIRI((r+1)%regions, rng.IntN(100))))
		}
		return "/api/v1/connections?from=University&to=BusinessCluster&through=" + url.QueryEscape(string(gen.NetworkIRI(rng.IntN(regions), rng.IntN(2))))
	default:
		return "/api/v1/export?format=nquads&type=" + url.QueryEscape("ig:InnovationNetwork")
	}
}

func (r *scaleRun) report(w io.Writer) {
	kinds := make([]string, 0, len(r.latency))
	total := 0
	for k, v := range r.latency {
		kinds = append(kinds, k)
		total += len(v)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		v := r.latency[k]
		sort.Slice(v, func(i, j int) bool { return v[i] < v[j] })
		fmt.Fprintf(w, "| %s | %s | %d | | %.1f | %.1f | %.0f |\n", r.name, k, len(v), ms(v[len(v)/2]), ms(v[(len(v)-1)*99/100]), float64(len(v))/r.took.Seconds())
	}
	fmt.Fprintf(w, "| %s | all | %d | %d | | | %.0f |\n", r.name, total, r.errors5xx.Load(), float64(total)/r.took.Seconds())
	if n := r.other.Load(); n > 0 {
		fmt.Fprintf(w, "| %s | not 200 (below 500) or no answer | %d | | | | |\n", r.name, n)
	}
}

// sampleLag reads the replication lag of the read-only servers every 100 ms.
func sampleLag(ctx context.Context, readers []*innographProc) []float64 {
	var out []float64
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return out
		case <-t.C:
		}
		for _, r := range readers {
			resp, err := http.Get(r.url + "/metrics")
			if err != nil {
				continue
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if m := lagMetric.FindSubmatch(body); m != nil {
				if v, err := strconv.ParseFloat(string(m[1]), 64); err == nil {
					out = append(out, v)
				}
			}
		}
	}
}

var lagMetric = regexp.MustCompile(`(?m)^innograph_replica_lag_seconds (\S+)$`)

// writeLoad adds one quad every interval through the read-write server and
// measures, for every fifth write, how long until a read-only server says
// (Innograph-Generation) it serves the write: replication, the change-log
// poll and the read tier's apply together.
func writeLoad(ctx context.Context, base string, readers []*innographProc, every time.Duration, writes, failed *atomic.Int64) (visible []time.Duration) {
	if every <= 0 {
		return nil
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	defer wg.Wait()
	t := time.NewTicker(every)
	defer t.Stop()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			wg.Wait()
			return visible
		case <-t.C:
		}
		body := fmt.Sprintf("%s <http://www.w3.org/2000/01/rdf-schema#comment> \"bench write %d\"@en .\n", gen.CompanyIRI(0, i%100), i)
		req, _ := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/graphs?graph="+url.QueryEscape("https://example.org/bench/writes"), strings.NewReader(body))
		req.Header.Set("Content-Type", "application/n-triples")
		req.Header.Set("Authorization", "Bearer "+benchSecret)
		start := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if ctx.Err() != nil {
			continue
		}
		writes.Add(1)
		if err != nil {
			failed.Add(1)
			continue
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			failed.Add(1)
			continue
		}
		gen, err := strconv.ParseUint(resp.Header.Get("Innograph-Generation"), 10, 64)
		if err != nil || i%5 != 0 {
			continue
		}
		r := readers[i/5%len(readers)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Since(start) < 30*time.Second {
				resp, err := http.Get(r.url + "/healthz")
				if err == nil {
					resp.Body.Close()
					if g, _ := strconv.ParseUint(resp.Header.Get("Innograph-Generation"), 10, 64); g >= gen {
						mu.Lock()
						visible = append(visible, time.Since(start))
						mu.Unlock()
						return
					}
				}
				time.Sleep(5 * time.Millisecond)
			}
		}()
	}
}
