package sparql

import (
	"context"
	"fmt"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
	"github.com/innograph/innograph/graph/sparql/algebra"
)

// chainNode is a chain of links (property paths, or triple patterns with
// a constant predicate) from a constant, whose inner variables nobody
// reads, evaluated where duplicates do not matter: as a breadth-first
// walk over sets of distinct nodes, one reader call per level and
// direction, each inner variable's filters run once per node. It binds
// the chain's far end (every node reached, once) or, when that end is a
// constant too, checks that it is reached. The walk depends on no input
// row, so it runs once per evaluation.
//
// Under set semantics the join of the links equals this walk: a solution
// of the join is a sequence of nodes linked step by step, and projecting
// away the inner variables leaves the far ends reachable through nodes
// that pass their filters, each once.
type chainNode struct {
	start ID
	links []chainLink
	end   pos // a variable slot, or a constant to reach
	label string
}

// chainLink is one step of a chain: the path walked (backward when inv),
// and the filters on the node it reaches (nil: none).
type chainLink struct {
	n       *pathNode
	inv     bool
	filters *exprSet
	slot    int // the reached node's variable, where the filters read it
	// kinds, when every filter is isIRI, isBlank or isLiteral of the
	// node, are the kinds each test accepts: answered from the reader's
	// kinds where it gives them (kinder), else from the values' Go types,
	// without the decoding cache's maps and parsing (the commonest
	// filters of path walks).
	kinds []frontier.Kind
}

// kinder is a Reader that tells terms' kinds without decoding them (the
// in-memory tier does).
type kinder interface {
	Kinds(ctx context.Context, ids []ID, out []frontier.Kind) error
}

// valueKinds are the kinds isIRI, isBlank and isLiteral accept.
var valueKinds = map[algebra.Func]frontier.Kind{
	algebra.FuncIsIRI:     frontier.KindIRI,
	algebra.FuncIsBlank:   frontier.KindBlank,
	algebra.FuncIsLiteral: frontier.KindLiteral,
}

// kindOf is the kind of a decoded value.
func kindOf(v quad.Value) frontier.Kind {
	switch v.(type) {
	case nil:
		return frontier.KindUnknown
	case quad.IRI:
		return frontier.KindIRI
	case quad.BNode:
		return frontier.KindBlank
	}
	return frontier.KindLiteral
}

// kindTestsOf returns the value tests of filters that are all isIRI,
// isBlank or isLiteral of a variable, nil otherwise.
func kindTestsOf(filters []algebra.Expr) []frontier.Kind {
	var out []frontier.Kind
	for _, f := range filters {
		c, ok := f.(*algebra.Call)
		if !ok || len(c.Args) != 1 || valueKinds[c.Func] == 0 {
			return nil
		}
		if _, ok := c.Args[0].(algebra.Var); !ok {
			return nil
		}
		out = append(out, valueKinds[c.Func])
	}
	return out
}

// chainItem is a link of a chain being recognised: a path or triple
// pattern as a path between two terms.
type chainItem struct {
	s, o algebra.Term
	path algebra.Path
}

// asChainItem returns op as a link: a path pattern, or a one-triple BGP
// with a constant predicate.
func asChainItem(op algebra.Op) (chainItem, bool) {
	switch op := op.(type) {
	case *algebra.PathPattern:
		return chainItem{s: op.S, o: op.O, path: op.Path}, true
	case *algebra.BGP:
		if len(op.Triples) != 1 {
			return chainItem{}, false
		}
		t := op.Triples[0]
		iri, ok := t.P.Value.(quad.IRI)
		if t.P.IsVar() || !ok {
			return chainItem{}, false
		}
		return chainItem{s: t.S, o: t.O, path: &algebra.PathLink{IRI: iri}}, true
	}
	return chainItem{}, false
}

// pureExpr reports whether e gives the same value whenever its variables
// do: no EXISTS (which reads the whole solution) and no function that
// makes a fresh value per call.
func pureExpr(e algebra.Expr) bool {
	switch e := e.(type) {
	case *algebra.Exists:
		return false
	case *algebra.Call:
		switch e.Func {
		case algebra.FuncRand, algebra.FuncBNode, algebra.FuncUUID, algebra.FuncStrUUID:
			return false
		}
		for _, a := range e.Args {
			if !pureExpr(a) {
				return false
			}
		}
	case *algebra.FuncCall:
		for _, a := range e.Args {
			if !pureExpr(a) {
				return false
			}
		}
	}
	return true
}

// compileChain returns a chainNode for a join of ops with filters when
// the rule applies, nil otherwise. It applies where duplicates do not
// matter (e.setSem) and every op is a link, the links form one chain
// from a constant (t1 from c, t2 from t1's other end, ...), every
// variable of the chain occurs in no input row, each inner variable joins
// exactly two neighbouring links and is read by no consumer (e.needed),
// and every filter is pure and reads exactly one variable of the chain.
func (pl *planner) compileChain(ops []algebra.Op, filters []algebra.Expr, g graphSpec, e env) (node, error) {
	if !e.setSem || e.subst || len(ops) == 0 {
		return nil, nil
	}
	switch {
	case g.mode == gDefaultAll, g.mode == gDefaultSet:
	case g.mode == gNamed && g.g.slot < 0 && g.param == 0:
	default:
		return nil, nil
	}
	items := make([]chainItem, len(ops))
	uses := map[algebra.Var]int{}
	for i, op := range ops {
		it, ok := asChainItem(op)
		if !ok {
			return nil, nil
		}
		if it.s.IsVar() && it.o.IsVar() && it.s.Var == it.o.Var {
			return nil, nil
		}
		for _, t := range []algebra.Term{it.s, it.o} {
			if t.IsVar() {
				if e.maybe[t.Var] {
					return nil, nil
				}
				uses[t.Var]++
			}
		}
		items[i] = it
	}
	// Find the start: a constant end of a link such that the links then
	// chain through variables.
	for i, it := range items {
		for _, fromS := range []bool{true, false} {
			start := it.s
			if !fromS {
				start = it.o
			}
			if start.IsVar() {
				continue
			}
			if n, err := pl.tryChain(items, i, fromS, uses, filters, g, e); n != nil || err != nil {
				return n, err
			}
		}
	}
	return nil, nil
}

// tryChain tries the chain that starts with items[first], walked from its
// subject (fromS) or object.
func (pl *planner) tryChain(items []chainItem, first int, fromS bool, uses map[algebra.Var]int, filters []algebra.Expr, g graphSpec, e env) (node, error) {
	type step struct {
		it  chainItem
		inv bool
		to  algebra.Term
	}
	used := make([]bool, len(items))
	var steps []step
	cur := first
	inv := !fromS
	for {
		it := items[cur]
		used[cur] = true
		to := it.o
		if inv {
			to = it.s
		}
		steps = append(steps, step{it: it, inv: inv, to: to})
		if len(steps) == len(items) {
			break
		}
		// The next link shares to, an inner variable.
		if !to.IsVar() || uses[to.Var] != 2 || e.needed[to.Var] {
			return nil, nil
		}
		next := -1
		for j, c := range items {
			if used[j] {
				continue
			}
			if c.s.IsVar() && c.s.Var == to.Var {
				next, inv = j, false
			} else if c.o.IsVar() && c.o.Var == to.Var {
				next, inv = j, true
			}
			if next >= 0 {
				break
			}
		}
		if next < 0 {
			return nil, nil
		}
		cur = next
	}
	end := steps[len(steps)-1].to
	if end.IsVar() && uses[end.Var] != 1 {
		return nil, nil
	}
	// Every filter reads exactly one variable of the chain.
	byVar := map[algebra.Var][]algebra.Expr{}
	for _, f := range filters {
		var vars []algebra.Var
		algebra.ExprVars(f, func(v algebra.Var) {
			for _, w := range vars {
				if w == v {
					return
				}
			}
			vars = append(vars, v)
		})
		if len(vars) != 1 || uses[vars[0]] == 0 || !pureExpr(f) {
			return nil, nil
		}
		byVar[vars[0]] = append(byVar[vars[0]], f)
	}
	startTerm := steps[0].it.s
	if steps[0].inv {
		startTerm = steps[0].it.o
	}
	start, err := pl.intern(startTerm.Value)
	if err != nil {
		return nil, err
	}
	n := &chainNode{start: start}
	n.end, err = pl.pos(end)
	if err != nil {
		return nil, err
	}
	labels := []string{algebra.FormatTerm(startTerm)}
	for _, s := range steps {
		pn, err := pl.compilePath(&algebra.PathPattern{S: s.it.s, Path: s.it.path, O: s.it.o}, g)
		if err != nil {
			return nil, err
		}
		l := chainLink{n: pn.(*pathNode), inv: s.inv}
		p := algebra.FormatPath(s.it.path)
		if s.inv {
			p = "^(" + p + ")"
		}
		labels = append(labels, p, algebra.FormatTerm(s.to))
		if s.to.IsVar() {
			l.slot = pl.slot(s.to.Var)
			if fs := byVar[s.to.Var]; len(fs) > 0 {
				fe := unitEnv()
				fe.unit = false
				fe.maybe[s.to.Var], fe.certain[s.to.Var] = true, true
				if l.filters, err = pl.exprSet(g, fe, fs...); err != nil {
					return nil, err
				}
				l.kinds = kindTestsOf(fs)
				for _, f := range fs {
					labels = append(labels, "FILTER "+algebra.FormatExpr(f))
				}
			}
		}
		n.links = append(n.links, l)
	}
	n.label = strings.Join(labels, " ")
	return n, nil
}

// reach walks the chain once per evaluation and returns the distinct
// nodes its last link reaches (through nodes passing their filters).
func (n *chainNode) reach(ctx context.Context, ex *exec) ([]ID, error) {
	if ex.chains == nil {
		ex.chains = map[*chainNode][]ID{}
	}
	if r, ok := ex.chains[n]; ok {
		return r, nil
	}
	front := []ID{n.start}
	for k, l := range n.links {
		if err := ex.checkCtx(ctx); err != nil {
			return nil, err
		}
		if len(front) == 0 {
			break
		}
		pc := &pathCtx{ctx: ctx, ex: ex, n: l.n, g: l.n.graph, zeroLocal: k == 0}
		if l.n.graph.mode == gNamed {
			pc.gid = l.n.graph.g.id
		}
		var next nodeSet
		if err := pc.step(l.n.path, l.inv, front, func(_ int, t ID) error { next.add(t); return nil }); err != nil {
			return nil, err
		}
		front = next.list
		if l.filters != nil {
			var err error
			if front, err = l.keep(ctx, ex, front); err != nil {
				return nil, err
			}
		}
	}
	if err := ex.hold(len(front)); err != nil {
		return nil, err
	}
	ex.chains[n] = front
	return front, nil
}

// keep returns the nodes of front that pass the link's filters.
func (l *chainLink) keep(ctx context.Context, ex *exec, front []ID) ([]ID, error) {
	w := 0
	if l.kinds != nil {
		kinds := make([]frontier.Kind, len(front))
		stored := storeOnly(front)
		if k, ok := ex.r.(kinder); ok {
			if err := k.Kinds(ctx, stored, kinds); err != nil {
				return nil, wrapCtx(ex.op, err)
			}
		} else {
			vals := make([]quad.Value, len(front))
			if err := ex.r.Values(ctx, stored, vals); err != nil {
				return nil, wrapCtx(ex.op, err)
			}
			for i, v := range vals {
				kinds[i] = kindOf(v)
			}
		}
	next:
		for i, id := range front {
			k := kinds[i]
			if isLocal(id) {
				k = kindOf(ex.d.value(id))
			}
			for _, want := range l.kinds {
				if k != want {
					continue next
				}
			}
			front[w] = id
			w++
		}
		return front[:w], nil
	}
	b := newBatch(l.slot + 1)
	zero := make([]ID, b.w)
	for lo := 0; lo < len(front); lo += batchSize {
		part := front[lo:min(lo+batchSize, len(front))]
		b.reset()
		for _, id := range part {
			b.add(zero, 0)[l.slot] = id
		}
		c, err := l.filters.prepare(ctx, ex, b)
		if err != nil {
			return nil, err
		}
		for i, id := range part {
			c.at(b, i)
			ok := true
			for _, e := range l.filters.exprs {
				if !ebvOf(c, e) {
					ok = false
					break
				}
			}
			if ok {
				front[w] = id
				w++
			}
		}
	}
	return front[:w], nil
}

func (n *chainNode) run(ctx context.Context, ex *exec, in *batch, emit emitFn) error {
	reached, err := n.reach(ctx, ex)
	if err != nil {
		return err
	}
	f := newFlusher(in.w, emit)
	if n.end.slot < 0 {
		found := false
		for _, t := range reached {
			if t == n.end.id {
				found = true
				break
			}
		}
		if !found {
			return nil
		}
		return copyBatch(in, emit)
	}
	for i := 0; i < in.n; i++ {
		row := in.row(i)
		for _, t := range reached {
			f.out.add(row, int32(i))[n.end.slot] = t
			if err := f.check(); err != nil {
				return err
			}
		}
	}
	return f.flush()
}

func (n *chainNode) explain() *Explain {
	return &Explain{Op: "chain", Detail: fmt.Sprintf("%s (distinct nodes, level by level)", n.label), Estimate: -1}
}
