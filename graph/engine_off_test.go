package graph_test

import (
	"testing"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/storetest"
)

// TestReadTierOff runs the conformance suite with the read tier off, so
// the path engine reads the backend through Cayley's reader, as it does on
// graphs larger than memory.
func TestReadTierOff(t *testing.T) {
	for _, b := range []graph.Backend{graph.Memory, graph.Bolt} {
		t.Run(string(b), func(t *testing.T) {
			var dir string
			o := storetest.Opener{Open: func(tb testing.TB) *graph.Store {
				dir = tb.TempDir() + "/store"
				return mustOpen(tb, graph.Config{Backend: b, Path: dir, ReadTier: graph.ReadTierOff})
			}}
			if b != graph.Memory {
				o.Reopen = func(tb testing.TB) *graph.Store {
					return mustOpen(tb, graph.Config{Backend: b, Path: dir, ReadTier: graph.ReadTierOff})
				}
			}
			storetest.Run(t, o)
		})
	}
}
