package graph_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/boltdb/bolt"
	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/gen"
)

const markerName = "bulk-load-in-progress.json"

// TestBoltBulkLoadMatchesCayley loads the same quads twice into two new
// bolt stores: once through Store.Load (a bulk load without per-batch
// fsync on innograph's own bolt adapter, then an ordinary load of the same
// quads again) and once through Cayley's registered bolt backend and its
// ApplyDeltas. Every bucket, key and value of the two files must be the
// same, but for the write times Cayley stamps on quads: the bulk path
// writes exactly Cayley's format, and each side opens the other's store.
func TestBoltBulkLoadMatchesCayley(t *testing.T) {
	ctx := context.Background()
	qs := generatedQuads(t, gen.Config{Regions: 2, Seed: 5})
	ex := func(s string) quad.IRI { return quad.IRI("https://example.org/" + s) }
	qs = append(qs,
		quad.Quad{Subject: ex("a"), Predicate: ex("p"), Object: quad.LangString{Value: "hej", Lang: "da"}},
		quad.Quad{Subject: quad.BNode("b1"), Predicate: ex("p"), Object: quad.Int(7)},
		quad.Quad{Subject: ex("a"), Predicate: ex("q"), Object: quad.Bool(true)},
		quad.Quad{Subject: ex("a"), Predicate: ex("q"), Object: quad.Bool(true)}, // a duplicate in one batch
	)
	const batch = 700
	oursDir, cayleyDir := t.TempDir(), t.TempDir()

	ours, err := graph.Open(ctx, graph.Config{Backend: graph.Bolt, Path: oursDir})
	if err != nil {
		t.Fatal(err)
	}
	sawMarker := 0
	for round := 0; round < 2; round++ {
		n, err := ours.Load(ctx, quad.NewReader(qs), graph.LoadOptions{BatchSize: batch, Progress: func(int64) {
			if _, err := os.Stat(filepath.Join(oursDir, markerName)); err == nil {
				sawMarker++
			}
		}})
		if err != nil || n != int64(len(qs)) {
			t.Fatalf("round %d: Load = %d, %v", round, n, err)
		}
		if _, err := os.Stat(filepath.Join(oursDir, markerName)); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("round %d: the bulk-load marker outlived the load: %v", round, err)
		}
	}
	// Only the first round, into the empty store, is a bulk load.
	if want := (len(qs) + batch - 1) / batch; sawMarker != want {
		t.Errorf("the marker was there after %d batches; want %d (every batch of the first load, none of the second)", sawMarker, want)
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
			var ds []cgraph.Delta
			for _, q := range qs[i:min(i+batch, len(qs))] {
				ds = append(ds, cgraph.Delta{Action: cgraph.Add, Quad: q})
			}
			if err := cs.ApplyDeltas(ds, cgraph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}); err != nil {
				t.Fatal(err)
			}
		}
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
	a := mustOpen(t, graph.Config{Backend: graph.Bolt, Path: cayleyDir})
	b := mustOpen(t, graph.Config{Backend: graph.Bolt, Path: oursDir})
	if sa, sb := stats(t, a), stats(t, b); sa.Quads != sb.Quads || sa.Quads < int64(len(qs))/2 || !reflect.DeepEqual(sa.Graphs, sb.Graphs) {
		t.Errorf("stats: Cayley's store %d quads in %v, ours %d in %v (of %d loaded)", sa.Quads, sa.Graphs, sb.Quads, sb.Graphs, len(qs))
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

// TestBoltBulkMarker checks what Open does with the marker of a bulk load
// that did not finish: from this boot of the machine (the process died,
// the operating system kept its writes) the store opens, is synced and the
// marker goes; from another boot (the machine restarted mid-load, pages
// may never have reached the disk) Open refuses the store and says why.
func TestBoltBulkMarker(t *testing.T) {
	ctx := context.Background()
	boot, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		t.Skipf("no boot id on this system (%v): bulk loads sync every batch here", err)
	}
	dir := t.TempDir()
	s := mustOpen(t, graph.Config{Backend: graph.Bolt, Path: dir})
	qs := generatedQuads(t, gen.Config{Regions: 1, Seed: 2})
	if _, err := s.Load(ctx, quad.NewReader(qs), graph.LoadOptions{BatchSize: 500}); err != nil {
		t.Fatal(err)
	}
	want := stats(t, s).Quads
	s.Close()

	marker := filepath.Join(dir, markerName)
	write := func(content string) {
		if err := os.WriteFile(marker, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(fmt.Sprintf(`{"bootID":%q,"started":"2026-12-01T10:00:00Z","pid":4242}`, strings.TrimSpace(string(boot))))
	s, err = graph.Open(ctx, graph.Config{Backend: graph.Bolt, Path: dir})
	if err != nil {
		t.Fatalf("a marker of this boot: Open = %v, want the store", err)
	}
	if got := stats(t, s).Quads; got != want {
		t.Errorf("after recovery the store holds %d quads, want %d", got, want)
	}
	s.Close()
	if _, err := os.Stat(marker); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the marker is still there after recovery: %v", err)
	}

	for _, content := range []string{
		`{"bootID":"another-boot","started":"2026-12-01T10:00:00Z","pid":4242}`,
		`not json`,
	} {
		write(content)
		_, err = graph.Open(ctx, graph.Config{Backend: graph.Bolt, Path: dir})
		var ge *graph.Error
		if !errors.As(err, &ge) || ge.Kind != graph.Unavailable || !strings.Contains(err.Error(), "remove the directory and load again") {
			t.Errorf("marker %s: Open = %v, want Unavailable telling to reload", content, err)
		}
		if _, serr := os.Stat(marker); serr != nil {
			t.Errorf("marker %s: Open removed it (%v); it must stay until the user acts", content, serr)
		}
	}
}
