package memindex

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"math"
	"sync/atomic"
	"unsafe"

	"github.com/cayleygraph/quad"
)

// Kinds of encoded terms: the first byte of every encoding.
const (
	kindIRI byte = 1 + iota
	kindBNode
	kindString
	kindLang  // uvarint len(lang), lang, value
	kindTyped // uvarint len(type), type, value
)

// appendTerm appends the encoding of v to b: one kind byte, then the
// term's parts, so two values have the same encoding exactly when they are
// the same RDF term as the store holds it. Cayley's native values
// (quad.Int, quad.Bool, ...) are kept as the typed literal Cayley itself
// hashes them by. ok is false for nil and for values that are no term.
func appendTerm(b []byte, v quad.Value) (_ []byte, ok bool) {
	switch v := v.(type) {
	case quad.IRI:
		return append(append(b, kindIRI), v...), true
	case quad.BNode:
		return append(append(b, kindBNode), v...), true
	case quad.String:
		return append(append(b, kindString), v...), true
	case quad.LangString:
		b = binary.AppendUvarint(append(b, kindLang), uint64(len(v.Lang)))
		return append(append(b, v.Lang...), v.Value...), true
	case quad.TypedString:
		b = binary.AppendUvarint(append(b, kindTyped), uint64(len(v.Type)))
		return append(append(b, v.Type...), v.Value...), true
	case quad.TypedStringer:
		return appendTerm(b, v.TypedString())
	}
	return b, false
}

// isTerm reports whether appendTerm can encode v.
func isTerm(v quad.Value) bool {
	switch v.(type) {
	case quad.IRI, quad.BNode, quad.String, quad.LangString, quad.TypedString, quad.TypedStringer:
		return true
	}
	return false
}

// decodeTerm is the inverse of appendTerm. b must be a stored encoding
// (terms.enc): the strings of the value share its bytes instead of
// copying them, which is safe because a page's stored bytes are never
// written again (store only appends past them) and a string keeps its
// page alive. Reading a node's IRI, label and classes then costs no copy
// of their text.
func decodeTerm(b []byte) quad.Value {
	switch b[0] {
	case kindIRI:
		return quad.IRI(frozen(b[1:]))
	case kindBNode:
		return quad.BNode(frozen(b[1:]))
	case kindString:
		return quad.String(frozen(b[1:]))
	case kindLang, kindTyped:
		n, k := binary.Uvarint(b[1:])
		head, rest := b[1+k:1+k+int(n)], b[1+k+int(n):]
		if b[0] == kindLang {
			return quad.LangString{Value: quad.String(frozen(rest)), Lang: frozen(head)}
		}
		return quad.TypedString{Value: quad.String(frozen(rest)), Type: quad.IRI(frozen(head))}
	}
	panic("memindex: corrupt term encoding")
}

// frozen returns b as a string without copying it; b must never change
// again (a stored encoding's bytes).
func frozen(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// The dictionary stores term encodings in pages that are never reallocated
// and locates term t by locs, both append-only: the one writer adds terms
// past what any published view covers while readers read below it, so a
// view needs no lock and no copy. A location packs page<<40 | offset<<20 |
// length; a term too long for a page gets a page of its own and the length
// bigTerm.
const (
	pageSize  = 1 << 20
	bigTerm   = pageSize - 1
	locChunk  = 1 << 12
	maxTerms  = math.MaxUint32 - 1
	maxLoad   = 0.7
	minTable  = 1 << 10
	emptySlot = 0
)

// dict interns terms. Only the writer (holding Index.mu) calls its methods
// that change it; readers use a terms view.
type dict struct {
	seed      maphash.Seed
	pages     [][]byte
	cur       int // index of the page being filled, -1 before the first
	fill      int // bytes used in page cur
	pageBytes int64
	locs      [][]uint64
	iris      [][]atomic.Uint64 // bit t-1 set for an IRI, chunked as locs
	n         uint32            // terms stored; IDs are 1..n
	table     []atomic.Uint64
	bytes     int64 // encoded bytes stored
	buf       []byte
}

func newDict() *dict {
	return &dict{seed: maphash.MakeSeed(), table: make([]atomic.Uint64, minTable), cur: -1}
}

// terms is a read-only view of the dictionary as of one generation: IDs
// 1..n. Views share storage with the dictionary and with each other.
type terms struct {
	seed  maphash.Seed
	pages [][]byte
	locs  [][]uint64
	iris  [][]atomic.Uint64
	table []atomic.Uint64
	n     uint32
}

func (d *dict) view() terms {
	return terms{seed: d.seed, pages: d.pages, locs: d.locs, iris: d.iris, table: d.table, n: d.n}
}

// isIRI reports whether term t (1 <= t <= n) is an IRI, from a bitmap of
// an eighth of a byte per term: a walk asks it of every neighbour, and
// the encodings themselves are scattered over the pages. The bits are
// atomic because the writer sets those of new terms in words that views
// read.
func (v *terms) isIRI(t uint32) bool {
	i := t - 1
	return v.iris[i/locChunk][i%locChunk/64].Load()&(1<<(i%64)) != 0
}

// A table slot holds id<<32 | low 32 bits of the term's hash; zero is
// empty. The hash bits both place the slot and filter probes, so growing
// the table needs no term reread.
func slot(id uint32, h uint64) uint64 { return uint64(id)<<32 | h&math.MaxUint32 }

// enc returns term t's encoding (1 <= t <= n).
func (v *terms) enc(t uint32) []byte {
	i := t - 1
	loc := v.locs[i/locChunk][i%locChunk]
	page := v.pages[loc>>40]
	off, n := int(loc>>20)&bigTerm, int(loc&bigTerm)
	if n == bigTerm {
		return page
	}
	return page[off : off+n]
}

// value returns term t's value, nil for zero or a term past the view.
func (v *terms) value(t uint32) quad.Value {
	if t == 0 || t > v.n {
		return nil
	}
	return decodeTerm(v.enc(t))
}

// find returns the ID of encoding key, zero if the view does not hold it.
func (v *terms) find(key []byte) uint32 {
	h := maphash.Bytes(v.seed, key)
	mask := uint64(len(v.table) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := v.table[i].Load()
		if s == emptySlot {
			return 0
		}
		// Slots of terms past the view are skipped unread: the writer may
		// still be writing their bytes.
		if uint32(s) == uint32(h) {
			if id := uint32(s >> 32); id <= v.n && bytes.Equal(v.enc(id), key) {
				return id
			}
		}
	}
}

// lookup returns the ID of v in the view, zero if absent or not a term.
func (v *terms) lookup(val quad.Value, buf []byte) (uint32, []byte) {
	buf, ok := appendTerm(buf[:0], val)
	if !ok {
		return 0, buf
	}
	return v.find(buf), buf
}

// intern returns the ID of v, adding it if new. ok is false if v is not a
// term. The caller has checked that the dictionary has room.
func (d *dict) intern(v quad.Value) (id uint32, ok bool) {
	d.buf, ok = appendTerm(d.buf[:0], v)
	if !ok {
		return 0, false
	}
	return d.internEnc(d.buf), true
}

func (d *dict) internEnc(key []byte) uint32 {
	view := d.view()
	h := maphash.Bytes(d.seed, key)
	mask := uint64(len(d.table) - 1)
	i := h & mask
	for ; ; i = (i + 1) & mask {
		s := d.table[i].Load()
		if s == emptySlot {
			break
		}
		if uint32(s) == uint32(h) && bytes.Equal(view.enc(uint32(s>>32)), key) {
			return uint32(s >> 32)
		}
	}
	d.store(key)
	d.table[i].Store(slot(d.n, h))
	if float64(d.n) > maxLoad*float64(len(d.table)) {
		d.grow()
	}
	return d.n
}

// store appends key as term n+1. Pages start small and double up to
// pageSize, so a small index stays small.
func (d *dict) store(key []byte) {
	var loc uint64
	if len(key) >= bigTerm {
		d.pages = append(d.pages, bytes.Clone(key))
		d.pageBytes += int64(len(key))
		loc = uint64(len(d.pages)-1)<<40 | bigTerm
	} else {
		if d.cur < 0 || d.fill+len(key) > len(d.pages[d.cur]) {
			size := 4096
			if d.cur >= 0 {
				size = min(pageSize, 2*len(d.pages[d.cur]))
			}
			for size < len(key) {
				size *= 2
			}
			d.pages = append(d.pages, make([]byte, size))
			d.pageBytes += int64(size)
			d.cur, d.fill = len(d.pages)-1, 0
		}
		copy(d.pages[d.cur][d.fill:], key)
		loc = uint64(d.cur)<<40 | uint64(d.fill)<<20 | uint64(len(key))
		d.fill += len(key)
	}
	i := d.n
	if i%locChunk == 0 {
		d.locs = append(d.locs, make([]uint64, locChunk))
		d.iris = append(d.iris, make([]atomic.Uint64, locChunk/64))
	}
	d.locs[i/locChunk][i%locChunk] = loc
	if key[0] == kindIRI {
		d.iris[i/locChunk][i%locChunk/64].Or(1 << (i % 64))
	}
	d.n++
	d.bytes += int64(len(key))
}

// grow doubles the table. The new table is published with the next view;
// older views keep probing the old one, which no longer changes.
func (d *dict) grow() {
	t := make([]atomic.Uint64, 2*len(d.table))
	mask := uint64(len(t) - 1)
	for i := range d.table {
		s := d.table[i].Load()
		if s == emptySlot {
			continue
		}
		j := s & math.MaxUint32 & mask
		for t[j].Load() != emptySlot {
			j = (j + 1) & mask
		}
		t[j].Store(s)
	}
	d.table = t
}

// size is the dictionary's memory in bytes.
func (d *dict) size() int64 {
	return d.pageBytes + int64(cap(d.pages))*24 + int64(len(d.locs))*(locChunk*8+locChunk/8) + int64(len(d.table))*8
}
