package kvstore

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/boltdb/bolt"
	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
)

// directBulk switches the direct writer on for bulk loads into a fresh
// bolt store (see directWriter).
const directBulk = true

// logFlushBytes is how many bytes of log primitives the direct writer
// stages before writing them in one transaction during the load.
const logFlushBytes = 4 << 20

// putsPerTx bounds the puts of one transaction of the final write. bolt
// holds a transaction's changes in memory until it commits, its last leaf
// one growing array of every key appended to it: transactions of 250,000
// puts spent a fifth of the writer's time growing that array; 50,000
// keep it in the processor's caches.
const putsPerTx = 50_000

// entryChunk is the length of the pieces index entries are kept in, so
// they grow without copying.
const entryChunk = 1 << 16

// A directWriter applies the add-only batches of a bulk load into a fresh
// bolt store (horizon zero: no id ever handed out) by writing Cayley's
// key-value layout itself, the same keys and values Cayley's ApplyDeltas
// writes for the same batches, except for the timestamps of primitives:
//
//   - meta/horizon and meta/size: little-endian counters; each batch takes
//     ids for its new nodes first (in hash order), then for its new quads
//     (in batch order), as Cayley does;
//   - v<h0><h1>/<hash>: the node's id as a uvarint; log/<id big-endian>:
//     the node's or quad's proto.Primitive;
//   - n<h0><h1>/<hash>: the node's reference count as a uvarint, raised by
//     every quad of the batch naming it, duplicates included (Cayley counts
//     those too);
//   - one bucket per quad index (meta/indexes, by default sp and ops): the
//     ids of the index entry's directions big-endian as key, the quad ids
//     as appended uvarints.
//
// What makes it fast is that it writes each key once, in key order. A
// batch (apply) only assigns ids and stages its results in memory: the
// node dictionary (hash to id and reference count), the set of stored
// quads and the index entries. Log primitives, whose keys only grow, go to
// bolt in large appending transactions as they accumulate; the node
// buckets, counters, indexes and meta counters are written once, sorted,
// when the load ends (finish). Until then the store is not a consistent
// Cayley store, so the bulk marker says so (bulkMarker.Direct) and Open
// puts a store whose direct load was interrupted back to the fresh store
// it was (recoverBulk), rather than serve half of one.
//
// Ids are kept in 32 bits in memory (a load of four billion ids fails
// cleanly). The writer is only right while every write to the store goes
// through it: Store finishes it before any other write. It is never used
// with Cayley's Bloom filters, which it would leave stale.
type directWriter struct {
	indexes []kv.QuadIndex
	// nodes holds each node's place in byNode, one map lookup per node
	// and batch.
	nodes   map[cgraph.ValueHash]uint32
	byNode  []directNode
	quads   map[[4]uint32]struct{}
	entries [][][]indexEntry // per index, in quad id order, in chunks
	// Staged log primitives: logBuf holds them back to back, logs their
	// ids and ends.
	logBuf  []byte
	logs    []logRec
	horizon uint64
	size    int64
	// flushAt is logFlushBytes but in tests.
	flushAt int
	// pending is the log write in flight on its own goroutine, if any
	// (at most one): staging the next batches overlaps it.
	pending chan error
	// err is a failed write to bolt: the store then holds part of the
	// load, and every later call returns it.
	err error
}

type directNode struct {
	h    cgraph.ValueHash
	id   uint32
	refs uint64
}

// indexEntry is one quad in one index: the ids of the index's directions
// and the quad's id.
type indexEntry struct {
	key [4]uint32
	id  uint32
}

type logRec struct {
	id  uint64
	end int
}

var (
	bucketMeta = []byte("meta")
	bucketLog  = []byte("log")
)

// newDirectWriter returns a writer for the store db, or nil when the store
// is not fresh (an id was handed out: nodes or dead quads may exist that the
// writer would not know).
func newDirectWriter(db *bolt.DB) (*directWriter, error) {
	w := &directWriter{
		nodes:   make(map[cgraph.ValueHash]uint32),
		quads:   make(map[[4]uint32]struct{}),
		logBuf:  make([]byte, 0, logFlushBytes+64<<10),
		flushAt: logFlushBytes,
	}
	fresh := false
	err := db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			return errors.New("no meta bucket: the store is not initialised")
		}
		if h := meta.Get([]byte("horizon")); len(h) == 8 && binary.LittleEndian.Uint64(h) != 0 {
			return nil
		}
		if sz := meta.Get([]byte("size")); len(sz) == 8 && binary.LittleEndian.Uint64(sz) != 0 {
			return nil
		}
		raw := meta.Get([]byte("indexes"))
		if raw == nil {
			return nil // a legacy store: left to Cayley
		}
		if err := json.Unmarshal(raw, &w.indexes); err != nil {
			return fmt.Errorf("meta/indexes: %w", err)
		}
		fresh = len(w.indexes) > 0
		for _, ind := range w.indexes {
			if len(ind.Dirs) > 4 || ind.Unique {
				fresh = false // not a layout this writer knows
			}
		}
		return nil
	})
	if err != nil || !fresh {
		return nil, err
	}
	w.entries = make([][][]indexEntry, len(w.indexes))
	return w, nil
}

// apply stages one batch of Add deltas. It changes the writer's memory
// only when it succeeds, so a failed batch leaves the batches before it
// to be written by finish.
func (w *directWriter) apply(db *bolt.DB, deltas []cgraph.Delta) error {
	if w.err != nil {
		return w.err
	}
	if w.horizon+4*uint64(len(deltas))+uint64(len(deltas)) >= math.MaxUint32 {
		return errors.New("direct writer: a bulk load of more than 4 billion ids")
	}
	now := time.Now().UnixNano()
	for i, d := range deltas {
		if d.Action != cgraph.Add {
			return fmt.Errorf("direct writer: delta %d is not an add", i)
		}
	}
	hashes := hashAll(deltas)
	// The batch's nodes in hash order, with the count of their uses.
	type use struct {
		h    cgraph.ValueHash
		v    quad.Value
		inc  uint64
		id   uint32
		slot int // in byNode; -1 for a new node
	}
	uses := make(map[cgraph.ValueHash]*use, len(deltas))
	refs := make([][4]*use, len(deltas))
	for i, d := range deltas {
		for j, dir := range quad.Directions {
			v := d.Quad.Get(dir)
			if v == nil {
				continue
			}
			h := hashes[i][j]
			u := uses[h]
			if u == nil {
				u = &use{h: h, v: v}
				uses[h] = u
			}
			u.inc++
			refs[i][j] = u
		}
	}
	order := make([]*use, 0, len(uses))
	for _, u := range uses {
		order = append(order, u)
	}
	slices.SortFunc(order, func(a, b *use) int { return bytes.Compare(a.h[:], b.h[:]) })

	// Staged, and taken into the writer's memory at the end.
	horizon := w.horizon
	logBuf, logs := w.logBuf, w.logs // appends past their lengths are dropped on failure
	for _, u := range order {
		if slot, ok := w.nodes[u.h]; ok {
			u.id, u.slot = w.byNode[slot].id, int(slot)
			continue
		}
		u.slot = -1
		horizon++
		u.id = uint32(horizon)
		val, err := pquads.MarshalValue(u.v)
		if err != nil {
			return err
		}
		p := proto.Primitive{ID: horizon, Value: val, Timestamp: now}
		if logBuf, err = appendPrimitive(logBuf, &p); err != nil {
			return err
		}
		logs = append(logs, logRec{id: horizon, end: len(logBuf)})
	}

	// The batch's new quads, in batch order.
	var added [][4]uint32
	inBatch := make(map[[4]uint32]struct{}, len(deltas))
	ents := make([][]indexEntry, len(w.indexes))
	for i := range deltas {
		var key [4]uint32
		var p proto.Primitive
		for j, dir := range quad.Directions {
			if u := refs[i][j]; u != nil {
				key[j] = u.id
				p.SetDirection(dir, uint64(u.id))
			}
		}
		if _, ok := inBatch[key]; ok {
			continue
		}
		if _, ok := w.quads[key]; ok {
			continue
		}
		inBatch[key] = struct{}{}
		added = append(added, key)
		horizon++
		p.ID, p.Timestamp = horizon, now
		var err error
		if logBuf, err = appendPrimitive(logBuf, &p); err != nil {
			return err
		}
		logs = append(logs, logRec{id: horizon, end: len(logBuf)})
		for x, ind := range w.indexes {
			e := indexEntry{id: uint32(horizon)}
			for k, d := range ind.Dirs {
				e.key[k] = uint32(p.GetDirection(d))
			}
			ents[x] = append(ents[x], e)
		}
	}

	// The batch stands: into the writer's memory.
	for _, u := range order {
		if u.slot >= 0 {
			w.byNode[u.slot].refs += u.inc
			continue
		}
		w.nodes[u.h] = uint32(len(w.byNode))
		w.byNode = append(w.byNode, directNode{h: u.h, id: u.id, refs: u.inc})
	}
	for _, k := range added {
		w.quads[k] = struct{}{}
	}
	for x := range ents {
		w.entries[x] = appendChunked(w.entries[x], ents[x])
	}
	w.logBuf, w.logs = logBuf, logs
	w.horizon = horizon
	w.size += int64(len(added))
	if len(w.logBuf) >= w.flushAt {
		return w.startFlush(db)
	}
	return nil
}

// hashAll returns the hashes of the deltas' values, zero where a
// direction has none, computed on all cores: hashing is a fifth of a
// batch's work and the batches are applied one at a time. Predicates and
// graph labels are few, and a subject or object is often the one of the
// quad before: those hashes are looked up rather than computed again.
func hashAll(deltas []cgraph.Delta) [][4]cgraph.ValueHash {
	hashes := make([][4]cgraph.ValueHash, len(deltas))
	part := func(lo, hi int) {
		seen := make(map[quad.IRI]cgraph.ValueHash)
		var last [4]quad.IRI
		for i := lo; i < hi; i++ {
			for j, dir := range quad.Directions {
				v := deltas[i].Quad.Get(dir)
				if v == nil {
					continue
				}
				iri, isIRI := v.(quad.IRI)
				switch {
				case !isIRI:
					hashes[i][j] = cgraph.HashOf(v)
				case i > lo && iri != "" && iri == last[j] && hashes[i-1][j].Valid():
					hashes[i][j] = hashes[i-1][j]
				case dir == quad.Predicate || dir == quad.Label:
					h, ok := seen[iri]
					if !ok {
						h = cgraph.HashOf(v)
						if len(seen) < 4096 {
							seen[iri] = h
						}
					}
					hashes[i][j] = h
				default:
					hashes[i][j] = cgraph.HashOf(v)
				}
				last[j] = iri // "" when not an IRI
			}
		}
	}
	n := runtime.GOMAXPROCS(0)
	if n == 1 || len(deltas) < 1000 {
		part(0, len(deltas))
		return hashes
	}
	var wg sync.WaitGroup
	step := (len(deltas) + n - 1) / n
	for lo := 0; lo < len(deltas); lo += step {
		wg.Go(func() { part(lo, min(lo+step, len(deltas))) })
	}
	wg.Wait()
	return hashes
}

// appendChunked appends es to the chunks cs, in chunks of entryChunk.
func appendChunked(cs [][]indexEntry, es []indexEntry) [][]indexEntry {
	for len(es) > 0 {
		if len(cs) == 0 || len(cs[len(cs)-1]) == cap(cs[len(cs)-1]) {
			cs = append(cs, make([]indexEntry, 0, entryChunk))
		}
		last := &cs[len(cs)-1]
		n := min(len(es), cap(*last)-len(*last))
		*last = append(*last, es[:n]...)
		es = es[n:]
	}
	return cs
}

// appendPrimitive appends p's encoding to buf.
func appendPrimitive(buf []byte, p *proto.Primitive) ([]byte, error) {
	n := p.ProtoSize()
	buf = slices.Grow(buf, n)
	m, err := p.MarshalTo(buf[len(buf) : len(buf)+n])
	if err != nil {
		return buf, err
	}
	return buf[:len(buf)+m], nil
}

// startFlush hands the staged log primitives to a goroutine that writes
// them, after the previous such write ended.
func (w *directWriter) startFlush(db *bolt.DB) error {
	if err := w.wait(); err != nil {
		return err
	}
	buf, logs := w.logBuf, w.logs
	w.logBuf, w.logs = make([]byte, 0, logFlushBytes+64<<10), make([]logRec, 0, cap(logs))
	done := make(chan error, 1)
	w.pending = done
	go func() { done <- writeLog(db, buf, logs) }()
	return nil
}

// wait waits for the log write in flight, and returns the writer's error.
func (w *directWriter) wait() error {
	if w.pending != nil {
		err := <-w.pending
		w.pending = nil
		if err != nil && w.err == nil {
			w.err = fmt.Errorf("direct writer: write the log: %w", err)
		}
	}
	return w.err
}

// flushLog writes the staged log primitives now.
func (w *directWriter) flushLog(db *bolt.DB) error {
	if err := w.wait(); err != nil {
		return err
	}
	if err := writeLog(db, w.logBuf, w.logs); err != nil {
		w.err = fmt.Errorf("direct writer: write the log: %w", err)
		return w.err
	}
	w.logBuf, w.logs = w.logBuf[:0], w.logs[:0]
	return nil
}

// writeLog writes log primitives in one transaction; their ids only
// grow, so they append to the log bucket, pages filled to the brim.
func writeLog(db *bolt.DB, buf []byte, logs []logRec) error {
	if len(logs) == 0 {
		return nil
	}
	return db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketLog)
		if b == nil {
			return errors.New("the store has no log bucket")
		}
		b.FillPercent = 1
		start := 0
		for _, r := range logs {
			// bolt keeps the value until the commit: buf is not
			// reused before then.
			if err := b.Put(idKey(r.id), buf[start:r.end:r.end]); err != nil {
				return err
			}
			start = r.end
		}
		return nil
	})
}

// finish writes what the load staged: the rest of the log, the node
// buckets and counters, the indexes and the meta counters, each bucket in
// key order, in transactions of at most putsPerTx puts. The writer is
// spent afterwards.
func (w *directWriter) finish(db *bolt.DB) error {
	if w.err != nil {
		return w.err
	}
	if err := w.flushLog(db); err != nil {
		return err
	}
	w.quads, w.nodes = nil, nil
	nodes := w.byNode
	w.byNode = nil
	// The sorts side by side, on all cores.
	sorted := make([][]indexEntry, len(w.indexes))
	var wg sync.WaitGroup
	wg.Go(func() {
		slices.SortFunc(nodes, func(a, b directNode) int { return bytes.Compare(a.h[:], b.h[:]) })
	})
	for x := range w.indexes {
		wg.Go(func() { sorted[x] = sortEntries(w.entries[x]) })
	}
	wg.Wait()
	w.entries = nil

	t := &txWriter{db: db}
	defer t.rollback()
	// Root buckets in name order: n.., then the indexes, then v...
	for _, nd := range nodes {
		if err := t.put([]byte{'n', nd.h[0], nd.h[1]}, nd.h[:], binary.AppendUvarint(t.alloc(binary.MaxVarintLen64), nd.refs)); err != nil {
			return w.fail(err)
		}
	}
	inds := make([]int, len(w.indexes))
	for i := range inds {
		inds[i] = i
	}
	slices.SortFunc(inds, func(a, b int) int { return bytes.Compare(w.indexes[a].Key(nil)[0], w.indexes[b].Key(nil)[0]) })
	for _, x := range inds {
		if err := writeIndex(t, w.indexes[x], sorted[x]); err != nil {
			return w.fail(err)
		}
		sorted[x] = nil
	}
	for _, nd := range nodes {
		if err := t.put([]byte{'v', nd.h[0], nd.h[1]}, nd.h[:], binary.AppendUvarint(t.alloc(binary.MaxVarintLen64), uint64(nd.id))); err != nil {
			return w.fail(err)
		}
	}
	if w.horizon != 0 {
		if err := t.put(bucketMeta, []byte("horizon"), binary.LittleEndian.AppendUint64(nil, w.horizon)); err != nil {
			return w.fail(err)
		}
	}
	if w.size != 0 {
		if err := t.put(bucketMeta, []byte("size"), binary.LittleEndian.AppendUint64(nil, uint64(w.size))); err != nil {
			return w.fail(err)
		}
	}
	if err := t.commit(); err != nil {
		return w.fail(err)
	}
	w.err = errors.New("direct writer: used after finish")
	return nil
}

// sortEntries joins an index's chunks of entries and sorts them by key
// (ids break ties, so each key's quad ids stay in the order Cayley
// appends them).
func sortEntries(cs [][]indexEntry) []indexEntry {
	n := 0
	for _, c := range cs {
		n += len(c)
	}
	es := make([]indexEntry, 0, n)
	for i, c := range cs {
		es = append(es, c...)
		cs[i] = nil
	}
	// The ids past the index's directions are zero, so comparing all four
	// orders as comparing its own; two words compare faster than a loop.
	slices.SortFunc(es, func(a, b indexEntry) int {
		if c := cmp.Compare(a.hi(), b.hi()); c != 0 {
			return c
		}
		if c := cmp.Compare(a.lo(), b.lo()); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	return es
}

func (e *indexEntry) hi() uint64 { return uint64(e.key[0])<<32 | uint64(e.key[1]) }
func (e *indexEntry) lo() uint64 { return uint64(e.key[2])<<32 | uint64(e.key[3]) }

// writeIndex writes the sorted entries es of index ind.
func writeIndex(t *txWriter, ind kv.QuadIndex, es []indexEntry) error {
	name := ind.Key(nil)[0]
	nd := len(ind.Dirs)
	for i := 0; i < len(es); {
		j := i + 1
		for j < len(es) && es[j].key == es[i].key {
			j++
		}
		k := make([]byte, 8*nd)
		for d := 0; d < nd; d++ {
			binary.BigEndian.PutUint64(k[8*d:], uint64(es[i].key[d]))
		}
		v := t.alloc((j - i) * 5)
		for _, e := range es[i:j] {
			v = binary.AppendUvarint(v, uint64(e.id))
		}
		if err := t.put(name, k, v); err != nil {
			return err
		}
		i = j
	}
	return nil
}

// fail records a failed write: the store holds part of the load.
func (w *directWriter) fail(err error) error {
	w.err = fmt.Errorf("direct writer: %w", err)
	return w.err
}

// txWriter puts keys into buckets of the root in transactions of at most
// putsPerTx puts, creating buckets as it meets them, each filled to the
// brim (its keys come in order).
type txWriter struct {
	db    *bolt.DB
	tx    *bolt.Tx
	n     int
	name  []byte
	b     *bolt.Bucket
	arena []byte
}

func (t *txWriter) put(bucket, k, v []byte) error {
	if t.tx != nil && t.n >= putsPerTx {
		if err := t.commit(); err != nil {
			return err
		}
	}
	if t.tx == nil {
		tx, err := t.db.Begin(true)
		if err != nil {
			return err
		}
		t.tx, t.n, t.b = tx, 0, nil
	}
	if t.b == nil || !bytes.Equal(t.name, bucket) {
		b, err := t.tx.CreateBucketIfNotExists(bucket)
		if err != nil {
			return fmt.Errorf("bucket %q: %w", bucket, err)
		}
		b.FillPercent = 1
		t.b, t.name = b, append(t.name[:0], bucket...)
	}
	t.n++
	return t.b.Put(k, v)
}

// alloc returns an empty slice with room for n bytes that stays untouched
// until the transaction commits (bolt keeps values until then).
func (t *txWriter) alloc(n int) []byte {
	if cap(t.arena)-len(t.arena) < n {
		t.arena = make([]byte, 0, max(n, 1<<20))
	}
	s := t.arena[len(t.arena) : len(t.arena) : len(t.arena)+n]
	t.arena = t.arena[:len(t.arena)+n]
	return s
}

func (t *txWriter) commit() error {
	if t.tx == nil {
		return nil
	}
	err := t.tx.Commit()
	t.tx, t.b, t.arena = nil, nil, nil
	return err
}

func (t *txWriter) rollback() {
	if t.tx != nil {
		t.tx.Rollback()
		t.tx = nil
	}
}

// resetFresh empties the store db and initialises it again with opts:
// the fresh store a direct load started from.
func resetFresh(db *bolt.DB, opts cgraph.Options) error {
	err := db.Update(func(tx *bolt.Tx) error {
		var names [][]byte
		if err := tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			names = append(names, append([]byte(nil), name...))
			return nil
		}); err != nil {
			return err
		}
		for _, name := range names {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := kv.Init(boltKV{db}, opts); err != nil {
		return err
	}
	return db.Sync()
}

// idKey is the log key of id: big-endian, so the log is in id order.
func idKey(id uint64) []byte { return binary.BigEndian.AppendUint64(nil, id) }
