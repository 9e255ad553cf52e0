// Package sqlstore is the PostgreSQL and CockroachDB family of a graph
// Store: what knows Cayley v0.7.7's SQL schema and the PostgreSQL driver.
//
//   - Open opens the store through Cayley's registry and, on PostgreSQL,
//     two pools of its own beside Cayley's: one for writes, the bulk
//     schema and the size, one for the batched reader.
//   - Apply writes one batch whole or not at all. On PostgreSQL every
//     write is innograph's own transaction (copy.go: adds by COPY into
//     Cayley's tables, rows identical to Cayley's; removes by a join),
//     which takes the database's next generation and logs the change for
//     the other servers of the database (changelog.go). CockroachDB keeps
//     Cayley's ApplyDeltas.
//   - BeginBulk and EndBulk drop the quads table's secondary indexes and
//     foreign keys for a bulk load into an empty store and rebuild them
//     (bulk.go); Open rebuilds what a killed load left dropped.
//   - Batched reads a whole frontier per query (batched.go) and answers
//     the frontier.Reader contract (reader.go): a few round trips per hop
//     instead of Cayley's one per node.
//
// The package registers Cayley's postgres and cockroach backends. Only
// graph imports it; it imports Cayley, lib/pq and graph/frontier, never
// graph.
package sqlstore
