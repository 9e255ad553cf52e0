package memindex

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
)

// Errors returned (wrapped) by the Index and its Readers.
var (
	// ErrInvalid is returned by Apply, Build and FromQuads for a quad
	// without a subject, predicate or object, or with a value that is no
	// RDF term (not an IRI, blank node or literal).
	ErrInvalid = errors.New("memindex: invalid quad")
	// ErrFull is returned by Apply and Build when the index would pass
	// its limits: 2^32-2 distinct values or 2^32-1 quads.
	ErrFull = errors.New("memindex: index full")
	// ErrClosed is returned by a Reader's methods after its Close.
	ErrClosed = errors.New("memindex: reader used after Close")
)

const maxQuads = math.MaxUint32 - 1

// Index is the in-memory read tier: a graph of quads, read through
// snapshot Readers, changed by Apply. See the package documentation.
type Index struct {
	cur atomic.Pointer[state] // the current generation

	mu     sync.Mutex // held by Apply and while installing a compaction
	dict   *dict
	frozen int           // oldest runs being compacted in the background
	done   chan struct{} // closed when that compaction is installed

	// Compaction policy: a new run is merged into the one below while that
	// is at most mergeRatio times larger, and runs are merged down to
	// maxRuns; the overlay is folded into a new base once it passes
	// compactMin entries and 1/compactDiv of the base.
	maxRuns    int
	mergeRatio int
	compactMin int
	compactDiv int64
}

// New returns an empty Index.
func New() *Index {
	x := &Index{dict: newDict(), maxRuns: 4, mergeRatio: 4, compactMin: 1 << 15, compactDiv: 8}
	tv := x.dict.view()
	x.cur.Store(&state{terms: tv, base: buildBase(nil, 0, true, &tv, 0)})
	return x
}

// FromQuads returns an Index holding quads, for tests. It panics where
// Build would return an error.
func FromQuads(quads []quad.Quad) *Index {
	x, err := Build(context.Background(), func(yield func(quad.Quad) error) error {
		for _, q := range quads {
			if err := yield(q); err != nil {
				return err
			}
		}
		return nil
	}, nil)
	if err != nil {
		panic(err)
	}
	return x
}

// progressEvery is how many quads Build reads between progress calls.
const progressEvery = 1 << 17

// errStopped is what yield returns once Build has given up on the stream.
var errStopped = errors.New("memindex: build stopped")

// Build returns an Index holding the quads each yields (duplicates are
// stored once). each runs on a goroutine of its own, so that reading the
// source (decoding a store, parsing, generating) runs beside the
// interning of values; it must call yield for every quad, from that
// goroutine only, and return yield's error if yield returns one (yield
// returns one once Build has stopped). The orders are then laid out by
// counting sorts, linear in quads plus values, two at a time. progress,
// if not nil, is called with the number of quads read every 131,072 quads
// and once at the end. Build returns ctx's error if it is done, ErrInvalid
// for a bad quad, ErrFull past the limits, or each's own error, wrapped.
func Build(ctx context.Context, each func(yield func(quad.Quad) error) error, progress func(n int64)) (*Index, error) {
	const batch = 1024
	var (
		full    = make(chan []quad.Quad, 8)
		empty   = make(chan []quad.Quad, 10)
		stop    = make(chan struct{})
		eachErr error
	)
	go func() {
		defer close(full)
		buf := make([]quad.Quad, 0, batch)
		send := func() error {
			select {
			case full <- buf:
			case <-stop:
				return errStopped
			}
			select {
			case buf = <-empty:
				buf = buf[:0]
			default:
				buf = make([]quad.Quad, 0, batch)
			}
			return nil
		}
		eachErr = each(func(q quad.Quad) error {
			buf = append(buf, q)
			if len(buf) == batch {
				return send()
			}
			return nil
		})
		if eachErr == nil && len(buf) > 0 {
			eachErr = send()
		}
	}()
	x := New()
	d := x.dict
	var (
		qs    chunks
		n     int64
		cache [4]cached
		err   error
	)
	for b := range full {
		if err != nil {
			continue // drain, so the producer is not left blocked
		}
		for _, q := range b {
			n++
			if n%progressEvery == 0 {
				if err = ctx.Err(); err != nil {
					break
				}
				if progress != nil {
					progress(n)
				}
			}
			if d.n > maxTerms-4 || n > maxQuads {
				err = fmt.Errorf("build at quad %d: %w", n, ErrFull)
				break
			}
			var k q4
			if k, err = d.internQuad(q, &cache); err != nil {
				err = fmt.Errorf("build: quad %d: %w", n, err)
				break
			}
			qs.add(k)
		}
		if err != nil {
			close(stop)
		}
		clear(b)
		select {
		case empty <- b:
		default:
		}
	}
	// The producer has ended (full is closed): eachErr is set.
	if err == nil && eachErr != nil {
		err = fmt.Errorf("build: reading quads: %w", eachErr)
	}
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return nil, err
	}
	if progress != nil {
		progress(n)
	}
	tv := d.view()
	typeID, labelID := d.find(frontier.RDFType), d.find(frontier.RDFSLabel)
	b := buildBase(qs, d.n, false, &tv, labelID)
	x.cur.Store(&state{quads: b.quads, terms: tv, base: b, typeID: typeID, labelID: labelID})
	return x, nil
}

// cached remembers the last IRI interned in one position: streams repeat
// graphs, subjects and predicates from one quad to the next.
type cached struct {
	iri quad.IRI
	id  uint32
}

// internQuad interns q's values.
func (d *dict) internQuad(q quad.Quad, cache *[4]cached) (q4, error) {
	var k [4]uint32
	for i, v := range [4]quad.Value{q.Subject, q.Predicate, q.Object, q.Label} {
		if v == nil {
			if i < 3 {
				return q4{}, fmt.Errorf("%w: no %v in %v", ErrInvalid, quad.Direction(i+1), q)
			}
			continue
		}
		if iri, ok := v.(quad.IRI); ok && cache[i].id != 0 && iri == cache[i].iri {
			k[i] = cache[i].id
			continue
		}
		id, ok := d.intern(v)
		if !ok {
			return q4{}, fmt.Errorf("%w: %T in %v is no RDF term", ErrInvalid, v, q)
		}
		k[i] = id
		if iri, isIRI := v.(quad.IRI); isIRI {
			cache[i] = cached{iri, id}
		}
	}
	return q4{k[0], k[1], k[2], k[3]}, nil
}

// find returns the ID of v in the whole dictionary, zero if absent.
func (d *dict) find(v quad.Value) uint32 {
	tv := d.view()
	id, _ := tv.lookup(v, nil)
	return id
}

// check validates q without interning anything.
func check(q quad.Quad) error {
	for i, v := range [4]quad.Value{q.Subject, q.Predicate, q.Object, q.Label} {
		if v == nil {
			if i < 3 {
				return fmt.Errorf("%w: no %v in %v", ErrInvalid, quad.Direction(i+1), q)
			}
			continue
		}
		if !isTerm(v) {
			return fmt.Errorf("%w: %T in %v is no RDF term", ErrInvalid, v, q)
		}
	}
	return nil
}

// Apply removes the quads in removes, then adds those in adds, as one
// change: a Reader sees all of it or none of it. A remove of an absent
// quad and an add of a present one change nothing; a quad in both lists is
// present afterwards. Apply that changes nothing leaves the generation as
// it was; otherwise the generation goes up by one. Apply may be called
// from one goroutine at a time (it serialises callers anyway); Readers may
// read concurrently. It returns ctx's error if ctx is done before it
// starts, ErrInvalid (and changes nothing) for a bad quad, and ErrFull past
// the limits.
func (x *Index) Apply(ctx context.Context, adds, removes []quad.Quad) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, list := range [][]quad.Quad{removes, adds} {
		for i, q := range list {
			if err := check(q); err != nil {
				return fmt.Errorf("apply: quad %d: %w", i, err)
			}
		}
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	st := x.cur.Load()
	d := x.dict
	if uint64(d.n)+4*uint64(len(adds)) > maxTerms || st.quads+int64(len(adds)) > maxQuads {
		return fmt.Errorf("apply %d quads to %d: %w", len(adds), st.quads, ErrFull)
	}
	tv := d.view()
	var (
		rm, ad []q4
		buf    []byte
	)
	for _, q := range removes {
		var k [4]uint32
		known := true
		for i, v := range [4]quad.Value{q.Subject, q.Predicate, q.Object, q.Label} {
			if v != nil {
				k[i], buf = tv.lookup(v, buf)
				known = known && k[i] != 0
			}
		}
		if known {
			rm = append(rm, q4{k[0], k[1], k[2], k[3]})
		}
	}
	var cache [4]cached
	for _, q := range adds {
		k, err := d.internQuad(q, &cache)
		if err != nil { // check has passed every quad
			panic(err)
		}
		ad = append(ad, k)
	}
	rm, ad = sortQuads(rm), sortQuads(ad)
	var toggles []rent
	for _, k := range rm {
		if _, readded := slices.BinarySearchFunc(ad, k, cmpQuad); !readded && st.has(k) {
			toggles = append(toggles, rent{lead: k.s, e: ent{k.p, k.o, k.g}, del: true})
		}
	}
	for _, k := range ad {
		if !st.has(k) {
			toggles = append(toggles, rent{lead: k.s, e: ent{k.p, k.o, k.g}})
		}
	}
	if len(toggles) == 0 {
		return nil
	}
	next := st.withRun(newRun(toggles), d.view(), x.frozen, x.maxRuns, x.mergeRatio)
	if next.typeID == 0 || next.labelID == 0 {
		next.typeID, next.labelID = d.find(frontier.RDFType), d.find(frontier.RDFSLabel)
	}
	x.cur.Store(next)
	if x.done == nil && next.overlaySize() > max(x.compactMin, int(next.base.quads/x.compactDiv)) {
		x.frozen, x.done = len(next.runs), make(chan struct{})
		go x.compact(next)
	}
	return nil
}

// compact folds st's runs into a new base, then installs it under the runs
// Apply has added since.
func (x *Index) compact(st *state) {
	b := st.compacted()
	x.mu.Lock()
	defer x.mu.Unlock()
	x.cur.Store(x.cur.Load().onBase(b, len(st.runs)))
	close(x.done)
	x.frozen, x.done = 0, nil
}

// Compact folds every change applied so far into the base, waiting for a
// compaction already running. Reads are as fast as they get right after
// it; the Index also compacts on its own, in the background, as changes
// accumulate. It returns ctx's error if ctx is done while it waits.
func (x *Index) Compact(ctx context.Context) error {
	for {
		x.mu.Lock()
		if x.done == nil {
			break
		}
		done := x.done
		x.mu.Unlock()
		select {
		case <-done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	defer x.mu.Unlock()
	st := x.cur.Load()
	if len(st.runs) > 0 {
		x.cur.Store(st.onBase(st.compacted(), len(st.runs)))
	}
	return nil
}

func cmpQuad(a, b q4) int {
	if c := cmp.Compare(a.s, b.s); c != 0 {
		return c
	}
	return ent{a.p, a.o, a.g}.cmp(ent{b.p, b.o, b.g})
}

// sortQuads sorts qs by S, P, O, G and drops duplicates.
func sortQuads(qs []q4) []q4 {
	slices.SortFunc(qs, cmpQuad)
	return slices.Compact(qs)
}

// Reader returns a Reader of the current generation: it sees no change
// applied after it was opened. Opening one is cheap (no copy). It returns
// ctx's error if ctx is done.
func (x *Index) Reader(ctx context.Context) (frontier.Reader, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &reader{st: x.cur.Load()}, nil
}

// Generation returns the current generation: zero for a new or built
// Index, one more after every Apply that changed something.
func (x *Index) Generation() uint64 { return x.cur.Load().gen }

// Len returns the number of quads in the current generation.
func (x *Index) Len() int64 { return x.cur.Load().quads }

// Bytes returns an estimate of the memory the Index holds for its
// current generation: the dictionary, the base's orders and labels, and
// the overlay of changes not yet compacted.
func (x *Index) Bytes() int64 {
	x.mu.Lock()
	defer x.mu.Unlock()
	st := x.cur.Load()
	n := x.dict.size() + st.base.size()
	for _, r := range st.runs {
		n += int64(r.size()) * 4 * 20
	}
	for _, b := range st.touched {
		n += int64(len(b)) * 8
		for _, blk := range b {
			if blk != nil {
				n += 512
			}
		}
	}
	return n
}
