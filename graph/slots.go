package graph

// nodeSlots numbers the nodes a search meets 1, 2, 3, ... so that what it
// learns of each lives in slices indexed by slot instead of maps keyed by
// node. The numbering itself is an open-addressing hash table (linear
// probing, a power-of-two size kept at most half full) sized to the nodes
// numbered, not to the graph: a search of a few hundred nodes probes a
// table of a few kilobytes that stays in the core's first-level cache,
// where a table indexed by node ID (as this was until December 2026)
// touched one line of a multi-megabyte array per edge read, a cache miss
// each on a server whose requests move between cores. reset forgets
// every node in time proportional to the nodes numbered and keeps the
// table, so a pooled nodeSlots serves query after query without
// allocating. Slot 0 means "none".
type nodeSlots struct {
	keys []nid   // 0 is an empty entry; node 0 lives in zero
	vals []int32 // the slot of keys[i]
	pos  []int32 // pos[k-1] is the entry of slot k's node, -1 for node 0
	ids  []nid   // ids[k-1] is the node of slot k
	zero int32   // the slot of node 0, 0 when it has none
	bits uint    // len(keys) == 1 << bits
}

const (
	// minSlotBits sizes a new table: 1,024 entries, 12 KB.
	minSlotBits = 10
	// keepSlotBits bounds the table a reset keeps: a search that grew
	// it further leaves it to the collector and the next starts small,
	// so that a rare large search does not make every later probe miss
	// the cache.
	keepSlotBits = 14
)

// home is the first entry probed for id (Fibonacci hashing: the
// multiplier spreads dense IDs over the table).
func (s *nodeSlots) home(id nid) uint64 {
	return (uint64(id) * 0x9e3779b97f4a7c15) >> (64 - s.bits)
}

// get returns the slot of id, 0 when it has none.
func (s *nodeSlots) get(id nid) int32 {
	if id == 0 {
		return s.zero
	}
	if s.keys == nil {
		return 0
	}
	mask := uint64(len(s.keys) - 1)
	for i := s.home(id); ; i = (i + 1) & mask {
		switch s.keys[i] {
		case id:
			return s.vals[i]
		case 0:
			return 0
		}
	}
}

// slot returns the slot of id, numbering id first when it has none (added
// is then true).
func (s *nodeSlots) slot(id nid) (k int32, added bool) {
	if id == 0 {
		if s.zero == 0 {
			s.ids = append(s.ids, 0)
			s.pos = append(s.pos, -1)
			s.zero = int32(len(s.ids))
			return s.zero, true
		}
		return s.zero, false
	}
	if s.keys == nil || 2*(len(s.ids)+1) > len(s.keys) {
		s.grow()
	}
	mask := uint64(len(s.keys) - 1)
	i := s.home(id)
	for ; s.keys[i] != 0; i = (i + 1) & mask {
		if s.keys[i] == id {
			return s.vals[i], false
		}
	}
	s.ids = append(s.ids, id)
	s.pos = append(s.pos, int32(i))
	k = int32(len(s.ids))
	s.keys[i], s.vals[i] = id, k
	return k, true
}

// grow doubles the table (or makes the first) and enters every node again.
func (s *nodeSlots) grow() {
	b := uint(minSlotBits)
	if s.keys != nil {
		b = s.bits + 1
	}
	for 2*(len(s.ids)+1) > 1<<b {
		b++
	}
	s.bits = b
	s.keys, s.vals = make([]nid, 1<<b), make([]int32, 1<<b)
	mask := uint64(len(s.keys) - 1)
	for k, id := range s.ids {
		if id == 0 {
			continue
		}
		i := s.home(id)
		for s.keys[i] != 0 {
			i = (i + 1) & mask
		}
		s.keys[i], s.vals[i], s.pos[k] = id, int32(k+1), int32(i)
	}
}

// id returns the node of slot k (1 <= k <= len).
func (s *nodeSlots) id(k int32) nid { return s.ids[k-1] }

// len returns the number of slots.
func (s *nodeSlots) len() int { return len(s.ids) }

// reset forgets every node.
func (s *nodeSlots) reset() {
	if s.bits > keepSlotBits {
		*s = nodeSlots{ids: s.ids[:0], pos: s.pos[:0]}
		return
	}
	for _, i := range s.pos {
		if i >= 0 {
			s.keys[i] = 0
		}
	}
	s.ids, s.pos, s.zero = s.ids[:0], s.pos[:0], 0
}
