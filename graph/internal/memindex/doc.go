// Package memindex is innograph's in-memory read tier (issue 17): a copy of
// the graph held in compact sorted arrays, answering the query engines
// through frontier.Reader while bolt or PostgreSQL stay the source of
// truth. It answers reads only; the Store keeps it current by handing every
// committed write to Apply.
//
// # Use
//
//	x, err := memindex.Build(ctx, eachStoredQuad, progress) // at start
//	...
//	err = x.Apply(ctx, adds, removes) // after each committed write
//	r, err := x.Reader(ctx)           // per query: a snapshot
//	defer r.Close()
//
// The Store must call Apply in the order it commits writes (under its own
// write lock, say), with exactly the quads the write added and removed;
// Apply treats adds of present quads and removes of absent ones as no-ops,
// so handing it a whole request batch is also correct. Generation goes up
// with every Apply that changes something, so it can stand for "the
// graph changed" in caches and ETags.
//
// # Layout
//
// Values are dictionary-encoded: each distinct term (IRI, blank node,
// literal with its datatype or language, lexical form kept) gets a uint32
// ID, in the order first seen, and keeps it for the Index's life, across
// generations and compactions (so frontier.IDs from any Reader of one
// Index agree). Encodings live in append-only pages; an open-addressing
// hash table of IDs finds them.
//
// The base keeps every quad in three orders, as sorted arrays of 12-byte
// entries (the order's lead term is implicit, given by an offset table):
//
//	S order: subject -> (predicate, object, graph)   offsets by term ID
//	O order: object  -> (predicate, subject, graph)  offsets by term ID
//	G order: graph   -> (predicate, subject, object) offsets by key; key 0 is the default graph
//
// So a node's quads in one direction are one contiguous range, with one
// predicate a binary search within it. A predicate's quads are its ranges
// in the G order of the graphs that hold it (a short list per predicate,
// with counts), which spares a fourth order's 12 bytes per quad. Count of
// one bound term is a range length or a sum over that list; of two or
// three bound terms usually a binary search (S-P, O-P, G-P, S-P-O, O-P-S
// and G-P-S are prefixes; other combinations scan the smaller range).
// Each term's preferred label (frontier.BetterLabel, ties broken by
// N-Quads form) is precomputed; its types are the contiguous
// (node, rdf:type) range of the S order.
//
// # Generations and concurrency
//
// The Index's state is an immutable generation reached through one atomic
// pointer: a Reader pins the generation current when it opens (a pointer
// load, no lock, no copy) and sees nothing applied after, for as long as
// it stays open. Apply (one writer at a time, serialised by a mutex)
// builds the next generation and publishes it with one atomic store, so a
// Reader sees all of a batch or none of it.
//
// A generation is a base (the big arrays above, never modified after they
// are built) plus a short list of runs: small immutable layers holding the
// changes since, in all four orders (S, O, G and P), each entry a quad
// the run adds or removes relative to the layers below. Apply turns a batch into a run
// (sorted, so O(batch log batch)) and merges it into the run below while
// that one is not much larger, so runs stay few and geometric in size. A
// read consults the runs only for nodes they touch (a bitset per order
// says which), merging the node's base range with the runs' entries for
// it. Once the runs outgrow 1/8 of the base (and 32,768 entries), a
// goroutine folds them into a new base, built beside the old one, and
// installs it under whatever runs Apply added meanwhile; Readers of older
// generations keep the old base until they close (so a Reader held open
// through a compaction holds a second base: close Readers with the query).
// Compact does the same synchronously.
//
// A Reader is for one goroutine at a time, but fn may call it again
// (Quads inside Quads, Describe inside Quads): walks in progress keep
// their own scratch.
//
// The dictionary is shared by all generations: the writer only appends
// terms past the count a published generation covers, and each generation
// records its count, so old Readers never see new terms. Terms whose quads
// are all removed keep their IDs (Lookup reports them absent); a Build
// reclaims them.
//
// # Limits and costs
//
// At most 2^32-2 distinct terms and 2^32-1 quads. Memory is 36 bytes per
// quad for the three orders, plus the dictionary (the encoded terms, 8
// bytes of location, 8 to 16 of hash table and a bit saying whether it is
// an IRI per term) and 8 bytes of
// offsets and 4 of label per term: 65 bytes per quad in all on the
// generated ecosystem (graph/gen) at 1M quads, 63 at 10M.
//
// Build reads its source on one goroutine while another interns values,
// then lays out the orders by counting sorts (linear in quads plus terms),
// the O and G orders and the labels side by side. Measured figures are in
// the benchmarks (bench_test.go) and docs/performance.md.
//
// # Imports
//
// memindex imports only graph/frontier, the quad data model and the
// standard library: no Cayley package, no store. It is the Store's to own
// and feed.
package memindex
