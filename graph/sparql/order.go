package sparql

import (
	"container/heap"
	"context"
	"fmt"
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
	seq  int
	keys []val
}

// before reports whether a sorts before b: by the keys, then by arrival
// (a stable sort).
func (n *orderNode) before(a, b *sortedRow) bool {
	for k := range n.keys {
		c := orderCompare(&a.keys[k], &b.keys[k])
		if n.desc[k] {
			c = -c
		}
		if c != 0 {
			return c < 0
		}
	}
	return a.seq < b.seq
}

// topHeap keeps the first limit rows: a max-heap by the sort order.
type topHeap struct {
	n    *orderNode
	rows []sortedRow
}

func (h *topHeap) Len() int           { return len(h.rows) }
func (h *topHeap) Less(i, j int) bool { return h.n.before(&h.rows[j], &h.rows[i]) }
func (h *topHeap) Swap(i, j int)      { h.rows[i], h.rows[j] = h.rows[j], h.rows[i] }
func (h *topHeap) Push(x any)         { h.rows = append(h.rows, x.(sortedRow)) }
func (h *topHeap) Pop() any {
	last := h.rows[len(h.rows)-1]
	h.rows = h.rows[:len(h.rows)-1]
	return last
}

func (n *orderNode) run(ctx context.Context, ex *exec, in *batch, emit emitFn) error {
	var rows []sortedRow
	top := &topHeap{n: n}
	seq := 0
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
		if n.limit < 0 {
			if err := ex.hold(b.n); err != nil {
				return err
			}
			held += b.n
		}
		for i := 0; i < b.n; i++ {
			r := sortedRow{src: b.src[i], seq: seq, keys: make([]val, len(n.keys))}
			seq++
			for k, ks := range n.keys {
				ctxs[k].at(b, i)
				r.keys[k] = ks.exprs[0].eval(ctxs[k])
			}
			if n.limit >= 0 {
				// Top k: keep the first limit rows only.
				if int64(top.Len()) >= n.limit {
					if n.limit == 0 || !n.before(&r, &top.rows[0]) {
						continue
					}
					heap.Pop(top)
				}
				if int64(top.Len()) < n.limit {
					if err := ex.hold(1); err != nil {
						return err
					}
					held++
				}
				r.row = append([]ID(nil), b.row(i)...)
				heap.Push(top, r)
				continue
			}
			r.row = append([]ID(nil), b.row(i)...)
			rows = append(rows, r)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if n.limit >= 0 {
		rows = top.rows
	}
	sort.Slice(rows, func(i, j int) bool { return n.before(&rows[i], &rows[j]) })
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
	d := ""
	if n.limit >= 0 {
		d = fmt.Sprintf("keeping the first %d", n.limit)
	}
	return &Explain{Op: "order", Detail: d, Estimate: -1, Children: []*Explain{n.child.explain()}}
}
