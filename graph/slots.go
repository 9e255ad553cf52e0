package graph

// nodeSlots numbers the nodes a search meets 1, 2, 3, ... so that what it
// learns of each lives in slices indexed by slot instead of maps keyed by
// node: a search that touches thousands of nodes then costs array reads,
// not hashing and map growth. IDs below denseIDs are found through a
// directory of pages allocated on first touch (the in-memory tier's IDs
// are dense from 1); larger ones, which other readers may hand out, in a
// map. reset forgets every node in time proportional to the nodes
// numbered and keeps the pages, so a pooled nodeSlots serves query after
// query without allocating. Slot 0 means "none".
type nodeSlots struct {
	dir []*slotPage
	big map[nid]int32
	ids []nid // ids[k-1] is the node of slot k
}

const (
	slotPageBits = 10
	slotPageMask = 1<<slotPageBits - 1
	// denseIDs bounds the IDs kept in pages: the directory then holds at
	// most 64 Ki page pointers.
	denseIDs = 1 << 26
)

type slotPage [1 << slotPageBits]int32

// get returns the slot of id, 0 when it has none.
func (s *nodeSlots) get(id nid) int32 {
	if id < denseIDs {
		if p := int(id >> slotPageBits); p < len(s.dir) {
			if pg := s.dir[p]; pg != nil {
				return pg[id&slotPageMask]
			}
		}
		return 0
	}
	return s.big[id]
}

// slot returns the slot of id, numbering id first when it has none (added
// is then true).
func (s *nodeSlots) slot(id nid) (k int32, added bool) {
	if id < denseIDs {
		p := int(id >> slotPageBits)
		if p >= len(s.dir) {
			s.dir = append(s.dir, make([]*slotPage, p+1-len(s.dir))...)
		}
		pg := s.dir[p]
		if pg == nil {
			pg = new(slotPage)
			s.dir[p] = pg
		}
		ref := &pg[id&slotPageMask]
		if *ref == 0 {
			s.ids = append(s.ids, id)
			*ref, added = int32(len(s.ids)), true
		}
		return *ref, added
	}
	if k, ok := s.big[id]; ok {
		return k, false
	}
	if s.big == nil {
		s.big = map[nid]int32{}
	}
	s.ids = append(s.ids, id)
	k = int32(len(s.ids))
	s.big[id] = k
	return k, true
}

// id returns the node of slot k (1 <= k <= len).
func (s *nodeSlots) id(k int32) nid { return s.ids[k-1] }

// len returns the number of slots.
func (s *nodeSlots) len() int { return len(s.ids) }

// reset forgets every node.
func (s *nodeSlots) reset() {
	for _, id := range s.ids {
		if id < denseIDs {
			s.dir[id>>slotPageBits][id&slotPageMask] = 0
		}
	}
	clear(s.big)
	s.ids = s.ids[:0]
}
