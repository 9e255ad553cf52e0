package graph

import (
	"context"
	"sort"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// Selection picks the quads a read streams.
type Selection struct {
	// Graph, when set, restricts the read to one named graph.
	Graph quad.Value
}

// EachQuad streams the selected quads to fn, stopping at the first error fn
// returns (which EachQuad returns unchanged). Memory does not grow with the
// store. It returns a Timeout error when ctx ends first.
func (s *Store) EachQuad(ctx context.Context, sel Selection, fn func(quad.Quad) error) error {
	const op = "read quads"
	return s.read(op, func(qs cgraph.QuadStore) error {
		var it cgraph.Iterator
		if sel.Graph != nil {
			ref := qs.ValueOf(sel.Graph)
			if ref == nil {
				return nil // no such graph: nothing to stream
			}
			it = qs.QuadIterator(quad.Label, ref)
		} else {
			it = qs.QuadsAllIterator()
		}
		defer it.Close()
		for it.Next(ctx) {
			if err := fn(qs.Quad(it.Result())); err != nil {
				return err
			}
		}
		if err := ctx.Err(); err != nil {
			return E(op, Timeout, err)
		}
		if err := it.Err(); err != nil {
			return E(op, Internal, err)
		}
		return nil
	})
}

// Stats are the store's headline figures.
type Stats struct {
	Quads    int64        `json:"quads"`
	Subjects int64        `json:"subjects"`
	Graphs   []GraphStats `json:"graphs"`
	Backend  Backend      `json:"backend"`
}

// GraphStats counts the quads of one graph; the default graph has an empty
// Graph.
type GraphStats struct {
	Graph string `json:"graph"`
	Quads int64  `json:"quads"`
}

// Stats counts quads, distinct subjects and quads per graph in one pass.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	st := Stats{Backend: s.backend}
	subjects := make(map[quad.Value]struct{})
	perGraph := make(map[string]int64)
	err := s.EachQuad(ctx, Selection{}, func(q quad.Quad) error {
		st.Quads++
		subjects[q.Subject] = struct{}{}
		perGraph[graphName(q.Label)]++
		return nil
	})
	if err != nil {
		return Stats{}, err
	}
	st.Subjects = int64(len(subjects))
	for g, n := range perGraph {
		st.Graphs = append(st.Graphs, GraphStats{Graph: g, Quads: n})
	}
	sort.Slice(st.Graphs, func(i, j int) bool { return st.Graphs[i].Graph < st.Graphs[j].Graph })
	return st, nil
}

// IsEmpty reports whether the store holds no quad at all.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	empty := true
	err := s.read("check empty", func(qs cgraph.QuadStore) error {
		it := qs.QuadsAllIterator()
		defer it.Close()
		empty = !it.Next(ctx)
		if err := ctx.Err(); err != nil {
			return E("check empty", Timeout, err)
		}
		return it.Err()
	})
	return empty, err
}

// Ping checks that the store answers a read.
func (s *Store) Ping(ctx context.Context) error {
	return s.read("ping", func(qs cgraph.QuadStore) error {
		it := qs.QuadsAllIterator()
		defer it.Close()
		it.Next(ctx)
		if err := ctx.Err(); err != nil {
			return E("ping", Timeout, err)
		}
		if err := it.Err(); err != nil {
			return E("ping", Unavailable, err)
		}
		return nil
	})
}

// graphName is the text of a graph label: the bare IRI, "_:" and the label
// of a blank node, or "" for the default graph.
func graphName(v quad.Value) string {
	switch v := v.(type) {
	case nil:
		return ""
	case quad.IRI:
		return string(v)
	default:
		return v.String()
	}
}
