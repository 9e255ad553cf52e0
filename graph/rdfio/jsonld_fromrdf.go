package rdfio

import (
	"sort"

	"github.com/cayleygraph/quad"
)

// The Serialize RDF as JSON-LD algorithm (JSON-LD 1.1 API 8.4.2), over an
// index of the dataset instead of one node map per graph, so that the
// writer can compact and write one top-level node at a time: the dataset's
// quads are held, the JSON of one node at a time. Lists are recognised
// across the whole dataset (a list node referenced from another graph
// keeps its identity), as the algorithm's "referenced once" map demands.

// rdfKey names one quad by its terms' JSON-LD ids (graph "@default").
type rdfKey struct{ g, s, p, o string }

// rdfIndexed is a quad with its sort key.
type rdfIndexed struct {
	key rdfKey
	q   quad.Quad
}

// rdfTermKey is the sort key of a term: the id of a resource, the N-Quads
// form of a literal.
func rdfTermKey(v quad.Value) string {
	if isResource(v) {
		return ldID(v)
	}
	return v.String()
}

// rdfSink receives the serialised dataset: top-level nodes in order; after
// a node whose hasGraph is set, the nodes of the graph it names, then end.
type rdfSink interface {
	top(node map[string]any, hasGraph bool) error
	inner(node map[string]any) error
	end() error
}

// rdfPlan is what the list and compound-literal passes decided.
type rdfPlan struct {
	idx      []rdfIndexed
	ranges   map[string]map[string][2]int // graph -> subject -> quads [start, end)
	graphs   []string                     // named graphs, sorted
	lists    map[rdfKey][]rdfKey          // a head value -> the rdf:first quads of its items
	compound map[rdfKey]map[string]any    // a reference -> the value object replacing it
	folded   map[[2]string]bool           // (graph, node) removed from the output
	opt      rdfOptions
}

// planFromRDF indexes qs (normalised quads, nil Label for the default
// graph) and runs the list conversion's bookkeeping.
func (p *ldProc) planFromRDF(qs []quad.Quad, opt rdfOptions) (*rdfPlan, error) {
	pl := &rdfPlan{ranges: map[string]map[string][2]int{}, lists: map[rdfKey][]rdfKey{},
		compound: map[rdfKey]map[string]any{}, folded: map[[2]string]bool{}, opt: opt}
	idx := make([]rdfIndexed, len(qs))
	for i, q := range qs {
		g := "@default"
		if q.Label != nil {
			g = ldID(q.Label)
		}
		idx[i] = rdfIndexed{key: rdfKey{g, ldID(q.Subject), string(q.Predicate.(quad.IRI)), rdfTermKey(q.Object)}, q: q}
	}
	sort.SliceStable(idx, func(i, j int) bool {
		a, b := idx[i].key, idx[j].key
		if a.g != b.g {
			if a.g == "@default" || b.g == "@default" {
				return a.g == "@default"
			}
			return a.g < b.g
		}
		if a.s != b.s {
			return a.s < b.s
		}
		if a.p != b.p {
			return a.p < b.p
		}
		return a.o < b.o
	})
	// Drop duplicate quads: a dataset is a set.
	out := idx[:0]
	for i, e := range idx {
		if i > 0 && e.key == idx[i-1].key && e.q.Object == idx[i-1].q.Object {
			continue
		}
		out = append(out, e)
	}
	idx = out
	pl.idx = idx
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && idx[j].key.g == idx[i].key.g && idx[j].key.s == idx[i].key.s {
			j++
		}
		g := idx[i].key.g
		if pl.ranges[g] == nil {
			pl.ranges[g] = map[string][2]int{}
			if g != "@default" {
				pl.graphs = append(pl.graphs, g)
			}
		}
		pl.ranges[g][idx[i].key.s] = [2]int{i, j}
		i = j
	}
	// References to blank nodes, dataset-wide, and the uses of rdf:nil.
	refs := map[string]int{}
	firstUse := map[string]rdfKey{}
	var nilUses []rdfKey
	compoundSubj := map[[2]string]bool{}
	for _, e := range idx {
		k := e.key
		if opt.rdfDirection == "compound-literal" && k.p == rdfNS+"direction" {
			compoundSubj[[2]string{k.g, k.s}] = true
		}
		if k.p == rdfNS+"type" && !opt.useRdfType && isResource(e.q.Object) {
			continue
		}
		switch {
		case k.o == rdfNS+"nil" && isResource(e.q.Object):
			nilUses = append(nilUses, k)
		case isBlankID(k.o) && isResource(e.q.Object):
			refs[k.o]++
			if refs[k.o] == 1 {
				firstUse[k.o] = k
			}
		}
	}
	for gs := range compoundSubj {
		cl := gs[1]
		if refs[cl] != 1 {
			continue
		}
		use := firstUse[cl]
		r := pl.ranges[gs[0]][cl]
		v := map[string]any{}
		for _, e := range idx[r[0]:r[1]] {
			lit, ok := e.q.Object.(quad.String)
			switch e.key.p {
			case rdfNS + "value":
				v["@value"] = lexicalOf(e.q.Object)
			case rdfNS + "language":
				if !ok || !wellFormedLang(string(lit)) {
					return nil, ldErr("invalid language-tagged string", "%v", e.q.Object)
				}
				v["@language"] = string(lit)
			case rdfNS + "direction":
				if !ok || lit != "ltr" && lit != "rtl" {
					return nil, ldErr("invalid base direction", "%v", e.q.Object)
				}
				v["@direction"] = string(lit)
			}
		}
		pl.compound[use] = v
		pl.folded[gs] = true
	}
	for _, use := range nilUses {
		g := use.g
		node, prop, head := use.s, use.p, use
		var items []rdfKey
		// JSON-LD 1.0 has no lists of lists: there a node that is itself
		// the item of a list (referenced by rdf:first) stays a node.
		for prop == rdfNS+"rest" && isBlankID(node) && refs[node] == 1 && !(p.mode == ldMode10 && firstUse[node].p == rdfNS+"first") {
			first, ok := pl.listNode(g, node)
			if !ok {
				break
			}
			items = append(items, first)
			pl.folded[[2]string{g, node}] = true
			nu := firstUse[node]
			if nu.g != g {
				break
			}
			head = nu
			node, prop = nu.s, nu.p
			if !isBlankID(node) {
				break
			}
		}
		for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
			items[i], items[j] = items[j], items[i]
		}
		if items == nil {
			items = []rdfKey{}
		}
		pl.lists[head] = items
	}
	return pl, nil
}

// listNode reports whether node is a well-formed list node in graph g (one
// rdf:first, one rdf:rest, at most an rdf:type rdf:List besides) and
// returns its rdf:first quad.
func (pl *rdfPlan) listNode(g, node string) (rdfKey, bool) {
	r, ok := pl.ranges[g][node]
	if !ok {
		return rdfKey{}, false
	}
	var first rdfKey
	nFirst, nRest := 0, 0
	for _, e := range pl.idx[r[0]:r[1]] {
		switch {
		case e.key.p == rdfNS+"first":
			nFirst++
			first = e.key
		case e.key.p == rdfNS+"rest":
			nRest++
		case e.key.p == rdfNS+"type" && !pl.opt.useRdfType && e.key.o == rdfNS+"List":
		default:
			return rdfKey{}, false
		}
	}
	return first, nFirst == 1 && nRest == 1
}

// lexicalOf is the lexical form of a literal.
func lexicalOf(v quad.Value) string {
	switch t := v.(type) {
	case quad.String:
		return string(t)
	case quad.LangString:
		return string(t.Value)
	case quad.TypedString:
		return string(t.Value)
	}
	return v.String()
}

// value converts the object of the quad named k.
func (p *ldProc) planValue(pl *rdfPlan, k rdfKey, o quad.Value) (map[string]any, error) {
	if items, ok := pl.lists[k]; ok {
		list := make([]any, 0, len(items))
		for _, it := range items {
			v, err := p.planValue(pl, it, pl.object(it))
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		return map[string]any{"@list": list}, nil
	}
	if v, ok := pl.compound[k]; ok {
		return ldClone(v).(map[string]any), nil
	}
	return p.rdfToObject(o, pl.opt)
}

// object finds the object of the quad named k.
func (pl *rdfPlan) object(k rdfKey) quad.Value {
	r := pl.ranges[k.g][k.s]
	for _, e := range pl.idx[r[0]:r[1]] {
		if e.key == k {
			return e.q.Object
		}
	}
	return nil
}

// node builds the node object of subject s in graph g.
func (p *ldProc) planNode(pl *rdfPlan, g, s string) (map[string]any, error) {
	node := map[string]any{"@id": s}
	r, ok := pl.ranges[g][s]
	if !ok {
		return node, nil
	}
	for _, e := range pl.idx[r[0]:r[1]] {
		if e.key.p == rdfNS+"type" && !pl.opt.useRdfType && isResource(e.q.Object) {
			appendUnique(node, "@type", e.key.o)
			continue
		}
		v, err := p.planValue(pl, e.key, e.q.Object)
		if err != nil {
			return nil, err
		}
		arr, _ := node[e.key.p].([]any)
		node[e.key.p] = append(arr, v)
	}
	return node, nil
}

// emitFromRDF feeds the serialised dataset to sink, top-level nodes in
// order of @id (named graphs among them).
func (p *ldProc) emitFromRDF(pl *rdfPlan, sink rdfSink) error {
	tops := make([]string, 0, len(pl.ranges["@default"])+len(pl.graphs))
	for s := range pl.ranges["@default"] {
		tops = append(tops, s)
	}
	for _, g := range pl.graphs {
		if _, ok := pl.ranges["@default"][g]; !ok {
			tops = append(tops, g)
		}
	}
	sort.Strings(tops)
	for _, id := range tops {
		if pl.folded[[2]string{"@default", id}] {
			continue
		}
		node, err := p.planNode(pl, "@default", id)
		if err != nil {
			return err
		}
		_, isGraph := pl.ranges[id]
		isGraph = isGraph && id != "@default"
		if !isGraph {
			if onlyID(node) {
				continue
			}
			if err := sink.top(node, false); err != nil {
				return err
			}
			if err := sink.end(); err != nil {
				return err
			}
			continue
		}
		if err := sink.top(node, true); err != nil {
			return err
		}
		subjects := make([]string, 0, len(pl.ranges[id]))
		for s := range pl.ranges[id] {
			subjects = append(subjects, s)
		}
		sort.Strings(subjects)
		for _, s := range subjects {
			if pl.folded[[2]string{id, s}] {
				continue
			}
			n, err := p.planNode(pl, id, s)
			if err != nil {
				return err
			}
			if onlyID(n) {
				continue
			}
			if err := sink.inner(n); err != nil {
				return err
			}
		}
		if err := sink.end(); err != nil {
			return err
		}
	}
	return nil
}

// collectSink gathers the serialisation as the algorithm's array.
type collectSink struct {
	out []any
	cur map[string]any
}

func (c *collectSink) top(n map[string]any, hasGraph bool) error {
	if hasGraph {
		n["@graph"] = []any{}
	}
	c.cur = n
	c.out = append(c.out, n)
	return nil
}

func (c *collectSink) inner(n map[string]any) error {
	c.cur["@graph"] = append(c.cur["@graph"].([]any), n)
	return nil
}

func (c *collectSink) end() error { return nil }

// fromRDF is the Serialize RDF as JSON-LD algorithm returning the
// expanded array.
func (p *ldProc) fromRDF(qs []quad.Quad, opt rdfOptions) ([]any, error) {
	pl, err := p.planFromRDF(qs, opt)
	if err != nil {
		return nil, err
	}
	c := &collectSink{out: []any{}}
	if err := p.emitFromRDF(pl, c); err != nil {
		return nil, err
	}
	return c.out, nil
}
