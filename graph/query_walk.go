package graph

import (
	"context"
	"sort"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// walker answers the adjacency questions every query algorithm asks by
// index lookups from known nodes (qs.QuadIterator on the subject or object
// index), never a scan of the store: Cayley's optimiser speeds up lookups
// from one fixed node, and a frontier of many nodes given to its path API
// falls back to scanning. On the kv stores it asks node by node, which
// costs microseconds; on PostgreSQL every question is a round trip, so
// there the algorithms hand it a whole frontier (expandMany,
// prefetchNodes) and it asks once for all of it (read_sql.go). A walker
// lives for one query and caches what it learns about nodes; it checks ctx
// before every lookup.
type walker struct {
	ctx  context.Context
	op   string
	qs   cgraph.QuadStore
	sql  *sqlReader // PostgreSQL: asks per frontier; nil asks per node
	lim  QueryLimits
	typ  any // key of rdf:type, nil when the store has none
	lbl  any // key of rdfs:label
	alt  any // key of skos:altLabel
	vals map[any]quad.Value
	info map[any]*nodeInfo
	term map[any]termFacts // filled by prefetchTerms (SQL only)
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

// newWalker returns a walker over qs, the store's Cayley store as given to
// the function of s.read.
func (s *Store) newWalker(ctx context.Context, op string, qs cgraph.QuadStore, lim QueryLimits) *walker {
	w := &walker{ctx: ctx, op: op, qs: qs, sql: s.sqlRead, lim: lim.withDefaults(), vals: map[any]quad.Value{}, info: map[any]*nodeInfo{}, term: map[any]termFacts{}}
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
	if !ok && w.sql == nil {
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
	if w.sql != nil {
		return w.prefetchSQL(miss)
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

// batch is how many nodes the walker asks about at once: a frontier's
// worth on SQL, where each question is a round trip, and one on the kv
// stores, whose per-node index lookups are already cheap, so their work and
// the point where a limit stops it stay what they were.
func (w *walker) batch() int {
	if w.sql != nil {
		return 1024
	}
	return 1
}

// chunks calls fn with consecutive pieces of refs of at most w.batch()
// refs, until fn returns an error.
func (w *walker) chunks(refs []cgraph.Ref, fn func([]cgraph.Ref) error) error {
	for n := w.batch(); len(refs) > 0; refs = refs[min(n, len(refs)):] {
		if err := fn(refs[:min(n, len(refs))]); err != nil {
			return err
		}
	}
	return nil
}

// eachMany calls fn(i, d, q) for every quad q with rs[i] in direction d, for
// each of dirs (Subject, Object). preds, when not nil, says only quads with
// one of these predicate keys are wanted; fn may still be given others and
// must filter. On SQL it is one query for all of rs and dirs, which also
// caches the value of each quad's other end; elsewhere one index lookup per
// node and direction. Quads come in no fixed order.
func (w *walker) eachMany(dirs []quad.Direction, rs []cgraph.Ref, preds map[any]bool, fn func(i int, d quad.Direction, q cgraph.Ref)) error {
	if w.sql == nil {
		for i, r := range rs {
			for _, d := range dirs {
				if err := w.each(d, r, func(q cgraph.Ref) bool { fn(i, d, q); return true }); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := w.check(); err != nil {
		return err
	}
	at := make(map[cgraph.ValueHash][]int, len(rs))
	hs := make([]cgraph.ValueHash, 0, len(rs))
	for i, r := range rs {
		h, ok := refHash(r)
		if !ok {
			continue // not a ref of this store: no quads
		}
		if _, dup := at[h]; !dup {
			hs = append(hs, h)
		}
		at[h] = append(at[h], i)
	}
	if len(hs) == 0 {
		return nil
	}
	var ph []cgraph.ValueHash
	for k := range preds {
		if h, ok := refHash(k); ok {
			ph = append(ph, h)
		}
	}
	if preds != nil && len(ph) == 0 {
		return nil // no predicate the store knows
	}
	qs, err := w.sql.quads(w.ctx, dirs, hs, ph)
	if err != nil {
		if cerr := w.check(); cerr != nil {
			return cerr
		}
		return E(w.op, Internal, err)
	}
	for _, q := range qs {
		other := quad.Object
		if q.dir == quad.Object {
			other = quad.Subject
		}
		if q.other != nil {
			w.vals[q.quad.Get(other)] = q.other
		}
		for _, i := range at[q.quad.Get(q.dir)] {
			fn(i, q.dir, q.quad)
		}
	}
	return nil
}

// prefetchSQL resolves the values of refs in one query.
func (w *walker) prefetchSQL(refs []cgraph.Ref) error {
	hs := make([]cgraph.ValueHash, 0, len(refs))
	for _, r := range refs {
		if h, ok := refHash(r); ok {
			hs = append(hs, h)
		}
	}
	vals, err := w.sql.values(w.ctx, hs)
	if err != nil {
		if cerr := w.check(); cerr != nil {
			return cerr
		}
		return E(w.op, Internal, err)
	}
	for _, h := range hs {
		// A hash the store does not hold is remembered as nil, what
		// NameOf would say, instead of asked again one by one.
		w.vals[h] = vals[h]
	}
	return nil
}

// prefetchTerms learns, on SQL in one query, whether each of iris is known
// to the store and whether it is a class, so that resolve and isClass need
// not ask one by one. Elsewhere it does nothing: they ask the indexes.
func (w *walker) prefetchTerms(iris ...quad.IRI) error {
	if w.sql == nil {
		return nil
	}
	typ, _ := refHash(w.typ)
	var hs []cgraph.ValueHash
	for _, iri := range iris {
		if iri == "" {
			continue
		}
		if h, ok := refHash(w.ref(iri)); ok {
			hs = append(hs, h)
		}
	}
	facts, err := w.sql.terms(w.ctx, hs, typ)
	if err != nil {
		if cerr := w.check(); cerr != nil {
			return cerr
		}
		return E(w.op, Internal, err)
	}
	for h, f := range facts {
		f.class = f.class && w.typ != nil
		w.term[h] = f
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
	hs, err := w.expandMany([]cgraph.Ref{r}, d, preds)
	if err != nil {
		return nil, err
	}
	return hs[0], nil
}

// candidate is a quad found by expandMany, before filtering.
type candidate struct {
	p, n cgraph.Ref
	dir  Direction
}

// expandMany returns expand(rs[i], d, preds) for every i, asking the store
// once for all of rs where it answers in batches (SQL).
func (w *walker) expandMany(rs []cgraph.Ref, d Direction, preds map[any]bool) ([][]hop, error) {
	exp := w.expanding(rs, d, preds)
	err := w.eachMany(exp.dirs, rs, preds, func(i int, qd quad.Direction, q cgraph.Ref) {
		exp.take(w, i, qd, q)
	})
	if err != nil {
		return nil, err
	}
	if err := w.prefetch(exp.refs); err != nil {
		return nil, err
	}
	return w.expanded(rs, exp), nil
}

// expansion is an expandMany in progress.
type expansion struct {
	d     Direction
	dirs  []quad.Direction // the index directions d walks
	preds map[any]bool
	cands [][]candidate // per node
	refs  []cgraph.Ref  // refs whose values filtering and sorting need
}

func (w *walker) expanding(rs []cgraph.Ref, d Direction, preds map[any]bool) *expansion {
	e := &expansion{d: d, preds: preds, cands: make([][]candidate, len(rs))}
	if d == Out || d == Both {
		e.dirs = append(e.dirs, quad.Subject)
	}
	if d == In || d == Both {
		e.dirs = append(e.dirs, quad.Object)
	}
	return e
}

// take notes q, found with node i in direction qd, if its predicate is
// walked.
func (e *expansion) take(w *walker, i int, qd quad.Direction, q cgraph.Ref) {
	p := w.qs.QuadDirection(q, quad.Predicate)
	pk := p.Key()
	if e.preds == nil && pk == w.typ || e.preds != nil && !e.preds[pk] {
		return
	}
	other, dir := quad.Object, Out
	if qd == quad.Object {
		other, dir = quad.Subject, In
	}
	n := w.qs.QuadDirection(q, other)
	e.cands[i] = append(e.cands[i], candidate{p, n, dir})
	e.refs = append(e.refs, p, n)
}

// expanded returns the hops of each node once e's values are known.
func (w *walker) expanded(rs []cgraph.Ref, e *expansion) [][]hop {
	out := make([][]hop, len(rs))
	for i, r := range rs {
		out[i] = w.hops(r, e.d, e.cands[i])
	}
	return out
}

// hops turns the candidates found from r into expand's answer.
func (w *walker) hops(r cgraph.Ref, d Direction, cands []candidate) []hop {
	// cands may come in any order: distinct hops differ in node or
	// predicate IDs, so the sort below fixes their order alone.
	var out []hop
	type seenKey struct {
		p, n any
		d    Direction
	}
	seen := map[seenKey]bool{}
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
	return out
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
	desc := w.describing(refs)
	if len(desc.todo) == 0 {
		return nil
	}
	err := w.chunks(desc.todo, func(rs []cgraph.Ref) error {
		return w.eachMany([]quad.Direction{quad.Subject}, rs, desc.preds(w), func(i int, _ quad.Direction, q cgraph.Ref) {
			desc.take(w, rs[i], q)
		})
	})
	if err != nil {
		return err
	}
	if err := w.prefetch(desc.attrs); err != nil {
		return err
	}
	w.described(desc)
	return nil
}

// description is a prefetchNodes in progress: the nodes to describe and
// the type and label quads found of them.
type description struct {
	todo    []cgraph.Ref
	pending map[any]bool
	found   []attr
	attrs   []cgraph.Ref // refs whose values assembling needs
}

// attr is a type (isType) or label quad of node.
type attr struct {
	node, obj cgraph.Ref
	isType    bool
}

// describing starts the description of the refs not yet known.
func (w *walker) describing(refs []cgraph.Ref) *description {
	d := &description{pending: map[any]bool{}}
	for _, r := range refs {
		k := r.Key()
		if _, ok := w.info[k]; ok || d.pending[k] {
			continue
		}
		d.pending[k] = true
		d.todo = append(d.todo, r)
		d.attrs = append(d.attrs, r)
	}
	return d
}

// preds is the set of predicates a description reads.
func (d *description) preds(w *walker) map[any]bool {
	want := map[any]bool{}
	for _, k := range []any{w.typ, w.lbl} {
		if k != nil {
			want[k] = true
		}
	}
	return want
}

// take notes q, a quad with node as its subject, if it types or labels it.
func (d *description) take(w *walker, node, q cgraph.Ref) {
	switch w.qs.QuadDirection(q, quad.Predicate).Key() {
	case w.typ:
		o := w.qs.QuadDirection(q, quad.Object)
		d.found = append(d.found, attr{node, o, true})
		d.attrs = append(d.attrs, o)
	case w.lbl:
		o := w.qs.QuadDirection(q, quad.Object)
		d.found = append(d.found, attr{node, o, false})
		d.attrs = append(d.attrs, o)
	}
}

// described assembles the nodeInfo of d's nodes once its values are known.
func (w *walker) described(d *description) {
	infos := make(map[any]*nodeInfo, len(d.todo))
	best := make(map[any]*labelRank, len(d.todo))
	for _, r := range d.todo {
		infos[r.Key()] = &nodeInfo{node: Node{ID: w.id(r)}, types: map[string]bool{}}
		best[r.Key()] = &labelRank{}
	}
	for _, a := range d.found {
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
}

// describeExpand is prefetchNodes(rs) followed by expandMany(rs, d, preds),
// asked of a batching store (SQL) as one question.
func (w *walker) describeExpand(rs []cgraph.Ref, d Direction, preds map[any]bool) ([][]hop, error) {
	if w.sql == nil {
		if err := w.prefetchNodes(rs); err != nil {
			return nil, err
		}
		return w.expandMany(rs, d, preds)
	}
	desc := w.describing(rs)
	first := make(map[any]int, len(rs))
	for i := len(rs) - 1; i >= 0; i-- {
		first[rs[i].Key()] = i
	}
	exp := w.expanding(rs, d, preds)
	dirs := exp.dirs
	if d == In {
		dirs = []quad.Direction{quad.Subject, quad.Object}
	}
	var want map[any]bool // nil: every predicate
	if preds != nil {
		want = desc.preds(w)
		for k := range preds {
			want[k] = true
		}
	}
	err := w.eachMany(dirs, rs, want, func(i int, qd quad.Direction, q cgraph.Ref) {
		if qd == quad.Subject && desc.pending[rs[i].Key()] && first[rs[i].Key()] == i {
			desc.take(w, rs[i], q)
		}
		if qd == quad.Object || d != In {
			exp.take(w, i, qd, q)
		}
	})
	if err != nil {
		return nil, err
	}
	if err := w.prefetch(append(desc.attrs, exp.refs...)); err != nil {
		return nil, err
	}
	w.described(desc)
	return w.expanded(rs, exp), nil
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
	if f, ok := w.term[r.Key()]; ok {
		return f.class, nil
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
	if _, ok := w.term[r.Key()]; !ok && w.sql != nil {
		if err := w.prefetchTerms(iri); err != nil {
			return nil, err
		}
	}
	if f, ok := w.term[r.Key()]; ok {
		if f.known {
			return r, nil
		}
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
