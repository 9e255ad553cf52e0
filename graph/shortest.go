package graph

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
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
			refs = appendEdgeEnds(refs, c)
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
//
// Which paths a truncated answer keeps is the order of the search the
// engine always ran: meeting nodes by IRI, each side's paths in the order
// its breadth-first walk met them (frontier order, then neighbour IRI,
// predicate IRI, out before in). Reading every neighbour's IRI to keep
// that order is most of the cost of a search, and it decides nothing
// unless there are more shortest paths than MaxPaths: so the walk here
// takes neighbours as the reader gives them, counts the paths, and puts
// the shortest-path DAG in that order (search.order) only when they are
// too many.
func shortest(w *walker, a, b nid, dir Direction, preds []nid, maxHops int) ([][]pedge, bool, error) {
	if a == b {
		return [][]pedge{{}}, false, nil
	}
	s, done := w.search()
	defer done()
	s.start(0, a, dir)
	s.start(1, b, dir.reverse())
	for int(s.sides[0].depth+s.sides[1].depth) < maxHops {
		if len(s.sides[0].frontier) == 0 || len(s.sides[1].frontier) == 0 {
			return nil, false, nil
		}
		k := 0
		if len(s.sides[1].frontier) < len(s.sides[0].frontier) {
			k = 1
		}
		meets, err := s.level(w, k, preds)
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
		if len(meets) > 0 {
			return s.paths(w, meets)
		}
	}
	return nil, false, nil
}

// search is the state of one bidirectional breadth-first search over
// numbered nodes (nodeSlots): side 0 grows from the path's start, side 1
// from its end, walking the reverse direction. Each node met has an entry
// in nodes at its slot, with its distance from either side and, on each
// side, the edges that reached it at that distance (its parents in that
// side's shortest-path DAG) as a list threaded through edges. Searches are
// pooled by the Store (walker.search): reset keeps their buffers.
type search struct {
	slots nodeSlots
	nodes []snode // by slot; nodes[0] is unused
	edges []sedge // edges[0] is unused: 0 ends a list
	sides [2]sside
	// Scratch of level.
	ids   []nid
	cands []cand
	fresh []cand // edges to nodes not yet numbered
	vs    []nid
	iri   []bool
	place []int32 // scratch of order
}

// snode is what a search knows of one node.
type snode struct {
	dist [2]int32 // distance from each side's origin, -1 when unreached
	head [2]int32 // the node's first parent edge on each side, 0 for none
	cnt  [2]int32 // shortest paths from each side's origin, capped; 0 uncounted
}

// sedge is a parent edge: the node at slot from reached the node whose
// list holds it through pred, walking subject to object unless in.
type sedge struct {
	from int32
	pred nid
	in   bool
	next int32 // the next edge of the same list, 0 at its end
}

// sside is one side of a search.
type sside struct {
	origin          int32
	dir             Direction
	frontier, spare []int32
	depth           int32
	reached         int // nodes at a known distance, the origin included
}

// cand is an edge found from frontier node u, before its far end is known
// to be an IRI.
type cand struct {
	u    int32
	p, v nid
	in   bool
}

// maxPooledSlots bounds the searches kept for reuse: a rare huge one
// leaves its buffers to the collector.
const maxPooledSlots = 1 << 16

// search returns a search ready to use and the func that gives it back.
func (w *walker) search() (*search, func()) {
	var s *search
	if w.searches != nil {
		s, _ = w.searches.Get().(*search)
	}
	if s == nil {
		s = &search{}
	}
	s.reset()
	return s, func() {
		if w.searches != nil && s.slots.len() <= maxPooledSlots {
			s.reset()
			w.searches.Put(s)
		}
	}
}

func (s *search) reset() {
	s.slots.reset()
	s.nodes = append(s.nodes[:0], snode{})
	s.edges = append(s.edges[:0], sedge{})
	for k := range s.sides {
		sd := &s.sides[k]
		*sd = sside{frontier: sd.frontier[:0], spare: sd.spare[:0]}
	}
}

// node returns the slot of id, numbering it unreached when new.
func (s *search) node(id nid) int32 {
	k, added := s.slots.slot(id)
	if added {
		s.nodes = append(s.nodes, snode{dist: [2]int32{-1, -1}})
	}
	return k
}

// start makes id the origin of side k, walking in direction dir.
func (s *search) start(k int, id nid, dir Direction) {
	n := s.node(id)
	s.nodes[n].dist[k] = 0
	sd := &s.sides[k]
	sd.origin, sd.dir, sd.reached = n, dir, 1
	sd.frontier = append(sd.frontier[:0], n)
}

// level expands side k's whole frontier by one hop and returns the nodes
// met for the first time that the other side has reached. It fails with
// Unprocessable once both sides together have reached more than the
// walker's MaxVisited nodes. Only nodes named by IRIs are reached, and
// rdf:type is followed only when preds names it (as walker.expandMany).
//
// Nodes neither side has reached are numbered only when the walk goes
// on: the level that meets the other side is the last and usually the
// largest, and the meeting nodes are all numbered already.
func (s *search) level(w *walker, k int, preds []nid) ([]int32, error) {
	sd, other := &s.sides[k], 1-k
	d := sd.depth + 1
	next := sd.spare[:0]
	var meets []int32
	s.fresh = s.fresh[:0]
	for lo := 0; lo < len(sd.frontier) && (preds == nil || len(preds) > 0); lo += expandBatch {
		part := sd.frontier[lo:min(lo+expandBatch, len(sd.frontier))]
		s.ids = s.ids[:0]
		for _, u := range part {
			s.ids = append(s.ids, s.slots.id(u))
		}
		s.cands = s.cands[:0]
		if sd.dir == Out || sd.dir == Both {
			if err := w.quads(quad.Subject, s.ids, preds, func(i int, q frontier.Quad) bool {
				if preds != nil || q.P != w.typ {
					s.cands = append(s.cands, cand{u: part[i], p: q.P, v: q.O})
				}
				return true
			}); err != nil {
				return nil, err
			}
		}
		if sd.dir == In || sd.dir == Both {
			if err := w.quads(quad.Object, s.ids, preds, func(i int, q frontier.Quad) bool {
				if preds != nil || q.P != w.typ {
					s.cands = append(s.cands, cand{u: part[i], p: q.P, v: q.S, in: true})
				}
				return true
			}); err != nil {
				return nil, err
			}
		}
		for _, c := range s.cands {
			v := s.slots.get(c.v)
			if v == 0 {
				s.fresh = append(s.fresh, c)
				continue
			}
			// A numbered node is an IRI some side has reached.
			n := &s.nodes[v]
			switch {
			case n.dist[k] < 0: // the other side's: a meeting node
				n.dist[k] = d
				next = append(next, v)
				sd.reached++
				meets = append(meets, v)
			case n.dist[k] != d:
				continue
			}
			s.link(k, v, c)
		}
	}
	if len(meets) == 0 || sd.reached+s.sides[other].reached+len(s.fresh) > w.lim.MaxVisited {
		s.vs = s.vs[:0]
		for _, c := range s.fresh {
			s.vs = append(s.vs, c.v)
		}
		s.iri = append(s.iri[:0], make([]bool, len(s.vs))...)
		if err := w.iris(s.vs, s.iri); err != nil {
			return nil, err
		}
		for i, c := range s.fresh {
			if !s.iri[i] {
				continue // literals are attributes, blank nodes parts of their owner
			}
			v := s.node(c.v)
			if n := &s.nodes[v]; n.dist[k] < 0 {
				n.dist[k] = d
				next = append(next, v)
				sd.reached++
			}
			s.link(k, v, c)
		}
	}
	if sd.reached+s.sides[other].reached > w.lim.MaxVisited {
		return nil, Errorf(w.op, Unprocessable, "the search would visit more than %d nodes; narrow it (fewer hops, predicates)", w.lim.MaxVisited)
	}
	sd.frontier, sd.spare = next, sd.frontier
	sd.depth = d
	return meets, nil
}

// link adds c as a parent edge of node v on side k, unless it is there
// already (a quad stated in several graphs is found once per graph).
func (s *search) link(k int, v int32, c cand) {
	n := &s.nodes[v]
	for e := n.head[k]; e != 0; e = s.edges[e].next {
		if x := &s.edges[e]; x.from == c.u && x.pred == c.p && x.in == c.in {
			return
		}
	}
	s.edges = append(s.edges, sedge{from: c.u, pred: c.p, in: c.in, next: n.head[k]})
	n.head[k] = int32(len(s.edges) - 1)
}

// count returns the number of shortest paths from side k's origin to n,
// or limit if there are at least that many.
func (s *search) count(k int, n int32, limit int32) int32 {
	if n == s.sides[k].origin {
		return 1
	}
	if c := s.nodes[n].cnt[k]; c > 0 {
		return c
	}
	var sum int32
	for e := s.nodes[n].head[k]; e != 0 && sum < limit; e = s.edges[e].next {
		sum = min(limit, sum+s.count(k, s.edges[e].from, limit))
	}
	s.nodes[n].cnt[k] = sum
	return sum
}

// paths joins the paths of both sides at the meeting nodes: every shortest
// path, or the first MaxPaths of them in the engine's order and whether
// there are more.
func (s *search) paths(w *walker, meets []int32) ([][]pedge, bool, error) {
	max := w.lim.MaxPaths
	limit := int32(min(max+1, 1<<15))
	total := 0
	for _, m := range meets {
		total += int(s.count(0, m, limit)) * int(s.count(1, m, limit))
		if total > max {
			break
		}
	}
	if total > max {
		// Which paths are kept depends on the order: put it in place.
		var err error
		if meets, err = s.order(w, meets); err != nil {
			return nil, false, err
		}
	}
	var out [][]pedge
	truncated := false
	for _, m := range meets {
		left, t1 := s.chains(0, m, max)
		right, t2 := s.chains(1, m, max)
		truncated = truncated || t1 || t2
		for _, l := range left {
			for _, r := range right {
				if len(out) == max {
					return out, true, nil
				}
				c := append(make([]pedge, 0, len(l)+len(r)), l...)
				for i := len(r) - 1; i >= 0; i-- {
					c = append(c, r[i].flip())
				}
				out = append(out, c)
			}
		}
	}
	return out, truncated, nil
}

// chains returns up to max paths from side k's origin to n through its
// DAG, each a list of edges from the origin, in the order of the parent
// lists, and whether more exist.
func (s *search) chains(k int, n int32, max int) ([][]pedge, bool) {
	var out [][]pedge
	truncated := false
	origin := s.sides[k].origin
	var rec func(n int32, suffix []pedge)
	rec = func(n int32, suffix []pedge) {
		if len(out) >= max {
			truncated = true
			return
		}
		if n == origin {
			c := make([]pedge, len(suffix))
			for i := range suffix {
				c[i] = suffix[len(suffix)-1-i]
			}
			out = append(out, c)
			return
		}
		to := s.slots.id(n)
		for e := s.nodes[n].head[k]; e != 0; e = s.edges[e].next {
			x := s.edges[e]
			dir := Out
			if x.in {
				dir = In
			}
			rec(x.from, append(suffix, pedge{from: s.slots.id(x.from), to: to, pred: x.pred, dir: dir}))
		}
	}
	// One suffix serves the whole walk: each call appends its edge in
	// place of its sibling's, and a path is copied out at the origin.
	rec(n, make([]pedge, 0, 8))
	return out, truncated
}

// order puts the meeting nodes and, on both sides, the parent lists of
// every node behind them in the order the engine's breadth-first walk
// meets them (see shortest): meeting nodes by IRI; a node's parents by
// their place in their frontier, then predicate IRI, out before in. A
// frontier is ordered by each node's first parent's place in the frontier
// before, then by IRI, so the places of the nodes behind the meeting
// nodes, all that the lists need, follow level by level from the origin.
func (s *search) order(w *walker, meets []int32) ([]int32, error) {
	var levels [2][][]int32
	var refs []nid
	for k := range s.sides {
		seen := map[int32]bool{}
		stack := append([]int32(nil), meets...)
		for len(stack) > 0 {
			n := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[n] {
				continue
			}
			seen[n] = true
			d := int(s.nodes[n].dist[k])
			for len(levels[k]) <= d {
				levels[k] = append(levels[k], nil)
			}
			levels[k][d] = append(levels[k][d], n)
			refs = append(refs, s.slots.id(n))
			for e := s.nodes[n].head[k]; e != 0; e = s.edges[e].next {
				refs = append(refs, s.edges[e].pred)
				stack = append(stack, s.edges[e].from)
			}
		}
	}
	if err := w.prefetch(refs); err != nil {
		return nil, err
	}
	text := func(n int32) string { return w.text(s.slots.id(n)) }
	// place[n] is n's place in its frontier (on the side being ordered).
	s.place = append(s.place[:0], make([]int32, len(s.nodes))...)
	type keyed struct {
		n     int32
		first int32 // the place of n's first parent
		text  string
	}
	var items []keyed
	type edgeKey struct {
		e     sedge
		place int32
		pred  string
	}
	var list []edgeKey
	for k := range s.sides {
		s.place[s.sides[k].origin] = 0
		for _, level := range levels[k][1:] {
			items = items[:0]
			for _, n := range level {
				f := int32(-1)
				for e := s.nodes[n].head[k]; e != 0; e = s.edges[e].next {
					if p := s.place[s.edges[e].from]; f < 0 || p < f {
						f = p
					}
				}
				items = append(items, keyed{n, f, text(n)})
			}
			slices.SortFunc(items, func(a, b keyed) int {
				if a.first != b.first {
					return cmp.Compare(a.first, b.first)
				}
				return strings.Compare(a.text, b.text)
			})
			for i, it := range items {
				s.place[it.n] = int32(i)
			}
			for _, it := range items {
				list = list[:0]
				for e := s.nodes[it.n].head[k]; e != 0; e = s.edges[e].next {
					x := s.edges[e]
					list = append(list, edgeKey{x, s.place[x.from], w.text(x.pred)})
				}
				slices.SortFunc(list, func(a, b edgeKey) int {
					if a.place != b.place {
						return cmp.Compare(a.place, b.place)
					}
					if c := strings.Compare(a.pred, b.pred); c != 0 {
						return c
					}
					switch {
					case a.e.in == b.e.in:
						return 0
					case b.e.in:
						return -1 // out before in
					}
					return 1
				})
				// Relink the list in that order, reusing its entries.
				e := s.nodes[it.n].head[k]
				for _, x := range list {
					next := s.edges[e].next
					x.e.next = next
					s.edges[e] = x.e
					e = next
				}
			}
		}
	}
	meets = append([]int32(nil), meets...)
	sort.Slice(meets, func(i, j int) bool { return text(meets[i]) < text(meets[j]) })
	return meets, nil
}
