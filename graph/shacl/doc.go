// Package shacl validates RDF data against SHACL shapes: the subset of
// SHACL Core (W3C Recommendation, 2017) that innograph's shapes use, and
// the neighbouring constraints that cost little more.
//
// Supported: targets (sh:targetClass with rdfs:subClassOf in the data graph,
// implicit class targets, sh:targetNode, sh:targetSubjectsOf,
// sh:targetObjectsOf); node and property shapes with predicate paths and
// sh:inversePath; sh:class, sh:datatype (ill-formed literals of the common
// XSD types fail), sh:nodeKind, sh:minCount, sh:maxCount, sh:min/max
// Inclusive/Exclusive, sh:minLength, sh:maxLength, sh:pattern with
// sh:flags, sh:languageIn, sh:uniqueLang, sh:in, sh:hasValue, sh:equals,
// sh:disjoint, sh:closed, sh:node, sh:not, sh:and, sh:or, sh:xone,
// sh:severity, sh:message, sh:deactivated. Not supported: complex property
// paths (sequence, alternative, zero-or-more...), qualified value shapes,
// sh:lessThan, SPARQL-based constraints; New lists what it ignores in
// Shapes.Unsupported.
//
// The W3C data-shapes test cases the package is checked against are in
// testdata/shacl-w3c (read from their manifests by shacl_test.go).
//
// shacl works on quad values only: it imports neither Cayley's stores nor
// the HTTP packages. Graph labels are ignored: a validation sees one graph.
package shacl
