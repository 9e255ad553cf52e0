package sparql

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
	"github.com/innograph/innograph/graph/sparql/algebra"
)

// node is a physical operator. run evaluates it once for every row of in,
// with that row's bindings injected (a bind join): every row it emits
// extends one input row, and its src is that row's index in in. Nodes
// stream: they emit full batches as they fill and keep nothing between
// calls except what materialising nodes (sort, group, hash join) hold.
type node interface {
	run(ctx context.Context, ex *exec, in *batch, emit emitFn) error
	explain() *Explain
}

// env describes the input rows a node will be run with: the variables
// they may bind, those they certainly bind, and whether the input is
// exactly one empty row (the root of a plan).
type env struct {
	maybe, certain map[algebra.Var]bool
	unit           bool
	// subst is set inside EXISTS: the input row's bindings are substituted
	// into every part of the pattern (section 18.6), never joined after.
	subst bool
	// setSem is set where duplicate solutions do not matter (ASK, under
	// DISTINCT, inside EXISTS): a join may then drop the variables no one
	// reads any more (needed lists those the consumers read) and the
	// duplicates that leaves, so a chain of path steps walks a frontier
	// of distinct nodes instead of every path.
	setSem bool
	needed map[algebra.Var]bool
}

// sem returns e for a child whose duplicates do or do not matter
// (keep), reading the given variables besides what e's consumers read.
func (e env) sem(keep bool, extra func(func(algebra.Var))) env {
	if !keep || !e.setSem {
		e.setSem, e.needed = false, nil
		return e
	}
	n := map[algebra.Var]bool{}
	for v := range e.needed {
		n[v] = true
	}
	if extra != nil {
		extra(func(v algebra.Var) { n[v] = true })
	}
	e.needed = n
	return e
}

func unitEnv() env {
	return env{maybe: map[algebra.Var]bool{}, certain: map[algebra.Var]bool{}, unit: true}
}

func (e env) with(s algebra.Scope, certain bool) env {
	n := env{maybe: map[algebra.Var]bool{}, certain: map[algebra.Var]bool{}, subst: e.subst, setSem: e.setSem, needed: e.needed}
	for v := range e.maybe {
		n.maybe[v] = true
	}
	for v := range e.certain {
		n.certain[v] = true
	}
	for v := range s.Maybe {
		n.maybe[v] = true
		if certain && s.Certain[v] {
			n.certain[v] = true
		}
	}
	return n
}

// planner compiles a query's algebra into nodes for one reader.
type planner struct {
	ctx    context.Context
	ex     *exec
	slots  map[algebra.Var]int
	vars   []algebra.Var
	def    graphSpec   // the default graph
	named  map[ID]bool // the named graphs (nil: every graph of the store)
	counts map[frontier.Quad]int64
	params int // graph parameters handed out (see graphLoopNode)
}

func newPlanner(ctx context.Context, ex *exec) *planner {
	return &planner{ctx: ctx, ex: ex, slots: map[algebra.Var]int{}, counts: map[frontier.Quad]int64{}}
}

func (pl *planner) slot(v algebra.Var) int {
	if s, ok := pl.slots[v]; ok {
		return s
	}
	s := len(pl.vars)
	pl.slots[v] = s
	pl.vars = append(pl.vars, v)
	return s
}

// assignSlots gives every variable of op a slot before compilation, so
// that the row width is known.
func (pl *planner) assignSlots(op algebra.Op) {
	algebra.OpVars(op, func(v algebra.Var) { pl.slot(v) })
}

func (pl *planner) width() int { return len(pl.vars) }

// intern resolves a constant of the query to its ID.
func (pl *planner) intern(v quad.Value) (ID, error) {
	return pl.ex.d.intern(pl.ctx, v)
}

// setDataset resolves the dataset's graph names to IDs.
func (pl *planner) setDataset(ds Dataset) error {
	pl.def = graphSpec{mode: gDefaultAll}
	if !ds.Default.All {
		pl.def = graphSpec{mode: gDefaultSet, set: map[ID]bool{}}
		if ds.Default.Unnamed {
			pl.def.set[0] = true
		}
		for _, g := range ds.Default.Graphs {
			id, err := pl.intern(g)
			if err != nil {
				return err
			}
			if !isLocal(id) {
				pl.def.set[id] = true
			}
		}
		if len(pl.def.set) == 0 {
			pl.def.mode = gNone
		}
	}
	if !ds.Named.All {
		pl.named = map[ID]bool{}
		for _, g := range ds.Named.Graphs {
			id, err := pl.intern(g)
			if err != nil {
				return err
			}
			if !isLocal(id) {
				pl.named[id] = true
			}
		}
	}
	return nil
}

// count returns the reader's estimate for a pattern of constants
// (zero: any), remembered for the query.
func (pl *planner) count(q frontier.Quad) int64 {
	if n, ok := pl.counts[q]; ok {
		return n
	}
	n, _, err := pl.ex.r.Count(pl.ctx, q)
	if err != nil {
		n = 1 << 20
	}
	pl.counts[q] = n
	return n
}

func (pl *planner) pos(t algebra.Term) (pos, error) {
	if t.IsVar() {
		return pos{slot: pl.slot(t.Var)}, nil
	}
	id, err := pl.intern(t.Value)
	return pos{slot: -1, id: id}, err
}

// compile returns the node evaluating op for input rows described by e.
func (pl *planner) compile(op algebra.Op, g graphSpec, e env) (node, error) {
	if !e.unit && !e.subst && !pipelineSafe(op, e.maybe) {
		// Evaluate op on its own (bottom-up, as the algebra defines it)
		// and join its solutions with the input rows.
		child, err := pl.compile(op, g, unitEnv())
		if err != nil {
			return nil, err
		}
		return pl.hashJoin(child, algebra.InScope(op), e), nil
	}
	if e.subst {
		switch op.(type) {
		case *algebra.Group, *algebra.Slice, *algebra.OrderBy, *algebra.Distinct, *algebra.Reduced, *algebra.Service:
			child, err := pl.compile(op, g, unitEnv())
			if err != nil {
				return nil, err
			}
			return pl.hashJoin(child, algebra.InScope(op), e), nil
		}
	}
	switch op := op.(type) {
	case *algebra.BGP, *algebra.Join, *algebra.PathPattern, *algebra.Filter:
		var items []algebra.Op
		var filters []algebra.Expr
		flatten(op, &items, &filters, true)
		return pl.compileJoin(items, filters, g, e)
	case *algebra.LeftJoin:
		return pl.compileLeftJoin(op, g, e)
	case *algebra.Union:
		l, err := pl.compile(op.L, g, e)
		if err != nil {
			return nil, err
		}
		r, err := pl.compile(op.R, g, e)
		if err != nil {
			return nil, err
		}
		return &unionNode{l: l, r: r}, nil
	case *algebra.Graph:
		return pl.compileGraph(op, g, e)
	case *algebra.Extend:
		// A chain of BINDs (SELECT expressions) is one node: each row is
		// extended by every expression in turn, and BNODE(str) gives the
		// same blank node throughout one solution.
		var chain []*algebra.Extend
		var inner algebra.Op = op
		for {
			x, ok := inner.(*algebra.Extend)
			if !ok {
				break
			}
			chain = append(chain, x)
			inner = x.Op
		}
		ce := e.sem(true, func(f func(algebra.Var)) {
			for _, x := range chain {
				algebra.ExprVars(x.Expr, f)
			}
		})
		child, err := pl.compile(inner, g, ce)
		if err != nil {
			return nil, err
		}
		n := &extendNode{child: child}
		var exprs []algebra.Expr
		var labels []string
		for i := len(chain) - 1; i >= 0; i-- {
			x := chain[i]
			n.slots = append(n.slots, pl.slot(x.Var))
			exprs = append(exprs, x.Expr)
			labels = append(labels, "?"+string(x.Var)+" = "+algebra.FormatExpr(x.Expr))
		}
		n.exprs, err = pl.exprSet(g, e.with(algebra.InScope(op), false), exprs...)
		if err != nil {
			return nil, err
		}
		n.label = strings.Join(labels, ", ")
		return n, nil
	case *algebra.Minus:
		return pl.compileMinus(op, g, e.sem(true, func(f func(algebra.Var)) { algebra.OpVars(op.R, f) }))
	case *algebra.Values:
		return pl.compileValues(op)
	case *algebra.Service:
		if !op.Silent {
			return nil, errorf(pl.ex.op, Unsupported, "SERVICE is not supported: this service does not query other endpoints")
		}
		return &unitNode{}, nil
	case *algebra.Group:
		return pl.compileGroup(op, g)
	case *algebra.OrderBy:
		child, err := pl.compile(op.Op, g, e.sem(true, func(f func(algebra.Var)) {
			for _, c := range op.Conds {
				algebra.ExprVars(c.Expr, f)
			}
		}))
		if err != nil {
			return nil, err
		}
		n := &orderNode{child: child, limit: -1}
		ce := e.with(algebra.InScope(op.Op), true)
		for _, c := range op.Conds {
			es, err := pl.exprSet(g, ce, c.Expr)
			if err != nil {
				return nil, err
			}
			n.keys = append(n.keys, es)
			n.desc = append(n.desc, c.Desc)
		}
		return n, nil
	case *algebra.Project:
		ce := e
		if e.setSem {
			// The sub-pattern's consumers read only what is projected.
			ce.needed = map[algebra.Var]bool{}
			for _, v := range op.Vars {
				if e.needed[v] {
					ce.needed[v] = true
				}
			}
		}
		child, err := pl.compile(op.Op, g, ce)
		if err != nil {
			return nil, err
		}
		keep := map[algebra.Var]bool{}
		for _, v := range op.Vars {
			keep[v] = true
		}
		n := &projectNode{child: child}
		for v := range algebra.InScope(op.Op).Maybe {
			if !keep[v] && !e.maybe[v] {
				n.drop = append(n.drop, pl.slot(v))
			}
		}
		sort.Ints(n.drop)
		for _, v := range op.Vars {
			n.label = append(n.label, "?"+string(v))
		}
		return n, nil
	case *algebra.Distinct:
		child, err := pl.compile(op.Op, g, distinctEnv(e, op.Op))
		if err != nil {
			return nil, err
		}
		if distinctRows(child) {
			return child, nil
		}
		return &distinctNode{child: child, slots: pl.scopeSlots(op.Op)}, nil
	case *algebra.Reduced:
		child, err := pl.compile(op.Op, g, distinctEnv(e, op.Op))
		if err != nil {
			return nil, err
		}
		return &distinctNode{child: child, slots: pl.scopeSlots(op.Op), reduced: true}, nil
	case *algebra.Slice:
		child, err := pl.compile(op.Op, g, e.sem(false, nil))
		if err != nil {
			return nil, err
		}
		inner := child
		if p, ok := inner.(*projectNode); ok {
			inner = p.child
		}
		if o, ok := inner.(*orderNode); ok && op.Limit >= 0 {
			o.limit = op.Offset + op.Limit
		}
		return &sliceNode{child: child, offset: op.Offset, limit: op.Limit}, nil
	}
	return nil, errorf(pl.ex.op, Internal, "unknown operator %T", op)
}

// distinctRows reports whether n's rows are distinct per input row by
// construction, so DISTINCT over it has nothing to drop: a chain binding
// its far end (each node reached once), under projections that keep it.
func distinctRows(n node) bool {
	var dropped []int
	for {
		switch c := n.(type) {
		case *projectNode:
			dropped = append(dropped, c.drop...)
			n = c.child
		case *chainNode:
			return c.end.slot >= 0 && !slices.Contains(dropped, c.end.slot)
		default:
			return false
		}
	}
}

// distinctEnv is the environment under DISTINCT or REDUCED: duplicates do
// not matter, and the consumers read every variable the child binds.
func distinctEnv(e env, child algebra.Op) env {
	e.setSem = true
	e.needed = map[algebra.Var]bool{}
	for v := range algebra.InScope(child).Maybe {
		e.needed[v] = true
	}
	return e
}

// scopeSlots lists the slots of the variables op may bind, sorted.
func (pl *planner) scopeSlots(op algebra.Op) []int {
	var out []int
	for v := range algebra.InScope(op).Maybe {
		out = append(out, pl.slot(v))
	}
	sort.Ints(out)
	return out
}

// pipelineSafe reports whether evaluating op with the bindings of input
// rows injected (variables maybe) gives the same solutions as evaluating
// it alone and joining: true when every expression and every optional or
// negated part of op only reads injected variables that op itself binds
// for certain, and op holds no operator that looks at all its solutions
// at once (grouping, ordering, slicing, duplicate removal).
func pipelineSafe(op algebra.Op, maybe map[algebra.Var]bool) bool {
	onlyCertain := func(certain map[algebra.Var]bool, visit func(func(algebra.Var))) bool {
		ok := true
		visit(func(v algebra.Var) {
			if maybe[v] && !certain[v] {
				ok = false
			}
		})
		return ok
	}
	switch op := op.(type) {
	case *algebra.BGP, *algebra.PathPattern, *algebra.Values:
		return true
	case *algebra.Join:
		return pipelineSafe(op.L, maybe) && pipelineSafe(op.R, maybe)
	case *algebra.Union:
		return pipelineSafe(op.L, maybe) && pipelineSafe(op.R, maybe)
	case *algebra.Graph:
		return pipelineSafe(op.Op, maybe)
	case *algebra.Filter:
		c := algebra.InScope(op.Op).Certain
		return pipelineSafe(op.Op, maybe) && onlyCertain(c, func(f func(algebra.Var)) { algebra.ExprVars(op.Expr, f) })
	case *algebra.Extend:
		c := algebra.InScope(op.Op).Certain
		return pipelineSafe(op.Op, maybe) && onlyCertain(c, func(f func(algebra.Var)) { algebra.ExprVars(op.Expr, f) })
	case *algebra.LeftJoin:
		c := algebra.InScope(op.L).Certain
		return pipelineSafe(op.L, maybe) && onlyCertain(c, func(f func(algebra.Var)) {
			algebra.OpVars(op.R, f)
			if op.Expr != nil {
				algebra.ExprVars(op.Expr, f)
			}
		})
	case *algebra.Minus:
		c := algebra.InScope(op.L).Certain
		return pipelineSafe(op.L, maybe) && onlyCertain(c, func(f func(algebra.Var)) { algebra.OpVars(op.R, f) })
	case *algebra.Project:
		return pipelineSafe(op.Op, maybe)
	}
	return false
}

// flatten collects the operands of a tree of joins and BGPs: triple
// patterns (as one-triple BGPs) and other operators as items. A filter
// over the whole tree (top) gives its conjuncts; a filter inside a join
// belongs to its own group and stays an item.
func flatten(op algebra.Op, items *[]algebra.Op, filters *[]algebra.Expr, top bool) {
	switch op := op.(type) {
	case *algebra.BGP:
		for _, t := range op.Triples {
			*items = append(*items, &algebra.BGP{Triples: []algebra.Triple{t}})
		}
	case *algebra.Join:
		flatten(op.L, items, filters, false)
		flatten(op.R, items, filters, false)
	case *algebra.Filter:
		if !top {
			*items = append(*items, op)
			return
		}
		flatten(op.Op, items, filters, false)
		splitConj(op.Expr, filters)
	default:
		*items = append(*items, op)
	}
}

func splitConj(e algebra.Expr, out *[]algebra.Expr) {
	if c, ok := e.(*algebra.Call); ok && c.Func == algebra.FuncAnd {
		splitConj(c.Args[0], out)
		splitConj(c.Args[1], out)
		return
	}
	*out = append(*out, e)
}

// joinItem is one operand of a join being ordered.
type joinItem struct {
	op     algebra.Op
	scope  algebra.Scope
	triple *algebra.Triple
	base   float64 // estimated solutions on its own
	free   bool    // evaluated on its own (grouping, slicing...): best first
}

// estimate gives the reader's count for a triple pattern's constants.
func (pl *planner) estimateTriple(t *algebra.Triple, g graphSpec) float64 {
	var q frontier.Quad
	for i, term := range []algebra.Term{t.S, t.P, t.O} {
		if term.IsVar() {
			continue
		}
		id, err := pl.intern(term.Value)
		if err != nil || isLocal(id) {
			return 0
		}
		switch i {
		case 0:
			q.S = id
		case 1:
			q.P = id
		case 2:
			q.O = id
		}
	}
	if g.mode == gNamed && g.g.slot < 0 {
		q.G = g.g.id
	}
	if g.mode == gNone {
		return 0
	}
	return float64(pl.count(q))
}

// estimate gives a rough number of solutions of op on its own.
func (pl *planner) estimate(op algebra.Op, g graphSpec) float64 {
	switch op := op.(type) {
	case *algebra.BGP:
		if len(op.Triples) == 1 {
			return pl.estimateTriple(&op.Triples[0], g)
		}
		est := 1.0
		for i := range op.Triples {
			est = math.Max(est, pl.estimateTriple(&op.Triples[i], g))
		}
		return est
	case *algebra.Values:
		return float64(len(op.Rows))
	case *algebra.Union:
		return pl.estimate(op.L, g) + pl.estimate(op.R, g)
	case *algebra.Join:
		return math.Max(pl.estimate(op.L, g), pl.estimate(op.R, g))
	case *algebra.LeftJoin:
		return pl.estimate(op.L, g)
	case *algebra.Filter:
		return pl.estimate(op.Op, g) / 2
	case *algebra.Extend:
		return pl.estimate(op.Op, g)
	case *algebra.Minus:
		return pl.estimate(op.L, g)
	case *algebra.Graph:
		return pl.estimate(op.Op, g)
	case *algebra.PathPattern:
		return 1000
	case *algebra.Slice:
		if op.Limit >= 0 {
			return float64(op.Limit)
		}
		return pl.estimate(op.Op, g)
	case *algebra.Project:
		return pl.estimate(op.Op, g)
	case *algebra.Distinct:
		return pl.estimate(op.Op, g)
	case *algebra.Reduced:
		return pl.estimate(op.Op, g)
	case *algebra.OrderBy:
		return pl.estimate(op.Op, g)
	case *algebra.Group:
		if len(op.Keys) == 0 {
			return 1
		}
		return pl.estimate(op.Op, g) / 10
	}
	return 1000
}

// fanout estimates the solutions one input row gives an item when the
// variables in bound are bound.
func (it *joinItem) fanout(bound map[algebra.Var]bool) float64 {
	if it.triple == nil {
		shared := false
		for v := range it.scope.Maybe {
			if bound[v] {
				shared = true
				break
			}
		}
		if shared {
			return math.Max(1, math.Sqrt(it.base))
		}
		return it.base
	}
	t := it.triple
	b := func(term algebra.Term) bool { return !term.IsVar() || bound[term.Var] }
	bs, bp, bo := t.S.IsVar() && bound[t.S.Var], t.P.IsVar() && bound[t.P.Var], t.O.IsVar() && bound[t.O.Var]
	c := it.base
	switch {
	case !bs && !bp && !bo:
		return c
	case b(t.S) && b(t.O):
		return math.Min(c, 0.5)
	case b(t.S):
		if b(t.P) {
			return math.Min(c, 2)
		}
		return math.Min(c, 20)
	case b(t.O):
		if b(t.P) {
			return math.Min(c, 20)
		}
		return math.Min(c, 50)
	}
	return math.Max(1, c/100)
}

// orderItems orders the operands of a join greedily: operands evaluated
// on their own first, then the smallest estimate, then at each step the
// operand that adds the fewest solutions per row given what is bound
// (preferring operands connected to it over cartesian products).
func (pl *planner) orderItems(items []*joinItem, e env) []*joinItem {
	bound := map[algebra.Var]bool{}
	for v := range e.certain {
		bound[v] = true
	}
	var out []*joinItem
	left := append([]*joinItem(nil), items...)
	for len(left) > 0 {
		best, bestCost := -1, math.Inf(1)
		for i, it := range left {
			cost := it.fanout(bound)
			if it.free {
				cost = -1
			}
			// A VALUES block is cheap to start from and binds variables.
			if _, ok := it.op.(*algebra.Values); ok {
				cost = math.Min(cost, 0.9)
			}
			if cost < bestCost {
				best, bestCost = i, cost
			}
		}
		it := left[best]
		out = append(out, it)
		left = append(left[:best], left[best+1:]...)
		for v := range it.scope.Certain {
			bound[v] = true
		}
	}
	return out
}

// compileJoin compiles a join of items with filters over them into a
// pipeline of bind joins, each filter placed as soon as the variables it
// reads can no longer change.
func (pl *planner) compileJoin(ops []algebra.Op, filters []algebra.Expr, g graphSpec, e env) (node, error) {
	// A filter reading only variables the left side of an OPTIONAL binds
	// for certain runs before it: OPTIONAL's right side then works only
	// for the rows that pass. (Filter(f, LeftJoin(L, R)) equals
	// LeftJoin(Filter(f, L), R) when f reads nothing else.)
	if !e.subst {
		var kept []algebra.Expr
		for _, f := range filters {
			pushed := false
			for i, op := range ops {
				lj, ok := op.(*algebra.LeftJoin)
				if !ok {
					continue
				}
				certain := algebra.InScope(lj.L).Certain
				all := true
				algebra.ExprVars(f, func(v algebra.Var) {
					if !certain[v] {
						all = false
					}
				})
				if all {
					ops[i] = &algebra.LeftJoin{L: &algebra.Filter{Expr: f, Op: lj.L}, R: lj.R, Expr: lj.Expr}
					pushed = true
					break
				}
			}
			if !pushed {
				kept = append(kept, f)
			}
		}
		filters = kept
	}
	if n, err := pl.compileChain(ops, filters, g, e); n != nil || err != nil {
		return n, err
	}
	items := make([]*joinItem, 0, len(ops))
	for _, op := range ops {
		it := &joinItem{op: op, scope: algebra.InScope(op)}
		if b, ok := op.(*algebra.BGP); ok && len(b.Triples) == 1 {
			it.triple = &b.Triples[0]
		}
		it.base = pl.estimate(op, g)
		switch op.(type) {
		case *algebra.Group, *algebra.Slice, *algebra.OrderBy, *algebra.Distinct, *algebra.Reduced:
			it.free = true
		case *algebra.Project:
			it.free = !pipelineSafe(op, map[algebra.Var]bool{})
		}
		items = append(items, it)
	}
	if !e.subst {
		items = pl.orderItems(items, e)
	}
	var steps []node
	cur := e
	placed := make([]bool, len(filters))
	placeFilters := func(rest []*joinItem) error {
		for fi, f := range filters {
			if placed[fi] {
				continue
			}
			// Ready once no item still to come may bind a variable it reads.
			ready := true
			algebra.ExprVars(f, func(v algebra.Var) {
				for _, it := range rest {
					if it.scope.Maybe[v] {
						ready = false
					}
				}
			})
			if !ready {
				continue
			}
			es, err := pl.exprSet(g, cur, f)
			if err != nil {
				return err
			}
			steps = append(steps, &filterNode{exprs: es, label: algebra.FormatExpr(f)})
			placed[fi] = true
		}
		return nil
	}
	if err := placeFilters(items); err != nil {
		return nil, err
	}
	dedupe := map[int]*dedupeSpec{}
	bound := map[algebra.Var]bool{}
	for i, it := range items {
		var step node
		var err error
		if it.triple != nil {
			step, err = pl.compileTriple(it.triple, g)
			if sn, ok := step.(*scanNode); ok {
				sn.est = int64(it.base)
				if i > 0 || len(e.certain) > 0 {
					sn.fanout = it.fanout(cur.certain)
				}
			}
		} else if pp, ok := it.op.(*algebra.PathPattern); ok {
			step, err = pl.compilePath(pp, g)
		} else {
			// The item's consumers also read what the later items and the
			// filters not yet placed read: a variable they join on must
			// survive the item's own dead-variable drops.
			rest := items[i+1:]
			step, err = pl.compile(it.op, g, cur.sem(true, func(f func(algebra.Var)) {
				for _, r := range rest {
					algebra.OpVars(r.op, f)
				}
				for fi, fl := range filters {
					if !placed[fi] {
						algebra.ExprVars(fl, f)
					}
				}
			}))
		}
		if err != nil {
			return nil, err
		}
		steps = append(steps, step)
		cur = cur.with(it.scope, true)
		cur.unit = false
		if err := placeFilters(items[i+1:]); err != nil {
			return nil, err
		}
		for v := range it.scope.Maybe {
			bound[v] = true
		}
		if e.setSem && i < len(items)-1 {
			if d := pl.deadAfter(bound, items[i+1:], filters, placed, e); d != nil {
				dedupe[len(steps)-1] = d
			}
		}
	}
	switch len(steps) {
	case 0:
		return &unitNode{}, nil
	case 1:
		return steps[0], nil
	}
	return &seqNode{steps: steps, dedupe: dedupe}, nil
}

// dedupeSpec drops variables no later step or consumer reads (clear)
// and then solutions equal on those that remain (key), per input row.
type dedupeSpec struct {
	clear, key []int
}

// deadAfter returns the dedupe to run after a join step, given the
// variables bound so far and what is still to come, or nil when no
// variable is dead.
func (pl *planner) deadAfter(bound map[algebra.Var]bool, rest []*joinItem, filters []algebra.Expr, placed []bool, e env) *dedupeSpec {
	live := map[algebra.Var]bool{}
	for v := range e.needed {
		live[v] = true
	}
	for _, it := range rest {
		algebra.OpVars(it.op, func(v algebra.Var) { live[v] = true })
	}
	for i, f := range filters {
		if !placed[i] {
			algebra.ExprVars(f, func(v algebra.Var) { live[v] = true })
		}
	}
	d := &dedupeSpec{}
	for v := range bound {
		switch {
		case e.maybe[v]:
			// A variable of the input rows: fixed per input row.
		case live[v]:
			d.key = append(d.key, pl.slot(v))
		default:
			d.clear = append(d.clear, pl.slot(v))
		}
	}
	if len(d.clear) == 0 {
		return nil
	}
	sort.Ints(d.clear)
	sort.Ints(d.key)
	return d
}

func (pl *planner) compileTriple(t *algebra.Triple, g graphSpec) (node, error) {
	s, err := pl.pos(t.S)
	if err != nil {
		return nil, err
	}
	p, err := pl.pos(t.P)
	if err != nil {
		return nil, err
	}
	o, err := pl.pos(t.O)
	if err != nil {
		return nil, err
	}
	label := algebra.FormatTerm(t.S) + " " + algebra.FormatTerm(t.P) + " " + algebra.FormatTerm(t.O)
	switch g.mode {
	case gNamed:
		label = "GRAPH " + g.label + " { " + label + " }"
	case gDefaultSet:
		label += " (default graph of " + fmt.Sprint(len(g.set)) + " graphs)"
	}
	return newScanNode(s, p, o, g, label), nil
}

func (pl *planner) compileLeftJoin(op *algebra.LeftJoin, g graphSpec, e env) (node, error) {
	le := e.sem(true, func(f func(algebra.Var)) {
		algebra.OpVars(op.R, f)
		if op.Expr != nil {
			algebra.ExprVars(op.Expr, f)
		}
	})
	l, err := pl.compile(op.L, g, le)
	if err != nil {
		return nil, err
	}
	ls := algebra.InScope(op.L)
	re := e.with(ls, true)
	re.unit = false
	n := &leftJoinNode{l: l}
	if !e.subst && !pipelineSafe(op.R, re.maybe) {
		// R cannot see the left rows' bindings: evaluate it alone and
		// match each left row against its solutions.
		r, err := pl.compile(op.R, g, unitEnv())
		if err != nil {
			return nil, err
		}
		n.r = pl.hashJoin(r, algebra.InScope(op.R), re)
	} else {
		n.r, err = pl.compile(op.R, g, re.sem(true, func(f func(algebra.Var)) {
			if op.Expr != nil {
				algebra.ExprVars(op.Expr, f)
			}
		}))
		if err != nil {
			return nil, err
		}
	}
	if op.Expr != nil {
		n.exprs, err = pl.exprSet(g, re.with(algebra.InScope(op.R), false), op.Expr)
		if err != nil {
			return nil, err
		}
		n.label = algebra.FormatExpr(op.Expr)
	}
	return n, nil
}

func (pl *planner) compileMinus(op *algebra.Minus, g graphSpec, e env) (node, error) {
	l, err := pl.compile(op.L, g, e)
	if err != nil {
		return nil, err
	}
	n := &minusNode{l: l, subst: e.subst}
	rs := algebra.InScope(op.R)
	if e.subst {
		n.r, err = pl.compile(op.R, g, e)
		for v := range e.maybe {
			n.injected = append(n.injected, pl.slot(v))
		}
	} else {
		n.r, err = pl.compile(op.R, g, unitEnv())
	}
	if err != nil {
		return nil, err
	}
	ls := algebra.InScope(op.L)
	for v := range rs.Maybe {
		if ls.Maybe[v] || e.maybe[v] {
			n.shared = append(n.shared, pl.slot(v))
		}
	}
	sort.Ints(n.shared)
	return n, nil
}

func (pl *planner) compileValues(op *algebra.Values) (node, error) {
	n := &valuesNode{}
	for _, v := range op.Vars {
		n.slots = append(n.slots, pl.slot(v))
	}
	for _, row := range op.Rows {
		ids := make([]ID, len(row))
		for i, v := range row {
			if v == nil {
				continue
			}
			id, err := pl.intern(v)
			if err != nil {
				return nil, err
			}
			ids[i] = id
		}
		n.rows = append(n.rows, ids)
	}
	return n, nil
}

// bindsByPattern reports whether every solution of op binds the graph
// variable through a triple or path pattern (so no enumeration of the
// named graphs is needed for GRAPH ?g).
func bindsByPattern(op algebra.Op) bool {
	switch op := op.(type) {
	case *algebra.BGP:
		return len(op.Triples) > 0
	case *algebra.PathPattern:
		return true
	case *algebra.Join:
		return bindsByPattern(op.L) || bindsByPattern(op.R)
	case *algebra.LeftJoin:
		return bindsByPattern(op.L)
	case *algebra.Filter:
		return bindsByPattern(op.Op)
	case *algebra.Union:
		return bindsByPattern(op.L) && bindsByPattern(op.R)
	case *algebra.Extend:
		return bindsByPattern(op.Op)
	case *algebra.Minus:
		return bindsByPattern(op.L)
	}
	return false
}

func (pl *planner) compileGraph(op *algebra.Graph, _ graphSpec, e env) (node, error) {
	inner := graphSpec{mode: gNamed, set: pl.named, label: algebra.FormatTerm(op.Name)}
	var err error
	inner.g, err = pl.pos(op.Name)
	if err != nil {
		return nil, err
	}
	if inner.g.slot < 0 && (isLocal(inner.g.id) || pl.named != nil && !pl.named[inner.g.id]) {
		return &emptyNode{}, nil
	}
	patterns := bindsByPattern(op.Op)
	mentioned := false
	if op.Name.IsVar() {
		algebra.OpVars(op.Op, func(v algebra.Var) {
			if v == op.Name.Var {
				mentioned = true
			}
		})
	}
	if op.Name.IsVar() && e.setSem {
		e = e.sem(true, func(f func(algebra.Var)) { f(op.Name.Var) })
	}
	if patterns && !mentioned {
		// The patterns inside bind (or check) the graph: the common case.
		return pl.compile(op.Op, inner, e)
	}
	if !op.Name.IsVar() {
		// GRAPH <g> over solutions no pattern matched (an empty group,
		// VALUES, a sub-select): only if <g> is a named graph.
		child, err := pl.compile(op.Op, inner, e)
		if err != nil {
			return nil, err
		}
		return &seqNode{steps: []node{&graphsNode{g: inner.g, named: pl.named}, child}}, nil
	}
	// Evaluate the pattern in each named graph in turn, with the graph
	// variable free inside (section 18.5: eval(Graph(?g, P)) is the union
	// over the graphs of P's solutions in that graph joined with ?g), so
	// that a sub-select groups per graph and a pattern that binds ?g
	// itself must agree with the graph.
	pl.params++
	loop := &graphLoopNode{param: pl.params - 1, slot: pl.slot(op.Name.Var), named: pl.named}
	inner.g = pos{slot: -1}
	inner.param = pl.params
	child, err := pl.compile(op.Op, inner, e)
	if err != nil {
		return nil, err
	}
	loop.child = child
	return loop, nil
}

// hashJoin wraps child, evaluated alone on one empty row, in a node that
// joins its solutions with each input row.
func (pl *planner) hashJoin(child node, scope algebra.Scope, e env) node {
	n := &hashJoinNode{child: child}
	for v := range scope.Maybe {
		n.slots = append(n.slots, pl.slot(v))
		if scope.Certain[v] && e.certain[v] {
			n.keys = append(n.keys, pl.slot(v))
		}
	}
	sort.Ints(n.slots)
	sort.Ints(n.keys)
	return n
}

// exprSet compiles expressions for rows described by e.
func (pl *planner) exprSet(g graphSpec, e env, exprs ...algebra.Expr) (*exprSet, error) {
	s := &exprSet{}
	seen := map[int]bool{}
	for _, x := range exprs {
		ce, err := pl.compileExpr(x, g, e, s)
		if err != nil {
			return nil, err
		}
		s.exprs = append(s.exprs, ce)
		algebra.ExprVars(x, func(v algebra.Var) {
			sl := pl.slot(v)
			if !seen[sl] {
				seen[sl] = true
				s.slots = append(s.slots, sl)
			}
		})
	}
	return s, nil
}

func (pl *planner) compileExpr(x algebra.Expr, g graphSpec, e env, s *exprSet) (cexpr, error) {
	switch x := x.(type) {
	case algebra.Var:
		return cVar{slot: pl.slot(x)}, nil
	case *algebra.Const:
		id, err := pl.intern(x.Value)
		if err != nil {
			return nil, err
		}
		v := fromQuad(x.Value)
		v.id = id
		return cConst{v: v}, nil
	case *algebra.Call:
		if x.Func == algebra.FuncBound {
			v, _ := x.Args[0].(algebra.Var)
			return cBound{slot: pl.slot(v)}, nil
		}
		if is := kindTests[x.Func]; is != nil && len(x.Args) == 1 {
			if v, ok := x.Args[0].(algebra.Var); ok {
				return cKindTest{slot: pl.slot(v), is: is}, nil
			}
		}
		c := &cCall{fn: x.Func}
		for _, a := range x.Args {
			ca, err := pl.compileExpr(a, g, e, s)
			if err != nil {
				return nil, err
			}
			c.args = append(c.args, ca)
		}
		return c, nil
	case *algebra.FuncCall:
		c := &cFunc{iri: x.IRI}
		for _, a := range x.Args {
			ca, err := pl.compileExpr(a, g, e, s)
			if err != nil {
				return nil, err
			}
			c.args = append(c.args, ca)
		}
		return c, nil
	case *algebra.Exists:
		se := e
		se.subst = true
		se.unit = false
		se.setSem, se.needed = true, map[algebra.Var]bool{}
		n, err := pl.compile(x.Op, g, se)
		if err != nil {
			return nil, err
		}
		s.exists = append(s.exists, n)
		return cExists{site: len(s.exists) - 1, not: x.Not}, nil
	}
	return nil, errorf(pl.ex.op, Internal, "unknown expression %T", x)
}
