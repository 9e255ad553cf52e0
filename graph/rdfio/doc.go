// Package rdfio reads and writes RDF syntaxes as streams of quads.
//
// It owns the one format registry (Formats, Lookup, ByExtension, Negotiate)
// used by the HTTP API, the command and the tests alike, the decoders and
// encoders for every format, and the single conversion between RDF terms and
// Cayley's quad values.
//
// Term conventions, relied on everywhere above this package:
//   - IRIs are quad.IRI holding the full IRI (never a prefixed name);
//   - blank nodes are quad.BNode holding the label without "_:";
//   - simple literals (and "x"^^xsd:string) are quad.String;
//   - language-tagged literals are quad.LangString with the tag lower-cased;
//   - every other typed literal is quad.TypedString with its lexical form kept
//     exactly as written ("01"^^xsd:integer stays "01").
//
// Readers return a *SyntaxError (line and column) for malformed input and never
// return a partial quad. rdfio knows nothing of stores or HTTP: it must not
// import the store packages, gin or net/http.
package rdfio
