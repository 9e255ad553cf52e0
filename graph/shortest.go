package graph

import (
	"context"
	"sort"

	cgraph "github.com/cayleygraph/cayley/graph"
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
	err = s.read(op, func(qs cgraph.QuadStore) error {
		w := s.newWalker(ctx, op, qs, lim)
		if err := w.prefetchTerms(from, to); err != nil {
			return err
		}
		a, err := w.resolve(from)
		if err != nil {
			return err
		}
		b, err := w.resolve(to)
		if err != nil {
			return err
		}
		chains, truncated, err := w.shortest(a, b, dir, w.predSet(q.Predicates), maxHops)
		if err != nil || chains == nil {
			return err
		}
		res.Truncated = truncated
		refs := []cgraph.Ref{a}
		for _, c := range chains {
			refs = append(refs, edgeEnds(c)...)
		}
		if err := w.prefetchNodes(refs); err != nil {
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

// pedge is one edge of a path under construction, oriented along the path.
type pedge struct {
	from, to, pred cgraph.Ref
	dir            Direction
}

// flip returns e walked the other way.
func (e pedge) flip() pedge { return pedge{from: e.to, to: e.from, pred: e.pred, dir: e.dir.reverse()} }

// bfs is one side of a breadth-first search: distances from its origin
// and, for each node, every edge that reached it at its distance (the
// shortest-path DAG).
type bfs struct {
	w        *walker
	origin   cgraph.Ref
	dir      Direction
	preds    map[any]bool
	dist     map[any]int
	parents  map[any][]pedge
	frontier []cgraph.Ref
	depth    int
}

func newBFS(w *walker, origin cgraph.Ref, dir Direction, preds map[any]bool) *bfs {
	return &bfs{w: w, origin: origin, dir: dir, preds: preds,
		dist: map[any]int{origin.Key(): 0}, parents: map[any][]pedge{}, frontier: []cgraph.Ref{origin}}
}

// level expands the whole frontier by one hop and returns the nodes seen
// for the first time. It fails with Unprocessable once visited exceeds the
// walker's MaxVisited together with extra.
func (b *bfs) level(extra int) ([]cgraph.Ref, error) {
	var next []cgraph.Ref
	d := b.depth + 1
	err := b.w.chunks(b.frontier, func(us []cgraph.Ref) error {
		hss, err := b.w.expandMany(us, b.dir, b.preds)
		if err != nil {
			return err
		}
		for i, u := range us {
			for _, h := range hss[i] {
				k := h.node.Key()
				if dk, ok := b.dist[k]; !ok {
					b.dist[k] = d
					next = append(next, h.node)
				} else if dk != d {
					continue
				}
				b.parents[k] = append(b.parents[k], pedge{from: u, to: h.node, pred: h.pred, dir: h.dir})
			}
			if len(b.dist)+extra > b.w.lim.MaxVisited {
				return Errorf(b.w.op, Unprocessable, "the search would visit more than %d nodes; narrow it (fewer hops, predicates)", b.w.lim.MaxVisited)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	b.frontier = next
	b.depth = d
	return next, nil
}

// chains returns up to max paths from the origin to n through the DAG, each
// a list of edges from the origin, and whether more exist.
func (b *bfs) chains(n cgraph.Ref, max int) ([][]pedge, bool) {
	var out [][]pedge
	truncated := false
	var rec func(n cgraph.Ref, suffix []pedge)
	rec = func(n cgraph.Ref, suffix []pedge) {
		if len(out) >= max {
			truncated = true
			return
		}
		if n.Key() == b.origin.Key() {
			c := make([]pedge, len(suffix))
			for i := range suffix {
				c[i] = suffix[len(suffix)-1-i]
			}
			out = append(out, c)
			return
		}
		for _, e := range b.parents[n.Key()] {
			rec(e.from, append(suffix, e))
		}
	}
	rec(n, nil)
	return out, truncated
}

// shortest finds every shortest path from a to b (up to MaxPaths) by
// bidirectional breadth-first search, expanding the smaller frontier first.
// It returns nil chains when no path of at most maxHops exists.
func (w *walker) shortest(a, b cgraph.Ref, dir Direction, preds map[any]bool, maxHops int) ([][]pedge, bool, error) {
	if a.Key() == b.Key() {
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
		var meet []cgraph.Ref
		for _, n := range found {
			if _, ok := other.dist[n.Key()]; ok {
				meet = append(meet, n)
			}
		}
		if len(meet) == 0 {
			continue
		}
		sort.Slice(meet, func(i, j int) bool { return w.id(meet[i]) < w.id(meet[j]) })
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

// path renders a chain of edges starting at start as a Path.
func (w *walker) path(start cgraph.Ref, chain []pedge) (Path, error) {
	refs := []cgraph.Ref{start}
	p := Path{Edges: make([]Edge, 0, len(chain))}
	for _, e := range chain {
		refs = append(refs, e.to)
		p.Edges = append(p.Edges, Edge{From: w.id(e.from), To: w.id(e.to), Predicate: w.id(e.pred), Direction: e.dir})
	}
	var err error
	p.Nodes, err = w.nodes(refs)
	return p, err
}

// sortPaths orders paths by their node and predicate IDs so answers are the
// same on every backend.
func sortPaths(ps []Path) {
	key := func(p Path) string {
		var b []byte
		for i, n := range p.Nodes {
			b = append(b, n.ID...)
			b = append(b, 0)
			if i < len(p.Edges) {
				b = append(b, p.Edges[i].Predicate...)
				b = append(b, p.Edges[i].Direction...)
				b = append(b, 0)
			}
		}
		return string(b)
	}
	sort.SliceStable(ps, func(i, j int) bool { return key(ps[i]) < key(ps[j]) })
}
