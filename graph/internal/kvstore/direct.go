package kvstore

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
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
// What makes it faster is what it does not read: the node dictionary
// (hash to id and reference count) and the set of stored quads live in
// memory for the length of the load, so a batch needs no lookup of its
// nodes, counters or duplicates in bolt, only of the index lists it
// extends; and its writes go into each bucket in key order.
//
// The memory is only right while every write to the store goes through the
// writer: Store drops it on any other write and on any failed batch, and
// later batches of the load go through Cayley as before. It is never used
// with Cayley's Bloom filters, which it would leave stale.
type directWriter struct {
	indexes []kv.QuadIndex
	nodes   map[cgraph.ValueHash]directNode
	quads   map[[4]uint64]struct{}
	horizon uint64
	size    int64
}

type directNode struct {
	id   uint64
	refs uint64
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
		nodes: make(map[cgraph.ValueHash]directNode),
		quads: make(map[[4]uint64]struct{}),
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
		return nil
	})
	if err != nil || !fresh {
		return nil, err
	}
	return w, nil
}

// put is one key and value for one bucket.
type put struct{ k, v []byte }

// apply writes one batch of Add deltas in one bolt transaction.
func (w *directWriter) apply(db *bolt.DB, deltas []cgraph.Delta) error {
	now := time.Now().UnixNano()
	// The batch's nodes in hash order, with the count of their uses.
	type use struct {
		h   cgraph.ValueHash
		v   quad.Value
		inc uint64
	}
	uses := make(map[cgraph.ValueHash]*use, len(deltas))
	hashes := make([][4]cgraph.ValueHash, len(deltas))
	for i, d := range deltas {
		if d.Action != cgraph.Add {
			return fmt.Errorf("direct writer: delta %d is not an add", i)
		}
		for j, dir := range quad.Directions {
			v := d.Quad.Get(dir)
			if v == nil {
				continue
			}
			h := cgraph.HashOf(v)
			hashes[i][j] = h
			u := uses[h]
			if u == nil {
				u = &use{h: h, v: v}
				uses[h] = u
			}
			u.inc++
		}
	}
	order := make([]*use, 0, len(uses))
	for _, u := range uses {
		order = append(order, u)
	}
	sort.Slice(order, func(i, j int) bool { return bytes.Compare(order[i].h[:], order[j].h[:]) < 0 })

	// Staged changes, applied to the writer's memory after the commit.
	ids := make(map[cgraph.ValueHash]uint64, len(order))
	horizon := w.horizon
	var logs []put // in id order
	byBucket := map[string][]put{}
	addTo := func(bucket []byte, k, v []byte) {
		byBucket[string(bucket)] = append(byBucket[string(bucket)], put{k, v})
	}
	refs := make(map[cgraph.ValueHash]uint64, len(order))
	for _, u := range order {
		n, ok := w.nodes[u.h]
		if !ok {
			horizon++
			n.id = horizon
			val, err := pquads.MarshalValue(u.v)
			if err != nil {
				return err
			}
			p := proto.Primitive{ID: n.id, Value: val, Timestamp: now}
			b, err := p.Marshal()
			if err != nil {
				return err
			}
			logs = append(logs, put{idKey(n.id), b})
			addTo([]byte{'v', u.h[0], u.h[1]}, u.h[:], binary.AppendUvarint(nil, n.id))
		}
		ids[u.h] = n.id
		refs[u.h] = n.refs + u.inc
		addTo([]byte{'n', u.h[0], u.h[1]}, u.h[:], binary.AppendUvarint(nil, n.refs+u.inc))
	}

	// The batch's new quads, in batch order.
	added := make(map[[4]uint64]struct{})
	index := make([]map[string][]uint64, len(w.indexes))
	for i := range index {
		index[i] = map[string][]uint64{}
	}
	for i := range deltas {
		var key [4]uint64
		var p proto.Primitive
		for j, dir := range quad.Directions {
			h := hashes[i][j]
			if _, ok := uses[h]; !ok {
				continue // no value in this direction
			}
			key[j] = ids[h]
			p.SetDirection(dir, ids[h])
		}
		if _, ok := added[key]; ok {
			continue
		}
		if _, ok := w.quads[key]; ok {
			continue
		}
		added[key] = struct{}{}
		horizon++
		p.ID, p.Timestamp = horizon, now
		b, err := p.Marshal()
		if err != nil {
			return err
		}
		logs = append(logs, put{idKey(p.ID), b})
		for x, ind := range w.indexes {
			k := ind.KeyFor(&p)
			index[x][string(k[1])] = append(index[x][string(k[1])], p.ID)
		}
	}
	size := w.size + int64(len(added))

	err := db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		logB := tx.Bucket(bucketLog)
		if meta == nil || logB == nil {
			return errors.New("direct writer: the store has no meta or log bucket")
		}
		logB.FillPercent = 1 // ids only grow: pages filled to the brim
		for _, p := range logs {
			if err := logB.Put(p.k, p.v); err != nil {
				return err
			}
		}
		for x, ind := range w.indexes {
			name := ind.Key(nil)[0]
			b, err := tx.CreateBucketIfNotExists(name)
			if err != nil {
				return err
			}
			keys := make([]string, 0, len(index[x]))
			for k := range index[x] {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				old := b.Get([]byte(k))
				v := make([]byte, len(old), len(old)+binary.MaxVarintLen64*len(index[x][k]))
				copy(v, old)
				for _, id := range index[x][k] {
					v = binary.AppendUvarint(v, id)
				}
				if err := b.Put([]byte(k), v); err != nil {
					return err
				}
			}
		}
		names := make([]string, 0, len(byBucket))
		for name := range byBucket {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			b, err := tx.CreateBucketIfNotExists([]byte(name))
			if err != nil {
				return err
			}
			ps := byBucket[name]
			sort.Slice(ps, func(i, j int) bool { return bytes.Compare(ps[i].k, ps[j].k) < 0 })
			for _, p := range ps {
				if err := b.Put(p.k, p.v); err != nil {
					return err
				}
			}
		}
		if horizon != w.horizon {
			if err := meta.Put([]byte("horizon"), binary.LittleEndian.AppendUint64(nil, horizon)); err != nil {
				return err
			}
		}
		if size != w.size {
			if err := meta.Put([]byte("size"), binary.LittleEndian.AppendUint64(nil, uint64(size))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for h, id := range ids {
		w.nodes[h] = directNode{id: id, refs: refs[h]}
	}
	for k := range added {
		w.quads[k] = struct{}{}
	}
	w.horizon, w.size = horizon, size
	return nil
}

// idKey is the log key of id: big-endian, so the log is in id order.
func idKey(id uint64) []byte { return binary.BigEndian.AppendUint64(nil, id) }
