package main

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

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
func load(e *env, cfg *Config, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("load needs at least one FILE (or - for standard input)")
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
	store, err := openStore(e, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	var total int64
	for _, src := range srcs {
		total += src.quads
	}
	e.log.Info("checked; writing", "files", len(srcs), "quads", total)
	for _, src := range srcs {
		r, closer, err := src.open(cfg)
		if err != nil {
			return err
		}
		n, err := store.Load(e.ctx, r, graph.LoadOptions{BatchSize: cfg.BatchSize})
		closer.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", src.name, err)
		}
		e.log.Info("loaded", "file", src.name, "format", src.format, "quads", n)
	}
	return nil
}

// prepare resolves a file's format and checks it parses, recording its quad
// count and content hash.
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
	sum, err := hashFile(src.path)
	if err != nil {
		return nil, cleanup, fmt.Errorf("%s: %w", name, err)
	}
	src.prefix = "b" + sum[:16] + "_"
	r, closer, err := src.open(cfg)
	if err != nil {
		return nil, cleanup, err
	}
	defer closer.Close()
	for {
		_, err := r.ReadQuad()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var se *rdfio.SyntaxError
			if errors.As(err, &se) && se.Line > 0 {
				return nil, cleanup, fmt.Errorf("%s:%d:%d: %s (nothing was loaded)", name, se.Line, se.Col, se.Msg)
			}
			return nil, cleanup, fmt.Errorf("%s: %w (nothing was loaded)", name, err)
		}
		src.quads++
	}
	return src, cleanup, nil
}

const profileFormat = "profile"

// open returns a quad reader over the source, decompressing .gz files.
func (src *source) open(cfg *Config) (quad.Reader, io.Closer, error) {
	f, err := os.Open(src.path)
	if err != nil {
		return nil, nil, err
	}
	var in io.Reader = f
	closer := io.Closer(f)
	if strings.HasSuffix(strings.ToLower(src.name), ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("%s: %w", src.name, err)
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
			f.Close()
			return nil, nil, fmt.Errorf("%s: %w", src.name, err)
		}
		return r, closer, nil
	}
	format, _ := rdfio.Lookup(src.format)
	r, err := rdfio.NewReader(in, format, rdfio.ReadOptions{Base: src.base, Graph: g, BlankNodePrefix: src.prefix})
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s: %w", src.name, err)
	}
	return r, closer, nil
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

func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

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
