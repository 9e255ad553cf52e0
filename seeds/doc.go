// Package seeds is innograph's seed graph: the five source documents it is
// built from, one named graph per document as TriG, and the parser of the
// regional-profile template two of the documents share.
//
// Graphs returns the embedded TriG files (graphs/*.trig), each with its
// graph IRI id/source/<file name>; Sources returns the documents themselves
// (sources/, with a README saying where they come from). Three graphs
// (danish-healthtech, capital-region, handbook-regional-development) are
// curated by hand; profile-dk04 and profile-deg are generated from
// sources/000_*.txt and sources/004_*.txt by ParseProfile and
// (*Profile).Quads, and TestProfileGolden (go test ./seeds -update)
// rewrites them.
//
// ParseProfile reads any profile of the series by the template's structure
// (header "<NUTS> - <name>", indicator lines, the membership questions,
// policy documents and classification lines, major initiatives, the
// represented-in answer, self-evaluation ratings, the funding footer) into a
// plain Profile struct, and returns a *SyntaxError with the line and what the
// template expects for text that does not follow it. Profile.Quads maps a
// profile to RDF in the terms of package ontology; `innograph load` of a
// profile text file needs only ParseProfile, ProfileGraph and Quads.
//
// Invariants:
//   - One named graph per source document; every quad of a document's facts
//     is in that graph, and the graph IRI is itself described (as an
//     ig:SourceDocument with title, source file, language, description)
//     inside it.
//   - Nothing invented: the graphs say only what the document says. Blank
//     answers stay unanswered; where a document is ambiguous or inconsistent
//     (two population figures, a misspelt name, a list that starts at 2) the
//     graph records what it says with an ig:note.
//   - Every subject is typed and labelled; every number has a datatype;
//     amounts have a currency.
//   - Entity IRIs follow ontology.Mint's slug rule, so that the same actor
//     named in two documents has one IRI. Profile quads also mint
//     id/observation/<nuts>-<indicator>[-<year>], id/answer/<nuts>-<question>
//     and id/membership/<nuts>-<entity> for observations, template answers
//     and qualified memberships, so that loading a profile twice adds
//     nothing (no blank nodes).
//
// The package holds no mutable state. It imports only the standard library,
// github.com/cayleygraph/quad and package ontology; it must not import the
// store (graph), graph/rdfio, Cayley or HTTP packages, so that everything
// else may import it. Tests may use external tools (rapper, rdflib, node
// with rdf-validate-shacl); the external test package seeds_test loads the
// graph into a graph.Store and checks every question of docs/questions.md.
package seeds
