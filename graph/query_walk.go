package graph

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
)

// This file is the engine's one shared helper: a walker that asks a
// frontier.Reader the questions every path algorithm asks (the hops of a
// frontier, the description of nodes, resolving IRIs) and caches the
// answers for one query, and the breadth-first shortest-path DAG that
// Connections and ShortestPaths both grow. The algorithms (path.go,
// query_connections.go, shortest.go, neighbourhood.go, entity.go,
// cover.go) call into this file and never into each other. Nothing here
// knows which backend answers: the reader is the store's in-memory tier or
// its backend reader.

// nid is a node, predicate or literal of the query's reader.
type nid = frontier.ID

// walker answers one query's adjacency and description questions through
// a frontier.Reader: a frontier of many nodes is asked about at once, and
// what it learns of values and nodes is cached for the query. It checks
// ctx before every read.
type walker struct {
	ctx  context.Context
	op   string
	r    frontier.Reader
	lim  QueryLimits
	typ  nid // rdf:type, zero when the store has none
	lbl  nid // rdfs:label
	alt  nid // skos:altLabel
	vals map[nid]quad.Value
	info map[nid]*nodeInfo
	// searches, when set, keeps ShortestPaths' searches between queries
	// (the Store's pool); nil allocates each afresh.
	searches *sync.Pool
}

// nodeInfo is what a walker knows of one node.
type nodeInfo struct {
	node  Node
	types []nid // its classes, IRIs only
}

// hop is one edge leaving a node: the predicate, the node at the other end
// and the direction the quad was walked.
type hop struct {
	pred, node nid
	dir        Direction
}

// querier runs fn with a walker over a reader for one query: Store.query
// in service, a reader over a few quads in the engine's tests.
type querier func(ctx context.Context, op string, lim QueryLimits, fn func(w *walker) error) error

// query runs fn with a walker over a reader of the store, closed after,
// and records how long op took. op must be a constant: it labels a metric.
func (s *Store) query(ctx context.Context, op string, lim QueryLimits, fn func(w *walker) error) error {
	defer s.metrics.observe(op, time.Now())
	r, err := s.Reader(ctx)
	if err != nil {
		var ge *Error
		if errors.As(err, &ge) {
			return E(op, ge.Kind, err)
		}
		return E(op, Internal, err)
	}
	defer r.Close()
	m, _ := s.walkerMaps.Get().(*walkerMaps)
	if m == nil {
		m = &walkerMaps{vals: make(map[nid]quad.Value, 64), info: make(map[nid]*nodeInfo, 64)}
	}
	defer func() {
		if len(m.vals) > maxPooledMap || len(m.info) > maxPooledMap {
			return // a rare big one is left to the collector
		}
		clear(m.vals)
		clear(m.info)
		s.walkerMaps.Put(m)
	}()
	w, err := newWalkerWith(ctx, op, r, lim, m)
	if err != nil {
		return err
	}
	w.searches = &s.searches
	return fn(w)
}

// walkerMaps are a walker's caches of values and nodes, which Store.query
// keeps between queries: growing them afresh was a measurable part of a
// short query such as a shortest path.
type walkerMaps struct {
	vals map[nid]quad.Value
	info map[nid]*nodeInfo
}

// maxPooledMap is the most entries a walker's map may have held and still
// be kept for the next query (clearing a map costs its size, and a pooled
// one keeps its memory).
const maxPooledMap = 4096

// newWalker returns a walker over r for one query.
func newWalker(ctx context.Context, op string, r frontier.Reader, lim QueryLimits) (*walker, error) {
	return newWalkerWith(ctx, op, r, lim, &walkerMaps{vals: map[nid]quad.Value{}, info: map[nid]*nodeInfo{}})
}

// newWalkerWith returns a walker over r caching into m's maps, which must
// be empty.
func newWalkerWith(ctx context.Context, op string, r frontier.Reader, lim QueryLimits, m *walkerMaps) (*walker, error) {
	w := &walker{ctx: ctx, op: op, r: r, lim: lim.withDefaults(), vals: m.vals, info: m.info}
	ids, err := w.lookup(frontier.RDFType, frontier.RDFSLabel, skosAltLabel)
	if err != nil {
		return nil, err
	}
	w.typ, w.lbl, w.alt = ids[0], ids[1], ids[2]
	return w, nil
}

// fail turns a reader's error into the query's: Timeout once ctx is done,
// Internal otherwise.
func (w *walker) fail(err error) error {
	if cerr := w.ctx.Err(); cerr != nil {
		return E(w.op, Timeout, cerr)
	}
	return E(w.op, Internal, err)
}

// check returns a Timeout error once ctx is done.
func (w *walker) check() error {
	if err := w.ctx.Err(); err != nil {
		return E(w.op, Timeout, err)
	}
	return nil
}

// lookup returns the IDs of vals (zero for a value the store lacks),
// remembering the values.
func (w *walker) lookup(vals ...quad.Value) ([]nid, error) {
	out := make([]nid, len(vals))
	if err := w.r.Lookup(w.ctx, vals, out); err != nil {
		return nil, w.fail(err)
	}
	for i, id := range out {
		if id != 0 {
			w.vals[id] = vals[i]
		}
	}
	return out, nil
}

// prefetch resolves the values of ids not yet known in one read.
func (w *walker) prefetch(ids []nid) error {
	var miss []nid
	for _, id := range ids {
		if _, ok := w.vals[id]; !ok && id != 0 {
			w.vals[id] = nil // pending; listed once
			miss = append(miss, id)
		}
	}
	if len(miss) == 0 {
		return nil
	}
	vals := make([]quad.Value, len(miss))
	if err := w.r.Values(w.ctx, miss, vals); err != nil {
		for _, id := range miss {
			delete(w.vals, id)
		}
		return w.fail(err)
	}
	for i, id := range miss {
		w.vals[id] = vals[i]
	}
	return nil
}

// value returns the value of id; prefetch it first to read in batches.
func (w *walker) value(id nid) quad.Value {
	if v, ok := w.vals[id]; ok {
		return v
	}
	if err := w.prefetch([]nid{id}); err != nil {
		return nil
	}
	return w.vals[id]
}

// text is the text of a node: the IRI, or "_:label" for a blank node.
func (w *walker) text(id nid) string { return termID(w.value(id)) }

func termID(v quad.Value) string {
	switch v := v.(type) {
	case quad.IRI:
		return string(v)
	case quad.BNode:
		return "_:" + string(v)
	case nil:
		return ""
	}
	return v.String()
}

// iriTeller is a frontier.Reader that tells IRIs from other terms without
// building their values (the in-memory tier's reader).
type iriTeller interface {
	IRIs(ctx context.Context, ids []frontier.ID, out []bool) error
}

// iris sets out[i] to whether ids[i] is an IRI: through the reader's
// IRIs where it has one, else from the values, read in one batch.
func (w *walker) iris(ids []nid, out []bool) error {
	if it, ok := w.r.(iriTeller); ok {
		if err := it.IRIs(w.ctx, ids, out); err != nil {
			return w.fail(err)
		}
		return nil
	}
	if err := w.prefetch(ids); err != nil {
		return err
	}
	for i, id := range ids {
		_, out[i] = w.vals[id].(quad.IRI)
	}
	return nil
}

// quads calls fn for every quad with nodes[i] in direction d, through
// predicates preds (nil: any), mapping the reader's error.
func (w *walker) quads(d quad.Direction, nodes, preds []nid, fn func(i int, q frontier.Quad) bool) error {
	if err := w.check(); err != nil {
		return err
	}
	if err := w.r.Quads(w.ctx, d, nodes, preds, fn); err != nil {
		return w.fail(err)
	}
	return w.check()
}

// predSet turns predicate IRIs into IDs; nil means any predicate. A
// predicate the store does not know matches nothing (an empty, non-nil
// set).
func (w *walker) predSet(preds []string) ([]nid, error) {
	if len(preds) == 0 {
		return nil, nil
	}
	vals := make([]quad.Value, len(preds))
	for i, p := range preds {
		vals[i] = quad.IRI(p)
	}
	ids, err := w.lookup(vals...)
	if err != nil {
		return nil, err
	}
	set := make([]nid, 0, len(ids))
	for _, id := range ids {
		if id != 0 && !slices.Contains(set, id) {
			set = append(set, id)
		}
	}
	return set, nil
}

// expandBatch is how many nodes one Quads call is asked about, bounding
// the candidates held at once.
const expandBatch = 1024

// expandMany returns, for every node of ids, its distinct edges in
// direction d through predicates preds (nil: any predicate except
// rdf:type, which is followed only when preds names it). Only nodes named
// by IRIs are reached: literals are attributes and blank nodes are parts
// of their owner. Each node's hops come sorted by node IRI, predicate IRI
// and direction (out before in), so answers do not depend on the reader's
// order.
func (w *walker) expandMany(ids []nid, d Direction, preds []nid) ([][]hop, error) {
	out := make([][]hop, len(ids))
	if preds != nil && len(preds) == 0 {
		return out, nil
	}
	for lo := 0; lo < len(ids); lo += expandBatch {
		part := ids[lo:min(lo+expandBatch, len(ids))]
		var refs []nid
		add := func(i int, p, n nid, dir Direction) {
			if preds == nil && p == w.typ {
				return
			}
			out[lo+i] = append(out[lo+i], hop{pred: p, node: n, dir: dir})
			refs = append(refs, p, n)
		}
		if d == Out || d == Both {
			if err := w.quads(quad.Subject, part, preds, func(i int, q frontier.Quad) bool { add(i, q.P, q.O, Out); return true }); err != nil {
				return nil, err
			}
		}
		if d == In || d == Both {
			if err := w.quads(quad.Object, part, preds, func(i int, q frontier.Quad) bool { add(i, q.P, q.S, In); return true }); err != nil {
				return nil, err
			}
		}
		if err := w.prefetch(refs); err != nil {
			return nil, err
		}
		for i := range part {
			out[lo+i] = w.hops(part[i], d, out[lo+i])
		}
	}
	return out, nil
}

// hops filters and sorts the candidate hops found from n.
func (w *walker) hops(n nid, d Direction, cands []hop) []hop {
	type keyed struct {
		h          hop
		node, pred string
	}
	keys := make([]keyed, 0, len(cands))
	for _, h := range cands {
		iri, ok := w.vals[h.node].(quad.IRI)
		if !ok {
			continue
		}
		if d == Both && h.dir == In && h.node == n {
			continue // a self-loop is found once, walking out
		}
		keys = append(keys, keyed{h, string(iri), termID(w.vals[h.pred])})
	}
	slices.SortFunc(keys, func(a, b keyed) int {
		if c := strings.Compare(a.node, b.node); c != 0 {
			return c
		}
		if c := strings.Compare(a.pred, b.pred); c != 0 {
			return c
		}
		return -strings.Compare(string(a.h.dir), string(b.h.dir)) // out before in
	})
	out := cands[:0]
	for i, k := range keys {
		// The same quad may be stated in several graphs: equal hops are
		// neighbours now.
		if i > 0 && k.h == keys[i-1].h {
			continue
		}
		out = append(out, k.h)
	}
	return out
}

// describe learns the Node (label and classes) of every id not yet known,
// in one Describe and one Values read.
func (w *walker) describe(ids []nid) error {
	var todo []nid
	for _, id := range ids {
		if _, ok := w.info[id]; !ok && id != 0 {
			w.info[id] = nil // pending; listed once
			todo = append(todo, id)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	facts := make([]frontier.Facts, len(todo))
	if err := w.r.Describe(w.ctx, todo, facts); err != nil {
		for _, id := range todo {
			delete(w.info, id)
		}
		return w.fail(err)
	}
	refs := append([]nid(nil), todo...)
	for _, f := range facts {
		refs = append(refs, f.Types...)
		if f.Label != 0 {
			refs = append(refs, f.Label)
		}
	}
	if err := w.prefetch(refs); err != nil {
		return err
	}
	for i, id := range todo {
		ni := &nodeInfo{node: Node{ID: w.text(id)}}
		if l := facts[i].Label; l != 0 {
			ni.node.Label = frontier.LabelText(w.vals[l])
		}
		for _, t := range facts[i].Types {
			if iri, ok := w.vals[t].(quad.IRI); ok && !slices.Contains(ni.types, t) {
				ni.types = append(ni.types, t)
				ni.node.Types = append(ni.node.Types, string(iri))
			}
		}
		sort.Strings(ni.node.Types)
		w.info[id] = ni
	}
	return nil
}

// node returns what the store says of id as a Node: label and classes.
func (w *walker) node(id nid) (*nodeInfo, error) {
	if ni := w.info[id]; ni != nil {
		return ni, nil
	}
	if err := w.describe([]nid{id}); err != nil {
		return nil, err
	}
	return w.info[id], nil
}

// nodes turns ids into Nodes.
func (w *walker) nodes(ids []nid) ([]Node, error) {
	if err := w.describe(ids); err != nil {
		return nil, err
	}
	out := make([]Node, len(ids))
	for i, id := range ids {
		out[i] = w.info[id].node
	}
	return out, nil
}

// hasType reports whether id is typed with class; zero matches every node.
func (w *walker) hasType(id, class nid) (bool, error) {
	if class == 0 {
		return true, nil
	}
	ni, err := w.node(id)
	if err != nil {
		return false, err
	}
	return slices.Contains(ni.types, class), nil
}

// resolve returns the ID of an entity or class IRI, or a NotFound error.
func (w *walker) resolve(iri quad.IRI) (nid, error) {
	ids, err := w.lookup(iri)
	if err != nil {
		return 0, err
	}
	if ids[0] == 0 {
		return 0, Errorf(w.op, NotFound, "nothing is known about %s", iri)
	}
	return ids[0], nil
}

// isClass reports whether id is used as a class: the object of some
// rdf:type quad.
func (w *walker) isClass(id nid) (bool, error) {
	if w.typ == 0 {
		return false, nil
	}
	found := false
	err := w.quads(quad.Object, []nid{id}, []nid{w.typ}, func(int, frontier.Quad) bool { found = true; return false })
	return found, err
}

// instances calls fn with each distinct instance of class (subjects of
// rdf:type class quads), in the reader's order, until fn returns false.
// fn runs inside the reader's walk, so a page from a large class stops
// reading it once full.
func (w *walker) instances(class nid, fn func(nid) (bool, error)) error {
	if w.typ == 0 || class == 0 {
		return nil
	}
	return w.distinct(quad.Object, class, w.typ, fn)
}

// distinct calls fn with each distinct subject of the quads of node in
// direction d through predicate pred, until fn returns false.
func (w *walker) distinct(d quad.Direction, node, pred nid, fn func(nid) (bool, error)) error {
	seen := map[nid]bool{}
	var ferr error
	err := w.quads(d, []nid{node}, []nid{pred}, func(_ int, q frontier.Quad) bool {
		if seen[q.S] {
			return true
		}
		seen[q.S] = true
		var more bool
		more, ferr = fn(q.S)
		return more && ferr == nil
	})
	if ferr != nil {
		return ferr
	}
	return err
}

// pedge is one edge of a path under construction, oriented along the path.
type pedge struct {
	from, to, pred nid
	dir            Direction
}

// flip returns e walked the other way.
func (e pedge) flip() pedge { return pedge{from: e.to, to: e.from, pred: e.pred, dir: e.dir.reverse()} }

// appendEdgeEnds appends the node each edge reaches to dst.
func appendEdgeEnds(dst []nid, chain []pedge) []nid {
	for _, e := range chain {
		dst = append(dst, e.to)
	}
	return dst
}

// path renders a chain of edges starting at start as a Path; describe its
// nodes first to read them in one batch.
func (w *walker) path(start nid, chain []pedge) (Path, error) {
	ids := appendEdgeEnds(append(make([]nid, 0, len(chain)+1), start), chain)
	p := Path{Edges: make([]Edge, 0, len(chain))}
	for _, e := range chain {
		p.Edges = append(p.Edges, Edge{From: w.text(e.from), To: w.text(e.to), Predicate: w.text(e.pred), Direction: e.dir})
	}
	var err error
	p.Nodes, err = w.nodes(ids)
	return p, err
}

// sortPaths orders paths by their node and predicate IDs so answers are the
// same on every backend: by the sequence node, predicate and direction,
// node, ..., each compared as a string (predicate and direction as one),
// a sequence that is a prefix of another first. Paths with equal
// sequences keep their order.
func sortPaths(ps []Path) {
	slices.SortStableFunc(ps, comparePaths)
}

// comparePaths compares two paths as sortPaths orders them, without
// building their keys (most of the cost of a shortest-path answer when it
// did).
func comparePaths(a, b Path) int {
	for i := 0; i < len(a.Nodes) && i < len(b.Nodes); i++ {
		if c := strings.Compare(a.Nodes[i].ID, b.Nodes[i].ID); c != 0 {
			return c
		}
		ea, eb := i < len(a.Edges), i < len(b.Edges)
		switch {
		case ea && eb:
			if c := compareJoined(a.Edges[i].Predicate, string(a.Edges[i].Direction), b.Edges[i].Predicate, string(b.Edges[i].Direction)); c != 0 {
				return c
			}
		case ea:
			return 1
		case eb:
			return -1
		}
	}
	return len(a.Nodes) - len(b.Nodes)
}

// compareJoined compares a1+a2 with b1+b2.
func compareJoined(a1, a2, b1, b2 string) int {
	n := min(len(a1), len(b1))
	if c := strings.Compare(a1[:n], b1[:n]); c != 0 {
		return c
	}
	// One of the firsts is a prefix of the other: the rest decides.
	switch {
	case len(a1) > n:
		return compareJoined(a1[n:], a2, b2, "")
	case len(b1) > n:
		return compareJoined(a2, "", b1[n:], b2)
	}
	return strings.Compare(a2, b2)
}

// bfs is one side of a breadth-first search: distances from its origin
// and, for each node, every edge that reached it at its distance (the
// shortest-path DAG). Connections grows one from each through-node,
// ShortestPaths one from each end.
type bfs struct {
	w        *walker
	origin   nid
	dir      Direction
	preds    []nid
	dist     map[nid]int
	parents  map[nid][]pedge
	frontier []nid
	depth    int
}

func newBFS(w *walker, origin nid, dir Direction, preds []nid) *bfs {
	return &bfs{w: w, origin: origin, dir: dir, preds: preds,
		dist: map[nid]int{origin: 0}, parents: map[nid][]pedge{}, frontier: []nid{origin}}
}

// level expands the whole frontier by one hop and returns the nodes seen
// for the first time. It fails with Unprocessable once the visited nodes
// together with extra exceed the walker's MaxVisited.
func (b *bfs) level(extra int) ([]nid, error) {
	var next []nid
	d := b.depth + 1
	hss, err := b.w.expandMany(b.frontier, b.dir, b.preds)
	if err != nil {
		return nil, err
	}
	for i, u := range b.frontier {
		for _, h := range hss[i] {
			if dk, ok := b.dist[h.node]; !ok {
				b.dist[h.node] = d
				next = append(next, h.node)
			} else if dk != d {
				continue
			}
			b.parents[h.node] = append(b.parents[h.node], pedge{from: u, to: h.node, pred: h.pred, dir: h.dir})
		}
		if len(b.dist)+extra > b.w.lim.MaxVisited {
			return nil, Errorf(b.w.op, Unprocessable, "the search would visit more than %d nodes; narrow it (fewer hops, predicates)", b.w.lim.MaxVisited)
		}
	}
	b.frontier = next
	b.depth = d
	return next, nil
}

// chains returns up to max paths from the origin to n through the DAG, each
// a list of edges from the origin, and whether more exist.
func (b *bfs) chains(n nid, max int) ([][]pedge, bool) {
	var out [][]pedge
	truncated := false
	var rec func(n nid, suffix []pedge)
	rec = func(n nid, suffix []pedge) {
		if len(out) >= max {
			truncated = true
			return
		}
		if n == b.origin {
			c := make([]pedge, len(suffix))
			for i := range suffix {
				c[i] = suffix[len(suffix)-1-i]
			}
			out = append(out, c)
			return
		}
		for _, e := range b.parents[n] {
			rec(e.from, append(suffix, e))
		}
	}
	rec(n, nil)
	return out, truncated
}
