// Package shacl validates RDF data against SHACL shapes: all of SHACL Core
// (W3C Recommendation, 2017), checked against the whole W3C SHACL Core
// test suite (testdata/shacl-w3c, read from its manifests by
// shacl_test.go).
//
// Supported: every target (sh:targetClass with rdfs:subClassOf in the data
// graph, implicit class targets, sh:targetNode, sh:targetSubjectsOf,
// sh:targetObjectsOf); node and property shapes with every property path
// form (predicate, sequence, alternative, inverse, zero-or-more,
// one-or-more, zero-or-one, nested); every Core constraint component:
// sh:class, sh:datatype (lexical forms of every XSD datatype checked),
// sh:nodeKind, sh:minCount, sh:maxCount, sh:min/maxInclusive and
// Exclusive, sh:minLength, sh:maxLength, sh:pattern with sh:flags,
// sh:languageIn, sh:uniqueLang, sh:equals, sh:disjoint, sh:lessThan,
// sh:lessThanOrEquals, sh:not, sh:and, sh:or, sh:xone, sh:node,
// sh:property, sh:qualifiedValueShape with its counts and
// sh:qualifiedValueShapesDisjoint, sh:closed with sh:ignoredProperties,
// sh:hasValue, sh:in; sh:severity, sh:message, sh:deactivated.
//
// Values compare as SPARQL's operators compare them (xsd.go): numbers by
// value across numeric types, dates and times on the time line with XSD's
// rule for values without a time zone (indeterminate within 14 hours of
// one with), strings and booleans within their type; anything else is
// incomparable, which a comparison constraint reports as a violation.
//
// Invariant: New fails on a shape it cannot check (a parameter outside
// SHACL Core such as sh:sparql or sh:rule, a misspelt parameter, a path
// that is not a SHACL path, a count that is not an integer, a bad pattern),
// so a validator built at start-up never silently skips a constraint.
//
// shacl works on quad values only: it imports neither Cayley's stores nor
// the HTTP packages. Graph labels are ignored: a validation sees one graph.
package shacl
