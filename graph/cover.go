package graph

import (
	"context"
	"sort"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
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
	return coverQuads(ctx, s.query, g)
}

func coverQuads(ctx context.Context, query querier, g Subgraph) ([]quad.Quad, error) {
	const op = "cover quads"
	var out []quad.Quad
	err := query(ctx, op, QueryLimits{}, func(w *walker) error {
		type po struct{ p, o string }
		want := map[string]map[po]bool{}
		var subjects []quad.Value
		add := func(subj string) map[po]bool {
			m := want[subj]
			if m == nil {
				m = map[po]bool{}
				want[subj] = m
				subjects = append(subjects, quad.IRI(subj))
			}
			return m
		}
		for _, n := range g.Nodes {
			add(n.ID)
		}
		for _, e := range g.Edges {
			add(e.From)[po{e.Predicate, e.To}] = true
		}
		ids, err := w.lookup(subjects...)
		if err != nil {
			return err
		}
		var found []frontier.Quad
		var refs []nid
		err = w.quads(quad.Subject, ids, nil, func(_ int, q frontier.Quad) bool {
			found = append(found, q)
			refs = append(refs, q.S, q.P, q.O, q.G)
			return true
		})
		if err != nil {
			return err
		}
		if err := w.prefetch(refs); err != nil {
			return err
		}
		for _, q := range found {
			keep := q.P == w.typ || q.P == w.lbl
			if edges := want[w.text(q.S)]; !keep && len(edges) > 0 {
				keep = edges[po{w.text(q.P), w.text(q.O)}]
			}
			if keep {
				v := quad.Quad{Subject: w.vals[q.S], Predicate: w.vals[q.P], Object: w.vals[q.O]}
				if q.G != 0 {
					v.Label = w.vals[q.G]
				}
				out = append(out, v)
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
