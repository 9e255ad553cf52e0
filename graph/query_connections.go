package graph

import (
	"context"
	"sort"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
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
	offset, err := decodeCursor(op, q.Cursor, hash)
	if err != nil {
		return ConnectionPage{}, err
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
	err = s.read(op, func(qs cgraph.QuadStore) error {
		w := s.newWalker(ctx, op, qs, lim)
		if err := w.prefetchTerms(from, to, quad.IRI(q.Through)); err != nil {
			return err
		}
		fm, err := w.matcher(from)
		if err != nil {
			return err
		}
		tm, err := w.matcher(to)
		if err != nil {
			return err
		}
		c := &connector{w: w, from: fm, to: tm, maxHops: maxHops, pairs: map[[2]any]*pairAcc{}}
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
		all := make([]*pairAcc, 0, len(c.pairs))
		for _, p := range c.pairs {
			all = append(all, p)
		}
		sort.Slice(all, func(i, j int) bool {
			if a, b := w.id(all[i].x), w.id(all[j].x); a != b {
				return a < b
			}
			return w.id(all[i].y) < w.id(all[j].y)
		})
		end := min(offset+size, len(all))
		var refs []cgraph.Ref
		for _, p := range all[min(offset, len(all)):end] {
			refs = append(refs, p.x, p.y)
			for _, ch := range p.chains {
				refs = append(refs, edgeEnds(ch)...)
			}
		}
		if err := w.prefetchNodes(refs); err != nil {
			return err
		}
		for _, p := range all[min(offset, len(all)):end] {
			pr, err := c.render(p)
			if err != nil {
				return err
			}
			page.Pairs = append(page.Pairs, pr)
		}
		page.Next = nextCursor(op, hash, offset, len(page.Pairs), end < len(all))
		return nil
	})
	if err != nil {
		return ConnectionPage{}, err
	}
	return page, nil
}

// term is an entity or a class of a query.
type term struct {
	ref   cgraph.Ref
	class string // the class IRI, "" for an entity
}

// matcher resolves iri to a term.
func (w *walker) matcher(iri quad.IRI) (term, error) {
	r, err := w.resolve(iri)
	if err != nil {
		return term{}, err
	}
	isClass, err := w.isClass(r)
	if err != nil {
		return term{}, err
	}
	if isClass {
		return term{ref: r, class: string(iri)}, nil
	}
	return term{ref: r}, nil
}

// matches reports whether node n is the entity or an instance of the class.
func (t term) matches(w *walker, n cgraph.Ref) (bool, error) {
	if t.class == "" {
		return n.Key() == t.ref.Key(), nil
	}
	return w.hasType(n, t.class)
}

// each calls fn with the entity or each instance of the class.
func (t term) each(w *walker, fn func(cgraph.Ref) error) error {
	if t.class == "" {
		return fn(t.ref)
	}
	return w.instances(t.ref, func(r cgraph.Ref) (bool, error) {
		return true, fn(r)
	})
}

// connector accumulates the pairs of one Connections query.
type connector struct {
	w             *walker
	from, to      term
	fromIsThrough bool
	maxHops       int
	pairs         map[[2]any]*pairAcc
}

// pairAcc is a pair being collected: its ends and its distinct paths.
type pairAcc struct {
	x, y      cgraph.Ref
	chains    [][]pedge
	keys      map[string]bool
	truncated bool
}

// hit is a node matching one end, at dist from the through-node.
type hit struct {
	n    cgraph.Ref
	dist int
}

// through collects the pairs connected through t.
func (c *connector) through(t cgraph.Ref) error {
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
	visit := func(n cgraph.Ref, d int) error {
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
		found, err := b.level(len(c.pairs))
		if err != nil {
			return err
		}
		if c.from.class != "" || c.to.class != "" {
			// The matches below read each node's types: all at once.
			if err := w.prefetchNodes(found); err != nil {
				return err
			}
		}
		for _, n := range found {
			if err := visit(n, b.depth); err != nil {
				return err
			}
		}
	}
	memo := map[any][][]pedge{}
	chains := func(n cgraph.Ref) [][]pedge {
		if cs, ok := memo[n.Key()]; ok {
			return cs
		}
		cs, _ := b.chains(n, w.lim.MaxPaths)
		memo[n.Key()] = cs
		return cs
	}
	for _, x := range xs {
		for _, y := range ys {
			if x.n.Key() == y.n.Key() || x.dist+y.dist > c.maxHops {
				continue
			}
			if err := w.check(); err != nil {
				return err
			}
			for _, cx := range chains(x.n) {
				for _, cy := range chains(y.n) {
					chain := make([]pedge, 0, len(cx)+len(cy))
					for i := len(cx) - 1; i >= 0; i-- {
						chain = append(chain, cx[i].flip())
					}
					chain = append(chain, cy...)
					if !simple(x.n, chain) {
						continue
					}
					if err := c.add(x.n, y.n, chain); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

// simple reports whether the walk from start along chain repeats no node.
func simple(start cgraph.Ref, chain []pedge) bool {
	seen := map[any]bool{start.Key(): true}
	for _, e := range chain {
		if seen[e.to.Key()] {
			return false
		}
		seen[e.to.Key()] = true
	}
	return true
}

// add records chain as a path of the pair (x, y).
func (c *connector) add(x, y cgraph.Ref, chain []pedge) error {
	k := [2]any{x.Key(), y.Key()}
	p := c.pairs[k]
	if p == nil {
		if len(c.pairs) >= c.w.lim.MaxVisited {
			return Errorf(c.w.op, Unprocessable, "more than %d pairs; narrow the query", c.w.lim.MaxVisited)
		}
		p = &pairAcc{x: x, y: y, keys: map[string]bool{}}
		c.pairs[k] = p
	}
	var b strings.Builder
	for _, e := range chain {
		b.WriteString(c.w.id(e.from) + " " + c.w.id(e.pred) + " " + string(e.dir) + " ")
	}
	key := b.String()
	if p.keys[key] {
		return nil
	}
	if len(p.chains) == c.w.lim.MaxPaths {
		p.truncated = true
		return nil
	}
	p.keys[key] = true
	p.chains = append(p.chains, chain)
	return nil
}

// render turns an accumulated pair into a Pair.
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
