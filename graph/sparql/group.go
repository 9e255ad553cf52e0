package sparql

import (
	"context"
	"math/big"
	"sort"
	"strings"

	"github.com/innograph/innograph/graph/sparql/algebra"
)

// aggSpec is one aggregate of a grouping.
type aggSpec struct {
	slot     int
	fn       algebra.AggFunc
	distinct bool
	expr     int // index in the node's exprSet; -1 for COUNT(*)
	sep      string
}

// groupNode evaluates GROUP BY with its aggregates over all solutions of
// its child (run on one empty row): one output row per group.
type groupNode struct {
	child    node
	keySlots []int
	exprs    *exprSet // the key expressions, then the aggregate arguments
	aggs     []aggSpec
	inSlots  []int // the child's variables (for COUNT(DISTINCT *))
	label    string
	noKeys   bool
}

// aggState accumulates one aggregate of one group.
type aggState struct {
	count  int64
	acc    val // SUM, AVG: the running sum; MIN, MAX, SAMPLE: the value so far
	has    bool
	failed bool
	concat strings.Builder
	lang   string
	sameL  bool
	seen   map[string]bool // DISTINCT
}

type group struct {
	key  []ID
	aggs []aggState
}

func (pl *planner) compileGroup(op *algebra.Group, g graphSpec) (node, error) {
	child, err := pl.compile(op.Op, g, unitEnv())
	if err != nil {
		return nil, err
	}
	n := &groupNode{child: child, noKeys: len(op.Keys) == 0}
	ce := unitEnv().with(algebra.InScope(op.Op), true)
	var exprs []algebra.Expr
	var labels []string
	for _, k := range op.Keys {
		n.keySlots = append(n.keySlots, pl.slot(k.Var))
		exprs = append(exprs, k.Expr)
		labels = append(labels, algebra.FormatExpr(k.Expr))
	}
	for _, a := range op.Aggs {
		spec := aggSpec{slot: pl.slot(a.Var), fn: a.Func, distinct: a.Distinct, expr: -1, sep: a.Separator}
		if a.Expr != nil {
			spec.expr = len(exprs)
			exprs = append(exprs, a.Expr)
		}
		n.aggs = append(n.aggs, spec)
	}
	n.exprs, err = pl.exprSet(g, ce, exprs...)
	if err != nil {
		return nil, err
	}
	n.inSlots = pl.scopeSlots(op.Op)
	n.label = "by " + strings.Join(labels, ", ")
	if n.noKeys {
		n.label = "one group"
	}
	return n, nil
}

func (n *groupNode) run(ctx context.Context, ex *exec, in *batch, emit emitFn) error {
	groups := map[string]*group{}
	var order []*group
	held := 0
	defer func() { ex.release(held) }()
	newGroup := func(key []ID) *group {
		gr := &group{key: key, aggs: make([]aggState, len(n.aggs))}
		for i := range gr.aggs {
			gr.aggs[i].sameL = true
		}
		order = append(order, gr)
		return gr
	}
	if n.noKeys {
		groups[""] = newGroup(nil)
	}
	nk := len(n.keySlots)
	var buf []byte
	vals := make([][]val, len(n.exprs.exprs))
	ids := make([][]ID, len(n.exprs.exprs))
	err := n.child.run(ctx, ex, in, func(b *batch) error {
		c, err := n.exprs.prepare(ctx, ex, b)
		if err != nil {
			return err
		}
		for k, e := range n.exprs.exprs {
			vals[k] = vals[k][:0]
			for i := 0; i < b.n; i++ {
				c.at(b, i)
				vals[k] = append(vals[k], e.eval(c))
			}
			ids[k] = growIDs(ids[k], b.n)
			if k < nk || n.needsIDs(k) {
				if err := ex.internVals(ctx, vals[k], ids[k]); err != nil {
					return err
				}
			}
		}
		for i := 0; i < b.n; i++ {
			buf = buf[:0]
			for k := 0; k < nk; k++ {
				id := ids[k][i]
				buf = append(buf, byte(id), byte(id>>8), byte(id>>16), byte(id>>24), byte(id>>32), byte(id>>40), byte(id>>48), byte(id>>56))
			}
			gr, ok := groups[string(buf)]
			if !ok {
				key := make([]ID, nk)
				for k := range key {
					key[k] = ids[k][i]
				}
				gr = newGroup(key)
				groups[string(buf)] = gr
				held++
				if err := ex.hold(1); err != nil {
					return err
				}
			}
			for a := range n.aggs {
				n.add(&gr.aggs[a], &n.aggs[a], b, i, vals, ids)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	f := newFlusher(in.w, emit)
	results := make([]val, len(n.aggs))
	resIDs := make([]ID, len(n.aggs))
	for gi, gr := range order {
		if gi&1023 == 0 {
			if err := ex.checkCtx(ctx); err != nil {
				return err
			}
		}
		for a := range n.aggs {
			results[a] = n.result(&gr.aggs[a], &n.aggs[a])
		}
		if err := ex.internVals(ctx, results, resIDs); err != nil {
			return err
		}
		row := f.out.add(in.row(0), 0)
		for k, s := range n.keySlots {
			row[s] = gr.key[k]
		}
		for a, spec := range n.aggs {
			row[spec.slot] = resIDs[a]
		}
		if err := f.check(); err != nil {
			return err
		}
	}
	return f.flush()
}

// needsIDs reports whether aggregate argument k needs term IDs (for
// DISTINCT).
func (n *groupNode) needsIDs(k int) bool {
	for _, a := range n.aggs {
		if a.expr == k && a.distinct {
			return true
		}
	}
	return false
}

func (n *groupNode) add(st *aggState, spec *aggSpec, b *batch, i int, vals [][]val, ids [][]ID) {
	if st.failed {
		return
	}
	var v val
	if spec.expr >= 0 {
		v = vals[spec.expr][i]
		if v.k == kErr {
			if spec.fn == algebra.AggSum || spec.fn == algebra.AggAvg {
				st.failed = true
			}
			return
		}
	}
	if spec.distinct {
		var key []byte
		if spec.expr >= 0 {
			key = keyOf([]ID{ids[spec.expr][i]}, []int{0}, nil)
		} else {
			key = keyOf(b.row(i), n.inSlots, nil)
		}
		if st.seen == nil {
			st.seen = map[string]bool{}
		}
		if st.seen[string(key)] {
			return
		}
		st.seen[string(key)] = true
	}
	switch spec.fn {
	case algebra.AggCount:
		st.count++
	case algebra.AggSum, algebra.AggAvg:
		if !v.isNumeric() {
			st.failed = true
			return
		}
		if !st.has {
			st.acc, st.has = v, true
			st.acc.s, st.acc.id = "", 0
		} else {
			st.acc = arith(algebra.FuncAdd, &st.acc, &v)
		}
		st.count++
	case algebra.AggMin, algebra.AggMax:
		if !st.has {
			st.acc, st.has = v, true
			return
		}
		c := orderCompare(&v, &st.acc)
		if spec.fn == algebra.AggMin && c < 0 || spec.fn == algebra.AggMax && c > 0 {
			st.acc = v
		}
	case algebra.AggSample:
		if !st.has {
			st.acc, st.has = v, true
		}
	case algebra.AggGroupConcat:
		if !v.isStringLit() {
			// Other terms join by their string form (str()).
			if v.k == kBNode {
				st.failed = true
				return
			}
		}
		s := v.s
		if v.isLiteral() && !v.isStringLit() {
			s = v.lexical()
		}
		if st.count > 0 {
			st.concat.WriteString(spec.sep)
			if v.k != kLang || v.lang != st.lang {
				st.sameL = false
			}
		} else {
			st.lang = v.lang
			if v.k != kLang {
				st.sameL = false
			}
		}
		st.concat.WriteString(s)
		st.count++
	}
}

func (n *groupNode) result(st *aggState, spec *aggSpec) val {
	if st.failed {
		return errVal
	}
	switch spec.fn {
	case algebra.AggCount:
		return intVal(st.count)
	case algebra.AggSum:
		if !st.has {
			return intVal(0)
		}
		return st.acc
	case algebra.AggAvg:
		if !st.has {
			return intVal(0)
		}
		cnt := intVal(st.count)
		if st.acc.k == kInt {
			// Integer division gives a decimal, as op:numeric-divide does.
			return decVal(new(big.Rat).SetFrac(big.NewInt(st.acc.i), big.NewInt(st.count)))
		}
		return arith(algebra.FuncDiv, &st.acc, &cnt)
	case algebra.AggMin, algebra.AggMax, algebra.AggSample:
		if !st.has {
			return errVal
		}
		return st.acc
	case algebra.AggGroupConcat:
		return strVal(st.concat.String())
	}
	return errVal
}

func (n *groupNode) explain() *Explain {
	var aggs []string
	for _, a := range n.aggs {
		aggs = append(aggs, a.fn.String())
	}
	sort.Strings(aggs)
	d := n.label
	if len(aggs) > 0 {
		d += "; " + strings.Join(aggs, ", ")
	}
	return &Explain{Op: "group", Detail: d, Estimate: -1, Children: []*Explain{n.child.explain()}}
}
