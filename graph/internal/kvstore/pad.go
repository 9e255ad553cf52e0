package kvstore

import (
	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// padSharedNodes works around a fault of Cayley v0.7.7's key-value stores
// (bolt, leveldb): ApplyDeltas nets the reference changes of each node over
// the batch, and an added quad loses every node whose net change is
// negative: after replacing a graph of 50 quads with 30, the 30 new quads
// are stored without their graph label. For every node an added quad uses
// and more removed quads than added ones use, the batch gets that many
// repeats of one of the added quads: the store skips the repeats as
// duplicates but counts their references, so the node's net change is zero
// and every added quad keeps all its nodes. The cost is a reference count
// that stays too high, so such a node's value is not reclaimed when its
// last quad goes; reads are not affected.
func padSharedNodes(deltas []cgraph.Delta) []cgraph.Delta {
	net := make(map[quad.Value]int)
	used := make(map[quad.Value]bool) // nodes of added quads
	for _, d := range deltas {
		inc := 1
		if d.Action == cgraph.Delete {
			inc = -1
		}
		for _, dir := range quad.Directions {
			if v := d.Quad.Get(dir); v != nil {
				net[v] += inc
				if inc > 0 {
					used[v] = true
				}
			}
		}
	}
	short := 0
	for v := range used {
		if net[v] < 0 {
			short++
		}
	}
	if short == 0 {
		return deltas
	}
	n := len(deltas)
	for i := 0; i < n && short > 0; i++ {
		d := deltas[i]
		if d.Action != cgraph.Add {
			continue
		}
		for {
			needy := false
			for _, dir := range quad.Directions {
				if v := d.Quad.Get(dir); v != nil && net[v] < 0 {
					needy = true
				}
			}
			if !needy {
				break
			}
			deltas = append(deltas, d)
			for _, dir := range quad.Directions {
				if v := d.Quad.Get(dir); v != nil {
					net[v]++
					if net[v] == 0 && used[v] {
						short--
					}
				}
			}
		}
	}
	return deltas
}
