// Package algebra holds the SPARQL 1.1 algebra: the operators of section 18
// of the SPARQL 1.1 Query Language (BGP, Join, LeftJoin, Filter, Union,
// Graph, Extend, Minus, Group, OrderBy, Project, Distinct, Reduced, Slice,
// property paths, inline data), expressions, and the operations of SPARQL
// 1.1 Update. Package parse produces these values from query text; the
// evaluator in package sparql consumes them. Neither side needs the other:
// a query can be built in Go as an algebra value, and the evaluator never
// sees syntax.
//
// Invariants the parser guarantees and the evaluator relies on:
//   - Terms hold full IRIs (prefixes and the base are resolved), literals
//     follow the term conventions of graph/rdfio (simple literals and
//     xsd:string are quad.String, language tags are lower-cased, other typed
//     literals keep their lexical form).
//   - Blank nodes of a query pattern have become variables whose names
//     contain a colon (Var.Hidden), as have the fresh variables of property
//     path sequences, of aggregates and of sub-select scopes. Such names can
//     never be written in SPARQL, so they never clash with the query's own
//     variables and never appear in SELECT * or in results.
//   - Blank nodes remain blank nodes only in CONSTRUCT, INSERT and INSERT
//     DATA templates (where each solution or request makes fresh ones).
//   - Variables of a sub-select that it does not project are renamed apart,
//     so one variable name means one thing in the whole algebra tree.
//
// The package imports only the quad data model and the standard library.
package algebra
