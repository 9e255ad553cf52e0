// Package frontier defines the one reader every query engine of innograph
// runs on: the path engine in package graph and the SPARQL engine in
// graph/sparql. It is the seam between engines and storage, in the manner
// of Oxigraph's dataset trait: an engine never knows which store answers.
//
// The reader is frontier-shaped. Every question names many nodes at once
// (the quads of a whole frontier, the values of many IDs, the types and
// labels of many nodes), so a backend where each question is a round trip
// (PostgreSQL) answers a hop of a walk in one query, while backends where a
// lookup is cheap (bolt, leveldb, the in-memory tier) may answer node by
// node inside the same call.
//
// Implementations live in graph/internal/...: one per backend family
// (kvstore for bolt and leveldb, sqlstore for PostgreSQL and CockroachDB, a
// generic one over any Cayley QuadStore such as memstore) and the in-memory
// read tier (memindex). They are the only code that knows Cayley's storage
// internals.
//
// IDs are dense integers meaningful only within one Reader: a Reader is
// opened per query (Source.Reader) and closed after it. Zero is never an ID
// of a stored value; it stands for "absent" in results and for "any" in the
// quad patterns given to Count.
//
// This package imports only the quad data model and the standard library.
package frontier
