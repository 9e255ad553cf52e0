package kvstore

import (
	"bytes"
	"context"

	"github.com/boltdb/bolt"
	hkv "github.com/hidal-go/hidalgo/kv"
)

// boltKV is the key-value layer Cayley's kv store runs on, over bolt: the
// same keys, buckets and semantics as hidalgo's bolt adapter (which Cayley
// uses), written here for one reason. A key is a path of buckets and a
// final key, and hidalgo's Put calls CreateBucketIfNotExists on every
// bucket of the path for every put, a cursor search of bolt's root bucket
// (which holds Cayley's 131,000 node buckets) even when the bucket is open
// already: 11 % of the CPU of a 1M-quad load (docs/performance.md). boltTx
// opens each bucket of a transaction once and keeps it.
type boltKV struct{ db *bolt.DB }

var _ hkv.KV = boltKV{}

func (b boltKV) Close() error { return b.db.Close() }

func (b boltKV) Tx(rw bool) (hkv.Tx, error) {
	tx, err := b.db.Begin(rw)
	if err != nil {
		return nil, err
	}
	return &boltTx{tx: tx, open: map[string]*bolt.Bucket{}}, nil
}

type boltTx struct {
	tx *bolt.Tx
	// open holds the buckets of the root opened (or created) in this
	// transaction; nested buckets are looked up through their parent,
	// which bolt caches.
	open map[string]*bolt.Bucket
}

// top returns the root's bucket name, creating it when create is set; nil
// when it does not exist.
func (t *boltTx) top(name []byte, create bool) (*bolt.Bucket, error) {
	if b, ok := t.open[string(name)]; ok {
		return b, nil
	}
	b := t.tx.Bucket(name)
	if b == nil && create {
		var err error
		if b, err = t.tx.CreateBucket(name); err != nil {
			return nil, err
		}
	}
	if b != nil {
		t.open[string(name)] = b
	}
	return b, nil
}

// root is the root bucket, for keys of one part.
func (t *boltTx) root() *bolt.Bucket { return t.tx.Cursor().Bucket() }

// bucket walks all but the last part of key, returning the bucket (nil if
// one is missing) and the rest of the key.
func (t *boltTx) bucket(key hkv.Key) (*bolt.Bucket, hkv.Key) {
	if len(key) <= 1 {
		return t.root(), key
	}
	b, _ := t.top(key[0], false)
	key = key[1:]
	for b != nil && len(key) > 1 {
		b = b.Bucket(key[0])
		key = key[1:]
	}
	return b, key
}

func (t *boltTx) Get(_ context.Context, key hkv.Key) (hkv.Value, error) {
	b, k := t.bucket(key)
	if b == nil || len(k) != 1 {
		return nil, hkv.ErrNotFound
	}
	if v := b.Get(k[0]); v != nil {
		return v, nil
	}
	return nil, hkv.ErrNotFound
}

func (t *boltTx) GetBatch(_ context.Context, keys []hkv.Key) ([]hkv.Value, error) {
	vals := make([]hkv.Value, len(keys))
	for i, key := range keys {
		if b, k := t.bucket(key); b != nil && len(k) == 1 {
			vals[i] = b.Get(k[0])
		}
	}
	return vals, nil
}

// Put writes v under k, creating the buckets of its path; a key whose last
// part and value are both empty only creates the buckets.
func (t *boltTx) Put(k hkv.Key, v hkv.Value) error {
	b := t.root()
	if len(k) > 1 {
		var err error
		if b, err = t.top(k[0], true); err != nil {
			return err
		}
		k = k[1:]
	}
	for len(k) > 1 {
		var err error
		if b, err = b.CreateBucketIfNotExists(k[0]); err != nil {
			return err
		}
		k = k[1:]
	}
	if len(k[0]) == 0 && len(v) == 0 {
		return nil
	}
	return b.Put(k[0], v)
}

func (t *boltTx) Del(k hkv.Key) error {
	b, k := t.bucket(k)
	if b == nil || len(k) != 1 {
		return nil
	}
	return b.Delete(k[0])
}

func (t *boltTx) Commit(context.Context) error { return t.tx.Commit() }

// Close rolls back a transaction not committed; after Commit it returns
// bolt's ErrTxClosed, which callers that defer it ignore.
func (t *boltTx) Close() error { return t.tx.Rollback() }

// Scan iterates over every key with the prefix pref: all but its last part
// name buckets, the last part is a prefix of keys in the innermost one.
// Buckets met on the way are descended into, their keys reported with the
// bucket's name in the path.
func (t *boltTx) Scan(pref hkv.Key) hkv.Iterator {
	b, p := t.bucket(pref)
	if b == nil || len(p) > 1 {
		return &boltIter{}
	}
	path := pref[:len(pref)-len(p)].Clone()
	return &boltIter{stack: []*bolt.Bucket{b}, pref: p, path: path}
}

// boltIter walks a bucket depth first. Level i of the walk is
// stack[i] with cursor curs[i]; a key at level i must start with pref[i]
// when the prefix is that long.
type boltIter struct {
	stack []*bolt.Bucket
	curs  []*bolt.Cursor
	pref  hkv.Key
	path  hkv.Key // buckets from the scan's start down to the current one
	k, v  []byte
}

func (it *boltIter) Next(context.Context) bool {
	for len(it.stack) > 0 {
		i := len(it.stack) - 1
		if len(it.curs) < len(it.stack) {
			c := it.stack[i].Cursor()
			it.curs = append(it.curs, c)
			if i < len(it.pref) {
				it.k, it.v = c.Seek(it.pref[i])
			} else {
				it.k, it.v = c.First()
			}
		} else {
			it.k, it.v = it.curs[i].Next()
		}
		if it.k != nil && (i >= len(it.pref) || bytes.HasPrefix(it.k, it.pref[i])) {
			if it.v == nil {
				if sub := it.stack[i].Bucket(it.k); sub != nil {
					it.stack = append(it.stack, sub)
					it.path = append(it.path, it.k)
					continue
				}
			}
			return true
		}
		// This level is done: back to its parent.
		it.curs = it.curs[:i]
		it.stack = it.stack[:i]
		if len(it.path) > 0 {
			it.path = it.path[:len(it.path)-1]
		}
	}
	return false
}

func (it *boltIter) Key() hkv.Key {
	if len(it.stack) == 0 {
		return nil
	}
	return append(it.path.Clone(), append([]byte(nil), it.k...))
}

func (it *boltIter) Val() hkv.Value { return it.v }
func (it *boltIter) Err() error     { return nil }
func (it *boltIter) Close() error   { *it = boltIter{}; return nil }
