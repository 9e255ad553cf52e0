package graph

import (
	"context"
	"sort"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// walker answers the adjacency questions every query algorithm asks, with
// one index lookup per node (qs.QuadIterator on the subject or object
// index) and never a scan of the store: Cayley's optimiser speeds up lookups
// from one fixed node, and a frontier of many nodes given to its path API
// falls back to scanning. A walker lives for one query and caches what it
// learns about nodes; it checks ctx before every lookup.
type walker struct {
	ctx  context.Context
	op   string
	qs   cgraph.QuadStore
	lim  QueryLimits
	typ  any // key of rdf:type, nil when the store has none
	lbl  any // key of rdfs:label
	alt  any // key of skos:altLabel
	vals map[any]quad.Value
	info map[any]*nodeInfo
}

// nodeInfo is what a walker knows of one node.
type nodeInfo struct {
	node  Node
	types map[string]bool
}

// hop is one edge leaving a node: the predicate, the node at the other end
// and the direction the quad was walked.
type hop struct {
	pred cgraph.Ref
	node cgraph.Ref
	dir  Direction
}

func newWalker(ctx context.Context, op string, qs cgraph.QuadStore, lim QueryLimits) *walker {
	w := &walker{ctx: ctx, op: op, qs: qs, lim: lim.withDefaults(), vals: map[any]quad.Value{}, info: map[any]*nodeInfo{}}
	w.typ = w.key(rdfType)
	w.lbl = w.key(rdfsLabel)
	w.alt = w.key(skosAltLabel)
	return w
}

// key returns the comparable key of v's ref, or nil when the store does not
// know v.
func (w *walker) key(v quad.Value) any {
	r := w.qs.ValueOf(v)
	if r == nil {
		return nil
	}
	k := r.Key()
	w.vals[k] = v
	return k
}

// ref returns the store's ref of v or nil.
func (w *walker) ref(v quad.Value) cgraph.Ref {
	r := w.qs.ValueOf(v)
	if r != nil {
		w.vals[r.Key()] = v
	}
	return r
}

// check returns a Timeout error once ctx is done.
func (w *walker) check() error {
	if err := w.ctx.Err(); err != nil {
		return E(w.op, Timeout, err)
	}
	return nil
}

// value returns the quad value of r, cached.
func (w *walker) value(r cgraph.Ref) quad.Value {
	k := r.Key()
	if v, ok := w.vals[k]; ok {
		return v
	}
	v := w.qs.NameOf(r)
	w.vals[k] = v
	return v
}

// prefetch resolves the values of refs the walker has not seen, in one
// call where the store answers in batches (bolt, leveldb: one read
// transaction instead of one per value, which under concurrent queries is
// what the walk waits on), so later value and id calls hit the cache.
func (w *walker) prefetch(refs []cgraph.Ref) error {
	bq, ok := w.qs.(cgraph.BatchQuadStore)
	if !ok {
		return nil // value asks per ref
	}
	var miss []cgraph.Ref
	pending := map[any]bool{}
	for _, r := range refs {
		if r == nil {
			continue
		}
		k := r.Key()
		if _, ok := w.vals[k]; !ok && !pending[k] {
			pending[k] = true
			miss = append(miss, r)
		}
	}
	if len(miss) == 0 {
		return nil
	}
	vals, err := bq.ValuesOf(w.ctx, miss)
	if err != nil {
		if cerr := w.check(); cerr != nil {
			return cerr
		}
		return E(w.op, Internal, err)
	}
	for i, r := range miss {
		w.vals[r.Key()] = vals[i]
	}
	return nil
}

// id is the text of a node ref: the IRI, or "_:label" for a blank node.
func (w *walker) id(r cgraph.Ref) string { return termID(w.value(r)) }

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

// each calls fn for every quad with r in direction d, using the index of
// that direction, until fn returns false.
func (w *walker) each(d quad.Direction, r cgraph.Ref, fn func(q cgraph.Ref) bool) error {
	if err := w.check(); err != nil {
		return err
	}
	it := w.qs.QuadIterator(d, r)
	defer it.Close()
	for it.Next(w.ctx) {
		if !fn(it.Result()) {
			break
		}
	}
	if err := w.check(); err != nil {
		return err
	}
	if err := it.Err(); err != nil {
		return E(w.op, Internal, err)
	}
	return nil
}

// predSet turns predicate IRIs into a set of keys; nil means any predicate.
// A predicate the store does not know matches nothing.
func (w *walker) predSet(preds []string) map[any]bool {
	if len(preds) == 0 {
		return nil
	}
	set := make(map[any]bool, len(preds))
	for _, p := range preds {
		if k := w.key(quad.IRI(p)); k != nil {
			set[k] = true
		}
	}
	return set
}

// expand returns the distinct edges leaving r in direction d through
// predicates preds (nil: any predicate except rdf:type, which is followed
// only when preds names it). Only nodes named by IRIs are reached:
// literals are attributes and blank nodes are parts of their owner. The
// hops come sorted by node and predicate so answers do not depend on the
// backend's order.
func (w *walker) expand(r cgraph.Ref, d Direction, preds map[any]bool) ([]hop, error) {
	var out []hop
	type seenKey struct {
		p, n any
		d    Direction
	}
	seen := map[seenKey]bool{}
	type cand struct {
		p, n cgraph.Ref
		dir  Direction
	}
	var cands []cand
	var refs []cgraph.Ref
	walk := func(idx, other quad.Direction, dir Direction) error {
		return w.each(idx, r, func(q cgraph.Ref) bool {
			p := w.qs.QuadDirection(q, quad.Predicate)
			pk := p.Key()
			if preds == nil && pk == w.typ || preds != nil && !preds[pk] {
				return true
			}
			n := w.qs.QuadDirection(q, other)
			cands = append(cands, cand{p, n, dir})
			refs = append(refs, p, n)
			return true
		})
	}
	if d == Out || d == Both {
		if err := walk(quad.Subject, quad.Object, Out); err != nil {
			return nil, err
		}
	}
	if d == In || d == Both {
		if err := walk(quad.Object, quad.Subject, In); err != nil {
			return nil, err
		}
	}
	if err := w.prefetch(refs); err != nil {
		return nil, err
	}
	for _, c := range cands {
		if _, ok := w.value(c.n).(quad.IRI); !ok {
			continue
		}
		k := seenKey{c.p.Key(), c.n.Key(), c.dir}
		if d == Both && c.dir == In && k.n == r.Key() {
			continue // a self-loop is found once, walking out
		}
		if !seen[k] { // the same quad may be stated in several graphs
			seen[k] = true
			out = append(out, hop{pred: c.p, node: c.n, dir: c.dir})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if na, nb := w.id(a.node), w.id(b.node); na != nb {
			return na < nb
		}
		if pa, pb := w.id(a.pred), w.id(b.pred); pa != pb {
			return pa < pb
		}
		return a.dir > b.dir // out before in
	})
	return out, nil
}

// node returns what the store says of r as a Node: label and classes.
func (w *walker) node(r cgraph.Ref) (*nodeInfo, error) {
	if ni, ok := w.info[r.Key()]; ok {
		return ni, nil
	}
	if err := w.prefetchNodes([]cgraph.Ref{r}); err != nil {
		return nil, err
	}
	return w.info[r.Key()], nil
}

// prefetchNodes builds the nodeInfo of every ref not yet known: it reads
// each node's type and label quads, then resolves all their values (and
// the nodes' own) in one batch before assembling them.
func (w *walker) prefetchNodes(refs []cgraph.Ref) error {
	type attr struct {
		node, obj cgraph.Ref
		isType    bool
	}
	var attrs, todo []cgraph.Ref
	var found []attr
	pending := map[any]bool{}
	for _, r := range refs {
		k := r.Key()
		if _, ok := w.info[k]; ok || pending[k] {
			continue
		}
		pending[k] = true
		todo = append(todo, r)
		attrs = append(attrs, r)
		err := w.each(quad.Subject, r, func(q cgraph.Ref) bool {
			switch w.qs.QuadDirection(q, quad.Predicate).Key() {
			case w.typ:
				o := w.qs.QuadDirection(q, quad.Object)
				found = append(found, attr{r, o, true})
				attrs = append(attrs, o)
			case w.lbl:
				o := w.qs.QuadDirection(q, quad.Object)
				found = append(found, attr{r, o, false})
				attrs = append(attrs, o)
			}
			return true
		})
		if err != nil {
			return err
		}
	}
	if len(todo) == 0 {
		return nil
	}
	if err := w.prefetch(attrs); err != nil {
		return err
	}
	infos := make(map[any]*nodeInfo, len(todo))
	best := make(map[any]*labelRank, len(todo))
	for _, r := range todo {
		infos[r.Key()] = &nodeInfo{node: Node{ID: w.id(r)}, types: map[string]bool{}}
		best[r.Key()] = &labelRank{}
	}
	for _, a := range found {
		k := a.node.Key()
		ni := infos[k]
		if a.isType {
			if t, ok := w.value(a.obj).(quad.IRI); ok && !ni.types[string(t)] {
				ni.types[string(t)] = true
				ni.node.Types = append(ni.node.Types, string(t))
			}
			continue
		}
		best[k].offer(w.value(a.obj))
	}
	for k, ni := range infos {
		sort.Strings(ni.node.Types)
		ni.node.Label = best[k].text
		w.info[k] = ni
	}
	return nil
}

// hasType reports whether r is typed with class; "" matches every node.
func (w *walker) hasType(r cgraph.Ref, class string) (bool, error) {
	if class == "" {
		return true, nil
	}
	ni, err := w.node(r)
	if err != nil {
		return false, err
	}
	return ni.types[class], nil
}

// isClass reports whether v is used as a class: the object of some
// rdf:type quad.
func (w *walker) isClass(r cgraph.Ref) (bool, error) {
	if w.typ == nil {
		return false, nil
	}
	found := false
	err := w.each(quad.Object, r, func(q cgraph.Ref) bool {
		found = w.qs.QuadDirection(q, quad.Predicate).Key() == w.typ
		return !found
	})
	return found, err
}

// instances calls fn with each distinct instance of class (subjects of
// rdf:type class quads), in index order, until fn returns false.
func (w *walker) instances(class cgraph.Ref, fn func(cgraph.Ref) (bool, error)) error {
	if w.typ == nil {
		return nil
	}
	seen := map[any]bool{}
	var ferr error
	err := w.each(quad.Object, class, func(q cgraph.Ref) bool {
		if w.qs.QuadDirection(q, quad.Predicate).Key() != w.typ {
			return true
		}
		s := w.qs.QuadDirection(q, quad.Subject)
		if seen[s.Key()] {
			return true
		}
		seen[s.Key()] = true
		var more bool
		more, ferr = fn(s)
		return more && ferr == nil
	})
	if ferr != nil {
		return ferr
	}
	return err
}

// labelRank picks one label: English first, then untagged, then the
// smallest language tag; ties go to the smallest text.
type labelRank struct {
	text string
	rank string
	set  bool
}

func (l *labelRank) offer(v quad.Value) {
	var text, lang string
	switch v := v.(type) {
	case quad.String:
		text = string(v)
	case quad.LangString:
		text, lang = string(v.Value), strings.ToLower(v.Lang)
	case quad.TypedString:
		text = string(v.Value)
	default:
		return
	}
	rank := "2" + lang
	switch {
	case lang == "en" || strings.HasPrefix(lang, "en-"):
		rank = "0" + lang
	case lang == "":
		rank = "1"
	}
	if !l.set || rank < l.rank || rank == l.rank && text < l.text {
		l.text, l.rank, l.set = text, rank, true
	}
}

// nodes turns refs into Nodes.
func (w *walker) nodes(refs []cgraph.Ref) ([]Node, error) {
	if err := w.prefetchNodes(refs); err != nil {
		return nil, err
	}
	out := make([]Node, len(refs))
	for i, r := range refs {
		ni, err := w.node(r)
		if err != nil {
			return nil, err
		}
		out[i] = ni.node
	}
	return out, nil
}

// edge renders a hop from r as an Edge.
func (w *walker) edge(from cgraph.Ref, h hop) Edge {
	return Edge{From: w.id(from), To: w.id(h.node), Predicate: w.id(h.pred), Direction: h.dir}
}

// resolve returns the ref of an entity or class IRI, or a NotFound error.
func (w *walker) resolve(iri quad.IRI) (cgraph.Ref, error) {
	r := w.ref(iri)
	if r == nil {
		return nil, Errorf(w.op, NotFound, "nothing is known about %s", iri)
	}
	// SQL backends hand out refs (hashes) for values they do not hold.
	for _, d := range []quad.Direction{quad.Subject, quad.Object} {
		found := false
		if err := w.each(d, r, func(cgraph.Ref) bool { found = true; return false }); err != nil {
			return nil, err
		}
		if found {
			return r, nil
		}
	}
	return nil, Errorf(w.op, NotFound, "nothing is known about %s", iri)
}
