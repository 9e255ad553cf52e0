package graph

import (
	"math/rand/v2"
	"testing"
)

// TestNodeSlots numbers random IDs, small, large and zero, against a map,
// through several resets of the same nodeSlots (the table grows past
// what a reset keeps in the first rounds).
func TestNodeSlots(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var s nodeSlots
	for round := range 4 {
		want := map[nid]int32{}
		for range []int{5000, 20000, 300, 5000}[round] {
			var id nid
			switch rng.IntN(4) {
			case 0:
				id = nid(1 + rng.IntN(100)) // the same few, often
			case 1:
				id = nid(1 + rng.IntN(1<<20))
			case 2:
				id = nid(rng.IntN(3)) // node 0 has a slot of its own
			default:
				id = nid(rng.Uint64()>>1 + 1)
			}
			before := s.get(id)
			k, added := s.slot(id)
			w, had := want[id]
			switch {
			case had && (added || k != w || before != w):
				t.Fatalf("round %d: slot(%d) = %d, %v (get %d), want %d, false", round, id, k, added, before, w)
			case !had && (!added || k != int32(len(want)+1) || before != 0):
				t.Fatalf("round %d: new slot(%d) = %d, %v (get %d), want %d, true", round, id, k, added, before, len(want)+1)
			}
			want[id] = k
			if s.id(k) != id {
				t.Fatalf("round %d: id(%d) = %d, want %d", round, k, s.id(k), id)
			}
		}
		if s.len() != len(want) {
			t.Errorf("round %d: len() = %d, want %d", round, s.len(), len(want))
		}
		s.reset()
		for id := range want {
			if k := s.get(id); k != 0 {
				t.Fatalf("round %d: get(%d) = %d after reset", round, id, k)
			}
		}
		if s.len() != 0 {
			t.Errorf("round %d: len() = %d after reset", round, s.len())
		}
	}
}
