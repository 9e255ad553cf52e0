package graph

import (
	"context"
	"sort"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// Cover returns the nodes and edges the page's paths cover.
func (p ConnectionPage) Cover() Subgraph {
	var ps []Path
	for _, pr := range p.Pairs {
		ps = append(ps, pr.Paths...)
	}
	return pathsSubgraph(ps)
}

// Cover returns the subgraph of a Subgraphs answer, or the one the
// matches of a Tuples answer cover.
func (r PatternResult) Cover() Subgraph {
	if r.Subgraph != nil {
		return *r.Subgraph
	}
	var ps []Path
	for _, m := range r.Matches {
		ps = append(ps, m.Path)
	}
	return pathsSubgraph(ps)
}

// Cover returns the nodes and edges the shortest paths cover.
func (r ShortestResult) Cover() Subgraph { return pathsSubgraph(r.Paths) }

// pathsSubgraph is the union of paths, every edge in its stored direction,
// sorted like the subgraphs of Paths and Neighbourhood.
func pathsSubgraph(ps []Path) Subgraph {
	g := Subgraph{Nodes: []Node{}, Edges: []Edge{}}
	seenN, seenE := map[string]bool{}, map[Edge]bool{}
	for _, p := range ps {
		for _, n := range p.Nodes {
			if !seenN[n.ID] {
				seenN[n.ID] = true
				g.Nodes = append(g.Nodes, n)
			}
		}
		for _, e := range p.Edges {
			if e.Direction == In {
				e.From, e.To = e.To, e.From
			}
			e.Direction = Out
			if !seenE[e] {
				seenE[e] = true
				g.Edges = append(g.Edges, e)
			}
		}
	}
	g.sortNodes()
	g.sortEdges()
	return g
}

// CoverQuads returns the stored quads behind g, so that an answer can be
// published as RDF: for every edge the quads (in every named graph) that
// state it, and for every node its rdf:type and rdfs:label quads. Quads come
// sorted by graph, then subject, so that grouping encoders write them
// compactly. It reads one
// subject index entry per node, so its cost follows the answer, not the
// store. It returns Timeout when ctx ends first.
func (s *Store) CoverQuads(ctx context.Context, g Subgraph) ([]quad.Quad, error) {
	const op = "cover quads"
	var out []quad.Quad
	err := s.read(op, func(qs cgraph.QuadStore) error {
		w := s.newWalker(ctx, op, qs, QueryLimits{})
		type po struct{ p, o string }
		want := map[string]map[po]bool{}
		var subjects []string
		add := func(subj string) map[po]bool {
			m := want[subj]
			if m == nil {
				m = map[po]bool{}
				want[subj] = m
				subjects = append(subjects, subj)
			}
			return m
		}
		for _, n := range g.Nodes {
			add(n.ID)
		}
		for _, e := range g.Edges {
			add(e.From)[po{e.Predicate, e.To}] = true
		}
		for _, subj := range subjects {
			r := w.ref(quad.IRI(subj))
			if r == nil {
				continue
			}
			edges := want[subj]
			var ferr error
			err := w.each(quad.Subject, r, func(qr cgraph.Ref) bool {
				pk := qs.QuadDirection(qr, quad.Predicate).Key()
				keep := pk == w.typ || pk == w.lbl
				if !keep && len(edges) > 0 {
					p := w.id(qs.QuadDirection(qr, quad.Predicate))
					o := w.id(qs.QuadDirection(qr, quad.Object))
					keep = edges[po{p, o}]
				}
				if keep {
					out = append(out, qs.Quad(qr))
				}
				if ferr = w.ctx.Err(); ferr != nil {
					return false
				}
				return true
			})
			if err != nil {
				return err
			}
			if ferr != nil {
				return E(op, Timeout, ferr)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		if a, b := termID(out[i].Label), termID(out[j].Label); a != b {
			return a < b
		}
		return termID(out[i].Subject) < termID(out[j].Subject)
	})
	return out, nil
}
