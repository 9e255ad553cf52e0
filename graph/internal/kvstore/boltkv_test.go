package kvstore

import (
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/boltdb/bolt"
	hkv "github.com/hidal-go/hidalgo/kv"
	hbolt "github.com/hidal-go/hidalgo/kv/bolt"
)

// TestBoltKVMatchesHidalgo runs the same random puts and deletes of
// nested keys through boltKV and through hidalgo's bolt adapter (Cayley's),
// each on its own database, then compares every Get and Scan: boltKV must
// be a drop-in replacement, since Cayley's kv store runs on either and
// stores written by one are opened by the other.
func TestBoltKVMatchesHidalgo(t *testing.T) {
	ctx := context.Background()
	open := func(name string) *bolt.DB {
		db, err := bolt.Open(filepath.Join(t.TempDir(), name), 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	ours, theirs := boltKV{open("ours")}, hkv.KV(hbolt.New(open("theirs")))
	rng := rand.New(rand.NewSource(1))
	part := func() []byte { return []byte(fmt.Sprintf("%c%d", 'a'+rng.Intn(3), rng.Intn(4))) }
	// Keys of one to three parts: a bucket path, then a key. A path
	// of one part puts into the root; an empty last part with an empty
	// value only creates buckets. Buckets and plain keys never share a
	// name at one level (bolt refuses that, in both adapters alike).
	key := func() hkv.Key {
		n := 1 + rng.Intn(3)
		k := hkv.Key{}
		for i := 0; i < n-1; i++ {
			k = append(k, append([]byte("B"), part()...))
		}
		return append(k, part())
	}
	var keys []hkv.Key
	for round := 0; round < 20; round++ {
		var ops []func(hkv.Tx) error
		for i := 0; i < 50; i++ {
			k := key()
			keys = append(keys, k)
			switch rng.Intn(5) {
			case 0:
				ops = append(ops, func(tx hkv.Tx) error { return tx.Del(k) })
			case 1:
				bk := append(k[:len(k)-1:len(k)-1], nil)
				ops = append(ops, func(tx hkv.Tx) error { return tx.Put(bk, nil) })
			default:
				v := []byte(fmt.Sprint(rng.Int()))
				ops = append(ops, func(tx hkv.Tx) error { return tx.Put(k, v) })
			}
		}
		commit := rng.Intn(4) != 0 // some transactions roll back
		for _, db := range []hkv.KV{ours, theirs} {
			tx, err := db.Tx(true)
			if err != nil {
				t.Fatal(err)
			}
			for i, op := range ops {
				if err := op(tx); err != nil {
					t.Fatalf("round %d op %d: %v", round, i, err)
				}
			}
			if commit {
				err = tx.Commit(ctx)
			} else {
				err = tx.Close()
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	prefixes := []hkv.Key{{}, {[]byte("B")}, {[]byte("a")}}
	for _, k := range keys {
		prefixes = append(prefixes, k, k[:len(k)-1], append(k[:len(k)-1:len(k)-1], k[len(k)-1][:1]))
	}
	dump := func(db hkv.KV) (gets []string, scans [][]string) {
		tx, err := db.Tx(false)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Close()
		for _, k := range keys {
			v, err := tx.Get(ctx, k)
			gets = append(gets, fmt.Sprintf("%q=%q %v", k, v, err))
		}
		vals, err := tx.GetBatch(ctx, keys)
		if err != nil {
			t.Fatal(err)
		}
		gets = append(gets, fmt.Sprintf("%q", vals))
		for _, p := range prefixes {
			var got []string
			it := tx.Scan(p)
			for it.Next(ctx) {
				got = append(got, fmt.Sprintf("%q=%q", it.Key(), it.Val()))
			}
			if err := it.Err(); err != nil {
				t.Fatal(err)
			}
			it.Close()
			scans = append(scans, got)
		}
		return gets, scans
	}
	og, os := dump(ours)
	tg, ts := dump(theirs)
	if !reflect.DeepEqual(og, tg) {
		for i := range og {
			if og[i] != tg[i] {
				t.Fatalf("Get %d: boltKV %s, hidalgo %s", i, og[i], tg[i])
			}
		}
	}
	total := 0
	for i := range os {
		total += len(ts[i])
		if !reflect.DeepEqual(os[i], ts[i]) {
			t.Fatalf("Scan(%q): boltKV %q, hidalgo %q", prefixes[i], os[i], ts[i])
		}
	}
	if total < 100 {
		t.Fatalf("the scans saw only %d keys: the test exercises too little", total)
	}
}
