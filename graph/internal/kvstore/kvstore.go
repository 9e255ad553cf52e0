package kvstore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/boltdb/bolt"
	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/quad"

	// Cayley's kv backends register themselves in its registry: leveldb is
	// opened through it, bolt only by Cayley's own tools and the tests
	// that compare our bolt files with Cayley's.
	_ "github.com/cayleygraph/cayley/graph/kv/bolt"
	_ "github.com/cayleygraph/cayley/graph/kv/leveldb"
)

// Backend names a store of this family, as Cayley's registry does.
type Backend string

// The backends of this family.
const (
	Bolt    Backend = "bolt"
	LevelDB Backend = "leveldb"
)

// Config says which store to open.
type Config struct {
	Backend Backend
	// Dir is the store's directory, created and initialised on first use
	// unless MustExist is set.
	Dir       string
	MustExist bool
	// NoSync skips fsync after each transaction.
	NoSync bool
	// Bloom enables Cayley's Bloom filter for duplicate checks on writes.
	Bloom bool
}

// Store is an open bolt or leveldb store. Apply, BeginBulk and EndBulk must
// be serialised by the caller (the graph Store's writer lock); reads go
// through QuadStore concurrently.
type Store struct {
	qs      cgraph.QuadStore
	backend Backend
	dir     string
	noSync  bool
	bolt    *bolt.DB // bolt only: its fsync is switched off for bulk batches
	bloom   bool
	opts    cgraph.Options // Cayley's options, to initialise the store again
	// direct writes the batches of a bulk load into a fresh bolt store
	// (direct.go); nil when there is none.
	direct *directWriter
}

// Open opens (and on first use initialises) the store cfg names. A
// directory that cannot hold it is a *DirError.
func Open(cfg Config) (*Store, error) {
	switch cfg.Backend {
	case Bolt, LevelDB:
	default:
		return nil, fmt.Errorf("kvstore: unknown backend %q", cfg.Backend)
	}
	if cfg.Dir == "" {
		return nil, dirErr(false, "no directory given")
	}
	if err := checkDir(cfg.Backend, cfg.Dir, cfg.MustExist); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, err
	}
	opts := cgraph.Options{"nosync": cfg.NoSync, kv.OptNoBloom: !cfg.Bloom}
	s := &Store{backend: cfg.Backend, dir: cfg.Dir, noSync: cfg.NoSync, bloom: cfg.Bloom, opts: opts}
	if cfg.Backend == Bolt {
		// Opened here rather than through Cayley's registry, which keeps
		// the bolt handle to itself; same file, same layout.
		var err error
		if s.bolt, s.qs, err = openBolt(cfg.Dir, cfg.NoSync, opts); err != nil {
			return nil, err
		}
		return s, nil
	}
	err := cgraph.InitQuadStore(string(cfg.Backend), cfg.Dir, opts)
	if err != nil && !errors.Is(err, cgraph.ErrDatabaseExists) {
		return nil, fmt.Errorf("initialise: %w", err)
	}
	if s.qs, err = cgraph.NewQuadStore(string(cfg.Backend), cfg.Dir, opts); err != nil {
		return nil, err
	}
	return s, nil
}

// openBolt opens (creating and initialising on first use) the bolt store in
// dir the way Cayley's bolt backend does, same file and layout, but keeps
// the bolt handle so a bulk load can switch fsync off and sync once at the
// end, and runs Cayley on boltKV (boltkv.go) instead of hidalgo's adapter.
// It waits at most lockWait for another process holding the file; Cayley's
// own open waits forever.
// initialMmap is the size bolt maps a store file with at open.
const initialMmap = 1 << 30

func openBolt(dir string, noSync bool, opts cgraph.Options) (*bolt.DB, cgraph.QuadStore, error) {
	const lockWait = 3 * time.Second
	path := filepath.Join(dir, boltFile)
	// bolt remaps its file when a write grows it past the mapping, and a
	// remap waits for every open read transaction to end; a long read (a
	// Gizmo or GraphQL query running to its timeout) then holds every write
	// back. Mapping 1 GiB of address space up front (no memory is used
	// until pages are touched) leaves stores below that size never remapped.
	db, err := bolt.Open(path, 0o644, &bolt.Options{Timeout: lockWait, InitialMmapSize: initialMmap})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, nil, fmt.Errorf("%s is in use by another process (waited %s)", path, lockWait)
	}
	if err != nil {
		return nil, nil, err
	}
	hdb := boltKV{db}
	db.NoSync, db.NoGrowSync = noSync, noSync
	if err := recoverBulk(dir, db, opts); err != nil {
		hdb.Close()
		return nil, nil, err
	}
	if err := kv.Init(hdb, opts); err != nil && !errors.Is(err, cgraph.ErrDatabaseExists) {
		hdb.Close()
		return nil, nil, fmt.Errorf("initialise: %w", err)
	}
	qs, err := kv.New(hdb, opts)
	if err != nil {
		hdb.Close()
		return nil, nil, err
	}
	return db, qs, nil
}

// QuadStore is the Cayley store, for reads.
func (s *Store) QuadStore() cgraph.QuadStore { return s.qs }

// Apply applies deltas in one transaction, whole or not at all. addOnly
// says every delta is an Add; bulk says the batch belongs to a bulk load
// started with BeginBulk, and is committed without fsync. Every other
// batch on a store opened with fsync is synced, and with it the bulk
// batches before it. The generation is always zero: a kv store has one
// server.
func (s *Store) Apply(deltas []cgraph.Delta, addOnly, bulk bool) (gen uint64, err error) {
	if s.direct != nil {
		if bulk && addOnly {
			// A failed batch leaves the writer as it was before it, for
			// EndBulk to write; a failed write to bolt stays in the
			// writer and fails EndBulk.
			return 0, s.direct.apply(s.bolt, deltas)
		}
		// A write the direct writer does not take: Cayley must find the
		// load's batches so far written whole first.
		if err := s.finishDirect(); err != nil {
			return 0, err
		}
	}
	if s.bolt != nil && bulk {
		// Only this commit skips fsync; every other writer finds the
		// store as it was opened.
		defer s.noSyncWhile()()
	}
	if !addOnly {
		deltas = padSharedNodes(deltas)
	}
	return 0, s.qs.ApplyDeltas(deltas, cgraph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true})
}

// noSyncWhile switches bolt's fsync off and returns the function that
// puts it back as the store was opened.
func (s *Store) noSyncWhile() (restore func()) {
	s.bolt.NoSync, s.bolt.NoGrowSync = true, true
	return func() { s.bolt.NoSync, s.bolt.NoGrowSync = s.noSync, s.noSync }
}

// finishDirect writes what the direct writer staged, without fsync (the
// bulk marker guards it), and hands the store back to Cayley, with fsync
// as the store was opened; the marker then says the store is whole again. When the write fails the store is
// put back to the fresh store the load started from.
func (s *Store) finishDirect() error {
	d := s.direct
	s.direct = nil
	d.wait() // its log write in flight commits without fsync too; finish returns its error
	defer s.noSyncWhile()()
	if err := d.finish(s.bolt); err != nil {
		if rerr := resetFresh(s.bolt, s.opts); rerr != nil {
			// The marker stays: the next Open puts the store back.
			return errors.Join(err, fmt.Errorf("empty the half-written store: %w", rerr))
		}
		_, merr := writeMarker(s.dir, false) // empty, so whole again
		return errors.Join(fmt.Errorf("%w (the store is empty again)", err), merr)
	}
	_, err := writeMarker(s.dir, false)
	return err
}

// Shared reports false: an embedded store has one process.
func (s *Store) Shared() bool { return false }

// LockWriters does nothing: an embedded store has one process, whose
// writers the Store serialises itself.
func (s *Store) LockWriters(context.Context) (func(), error) { return func() {}, nil }

// CanBulk reports whether the store can run a bulk load: bolt opened with
// fsync.
func (s *Store) CanBulk() bool { return s.bolt != nil && !s.noSync }

// BeginBulk starts a bulk load into the store, which the caller has found
// empty: on bolt opened with fsync, batches applied as bulk then commit
// without it, guarded by a marker file (bulk.go). It reports whether it
// started one, and otherwise, where that is worth telling, why not.
func (s *Store) BeginBulk(context.Context) (ok bool, note string, err error) {
	if !s.CanBulk() {
		return false, "", nil
	}
	var d *directWriter
	var note2 string
	if directBulk && !s.bloom {
		// A fresh store is written directly; any other empty one (ids
		// handed out before, legacy indexes) through Cayley.
		var derr error
		if d, derr = newDirectWriter(s.bolt); derr != nil {
			d, note2 = nil, "bulk load through Cayley: "+derr.Error()
		}
	}
	ok, err = writeMarker(s.dir, d != nil)
	if err != nil {
		return false, fmt.Sprintf("bulk load without per-batch fsync not possible, syncing every batch: %v", err), nil
	}
	if !ok {
		return false, "no boot id on this system: syncing every batch", nil
	}
	if d != nil {
		// The direct writer writes its log on a goroutine of its own
		// while batches are staged: fsync stays off until it finishes
		// (finishDirect), which every other write waits for.
		s.bolt.NoSync, s.bolt.NoGrowSync = true, true
		s.direct = d
	}
	return true, note2, nil
}

// CanUndoBulk reports whether the bulk load running is written directly
// (a fresh bolt store): AbortBulk can then put the store back to empty.
func (s *Store) CanUndoBulk() bool { return s.direct != nil }

// AbortBulk ends a bulk load written directly by dropping what it staged
// and emptying the store again (its log may have reached the file), then
// removing the marker; it reports false, doing nothing, for any other
// bulk load. When the store cannot be emptied the marker stays, and the
// next Open empties it.
func (s *Store) AbortBulk() (bool, error) {
	d := s.direct
	if s.bolt == nil || d == nil {
		return false, nil
	}
	s.direct = nil
	_ = d.wait() // its log write in flight; what it wrote is emptied below
	restore := s.noSyncWhile()
	err := resetFresh(s.bolt, s.opts)
	restore()
	if err != nil {
		return true, fmt.Errorf("empty the half-written store: %w (the next open empties it)", err)
	}
	return true, syncAndUnmark(s.dir, s.bolt)
}

// EndBulk makes a bulk load durable: what a direct load staged is
// written, the bolt file is synced, then the marker removed.
func (s *Store) EndBulk(context.Context) error {
	if s.bolt == nil {
		return nil
	}
	if s.direct != nil {
		if err := s.finishDirect(); err != nil {
			return err
		}
	}
	return syncAndUnmark(s.dir, s.bolt)
}

// Size reports the bytes of the store's files. It is not cached: files
// grow without a write (bolt's free pages, leveldb's compactions).
func (s *Store) Size(context.Context) (int64, string) {
	var n int64
	err := filepath.WalkDir(s.dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			fi, err := d.Info()
			if err != nil {
				return err
			}
			n += fi.Size()
		}
		return nil
	})
	if err != nil {
		return 0, "cannot read the store directory: " + err.Error()
	}
	return n, ""
}

// BatchValues returns Cayley's lookup of many node references in one read
// transaction, nil where the store has none.
func (s *Store) BatchValues() func(context.Context, []cgraph.Ref) ([]quad.Value, error) {
	if bq, ok := s.qs.(cgraph.BatchQuadStore); ok {
		return bq.ValuesOf
	}
	return nil
}

// Close closes the store. A direct bulk load not ended is left for Open to
// undo (its marker stays), once its log write in flight has ended.
func (s *Store) Close() error {
	if s.direct != nil {
		s.direct.wait()
		s.direct = nil
		s.bolt.NoSync, s.bolt.NoGrowSync = s.noSync, s.noSync
	}
	return s.qs.Close()
}
