// Package results writes and reads SPARQL 1.1 query results:
// application/sparql-results+json, application/sparql-results+xml,
// text/csv and text/tab-separated-values.
//
// Writers stream: a Writer writes each solution as it is given, holds
// nothing but a small buffer, and writes nothing before the first solution
// or Close, so that a server can still answer with an error status until
// then. Readers (Read) parse a whole document; they serve tests, clients
// and tools rather than the server's hot path.
//
// Values follow the term conventions of graph/rdfio (quad.IRI, quad.BNode,
// quad.String, quad.LangString, quad.TypedString). Output that a format
// cannot carry is replaced, never dropped silently: invalid UTF-8 and the
// control characters XML 1.0 forbids become U+FFFD.
//
// The package imports the quad module, graph/rdfio (for the project's one
// content negotiation) and the standard library; it knows nothing of
// queries or stores.
package results
