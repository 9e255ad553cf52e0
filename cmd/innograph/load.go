package main

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/seeds"
)

// source is one input of load, checked before anything is written.
type source struct {
	name   string // as given on the command line
	path   string // file to read (a temporary copy for standard input)
	format string
	base   string
	prefix string // blank-node prefix from the content hash
	quads  int64
}

// load checks every file whole, then writes them in batches. A malformed
// file therefore changes nothing; a crash mid-load leaves whole batches.
// Into a store that can undo a failed load (a fresh bolt store, written
// directly) the first file is not read twice: it is loaded as it is
// parsed, and a syntax error empties the store again; the other files are
// checked before it is written. While writing, graph.Store.Load parses the
// next batch as the current one is applied; progress goes to a bar on a
// terminal, to log lines otherwise.
func load(e *env, cfg *Config, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("load needs at least one FILE (or - for standard input)")
	}
	defer tuneGC(e.getenv)()
	if cfg.CPUProfile != "" {
		f, err := os.Create(cfg.CPUProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	var srcs []*source
	for _, a := range args {
		src, cleanup, err := prepare(e, cfg, a)
		if cleanup != nil {
			defer cleanup()
		}
		if err != nil {
			return err
		}
		srcs = append(srcs, src)
	}
	for _, src := range srcs[1:] {
		if err := check(cfg, src); err != nil {
			return err
		}
	}
	store, err := openStore(e, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	first := srcs[0]
	// Only an empty bolt store opened with fsync may undo a failed load;
	// into any other the file is checked first (and hashed in that read).
	err = graph.ErrNotUndoable
	if b := cfg.Store.Backend; (b == "" || b == graph.Bolt) && !cfg.Store.NoSync {
		empty, eerr := store.IsEmpty(e.ctx)
		if eerr != nil {
			return eerr
		}
		if empty {
			if err = blankPrefix(first); err == nil {
				err = loadSource(e, cfg, store, first, true)
			}
		}
	}
	if errors.Is(err, graph.ErrNotUndoable) {
		if err = check(cfg, first); err == nil {
			err = loadSource(e, cfg, store, first, false)
		}
	}
	if err != nil {
		return err
	}
	for _, src := range srcs[1:] {
		if err := loadSource(e, cfg, store, src, false); err != nil {
			return err
		}
	}
	return nil
}

// loadSource writes one source, reporting progress by bytes read.
// Unchecked, it asks for a load the store can undo (graph.LoadOptions),
// and a syntax error is reported as check reports it.
func loadSource(e *env, cfg *Config, store *graph.Store, src *source, unchecked bool) error {
	f, err := os.Open(src.path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	in := &countingReader{r: f}
	r, err := src.reader(in, cfg)
	if err != nil {
		return err
	}
	defer closeReader(r)
	if !unchecked {
		e.log.Info("checked; writing", "file", src.name, "quads", src.quads)
	}
	p := newProgress(e, src.name, fi.Size(), src.quads, in.Count, cfg.ProgressEvery)
	start := time.Now()
	n, err := store.Load(e.ctx, r, graph.LoadOptions{BatchSize: cfg.BatchSize, Progress: p.update, Note: func(m string) { e.log.Info(m, "file", src.name) }, Unchecked: unchecked})
	if errors.Is(err, graph.ErrNotUndoable) {
		return err
	}
	p.finish(err == nil)
	if err != nil {
		var se *rdfio.SyntaxError
		if unchecked && errors.As(err, &se) && se.Line > 0 {
			return fmt.Errorf("%s:%d:%d: %s (nothing was loaded)", src.name, se.Line, se.Col, se.Msg)
		}
		return fmt.Errorf("%s: %w", src.name, err)
	}
	secs := time.Since(start).Seconds()
	e.log.Info("loaded", "file", src.name, "format", src.format, "quads", n, "seconds", round(secs), "quads_per_s", round(float64(n)/secs))
	return nil
}

// tuneGC trades memory for CPU while loading: Cayley's write path allocates
// a short-lived object per key it touches, and at the default GOGC=100 the
// collector took about a fifth of the CPU of a 1M-quad bolt load. GOGC=800
// cut the load's user CPU from about 19 s to 14 s (GOGC=400: 15 s; see
// docs/performance.md) at about 800 MB peak RSS; the live heap is bounded
// by the batches in flight, and the 1 GiB soft limit makes the collector
// run harder before the heap passes it. GOGC or GOMEMLIMIT in the
// environment win. It returns a function restoring the previous settings.
func tuneGC(getenv func(string) string) (restore func()) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	pct := debug.SetGCPercent(800)
	limit := debug.SetMemoryLimit(1 << 30)
	return func() {
		debug.SetGCPercent(pct)
		debug.SetMemoryLimit(limit)
	}
}

// countingReader counts the bytes read through it; Count may be called from
// another goroutine.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// Count reports the bytes read so far.
func (c *countingReader) Count() int64 { return c.n.Load() }

// prepare resolves a file's format (blankPrefix and check read it).
func prepare(e *env, cfg *Config, name string) (*source, func(), error) {
	src := &source{name: name, path: name}
	var cleanup func()
	if name == "-" {
		tmp, err := os.CreateTemp("", "innograph-stdin-*")
		if err != nil {
			return nil, nil, err
		}
		cleanup = func() { os.Remove(tmp.Name()) }
		_, err = io.Copy(tmp, e.stdin)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, cleanup, fmt.Errorf("read standard input: %w", err)
		}
		src.path = tmp.Name()
	}
	switch {
	case cfg.Format != "":
		src.format = cfg.Format
	default:
		f, ok := rdfio.ByExtension(name)
		if !ok {
			return nil, cleanup, fmt.Errorf("%s: cannot tell the format from the file name; use -format (one of %s)", name, formatNames(true))
		}
		src.format = f.Name
	}
	if src.format != profileFormat {
		f, ok := rdfio.Lookup(src.format)
		if !ok || !f.Readable {
			return nil, cleanup, fmt.Errorf("unknown input format %q (want one of %s)", src.format, formatNames(true))
		}
		src.format = f.Name
	}
	src.base = cfg.Base
	if src.base == "" && name != "-" {
		abs, err := filepath.Abs(name)
		if err == nil {
			src.base = "file://" + filepath.ToSlash(abs)
		}
	}
	return src, cleanup, nil
}

// blankPrefix names src's blank nodes after the hash of its bytes, so that
// loading the file again reuses them; check does it in its own read.
func blankPrefix(src *source) error {
	if src.prefix != "" {
		return nil
	}
	f, err := os.Open(src.path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("%s: %w", src.name, err)
	}
	src.prefix = "b" + hex.EncodeToString(h.Sum(nil))[:16] + "_"
	return nil
}

// check parses src whole, recording its quad count (and, when not yet
// known, the hash naming its blank nodes, in the same read): a malformed
// file is refused before anything is written. The parse runs with a
// placeholder prefix until the hash is known, which cannot change its
// verdict.
func check(cfg *Config, src *source) error {
	f, err := os.Open(src.path)
	if err != nil {
		return err
	}
	defer f.Close()
	var in io.Reader = f
	var h hash.Hash
	if src.prefix == "" {
		h = sha256.New()
		in = io.TeeReader(f, h)
	}
	r, err := src.reader(in, cfg)
	if err != nil {
		return err
	}
	defer closeReader(r)
	if err := parseAll(src, r); err != nil {
		return err
	}
	if h != nil {
		if _, err := io.Copy(io.Discard, in); err != nil { // bytes after a gzip stream
			return fmt.Errorf("%s: %w", src.name, err)
		}
		src.prefix = "b" + hex.EncodeToString(h.Sum(nil))[:16] + "_"
	}
	return nil
}

// parseAll reads r to its end, counting its quads in src.quads, reporting a syntax error
// by file, line and column.
func parseAll(src *source, r quad.Reader) error {
	src.quads = 0
	for {
		_, err := r.ReadQuad()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var se *rdfio.SyntaxError
			if errors.As(err, &se) && se.Line > 0 {
				return fmt.Errorf("%s:%d:%d: %s (nothing was loaded)", src.name, se.Line, se.Col, se.Msg)
			}
			return fmt.Errorf("%s: %w (nothing was loaded)", src.name, err)
		}
		src.quads++
	}
	return nil
}

const profileFormat = "profile"

// reader returns a quad reader over the source's bytes, decompressing .gz
// files.
func (src *source) reader(in io.Reader, cfg *Config) (quad.Reader, error) {
	if strings.HasSuffix(strings.ToLower(src.name), ".gz") {
		zr, err := gzip.NewReader(in)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.name, err)
		}
		in = zr
	}
	var g quad.Value
	if cfg.Graph != "" {
		g = quad.IRI(cfg.Graph)
	}
	if src.format == profileFormat {
		r, err := profileReader(in, g)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.name, err)
		}
		return r, nil
	}
	format, _ := rdfio.Lookup(src.format)
	prefix := src.prefix
	if prefix == "" {
		prefix = "check_"
	}
	// N-Triples and N-Quads parse on every core (rdfio's parallel line
	// reader); the store's writer has its own goroutine beside them.
	r, err := rdfio.NewReader(in, format, rdfio.ReadOptions{Base: src.base, Graph: g, BlankNodePrefix: prefix, Workers: runtime.GOMAXPROCS(0)})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src.name, err)
	}
	return r, nil
}

// closeReader stops the goroutines of a parallel reader (rdfio's
// ReadOptions.Workers) that was not read to its end.
func closeReader(r quad.Reader) {
	if c, ok := r.(io.Closer); ok {
		c.Close()
	}
}

// profileReader parses a regional profile text whole and returns its quads,
// in graph g or, when g is nil, in the profile's own source graph.
func profileReader(r io.Reader, g quad.Value) (quad.Reader, error) {
	p, err := seeds.ParseProfile(r)
	if err != nil {
		return nil, err
	}
	iri := seeds.ProfileGraph(p)
	if gi, ok := g.(quad.IRI); ok {
		iri = gi
	} else if g != nil {
		return nil, fmt.Errorf("profile graph must be an IRI, got %v", g)
	}
	return quad.NewReader(p.Quads(iri)), nil
}

// round keeps one decimal for log lines.
func round(x float64) float64 { return math.Round(x*10) / 10 }

// formatNames lists the registry's format names for messages.
func formatNames(readable bool) string {
	var names []string
	for _, f := range rdfio.Formats() {
		if (readable && f.Readable) || (!readable && f.Writable) {
			names = append(names, f.Name)
		}
	}
	if readable {
		names = append(names, profileFormat)
	}
	return strings.Join(names, ", ")
}
