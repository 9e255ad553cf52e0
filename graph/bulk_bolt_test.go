package graph_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/gen"
)

const markerName = "bulk-load-in-progress.json"

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
