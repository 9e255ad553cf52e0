// Package kvstore is the bolt and leveldb family of a graph Store: what
// knows Cayley v0.7.7's key-value backends, their files and their faults.
//
//   - Open opens a store directory, refusing one that holds the other
//     backend's store (dirs.go); bolt is opened here, on boltKV (boltkv.go),
//     our own adapter of hidalgo's KV interface, so the bolt handle stays
//     ours; leveldb through Cayley's registry.
//   - Apply writes one batch whole or not at all, padding batches that
//     remove as well as add against Cayley's netting of node references
//     (padSharedNodes, pad.go).
//   - BeginBulk and EndBulk run a bulk load into an empty bolt store
//     without per-batch fsync, guarded by a marker file that Open
//     recovers from (bulk.go); into a fresh bolt store the load's
//     batches are staged in memory (node dictionary, quad set, index
//     entries) and written in Cayley's key-value layout directly, each key
//     once and in key order, when the load ends (directWriter, direct.go);
//     Open undoes such a load that did not end.
//
// Reads go through Cayley's QuadStore (and, for engines, the generic
// frontier reader of graph/internal/cayleystore, which is as fast here:
// Cayley's kv index lookups are local). The package registers Cayley's
// bolt and leveldb backends. Only graph imports it; it imports Cayley,
// bolt and hidalgo, never graph.
package kvstore
