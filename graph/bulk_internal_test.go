package graph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/cayleygraph/quad"
)

func numberedQuads(n int, prefix string) []quad.Quad {
	qs := make([]quad.Quad, n)
	for i := range qs {
		qs[i] = quad.MakeIRI(fmt.Sprintf("https://example.org/%s/%d", prefix, i), "https://example.org/p", fmt.Sprintf("https://example.org/o/%d", i), "https://example.org/g")
	}
	return qs
}

// bulkCount reports how many loads take part in the running bulk load.
func (s *Store) bulkCount() int {
	s.wmu.RLock()
	defer s.wmu.RUnlock()
	return s.bulks
}

// gatedReader blocks before its first quad until gate is closed.
type gatedReader struct {
	gate <-chan struct{}
	qs   []quad.Quad
	open bool
}

func (r *gatedReader) ReadQuad() (quad.Quad, error) {
	if !r.open {
		<-r.gate
		r.open = true
	}
	if len(r.qs) == 0 {
		return quad.Quad{}, io.EOF
	}
	q := r.qs[0]
	r.qs = r.qs[1:]
	return q, nil
}

// TestConcurrentBulkLoads: a load that starts while a bulk load of the same
// store runs joins it, and the marker stays until the last of them ends,
// whichever order they finish in.
func TestConcurrentBulkLoads(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	marker := filepath.Join(dir, "bulk-load-in-progress.json") // graph/internal/kvstore
	if _, err := os.Stat("/proc/sys/kernel/random/boot_id"); err != nil {
		t.Skipf("no boot id (%v): no bulk loads here", err)
	}
	s, err := Open(ctx, Config{Backend: Bolt, Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	gate := make(chan struct{})
	done := make(chan error, 1)
	var unguarded int
	go func() {
		_, err := s.Load(ctx, &gatedReader{gate: gate, qs: numberedQuads(50, "b")}, LoadOptions{BatchSize: 10, Progress: func(int64) {
			if _, err := os.Stat(marker); err != nil {
				unguarded++
			}
		}})
		done <- err
	}()
	for s.bulkCount() == 0 { // B has started its bulk load
		select {
		case err := <-done:
			t.Fatalf("the first load ended early: %v", err)
		default:
		}
	}
	// A starts while the store is still empty and finishes first.
	if _, err := s.Load(ctx, quad.NewReader(numberedQuads(20, "a")), LoadOptions{BatchSize: 10}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Errorf("the marker went when the joining load ended, with the first still running: %v", err)
	}
	close(gate)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if unguarded != 0 {
		t.Errorf("%d batches of the first load ran without the marker", unguarded)
	}
	if _, err := os.Stat(marker); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the marker outlived both loads: %v", err)
	}
}
