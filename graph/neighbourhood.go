package graph

import (
	"context"

	cgraph "github.com/cayleygraph/cayley/graph"
)

// DefaultNeighbourhoodHops is the radius Neighbourhood uses when the query
// gives none.
const DefaultNeighbourhoodHops = 1

// NeighbourhoodQuery asks for the nodes within Hops edges of ID.
type NeighbourhoodQuery struct {
	ID string `json:"id"`
	// Hops is the radius (0: DefaultNeighbourhoodHops).
	Hops int `json:"hops,omitempty"`
	// Limit bounds the nodes returned, ID included (0: the default page
	// size).
	Limit int `json:"limit,omitempty"`
	// Limits bound the query; zero fields take their defaults.
	Limits QueryLimits `json:"-"`
}

// Neighbourhood returns the subgraph around q.ID: the nodes reached by a
// breadth-first walk of at most q.Hops edges in either direction (nearest
// first, then by ID) and the edges walked between them. rdf:type is not an
// edge; classes appear as node types. When Limit nodes are reached the
// walk stops and the subgraph is marked Truncated. It returns Invalid for a
// bad hop count or limit, NotFound for an unknown ID, Unprocessable when the
// walk exceeds QueryLimits.MaxVisited nodes, and Timeout when ctx ends
// first.
func (s *Store) Neighbourhood(ctx context.Context, q NeighbourhoodQuery) (Subgraph, error) {
	const op = "neighbourhood"
	lim := q.Limits.withDefaults()
	hops, err := lim.hops(op, q.Hops, DefaultNeighbourhoodHops)
	if err != nil {
		return Subgraph{}, err
	}
	size, err := lim.pageSize(op, q.Limit)
	if err != nil {
		return Subgraph{}, err
	}
	id, err := iriArg(op, "id", q.ID)
	if err != nil {
		return Subgraph{}, err
	}
	var g Subgraph
	err = s.read(op, func(qs cgraph.QuadStore) error {
		w := s.newWalker(ctx, op, qs, lim)
		start, err := w.resolve(id)
		if err != nil {
			return err
		}
		g, err = w.neighbourhood(start, hops, size)
		return err
	})
	return g, err
}

func (w *walker) neighbourhood(start cgraph.Ref, hops, size int) (Subgraph, error) {
	g := Subgraph{Nodes: []Node{}, Edges: []Edge{}}
	in := map[any]bool{start.Key(): true}
	refs := []cgraph.Ref{start}
	type edgeKey struct{ s, p, o any }
	var edges []pedge
	seenEdge := map[edgeKey]bool{}
	var next []cgraph.Ref
	// visit takes in the hops of frontier node u.
	visit := func(u cgraph.Ref, hs []hop) error {
		for _, h := range hs {
			k := h.node.Key()
			if !in[k] {
				if len(refs) == size {
					g.Truncated = true
					continue
				}
				in[k] = true
				refs = append(refs, h.node)
				next = append(next, h.node)
			}
			e := pedge{from: u, to: h.node, pred: h.pred, dir: Out}
			if h.dir == In {
				e.from, e.to = h.node, u
			}
			ek := edgeKey{e.from.Key(), e.pred.Key(), e.to.Key()}
			if !seenEdge[ek] {
				seenEdge[ek] = true
				edges = append(edges, e)
			}
		}
		if len(refs) > w.lim.MaxVisited {
			return Errorf(w.op, Unprocessable, "the walk would visit more than %d nodes", w.lim.MaxVisited)
		}
		return nil
	}
	frontier := []cgraph.Ref{start}
	for d := 0; d < hops && len(frontier) > 0 && !g.Truncated; d++ {
		next = nil
		err := w.chunks(frontier, func(us []cgraph.Ref) error {
			hss, err := w.expandMany(us, Both, nil)
			if err != nil {
				return err
			}
			for i, u := range us {
				if err := visit(u, hss[i]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return Subgraph{}, err
		}
		frontier = next
	}
	var err error
	if g.Nodes, err = w.nodes(refs); err != nil {
		return Subgraph{}, err
	}
	for _, e := range edges {
		g.Edges = append(g.Edges, Edge{From: w.id(e.from), To: w.id(e.to), Predicate: w.id(e.pred), Direction: Out})
	}
	g.sortEdges()
	return g, nil
}
