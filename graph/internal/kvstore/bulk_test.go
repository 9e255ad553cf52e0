package kvstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/boltdb/bolt"
	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/gen"
)

func mustOpen(tb testing.TB, cfg Config) *Store {
	tb.Helper()
	s, err := Open(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func adds(qs []quad.Quad) []cgraph.Delta {
	ds := make([]cgraph.Delta, len(qs))
	for i, q := range qs {
		ds[i] = cgraph.Delta{Action: cgraph.Add, Quad: q}
	}
	return ds
}

func removes(qs []quad.Quad) []cgraph.Delta {
	ds := adds(qs)
	for i := range ds {
		ds[i].Action = cgraph.Delete
	}
	return ds
}

func numberedQuads(n int, prefix string) []quad.Quad {
	qs := make([]quad.Quad, n)
	for i := range qs {
		qs[i] = quad.MakeIRI(fmt.Sprintf("https://example.org/%s/%d", prefix, i), "https://example.org/p", fmt.Sprintf("https://example.org/o/%d", i), "https://example.org/g")
	}
	return qs
}

// TestBulkNoSyncOnlyForBulkBatches: a bulk load commits its own batches
// without fsync and leaves the store as it was opened for every other
// writer, during the load and after it.
func TestBulkNoSyncOnlyForBulkBatches(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, Config{Backend: Bolt, Dir: t.TempDir()})
	ok, note, err := s.BeginBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Skipf("no bulk load here: %s", note)
	}
	qs := numberedQuads(100, "a")
	for i := 0; i < len(qs); i += 10 {
		if _, err := s.Apply(adds(qs[i:i+10]), true, true); err != nil {
			t.Fatal(err)
		}
		// A direct load keeps fsync off until it ends: no other
		// writer gets in before it does (checked below).
		if s.direct == nil && (s.bolt.NoSync || s.bolt.NoGrowSync) {
			t.Errorf("after bulk batch %d, bolt is left with NoSync", i/10+1)
		}
	}
	if _, err := s.Apply(adds(numberedQuads(3, "m")), true, false); err != nil {
		t.Fatal(err)
	}
	if s.bolt.NoSync || s.bolt.NoGrowSync {
		t.Error("a write that is not part of the bulk load ran with NoSync")
	}
	if _, err := s.Apply(adds(numberedQuads(10, "z")), true, true); err != nil {
		t.Fatal(err)
	}
	if s.bolt.NoSync || s.bolt.NoGrowSync {
		t.Error("after a bulk batch through Cayley, bolt is left with NoSync")
	}
	if err := s.EndBulk(ctx); err != nil {
		t.Fatal(err)
	}
	if s.bolt.NoSync || s.bolt.NoGrowSync {
		t.Error("after the bulk load, later writes run with NoSync")
	}
}

// collector gathers what gen.Generate writes.
type collector struct{ qs []quad.Quad }

func (c *collector) WriteQuad(q quad.Quad) error { c.qs = append(c.qs, q); return nil }
func (c *collector) WriteQuads(qs []quad.Quad) (int, error) {
	c.qs = append(c.qs, qs...)
	return len(qs), nil
}
func (c *collector) Close() error { return nil }

// countQuads counts the quads of qs.
func countQuads(tb testing.TB, qs cgraph.QuadStore) int {
	tb.Helper()
	it := qs.QuadsAllIterator()
	defer it.Close()
	n := 0
	for it.Next(context.Background()) {
		n++
	}
	if err := it.Err(); err != nil {
		tb.Fatal(err)
	}
	return n
}

// TestBoltBulkLoadMatchesCayley loads the same quads twice into two new
// bolt stores: once through this package (a bulk load without per-batch
// fsync on its own bolt adapter, then an ordinary load of the same quads
// again) and once through Cayley's registered bolt backend and its
// ApplyDeltas. Every bucket, key and value of the two files must be the
// same, but for the write times Cayley stamps on quads: the bulk path
// writes exactly Cayley's format, and each side opens the other's store.
func TestBoltBulkLoadMatchesCayley(t *testing.T) {
	ctx := context.Background()
	var c collector
	if err := gen.Generate(&c, gen.Config{Regions: 2, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	ex := func(s string) quad.IRI { return quad.IRI("https://example.org/" + s) }
	qs := append(c.qs,
		quad.Quad{Subject: ex("a"), Predicate: ex("p"), Object: quad.LangString{Value: "hej", Lang: "da"}},
		quad.Quad{Subject: quad.BNode("b1"), Predicate: ex("p"), Object: quad.Int(7)},
		quad.Quad{Subject: ex("a"), Predicate: ex("q"), Object: quad.Bool(true)},
		quad.Quad{Subject: ex("a"), Predicate: ex("q"), Object: quad.Bool(true)}, // a duplicate in one batch
		quad.Quad{Subject: ex("a"), Predicate: ex("r"), Object: quad.String("plain"), Label: quad.BNode("g")},
		quad.Quad{Subject: ex("a"), Predicate: ex("r"), Object: quad.TypedString{Value: "1.5", Type: "http://www.w3.org/2001/XMLSchema#decimal"}},
		quad.Quad{Subject: ex("a"), Predicate: ex("r"), Object: quad.Float(2.5), Label: ex("g2")},
		quad.Quad{Subject: ex("a"), Predicate: ex("r"), Object: quad.Time(time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC))},
		quad.Quad{Subject: quad.BNode("b1"), Predicate: ex("p"), Object: quad.BNode("b2"), Label: ex("g2")},
	)
	qs = append(qs, c.qs[:50]...) // duplicates in later batches
	const batch = 700
	oursDir, cayleyDir := t.TempDir(), t.TempDir()

	ours, err := Open(Config{Backend: Bolt, Dir: oursDir})
	if err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(oursDir, bulkMarkerName)
	for round := 0; round < 2; round++ {
		bulk := false
		if round == 0 {
			var note string
			if bulk, note, err = ours.BeginBulk(ctx); err != nil {
				t.Fatal(err)
			} else if !bulk {
				t.Logf("no bulk load: %s", note)
			} else if ours.direct == nil {
				t.Fatalf("a bulk load into a fresh store does not write directly (%s)", note)
			} else {
				ours.direct.flushAt = 2000 // many log writes, beside the batches
			}
		}
		for i := 0; i < len(qs); i += batch {
			if _, err := ours.Apply(adds(qs[i:min(i+batch, len(qs))]), true, bulk); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(marker); (err == nil) != bulk {
				t.Fatalf("round %d, batch %d: marker there: %v, want %v", round, i/batch, err == nil, bulk)
			}
		}
		if bulk {
			if err := ours.EndBulk(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(marker); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("the bulk-load marker outlived the load: %v", err)
			}
		}
	}
	dels := removes(qs[:batch/2])
	if _, err := ours.Apply(dels, false, false); err != nil {
		t.Fatal(err)
	}
	if err := ours.Close(); err != nil {
		t.Fatal(err)
	}

	opts := cgraph.Options{"nosync": false, kv.OptNoBloom: true}
	if err := cgraph.InitQuadStore("bolt", cayleyDir, opts); err != nil {
		t.Fatal(err)
	}
	cs, err := cgraph.NewQuadStore("bolt", cayleyDir, opts)
	if err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 2; round++ {
		for i := 0; i < len(qs); i += batch {
			if err := cs.ApplyDeltas(adds(qs[i:min(i+batch, len(qs))]), cgraph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := cs.ApplyDeltas(padSharedNodes(dels), cgraph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}); err != nil {
		t.Fatal(err)
	}
	if err := cs.Close(); err != nil {
		t.Fatal(err)
	}

	got, want := dumpBolt(t, oursDir), dumpBolt(t, cayleyDir)
	if len(got) < len(qs) {
		t.Fatalf("only %d entries in the bulk-loaded store for %d quads", len(got), len(qs))
	}
	if len(got) != len(want) {
		t.Errorf("%d entries in the bulk-loaded store, %d in Cayley's", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Fatalf("entry %d: bulk load wrote\n\t%s\nCayley wrote\n\t%s", i, got[i], want[i])
		}
	}

	// Each store opens through the other path and reads the same.
	a := mustOpen(t, Config{Backend: Bolt, Dir: cayleyDir})
	b, err := cgraph.NewQuadStore("bolt", oursDir, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if na, nb := countQuads(t, a.QuadStore()), countQuads(t, b); na != nb || na < len(qs)/2 {
		t.Errorf("Cayley's store read here holds %d quads, ours read by Cayley %d (of %d loaded)", na, nb, len(qs))
	}
}

// dumpBolt lists every entry of a store's bolt file as "bucket path / key
// = value", with the write time of log primitives zeroed.
func dumpBolt(tb testing.TB, dir string) []string {
	tb.Helper()
	db, err := bolt.Open(filepath.Join(dir, "indexes.bolt"), 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	var out []string
	var walk func(path string, b *bolt.Bucket) error
	walk = func(path string, b *bolt.Bucket) error {
		return b.ForEach(func(k, v []byte) error {
			if v == nil {
				return walk(fmt.Sprintf("%s/%x", path, k), b.Bucket(k))
			}
			if path == "/6c6f67" { // "log": Cayley's primitives
				var p proto.Primitive
				if err := p.Unmarshal(v); err != nil {
					return fmt.Errorf("log %x: %w", k, err)
				}
				p.Timestamp = 0
				v = []byte(p.String())
			}
			out = append(out, fmt.Sprintf("%s %x = %x", path, k, v))
			return nil
		})
	}
	err = db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return walk(fmt.Sprintf("/%x", name), b)
		})
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// TestDirectLoadInterruptedIsUndone: a direct bulk load into a fresh store
// that dies before it ends (here: its log partly written, the rest only in
// memory, the store closed without EndBulk) leaves a store that Open of
// the same boot puts back to the fresh store, marker gone: a later load
// is again a direct one, and reads what it wrote.
func TestDirectLoadInterruptedIsUndone(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(Config{Backend: Bolt, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	fresh := dumpBolt(t, dir) // bolt lets no reader in beside a writer
	if s, err = Open(Config{Backend: Bolt, Dir: dir}); err != nil {
		t.Fatal(err)
	}
	ok, note, err := s.BeginBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !ok || s.direct == nil {
		t.Skipf("no direct bulk load here: %s", note)
	}
	qs := numberedQuads(300, "a")
	for i := 0; i < len(qs); i += 100 {
		if _, err := s.Apply(adds(qs[i:i+100]), true, true); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.direct.flushLog(s.bolt); err != nil { // as a large load does
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if len(dumpBolt(t, dir)) == len(fresh) {
		t.Fatal("the interrupted load wrote nothing: the test tests nothing")
	}

	if s, err = Open(Config{Backend: Bolt, Dir: dir}); err != nil {
		t.Fatalf("the store does not open after the interrupted load: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, bulkMarkerName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the marker outlived the recovery: %v", err)
	}
	if n := countQuads(t, s.QuadStore()); n != 0 {
		t.Errorf("the store holds %d quads after recovery, want 0", n)
	}
	s.Close()
	got := dumpBolt(t, dir)
	if fmt.Sprint(got) != fmt.Sprint(fresh) {
		t.Errorf("after recovery the store is\n%v\nwant the fresh store\n%v", got, fresh)
	}
	s = mustOpen(t, Config{Backend: Bolt, Dir: dir})
	if ok, _, err := s.BeginBulk(ctx); err != nil || !ok || s.direct == nil {
		t.Fatalf("a bulk load into the recovered store is not direct (%v, %v)", ok, err)
	}
	if _, err := s.Apply(adds(qs[:10]), true, true); err != nil {
		t.Fatal(err)
	}
	if err := s.EndBulk(ctx); err != nil {
		t.Fatal(err)
	}
	if n := countQuads(t, s.QuadStore()); n != 10 {
		t.Errorf("after a new load the store holds %d quads, want 10", n)
	}
}

// TestDirectLoadThenOtherWrite: a write that is not part of the bulk load
// arriving mid-load finds the load's batches so far written whole, the
// marker no longer says the store is being written directly, and the rest
// of the load goes through Cayley; the result is what Cayley writes for
// the same writes.
func TestDirectLoadThenOtherWrite(t *testing.T) {
	ctx := context.Background()
	oursDir, cayleyDir := t.TempDir(), t.TempDir()
	s := mustOpen(t, Config{Backend: Bolt, Dir: oursDir})
	ok, note, err := s.BeginBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !ok || s.direct == nil {
		t.Skipf("no direct bulk load here: %s", note)
	}
	a, m, b := numberedQuads(200, "a"), numberedQuads(5, "m"), numberedQuads(100, "b")
	b = append(b, a[:20]...) // duplicates of the direct part
	steps := []struct {
		qs   []quad.Quad
		bulk bool
	}{{a[:100], true}, {a[100:], true}, {m, false}, {b, true}}
	for i, st := range steps {
		if _, err := s.Apply(adds(st.qs), true, st.bulk); err != nil {
			t.Fatal(err)
		}
		if i == 2 {
			raw, err := os.ReadFile(filepath.Join(oursDir, bulkMarkerName))
			if err != nil {
				t.Fatal(err)
			}
			var mk bulkMarker
			if err := json.Unmarshal(raw, &mk); err != nil || mk.Direct {
				t.Errorf("after the other write, marker %s (%v), want one not direct", raw, err)
			}
		}
	}
	if err := s.EndBulk(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	opts := cgraph.Options{"nosync": false, kv.OptNoBloom: true}
	if err := cgraph.InitQuadStore("bolt", cayleyDir, opts); err != nil {
		t.Fatal(err)
	}
	cs, err := cgraph.NewQuadStore("bolt", cayleyDir, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range steps {
		if err := cs.ApplyDeltas(adds(st.qs), cgraph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}); err != nil {
			t.Fatal(err)
		}
	}
	cs.Close()
	got, want := dumpBolt(t, oursDir), dumpBolt(t, cayleyDir)
	if len(got) != len(want) {
		t.Errorf("%d entries, Cayley wrote %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Fatalf("entry %d: we wrote\n\t%s\nCayley wrote\n\t%s", i, got[i], want[i])
		}
	}
}
