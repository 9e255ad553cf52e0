package cayleystore_test

import (
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	_ "github.com/cayleygraph/cayley/graph/memstore"
	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
	"github.com/innograph/innograph/graph/frontier/frontiertest"
	"github.com/innograph/innograph/graph/internal/cayleystore"
)

// The suite runs here on Cayley's memstore, opened directly; graph's tests
// run it through Store.Reader (tier off) on every backend: memstore, bolt,
// leveldb and PostgreSQL.
func TestFrontier(t *testing.T) {
	for _, backend := range []string{"memstore"} {
		t.Run(backend, func(t *testing.T) {
			frontiertest.Run(t, func(tb testing.TB, quads []quad.Quad) frontier.Source {
				addr := ""
				if cgraph.IsPersistent(backend) {
					addr = tb.TempDir()
					if err := cgraph.InitQuadStore(backend, addr, nil); err != nil {
						tb.Fatal(err)
					}
				}
				qs, err := cgraph.NewQuadStore(backend, addr, nil)
				if err != nil {
					tb.Fatal(err)
				}
				tb.Cleanup(func() { qs.Close() })
				var deltas []cgraph.Delta
				for _, q := range quads {
					deltas = append(deltas, cgraph.Delta{Action: cgraph.Add, Quad: q})
				}
				if err := qs.ApplyDeltas(deltas, cgraph.IgnoreOpts{IgnoreDup: true}); err != nil {
					tb.Fatal(err)
				}
				return cayleystore.New(qs, cayleystore.Options{})
			})
		})
	}
}
