// Package sparqltest runs the W3C SPARQL test suites copied under
// testdata/sparql: it reads their manifests (with graph/rdfio's Turtle
// reader), the expected results in every format the suites use (SPARQL
// XML and JSON results, TSV, CSV, the result-set vocabulary in Turtle and
// RDF/XML), compares results as the suites define (multisets of solutions
// with blank nodes up to renaming, order only under ORDER BY, graphs by
// isomorphism), and keeps the one list of known failures.
//
// It is imported by tests only. It imports graph/rdfio, graph/rdfio/rdftest,
// graph/sparql/results and the quad module.
package sparqltest
