package memindex

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
)

// TestLinks checks every node's links, both ways, against its quads as
// Quads gives them (rdf:type and literal or blank ends left out, one link
// per predicate and IRI however many graphs), over a random graph built
// at once, then changed by writes (whose nodes may say they have no links
// at hand, but never give wrong ones) and compacted (after which every
// node has them again).
func TestLinks(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 9))
	node := func() quad.Value {
		switch rng.IntN(10) {
		case 0:
			return quad.String(fmt.Sprint("lit", rng.IntN(5)))
		case 1:
			return quad.BNode(fmt.Sprint("b", rng.IntN(5)))
		}
		return iri(fmt.Sprint("n", rng.IntN(40)))
	}
	random := func(n int) []quad.Quad {
		var qs []quad.Quad
		for range n {
			p := quad.Value(iri(fmt.Sprint("p", rng.IntN(3))))
			if rng.IntN(5) == 0 {
				p = quad.IRI(frontier.RDFType)
			}
			s := node()
			if _, ok := s.(quad.String); ok {
				s = iri("n0")
			}
			q := quad.Quad{Subject: s, Predicate: p, Object: node()}
			if rng.IntN(3) == 0 {
				q.Label = iri(fmt.Sprint("g", rng.IntN(2)))
			}
			qs = append(qs, q)
		}
		return qs
	}
	x := FromQuads(random(400))
	check := func(stage string, all bool) {
		r, err := x.Reader(ctx)
		if err != nil {
			t.Fatal(err)
		}
		typ := make([]frontier.ID, 1)
		if err := r.Lookup(ctx, []quad.Value{quad.IRI(frontier.RDFType)}, typ); err != nil {
			t.Fatal(err)
		}
		lr := r.(*reader)
		given := 0
		for id := frontier.ID(1); id <= frontier.ID(lr.st.terms.n); id++ {
			for _, in := range []bool{false, true} {
				got, ok := lr.Links(id, in)
				if !ok {
					if all {
						t.Fatalf("%s: Links(%d, %v) not at hand", stage, id, in)
					}
					continue
				}
				given++
				dir, far := quad.Subject, func(q frontier.Quad) frontier.ID { return q.O }
				if in {
					dir, far = quad.Object, func(q frontier.Quad) frontier.ID { return q.S }
				}
				var ends []frontier.ID
				var want []Link
				err := r.Quads(ctx, dir, []frontier.ID{id}, nil, func(_ int, q frontier.Quad) bool {
					if q.P != typ[0] {
						want = append(want, Link{P: uint32(q.P), V: uint32(far(q))})
						ends = append(ends, far(q))
					}
					return true
				})
				if err != nil {
					t.Fatal(err)
				}
				isIRI := make([]bool, len(ends))
				if err := r.(interface {
					IRIs(context.Context, []frontier.ID, []bool) error
				}).IRIs(ctx, ends, isIRI); err != nil {
					t.Fatal(err)
				}
				kept := want[:0]
				for i, l := range want {
					if isIRI[i] {
						kept = append(kept, l)
					}
				}
				slices.SortFunc(kept, func(a, b Link) int {
					if a.P != b.P {
						return int(a.P) - int(b.P)
					}
					return int(a.V) - int(b.V)
				})
				kept = slices.Compact(kept)
				if !slices.Equal(got, kept) && (len(got) > 0 || len(kept) > 0) {
					t.Fatalf("%s: Links(%d, %v) = %v, want %v", stage, id, in, got, kept)
				}
			}
		}
		if given == 0 {
			t.Fatalf("%s: no node had its links at hand", stage)
		}
	}
	check("built", true)
	for step := range 5 {
		if err := x.Apply(ctx, random(20), random(20)); err != nil {
			t.Fatal(err)
		}
		check(fmt.Sprint("after write ", step), false)
	}
	if err := x.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	check("compacted", true)
}
