// Package graph is the innograph knowledge graph: one Store over a Cayley
// quad store, opened from a Config (bolt by default, memory, leveldb,
// PostgreSQL or CockroachDB), with the operations the service needs.
//
// Invariants:
//   - every write is a Batch applied in one backend transaction: whole or
//     not at all, serialised with other writes;
//   - quads keep their graph label: the named graph records which source
//     document states a fact;
//   - literals keep their lexical form (see graph/rdfio);
//   - reads stream and honour context cancellation between results;
//   - graph writes (ReplaceGraph, MergeGraph, DeleteGraph) compute their
//     deltas, validate (Validator, over graph/shacl and the ontology's
//     shapes) and apply under the writer lock; ReadGraph and Snapshot read
//     under it, so they see one state of the store on every backend;
//   - Load parses on its own goroutine while the writer applies the previous
//     batch (load.go); on PostgreSQL add-only batches go in with COPY into
//     Cayley's own tables (graph/internal/sqlstore), rows identical to
//     Cayley's;
//   - metrics (operation latency, quads loaded) go to the registry in
//     Config.Metrics, never to a global one.
//
// Path queries (Entity, Entities, Connections, Paths, ShortestPaths,
// Neighbourhood, CoverQuads, Labels) are the engine: each opens one
// graph/frontier.Reader for the query (the in-memory read tier, or the
// backend's reader when the tier is off) and asks it for whole frontiers
// at once, so its cost follows the answer, not the store, and no engine
// file knows which backend answers. query_walk.go is the engine's one
// shared helper (the walker over the reader, the shortest-path DAG); each
// algorithm's file uses it and no other engine file. Every query is
// bounded by QueryLimits and by its context's deadline; its cursors are
// keyset positions (the IRIs where the page ended), so a page never walks
// the pages before it again. CoverQuads turns an answer into the stored
// quads behind it, for RDF output. Query runs Cayley's Gizmo and GraphQL,
// read-only, for users who already speak them.
//
// SPARQL (sparql_store.go): PrepareSPARQL plans a query of the engine in
// graph/sparql on the Reader (the in-memory read tier), over the service's
// dataset: the default graph is the union (RDF merge) of every graph, the
// named graphs are the source documents and written graphs. UpdateSPARQL
// evaluates an update request into one net change with the engine's
// overlay, validates it and applies it in one transaction under the writer
// lock, like the graph writes.
//
// Errors are *Error values with a Kind from a closed set; KindOf classifies
// any error.
//
// # Layers
//
//	store     Store (store.go, load.go, graphs.go, read.go, validate.go):
//	          config, writes, loads, exports, stats, validation; api calls it
//	   |  writes through the backend interface (backend.go)
//	   v
//	backends  graph/internal/kvstore (bolt, leveldb), graph/internal/sqlstore
//	          (PostgreSQL, CockroachDB), memBackend (memstore)
//	   ^  read by
//	reader    graph/frontier.Reader from Store.Reader: memindex (the
//	          in-memory tier), else the backend's own (sqlstore's batched
//	          one on PostgreSQL, cayleystore's generic one elsewhere)
//	   ^  read by
//	engine    path queries (query_walk.go, the walker all of them use;
//	          query_connections.go, path.go, shortest.go, neighbourhood.go,
//	          entity.go, cover.go), graph/sparql
//
// What each may import: the engine imports graph/frontier and the quad
// data model, never a backend; the readers import graph/frontier, Cayley's
// graph package and, for their own family only, Cayley's backend package
// and driver; only kvstore and sqlstore import Cayley's kv and SQL
// backends, bolt, leveldb, hidalgo and the PostgreSQL drivers, and they
// register those backends themselves. store.go (choosing one from Config)
// and backend.go (the interface) are the only files of package graph that
// name a backend. graph never imports gin, net/http or the api package.
// imports_test.go and engine_imports_test.go check these rules.
package graph
