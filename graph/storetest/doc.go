// Package storetest is the conformance suite every graph.Store backend must
// pass: one table of named tests, run by each backend's test in a few lines
// (memory, bolt, leveldb, PostgreSQL). It imports graph and quad, never a
// Cayley backend, so a backend is exercised only through graph.Store.
package storetest
