package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/gen"
	"github.com/innograph/innograph/graph/rdfio"
)

// config is what one comparison run does.
type config struct {
	quads     int
	seed      uint64
	dir       string
	systems   []string
	questions []string
	inputs    int
	reps      int
	loadReps  int
	clients   []int
	timeout   time.Duration
	export    bool
	scan      bool
	keep      bool
	jsonOut   string
	innograph string
	peersDir  string
	node      string
	npm       string
	virtuoso  string
	isql      string
	print     bool

	virtuosoBuffers int
}

// systemNames are the systems -systems may name.
func systemNames() []string { return []string{"innograph", "oxigraph", "virtuoso", "innograph-sparql"} }

func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("innograph-peers", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	tmp := getenv("TMPDIR")
	if tmp == "" {
		tmp = os.TempDir()
	}
	fs.IntVar(&cfg.quads, "quads", 100000, "size of the generated graph in quads (graph/gen, one region per 1,300)")
	fs.Uint64Var(&cfg.seed, "seed", 1, "seed of the generated graph and of the questions' inputs")
	fs.StringVar(&cfg.dir, "dir", filepath.Join(tmp, "innograph-peers"), "working directory: generated files (kept for later runs) and one directory per run (removed unless -keep)")
	systems := fs.String("systems", "innograph,oxigraph,virtuoso", "systems to compare, the first being the reference of answers and ratios: innograph, oxigraph, virtuoso, innograph-sparql (our own /sparql, asked the peers' queries)")
	qs := fs.String("questions", "connections,pattern,neighbourhood,shortest", "questions to ask")
	fs.IntVar(&cfg.inputs, "inputs", 50, "inputs per question (each system gets the same)")
	fs.IntVar(&cfg.reps, "reps", 6, "timed repetitions; each asks every input of one system, then of the next (A,B,C,A,B,C...)")
	fs.IntVar(&cfg.loadReps, "load-reps", 1, "loads of each system, interleaved like the questions (the median is reported; the last round's stores are queried)")
	clients := fs.String("clients", "1", "comma-separated numbers of concurrent clients, e.g. 1,8")
	fs.DurationVar(&cfg.timeout, "timeout", time.Minute, "longest one request may take; a system that takes longer is dropped from that question")
	fs.BoolVar(&cfg.export, "export", true, "also time an export of every quad from each system")
	fs.BoolVar(&cfg.scan, "scan", true, "also stream SELECT * WHERE { ?s ?p ?o } as TSV from each SPARQL endpoint that is asked it (innograph /sparql, Oxigraph), sampling the server's memory")
	fs.BoolVar(&cfg.keep, "keep", false, "keep the run's stores and logs")
	fs.StringVar(&cfg.jsonOut, "json", "", "write the raw results as JSON to this file (default: peers-QUADS-TIME.json in -dir)")
	fs.StringVar(&cfg.innograph, "innograph", "", "innograph binary to measure (default: go build ./cmd/innograph)")
	fs.StringVar(&cfg.peersDir, "peers-dir", filepath.Join("testdata", "peers"), "directory of the Oxigraph script and its npm lock file")
	fs.StringVar(&cfg.node, "node", "node", "node binary")
	fs.StringVar(&cfg.npm, "npm", "npm", "npm binary (npm ci installs the locked oxigraph when node_modules is missing)")
	fs.StringVar(&cfg.virtuoso, "virtuoso", "virtuoso-t", "Virtuoso server binary (Debian virtuoso-opensource)")
	fs.StringVar(&cfg.isql, "isql", "isql-vt", "Virtuoso's isql client")
	fs.IntVar(&cfg.virtuosoBuffers, "virtuoso-buffers", 170000, "Virtuoso's NumberOfBuffers (8 KB each; its advice for 2 GB of memory); most of its RSS")
	fs.BoolVar(&cfg.print, "print-queries", false, "print the SPARQL queries of each question's first input and exit")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if cfg.quads < gen.QuadsPerRegion {
		return cfg, fmt.Errorf("-quads %d: at least %d", cfg.quads, gen.QuadsPerRegion)
	}
	if cfg.inputs < 1 || cfg.reps < 1 || cfg.loadReps < 1 {
		return cfg, fmt.Errorf("-inputs, -reps and -load-reps must be at least 1")
	}
	cfg.systems = splitList(*systems)
	seen := map[string]bool{}
	for _, s := range cfg.systems {
		known := false
		for _, n := range systemNames() {
			known = known || n == s
		}
		if !known {
			return cfg, fmt.Errorf("-systems: unknown system %q (want some of %s)", s, strings.Join(systemNames(), ","))
		}
		if seen[s] {
			return cfg, fmt.Errorf("-systems: %s twice", s)
		}
		seen[s] = true
	}
	if len(cfg.systems) == 0 {
		return cfg, fmt.Errorf("-systems: none")
	}
	if seen["innograph-sparql"] && !seen["innograph"] {
		return cfg, fmt.Errorf("-systems: innograph-sparql needs innograph (it asks the same server)")
	}
	cfg.questions = splitList(*qs)
	if _, err := selectQuestions(cfg.questions); err != nil {
		return cfg, fmt.Errorf("-questions: %w", err)
	}
	for _, c := range splitList(*clients) {
		n, err := strconv.Atoi(c)
		if err != nil || n < 1 {
			return cfg, fmt.Errorf("-clients: %q is not a positive number", c)
		}
		cfg.clients = append(cfg.clients, n)
	}
	if len(cfg.clients) == 0 {
		return cfg, fmt.Errorf("-clients: none")
	}
	return cfg, nil
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// run is the whole command.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	qs, _ := selectQuestions(cfg.questions)
	regions := regionsFor(cfg.quads)
	if cfg.print {
		printQueries(stdout, qs, cfg.seed, regions)
		return nil
	}
	if err := checkTools(cfg); err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.dir, 0o700); err != nil {
		return err
	}
	r := &runner{cfg: cfg, log: stderr, regions: regions, started: time.Now()}
	r.hc = &http.Client{
		Timeout: cfg.timeout,
		Transport: &http.Transport{
			MaxIdleConnsPerHost: 64,
			DisableCompression:  true, // every system answers uncompressed
			IdleConnTimeout:     5 * time.Minute,
		},
	}
	defer r.hc.CloseIdleConnections()
	if r.file, r.quads, err = generate(cfg.dir, cfg.quads, regions, cfg.seed, r.logf); err != nil {
		return err
	}
	if r.work, err = os.MkdirTemp(cfg.dir, "run-"); err != nil {
		return err
	}
	defer func() {
		r.stop()
		if cfg.keep {
			r.logf("kept %s", r.work)
		} else {
			os.RemoveAll(r.work)
		}
	}()
	rep, err := r.measure(ctx, qs)
	if err != nil {
		return err
	}
	jsonOut := cfg.jsonOut
	if jsonOut == "" {
		jsonOut = filepath.Join(cfg.dir, fmt.Sprintf("peers-%d-%s.json", cfg.quads, r.started.UTC().Format("20060102T150405")))
	}
	data, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(jsonOut, append(data, '\n'), 0o600); err != nil {
		return err
	}
	rep.markdown(stdout)
	fmt.Fprintf(stdout, "\nRaw results: %s\n", jsonOut)
	if len(rep.Problems) > 0 {
		return fmt.Errorf("%d problems, the figures they concern are not valid:\n- %s", len(rep.Problems), strings.Join(rep.Problems, "\n- "))
	}
	return nil
}

// checkTools fails early, saying what to install, when a system's
// programs are missing.
func checkTools(cfg config) error {
	var missing []string
	need := func(bin, what string) {
		if _, err := exec.LookPath(bin); err != nil {
			missing = append(missing, fmt.Sprintf("%s (%s)", bin, what))
		}
	}
	for _, s := range cfg.systems {
		switch s {
		case "innograph":
			if cfg.innograph == "" {
				need("go", "to build ./cmd/innograph")
			}
		case "oxigraph":
			need(cfg.node, "node 18 or later, for Oxigraph")
			if _, err := os.Stat(filepath.Join(cfg.peersDir, "package-lock.json")); err != nil {
				missing = append(missing, filepath.Join(cfg.peersDir, "package-lock.json")+" (run from the module root or set -peers-dir)")
			}
			if _, err := os.Stat(filepath.Join(cfg.peersDir, "node_modules", "oxigraph")); err != nil {
				need(cfg.npm, "npm, to install the locked oxigraph")
			}
		case "virtuoso":
			need(cfg.virtuoso, "Debian package virtuoso-opensource")
			need(cfg.isql, "Debian package virtuoso-opensource")
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing: %s", strings.Join(missing, "; "))
	}
	return nil
}

// regionsFor is the number of regions of a graph of about n quads, as the
// path benchmarks size theirs (storetest.BenchStore).
func regionsFor(n int) int { return max(2, n/gen.QuadsPerRegion) }

// generate writes the ecosystem of the given regions as N-Quads into dir,
// once: a later run with the same size and seed reuses the file. It
// returns the file and its number of quads (duplicates included).
func generate(dir string, size, regions int, seed uint64, logf func(string, ...any)) (string, int, error) {
	name := fmt.Sprintf("gen-%d-seed%d", size, seed)
	file := filepath.Join(dir, name+".nq")
	count := filepath.Join(dir, name+".count")
	if data, err := os.ReadFile(count); err == nil {
		if n, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil {
			if _, err := os.Stat(file); err == nil {
				return file, n, nil
			}
		}
	}
	logf("generating %d regions into %s", regions, file)
	tmp := file + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return "", 0, err
	}
	defer os.Remove(tmp)
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	nq, _ := rdfio.Lookup(rdfio.NQuads)
	w, err := rdfio.NewWriter(bw, nq, rdfio.WriteOptions{})
	if err != nil {
		return "", 0, err
	}
	cw := &countingWriter{w: w}
	if err := gen.Generate(cw, gen.Config{Regions: regions, Seed: seed}); err != nil {
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
	if err := os.Rename(tmp, file); err != nil {
		return "", 0, err
	}
	return file, cw.n, os.WriteFile(count, []byte(strconv.Itoa(cw.n)), 0o600)
}

// countingWriter counts the quads written through it.
type countingWriter struct {
	w rdfio.Writer
	n int
}

func (c *countingWriter) WriteQuad(q quad.Quad) error { c.n++; return c.w.WriteQuad(q) }
func (c *countingWriter) WriteQuads(qs []quad.Quad) (int, error) {
	c.n += len(qs)
	return c.w.WriteQuads(qs)
}

// printQueries writes each question's SPARQL for its first input.
func printQueries(w io.Writer, qs []question, seed uint64, regions int) {
	for _, q := range qs {
		in := q.inputs(seed, regions, 1)[0]
		fmt.Fprintf(w, "# %s: %s\n", q.Key, in)
		for _, text := range q.queries(in) {
			fmt.Fprintf(w, "%s\n\n", text)
		}
	}
}
