package sparql

import (
	"context"
	"fmt"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
)

// copyBatch emits a copy of in's rows with src = their index: what a node
// that adds nothing to its input gives.
func copyBatch(in *batch, emit emitFn) error {
	f := newFlusher(in.w, emit)
	for i := 0; i < in.n; i++ {
		f.out.add(in.row(i), int32(i))
		if err := f.check(); err != nil {
			return err
		}
	}
	return f.flush()
}

// unitNode is the empty group pattern: each input row once, unchanged.
type unitNode struct{}

func (*unitNode) run(_ context.Context, _ *exec, in *batch, emit emitFn) error {
	return copyBatch(in, emit)
}

func (*unitNode) explain() *Explain { return &Explain{Op: "unit", Estimate: 1} }

// emptyNode has no solutions (a pattern in a graph outside the dataset).
type emptyNode struct{}

func (*emptyNode) run(context.Context, *exec, *batch, emitFn) error { return nil }

func (*emptyNode) explain() *Explain { return &Explain{Op: "empty", Estimate: 0} }

// seqNode chains nodes as bind joins: each step runs on the rows the
// previous one emits. Where duplicates do not matter, dedupe[k] drops the
// variables dead after step k and the duplicate solutions that leaves.
type seqNode struct {
	steps  []node
	dedupe map[int]*dedupeSpec
}

func (n *seqNode) run(ctx context.Context, ex *exec, in *batch, emit emitFn) error {
	var seen map[int]map[string]bool
	held := 0
	if len(n.dedupe) > 0 {
		seen = map[int]map[string]bool{}
		defer func() { ex.release(held) }()
	}
	return n.stage(ctx, ex, 0, in, nil, emit, seen, &held)
}

// stage runs steps[k:] on in, whose rows derive from the seq's input rows
// orig (nil: in is the seq's input); the rows it emits have src indexing
// the seq's input.
func (n *seqNode) stage(ctx context.Context, ex *exec, k int, in *batch, orig []int32, emit emitFn, seen map[int]map[string]bool, held *int) error {
	if err := ex.checkCtx(ctx); err != nil {
		return err
	}
	last := k == len(n.steps)-1
	d := n.dedupe[k]
	var buf []byte
	return n.steps[k].run(ctx, ex, in, func(b *batch) error {
		origin := make([]int32, b.n)
		for i := 0; i < b.n; i++ {
			origin[i] = b.src[i]
			if orig != nil {
				origin[i] = orig[b.src[i]]
			}
		}
		if d != nil {
			set := seen[k]
			if set == nil {
				set = map[string]bool{}
				seen[k] = set
			}
			w := 0
			for i := 0; i < b.n; i++ {
				row := b.row(i)
				for _, s := range d.clear {
					row[s] = 0
				}
				buf = keyOf(row, d.key, buf)
				buf = append(buf, byte(origin[i]), byte(origin[i]>>8), byte(origin[i]>>16), byte(origin[i]>>24))
				if set[string(buf)] {
					continue
				}
				set[string(buf)] = true
				*held++
				if err := ex.hold(1); err != nil {
					return err
				}
				if w != i {
					copy(b.row(w), row)
					b.src[w] = b.src[i]
				}
				origin[w] = origin[i]
				w++
			}
			b.n = w
			b.ids = b.ids[:w*b.w]
			b.src = b.src[:w]
			origin = origin[:w]
			if w == 0 {
				return nil
			}
		}
		if last {
			copy(b.src, origin)
			return emit(b)
		}
		return n.stage(ctx, ex, k+1, b, origin, emit, seen, held)
	})
}

func (n *seqNode) explain() *Explain {
	e := &Explain{Op: "join", Detail: "bind join, in this order", Estimate: -1}
	for k, s := range n.steps {
		e.Children = append(e.Children, s.explain())
		if d := n.dedupe[k]; d != nil {
			e.Children = append(e.Children, &Explain{Op: "dedupe", Detail: fmt.Sprintf("drop %d variable(s) no later step reads, and the duplicates", len(d.clear)), Estimate: -1})
		}
	}
	return e
}

// filterNode keeps the input rows for which its expression is true.
type filterNode struct {
	exprs *exprSet
	label string
}

func (n *filterNode) run(ctx context.Context, ex *exec, in *batch, emit emitFn) error {
	c, err := n.exprs.prepare(ctx, ex, in)
	if err != nil {
		return err
	}
	f := newFlusher(in.w, emit)
	e := n.exprs.exprs[0]
	for i := 0; i < in.n; i++ {
		c.at(in, i)
		if ebvOf(c, e) {
			f.out.add(in.row(i), int32(i))
			if err := f.check(); err != nil {
				return err
			}
		}
	}
	return f.flush()
}

func (n *filterNode) explain() *Explain { return &Explain{Op: "filter", Detail: n.label, Estimate: -1} }

// extendNode is BIND, or a chain of them: it binds each variable to its
// expression's value, in order, each expression seeing the ones before.
type extendNode struct {
	child node
	slots []int
	exprs *exprSet
	label string
}

func (n *extendNode) run(ctx context.Context, ex *exec, in *batch, emit emitFn) error {
	f := newFlusher(in.w, emit)
	k := len(n.slots)
	var vals []val
	var ids []ID
	keep := make([]bool, 0, batchSize)
	err := n.child.run(ctx, ex, in, func(b *batch) error {
		c, err := n.exprs.prepare(ctx, ex, b)
		if err != nil {
			return err
		}
		vals = vals[:0]
		keep = keep[:0]
		for i := 0; i < b.n; i++ {
			c.at(b, i)
			c.computed = c.computed[:0]
			for j, e := range n.exprs.exprs {
				v := e.eval(c)
				vals = append(vals, v)
				c.computed = append(c.computed, computedVal{slot: n.slots[j], v: v})
			}
			keep = append(keep, true)
		}
		ids = growIDs(ids, len(vals))
		if err := ex.internVals(ctx, vals, ids); err != nil {
			return err
		}
		for i := 0; i < b.n; i++ {
			row := f.out.add(b.row(i), b.src[i])
			ok := true
			for j, s := range n.slots {
				id := ids[i*k+j]
				switch cur := row[s]; {
				case cur == 0:
					row[s] = id
				case id != 0 && id != cur:
					// Bound by the input (an injected row): the value
					// must agree; an error leaves the binding.
					ok = false
				}
			}
			if !ok {
				f.out.n--
				f.out.ids = f.out.ids[:f.out.n*f.out.w]
				f.out.src = f.out.src[:f.out.n]
				continue
			}
			if err := f.check(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return f.flush()
}

func (n *extendNode) explain() *Explain {
	return &Explain{Op: "extend", Detail: n.label, Estimate: -1, Children: []*Explain{n.child.explain()}}
}

// internVals sets out[i] to the ID of vals[i] (zero for errors), reusing
// the IDs values read from solutions already have.
func (ex *exec) internVals(ctx context.Context, vals []val, out []ID) error {
	pending := false
	for i := range vals {
		out[i] = vals[i].id
		if out[i] == 0 && vals[i].k != kErr {
			pending = true
		}
	}
	if !pending {
		return nil
	}
	qv := make([]quad.Value, len(vals))
	for i := range vals {
		if out[i] == 0 && vals[i].k != kErr {
			qv[i] = vals[i].toQuad()
		}
	}
	ids := make([]ID, len(vals))
	if err := ex.d.internBatch(ctx, qv, ids); err != nil {
		return err
	}
	for i := range vals {
		if out[i] == 0 {
			out[i] = ids[i]
		}
	}
	return nil
}

// unionNode is the multiset union of two patterns.
type unionNode struct{ l, r node }

func (n *unionNode) run(ctx context.Context, ex *exec, in *batch, emit emitFn) error {
	if err := n.l.run(ctx, ex, in, emit); err != nil {
		return err
	}
	return n.r.run(ctx, ex, in, emit)
}

func (n *unionNode) explain() *Explain {
	return &Explain{Op: "union", Estimate: -1, Children: []*Explain{n.l.explain(), n.r.explain()}}
}

// leftJoinNode is OPTIONAL: r runs on the rows l emits, with l's
// bindings injected (or, when that would change the answer, r is a hash
// join of its own solutions).
type leftJoinNode struct {
	l, r  node
	exprs *exprSet // nil: no condition
	label string
}

func (n *leftJoinNode) run(ctx context.Context, ex *exec, in *batch, emit emitFn) error {
	f := newFlusher(in.w, emit)
	var matched []bool
	err := n.l.run(ctx, ex, in, func(a *batch) error {
		matched = append(matched[:0], make([]bool, a.n)...)
		err := n.r.run(ctx, ex, a, func(rb *batch) error {
			var c *ectx
			if n.exprs != nil {
				var err error
				if c, err = n.exprs.prepare(ctx, ex, rb); err != nil {
					return err
				}
			}
			for i := 0; i < rb.n; i++ {
				if c != nil {
					c.at(rb, i)
					if !ebvOf(c, n.exprs.exprs[0]) {
						continue
					}
				}
				matched[rb.src[i]] = true
				f.out.add(rb.row(i), a.src[rb.src[i]])
				if err := f.check(); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		for i := 0; i < a.n; i++ {
			if !matched[i] {
				f.out.add(a.row(i), a.src[i])
				if err := f.check(); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return f.flush()
}

func (n *leftJoinNode) explain() *Explain {
	return &Explain{Op: "optional", Detail: n.label, Estimate: -1, Children: []*Explain{n.l.explain(), n.r.explain()}}
}

// materialize evaluates n once per evaluation on one empty row and keeps
// its solutions.
func (ex *exec) materialize(ctx context.Context, n node, w int) ([][]ID, error) {
	if ex.cache == nil {
		ex.cache = map[node][][]ID{}
	}
	if rows, ok := ex.cache[n]; ok {
		return rows, nil
	}
	var rows [][]ID
	err := n.run(ctx, ex, unitBatch(w), func(b *batch) error {
		if err := ex.hold(b.n); err != nil {
			return err
		}
		// One copy per batch, not per row.
		flat := append([]ID(nil), b.ids[:b.n*b.w]...)
		for i := 0; i < b.n; i++ {
			rows = append(rows, flat[i*b.w:(i+1)*b.w:(i+1)*b.w])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	ex.cache[n] = rows
	return rows, nil
}

// compatible reports whether two rows agree on every slot both bind, and
// whether they share a bound slot.
func compatible(a, b []ID, slots []int) (ok, shared bool) {
	for _, s := range slots {
		x, y := a[s], b[s]
		if x != 0 && y != 0 {
			if x != y {
				return false, shared
			}
			shared = true
		}
	}
	return true, shared
}

// hashJoinNode joins the input rows with the solutions of child, evaluated
// once on its own: by hashing on the variables both bind for certain
// (keys), checking the others (slots) for compatibility.
type hashJoinNode struct {
	child node
	slots []int // the variables child may bind
	keys  []int // those both sides bind for certain
}

type hashTable struct {
	rows    [][]ID
	buckets map[string][]int
	// byID replaces buckets when there is one key (the common join on
	// one variable): no key bytes to build per row.
	byID map[ID][]int
}

func keyOf(row []ID, slots []int, buf []byte) []byte {
	buf = buf[:0]
	for _, s := range slots {
		id := row[s]
		buf = append(buf, byte(id), byte(id>>8), byte(id>>16), byte(id>>24), byte(id>>32), byte(id>>40), byte(id>>48), byte(id>>56))
	}
	return buf
}

func (n *hashJoinNode) table(ctx context.Context, ex *exec, w int) (*hashTable, error) {
	if ex.tables == nil {
		ex.tables = map[node]*hashTable{}
	}
	if t, ok := ex.tables[n]; ok {
		return t, nil
	}
	rows, err := ex.materialize(ctx, n.child, w)
	if err != nil {
		return nil, err
	}
	t := &hashTable{rows: rows}
	if len(n.keys) == 1 {
		k := n.keys[0]
		t.byID = make(map[ID][]int, len(rows))
		for i, r := range rows {
			t.byID[r[k]] = append(t.byID[r[k]], i)
		}
	} else if len(n.keys) > 0 {
		t.buckets = map[string][]int{}
		var buf []byte
		for i, r := range rows {
			buf = keyOf(r, n.keys, buf)
			t.buckets[string(buf)] = append(t.buckets[string(buf)], i)
		}
	}
	ex.tables[n] = t
	return t, nil
}

func (n *hashJoinNode) run(ctx context.Context, ex *exec, in *batch, emit emitFn) error {
	t, err := n.table(ctx, ex, in.w)
	if err != nil {
		return err
	}
	f := newFlusher(in.w, emit)
	var buf []byte
	all := make([]int, 0)
	for i := 0; i < in.n; i++ {
		if i&255 == 0 {
			if err := ex.checkCtx(ctx); err != nil {
				return err
			}
		}
		row := in.row(i)
		cands := all[:0]
		if t.byID != nil {
			cands = t.byID[row[n.keys[0]]]
		} else if t.buckets != nil {
			buf = keyOf(row, n.keys, buf)
			cands = t.buckets[string(buf)]
		} else {
			for j := range t.rows {
				cands = append(cands, j)
			}
			all = cands
		}
		for _, j := range cands {
			r := t.rows[j]
			if ok, _ := compatible(row, r, n.slots); !ok {
				continue
			}
			out := f.out.add(row, int32(i))
			for _, s := range n.slots {
				if out[s] == 0 {
					out[s] = r[s]
				}
			}
			if err := f.check(); err != nil {
				return err
			}
		}
	}
	return f.flush()
}

func (n *hashJoinNode) explain() *Explain {
	return &Explain{Op: "hash join", Detail: "evaluated once on its own", Estimate: -1, Children: []*Explain{n.child.explain()}}
}

// minusNode removes the left rows compatible with a solution of r that
// shares a variable with them.
type minusNode struct {
	l, r     node
	shared   []int // variables both sides may bind
	subst    bool  // inside EXISTS: r sees the input row's bindings
	injected []int // subst: the variables of the input rows
}

func (n *minusNode) run(ctx context.Context, ex *exec, in *batch, emit emitFn) error {
	f := newFlusher(in.w, emit)
	var right [][]ID
	var bySrc map[int32][][]ID
	if n.subst {
		bySrc = map[int32][][]ID{}
		err := n.r.run(ctx, ex, in, func(b *batch) error {
			for i := 0; i < b.n; i++ {
				bySrc[b.src[i]] = append(bySrc[b.src[i]], append([]ID(nil), b.row(i)...))
			}
			return nil
		})
		if err != nil {
			return err
		}
	} else {
		var err error
		if right, err = ex.materialize(ctx, n.r, in.w); err != nil {
			return err
		}
	}
	err := n.l.run(ctx, ex, in, func(a *batch) error {
		for i := 0; i < a.n; i++ {
			row := a.row(i)
			rs := right
			var mu []ID
			if n.subst {
				rs = bySrc[a.src[i]]
				mu = in.row(int(a.src[i]))
			}
			removed := false
			for _, r := range rs {
				ok, shared := compatible(row, r, n.shared)
				if ok && n.subst {
					// Variables the substitution fixed are constants in r,
					// not variables the two sides share.
					shared = false
					for _, s := range n.shared {
						if row[s] != 0 && r[s] != 0 && mu[s] == 0 {
							shared = true
						}
					}
				}
				if ok && shared {
					removed = true
					break
				}
			}
			if !removed {
				f.out.add(row, a.src[i])
				if err := f.check(); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return f.flush()
}

func (n *minusNode) explain() *Explain {
	return &Explain{Op: "minus", Estimate: -1, Children: []*Explain{n.l.explain(), n.r.explain()}}
}

// valuesNode joins the input rows with inline data.
type valuesNode struct {
	slots []int
	rows  [][]ID
}

func (n *valuesNode) run(ctx context.Context, ex *exec, in *batch, emit emitFn) error {
	f := newFlusher(in.w, emit)
	for i := 0; i < in.n; i++ {
		if err := ex.checkCtx(ctx); err != nil {
			return err
		}
		row := in.row(i)
	next:
		for _, vr := range n.rows {
			for k, s := range n.slots {
				if vr[k] != 0 && row[s] != 0 && vr[k] != row[s] {
					continue next
				}
			}
			out := f.out.add(row, int32(i))
			for k, s := range n.slots {
				if vr[k] != 0 {
					out[s] = vr[k]
				}
			}
			if err := f.check(); err != nil {
				return err
			}
		}
	}
	return f.flush()
}

func (n *valuesNode) explain() *Explain {
	return &Explain{Op: "values", Detail: fmt.Sprintf("%d rows", len(n.rows)), Estimate: int64(len(n.rows))}
}

// namedGraphs enumerates the graph labels of the store (once per
// evaluation): a full scan, needed only for GRAPH ?g over a pattern with
// no triple pattern inside.
func (ex *exec) namedGraphs(ctx context.Context) ([]ID, error) {
	if ex.namedDone {
		return ex.named, nil
	}
	seen := map[ID]bool{}
	err := ex.r.All(ctx, func(q frontier.Quad) bool {
		if q.G != 0 && !seen[q.G] {
			seen[q.G] = true
			ex.named = append(ex.named, q.G)
		}
		return true
	})
	if err != nil {
		return nil, wrapCtx(ex.op, err)
	}
	ex.namedDone = true
	return ex.named, nil
}

// graphsNode binds (or checks) a graph variable or constant against the
// named graphs of the dataset.
type graphsNode struct {
	g     pos
	named map[ID]bool // nil: every graph of the store
}

func (n *graphsNode) run(ctx context.Context, ex *exec, in *batch, emit emitFn) error {
	all, err := ex.namedGraphs(ctx)
	if err != nil {
		return err
	}
	exists := map[ID]bool{}
	for _, g := range all {
		if n.named == nil || n.named[g] {
			exists[g] = true
		}
	}
	f := newFlusher(in.w, emit)
	for i := 0; i < in.n; i++ {
		row := in.row(i)
		if g := n.g.value(row); g != 0 {
			if exists[g] {
				f.out.add(row, int32(i))
			}
		} else {
			for _, g := range all {
				if exists[g] {
					f.out.add(row, int32(i))[n.g.slot] = g
					if err := f.check(); err != nil {
						return err
					}
				}
			}
		}
		if err := f.check(); err != nil {
			return err
		}
	}
	return f.flush()
}

func (n *graphsNode) explain() *Explain {
	return &Explain{Op: "graphs", Detail: "the named graphs of the dataset", Estimate: -1}
}

// projectNode clears the variables a sub-select does not project.
type projectNode struct {
	child node
	drop  []int
	label []string
}

func (n *projectNode) run(ctx context.Context, ex *exec, in *batch, emit emitFn) error {
	if len(n.drop) == 0 {
		return n.child.run(ctx, ex, in, emit)
	}
	return n.child.run(ctx, ex, in, func(b *batch) error {
		for i := 0; i < b.n; i++ {
			row := b.row(i)
			for _, s := range n.drop {
				row[s] = 0
			}
		}
		return emit(b)
	})
}

func (n *projectNode) explain() *Explain {
	return &Explain{Op: "project", Detail: strings.Join(n.label, " "), Estimate: -1, Children: []*Explain{n.child.explain()}}
}

// distinctNode removes duplicate solutions (per input row). REDUCED uses
// it with a bounded memory: it forgets what it saw when the set grows
// large, which REDUCED allows.
type distinctNode struct {
	child   node
	slots   []int
	reduced bool
}

const reducedWindow = 1 << 14

func (n *distinctNode) run(ctx context.Context, ex *exec, in *batch, emit emitFn) error {
	seen := map[string]bool{}
	held := 0
	defer func() { ex.release(held) }()
	f := newFlusher(in.w, emit)
	var buf []byte
	err := n.child.run(ctx, ex, in, func(b *batch) error {
		for i := 0; i < b.n; i++ {
			row := b.row(i)
			buf = keyOf(row, n.slots, buf)
			buf = append(buf, byte(b.src[i]), byte(b.src[i]>>8), byte(b.src[i]>>16), byte(b.src[i]>>24))
			if seen[string(buf)] {
				continue
			}
			if n.reduced && len(seen) >= reducedWindow {
				clear(seen)
			}
			seen[string(buf)] = true
			if !n.reduced {
				held++
				if err := ex.hold(1); err != nil {
					return err
				}
			}
			f.out.add(row, b.src[i])
			if err := f.check(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return f.flush()
}

func (n *distinctNode) explain() *Explain {
	op := "distinct"
	if n.reduced {
		op = "reduced"
	}
	return &Explain{Op: op, Estimate: -1, Children: []*Explain{n.child.explain()}}
}

// stopError ends a walk early without failing it; each sliceNode run has
// its own, so that nested slices stop only their own walk.
type stopError struct{}

func (*stopError) Error() string { return "stop" }

// sliceNode is OFFSET and LIMIT.
type sliceNode struct {
	child         node
	offset, limit int64
}

func (n *sliceNode) run(ctx context.Context, ex *exec, in *batch, emit emitFn) error {
	if n.limit == 0 {
		return nil
	}
	stop := &stopError{}
	var seen, sent int64
	f := newFlusher(in.w, emit)
	err := n.child.run(ctx, ex, in, func(b *batch) error {
		for i := 0; i < b.n; i++ {
			seen++
			if seen <= n.offset {
				continue
			}
			f.out.add(b.row(i), b.src[i])
			sent++
			if n.limit >= 0 && sent >= n.limit {
				if err := f.flush(); err != nil {
					return err
				}
				return stop
			}
			if err := f.check(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && err != stop {
		return err
	}
	return f.flush()
}

func (n *sliceNode) explain() *Explain {
	d := fmt.Sprintf("offset %d", n.offset)
	if n.limit >= 0 {
		d += fmt.Sprintf(", limit %d", n.limit)
	}
	return &Explain{Op: "slice", Detail: d, Estimate: n.limit, Children: []*Explain{n.child.explain()}}
}

// graphLoopNode evaluates GRAPH ?g { P } one named graph at a time:
// P's patterns read the graph from exec.params, and each solution is
// joined with ?g.
type graphLoopNode struct {
	child node
	param int
	slot  int
	named map[ID]bool
}

func (n *graphLoopNode) run(ctx context.Context, ex *exec, in *batch, emit emitFn) error {
	graphs, err := ex.namedGraphs(ctx)
	if err != nil {
		return err
	}
	// When every input row binds ?g, only those graphs matter.
	bound := map[ID]bool{}
	for i := 0; i < in.n; i++ {
		g := in.row(i)[n.slot]
		if g == 0 {
			bound = nil
			break
		}
		bound[g] = true
	}
	saved := ex.params[n.param]
	defer func() { ex.params[n.param] = saved }()
	f := newFlusher(in.w, emit)
	for _, g := range graphs {
		if n.named != nil && !n.named[g] || bound != nil && !bound[g] {
			continue
		}
		ex.params[n.param] = g
		err := n.child.run(ctx, ex, in, func(b *batch) error {
			for i := 0; i < b.n; i++ {
				row := b.row(i)
				if row[n.slot] != 0 && row[n.slot] != g {
					continue
				}
				f.out.add(row, b.src[i])[n.slot] = g
				if err := f.check(); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return f.flush()
}

func (n *graphLoopNode) explain() *Explain {
	return &Explain{Op: "graph loop", Detail: "the pattern once per named graph", Estimate: -1, Children: []*Explain{n.child.explain()}}
}
