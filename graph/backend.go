package graph

import (
	"context"
	"sync"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// backend is one family of Cayley stores as the Store writes through it:
// graph/internal/kvstore (bolt, leveldb), graph/internal/sqlstore
// (PostgreSQL, CockroachDB) and memBackend (memstore). Everything that
// knows a family's files, tables or Cayley's faults in it lives there; the
// Store calls its writes under the writer lock, one at a time.
type backend interface {
	// QuadStore is the Cayley store, for reads.
	QuadStore() cgraph.QuadStore
	// Apply applies deltas in one transaction, whole or not at all;
	// addOnly says every delta is an Add, bulk that the batch belongs to
	// a bulk load BeginBulk started. It returns the generation the write
	// took in a database servers share (PostgreSQL), else zero.
	Apply(deltas []cgraph.Delta, addOnly, bulk bool) (gen uint64, err error)
	// Shared reports whether other servers may write the same store (a
	// database), so that a read tier must follow a change log there.
	Shared() bool
	// LockWriters holds off other servers' writes to a shared store
	// until release is called (a no-op where no other server writes); a
	// write holds it from its first read to its commit.
	LockWriters(ctx context.Context) (release func(), err error)
	// CanBulk reports whether the store can run a bulk load at all.
	CanBulk() bool
	// BeginBulk starts a bulk load into the store, found empty. It
	// reports whether it did and, where worth telling, why not.
	BeginBulk(ctx context.Context) (ok bool, note string, err error)
	// EndBulk makes a bulk load durable and complete; it runs to the end
	// whatever ctx says.
	EndBulk(ctx context.Context) error
	// CanUndoBulk reports whether the bulk load BeginBulk started can be
	// undone by AbortBulk; AbortBulk ends such a load by putting the
	// store back to the empty store it started from, and reports whether
	// it did (false: the bulk load goes on, for EndBulk to end).
	CanUndoBulk() bool
	AbortBulk() (undone bool, err error)
	// Size reports the store's bytes on disk, or 0 and why not.
	Size(ctx context.Context) (int64, string)
	// OpenGeneration returns the generation the store starts from (kept
	// across clean restarts where the backend can); CloseGeneration
	// records the generation at a clean Close.
	OpenGeneration() (uint64, error)
	CloseGeneration(gen uint64) error
	// BatchValues returns a lookup of many node references in one round
	// trip, nil where the backend has none.
	BatchValues() func(context.Context, []cgraph.Ref) ([]quad.Value, error)
	Close() error
}

// memQuadStore is Cayley's memstore with the creation of its all-nodes and
// all-quads iterators serialised: memstore clones its index there without
// a lock, so two readers starting a scan at once (a build of the read tier,
// an export, a query language) would race.
type memQuadStore struct {
	cgraph.QuadStore
	mu *sync.Mutex
}

func (m memQuadStore) NodesAllIterator() cgraph.Iterator {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.QuadStore.NodesAllIterator()
}

func (m memQuadStore) QuadsAllIterator() cgraph.Iterator {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.QuadStore.QuadsAllIterator()
}

// memBackend is Cayley's memstore: nothing persists, so there is no bulk
// load and no size.
type memBackend struct{ qs cgraph.QuadStore }

func (m memBackend) QuadStore() cgraph.QuadStore { return m.qs }

func (m memBackend) Apply(deltas []cgraph.Delta, _, _ bool) (uint64, error) {
	return 0, m.qs.ApplyDeltas(deltas, cgraph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true})
}

func (memBackend) Shared() bool                                    { return false }
func (memBackend) LockWriters(context.Context) (func(), error)     { return func() {}, nil }
func (memBackend) CanBulk() bool                                   { return false }
func (memBackend) BeginBulk(context.Context) (bool, string, error) { return false, "", nil }
func (memBackend) EndBulk(context.Context) error                   { return nil }
func (memBackend) CanUndoBulk() bool                               { return false }
func (memBackend) AbortBulk() (bool, error)                        { return false, nil }

func (memBackend) Size(context.Context) (int64, string) {
	return 0, "the memory backend keeps nothing on disk"
}

// OpenGeneration starts from the clock, so a restarted server never
// repeats a generation of the store it lost.
func (memBackend) OpenGeneration() (uint64, error) { return uint64(time.Now().UnixNano()), nil }
func (memBackend) CloseGeneration(uint64) error    { return nil }

func (m memBackend) BatchValues() func(context.Context, []cgraph.Ref) ([]quad.Value, error) {
	if bq, ok := m.qs.(cgraph.BatchQuadStore); ok {
		return bq.ValuesOf
	}
	return nil
}

func (m memBackend) Close() error { return m.qs.Close() }
