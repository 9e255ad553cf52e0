package frontiertest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
)

// Opener opens a Source holding exactly quads, as a store would hold them
// after writing them (a quad given twice is stored once; nil Label is the
// default graph). It fails t if it cannot, and registers with t.Cleanup
// whatever must be released when the subtest ends.
type Opener func(t testing.TB, quads []quad.Quad) frontier.Source

// Run runs every conformance subtest against the Sources open makes; each
// subtest opens its own.
func Run(t *testing.T, open Opener) {
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.data
			if data == nil {
				data = fixture
			}
			quads := data()
			c := &check{T: t, ctx: context.Background(), src: open(t, quads), m: newModel(quads)}
			c.r = c.reader(c.ctx)
			tc.run(c)
		})
	}
}

// unknownID is an ID no Reader of the suite's small datasets hands out (IDs
// are dense).
const unknownID = frontier.ID(1 << 62)

// check is one subtest's state: the Source, a Reader open on it and the
// model of the quads it holds.
type check struct {
	*testing.T
	ctx context.Context
	src frontier.Source
	r   frontier.Reader
	m   *model
}

// reader opens a Reader on the Source and closes it when the subtest ends,
// failing if Close does.
func (c *check) reader(ctx context.Context) frontier.Reader {
	c.Helper()
	r, err := c.src.Reader(ctx)
	if err != nil {
		c.Fatalf("Source.Reader: %v", err)
	}
	c.Cleanup(func() {
		if err := r.Close(); err != nil {
			c.Errorf("Reader.Close() = %v", err)
		}
	})
	return r
}

// lookup returns the IDs of vs (zero where unknown).
func (c *check) lookup(r frontier.Reader, vs ...quad.Value) []frontier.ID {
	c.Helper()
	out := make([]frontier.ID, len(vs))
	if err := r.Lookup(c.ctx, vs, out); err != nil {
		c.Fatalf("Lookup(%d values): %v", len(vs), err)
	}
	return out
}

// ids returns the IDs of vs, failing on any unknown one.
func (c *check) ids(vs ...quad.Value) []frontier.ID {
	c.Helper()
	out := c.lookup(c.r, vs...)
	for i, id := range out {
		if id == 0 {
			c.Fatalf("Lookup(%v) = 0, want the ID of a stored value", vs[i])
		}
	}
	return out
}

func (c *check) id(v quad.Value) frontier.ID {
	c.Helper()
	return c.ids(v)[0]
}

func (c *check) values(r frontier.Reader, ids []frontier.ID) []quad.Value {
	c.Helper()
	out := make([]quad.Value, len(ids))
	if err := r.Values(c.ctx, ids, out); err != nil {
		c.Fatalf("Values(%d IDs): %v", len(ids), err)
	}
	return out
}

// decode turns quads of IDs into model keys, failing on IDs Values does not
// know.
func (c *check) decode(r frontier.Reader, qs []frontier.Quad) []string {
	c.Helper()
	ids := make([]frontier.ID, 0, 4*len(qs))
	for _, x := range qs {
		ids = append(ids, x.S, x.P, x.O, x.G)
	}
	vals := c.values(r, ids)
	out := make([]string, len(qs))
	for i, x := range qs {
		v := vals[4*i : 4*i+4]
		for j, id := range []frontier.ID{x.S, x.P, x.O, x.G} {
			if v[j] == nil && (id != 0 || j < 3) {
				c.Errorf("quad %+v: Values(%d) = nil, want the value of an ID the Reader gave", x, id)
			}
		}
		out[i] = quadKey(quad.Quad{Subject: v[0], Predicate: v[1], Object: v[2], Label: v[3]})
	}
	return out
}

// quads runs Quads and returns its answer as model lines "i quadKey",
// checking on the way that each quad has nodes[i] in direction dir and that
// the quads of one index come together.
func (c *check) quads(r frontier.Reader, dir quad.Direction, nodes, preds []frontier.ID) []string {
	c.Helper()
	var (
		idx  []int
		qs   []frontier.Quad
		done = map[int]bool{}
		last = -1
	)
	err := r.Quads(c.ctx, dir, nodes, preds, func(i int, x frontier.Quad) bool {
		if i < 0 || i >= len(nodes) {
			c.Errorf("Quads(%v) gave index %d for %d nodes", dir, i, len(nodes))
			return false
		}
		if x.At(dir) != nodes[i] {
			c.Errorf("Quads(%v) gave %+v for nodes[%d] = %d", dir, x, i, nodes[i])
		}
		if i != last {
			if done[i] {
				c.Errorf("Quads(%v): the quads of nodes[%d] do not come together", dir, i)
			}
			done[last], last = true, i
		}
		idx, qs = append(idx, i), append(qs, x)
		return true
	})
	if err != nil {
		c.Fatalf("Quads(%v, %d nodes): %v", dir, len(nodes), err)
	}
	keys := c.decode(r, qs)
	for j := range keys {
		keys[j] = fmt.Sprintf("%d %s", idx[j], keys[j])
	}
	return keys
}

// all returns All's answer as model keys.
func (c *check) all(r frontier.Reader) []string {
	c.Helper()
	var qs []frontier.Quad
	if err := r.All(c.ctx, func(x frontier.Quad) bool { qs = append(qs, x); return true }); err != nil {
		c.Fatalf("All: %v", err)
	}
	return c.decode(r, qs)
}

// same reports the difference of two multisets of lines.
func (c *check) same(what string, got, want []string) {
	c.Helper()
	got, want = slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
	if slices.Equal(got, want) {
		return
	}
	var missing, extra []string
	i, j := 0, 0
	for i < len(got) || j < len(want) {
		switch {
		case j == len(want) || i < len(got) && got[i] < want[j]:
			extra = append(extra, got[i])
			i++
		case i == len(got) || want[j] < got[i]:
			missing = append(missing, want[j])
			j++
		default:
			i, j = i+1, j+1
		}
	}
	c.Errorf("%s: got %d, want %d;\nmissing:\n\t%s\nunexpected:\n\t%s", what, len(got), len(want),
		strings.Join(clip(missing), "\n\t"), strings.Join(clip(extra), "\n\t"))
}

func clip(s []string) []string {
	if len(s) > 20 {
		return append(s[:20:20], fmt.Sprintf("... and %d more", len(s)-20))
	}
	return s
}

// count checks one Count against the model: equal when exact, at least the
// true count otherwise.
func (c *check) count(r frontier.Reader, pattern frontier.Quad, want int64, what string) {
	c.Helper()
	n, exact, err := r.Count(c.ctx, pattern)
	switch {
	case err != nil:
		c.Errorf("Count(%s): %v", what, err)
	case exact && n != want:
		c.Errorf("Count(%s) = %d exact, want %d", what, n, want)
	case !exact && n < want:
		c.Errorf("Count(%s) = %d estimated, below the true %d (an estimate must bound it)", what, n, want)
	}
}

// describe checks Describe for vals (and their IDs) against the model.
func (c *check) describe(r frontier.Reader, vals []quad.Value, ids []frontier.ID) {
	c.Helper()
	out := make([]frontier.Facts, len(ids))
	if err := r.Describe(c.ctx, ids, out); err != nil {
		c.Fatalf("Describe(%d IDs): %v", len(ids), err)
	}
	for i, f := range out {
		wantTypes, wantLabel := c.m.facts(vals[i])
		var types []string
		if len(f.Types) > 0 {
			for _, v := range c.values(r, f.Types) {
				types = append(types, term(v))
			}
		}
		c.same(fmt.Sprintf("Describe(%v).Types", vals[i]), types, wantTypes)
		var lbl quad.Value
		if f.Label != 0 {
			lbl = c.values(r, []frontier.ID{f.Label})[0]
			if lbl == nil {
				c.Errorf("Describe(%v).Label = %d, which Values does not know", vals[i], f.Label)
			}
		}
		if term(lbl) != term(wantLabel) {
			c.Errorf("Describe(%v).Label = %v, want %v", vals[i], lbl, wantLabel)
		}
	}
}
