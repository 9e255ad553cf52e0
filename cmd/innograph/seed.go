package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/seeds"
)

// seedQuads parses the embedded seed graph: one TriG document per source
// document, each in its own named graph.
func seedQuads() ([]quad.Quad, error) {
	trig, _ := rdfio.Lookup(rdfio.TriG)
	var all []quad.Quad
	for _, g := range seeds.Graphs() {
		r, err := rdfio.NewReader(bytes.NewReader(g.Data), trig, rdfio.ReadOptions{
			Base:            string(g.IRI),
			Graph:           g.IRI,
			BlankNodePrefix: "seed_" + path.Base(string(g.IRI)) + "_",
		})
		if err != nil {
			return nil, fmt.Errorf("seed %s: %w", g.File, err)
		}
		for {
			q, err := r.ReadQuad()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("seed %s: %w", g.File, err)
			}
			all = append(all, q)
		}
	}
	return all, nil
}

// seedIfEmpty loads the embedded seed graph into an empty store, in one
// transaction, and returns the number of quads loaded (0 when the store
// already held data). Starting twice therefore never duplicates a quad,
// and a crash while seeding leaves an empty store that seeds again.
func seedIfEmpty(ctx context.Context, store *graph.Store) (int, error) {
	empty, err := store.IsEmpty(ctx)
	if err != nil || !empty {
		return 0, err
	}
	qs, err := seedQuads()
	if err != nil {
		return 0, err
	}
	err = store.Write(ctx, func(b *graph.Batch) error {
		for _, q := range qs {
			b.Add(q)
		}
		return nil
	})
	return len(qs), err
}
