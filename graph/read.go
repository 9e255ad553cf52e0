package graph

import (
	"context"
	"sort"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
)

// Selection picks the quads a read streams.
type Selection struct {
	// Graph, when set, restricts the read to one named graph.
	Graph quad.Value
	// Type, when set, restricts the read to the descriptions of the
	// instances of one class: for each subject typed Type, every quad with
	// it as subject and, recursively, the quads of the blank nodes those
	// point to (its concise bounded description). With Graph also set, only
	// instances typed in that graph and only quads of that graph.
	Type quad.Value
}

// EachQuad streams the selected quads to fn, stopping at the first error fn
// returns (which EachQuad returns unchanged). Memory does not grow with the
// store (a Type selection holds one description at a time). It returns a
// Timeout error when ctx ends first.
func (s *Store) EachQuad(ctx context.Context, sel Selection, fn func(quad.Quad) error) error {
	const op = "read quads"
	if sel.Type != nil {
		if r := s.tierSnapshot(ctx); r != nil {
			defer r.Close()
			if ok, err := eachOfTypeIn(ctx, r, sel, fn); ok {
				return err
			}
		}
		return s.read(op, func(qs cgraph.QuadStore) error { return eachOfType(ctx, qs, sel, fn) })
	}
	if r := s.tierSnapshot(ctx); r != nil {
		// The read tier holds every write that has returned: read it
		// rather than decode the backend's records (an export of a 1M-quad
		// bolt store spent most of its time in bolt's cursors and Cayley's
		// record decoding).
		defer r.Close()
		return eachQuadOf(ctx, r, sel.Graph, fn)
	}
	return s.read(op, func(qs cgraph.QuadStore) error {
		var it cgraph.Iterator
		if sel.Graph != nil {
			ref := qs.ValueOf(sel.Graph)
			if ref == nil {
				return nil // no such graph: nothing to stream
			}
			it = qs.QuadIterator(quad.Label, ref)
		} else {
			it = qs.QuadsAllIterator()
		}
		defer it.Close()
		return streamQuads(ctx, op, qs, s.valuesOf(qs), it, fn)
	})
}

// eachQuadOf streams the quads of graph g (every quad when g is nil) from
// r, subject by subject.
func eachQuadOf(ctx context.Context, r frontier.Reader, g quad.Value, fn func(quad.Quad) error) error {
	if g == nil {
		return streamFrontier(ctx, r, func(emit func(frontier.Quad) bool) error {
			return r.All(ctx, emit)
		}, fn)
	}
	var id [1]frontier.ID
	if err := r.Lookup(ctx, []quad.Value{g}, id[:]); err != nil {
		return E("read quads", Internal, err)
	}
	if id[0] == 0 {
		return nil // no such graph: nothing to stream
	}
	return streamFrontier(ctx, r, func(emit func(frontier.Quad) bool) error {
		return r.Quads(ctx, quad.Label, id[:], nil, func(_ int, q frontier.Quad) bool { return emit(q) })
	}, fn)
}

// valuesOf returns the store's batched value lookup, or nil where it has
// none: Cayley's for kv stores, the SQL reader's on PostgreSQL (whose Cayley
// store resolves one value per query).
func (s *Store) valuesOf(cgraph.QuadStore) func(context.Context, []cgraph.Ref) ([]quad.Value, error) {
	return s.be.BatchValues()
}

// Batching of streamQuads: quads resolved per backend round trip, and the
// bound of the term cache (about 100 bytes a term).
const (
	streamBatch    = 1024
	streamCacheMax = 1 << 16
)

// streamQuads sends the quads of it to fn. With a batched value lookup
// (bolt, leveldb, PostgreSQL; see Store.valuesOf) it resolves the terms of streamBatch quads in one
// read, through a bounded cache (predicates, classes, graphs and subjects
// repeat): Cayley's per-quad lookup opens a transaction and four lookups
// for every quad, which made an export of the bolt store slower than its
// encoders by a factor of three. Elsewhere it asks the store per quad.
func streamQuads(ctx context.Context, op string, qs cgraph.QuadStore, valuesOf func(context.Context, []cgraph.Ref) ([]quad.Value, error), it cgraph.Iterator, fn func(quad.Quad) error) error {
	if valuesOf == nil {
		for it.Next(ctx) {
			if err := fn(qs.Quad(it.Result())); err != nil {
				return err
			}
		}
		return iterEnd(ctx, op, it)
	}
	refs := make([]cgraph.Ref, 0, streamBatch)
	cache := make(map[any]quad.Value, streamCacheMax)
	var miss []cgraph.Ref
	pending := make(map[any]bool)
	for {
		refs = refs[:0]
		for len(refs) < streamBatch && it.Next(ctx) {
			refs = append(refs, it.Result())
		}
		if len(refs) == 0 {
			return iterEnd(ctx, op, it)
		}
		if len(cache) > streamCacheMax {
			clear(cache)
		}
		miss = miss[:0]
		clear(pending)
		for _, r := range refs {
			for _, d := range quad.Directions {
				v := qs.QuadDirection(r, d)
				if v == nil {
					continue
				}
				k := v.Key()
				if _, ok := cache[k]; !ok && !pending[k] {
					pending[k] = true
					miss = append(miss, v)
				}
			}
		}
		if len(miss) > 0 {
			vals, err := valuesOf(ctx, miss)
			if err != nil {
				if cerr := ctx.Err(); cerr != nil {
					return E(op, Timeout, cerr) // a cancelled query, not a broken store
				}
				return E(op, Internal, err)
			}
			for i, v := range miss {
				cache[v.Key()] = vals[i]
			}
		}
		for _, r := range refs {
			var q quad.Quad
			for _, d := range quad.Directions {
				if v := qs.QuadDirection(r, d); v != nil {
					q.Set(d, cache[v.Key()])
				}
			}
			if err := fn(q); err != nil {
				return err
			}
		}
	}
}

// iterEnd reports why an iteration stopped: the context, the iterator's
// error, or nil at its end.
func iterEnd(ctx context.Context, op string, it cgraph.Iterator) error {
	if err := ctx.Err(); err != nil {
		return E(op, Timeout, err)
	}
	if err := it.Err(); err != nil {
		return E(op, Internal, err)
	}
	return nil
}

// Stats are the store's headline figures.
type Stats struct {
	Quads int64 `json:"quads"`
	// Triples counts distinct triples: a triple stated in several named
	// graphs is one triple and several quads (what a Turtle dump holds).
	Triples  int64        `json:"triples"`
	Subjects int64        `json:"subjects"`
	Graphs   []GraphStats `json:"graphs"`
	Classes  []ClassStats `json:"classes"`
	Backend  Backend      `json:"backend"`
	// SizeBytes is the store's size on disk: the bolt file, the leveldb
	// directory, or PostgreSQL's pg_total_relation_size of Cayley's nodes
	// and quads tables (indexes and TOAST included). It is 0 when the
	// backend cannot say; SizeNote then says why.
	SizeBytes int64  `json:"sizeBytes"`
	SizeNote  string `json:"sizeNote,omitempty"`
}

// ClassStats counts the distinct entities typed with one class.
type ClassStats struct {
	Class    string `json:"class"`
	Entities int64  `json:"entities"`
}

// GraphStats counts the quads of one graph; the default graph has an empty
// Graph.
type GraphStats struct {
	Graph string `json:"graph"`
	Quads int64  `json:"quads"`
}

// rdfType is the predicate whose objects Stats counts as classes (and the
// engine reads as types).
const rdfType = frontier.RDFType

// Stats counts quads, distinct triples, distinct subjects, quads per graph and entities per
// class in one pass over the store. The result is cached until the next
// write (on PostgreSQL, any server's: see Generation), so repeated calls on
// an unchanged store cost nothing.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	gen := s.Generation()
	s.statsMu.Lock()
	if s.stats != nil && s.statsGen == gen {
		st := *s.stats
		s.statsMu.Unlock()
		st.SizeBytes, st.SizeNote = s.size(ctx)
		return st, nil
	}
	// One count per generation: concurrent callers wait for the one
	// running rather than each scanning the store (after a write, every
	// client asking at once made as many full scans, and held as many
	// sets of every subject in memory).
	if run := s.statsRun; run != nil && run.gen == gen {
		s.statsMu.Unlock()
		select {
		case <-run.done:
		case <-ctx.Done():
			return Stats{}, E("stats", Timeout, ctx.Err())
		}
		if run.err != nil {
			if KindOf(run.err) == Timeout && ctx.Err() == nil {
				return s.Stats(ctx) // the caller that ran it gave up; count anew
			}
			return Stats{}, run.err
		}
		st := run.st
		st.SizeBytes, st.SizeNote = s.size(ctx)
		return st, nil
	}
	run := &statsRun{gen: gen, done: make(chan struct{})}
	s.statsRun = run
	s.statsMu.Unlock()
	defer func() {
		s.statsMu.Lock()
		if s.statsRun == run {
			s.statsRun = nil
		}
		s.statsMu.Unlock()
		close(run.done)
	}()
	st, err := s.countStats(ctx)
	run.st, run.err = st, err
	if err != nil {
		return Stats{}, err
	}
	s.statsMu.Lock()
	if s.Generation() == gen {
		s.stats, s.statsGen = &st, gen
	}
	s.statsMu.Unlock()
	st.SizeBytes, st.SizeNote = s.size(ctx)
	return st, nil
}

// statsRun is one count of the store's statistics in progress.
type statsRun struct {
	gen  uint64
	done chan struct{} // closed when st and err are set
	st   Stats
	err  error
}

// countStats scans the store for Stats.
func (s *Store) countStats(ctx context.Context) (Stats, error) {
	if r := s.tierSnapshot(ctx); r != nil {
		defer r.Close()
		return countStatsOf(ctx, s.backend, r)
	}
	st := Stats{Backend: s.backend, Graphs: []GraphStats{}, Classes: []ClassStats{}}
	subjects := make(map[quad.Value]struct{})
	perGraph := make(map[string]int64)
	typed := make(map[[2]quad.Value]struct{})
	perClass := make(map[string]int64)
	triples := make(map[[16]byte]struct{})
	err := s.EachQuad(ctx, Selection{}, func(q quad.Quad) error {
		st.Quads++
		triples[tripleKey(q)] = struct{}{}
		subjects[q.Subject] = struct{}{}
		perGraph[graphName(q.Label)]++
		if q.Predicate == rdfType {
			// One entity typed in two graphs counts once.
			k := [2]quad.Value{q.Subject, q.Object}
			if _, dup := typed[k]; !dup {
				typed[k] = struct{}{}
				perClass[graphName(q.Object)]++
			}
		}
		return nil
	})
	if err != nil {
		return Stats{}, err
	}
	st.Subjects = int64(len(subjects))
	st.Triples = int64(len(triples))
	for g, n := range perGraph {
		st.Graphs = append(st.Graphs, GraphStats{Graph: g, Quads: n})
	}
	sort.Slice(st.Graphs, func(i, j int) bool { return st.Graphs[i].Graph < st.Graphs[j].Graph })
	for c, n := range perClass {
		st.Classes = append(st.Classes, ClassStats{Class: c, Entities: n})
	}
	sort.Slice(st.Classes, func(i, j int) bool { return st.Classes[i].Class < st.Classes[j].Class })
	return st, nil
}

// countStatsOf counts Stats over a reader by term IDs, resolving only the
// graphs and classes to values: a fraction of the time and memory of a
// count over values.
func countStatsOf(ctx context.Context, backend Backend, r frontier.Reader) (Stats, error) {
	const op = "stats"
	st := Stats{Backend: backend, Graphs: []GraphStats{}, Classes: []ClassStats{}}
	typeID := []frontier.ID{0}
	if err := r.Lookup(ctx, []quad.Value{rdfType}, typeID); err != nil {
		return Stats{}, E(op, Internal, err)
	}
	subjects := make(map[frontier.ID]struct{})
	triples := make(map[[3]frontier.ID]struct{})
	perGraph := make(map[frontier.ID]int64)
	typed := make(map[[2]frontier.ID]struct{})
	perClass := make(map[frontier.ID]int64)
	err := r.All(ctx, func(q frontier.Quad) bool {
		st.Quads++
		triples[[3]frontier.ID{q.S, q.P, q.O}] = struct{}{}
		subjects[q.S] = struct{}{}
		perGraph[q.G]++
		if q.P == typeID[0] && typeID[0] != 0 {
			k := [2]frontier.ID{q.S, q.O}
			if _, dup := typed[k]; !dup {
				typed[k] = struct{}{}
				perClass[q.O]++
			}
		}
		return true
	})
	if err := ctx.Err(); err != nil {
		return Stats{}, E(op, Timeout, err)
	}
	if err != nil {
		return Stats{}, E(op, Internal, err)
	}
	st.Subjects, st.Triples = int64(len(subjects)), int64(len(triples))
	name := func(m map[frontier.ID]int64, add func(string, int64)) error {
		ids := make([]frontier.ID, 0, len(m))
		for id := range m {
			ids = append(ids, id)
		}
		vals := make([]quad.Value, len(ids))
		if err := r.Values(ctx, ids, vals); err != nil {
			return E(op, Internal, err)
		}
		for i, id := range ids {
			add(graphName(vals[i]), m[id])
		}
		return nil
	}
	if err := name(perGraph, func(g string, n int64) { st.Graphs = append(st.Graphs, GraphStats{Graph: g, Quads: n}) }); err != nil {
		return Stats{}, err
	}
	if err := name(perClass, func(c string, n int64) { st.Classes = append(st.Classes, ClassStats{Class: c, Entities: n}) }); err != nil {
		return Stats{}, err
	}
	sort.Slice(st.Graphs, func(i, j int) bool { return st.Graphs[i].Graph < st.Graphs[j].Graph })
	sort.Slice(st.Classes, func(i, j int) bool { return st.Classes[i].Class < st.Classes[j].Class })
	return st, nil
}

// IsEmpty reports whether the store holds no quad at all.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	empty := true
	err := s.read("check empty", func(qs cgraph.QuadStore) error {
		it := qs.QuadsAllIterator()
		defer it.Close()
		empty = !it.Next(ctx)
		if err := ctx.Err(); err != nil {
			return E("check empty", Timeout, err)
		}
		return it.Err()
	})
	return empty, err
}

// Ping checks that the store answers a read.
func (s *Store) Ping(ctx context.Context) error {
	return s.read("ping", func(qs cgraph.QuadStore) error {
		it := qs.QuadsAllIterator()
		defer it.Close()
		it.Next(ctx)
		if err := ctx.Err(); err != nil {
			return E("ping", Timeout, err)
		}
		if err := it.Err(); err != nil {
			return E("ping", Unavailable, err)
		}
		return nil
	})
}

// graphName is the text of a graph label: the bare IRI, "_:" and the label
// of a blank node, or "" for the default graph.
func graphName(v quad.Value) string {
	switch v := v.(type) {
	case nil:
		return ""
	case quad.IRI:
		return string(v)
	default:
		return v.String()
	}
}
