// Package parse reads SPARQL 1.1 queries and update requests (the whole
// grammar of section 19 of the SPARQL 1.1 Query Language and of SPARQL 1.1
// Update) and translates them into the algebra of graph/sparql/algebra, as
// section 18.2 of the spec describes.
//
// It is a hand-written recursive descent parser over an on-demand lexer:
// one token of look-ahead, no backtracking. Besides the grammar it checks
// the rules the spec states in prose: a blank node label used in two
// basic graph patterns (or two operations of an update request), BIND to
// a variable already in scope, a SELECT expression's variable already in
// scope, ungrouped variables in a grouped query, SELECT * with GROUP BY,
// aggregates where none is allowed, VALUES rows of the wrong width,
// variables in quad data, blank nodes in DELETE. Every error is a
// *SyntaxError with the line and column (in code points) where it was
// found; \u escapes are replaced before parsing, as section 19.2 says, so
// a position after one counts the character it stands for.
//
// Nesting of groups, expressions and paths is bounded (Options.MaxDepth),
// so hostile input cannot exhaust the stack.
//
// The package imports the algebra, graph/rdfio (for the one IRI
// resolution of the project) and the quad data model.
package parse
