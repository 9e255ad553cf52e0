package graph

import (
	"context"
	"fmt"
	"sort"

	"github.com/cayleygraph/quad"
)

// DefaultConnectionHops is the path length Connections allows when the
// query gives none: x - through - y, the question "which universities
// connect to which clusters through this network".
const DefaultConnectionHops = 2

// ConnectionQuery asks for the pairs of entities connected through a third.
// From, To and Through each name an entity or a class by full IRI (a term
// that is the object of some rdf:type quad is a class); the caller expands
// short forms.
type ConnectionQuery struct {
	From string `json:"from"`
	To   string `json:"to"`
	// Through, when set, is the entity (or class of entities) every path
	// must pass through; empty means any path from x to y.
	Through string `json:"through,omitempty"`
	// MaxHops bounds the length of a connecting path (0:
	// DefaultConnectionHops).
	MaxHops int    `json:"maxHops,omitempty"`
	Limit   int    `json:"limit,omitempty"`
	Cursor  string `json:"cursor,omitempty"`
	// Limits bound the query; zero fields take their defaults.
	Limits QueryLimits `json:"-"`
}

// Pair is two connected entities and the paths that connect them, each
// running from From to To.
type Pair struct {
	From  Node   `json:"from"`
	To    Node   `json:"to"`
	Paths []Path `json:"paths"`
	// Truncated reports that QueryLimits.MaxPaths cut Paths short.
	Truncated bool `json:"truncated,omitempty"`
}

// ConnectionPage is one page of pairs, sorted by the IDs of From then To,
// and the cursor of the next page ("" at the end).
type ConnectionPage struct {
	Pairs []Pair `json:"pairs"`
	Next  string `json:"next,omitempty"`
}

// Connections returns every pair (x, y), x matching q.From and y matching
// q.To, x != y, joined by a path of at most MaxHops edges that passes
// through q.Through, with the paths: for each through-node t, the shortest
// paths from t to x reversed and joined to those from t to y, keeping the
// simple ones. Edges are walked in either direction; rdf:type is not an
// edge. It returns Invalid for a bad argument, limit or cursor, NotFound
// for an unknown entity, Unprocessable when the search exceeds
// QueryLimits.MaxVisited nodes or pairs, and Timeout when ctx ends first.
func (s *Store) Connections(ctx context.Context, q ConnectionQuery) (ConnectionPage, error) {
	return connections(ctx, s.query, q)
}

func connections(ctx context.Context, query querier, q ConnectionQuery) (ConnectionPage, error) {
	const op = "connections"
	lim := q.Limits.withDefaults()
	maxHops, err := lim.hops(op, q.MaxHops, DefaultConnectionHops)
	if err != nil {
		return ConnectionPage{}, err
	}
	size, err := lim.pageSize(op, q.Limit)
	if err != nil {
		return ConnectionPage{}, err
	}
	hash := queryHash(q.From, q.To, q.Through, maxHops)
	after, err := decodeCursor(op, q.Cursor, hash)
	if err != nil {
		return ConnectionPage{}, err
	}
	if after != nil && len(after) != 2 {
		return ConnectionPage{}, badCursor(op)
	}
	from, err := iriArg(op, "from", q.From)
	if err != nil {
		return ConnectionPage{}, err
	}
	to, err := iriArg(op, "to", q.To)
	if err != nil {
		return ConnectionPage{}, err
	}
	page := ConnectionPage{Pairs: []Pair{}}
	err = query(ctx, op, lim, func(w *walker) error {
		fm, err := w.matcher(from)
		if err != nil {
			return err
		}
		tm, err := w.matcher(to)
		if err != nil {
			return err
		}
		c := &connector{w: w, from: fm, to: tm, maxHops: maxHops, cands: map[[2]nid]*pairAcc{}}
		if q.Through == "" {
			c.fromIsThrough = true
			err = fm.each(w, c.through)
		} else {
			var th term
			if th, err = w.matcher(quad.IRI(q.Through)); err == nil {
				err = th.each(w, c.through)
			}
		}
		if err != nil {
			return err
		}
		return c.page(&page, after, size, hash)
	})
	if err != nil {
		return ConnectionPage{}, err
	}
	return page, nil
}

// term is an entity or a class of a query.
type term struct {
	id    nid
	class nid // the class, zero for an entity
}

// matcher resolves iri to a term.
func (w *walker) matcher(iri quad.IRI) (term, error) {
	id, err := w.resolve(iri)
	if err != nil {
		return term{}, err
	}
	isClass, err := w.isClass(id)
	if err != nil {
		return term{}, err
	}
	if isClass {
		return term{id: id, class: id}, nil
	}
	return term{id: id}, nil
}

// matches reports whether node n is the entity or an instance of the class.
func (t term) matches(w *walker, n nid) (bool, error) {
	if t.class == 0 {
		return n == t.id, nil
	}
	return w.hasType(n, t.class)
}

// each calls fn with the entity or each instance of the class.
func (t term) each(w *walker, fn func(nid) error) error {
	if t.class == 0 {
		return fn(t.id)
	}
	return w.instances(t.class, func(n nid) (bool, error) {
		return true, fn(n)
	})
}

// connector collects the candidate pairs of one Connections query: every
// (x, y) within reach of a through-node. Only the candidates of the page
// asked for have their paths built (most of the work of a pair), which
// also settles whether they are pairs at all: a candidate whose every
// walk repeats a node is none.
type connector struct {
	w             *walker
	from, to      term
	fromIsThrough bool
	maxHops       int
	searches      []*bfs // one per through-node that reached a candidate
	cands         map[[2]nid]*pairAcc
}

// pairAcc is a candidate pair: its ends, the searches that reached both,
// and once built its distinct paths.
type pairAcc struct {
	x, y      nid
	via       []int // indexes into connector.searches
	chains    [][]pedge
	keys      map[string]bool
	truncated bool
}

// hit is a node matching one end, at dist from the through-node.
type hit struct {
	n    nid
	dist int
}

// through collects the candidate pairs connected through t.
func (c *connector) through(t nid) error {
	w := c.w
	tIsFrom, err := c.from.matches(w, t)
	if err != nil {
		return err
	}
	tIsTo, err := c.to.matches(w, t)
	if err != nil {
		return err
	}
	if c.fromIsThrough && !tIsFrom {
		return nil
	}
	// Both ends are at least one hop from t unless t is one of them, so
	// the last level is only needed in that case.
	levels := c.maxHops - 1
	if tIsFrom || tIsTo {
		levels = c.maxHops
	}
	b := newBFS(w, t, Both, nil)
	var xs, ys []hit
	visit := func(n nid, d int) error {
		isX := false
		if c.fromIsThrough {
			isX = d == 0
		} else if ok, err := c.from.matches(w, n); err != nil {
			return err
		} else {
			isX = ok
		}
		if isX {
			xs = append(xs, hit{n, d})
		}
		ok, err := c.to.matches(w, n)
		if err != nil {
			return err
		}
		if ok {
			ys = append(ys, hit{n, d})
		}
		return nil
	}
	if err := visit(t, 0); err != nil {
		return err
	}
	for b.depth < levels && len(b.frontier) > 0 {
		found, err := b.level(len(c.cands))
		if err != nil {
			return err
		}
		if c.from.class != 0 || c.to.class != 0 {
			// The matches below read each node's types: all at once.
			if err := w.describe(found); err != nil {
				return err
			}
		}
		for _, n := range found {
			if err := visit(n, b.depth); err != nil {
				return err
			}
		}
	}
	si := -1
	for _, x := range xs {
		for _, y := range ys {
			if x.n == y.n || x.dist+y.dist > c.maxHops {
				continue
			}
			if si < 0 {
				si = len(c.searches)
				c.searches = append(c.searches, b)
			}
			k := [2]nid{x.n, y.n}
			p := c.cands[k]
			if p == nil {
				if len(c.cands) >= w.lim.MaxVisited {
					return Errorf(w.op, Unprocessable, "more than %d pairs; narrow the query", w.lim.MaxVisited)
				}
				p = &pairAcc{x: x.n, y: y.n}
				c.cands[k] = p
			}
			p.via = append(p.via, si)
		}
		if err := w.check(); err != nil {
			return err
		}
	}
	if si >= 0 {
		var ends []nid
		for _, h := range xs {
			ends = append(ends, h.n)
		}
		for _, h := range ys {
			ends = append(ends, h.n)
		}
		prune(b, ends)
	}
	return nil
}

// prune keeps of b only what the paths to ends need: the edges of the
// shortest-path DAG behind them. A query through many nodes holds one
// search per node until its page is built, so each keeps little.
func prune(b *bfs, ends []nid) {
	keep := make(map[nid][]pedge)
	stack := ends
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if _, done := keep[n]; done {
			continue
		}
		ps := b.parents[n]
		keep[n] = ps
		for _, e := range ps {
			stack = append(stack, e.from)
		}
	}
	b.parents, b.dist, b.frontier = keep, nil, nil
}

// page fills page with the pairs after the keyset position after (the
// IRIs of the last pair of the previous page), sorted by the IRIs of
// their ends, building the paths of no more candidates than it needs.
func (c *connector) page(page *ConnectionPage, after []string, size int, hash uint64) error {
	w := c.w
	all := make([]*pairAcc, 0, len(c.cands))
	ends := make([]nid, 0, 2*len(c.cands))
	for _, p := range c.cands {
		all = append(all, p)
		ends = append(ends, p.x, p.y)
	}
	if err := w.prefetch(ends); err != nil {
		return err
	}
	less := func(a, b *pairAcc) bool {
		if xa, xb := w.text(a.x), w.text(b.x); xa != xb {
			return xa < xb
		}
		return w.text(a.y) < w.text(b.y)
	}
	sort.Slice(all, func(i, j int) bool { return less(all[i], all[j]) })
	i := 0
	if after != nil {
		i = sort.Search(len(all), func(i int) bool {
			x, y := w.text(all[i].x), w.text(all[i].y)
			return x > after[0] || x == after[0] && y > after[1]
		})
	}
	var out []*pairAcc
	more := false
	memo := map[[2]int][][]pedge{}
	for ; i < len(all); i++ {
		if err := w.check(); err != nil {
			return err
		}
		p := all[i]
		c.build(p, memo)
		if len(p.chains) == 0 {
			continue // every walk between them repeats a node
		}
		if len(out) == size {
			more = true
			break
		}
		out = append(out, p)
	}
	var refs []nid
	for _, p := range out {
		refs = append(refs, p.x, p.y)
		for _, ch := range p.chains {
			refs = appendEdgeEnds(refs, ch)
			for _, e := range ch {
				refs = append(refs, e.pred)
			}
		}
	}
	if err := w.describe(refs); err != nil {
		return err
	}
	if err := w.prefetch(refs); err != nil {
		return err
	}
	for _, p := range out {
		pr, err := c.render(p)
		if err != nil {
			return err
		}
		page.Pairs = append(page.Pairs, pr)
	}
	if more {
		last := out[len(out)-1]
		page.Next = encodeCursor(w.op, hash, []string{w.text(last.x), w.text(last.y)})
	}
	return nil
}

// build finds the distinct simple paths of candidate p: through each of
// its searches, the shortest paths from the through-node to x reversed and
// joined to those to y.
func (c *connector) build(p *pairAcc, memo map[[2]int][][]pedge) {
	chains := func(si int, n nid) [][]pedge {
		k := [2]int{si, int(n)}
		if cs, ok := memo[k]; ok {
			return cs
		}
		cs, _ := c.searches[si].chains(n, c.w.lim.MaxPaths)
		memo[k] = cs
		return cs
	}
	p.keys = map[string]bool{}
	for _, si := range p.via {
		for _, cx := range chains(si, p.x) {
			for _, cy := range chains(si, p.y) {
				chain := make([]pedge, 0, len(cx)+len(cy))
				for i := len(cx) - 1; i >= 0; i-- {
					chain = append(chain, cx[i].flip())
				}
				chain = append(chain, cy...)
				if simple(p.x, chain) {
					c.add(p, chain)
				}
			}
		}
	}
}

// simple reports whether the walk from start along chain repeats no node.
func simple(start nid, chain []pedge) bool {
	seen := map[nid]bool{start: true}
	for _, e := range chain {
		if seen[e.to] {
			return false
		}
		seen[e.to] = true
	}
	return true
}

// add records chain as a path of p, once.
func (c *connector) add(p *pairAcc, chain []pedge) {
	b := make([]byte, 0, 24*len(chain))
	for _, e := range chain {
		b = fmt.Appendf(b, "%d %d %s ", e.from, e.pred, e.dir)
	}
	key := string(b)
	if p.keys[key] {
		return
	}
	if len(p.chains) == c.w.lim.MaxPaths {
		p.truncated = true
		return
	}
	p.keys[key] = true
	p.chains = append(p.chains, chain)
}

// render turns a built pair into a Pair.
func (c *connector) render(p *pairAcc) (Pair, error) {
	fx, err := c.w.node(p.x)
	if err != nil {
		return Pair{}, err
	}
	fy, err := c.w.node(p.y)
	if err != nil {
		return Pair{}, err
	}
	out := Pair{From: fx.node, To: fy.node, Truncated: p.truncated}
	for _, ch := range p.chains {
		path, err := c.w.path(p.x, ch)
		if err != nil {
			return Pair{}, err
		}
		out.Paths = append(out.Paths, path)
	}
	sortPaths(out.Paths)
	return out, nil
}
