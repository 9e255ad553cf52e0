package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/gen"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/ontology"
)

// config is what one benchmark run measures.
type config struct {
	sizes     []int
	backends  []graph.Backend
	dir       string
	dsn       string // administrative PostgreSQL DSN; a database is made per run
	innograph string // the innograph binary; empty builds ./cmd/innograph
	queries   int    // runs of each path query
	nosync    bool   // also load the embedded stores with -nosync
	profile   bool   // write a CPU profile of each innograph load
	keep      bool   // keep stores and generated files
	batch     int    // Cayley baseline batch size
	baseline  bool   // also load with Cayley's own ApplyDeltas
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "baseline-child" {
		return baselineChild(ctx, args[1:])
	}
	if len(args) > 0 && args[0] == "scale" {
		return runScale(ctx, args[1:], getenv, stdout, stderr)
	}
	if len(args) > 0 && args[0] == "inspect-child" {
		return inspectChild(ctx, args[1:], stdout)
	}
	fs := flag.NewFlagSet("innograph-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	sizes := fs.String("sizes", "100000,1000000", "comma-separated graph sizes in quads (5000000 for the largest)")
	backends := fs.String("backends", "bolt,leveldb,postgres", "comma-separated backends")
	fs.StringVar(&cfg.dir, "dir", filepath.Join(os.TempDir(), "innograph-bench"), "working directory for generated files and stores")
	fs.StringVar(&cfg.dsn, "dsn", getenv("INNOGRAPH_TEST_POSTGRES_DSN"), "administrative PostgreSQL DSN (default $INNOGRAPH_TEST_POSTGRES_DSN); one database is created and dropped per run")
	fs.StringVar(&cfg.innograph, "innograph", "", "innograph binary to measure (default: go build ./cmd/innograph)")
	fs.IntVar(&cfg.queries, "queries", 50, "runs of each path query per store")
	fs.BoolVar(&cfg.nosync, "nosync", true, "also load bolt and leveldb with -nosync")
	fs.BoolVar(&cfg.profile, "profile", true, "write a CPU profile of each innograph load into -dir")
	fs.BoolVar(&cfg.keep, "keep", false, "keep the stores (generated files are always kept for reuse)")
	fs.IntVar(&cfg.batch, "baseline-batch", 10000, "batch size of the Cayley ApplyDeltas baseline")
	fs.BoolVar(&cfg.baseline, "baseline", true, "also load each file with Cayley's own batched ApplyDeltas (on PostgreSQL about 6,000 quads/s: slow at 5M)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < gen.QuadsPerRegion {
			return fmt.Errorf("-sizes: %q is not a size of at least %d quads", s, gen.QuadsPerRegion)
		}
		cfg.sizes = append(cfg.sizes, n)
	}
	for _, b := range strings.Split(*backends, ",") {
		b := graph.Backend(strings.TrimSpace(b))
		if b != graph.Bolt && b != graph.LevelDB && b != graph.Postgres {
			return fmt.Errorf("-backends: %q (want bolt, leveldb or postgres)", b)
		}
		if b == graph.Postgres && cfg.dsn == "" {
			return fmt.Errorf("-backends postgres needs -dsn or INNOGRAPH_TEST_POSTGRES_DSN")
		}
		cfg.backends = append(cfg.backends, b)
	}
	if err := os.MkdirAll(cfg.dir, 0o700); err != nil {
		return err
	}
	if cfg.innograph == "" {
		cfg.innograph = filepath.Join(cfg.dir, "innograph")
		build := exec.CommandContext(ctx, "go", "build", "-o", cfg.innograph, "./cmd/innograph")
		build.Stdout, build.Stderr = stderr, stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build innograph (run from the module root): %w", err)
		}
	}
	b := &bench{cfg: cfg, log: stderr}
	for _, size := range cfg.sizes {
		if err := b.size(ctx, size); err != nil {
			return err
		}
	}
	b.report(stdout)
	return nil
}

type bench struct {
	cfg     config
	log     io.Writer
	loads   []loadResult
	stores  []storeResult
	queries []queryResult
}

type loadResult struct {
	quads   int
	backend graph.Backend
	mode    string // "innograph load", "innograph load -nosync", "Cayley ApplyDeltas"
	wall    time.Duration
	cpu     time.Duration
	maxRSS  int64
	profile string
}

type storeResult struct {
	quads   int
	backend graph.Backend
	stored  int64
	bytes   int64
	export  time.Duration
	stats   time.Duration
}

type queryResult struct {
	quads    int
	backend  graph.Backend
	query    string
	p50, p99 time.Duration
	digest   string
}

func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(b.log, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

// size runs every measurement on a graph of about n quads.
func (b *bench) size(ctx context.Context, n int) error {
	file, quads, err := b.generate(n)
	if err != nil {
		return err
	}
	for _, backend := range b.cfg.backends {
		modes := []string{"innograph load"}
		if b.cfg.baseline {
			modes = append(modes, "Cayley ApplyDeltas")
		}
		if b.cfg.nosync && backend != graph.Postgres {
			modes = append(modes, "innograph load -nosync")
			if b.cfg.baseline {
				modes = append(modes, "Cayley ApplyDeltas nosync")
			}
		} else if b.cfg.nosync {
			// Cayley's SQL path has no such option: compare with its one path.
			modes = append(modes, "innograph load -nosync")
		}
		for i, mode := range modes {
			st, cleanup, err := b.newStore(ctx, backend, fmt.Sprintf("%d-%s-%d", n, backend, i))
			if err != nil {
				return err
			}
			res, err := b.load(ctx, st, file, quads, mode)
			if err != nil {
				cleanup()
				return fmt.Errorf("%d quads, %s, %s: %w", n, backend, mode, err)
			}
			b.loads = append(b.loads, res)
			if i == 0 {
				err = b.inspect(ctx, st, quads)
			}
			cleanup()
			if err != nil {
				return fmt.Errorf("%d quads, %s: %w", n, backend, err)
			}
		}
	}
	return nil
}

// generate writes the ecosystem of about n quads as N-Quads, once.
func (b *bench) generate(n int) (string, int, error) {
	file := filepath.Join(b.cfg.dir, fmt.Sprintf("gen-%d.nq", n))
	count := filepath.Join(b.cfg.dir, fmt.Sprintf("gen-%d.count", n))
	if data, err := os.ReadFile(count); err == nil {
		if q, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil {
			return file, q, nil
		}
	}
	b.logf("generating %d quads into %s", n, file)
	f, err := os.Create(file)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	nq, _ := rdfio.Lookup(rdfio.NQuads)
	w, err := rdfio.NewWriter(bw, nq, rdfio.WriteOptions{})
	if err != nil {
		return "", 0, err
	}
	cw := &countWriter{w: w}
	if err := gen.Generate(cw, gen.Config{Regions: regionsFor(n), Seed: 1}); err != nil {
		return "", 0, err
	}
	if err := w.Close(); err != nil {
		return "", 0, err
	}
	if err := bw.Flush(); err != nil {
		return "", 0, err
	}
	if err := f.Close(); err != nil {
		return "", 0, err
	}
	return file, cw.n, os.WriteFile(count, []byte(strconv.Itoa(cw.n)), 0o600)
}

// regionsFor is the number of regions of a graph of at least about n quads:
// gen.QuadsPerRegion is rounded up, a region writes about 1,290.
func regionsFor(n int) int { return max(2, (n+1279)/1280) }

// sizeOf maps a generated file's quad count back to the size asked for.
func (b *bench) sizeOf(quads int) int {
	for _, n := range b.cfg.sizes {
		if data, err := os.ReadFile(filepath.Join(b.cfg.dir, fmt.Sprintf("gen-%d.count", n))); err == nil && strings.TrimSpace(string(data)) == strconv.Itoa(quads) {
			return n
		}
	}
	return quads
}

type countWriter struct {
	w rdfio.Writer
	n int
}

func (c *countWriter) WriteQuad(q quad.Quad) error { c.n++; return c.w.WriteQuad(q) }
func (c *countWriter) WriteQuads(qs []quad.Quad) (int, error) {
	c.n += len(qs)
	return c.w.WriteQuads(qs)
}

// target is one fresh store: a directory or a PostgreSQL database.
type target struct {
	backend graph.Backend
	path    string
	dsn     string
}

func (t target) args() []string {
	if t.backend == graph.Postgres {
		return []string{"-backend", "postgres", "-dsn", t.dsn}
	}
	return []string{"-backend", string(t.backend), "-data", t.path}
}

func (t target) config() graph.Config {
	return graph.Config{Backend: t.backend, Path: t.path, DSN: t.dsn}
}

func (b *bench) newStore(ctx context.Context, backend graph.Backend, name string) (target, func(), error) {
	if backend != graph.Postgres {
		dir := filepath.Join(b.cfg.dir, "store-"+name)
		os.RemoveAll(dir)
		return target{backend: backend, path: dir}, func() {
			if !b.cfg.keep {
				os.RemoveAll(dir)
			}
		}, nil
	}
	admin, err := sql.Open("postgres", b.cfg.dsn)
	if err != nil {
		return target{}, nil, err
	}
	// The process id keeps two runs sharing one server from dropping each
	// other's databases.
	db := fmt.Sprintf("innograph_bench_%d_%s", os.Getpid(), strings.ReplaceAll(name, "-", "_"))
	admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+db+" WITH (FORCE)")
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+db); err != nil {
		admin.Close()
		return target{}, nil, fmt.Errorf("create database %s: %w", db, err)
	}
	return target{backend: backend, dsn: withDatabase(b.cfg.dsn, db)}, func() {
		if !b.cfg.keep {
			admin.Exec("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)")
		}
		admin.Close()
	}, nil
}

// withDatabase replaces the database of a URL-style or key=value DSN.
func withDatabase(dsn, name string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		base, query, _ := strings.Cut(dsn, "?")
		if i := strings.LastIndex(base, "/"); i > len("postgresql://") {
			base = base[:i]
		}
		if query != "" {
			return base + "/" + name + "?" + query
		}
		return base + "/" + name
	}
	return dsn + " dbname=" + name
}

// load runs one load in a child process and measures it.
func (b *bench) load(ctx context.Context, t target, file string, quads int, mode string) (loadResult, error) {
	res := loadResult{quads: quads, backend: t.backend, mode: mode}
	var cmd *exec.Cmd
	switch mode {
	case "innograph load", "innograph load -nosync":
		args := append([]string{"load"}, t.args()...)
		if mode == "innograph load -nosync" {
			args = append(args, "-nosync")
		}
		if b.cfg.profile {
			res.profile = filepath.Join(b.cfg.dir, fmt.Sprintf("load-%d-%s%s.prof", quads, t.backend, strings.ReplaceAll(strings.TrimPrefix(mode, "innograph load"), " ", "")))
			args = append(args, "-cpuprofile", res.profile)
		}
		cmd = exec.CommandContext(ctx, b.cfg.innograph, append(args, file)...)
	default:
		self, err := os.Executable()
		if err != nil {
			return res, err
		}
		nosync := strconv.FormatBool(strings.HasSuffix(mode, "nosync"))
		cmd = exec.CommandContext(ctx, self, "baseline-child", string(t.backend), t.path, t.dsn, file, strconv.Itoa(b.cfg.batch), nosync)
	}
	var errOut strings.Builder
	cmd.Stderr = &errOut
	b.logf("%d quads, %s: %s", quads, t.backend, mode)
	start := time.Now()
	err := cmd.Run()
	res.wall = time.Since(start)
	if err != nil {
		return res, fmt.Errorf("%w\n%s", err, lastLines(errOut.String(), 5))
	}
	res.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		res.maxRSS = ru.Maxrss * 1024
	}
	b.logf("  %.1f s, %.0f quads/s, %.0f MB peak", res.wall.Seconds(), float64(quads)/res.wall.Seconds(), float64(res.maxRSS)/1e6)
	return res, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// baselineChild loads file with Cayley's own batched ApplyDeltas (no
// pipeline, no COPY, no bulk mode; bolt and leveldb opened through Cayley's
// registry, on hidalgo's adapter): args are backend, path, dsn, file, batch
// size, nosync.
func baselineChild(ctx context.Context, args []string) error {
	if len(args) != 6 {
		return fmt.Errorf("baseline-child wants 6 arguments, got %d", len(args))
	}
	batch, _ := strconv.Atoi(args[4])
	nosync, _ := strconv.ParseBool(args[5])
	var qs cgraph.QuadStore
	if backend := graph.Backend(args[0]); backend == graph.Bolt || backend == graph.LevelDB {
		// Cayley's kv option names; the backends are registered by
		// graph/internal/kvstore, which graph imports.
		opts := cgraph.Options{"nosync": nosync, "no_bloom": true}
		if err := cgraph.InitQuadStore(string(backend), args[1], opts); err != nil {
			return err
		}
		var err error
		if qs, err = cgraph.NewQuadStore(string(backend), args[1], opts); err != nil {
			return err
		}
		defer qs.Close()
	} else {
		s, err := graph.Open(ctx, graph.Config{Backend: backend, DSN: args[2], NoSync: nosync})
		if err != nil {
			return err
		}
		defer s.Close()
		qs = s.QuadStore()
	}
	f, err := os.Open(args[3])
	if err != nil {
		return err
	}
	defer f.Close()
	nq, _ := rdfio.Lookup(rdfio.NQuads)
	r, err := rdfio.NewReader(f, nq, rdfio.ReadOptions{})
	if err != nil {
		return err
	}
	buf := make([]cgraph.Delta, 0, batch)
	flush := func() error {
		err := qs.ApplyDeltas(buf, cgraph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true})
		buf = buf[:0]
		return err
	}
	for {
		q, err := r.ReadQuad()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		buf = append(buf, cgraph.Delta{Action: cgraph.Add, Quad: q})
		if len(buf) == batch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// inspect measures a loaded store: export in one child process, then
// stats and path queries in another, so that the bench process stays small
// (a child's peak RSS starts at its parent's: Linux carries the high-water
// mark across fork and exec).
func (b *bench) inspect(ctx context.Context, t target, quads int) error {
	res := storeResult{quads: quads, backend: t.backend}
	start := time.Now()
	export := exec.CommandContext(ctx, b.cfg.innograph, append(append([]string{"export"}, t.args()...), "-format", "nquads", "-o", os.DevNull)...)
	var errOut strings.Builder
	export.Stderr = &errOut
	if err := export.Run(); err != nil {
		return fmt.Errorf("export: %w\n%s", err, lastLines(errOut.String(), 5))
	}
	res.export = time.Since(start)
	self, err := os.Executable()
	if err != nil {
		return err
	}
	child := exec.CommandContext(ctx, self, "inspect-child", string(t.backend), t.path, t.dsn,
		strconv.Itoa(regionsFor(b.sizeOf(quads))), strconv.Itoa(b.cfg.queries))
	errOut.Reset()
	child.Stderr = &errOut
	out, err := child.Output()
	if err != nil {
		return fmt.Errorf("inspect: %w\n%s", err, lastLines(errOut.String(), 5))
	}
	var rep inspection
	if err := json.Unmarshal(out, &rep); err != nil {
		return fmt.Errorf("inspect output: %w", err)
	}
	res.stored, res.bytes, res.stats = rep.Stored, rep.Bytes, rep.Stats
	b.stores = append(b.stores, res)
	for _, q := range rep.Queries {
		b.queries = append(b.queries, queryResult{quads: quads, backend: t.backend, query: q.Query, p50: q.P50, p99: q.P99, digest: q.Digest})
	}
	b.logf("  stored %d quads in %.0f MB; export %.1f s; stats %.1f s", res.stored, float64(res.bytes)/1e6, res.export.Seconds(), res.stats.Seconds())
	return nil
}

// inspection is what inspect-child reports.
type inspection struct {
	Stored  int64         `json:"stored"`
	Bytes   int64         `json:"bytes"`
	Stats   time.Duration `json:"stats"`
	Queries []queryTiming `json:"queries"`
}

// inspectChild opens a store, times Stats and the path queries, and prints
// an inspection: args are backend, path, dsn, regions, runs per query.
func inspectChild(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) != 5 {
		return fmt.Errorf("inspect-child wants 5 arguments, got %d", len(args))
	}
	regions, _ := strconv.Atoi(args[3])
	runs, _ := strconv.Atoi(args[4])
	s, err := graph.Open(ctx, graph.Config{Backend: graph.Backend(args[0]), Path: args[1], DSN: args[2]})
	if err != nil {
		return err
	}
	defer s.Close()
	start := time.Now()
	st, err := s.Stats(ctx)
	if err != nil {
		return err
	}
	rep := map[string]any{"stored": st.Quads, "bytes": st.SizeBytes, "stats": time.Since(start)}
	qs, err := pathQueries(ctx, s, regions, runs)
	if err != nil {
		return err
	}
	rep["queries"] = qs
	return json.NewEncoder(stdout).Encode(rep)
}

type queryTiming struct {
	Query  string        `json:"query"`
	P50    time.Duration `json:"p50"`
	P99    time.Duration `json:"p99"`
	Digest string        `json:"digest"`
}

// pathQueries times each query over the same random inputs on every
// backend and digests the answers, so backends can be compared.
func pathQueries(ctx context.Context, s *graph.Store, regions, runs int) ([]queryTiming, error) {
	member := []string{string(ontology.MemberOf)}
	steps := []graph.Step{
		{Predicates: member, Type: string(ontology.BusinessCluster)},
		{Predicates: member, Type: string(ontology.InnovationNetwork)},
		{Predicates: member, Direction: graph.In, Type: string(ontology.University)},
	}
	queries := []struct {
		name string
		run  func(rng *rand.Rand) (any, error)
	}{
		{"connections through a network", func(rng *rand.Rand) (any, error) {
			return s.Connections(ctx, graph.ConnectionQuery{From: string(ontology.University), To: string(ontology.BusinessCluster),
				Through: string(gen.NetworkIRI(rng.IntN(regions), rng.IntN(2)))})
		}},
		{"3-step pattern from a company", func(rng *rand.Rand) (any, error) {
			return s.Paths(ctx, graph.Pattern{Start: graph.Start{IDs: []string{string(gen.CompanyIRI(rng.IntN(regions), rng.IntN(100)))}}, Steps: steps, Limit: 100})
		}},
		{"2-hop neighbourhood", func(rng *rand.Rand) (any, error) {
			return s.Neighbourhood(ctx, graph.NeighbourhoodQuery{ID: string(gen.CompanyIRI(rng.IntN(regions), rng.IntN(100))), Hops: 2, Limit: 1000})
		}},
		{"shortest paths between regions", func(rng *rand.Rand) (any, error) {
			r := rng.IntN(regions)
			return s.ShortestPaths(ctx, graph.ShortestQuery{From: string(gen.CompanyIRI(r, rng.IntN(100))), To: string(gen.CompanyIRI((r+1)%regions, rng.IntN(100))), MaxHops: 6})
		}},
	}
	var out []queryTiming
	for _, q := range queries {
		rng := rand.New(rand.NewPCG(1, 2))
		h := sha256.New()
		took := make([]time.Duration, 0, runs)
		for i := 0; i < runs; i++ {
			start := time.Now()
			ans, err := q.run(rng)
			took = append(took, time.Since(start))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", q.name, err)
			}
			json.NewEncoder(h).Encode(ans)
		}
		sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
		out = append(out, queryTiming{Query: q.name, P50: took[(len(took)-1)*50/100], P99: took[(len(took)-1)*99/100],
			Digest: hex.EncodeToString(h.Sum(nil))[:12]})
	}
	return out, nil
}

// report prints the results as Markdown tables.
func (b *bench) report(w io.Writer) {
	fmt.Fprintln(w, "### Load")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| quads | backend | path | seconds | quads/s | CPU s | peak RSS MB | vs Cayley ApplyDeltas |")
	fmt.Fprintln(w, "|---:|---|---|---:|---:|---:|---:|---:|")
	for _, r := range b.loads {
		ratio := ""
		for _, base := range []string{baselineOf(r.mode), baselineOf(strings.TrimSuffix(r.mode, " -nosync"))} {
			for _, c := range b.loads {
				if ratio == "" && base != "" && c.quads == r.quads && c.backend == r.backend && c.mode == base {
					ratio = fmt.Sprintf("%.2f×", c.wall.Seconds()/r.wall.Seconds())
				}
			}
		}
		fmt.Fprintf(w, "| %d | %s | %s | %.1f | %.0f | %.1f | %.0f | %s |\n", r.quads, r.backend, r.mode, r.wall.Seconds(),
			float64(r.quads)/r.wall.Seconds(), r.cpu.Seconds(), float64(r.maxRSS)/1e6, ratio)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "### Storage and export")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| quads | backend | stored quads | size MB | bytes/quad | export N-Quads s | export quads/s | stats s |")
	fmt.Fprintln(w, "|---:|---|---:|---:|---:|---:|---:|---:|")
	for _, r := range b.stores {
		fmt.Fprintf(w, "| %d | %s | %d | %.0f | %.0f | %.1f | %.0f | %.1f |\n", r.quads, r.backend, r.stored, float64(r.bytes)/1e6,
			float64(r.bytes)/float64(max(1, r.stored)), r.export.Seconds(), float64(r.stored)/r.export.Seconds(), r.stats.Seconds())
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "### Path queries (%d runs each, p50 / p99 ms; answers digested over all runs)\n\n", b.cfg.queries)
	fmt.Fprintln(w, "| quads | query | backend | p50 ms | p99 ms | answers digest | same as first backend |")
	fmt.Fprintln(w, "|---:|---|---|---:|---:|---|---|")
	for _, r := range b.queries {
		same := ""
		for _, f := range b.queries {
			if f.quads == r.quads && f.query == r.query {
				same = strconv.FormatBool(f.digest == r.digest)
				break
			}
		}
		fmt.Fprintf(w, "| %d | %s | %s | %.2f | %.2f | %s | %s |\n", r.quads, r.query, r.backend, ms(r.p50), ms(r.p99), r.digest, same)
	}
	var profiles []string
	for _, r := range b.loads {
		if r.profile != "" {
			profiles = append(profiles, r.profile)
		}
	}
	if len(profiles) > 0 {
		fmt.Fprintf(w, "\nCPU profiles (go tool pprof -top FILE): %s\n", strings.Join(profiles, " "))
	}
}

func baselineOf(mode string) string {
	if strings.HasSuffix(mode, "-nosync") {
		return "Cayley ApplyDeltas nosync"
	}
	if strings.HasPrefix(mode, "innograph") {
		return "Cayley ApplyDeltas"
	}
	return ""
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
