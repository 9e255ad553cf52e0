package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/ontology"
)

// export streams the store, or one named graph, to a file or stdout.
func export(e *env, cfg *Config, args []string) (err error) {
	if len(args) > 0 {
		return fmt.Errorf("export takes no arguments, got %q", args)
	}
	f, ok := rdfio.Lookup(cfg.Format)
	if !ok || !f.Writable {
		return fmt.Errorf("unknown output format %q (want one of %s)", cfg.Format, formatNames(false))
	}
	store, err := openExisting(e, cfg)
	if err != nil {
		return err
	}
	defer store.Close()

	out := e.stdout
	if cfg.Output != "-" && cfg.Output != "" {
		file, err := os.Create(cfg.Output)
		if err != nil {
			return err
		}
		defer func() {
			if cerr := file.Close(); err == nil {
				err = cerr
			}
		}()
		out = file
	}
	bw := bufio.NewWriterSize(out, 1<<16)
	if err := writeRDF(e, store, bw, f, cfg.Graph, cfg.Type); err != nil {
		return err
	}
	return bw.Flush()
}

// writeRDF encodes the selection in format f: the store, or one graph, or
// the descriptions of one class's instances (in that graph, if given).
func writeRDF(e *env, store *graph.Store, w io.Writer, f rdfio.Format, graphIRI, class string) error {
	enc, err := rdfio.NewWriter(w, f, graph.WriteOptions(""))
	if err != nil {
		return err
	}
	var sel graph.Selection
	if graphIRI != "" {
		sel.Graph = quad.IRI(graphIRI)
	}
	if class != "" {
		sel.Type = expandPrefixed(class)
	}
	// Formats without graphs get each triple once (a dump is a set).
	each := store.EachQuad
	if !f.Graphs {
		each = store.EachTriple
	}
	if err := each(e.ctx, sel, enc.WriteQuad); err != nil {
		return err
	}
	return enc.Close()
}

// expandPrefixed expands a prefixed name with one of the ontology's
// prefixes (ig:Company); anything else is taken as an IRI.
func expandPrefixed(s string) quad.IRI {
	if pfx, local, ok := strings.Cut(s, ":"); ok {
		for _, p := range ontology.Prefixes() {
			if p.Name == pfx {
				return quad.IRI(p.NS + local)
			}
		}
	}
	return quad.IRI(s)
}
