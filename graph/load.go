package graph

import (
	"context"
	"errors"
	"fmt"
	"io"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// DefaultBatchSize is the number of quads Load applies per transaction.
// Measured on bolt with generated ecosystems (docs/performance.md), the CPU
// time of a 1M-quad load is flat between 5,000 and 20,000 (10,000 was
// lowest) and grows beyond: bolt's in-memory node tree and Cayley's per-batch
// index maps grow with the batch, and every put searches them.
const DefaultBatchSize = 10000

// LoadOptions configure Load.
type LoadOptions struct {
	// BatchSize is the number of quads per transaction; 0 means
	// DefaultBatchSize.
	BatchSize int
	// Progress, when set, is called after each applied batch with the
	// number of quads applied so far. It runs on the writing goroutine, so
	// it should return quickly.
	Progress func(quads int64)
	// Note, when set, is told how the load runs where that is worth a
	// log line: a bulk load into an empty store, or why it is not one.
	Note func(msg string)
	// Unchecked says r has not been read through before: the load then
	// runs only as a bulk load the store can undo (into a fresh bolt
	// store), and a read error, an invalid quad or a failed batch puts
	// the store back to empty, so that nothing of a malformed document
	// stays. Where no such load can start, Load reads nothing and returns
	// ErrNotUndoable: check the document, then load it without Unchecked.
	// It is meant for a store no one else writes meanwhile (innograph
	// load): a write that lands during the load ends the direct writing,
	// and a failure after it keeps the batches, as an ordinary load does.
	Unchecked bool
}

// ErrNotUndoable is what an Unchecked Load returns, before reading
// anything, when the store cannot take the document as a bulk load it can
// undo (it is not empty, not a bolt store opened with fsync, or another
// load is running).
var ErrNotUndoable = errors.New("this store cannot undo a load: check the document first")

// Load reads every quad from r and adds it to the store in batches, each
// applied whole or not at all. Quads already stored are skipped, so loading
// the same document twice adds nothing.
//
// Reading and writing overlap: one goroutine parses the next batch while
// the current one is applied, with at most two parsed batches waiting, so
// memory stays bounded by the batch size. On PostgreSQL the batches go in
// with COPY rather than Cayley's statement per row (graph/internal/sqlstore).
// Into a fresh bolt store the batches are staged and written in Cayley's
// layout when the load ends (graph/internal/kvstore): readers of the
// backend see them then, and a process killed before leaves the empty
// store it found.
//
// On a read error Load stops reading, applies the batches read before it and
// returns the error (callers that need the whole document or nothing
// validate it first, or load it Unchecked into a store that can undo the
// load, as innograph load does). A quad missing its subject,
// predicate or object is an Invalid error, handled the same way. When ctx
// ends Load stops before the next batch and returns a Timeout error. It
// returns the number of quads read.
func (s *Store) Load(ctx context.Context, r quad.Reader, opt LoadOptions) (n int64, err error) {
	const op = "load"
	size := opt.BatchSize
	if size <= 0 {
		size = DefaultBatchSize
	}
	bulk, err := s.startBulk(ctx, opt.Note)
	if err != nil {
		return 0, E(op, Unavailable, fmt.Errorf("start a bulk load: %w", err))
	}
	if opt.Unchecked && (!bulk || !s.soleUndoableBulk()) {
		if bulk {
			if ferr := s.finishBulk(); ferr != nil {
				return 0, E(op, Internal, fmt.Errorf("finish the bulk load: %w", ferr))
			}
		}
		return 0, ErrNotUndoable
	}
	if bulk {
		defer func() {
			if err != nil && opt.Unchecked {
				undone, aerr := s.abortBulk()
				switch {
				case aerr != nil:
					err = errors.Join(err, E(op, Internal, fmt.Errorf("undo the load: %w", aerr)))
					return
				case undone:
					err = &undoneError{err}
					return
				}
			}
			if ferr := s.finishBulk(); ferr != nil {
				err = errors.Join(err, E(op, Internal, fmt.Errorf("finish the bulk load: %w", ferr)))
			}
		}()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// Three buffers circulate: one being filled, one queued, one applied.
	const buffers = 3
	free := make(chan []cgraph.Delta, buffers)
	for i := 0; i < buffers; i++ {
		free <- make([]cgraph.Delta, 0, size)
	}
	full := make(chan []cgraph.Delta, buffers-1)
	var (
		read    int64
		readErr error
		eof     bool // the reader saw the end of r
	)
	go func() {
		defer close(full)
		var buf []cgraph.Delta
		select {
		case buf = <-free:
		case <-ctx.Done():
			return
		}
		for {
			q, err := r.ReadQuad()
			if errors.Is(err, io.EOF) {
				eof = true
				break
			}
			if err != nil {
				readErr = err
				break
			}
			if !q.IsValid() {
				readErr = Errorf(op, Invalid, "quad %d (%v): subject, predicate and object are required", read+1, q)
				break
			}
			read++
			buf = append(buf, cgraph.Delta{Action: cgraph.Add, Quad: q})
			if len(buf) < size {
				continue
			}
			select {
			case full <- buf:
			case <-ctx.Done():
				return
			}
			select {
			case buf = <-free:
			case <-ctx.Done():
				return
			}
		}
		if len(buf) > 0 {
			select {
			case full <- buf:
			case <-ctx.Done():
				eof = false // the last batch was not handed over
			}
		}
	}()

	var (
		applied  int64
		writeErr error
	)
	for b := range full {
		if writeErr == nil {
			if err := ctx.Err(); err != nil {
				writeErr = E(op, Timeout, err)
			} else if err := s.applyBatch(op, b, true, bulk); err != nil {
				writeErr = err
			} else {
				applied += int64(len(b))
				if opt.Progress != nil {
					opt.Progress(applied)
				}
			}
			if writeErr != nil {
				cancel() // stop the reader; keep draining so it can exit
			}
		}
		clear(b)
		free <- b[:0]
	}
	// The reader has closed full, so read, readErr and eof are settled.
	if writeErr != nil {
		return read, writeErr
	}
	if readErr == nil && !eof {
		// The reader gave up on ctx before the end.
		return read, E(op, Timeout, context.Cause(ctx))
	}
	return read, readErr
}

// startBulk begins a bulk load when the store is empty and reports whether
// it did: on bolt, batches commit without fsync (graph/internal/kvstore); on
// PostgreSQL, the quads table's secondary indexes are built at the end
// (graph/internal/sqlstore). It holds the writer lock, so no batch lands between the
// check and the start. A load that starts while another bulk load of this
// Store runs joins it: the last one to finish ends it. Where a bulk load
// cannot start (no boot id, a marker that cannot be written, a PostgreSQL
// role that does not own the tables, a table lock not granted in time) the
// load runs as an ordinary one, and note says why.
func (s *Store) startBulk(ctx context.Context, note func(string)) (bool, error) {
	if !s.be.CanBulk() {
		return false, nil
	}
	tell := func(msg string) {
		if note != nil && msg != "" {
			note(msg)
		}
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.bulks > 0 {
		s.bulks++
		return true, nil
	}
	if empty, err := s.IsEmpty(ctx); err != nil || !empty {
		return false, err
	}
	ok, why, err := s.be.BeginBulk(ctx)
	if err != nil {
		return false, err
	}
	tell(why)
	if ok {
		s.bulks = 1
		tell("bulk load into the empty store")
	}
	return ok, nil
}

// soleUndoableBulk reports whether the bulk load running is this load's
// alone and can be undone.
func (s *Store) soleUndoableBulk() bool {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return s.bulks == 1 && s.be.CanUndoBulk()
}

// abortBulk ends an Unchecked load's bulk load by emptying the store
// again, when it is still this load's alone; undone false means it was
// not, and finishBulk must end it. The read tier, if any, is read again.
func (s *Store) abortBulk() (undone bool, err error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.bulks != 1 {
		return false, nil
	}
	undone, err = s.be.AbortBulk()
	if undone {
		s.bulks = 0
		s.gen.Add(1)
		if t := s.tier; t != nil {
			t.mu.Lock()
			t.rebuildLocked(s)
			t.mu.Unlock()
		}
	}
	return undone, err
}

// undoneError is a failed Unchecked load that left the store empty again.
type undoneError struct{ err error }

func (e *undoneError) Error() string {
	return e.err.Error() + " (nothing was loaded: the store is empty again)"
}
func (e *undoneError) Unwrap() error { return e.err }

// finishBulk ends this load's part in a bulk load; the last to finish syncs
// the bolt file or rebuilds PostgreSQL's indexes. It runs to completion even
// when the load's context has ended, holding the writer lock (on PostgreSQL
// the index rebuild blocks writers anyway); a process killed in it is
// finished by the next Open.
func (s *Store) finishBulk() error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.bulks--; s.bulks > 0 {
		return nil
	}
	return s.be.EndBulk(context.Background())
}

// apply writes one batch of deltas in one backend transaction, serialised
// with every other writer, and counts the quads added. addOnly says every delta
// is an Add, which lets PostgreSQL take the COPY path.
func (s *Store) apply(op string, deltas []cgraph.Delta, addOnly bool) error {
	return s.applyBatch(op, deltas, addOnly, false)
}

// applyBatch is apply; bulk says the batch belongs to a bulk load into an
// empty bolt store, committed without fsync (graph/internal/kvstore). Every other
// batch on a store opened with fsync is synced, and with it the bulk
// batches before it.
func (s *Store) applyBatch(op string, deltas []cgraph.Delta, addOnly, bulk bool) error {
	unlock, err := s.lockWriters(context.Background(), op)
	if err != nil {
		return err
	}
	defer unlock()
	return s.read(op, func(cgraph.QuadStore) error {
		if err := s.applyDeltas(deltas, addOnly, bulk); err != nil {
			return E(op, Internal, err)
		}
		if addOnly {
			s.metrics.quadsAdded(len(deltas))
		}
		return nil
	})
}
