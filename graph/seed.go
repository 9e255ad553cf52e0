package graph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/rdfio"
)

// Document is one RDF document held in memory, such as an embedded seed
// graph: its bytes, its syntax and how to read it.
type Document struct {
	Name   string // for messages, e.g. "graphs/profile-dk04.trig"
	Data   []byte
	Format rdfio.Format
	Read   rdfio.ReadOptions
}

// Quads parses the documents whole and returns their quads in order. It
// returns the first syntax error, prefixed with the document's name.
func Quads(docs []Document) ([]quad.Quad, error) {
	var all []quad.Quad
	for _, d := range docs {
		r, err := rdfio.NewReader(bytes.NewReader(d.Data), d.Format, d.Read)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.Name, err)
		}
		for {
			q, err := r.ReadQuad()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", d.Name, err)
			}
			all = append(all, q)
		}
	}
	return all, nil
}

// LoadIfEmpty loads the documents into an empty store in one transaction
// and returns the number of quads written (0 when the store already held
// data). Starting twice therefore never duplicates a quad, and a crash
// while loading leaves an empty store that loads again. A syntax error in
// any document writes nothing.
func (s *Store) LoadIfEmpty(ctx context.Context, docs []Document) (int, error) {
	empty, err := s.IsEmpty(ctx)
	if err != nil || !empty {
		return 0, err
	}
	qs, err := Quads(docs)
	if err != nil {
		return 0, E("load documents", Invalid, err)
	}
	err = s.Write(ctx, func(b *Batch) error {
		for _, q := range qs {
			b.Add(q)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(qs), nil
}
