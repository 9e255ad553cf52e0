package main

import (
	"bufio"
	"os"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/gen"
	"github.com/innograph/innograph/graph/rdfio"
)

// quadWriter adapts an rdfio.Writer to the quad.Writer gen writes to.
type quadWriter struct{ w rdfio.Writer }

func (q quadWriter) WriteQuad(x quad.Quad) error { return q.w.WriteQuad(x) }
func (q quadWriter) WriteQuads(xs []quad.Quad) (int, error) {
	for i, x := range xs {
		if err := q.w.WriteQuad(x); err != nil {
			return i, err
		}
	}
	return len(xs), nil
}

// writeGenerated writes the generated ecosystem (seed 1) of about n quads
// to file as N-Quads.
func writeGenerated(t *testing.T, file string, n int) {
	t.Helper()
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	nq, _ := rdfio.Lookup(rdfio.NQuads)
	w, err := rdfio.NewWriter(bw, nq, rdfio.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := gen.Generate(quadWriter{w}, gen.Config{Regions: max(2, n/gen.QuadsPerRegion), Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
}
