package graph

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	_ "github.com/cayleygraph/cayley/graph/memstore" // registers the memory backend
	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
	"github.com/innograph/innograph/graph/internal/kvstore"
	"github.com/innograph/innograph/graph/internal/sqlstore"
	"github.com/prometheus/client_golang/prometheus"
)

// Backend names a Cayley storage backend.
type Backend string

// The backends a Store can open.
const (
	Bolt      Backend = "bolt"      // embedded, one directory; the default
	Memory    Backend = "memory"    // Cayley's memstore; nothing persists
	LevelDB   Backend = "leveldb"   // embedded, one directory
	Postgres  Backend = "postgres"  // PostgreSQL via a DSN
	Cockroach Backend = "cockroach" // CockroachDB via a DSN (Cayley's SQL family)
)

// Backends lists every backend Open accepts.
func Backends() []Backend { return []Backend{Bolt, Memory, LevelDB, Postgres, Cockroach} }

// Config says which store to open and how.
type Config struct {
	// Backend is one of Backends(); empty means Bolt.
	Backend Backend
	// Path is the directory of an embedded store (bolt, leveldb). It is
	// created and initialised on first use.
	Path string
	// MustExist makes Open refuse an embedded store directory that does not
	// exist or holds no store of Backend (read-only commands), instead of
	// creating an empty one. Open always refuses a directory that holds
	// another embedded backend's store.
	MustExist bool
	// DSN is the connection string of a SQL store (postgres, cockroach).
	DSN string
	// ReadOnly opens a SQL store without creating or repairing its schema,
	// as a server on a PostgreSQL hot standby must (a standby refuses
	// every write; Open also notices one by itself). The tables must
	// exist. Writes through the store fail as the database decides.
	ReadOnly bool
	// NoSync skips fsync after each bolt/leveldb transaction: faster bulk
	// loads, but a machine crash (not a process crash) may lose the last
	// transactions. On PostgreSQL it commits load batches with
	// synchronous_commit off: a server crash may lose the last acknowledged
	// batches, never part of one. Off by default.
	NoSync bool
	// Bloom enables the bolt/leveldb Bloom filter that speeds up duplicate
	// checks on writes at the cost of about 580 MB of memory. Off by default.
	Bloom bool
	// Metrics, when set, receives the store's Prometheus instruments
	// (operation latency, quads loaded). Nil means no metrics.
	Metrics prometheus.Registerer
	// ReadTier picks what serves Reader: ReadTierMemory (empty means
	// it) builds an in-memory copy of the graph at Open and keeps it
	// current; ReadTierOff reads the backend (see tier.go).
	ReadTier ReadTier
	// Progress, when set, is told how long work at Open goes: the read
	// tier's build, every 1,048,576 quads and when done, and why a
	// build failed. It should return quickly.
	Progress func(msg string)
}

// Store is the knowledge graph: a Cayley quad store plus the operations
// innograph needs. A Store is safe for concurrent use. Writes are
// serialised; each Write is applied whole or not at all.
type Store struct {
	qs      cgraph.QuadStore
	be      backend // writes, bulk loads and the size go through it
	backend Backend
	metrics *metrics
	// source, when set, serves Reader with the tier off or stale: the
	// backend's own frontier reader (PostgreSQL's batched one), faster
	// than the generic one over Cayley (graph/internal/cayleystore).
	source frontier.Source
	// changes is the change log of a database servers share (PostgreSQL).
	changes changeLog

	wmu    sync.RWMutex // serialises writers (Lock); consistent reads share it (RLock)
	bulks  int          // loads taking part in the running bulk load (under wmu)
	mu     sync.RWMutex
	closed bool

	gen     atomic.Uint64 // bumped by every applied write
	genOpen bool          // genFile is marked open (generation.go)
	tier    *tier         // the in-memory read tier; nil when off (tier.go)
	shared  *shared       // PostgreSQL: the generation and change log shared by servers
	wal     *walWatch     // PostgreSQL only: the replication state (replica.go)
	// validator checks writes against the ontology's shapes, built once,
	// on first use (Validator).
	validator func() (*Validator, error)
	statsMu   sync.Mutex
	stats     *Stats    // cached for statsGen
	statsRun  *statsRun // the count in progress, if any (under statsMu)
	statsGen  uint64
	// searches pools the shortest-path searches of queries (shortest.go).
	searches sync.Pool
	// walkerMaps pools the caches of query walkers (query_walk.go).
	walkerMaps sync.Pool
}

// Open opens (and on first use initialises) the store described by cfg.
// It returns an *Error of kind Invalid for a bad configuration, Unsupported
// for an unknown backend, and Unavailable when the backend cannot be reached.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Backend == "" {
		cfg.Backend = Bolt
	}
	op := fmt.Sprintf("open %s store", cfg.Backend)
	if err := ctx.Err(); err != nil {
		return nil, E(op, Unavailable, err)
	}
	var be backend
	switch cfg.Backend {
	case Bolt, LevelDB:
		if cfg.Path == "" {
			return nil, Errorf(op, Invalid, "no directory given")
		}
		op = fmt.Sprintf("open %s store %s", cfg.Backend, cfg.Path)
		kvs, err := kvstore.Open(kvstore.Config{Backend: kvstore.Backend(cfg.Backend), Dir: cfg.Path,
			MustExist: cfg.MustExist, NoSync: cfg.NoSync, Bloom: cfg.Bloom})
		var de *kvstore.DirError
		switch {
		case errors.As(err, &de) && de.NotFound:
			return nil, Errorf(op, NotFound, "%s", de.Msg)
		case errors.As(err, &de):
			return nil, Errorf(op, Invalid, "%s", de.Msg)
		case err != nil:
			return nil, E(op, Unavailable, err)
		}
		be = kvs
	case Postgres, Cockroach:
		if cfg.DSN == "" {
			return nil, Errorf(op, Invalid, "no DSN given")
		}
		sqls, err := sqlstore.Open(ctx, sqlstore.Config{Backend: sqlstore.Backend(cfg.Backend), DSN: cfg.DSN, NoSync: cfg.NoSync, ReadOnly: cfg.ReadOnly})
		if err != nil {
			return nil, E(op, Unavailable, err)
		}
		be = sqls
	case Memory:
		qs, err := cgraph.NewQuadStore("memstore", "", nil)
		if err != nil {
			return nil, E(op, Unavailable, err)
		}
		be = memBackend{memQuadStore{QuadStore: qs, mu: new(sync.Mutex)}}
	default:
		return nil, Errorf(op, Unsupported, "unknown backend %q (want one of %v)", cfg.Backend, Backends())
	}
	m, err := newMetrics(cfg.Metrics)
	if err != nil {
		be.Close()
		return nil, E(op, Invalid, fmt.Errorf("register metrics: %w", err))
	}
	s := &Store{qs: be.QuadStore(), be: be, backend: cfg.Backend, metrics: m, validator: sync.OnceValues(NewValidator)}
	if sqls, ok := be.(*sqlstore.Store); ok {
		if b := sqls.Batched(); b != nil {
			s.source = b.Source()
		}
		if l := sqls.ChangeLog(); l != nil {
			s.changes = l
		}
		if cfg.Backend == Postgres {
			read := func(ctx context.Context) (walReading, error) {
				r, err := sqls.ReadReplication(ctx)
				return walReading{r.Standby, r.Replayed, r.Received, r.SinceCommit, r.Paused}, err
			}
			if s.wal, err = startWAL(ctx, read, cfg.Metrics, s.Generation); err != nil {
				be.Close()
				return nil, E(op, Unavailable, fmt.Errorf("read the replication state: %w", err))
			}
		}
	}
	return s.finishOpen(ctx, cfg)
}

// finishOpen sets up the read tier of a store just opened; on error it
// closes the store.
func (s *Store) finishOpen(ctx context.Context, cfg Config) (*Store, error) {
	if err := s.openGeneration(); err != nil {
		s.Close()
		return nil, E("open store generation", Unavailable, err)
	}
	if s.changes != nil {
		if err := s.openShared(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	if err := s.openTier(ctx, cfg); err != nil {
		s.Close()
		return nil, err
	}
	s.startShared()
	return s, nil
}

// unsafeDuringWrites reports whether the backend's Cayley store must not be
// read while it is written (Cayley's memstore): long reads that go to Cayley
// directly (the query languages, a build of the read tier) then hold the
// writer lock shared, so writes wait for them.
func (s *Store) unsafeDuringWrites() bool { return s.backend == Memory }

// lockWriters takes the writer lock and, on a database other servers
// write to, the database's writers' lock too, so that what the write reads
// first (a graph, the data it is validated against, the read tier caught
// up) is still what the database holds when it commits. The caller calls
// unlock when the write is done.
func (s *Store) lockWriters(ctx context.Context, op string) (unlock func(), err error) {
	s.wmu.Lock()
	release, err := s.be.LockWriters(ctx)
	if err != nil {
		s.wmu.Unlock()
		if ctx.Err() != nil {
			return nil, E(op, Timeout, err)
		}
		return nil, E(op, Unavailable, err)
	}
	return func() {
		release()
		s.wmu.Unlock()
	}, nil
}

// Backend reports which backend the store runs on.
func (s *Store) Backend() Backend { return s.backend }

// Close closes the store, waiting for a running write to finish. Later calls
// return nil; other methods return an Unavailable error after Close.
func (s *Store) Close() error {
	s.closeTier()
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if s.wal != nil {
		s.wal.close()
	}
	gerr := s.closeGeneration()
	if err := s.be.Close(); err != nil {
		return E("close store", Internal, err)
	}
	if gerr != nil {
		return E("close store: record the generation", Internal, gerr)
	}
	return nil
}

// read runs fn with the store held open for reading and records how long
// op took. op must be a constant: it labels a metric.
func (s *Store) read(op string, fn func(qs cgraph.QuadStore) error) error {
	defer s.metrics.observe(op, time.Now())
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return Errorf(op, Unavailable, "store is closed")
	}
	return fn(s.qs)
}

// QuadStore exposes the underlying Cayley store for query languages (Gizmo,
// GraphQL) that speak to Cayley directly. Callers must not write through it.
func (s *Store) QuadStore() cgraph.QuadStore { return s.qs }

// Batch collects changes to apply together. It is only valid inside the
// function given to Write.
type Batch struct {
	deltas []cgraph.Delta
}

// Add schedules q to be added. Adding a quad that is already stored is a
// no-op, so loads are idempotent.
func (b *Batch) Add(q quad.Quad) {
	b.deltas = append(b.deltas, cgraph.Delta{Action: cgraph.Add, Quad: q})
}

// Remove schedules q to be removed. Removing a missing quad is a no-op.
func (b *Batch) Remove(q quad.Quad) {
	b.deltas = append(b.deltas, cgraph.Delta{Action: cgraph.Delete, Quad: q})
}

// Len reports the number of changes scheduled.
func (b *Batch) Len() int { return len(b.deltas) }

// Write runs fn to fill a batch and applies the batch in one backend
// transaction: if fn returns an error or panics, or the backend fails, nothing
// is applied. A quad both added and removed by the batch ends as its last
// change says. Writers are serialised. ctx is checked before the batch is
// applied; a batch already being applied runs to completion.
func (s *Store) Write(ctx context.Context, fn func(*Batch) error) (err error) {
	const op = "write"
	var b Batch
	if err := fn(&b); err != nil {
		return err
	}
	for _, d := range b.deltas {
		if !d.Quad.IsValid() {
			return Errorf(op, Invalid, "invalid quad %v: subject, predicate and object are required", d.Quad)
		}
	}
	if err := ctx.Err(); err != nil {
		return E(op, Timeout, err)
	}
	if len(b.deltas) == 0 {
		return nil
	}
	addOnly := true
	for _, d := range b.deltas {
		addOnly = addOnly && d.Action == cgraph.Add
	}
	if !addOnly {
		b.deltas = settle(b.deltas)
	}
	return s.apply(op, b.deltas, addOnly)
}
