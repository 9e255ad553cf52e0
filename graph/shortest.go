package graph

import (
	"context"
	"sort"
)

// ShortestQuery asks for every shortest path between two entities.
type ShortestQuery struct {
	From string `json:"from"`
	To   string `json:"to"`
	// MaxHops bounds the path length (0: QueryLimits.MaxHops).
	MaxHops int `json:"maxHops,omitempty"`
	// Predicates restricts the edges walked; empty means every predicate
	// except rdf:type.
	Predicates []string `json:"predicates,omitempty"`
	// Direction restricts how quads are walked from From towards To: Out
	// follows subject to object, In the reverse; empty or Both ignores
	// direction.
	Direction Direction `json:"direction,omitempty"`
	// Limits bound the query; zero fields take their defaults.
	Limits QueryLimits `json:"-"`
}

// ShortestResult holds every shortest path found, all with Hops edges, or
// no path (Hops -1) when none exists within MaxHops.
type ShortestResult struct {
	Hops  int    `json:"hops"`
	Paths []Path `json:"paths"`
	// Truncated reports that QueryLimits.MaxPaths paths were returned and
	// there are more of the same length.
	Truncated bool `json:"truncated,omitempty"`
}

// ShortestPaths returns all shortest paths from q.From to q.To by a
// bidirectional breadth-first search that looks up each node's edges in the
// store's indexes. Paths are sorted by their node IDs. It returns Invalid
// for a bad direction or hop count, NotFound when an end is unknown,
// Unprocessable when the search would visit more than QueryLimits.MaxVisited
// nodes, and Timeout when ctx ends first.
func (s *Store) ShortestPaths(ctx context.Context, q ShortestQuery) (ShortestResult, error) {
	return shortestPaths(ctx, s.query, q)
}

func shortestPaths(ctx context.Context, query querier, q ShortestQuery) (ShortestResult, error) {
	const op = "shortest paths"
	lim := q.Limits.withDefaults()
	maxHops, err := lim.hops(op, q.MaxHops, lim.MaxHops)
	if err != nil {
		return ShortestResult{}, err
	}
	dir := q.Direction
	if dir == "" {
		dir = Both
	}
	if !dir.valid() {
		return ShortestResult{}, Errorf(op, Invalid, "direction %q is not one of out, in, both", q.Direction)
	}
	from, err := iriArg(op, "from", q.From)
	if err != nil {
		return ShortestResult{}, err
	}
	to, err := iriArg(op, "to", q.To)
	if err != nil {
		return ShortestResult{}, err
	}
	res := ShortestResult{Hops: -1, Paths: []Path{}}
	err = query(ctx, op, lim, func(w *walker) error {
		a, err := w.resolve(from)
		if err != nil {
			return err
		}
		b, err := w.resolve(to)
		if err != nil {
			return err
		}
		preds, err := w.predSet(q.Predicates)
		if err != nil {
			return err
		}
		chains, truncated, err := shortest(w, a, b, dir, preds, maxHops)
		if err != nil || chains == nil {
			return err
		}
		res.Truncated = truncated
		refs := []nid{a}
		for _, c := range chains {
			refs = append(refs, edgeEnds(c)...)
		}
		if err := w.describe(refs); err != nil {
			return err
		}
		for _, c := range chains {
			p, err := w.path(a, c)
			if err != nil {
				return err
			}
			res.Paths = append(res.Paths, p)
		}
		res.Hops = len(chains[0])
		sortPaths(res.Paths)
		return nil
	})
	if err != nil {
		return ShortestResult{}, err
	}
	return res, nil
}

// shortest finds every shortest path from a to b (up to MaxPaths) by
// bidirectional breadth-first search, expanding the smaller frontier first.
// It returns nil chains when no path of at most maxHops exists.
func shortest(w *walker, a, b nid, dir Direction, preds []nid, maxHops int) ([][]pedge, bool, error) {
	if a == b {
		return [][]pedge{{}}, false, nil
	}
	fa, fb := newBFS(w, a, dir, preds), newBFS(w, b, dir.reverse(), preds)
	for fa.depth+fb.depth < maxHops {
		if len(fa.frontier) == 0 || len(fb.frontier) == 0 {
			return nil, false, nil
		}
		grow, other := fa, fb
		if len(fb.frontier) < len(fa.frontier) {
			grow, other = fb, fa
		}
		found, err := grow.level(len(other.dist))
		if err != nil {
			return nil, false, err
		}
		// The first level that meets the other side fixes the distance.
		// Before it the two visited sets were disjoint, so no path was
		// shorter than da+db+1 (da, db the depths before this level);
		// a meeting node m has dist da+1 here and at most db there, so
		// the distance is exactly da+db+1 and every meeting node has
		// dist db on the other side. Every shortest path has its node at
		// da+1 among the meeting nodes, and the DAGs of both sides are
		// complete to their depths, so all shortest paths are found.
		var meet []nid
		for _, n := range found {
			if _, ok := other.dist[n]; ok {
				meet = append(meet, n)
			}
		}
		if len(meet) == 0 {
			continue
		}
		if err := w.prefetch(meet); err != nil {
			return nil, false, err
		}
		sort.Slice(meet, func(i, j int) bool { return w.text(meet[i]) < w.text(meet[j]) })
		var out [][]pedge
		truncated := false
		for _, m := range meet {
			left, t1 := fa.chains(m, w.lim.MaxPaths)
			right, t2 := fb.chains(m, w.lim.MaxPaths)
			truncated = truncated || t1 || t2
			for _, l := range left {
				for _, r := range right {
					if len(out) == w.lim.MaxPaths {
						return out, true, nil
					}
					c := append([]pedge(nil), l...)
					for i := len(r) - 1; i >= 0; i-- {
						c = append(c, r[i].flip())
					}
					out = append(out, c)
				}
			}
		}
		return out, truncated, nil
	}
	return nil, false, nil
}
