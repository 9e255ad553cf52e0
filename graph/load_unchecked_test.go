package graph_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/gen"
)

// countingQuads counts the quads read through it.
type countingQuads struct {
	r quad.Reader
	n int
}

func (c *countingQuads) ReadQuad() (quad.Quad, error) {
	q, err := c.r.ReadQuad()
	if err == nil {
		c.n++
	}
	return q, err
}

// TestLoadUnchecked checks LoadOptions.Unchecked: into a fresh bolt store
// a load that fails after several batches (a read error, then an invalid
// quad) leaves the store empty, with no marker, and the store takes the
// next load and reads it back; a good unchecked load is whole; a store
// that holds data, or whose backend cannot undo a load, refuses an
// unchecked one with ErrNotUndoable before reading anything.
func TestLoadUnchecked(t *testing.T) {
	ctx := context.Background()
	if _, err := os.ReadFile("/proc/sys/kernel/random/boot_id"); err != nil {
		t.Skipf("no boot id on this system (%v): no bulk loads, so no undo", err)
	}
	qs := generatedQuads(t, gen.Config{Regions: 3, Seed: 5})
	dir := t.TempDir()
	s := mustOpen(t, graph.Config{Backend: graph.Bolt, Path: dir})
	bad := []quad.Reader{
		&failingReader{qs: qs[:len(qs)-10], err: errors.New("line 4242: broken")},
		quad.NewReader(append(append([]quad.Quad(nil), qs...), quad.Quad{Subject: quad.IRI("https://example.org/s")})),
	}
	for i, r := range bad {
		n, err := s.Load(ctx, r, graph.LoadOptions{BatchSize: 500, Unchecked: true})
		if err == nil || !strings.Contains(err.Error(), "the store is empty again") {
			t.Fatalf("bad load %d: Load = %d, %v; want an error saying the store is empty again", i, n, err)
		}
		if i == 1 {
			var ge *graph.Error
			if !errors.As(err, &ge) || ge.Kind != graph.Invalid {
				t.Errorf("bad load %d: %v is not Invalid", i, err)
			}
		}
		if empty, err := s.IsEmpty(ctx); err != nil || !empty {
			t.Fatalf("bad load %d: IsEmpty = %v, %v after the undone load", i, empty, err)
		}
		if got := stats(t, s).Quads; got != 0 {
			t.Fatalf("bad load %d: %d quads after the undone load", i, got)
		}
		if _, err := os.Stat(filepath.Join(dir, markerName)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("bad load %d: the bulk marker is still there: %v", i, err)
		}
	}
	if _, err := s.Load(ctx, quad.NewReader(qs), graph.LoadOptions{BatchSize: 500, Unchecked: true}); err != nil {
		t.Fatalf("good unchecked load after two undone ones: %v", err)
	}
	want := stats(t, s).Quads
	if want == 0 || want > int64(len(qs)) {
		t.Fatalf("%d quads after loading %d", want, len(qs))
	}
	s.Close()
	s = mustOpen(t, graph.Config{Backend: graph.Bolt, Path: dir})
	if got := stats(t, s).Quads; got != want {
		t.Errorf("reopened: %d quads, want %d", got, want)
	}
	c := &countingQuads{r: quad.NewReader(qs)}
	if _, err := s.Load(ctx, c, graph.LoadOptions{Unchecked: true}); !errors.Is(err, graph.ErrNotUndoable) || c.n != 0 {
		t.Errorf("into a store holding data: Load = %v after reading %d quads, want ErrNotUndoable before reading", err, c.n)
	}
	s.Close()

	m := mustOpen(t, graph.Config{Backend: graph.Memory})
	c = &countingQuads{r: quad.NewReader(qs)}
	if _, err := m.Load(ctx, c, graph.LoadOptions{Unchecked: true}); !errors.Is(err, graph.ErrNotUndoable) || c.n != 0 {
		t.Errorf("memory backend: Load = %v after reading %d quads, want ErrNotUndoable before reading", err, c.n)
	}
}
