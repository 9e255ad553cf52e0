package sparql

import (
	"context"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
	"github.com/innograph/innograph/graph/sparql/algebra"
)

// pathNode evaluates a property path pattern (section 18.4): repetitions
// (*, +, ?) and negated property sets, with the alternatives, sequences
// and inverses inside them. Repetitions have set semantics: each pair of
// nodes once. Every step is a batched reader call over the whole frontier
// of a breadth-first walk.
type pathNode struct {
	s, o  pos
	path  algebra.Path
	graph graphSpec
	label string
	// pred resolves the path's IRIs to IDs (zero: not in the store).
	pred map[quad.IRI]ID
}

// pathCtx is the graph a path is walked in.
type pathCtx struct {
	ctx context.Context
	ex  *exec
	n   *pathNode
	g   graphSpec
	gid ID // the named graph, when fixed
	// zeroLocal lets a zero-length path match a term the store does not
	// hold: a constant of the pattern does (W3C zero_or_more_set_start),
	// a value bound by VALUES does not (values_and_path).
	zeroLocal bool
}

func (pc *pathCtx) accepts(q frontier.Quad) bool { return pc.g.accepts(q.G, pc.gid) }

// newDedup drops, in one step's walk, the copies of a triple that other
// graphs of a merged default graph state: a link or negated set steps
// once per triple, not once per graph (as scanNode's dedup).
func (pc *pathCtx) newDedup() *dedup {
	on := pc.g.mode == gDefaultAll || pc.g.mode == gDefaultSet && len(pc.g.set) > 1
	return &dedup{on: on, g: &pc.g, cur: -1}
}

func (pl *planner) compilePath(op *algebra.PathPattern, g graphSpec) (node, error) {
	s, err := pl.pos(op.S)
	if err != nil {
		return nil, err
	}
	o, err := pl.pos(op.O)
	if err != nil {
		return nil, err
	}
	n := &pathNode{s: s, o: o, path: op.Path, graph: g, pred: map[quad.IRI]ID{},
		label: algebra.FormatTerm(op.S) + " " + algebra.FormatPath(op.Path) + " " + algebra.FormatTerm(op.O)}
	var walk func(p algebra.Path) error
	walk = func(p algebra.Path) error {
		var iris []quad.IRI
		switch p := p.(type) {
		case *algebra.PathLink:
			iris = []quad.IRI{p.IRI}
		case *algebra.PathNeg:
			iris = append(append(iris, p.Fwd...), p.Inv...)
		case *algebra.PathInv:
			return walk(p.P)
		case *algebra.PathSeq:
			if err := walk(p.L); err != nil {
				return err
			}
			return walk(p.R)
		case *algebra.PathAlt:
			if err := walk(p.L); err != nil {
				return err
			}
			return walk(p.R)
		case *algebra.PathZeroOrMore:
			return walk(p.P)
		case *algebra.PathOneOrMore:
			return walk(p.P)
		case *algebra.PathZeroOrOne:
			return walk(p.P)
		}
		for _, iri := range iris {
			id, err := pl.intern(iri)
			if err != nil {
				return err
			}
			if isLocal(id) {
				id = 0
			}
			n.pred[iri] = id
		}
		return nil
	}
	if err := walk(op.Path); err != nil {
		return nil, err
	}
	return n, nil
}

func (n *pathNode) explain() *Explain { return &Explain{Op: "path", Detail: n.label, Estimate: -1} }

// nodeSet is a set of IDs in insertion order.
type nodeSet struct {
	list []ID
	has  map[ID]bool
}

func (s *nodeSet) add(id ID) bool {
	if s.has == nil {
		s.has = map[ID]bool{}
	}
	if s.has[id] {
		return false
	}
	s.has[id] = true
	s.list = append(s.list, id)
	return true
}

// step calls fn(i, t) for every node t one step of p away from nodes[i]
// (forward, or backward when inv), distinct per i for everything but a
// single link or negated set (which the caller dedups when it needs).
func (pc *pathCtx) step(p algebra.Path, inv bool, nodes []ID, fn func(i int, t ID) error) error {
	if len(nodes) == 0 {
		return nil
	}
	switch p := p.(type) {
	case *algebra.PathLink:
		pid := pc.n.pred[p.IRI]
		if pid == 0 {
			return nil
		}
		dir := quad.Subject
		if inv {
			dir = quad.Object
		}
		var ferr error
		dd := pc.newDedup()
		err := pc.ex.r.Quads(pc.ctx, dir, storeOnly(nodes), []ID{pid}, func(i int, q frontier.Quad) bool {
			if !pc.accepts(q) || dd.dup(q, i, true) {
				return true
			}
			t := q.O
			if inv {
				t = q.S
			}
			if ferr = fn(i, t); ferr != nil {
				return false
			}
			return true
		})
		if ferr != nil {
			return ferr
		}
		return wrapCtx(pc.ex.op, err)
	case *algebra.PathNeg:
		fwdOK := len(p.Fwd) > 0 || len(p.Inv) == 0
		if fwdOK {
			if err := pc.negStep(p.Fwd, inv, nodes, fn); err != nil {
				return err
			}
		}
		if len(p.Inv) > 0 {
			return pc.negStep(p.Inv, !inv, nodes, fn)
		}
		return nil
	case *algebra.PathInv:
		return pc.step(p.P, !inv, nodes, fn)
	case *algebra.PathSeq:
		first, second := p.L, p.R
		if inv {
			first, second = p.R, p.L
		}
		mids := make([]nodeSet, len(nodes))
		if err := pc.step(first, inv, nodes, func(i int, t ID) error { mids[i].add(t); return nil }); err != nil {
			return err
		}
		var all nodeSet
		for i := range mids {
			for _, m := range mids[i].list {
				all.add(m)
			}
		}
		index := make(map[ID]int, len(all.list))
		for i, m := range all.list {
			index[m] = i
		}
		succ := make([]nodeSet, len(all.list))
		if err := pc.step(second, inv, all.list, func(i int, t ID) error { succ[i].add(t); return nil }); err != nil {
			return err
		}
		for i := range mids {
			var out nodeSet
			for _, m := range mids[i].list {
				for _, t := range succ[index[m]].list {
					if out.add(t) {
						if err := fn(i, t); err != nil {
							return err
						}
					}
				}
			}
		}
		return nil
	case *algebra.PathAlt:
		sets := make([]nodeSet, len(nodes))
		add := func(i int, t ID) error {
			if sets[i].add(t) {
				return fn(i, t)
			}
			return nil
		}
		if err := pc.step(p.L, inv, nodes, add); err != nil {
			return err
		}
		return pc.step(p.R, inv, nodes, add)
	case *algebra.PathZeroOrOne:
		sets := make([]nodeSet, len(nodes))
		for i, s := range nodes {
			// A zero-length path matches terms of the graph only, not a
			// term the query brings (W3C test values_and_path).
			if isLocal(s) && !pc.zeroLocal {
				continue
			}
			sets[i].add(s)
			if err := fn(i, s); err != nil {
				return err
			}
		}
		return pc.step(p.P, inv, nodes, func(i int, t ID) error {
			if sets[i].add(t) {
				return fn(i, t)
			}
			return nil
		})
	case *algebra.PathZeroOrMore:
		return pc.closure(p.P, inv, nodes, true, fn)
	case *algebra.PathOneOrMore:
		return pc.closure(p.P, inv, nodes, false, fn)
	}
	return nil
}

// storeOnly replaces the query's own terms (which the store cannot hold)
// in a frontier by zero, which matches nothing, keeping the indexes.
func storeOnly(nodes []ID) []ID {
	for _, id := range nodes {
		if isLocal(id) {
			out := make([]ID, len(nodes))
			for i, id := range nodes {
				if !isLocal(id) {
					out[i] = id
				}
			}
			return out
		}
	}
	return nodes
}

func (pc *pathCtx) negStep(excluded []quad.IRI, inv bool, nodes []ID, fn func(i int, t ID) error) error {
	ex := map[ID]bool{}
	for _, iri := range excluded {
		if id := pc.n.pred[iri]; id != 0 {
			ex[id] = true
		}
	}
	dir := quad.Subject
	if inv {
		dir = quad.Object
	}
	var ferr error
	dd := pc.newDedup()
	err := pc.ex.r.Quads(pc.ctx, dir, storeOnly(nodes), nil, func(i int, q frontier.Quad) bool {
		if ex[q.P] || !pc.accepts(q) || dd.dup(q, i, true) {
			return true
		}
		t := q.O
		if inv {
			t = q.S
		}
		if ferr = fn(i, t); ferr != nil {
			return false
		}
		return true
	})
	if ferr != nil {
		return ferr
	}
	return wrapCtx(pc.ex.op, err)
}

// closure walks p breadth first from every node at once, calling fn once
// for every node reachable from nodes[i] (nodes[i] itself first when
// zero is set, as a zero-length path allows).
func (pc *pathCtx) closure(p algebra.Path, inv bool, nodes []ID, zero bool, fn func(i int, t ID) error) error {
	seen := make([]nodeSet, len(nodes))
	frontier := make([][]ID, len(nodes))
	for i, s := range nodes {
		if zero && (!isLocal(s) || pc.zeroLocal) {
			seen[i].add(s)
			if err := fn(i, s); err != nil {
				return err
			}
		}
		frontier[i] = []ID{s}
	}
	for {
		if err := pc.ex.checkCtx(pc.ctx); err != nil {
			return err
		}
		// One reader call for the frontiers of all start nodes.
		var all nodeSet
		for i := range frontier {
			for _, f := range frontier[i] {
				all.add(f)
			}
		}
		if len(all.list) == 0 {
			return nil
		}
		index := make(map[ID]int, len(all.list))
		for i, f := range all.list {
			index[f] = i
		}
		succ := make([][]ID, len(all.list))
		err := pc.step(p, inv, all.list, func(i int, t ID) error {
			succ[i] = append(succ[i], t)
			return nil
		})
		if err != nil {
			return err
		}
		for i := range frontier {
			var next []ID
			for _, f := range frontier[i] {
				for _, t := range succ[index[f]] {
					if seen[i].add(t) {
						next = append(next, t)
						if err := fn(i, t); err != nil {
							return err
						}
					}
				}
			}
			frontier[i] = next
		}
	}
}

// graphNodes lists every node (subject or object) of the active graph:
// where a zero-length path starts when neither end is bound.
func (pc *pathCtx) graphNodes() ([]ID, error) {
	var set nodeSet
	err := pc.ex.r.All(pc.ctx, func(q frontier.Quad) bool {
		if pc.accepts(q) {
			set.add(q.S)
			set.add(q.O)
		}
		return true
	})
	return set.list, wrapCtx(pc.ex.op, err)
}

// starts lists the candidate start nodes of p when its subject is
// unbound: the subjects of its first link when p is a repetition of a
// single link, every node of the graph otherwise.
func (pc *pathCtx) starts(p algebra.Path, inv bool) ([]ID, error) {
	inner := p
	switch q := p.(type) {
	case *algebra.PathOneOrMore:
		inner = q.P
	}
	if l, ok := inner.(*algebra.PathLink); ok && inner != p {
		pid := pc.n.pred[l.IRI]
		if pid == 0 {
			return nil, nil
		}
		var set nodeSet
		err := pc.ex.r.Quads(pc.ctx, quad.Predicate, []ID{pid}, nil, func(_ int, q frontier.Quad) bool {
			if pc.accepts(q) {
				if inv {
					set.add(q.O)
				} else {
					set.add(q.S)
				}
			}
			return true
		})
		return set.list, wrapCtx(pc.ex.op, err)
	}
	return pc.graphNodes()
}

func (n *pathNode) run(ctx context.Context, ex *exec, in *batch, emit emitFn) error {
	if n.graph.mode == gNone {
		return nil
	}
	f := newFlusher(in.w, emit)
	// Rows whose graph variable is unbound are walked once per named graph.
	var graphs []ID
	if n.graph.mode == gNamed && n.graph.g.slot >= 0 {
		for i := 0; i < in.n; i++ {
			if n.graph.rowGraph(ex, in.row(i)) == 0 {
				all, err := ex.namedGraphs(ctx)
				if err != nil {
					return err
				}
				for _, g := range all {
					if n.graph.set == nil || n.graph.set[g] {
						graphs = append(graphs, g)
					}
				}
				break
			}
		}
	}
	type group struct {
		gid  ID
		rows []int
	}
	var groups []group
	if n.graph.mode == gNamed {
		byG := map[ID]int{}
		for i := 0; i < in.n; i++ {
			gs := []ID{n.graph.rowGraph(ex, in.row(i))}
			if gs[0] == 0 {
				gs = graphs
			}
			for _, g := range gs {
				k, ok := byG[g]
				if !ok {
					k = len(groups)
					byG[g] = k
					groups = append(groups, group{gid: g})
				}
				groups[k].rows = append(groups[k].rows, i)
			}
		}
	} else {
		all := make([]int, in.n)
		for i := range all {
			all[i] = i
		}
		groups = []group{{rows: all}}
	}
	for _, gr := range groups {
		pc := &pathCtx{ctx: ctx, ex: ex, n: n, g: n.graph, gid: gr.gid}
		if err := n.walk(pc, in, gr.rows, f); err != nil {
			return err
		}
	}
	return f.flush()
}

// walk evaluates the path for the given input rows within one graph.
func (n *pathNode) walk(pc *pathCtx, in *batch, rows []int, f *flusher) error {
	emitRow := func(i int, s, o ID) error {
		row := in.row(i)
		out := f.out.add(row, int32(i))
		if n.s.slot >= 0 {
			out[n.s.slot] = s
		}
		if n.o.slot >= 0 {
			out[n.o.slot] = o
		}
		if n.graph.mode == gNamed && n.graph.g.slot >= 0 {
			out[n.graph.g.slot] = pc.gid
		}
		return f.check()
	}
	// A negated property set on its own is one step: one solution per
	// matching triple, duplicates kept.
	single := false
	switch p := n.path.(type) {
	case *algebra.PathNeg:
		single = true
	case *algebra.PathInv:
		_, single = p.P.(*algebra.PathNeg)
	}
	sameVar := n.s.slot >= 0 && n.s.slot == n.o.slot
	var fwd, bwd, none []int
	for _, i := range rows {
		row := in.row(i)
		switch {
		case n.s.value(row) != 0:
			fwd = append(fwd, i)
		case n.o.value(row) != 0:
			bwd = append(bwd, i)
		default:
			none = append(none, i)
		}
	}
	run := func(idx []int, inv bool, from func(row []ID) ID, check func(row []ID) ID) error {
		if len(idx) == 0 {
			return nil
		}
		pc.zeroLocal = !inv && n.s.slot < 0 || inv && n.o.slot < 0
		var starts nodeSet
		for _, i := range idx {
			starts.add(from(in.row(i)))
		}
		results := make([][]ID, len(starts.list))
		err := pc.step(n.path, inv, starts.list, func(k int, t ID) error {
			results[k] = append(results[k], t)
			return nil
		})
		if err != nil {
			return err
		}
		pos := make(map[ID]int, len(starts.list))
		for k, s := range starts.list {
			pos[s] = k
		}
		for _, i := range idx {
			row := in.row(i)
			s := from(row)
			want := check(row)
			seen := nodeSet{}
			for _, t := range results[pos[s]] {
				if want != 0 && t != want || sameVar && t != s {
					continue
				}
				if !single && !seen.add(t) {
					continue
				}
				a, b := s, t
				if inv {
					a, b = t, s
				}
				if err := emitRow(i, a, b); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := run(fwd, false, n.s.value, n.o.value); err != nil {
		return err
	}
	if err := run(bwd, true, n.o.value, func([]ID) ID { return 0 }); err != nil {
		return err
	}
	if len(none) == 0 {
		return nil
	}
	pc.zeroLocal = false
	starts, err := pc.starts(n.path, false)
	if err != nil {
		return err
	}
	results := make([][]ID, len(starts))
	if err := pc.step(n.path, false, starts, func(k int, t ID) error {
		results[k] = append(results[k], t)
		return nil
	}); err != nil {
		return err
	}
	for _, i := range none {
		for k, s := range starts {
			for _, t := range results[k] {
				if sameVar && t != s {
					continue
				}
				if err := emitRow(i, s, t); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
