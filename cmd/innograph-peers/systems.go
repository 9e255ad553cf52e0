package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// system is one store under comparison, loaded and serving on loopback.
type system struct {
	// Name names it in tables.
	Name string `json:"name"`
	// api is the base URL of innograph's HTTP API, for our endpoints; or
	// sparql is a SPARQL endpoint. Exactly one is set.
	api, sparql string
	// proc serves it (shared by innograph's two faces).
	proc *proc
	// Load is how its load went; zero for a second face of one store.
	Load *loadFigures `json:"load,omitempty"`
	// Stored is the number of quads it holds after the load.
	Stored int64 `json:"stored"`
	// Tier is what innograph's read tier cost at serve start; nil for
	// the others.
	Tier *tierFigures `json:"readTier,omitempty"`
	// export writes every quad over HTTP; nil when it has no export.
	export func(ctx context.Context, hc *http.Client) (exportFigures, error)
	// scan streams SELECT * WHERE { ?s ?p ?o } from its SPARQL endpoint
	// as TSV; nil when it is not asked (Virtuoso caps result rows).
	scan func(ctx context.Context, hc *http.Client) (exportFigures, error)
	// stop stops its server (doing nothing a second time).
	stop func()
}

// loadFigures is one load of the generated file.
type loadFigures struct {
	Seconds float64 `json:"seconds"`
	// Rate is the file's quads (duplicates included) per second.
	Rate float64 `json:"quadsPerSecond"`
	// Peak is the peak resident memory of the loading process.
	Peak int64 `json:"peakRSS"`
	// How says what was timed.
	How string `json:"how"`
}

// exportFigures is one export of the whole store.
type exportFigures struct {
	Seconds float64 `json:"seconds"`
	Lines   int64   `json:"lines"`
	Bytes   int64   `json:"bytes"`
	Rate    float64 `json:"linesPerSecond"`
	How     string  `json:"how"`
}

// ask asks q of s for in, and returns the answer and the time its
// requests took.
func (s *system) ask(ctx context.Context, hc *http.Client, q question, in input) (answer, time.Duration, error) {
	c := &caller{hc: hc}
	var a answer
	var err error
	if s.sparql != "" {
		a, err = q.sparql(ctx, c, s.sparql, in)
	} else {
		a, err = q.api(ctx, c, s.api, in)
	}
	return a, c.took, err
}

// fetchLines GETs (or POSTs, when form is set) u and counts the lines and
// bytes of the body as it streams in.
func fetchLines(ctx context.Context, hc *http.Client, u string, form url.Values, accept, how string) (exportFigures, error) {
	method, body := http.MethodGet, io.Reader(nil)
	if form != nil {
		method, body = http.MethodPost, strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return exportFigures{}, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", accept)
	start := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		return exportFigures{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1000))
		return exportFigures{}, fmt.Errorf("export: %s: %s", resp.Status, snippet(b))
	}
	f := exportFigures{How: how}
	br := bufio.NewReaderSize(resp.Body, 1<<20)
	for {
		line, err := br.ReadSlice('\n')
		f.Bytes += int64(len(line))
		if len(line) > 0 && line[len(line)-1] == '\n' {
			f.Lines++
		}
		if err == io.EOF {
			break
		}
		if err != nil && err != bufio.ErrBufferFull {
			return exportFigures{}, fmt.Errorf("export: %w", err)
		}
	}
	f.Seconds = time.Since(start).Seconds()
	f.Rate = float64(f.Lines) / f.Seconds
	return f, nil
}

// buildInnograph builds ./cmd/innograph into the run's directory, unless
// -innograph names a binary.
func buildInnograph(ctx context.Context, r *runner) (string, error) {
	if r.cfg.innograph != "" {
		return r.cfg.innograph, nil
	}
	bin := filepath.Join(r.work, "innograph")
	r.logf("building ./cmd/innograph")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/innograph")
	build.Stdout, build.Stderr = r.log, r.log
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("build innograph (run from the module root): %w", err)
	}
	return bin, nil
}

// startLimit is how long a server may take to start, build its read tier
// or load: at 10M quads innograph opens its store and builds its tier
// before it listens, and a peer loads before it answers.
const startLimit = 30 * time.Minute

// startInnograph loads the file into a fresh bolt store in dir with
// "innograph load" (a child process: wall time and peak RSS from its
// rusage) and, when serve is set, serves it with "innograph serve" on
// 127.0.0.1.
func startInnograph(ctx context.Context, r *runner, dir string, serve bool) (*system, error) {
	bin := r.bin
	store := filepath.Join(dir, "innograph-bolt")
	r.logf("innograph: load %s into %s", r.file, store)
	load := exec.CommandContext(ctx, bin, "load", "-backend", "bolt", "-data", store, r.file)
	var out tail
	lw := &lineWriter{t: &out, echo: func(l string) { r.logf("innograph load: %s", l) }}
	load.Stdout, load.Stderr = lw, lw // one pipe: the lines in order
	start := time.Now()
	if err := load.Run(); err != nil {
		return nil, fmt.Errorf("innograph load: %w\n%s", err, out.String())
	}
	lf := &loadFigures{Seconds: time.Since(start).Seconds(), How: "innograph load into an empty bolt store (child process wall time; peak RSS from its rusage)"}
	lf.Rate = float64(r.quads) / lf.Seconds
	if ru, ok := load.ProcessState.SysUsage().(*syscall.Rusage); ok {
		lf.Peak = ru.Maxrss * 1024
	}
	if !serve {
		return &system{Name: "innograph", Load: lf, stop: func() {}}, nil
	}

	// The server logs its read tier's progress and then "serving" once it
	// listens (it opens the store, building the tier, before it listens:
	// minutes at 10M quads). The questions wait for both: until the tier
	// is built, reads would go to bolt through Cayley.
	type tierLine struct {
		msg string
		at  time.Duration // since the process started
	}
	addr := make(chan string, 1)
	tier := make(chan tierLine, 1)
	var sawAddr, sawTier bool
	var started time.Time
	watch := func(line string) bool {
		var l struct{ Msg, Addr string }
		if json.Unmarshal([]byte(line), &l) != nil {
			return true
		}
		switch {
		case l.Msg == "serving" && l.Addr != "" && !sawAddr:
			sawAddr = true
			addr <- l.Addr
		case isTierLine(l.Msg) && !sawTier:
			sawTier = true
			tier <- tierLine{l.Msg, time.Since(started)}
		case strings.HasPrefix(l.Msg, tierBuiltPrefix):
			r.logf("innograph serve: %s", l.Msg) // a long build's progress
		}
		return !sawAddr || !sawTier
	}
	started = time.Now()
	p, err := startProc("innograph serve", dir, filepath.Join(dir, "innograph-serve.log"), watch,
		bin, "serve", "-backend", "bolt", "-data", store, "-addr", "127.0.0.1:0", "-seed=false", "-log-format", "json",
		// The full SPARQL scan is one request of every quad: the
		// server's limits must not cut it (the client's -timeout
		// bounds each request anyway).
		"-query-timeout", r.cfg.timeout.String(), "-max-sparql-rows", "0")
	if err != nil {
		return nil, err
	}
	stop := func() { p.stop(20 * time.Second) }
	r.stops = append(r.stops, stop)
	sampled := sampleMemory(p.pid(), startSampleEvery)
	defer sampled()
	var base string
	err = waitFor(ctx, p, startLimit, "serving", func() bool {
		if base == "" {
			select {
			case a := <-addr:
				base = "http://" + a
			default:
				return false
			}
		}
		resp, err := r.hc.Get(base + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	if err != nil {
		return nil, err
	}
	ready := time.Since(started)
	var tl tierLine
	err = waitFor(ctx, p, startLimit, "done building its read tier", func() bool {
		select {
		case tl = <-tier:
			return true
		default:
			return false
		}
	})
	if err != nil {
		return nil, err
	}
	r.logf("innograph serve: %s (%.1f s after it started; ready after %.1f s)", tl.msg, tl.at.Seconds(), ready.Seconds())
	if strings.Contains(tl.msg, "build failed") {
		return nil, fmt.Errorf("innograph serve: %s", tl.msg)
	}
	tf, err := parseTierLine(tl.msg)
	if err != nil {
		return nil, fmt.Errorf("innograph serve: %w", err)
	}
	tf.TierSeconds, tf.ReadySeconds = tl.at.Seconds(), ready.Seconds()
	if m, err := memoryOf(p.pid()); err == nil {
		tf.AtReady = &m
	}
	most, _ := sampled()
	tf.PeakAnon = most.Anon
	// The tier's count is the quads held: asking /api/v1/stats would
	// count them again into maps that, at 10M quads, leave hundreds of MB
	// of garbage in the heap the serving memory is then read from.
	s := &system{Name: "innograph", api: base, proc: p, Load: lf, Stored: tf.Quads, Tier: &tf, stop: stop}
	s.export = func(ctx context.Context, hc *http.Client) (exportFigures, error) {
		return fetchLines(ctx, hc, base+"/api/v1/export?format=nquads", nil, "application/n-quads", "GET /api/v1/export?format=nquads")
	}
	return s, nil
}

// innographSPARQL is our own SPARQL endpoint on the same server, asked
// the peers' queries.
func innographSPARQL(s *system) *system {
	endpoint := s.api + "/sparql"
	return &system{Name: "innograph /sparql", sparql: endpoint, proc: s.proc, Stored: s.Stored, scan: sparqlScan(endpoint)}
}

// scanQuery is the full scan: every quad of the union default graph.
const scanQuery = "SELECT * WHERE { ?s ?p ?o }"

// sparqlScan POSTs scanQuery to endpoint asking for TSV, and counts the
// rows as they stream in (the header line is not a row).
func sparqlScan(endpoint string) func(ctx context.Context, hc *http.Client) (exportFigures, error) {
	return func(ctx context.Context, hc *http.Client) (exportFigures, error) {
		f, err := fetchLines(ctx, hc, endpoint, url.Values{"query": {scanQuery}}, "text/tab-separated-values",
			"POST "+scanQuery+" (form), Accept: text/tab-separated-values")
		if err != nil {
			return f, err
		}
		f.Lines--
		f.Rate = float64(f.Lines) / f.Seconds
		return f, nil
	}
}

// lineWriter feeds a tail, and echo if set (a long load's progress).
type lineWriter struct {
	t    *tail
	echo func(line string)
}

func (w *lineWriter) Write(b []byte) (int, error) {
	for _, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		w.t.add(l)
		if w.echo != nil {
			w.echo(l)
		}
	}
	return len(b), nil
}

// startOxigraph runs testdata/peers/oxigraph-server.js under node: it
// loads file into an in-memory Oxigraph store and serves SPARQL on
// 127.0.0.1. The load time is the script's own (reading, parsing and
// inserting); the peak RSS is node's VmHWM once loaded.
func startOxigraph(ctx context.Context, r *runner, work string) (*system, error) {
	dir, err := filepath.Abs(r.cfg.peersDir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "oxigraph", "package.json")); err != nil {
		r.logf("oxigraph: npm ci in %s (the lock file pins oxigraph)", dir)
		npm := exec.CommandContext(ctx, r.cfg.npm, "ci", "--no-audit", "--no-fund")
		npm.Dir = dir
		npm.Stdout, npm.Stderr = r.log, r.log
		if err := npm.Run(); err != nil {
			return nil, fmt.Errorf("npm ci in %s: %w", dir, err)
		}
	}
	type ready struct {
		Port   int     `json:"port"`
		LoadMs float64 `json:"loadMs"`
		Quads  int64   `json:"quads"`
	}
	got := make(chan ready, 1)
	watch := func(line string) bool {
		var rd ready
		if json.Unmarshal([]byte(line), &rd) == nil && rd.Port > 0 {
			got <- rd
			return false
		}
		return true
	}
	r.logf("oxigraph: load %s", r.file)
	p, err := startProc("oxigraph", dir, filepath.Join(work, "oxigraph.log"), watch,
		r.cfg.node, filepath.Join(dir, "oxigraph-server.js"), r.file)
	if err != nil {
		return nil, err
	}
	stop := func() { p.stop(10 * time.Second) }
	r.stops = append(r.stops, stop)
	var rd ready
	err = waitFor(ctx, p, startLimit, "loaded", func() bool {
		select {
		case rd = <-got:
			return true
		default:
			return false
		}
	})
	if err != nil {
		return nil, err
	}
	m, err := memoryOf(p.pid())
	if err != nil {
		return nil, err
	}
	lf := &loadFigures{Seconds: rd.LoadMs / 1000, Peak: m.Peak,
		How: "oxigraph 0.5.11 (npm) Store.load of the file in 1 MB chunks with no_transaction, timed inside node; peak RSS is node's VmHWM"}
	lf.Rate = float64(r.quads) / lf.Seconds
	base := fmt.Sprintf("http://127.0.0.1:%d", rd.Port)
	s := &system{Name: "Oxigraph", sparql: base + "/sparql", proc: p, Load: lf, Stored: rd.Quads, stop: stop, scan: sparqlScan(base + "/sparql")}
	s.export = func(ctx context.Context, hc *http.Client) (exportFigures, error) {
		return fetchLines(ctx, hc, base+"/dump", nil, "application/n-quads", "Store.dump as N-Quads, sent over HTTP by the script")
	}
	return s, nil
}

// countOurQuads counts the quads of the generated graphs (a store may hold
// graphs of its own, as Virtuoso does).
const countOurQuads = `SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://w3id.org/innograph/")) }`

// storedBySPARQL counts a SPARQL endpoint's quads in our graphs.
func storedBySPARQL(ctx context.Context, hc *http.Client, endpoint string) (int64, error) {
	res, err := (&caller{hc: hc}).sparql(ctx, endpoint, countOurQuads)
	if err != nil {
		return 0, err
	}
	if len(res.Results.Bindings) != 1 {
		return 0, fmt.Errorf("count: %d solutions", len(res.Results.Bindings))
	}
	return strconv.ParseInt(res.Results.Bindings[0]["n"].Value, 10, 64)
}
