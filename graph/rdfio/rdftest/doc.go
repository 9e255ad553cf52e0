// Package rdftest holds what tests of several packages need to check RDF
// output: a canonical form of a dataset up to blank node renaming (so two
// datasets compare as graphs, not as text), and the independent readers
// (rapper, rdflib and pyld under /usr/bin/python3) that our output must
// satisfy, found or skipped (failing under CI=true) the same way everywhere.
//
// It is imported by tests only. It must not import the module's own
// packages: graph/rdfio's own tests use it, so callers parse tool output
// with their own reader.
package rdftest
