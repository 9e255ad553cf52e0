package ontology

import "github.com/cayleygraph/quad"

// TermKind says what an ontology term is.
type TermKind string

// The kinds of terms, from the term's rdf:type in the ontology.
const (
	TermOntology           TermKind = "ontology"
	TermClass              TermKind = "class"
	TermObjectProperty     TermKind = "object property"
	TermDatatypeProperty   TermKind = "datatype property"
	TermAnnotationProperty TermKind = "annotation property"
	TermProperty           TermKind = "property"
	TermConceptScheme      TermKind = "concept scheme"
	TermIndividual         TermKind = "individual"
)

// Term is one IRI the ontology defines: a class, a property, or a shared
// concept scheme or concept (indicators, rating levels, ...).
type Term struct {
	IRI   quad.IRI
	Kind  TermKind
	Label string // English rdfs:label
}
