package graph

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// pathKey is the key sortPaths once built for each path: the order
// comparePaths must give without building it.
func pathKey(p Path) string {
	var b strings.Builder
	for i, n := range p.Nodes {
		b.WriteString(n.ID)
		b.WriteByte(0)
		if i < len(p.Edges) {
			b.WriteString(p.Edges[i].Predicate)
			b.WriteString(string(p.Edges[i].Direction))
			b.WriteByte(0)
		}
	}
	return b.String()
}

// TestComparePaths compares random paths made of IRIs that are prefixes
// of each other (and predicates whose direction may continue another
// predicate's text) by comparePaths and by their keys.
func TestComparePaths(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	ids := []string{"a", "ab", "abc", "b", "ba", ""}
	preds := []string{"p", "pin", "po", "pout", "q"}
	dirs := []Direction{Out, In}
	random := func() Path {
		var p Path
		n := rng.IntN(4)
		for i := range n {
			p.Nodes = append(p.Nodes, Node{ID: ids[rng.IntN(len(ids))]})
			if i < n-1 || rng.IntN(4) == 0 {
				p.Edges = append(p.Edges, Edge{Predicate: preds[rng.IntN(len(preds))], Direction: dirs[rng.IntN(2)]})
			}
		}
		return p
	}
	sign := func(c int) int {
		switch {
		case c < 0:
			return -1
		case c > 0:
			return 1
		}
		return 0
	}
	for range 20000 {
		a, b := random(), random()
		if got, want := sign(comparePaths(a, b)), strings.Compare(pathKey(a), pathKey(b)); got != want {
			t.Fatalf("comparePaths(%v, %v) = %d, want %d (keys %q, %q)", a, b, got, want, pathKey(a), pathKey(b))
		}
	}
}
