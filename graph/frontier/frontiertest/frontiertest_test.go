package frontiertest

import (
	"context"
	"slices"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
)

// TestNaive runs the suite against the plainest reader that can be written
// (every question a full scan), which shows the suite's expectations can
// all be met; real implementations run it from their own packages.
func TestNaive(t *testing.T) {
	Run(t, func(t testing.TB, quads []quad.Quad) frontier.Source { return newNaive(quads) })
}

// naive holds values in a list (ID = position + 1) and quads in a list.
type naive struct {
	vals  []quad.Value
	quads []frontier.Quad
}

func newNaive(quads []quad.Quad) *naive {
	n := &naive{}
	id := func(v quad.Value) frontier.ID {
		if v == nil {
			return 0
		}
		if i := slices.Index(n.vals, v); i >= 0 {
			return frontier.ID(i + 1)
		}
		n.vals = append(n.vals, v)
		return frontier.ID(len(n.vals))
	}
	for _, x := range quads {
		fq := frontier.Quad{S: id(x.Subject), P: id(x.Predicate), O: id(x.Object), G: id(x.Label)}
		if !slices.Contains(n.quads, fq) {
			n.quads = append(n.quads, fq)
		}
	}
	return n
}

func (n *naive) Reader(context.Context) (frontier.Reader, error) { return n, nil }

func (n *naive) Close() error { return nil }

func (n *naive) Lookup(ctx context.Context, vals []quad.Value, out []frontier.ID) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for i, v := range vals {
		out[i] = 0
		if j := slices.Index(n.vals, v); v != nil && j >= 0 {
			out[i] = frontier.ID(j + 1)
		}
	}
	return nil
}

func (n *naive) Values(ctx context.Context, ids []frontier.ID, out []quad.Value) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for i, id := range ids {
		out[i] = nil
		if id > 0 && id <= frontier.ID(len(n.vals)) {
			out[i] = n.vals[id-1]
		}
	}
	return nil
}

func (n *naive) Quads(ctx context.Context, dir quad.Direction, nodes, preds []frontier.ID, fn func(int, frontier.Quad) bool) error {
	for i, node := range nodes {
		for _, x := range n.quads {
			if err := ctx.Err(); err != nil {
				return err
			}
			if node != 0 && x.At(dir) == node && (preds == nil || slices.Contains(preds, x.P)) && !fn(i, x) {
				return nil
			}
		}
	}
	return ctx.Err()
}

func (n *naive) All(ctx context.Context, fn func(frontier.Quad) bool) error {
	for _, x := range n.quads {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !fn(x) {
			return nil
		}
	}
	return ctx.Err()
}

func (n *naive) Describe(ctx context.Context, ids []frontier.ID, out []frontier.Facts) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for i, id := range ids {
		var f frontier.Facts
		var best quad.Value
		for _, x := range n.quads {
			if id == 0 || x.S != id {
				continue
			}
			switch n.vals[x.P-1] {
			case frontier.RDFType:
				if !slices.Contains(f.Types, x.O) {
					f.Types = append(f.Types, x.O)
				}
			case frontier.RDFSLabel:
				if v := n.vals[x.O-1]; frontier.BetterLabel(v, best) {
					best, f.Label = v, x.O
				}
			}
		}
		out[i] = f
	}
	return nil
}

func (n *naive) Count(ctx context.Context, p frontier.Quad) (int64, bool, error) {
	if err := ctx.Err(); err != nil {
		return 0, false, err
	}
	var c int64
	for _, x := range n.quads {
		if (p.S == 0 || p.S == x.S) && (p.P == 0 || p.P == x.P) && (p.O == 0 || p.O == x.O) && (p.G == 0 || p.G == x.G) {
			c++
		}
	}
	return c, true, nil
}
