package graph

import (
	"context"
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
	return neighbourhoodOf(ctx, s.query, q)
}

func neighbourhoodOf(ctx context.Context, query querier, q NeighbourhoodQuery) (Subgraph, error) {
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
	err = query(ctx, op, lim, func(w *walker) error {
		start, err := w.resolve(id)
		if err != nil {
			return err
		}
		g, err = neighbourhood(w, start, hops, size)
		return err
	})
	return g, err
}

func neighbourhood(w *walker, start nid, hops, size int) (Subgraph, error) {
	g := Subgraph{Nodes: []Node{}, Edges: []Edge{}}
	in := map[nid]bool{start: true}
	ids := []nid{start}
	type edgeKey struct{ s, p, o nid }
	var edges []edgeKey
	seenEdge := map[edgeKey]bool{}
	var next []nid
	// visit takes in the hops of frontier node u.
	visit := func(u nid, hs []hop) error {
		for _, h := range hs {
			if !in[h.node] {
				if len(ids) == size {
					g.Truncated = true
					continue
				}
				in[h.node] = true
				ids = append(ids, h.node)
				next = append(next, h.node)
			}
			e := edgeKey{u, h.pred, h.node}
			if h.dir == In {
				e.s, e.o = h.node, u
			}
			if !seenEdge[e] {
				seenEdge[e] = true
				edges = append(edges, e)
			}
		}
		if len(ids) > w.lim.MaxVisited {
			return Errorf(w.op, Unprocessable, "the walk would visit more than %d nodes", w.lim.MaxVisited)
		}
		return nil
	}
	frontier := []nid{start}
	for d := 0; d < hops && len(frontier) > 0 && !g.Truncated; d++ {
		next = nil
		hss, err := w.expandMany(frontier, Both, nil)
		if err != nil {
			return Subgraph{}, err
		}
		for i, u := range frontier {
			if err := visit(u, hss[i]); err != nil {
				return Subgraph{}, err
			}
		}
		frontier = next
	}
	var err error
	if g.Nodes, err = w.nodes(ids); err != nil {
		return Subgraph{}, err
	}
	for _, e := range edges {
		g.Edges = append(g.Edges, Edge{From: w.text(e.s), To: w.text(e.o), Predicate: w.text(e.p), Direction: Out})
	}
	g.sortEdges()
	return g, nil
}
