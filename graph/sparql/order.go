package sparql

import (
	"context"
	"sort"
)

// orderNode is ORDER BY: it holds all solutions of its child, sorts them
// by its keys (stable, so ties keep their order) and emits them.
type orderNode struct {
	child node
	keys  []*exprSet
	desc  []bool
	// limit, when >= 0, is the number of leading solutions anyone will
	// read (a LIMIT with its OFFSET above): only those are kept sorted.
	limit int64
}

type sortedRow struct {
	row  []ID
	src  int32
	keys []val
}

func (n *orderNode) run(ctx context.Context, ex *exec, in *batch, emit emitFn) error {
	var rows []sortedRow
	held := 0
	defer func() { ex.release(held) }()
	err := n.child.run(ctx, ex, in, func(b *batch) error {
		ctxs := make([]*ectx, len(n.keys))
		for k, ks := range n.keys {
			c, err := ks.prepare(ctx, ex, b)
			if err != nil {
				return err
			}
			ctxs[k] = c
		}
		if err := ex.hold(b.n); err != nil {
			return err
		}
		held += b.n
		for i := 0; i < b.n; i++ {
			r := sortedRow{row: append([]ID(nil), b.row(i)...), src: b.src[i], keys: make([]val, len(n.keys))}
			for k, ks := range n.keys {
				ctxs[k].at(b, i)
				r.keys[k] = ks.exprs[0].eval(ctxs[k])
			}
			rows = append(rows, r)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.SliceStable(rows, func(i, j int) bool {
		for k := range n.keys {
			c := orderCompare(&rows[i].keys[k], &rows[j].keys[k])
			if n.desc[k] {
				c = -c
			}
			if c != 0 {
				return c < 0
			}
		}
		return false
	})
	f := newFlusher(in.w, emit)
	for i, r := range rows {
		if i&1023 == 0 {
			if err := ex.checkCtx(ctx); err != nil {
				return err
			}
		}
		f.out.add(r.row, r.src)
		if err := f.check(); err != nil {
			return err
		}
	}
	return f.flush()
}

func (n *orderNode) explain() *Explain {
	return &Explain{Op: "order", Estimate: -1, Children: []*Explain{n.child.explain()}}
}
