// Package termgen derives the Go term constants and the JSON-LD context of the
// innograph ontology from the ontology's triples (N-Triples, as rapper prints
// them). It runs at development time through `go generate ./ontology` and in
// the ontology tests, which check that the committed outputs are up to date.
//
// It imports only the standard library and the quad module, like its parent.
package termgen

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/format"
	"io"
	"sort"
	"strings"
	"unicode"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"
)

// Namespaces and vocabulary IRIs the generator reads.
const (
	rdfNS  = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	rdfsNS = "http://www.w3.org/2000/01/rdf-schema#"
	owlNS  = "http://www.w3.org/2002/07/owl#"
	xsdNS  = "http://www.w3.org/2001/XMLSchema#"
	skosNS = "http://www.w3.org/2004/02/skos/core#"
)

// Kind is what an ontology term is, as its generated constant documents it.
type Kind string

// The kinds of terms, from the term's rdf:type.
const (
	Class              Kind = "class"
	ObjectProperty     Kind = "object property"
	DatatypeProperty   Kind = "datatype property"
	AnnotationProperty Kind = "annotation property"
	Property           Kind = "property"
	ConceptScheme      Kind = "concept scheme"
	Individual         Kind = "individual"
	Ontology           Kind = "ontology"
)

// Term is one IRI the ontology defines (a subject with an rdf:type).
type Term struct {
	IRI     string // full IRI
	Local   string // local name in the ontology namespace, or path under the id base
	GoName  string // exported Go identifier
	Kind    Kind
	Label   string // English rdfs:label
	Comment string // English rdfs:comment
	Range   string // rdfs:range IRI, if any
}

// Config says which namespaces are the ontology's and the id space's, and
// which prefixes the JSON-LD context declares.
type Config struct {
	NS       string      // ontology namespace, e.g. https://w3id.org/innograph/ontology#
	IDBase   string      // entity base, e.g. https://w3id.org/innograph/id/
	Prefixes [][2]string // prefix name and namespace, in order
}

// Read parses N-Triples and returns the terms of cfg.NS and cfg.IDBase that
// the triples give a type, sorted by IRI.
func Read(cfg Config, nt io.Reader) ([]Term, error) {
	r := nquads.NewReader(nt, false)
	byIRI := map[string]*Term{}
	get := func(s string) *Term {
		t := byIRI[s]
		if t == nil {
			t = &Term{IRI: s}
			byIRI[s] = t
		}
		return t
	}
	types := map[string][]string{}
	for {
		q, err := r.ReadQuad()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read n-triples: %w", err)
		}
		s, ok := q.Subject.(quad.IRI)
		if !ok {
			continue
		}
		subj := string(s)
		if !strings.HasPrefix(subj, cfg.NS) && !strings.HasPrefix(subj, cfg.IDBase) {
			continue
		}
		p, _ := q.Predicate.(quad.IRI)
		switch string(p) {
		case rdfNS + "type":
			if o, ok := q.Object.(quad.IRI); ok {
				types[subj] = append(types[subj], string(o))
				get(subj)
			}
		case rdfsNS + "label":
			if l, ok := q.Object.(quad.LangString); ok && strings.EqualFold(l.Lang, "en") {
				get(subj).Label = string(l.Value)
			}
		case rdfsNS + "comment":
			if l, ok := q.Object.(quad.LangString); ok && strings.EqualFold(l.Lang, "en") {
				get(subj).Comment = string(l.Value)
			}
		case rdfsNS + "range":
			if o, ok := q.Object.(quad.IRI); ok {
				get(subj).Range = string(o)
			}
		}
	}
	var out []Term
	for iri, t := range byIRI {
		ts := types[iri]
		if len(ts) == 0 {
			continue // mentioned, not defined here
		}
		t.Kind = kindOf(ts)
		if strings.HasPrefix(iri, cfg.NS) {
			t.Local = strings.TrimPrefix(iri, cfg.NS)
		} else {
			t.Local = strings.TrimPrefix(iri, cfg.IDBase)
		}
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].IRI < out[j].IRI })
	if err := name(cfg, out); err != nil {
		return nil, err
	}
	return out, nil
}

func kindOf(types []string) Kind {
	has := func(iri string) bool {
		for _, t := range types {
			if t == iri {
				return true
			}
		}
		return false
	}
	switch {
	case has(owlNS + "Ontology"):
		return Ontology
	case has(owlNS + "Class"), has(rdfsNS + "Class"):
		return Class
	case has(owlNS + "ObjectProperty"):
		return ObjectProperty
	case has(owlNS + "DatatypeProperty"):
		return DatatypeProperty
	case has(owlNS + "AnnotationProperty"):
		return AnnotationProperty
	case has(rdfNS + "Property"):
		return Property
	case has(skosNS + "ConceptScheme"):
		return ConceptScheme
	}
	return Individual
}

// name gives every term its Go identifier. Ontology terms use their local
// name with an upper-case first letter; a property whose name collides with
// a class (ig:region and ig:Region) gets the suffix "Prop". Entities of the id
// space join the capitalised words of their path (concept/rating-level/high
// becomes ConceptRatingLevelHigh).
func name(cfg Config, terms []Term) error {
	classes := map[string]bool{}
	for _, t := range terms {
		if t.Kind == Class && strings.HasPrefix(t.IRI, cfg.NS) {
			classes[t.Local] = true
		}
	}
	seen := map[string]string{}
	for i := range terms {
		t := &terms[i]
		switch {
		case t.Kind == Ontology:
			t.GoName = "OntologyIRI"
		case strings.HasPrefix(t.IRI, cfg.NS):
			t.GoName = camel(t.Local)
			if t.Kind != Class && classes[upperFirst(t.Local)] {
				t.GoName += "Prop"
			}
		default:
			t.GoName = camel(t.Local)
		}
		if t.GoName == "" || !unicode.IsUpper([]rune(t.GoName)[0]) {
			return fmt.Errorf("term %s: no Go name can be made from %q", t.IRI, t.Local)
		}
		if other, dup := seen[t.GoName]; dup {
			return fmt.Errorf("terms %s and %s both map to Go name %s", other, t.IRI, t.GoName)
		}
		seen[t.GoName] = t.IRI
	}
	return nil
}

func upperFirst(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// camel turns "concept/rating-level/very-high" or "memberOf" into an
// exported identifier; characters other than letters and digits split words.
func camel(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	out := b.String()
	if out != "" && unicode.IsDigit([]rune(out)[0]) {
		out = "N" + out
	}
	return out
}

// GoSource returns the gofmt-ed Go file declaring one quad.IRI constant per
// term, and the Terms function listing them, for package pkg.
func GoSource(pkg string, terms []Term) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by go generate (gen.go); DO NOT EDIT.\n\npackage %s\n\n", pkg)
	b.WriteString("import \"github.com/cayleygraph/quad\"\n\n")
	b.WriteString("// The terms of the ontology, one constant per class, property, concept scheme\n")
	b.WriteString("// and shared concept (see Terms).\nconst (\n")
	for _, t := range terms {
		doc := fmt.Sprintf("%s is the %s <%s>", t.GoName, t.Kind, t.IRI)
		if t.Label != "" {
			doc += fmt.Sprintf(", %q", t.Label)
		}
		doc += "."
		if t.Comment != "" {
			doc += " " + t.Comment
		}
		for _, line := range wrap(doc, 86) {
			fmt.Fprintf(&b, "\t// %s\n", line)
		}
		fmt.Fprintf(&b, "\t%s quad.IRI = %q\n", t.GoName, t.IRI)
	}
	b.WriteString(")\n\n")
	b.WriteString("// Terms returns every term the ontology defines, sorted by IRI: a new slice\n")
	b.WriteString("// on each call.\nfunc Terms() []Term {\n\treturn []Term{\n")
	for _, t := range terms {
		fmt.Fprintf(&b, "\t\t{IRI: %s, Kind: %s, Label: %q},\n", t.GoName, kindConst(t.Kind), t.Label)
	}
	b.WriteString("\t}\n}\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("format generated Go: %w", err)
	}
	return src, nil
}

func kindConst(k Kind) string {
	switch k {
	case Class:
		return "TermClass"
	case ObjectProperty:
		return "TermObjectProperty"
	case DatatypeProperty:
		return "TermDatatypeProperty"
	case AnnotationProperty:
		return "TermAnnotationProperty"
	case Property:
		return "TermProperty"
	case ConceptScheme:
		return "TermConceptScheme"
	case Ontology:
		return "TermOntology"
	}
	return "TermIndividual"
}

func wrap(s string, width int) []string {
	var lines []string
	var cur strings.Builder
	for _, w := range strings.Fields(s) {
		if cur.Len() > 0 && cur.Len()+1+len(w) > width {
			lines = append(lines, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(w)
	}
	if cur.Len() > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// aliases returns short JSON-LD terms for the standard properties the seed graph
// uses on every entity, so that JSON-LD consumers read "label" and not
// "rdfs:label". An ontology term of the same name wins.
func aliases() [][3]string {
	return [][3]string{
		{"label", rdfsNS + "label", ""},
		{"comment", rdfsNS + "comment", ""},
		{"altLabel", skosNS + "altLabel", ""},
		{"prefLabel", skosNS + "prefLabel", ""},
		{"notation", skosNS + "notation", ""},
		{"inScheme", skosNS + "inScheme", "@id"},
		{"broader", skosNS + "broader", "@id"},
		{"topConceptOf", skosNS + "topConceptOf", "@id"},
		{"title", "http://purl.org/dc/terms/title", ""},
		{"description", "http://purl.org/dc/terms/description", ""},
	}
}

// Context returns the JSON-LD 1.1 context document for the terms: the
// prefixes (those not shadowed by a term name), an "id" prefix for cfg.IDBase,
// one term per ontology class and property (object properties coerce to
// "@id", datatype properties with an XSD range other than xsd:string to that
// datatype) and the aliases above.
func Context(cfg Config, terms []Term) ([]byte, error) {
	ctx := map[string]any{"@version": 1.1}
	names := map[string]bool{}
	for _, t := range terms {
		if strings.HasPrefix(t.IRI, cfg.NS) && t.Kind != Ontology {
			names[t.Local] = true
		}
	}
	for _, p := range cfg.Prefixes {
		if !names[p[0]] {
			ctx[p[0]] = p[1]
		}
	}
	if !names["id"] {
		ctx["id"] = cfg.IDBase
	}
	for _, a := range aliases() {
		if names[a[0]] {
			continue
		}
		if a[2] == "" {
			ctx[a[0]] = map[string]any{"@id": a[1]}
		} else {
			ctx[a[0]] = map[string]any{"@id": a[1], "@type": a[2]}
		}
	}
	for _, t := range terms {
		if !strings.HasPrefix(t.IRI, cfg.NS) || t.Kind == Ontology {
			continue
		}
		def := map[string]any{"@id": t.IRI}
		switch t.Kind {
		case ObjectProperty:
			def["@type"] = "@id"
		case DatatypeProperty, AnnotationProperty, Property:
			if strings.HasPrefix(t.Range, xsdNS) && t.Range != xsdNS+"string" {
				def["@type"] = t.Range
			}
		}
		ctx[t.Local] = def
	}
	out, err := json.MarshalIndent(map[string]any{"@context": ctx}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode context: %w", err)
	}
	return append(out, '\n'), nil
}
