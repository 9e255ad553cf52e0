package graph

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
	"github.com/innograph/innograph/graph/internal/cayleystore"
	"github.com/innograph/innograph/graph/internal/memindex"
)

// ReadTier names what serves Store.Reader.
type ReadTier string

// The read tiers a Store can run.
const (
	// ReadTierMemory serves reads from an in-memory copy of the graph
	// (graph/internal/memindex), built from the store at Open and kept
	// current by every write; the default.
	ReadTierMemory ReadTier = "memory"
	// ReadTierOff serves reads from the backend through Cayley's
	// QuadStore: no copy in memory, no build at Open.
	ReadTierOff ReadTier = "off"
)

// ReadTiers lists every read tier Open accepts.
func ReadTiers() []ReadTier { return []ReadTier{ReadTierMemory, ReadTierOff} }

// tierProgressEvery is how many quads the tier build reads between
// progress messages.
const tierProgressEvery = 1 << 20

// tier is the Store's in-memory read tier. It is current when idx is set:
// every write the backend committed since the build has been applied to
// it. When a write fails (a backend that is not transactional may have
// applied part of it) or the index refuses a change, the tier goes stale:
// idx is cleared, so reads go to the backend, and a build starts from the
// backend. Writes committed while a build reads are kept in pending and
// applied to the new index, in order, before it is installed. Applying a
// write twice is harmless (the index skips adds of present quads and
// removes of absent ones) because no batch both adds and removes one quad
// (Write settles such batches), so each write sets the state of the quads
// it names, and the last write to a quad decides it in any order of
// reading.
type tier struct {
	idx atomic.Pointer[memindex.Index] // nil while stale

	mu       sync.Mutex
	building bool          // a build is reading the backend
	pending  []tierChange  // writes committed since that build started (not shared)
	epoch    uint64        // bumped per build started; an older build is dropped
	done     chan struct{} // closed when the running build ends
	err      error         // why the last build failed, if it did
	// applied is, on a shared database, the generation of the database
	// that idx holds: every change up to it and none after.
	applied uint64

	ctx      context.Context // ends at Close: stops a background build
	cancel   context.CancelFunc
	progress func(string)
	// fault, set by tests only, makes applying a write to the index fail.
	fault func() error
	// paused, set by tests only, stops following other servers' writes.
	paused bool
}

// tierChange is one committed write, as the index takes it.
type tierChange struct{ adds, removes []quad.Quad }

// changeOf splits deltas into the quads they add and remove.
func changeOf(deltas []cgraph.Delta) tierChange {
	var c tierChange
	for _, d := range deltas {
		if d.Action == cgraph.Delete {
			c.removes = append(c.removes, d.Quad)
		} else {
			c.adds = append(c.adds, d.Quad)
		}
	}
	return c
}

// openTier sets up the read tier cfg asks for and, for the memory tier,
// builds it from the store before returning. A build that fails (a value
// the index cannot hold, say) is reported through cfg.Progress and leaves
// reads on the backend; only ctx ending fails Open.
func (s *Store) openTier(ctx context.Context, cfg Config) error {
	op := "open read tier"
	switch cfg.ReadTier {
	case "", ReadTierMemory:
	case ReadTierOff:
		return nil
	default:
		return Errorf(op, Invalid, "unknown read tier %q (want one of %v)", cfg.ReadTier, ReadTiers())
	}
	progress := cfg.Progress
	if progress == nil {
		progress = func(string) {}
	}
	if s.be.Shared() && s.changes == nil {
		// A database other servers may write, without a change log
		// (CockroachDB; PostgreSQL's is graph/internal/sqlstore's): a
		// tier would miss their writes.
		progress("read tier: not available on cockroach (other servers' writes would not reach it): reads go to the store")
		return nil
	}
	t := &tier{progress: progress}
	t.ctx, t.cancel = context.WithCancel(context.Background())
	s.tier = t
	done := t.rebuild(s)
	select {
	case <-done:
	case <-ctx.Done():
		return E(op, Unavailable, ctx.Err())
	}
	if err := t.buildErr(); err != nil {
		t.progress(fmt.Sprintf("read tier: build failed, reads go to the %s store: %v", s.backend, err))
	}
	return nil
}

// buildErr returns why the last build failed, nil if it did not.
func (t *tier) buildErr() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}

// rebuild marks the tier stale and starts a build from the store, in the
// background; it returns a channel closed when the build has ended.
func (t *tier) rebuild(s *Store) <-chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.rebuildLocked(s)
}

func (t *tier) rebuildLocked(s *Store) <-chan struct{} {
	t.idx.Store(nil)
	t.epoch++
	t.pending = nil
	t.building = true
	t.err = nil
	done := make(chan struct{})
	t.done = done
	epoch := t.epoch
	go func() {
		defer close(done)
		t.build(s, epoch)
	}()
	return done
}

// build reads every quad of the store into a new index and installs it,
// with the writes committed meanwhile, unless a newer build has started.
func (t *tier) build(s *Store, epoch uint64) {
	start := time.Now()
	var from uint64 // on a shared database, the generation before reading
	if s.shared != nil {
		var err error
		if from, _, err = logHead(t.ctx, s.shared.db); err != nil {
			t.failed(epoch, fmt.Errorf("read the generation: %w", err))
			return
		}
	}
	next := int64(tierProgressEvery)
	idx, err := memindex.Build(t.ctx, func(yield func(quad.Quad) error) error {
		if s.unsafeDuringWrites() {
			// Writes meanwhile would race with this read; they wait
			// (and the writer that asked for this build has returned).
			s.wmu.RLock()
			defer s.wmu.RUnlock()
		}
		return s.EachQuad(t.ctx, Selection{}, yield)
	}, func(n int64) {
		if n >= next {
			next += tierProgressEvery
			t.progress(fmt.Sprintf("read tier: %d quads read in %s", n, time.Since(start).Round(time.Millisecond)))
		}
	})
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.epoch != epoch {
		return // a newer build replaces this one
	}
	t.building = false
	pending := t.pending
	t.pending = nil
	if err == nil && s.shared != nil {
		// Every change committed since reading began is in the log.
		t.applied = from
		err = t.catchUp(s, idx, 0)
	}
	if err == nil {
		for _, c := range pending {
			if err = idx.Apply(context.Background(), c.adds, c.removes); err != nil {
				break
			}
		}
	}
	if err != nil {
		t.err = err
		return
	}
	t.idx.Store(idx)
	s.shared.publish(t.applied)
	t.progress(fmt.Sprintf("read tier: %d quads in memory (%d MB), built in %s",
		idx.Len(), idx.Bytes()>>20, time.Since(start).Round(time.Millisecond)))
}

// failed records why the build of epoch failed.
func (t *tier) failed(epoch uint64, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.epoch == epoch {
		t.building, t.pending, t.err = false, nil, err
	}
}

// catchUp applies to idx the changes of the shared database after
// t.applied, up to upto (zero: its current generation), in order; t.mu
// is held.
func (t *tier) catchUp(s *Store, idx *memindex.Index, upto uint64) error {
	ctx := t.ctx
	if upto == 0 {
		head, pruned, err := logHead(ctx, s.shared.db)
		if err != nil {
			return err
		}
		if head <= t.applied {
			return nil
		}
		if pruned > t.applied {
			return fmt.Errorf("%w generation %d (pruned to %d)", errLogGap, t.applied, pruned)
		}
		upto = head
	}
	return changesSince(ctx, s.shared.db, t.applied, upto, func(gen uint64, c tierChange) error {
		if err := idx.Apply(context.Background(), c.adds, c.removes); err != nil {
			return err
		}
		t.applied = gen
		return nil
	})
}

// follow brings the tier up to the shared database's generation head,
// rebuilding it when the log cannot; it runs on the poller.
func (t *tier) follow(s *Store, head, pruned uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	idx := t.idx.Load()
	if t.paused {
		return
	}
	if t.building || idx == nil {
		// Reads go to the database meanwhile, which holds head. A
		// build that failed for want of log is retried.
		if !t.building && t.err != nil && errors.Is(t.err, errLogGap) {
			t.rebuildLocked(s)
		}
		s.shared.publish(head)
		return
	}
	if head <= t.applied {
		return
	}
	err := fmt.Errorf("%w generation %d (pruned to %d)", errLogGap, t.applied, pruned)
	if pruned <= t.applied {
		err = t.catchUp(s, idx, head)
	}
	if err != nil {
		t.progress(fmt.Sprintf("read tier: cannot follow the database from generation %d, rebuilding: %v", t.applied, err))
		t.rebuildLocked(s)
		return
	}
	s.shared.publish(t.applied)
}

// applyDeltas writes deltas through the backend in one transaction (on
// PostgreSQL with the change log) and brings the read tier and then the
// generation up to date. Every write goes through it; the caller holds the
// writer lock and runs inside s.read. No quad may be both added and
// removed (settle). addOnly and bulk as for backend.Apply.
func (s *Store) applyDeltas(deltas []cgraph.Delta, addOnly, bulk bool) error {
	gen, err := s.be.Apply(deltas, addOnly, bulk)
	s.tierAppliedAt(deltas, gen, err)
	// After the tier holds it (see Generation); even a failed apply may
	// have touched a non-transactional backend.
	s.gen.Add(1)
	return err
}

// applied brings the tier up to date with a write the backend has just
// committed (err nil) or failed (err set); it runs under the writer lock,
// in commit order.
func (s *Store) tierApplied(deltas []cgraph.Delta, err error) {
	s.tierAppliedAt(deltas, 0, err)
}

// tierAppliedAt is tierApplied for a write to a shared database, which
// took generation gen (zero elsewhere).
func (s *Store) tierAppliedAt(deltas []cgraph.Delta, gen uint64, err error) {
	if sh := s.shared; sh != nil && err == nil {
		defer func() {
			sh.publish(gen)
			if gen%pruneEvery == 0 {
				// The write stands; a prune that fails is tried
				// again pruneEvery generations on.
				_ = pruneChanges(context.Background(), sh.db, gen, sh.keep, sh.keepQuads)
			}
		}()
	}
	t := s.tier
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if s.shared != nil {
		t.appliedShared(s, deltas, gen, err)
		return
	}
	if err != nil {
		// A failed write may have left part of itself in a backend
		// without transactions: read the backend again.
		t.rebuildLocked(s)
		return
	}
	c := changeOf(deltas)
	if t.building {
		t.pending = append(t.pending, c)
		return
	}
	idx := t.idx.Load()
	if idx == nil {
		return // the last build failed: reads stay on the backend
	}
	if t.fault != nil {
		err = t.fault()
	}
	if err == nil {
		err = idx.Apply(context.Background(), c.adds, c.removes)
	}
	if err != nil {
		t.progress(fmt.Sprintf("read tier: a write could not be applied, rebuilding: %v", err))
		t.rebuildLocked(s)
	}
}

// appliedShared is tierAppliedAt on a shared database; t.mu is held. The
// log says what the database holds, so a failed write (which may still
// have committed, if only its acknowledgement was lost) is caught up from
// it like another server's write.
func (t *tier) appliedShared(s *Store, deltas []cgraph.Delta, gen uint64, err error) {
	idx := t.idx.Load()
	if t.building || idx == nil {
		return // the build catches up from the log
	}
	switch {
	case err != nil:
		err = t.catchUp(s, idx, 0)
	case gen <= t.applied:
		// The poller has read it from the log already.
	case gen == t.applied+1:
		if t.fault != nil {
			err = t.fault()
		}
		if err == nil {
			c := changeOf(deltas)
			if err = idx.Apply(context.Background(), c.adds, c.removes); err == nil {
				t.applied = gen
			}
		}
	default:
		err = t.catchUp(s, idx, gen)
	}
	if err != nil {
		t.progress(fmt.Sprintf("read tier: a write could not be applied, rebuilding: %v", err))
		t.rebuildLocked(s)
	}
}

// tierReady reports whether Reader serves the in-memory tier. With sync
// set, on a shared database, the tier first applies every change the
// database holds (else it would answer from up to a poll ago).
func (s *Store) tierReady(ctx context.Context, sync bool) bool {
	t := s.tier
	if t == nil {
		return false
	}
	if !sync || s.shared == nil {
		return t.idx.Load() != nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	idx := t.idx.Load()
	if idx == nil || t.building {
		return false
	}
	if err := t.catchUp(s, idx, 0); err != nil {
		t.progress(fmt.Sprintf("read tier: cannot follow the database from generation %d, rebuilding: %v", t.applied, err))
		t.rebuildLocked(s)
		return false
	}
	s.shared.publish(t.applied)
	return true
}

// closeTier stops the poller and a running build, and drops the index.
func (s *Store) closeTier() {
	s.stopShared()
	if t := s.tier; t != nil {
		t.cancel()
		t.idx.Store(nil)
	}
}

// Reader returns a frontier.Reader of the graph for one query; close it
// when the query ends. With the memory read tier (the default) it reads a
// snapshot of the in-memory index, which holds every write that has
// returned; while that index is being rebuilt, and with the tier off, it
// reads the backend through Cayley (each call sees what is committed
// then). It returns an Unavailable error after Close and a Timeout error
// when ctx has ended.
func (s *Store) Reader(ctx context.Context) (frontier.Reader, error) {
	const op = "open reader"
	s.mu.RLock()
	closed := s.closed
	s.mu.RUnlock()
	if closed {
		return nil, Errorf(op, Unavailable, "store is closed")
	}
	if err := ctx.Err(); err != nil {
		return nil, E(op, Timeout, err)
	}
	if t := s.tier; t != nil {
		if idx := t.idx.Load(); idx != nil {
			r, err := idx.Reader(ctx)
			if err != nil {
				return nil, E(op, Timeout, err)
			}
			return r, nil
		}
	}
	src := s.source // the backend's own reader (PostgreSQL's batched one)
	if src == nil {
		src = cayleystore.New(s.qs, cayleystore.Options{ValuesOf: s.valuesOf(s.qs)})
	}
	r, err := src.Reader(ctx)
	if err != nil {
		return nil, E(op, Timeout, err)
	}
	return r, nil
}

// Generation returns a number that changes with every write to the
// store, for caches and ETags: equal generations mean the graph has not
// changed in between. A write counts once Reader gives it, so a Reader
// opened after Generation returned g gives the state of g or a later one:
// read the generation before the data it labels, and an ETag never names
// data older than itself. On PostgreSQL it is the database's generation,
// the same on every server of the database: this server's own writes count
// when they return, other servers' within a poll (changePoll). Embedded
// stores keep it over clean restarts (graph/internal/kvstore).
func (s *Store) Generation() uint64 {
	if s.shared != nil {
		return s.shared.gen.Load()
	}
	return s.gen.Load()
}

// changePoll is how often a server reads the generation of a shared
// database.
const changePoll = 200 * time.Millisecond

// shared follows a database other servers write to (PostgreSQL).
type shared struct {
	db  changeLog
	gen atomic.Uint64 // the generation Generation reports
	// The change log's window: generations and quads (changeKeep,
	// changeKeepQuads; tests shrink them).
	keep, keepQuads int64
	cancel          context.CancelFunc
	done            chan struct{}
}

// publish raises the reported generation to gen.
func (sh *shared) publish(gen uint64) {
	if sh == nil {
		return
	}
	for {
		old := sh.gen.Load()
		if gen <= old || sh.gen.CompareAndSwap(old, gen) {
			return
		}
	}
}

// openShared sets up the change log of a PostgreSQL store; the poller
// starts with startShared, once the tier is open.
func (s *Store) openShared(ctx context.Context) error {
	if err := changeSchema(ctx, s.changes); err != nil {
		return E("open change log", Unavailable, err)
	}
	s.shared = &shared{db: s.changes, keep: changeKeep, keepQuads: changeKeepQuads}
	return nil
}

// startShared polls the database's generation until Close: with the
// tier off it is what Generation reports; with the tier on, the tier
// follows it first.
func (s *Store) startShared() {
	sh := s.shared
	if sh == nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	sh.cancel, sh.done = cancel, make(chan struct{})
	poll := func() {
		head, pruned, err := logHead(ctx, sh.db)
		if err != nil {
			return // the next poll tries again; reads report their own errors
		}
		if s.tier != nil {
			s.tier.follow(s, head, pruned)
		} else {
			sh.publish(head)
		}
	}
	poll()
	go func() {
		defer close(sh.done)
		tick := time.NewTicker(changePoll)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				poll()
			}
		}
	}()
}

// stopShared stops the poller and waits for it.
func (s *Store) stopShared() {
	if sh := s.shared; sh != nil && sh.cancel != nil {
		sh.cancel()
		<-sh.done
	}
}

// TierStatus says what serves Store.Reader.
type TierStatus struct {
	// Tier is the configured read tier.
	Tier ReadTier
	// Ready reports that the in-memory index serves reads; false while it
	// is (re)built or after its build failed, and with the tier off.
	Ready bool
	// Quads and Bytes are the index's size, when Ready.
	Quads, Bytes int64
	// Err is why the last build failed, if it did.
	Err error
}

// ReadTierStatus reports the state of the read tier.
func (s *Store) ReadTierStatus() TierStatus {
	t := s.tier
	if t == nil {
		return TierStatus{Tier: ReadTierOff}
	}
	st := TierStatus{Tier: ReadTierMemory, Err: t.buildErr()}
	if idx := t.idx.Load(); idx != nil {
		st.Ready, st.Quads, st.Bytes = true, idx.Len(), idx.Bytes()
	}
	return st
}

// waitTier waits for a running build of the read tier to end; for tests.
func (s *Store) waitTier(ctx context.Context) error {
	t := s.tier
	if t == nil {
		return nil
	}
	t.mu.Lock()
	done := t.done
	t.mu.Unlock()
	if done == nil {
		return nil
	}
	select {
	case <-done:
		return t.buildErr()
	case <-ctx.Done():
		return ctx.Err()
	}
}

// settle drops every delta that a later delta of the same quad overrides,
// so that no quad is both added and removed by one batch: backends differ
// on such a batch (Cayley's key-value and SQL stores apply its adds before
// its removes, its memstore applies it in order), and the read tier takes
// a batch as a set. The last change of a quad wins, as if applied in order.
func settle(deltas []cgraph.Delta) []cgraph.Delta {
	last := make(map[quad.Quad]int, len(deltas))
	for i, d := range deltas {
		last[d.Quad] = i
	}
	if len(last) == len(deltas) {
		return deltas
	}
	out := make([]cgraph.Delta, 0, len(last))
	for i, d := range deltas {
		if last[d.Quad] == i {
			out = append(out, d)
		}
	}
	return out
}

var errTierFault = errors.New("read tier fault injected by a test")
