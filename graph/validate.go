package graph

import (
	"context"
	"fmt"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/graph/shacl"
	"github.com/innograph/innograph/ontology"
)

// Violation is one way a write breaks the ontology's shapes.
type Violation struct {
	// Focus is the offending node (an IRI, or "_:label").
	Focus string `json:"focusNode"`
	// Path is the property concerned (its IRI, or a SPARQL property path
	// for a complex one); empty for a constraint on the node.
	Path string `json:"path,omitempty"`
	// Value is the offending value, when one value is at fault.
	Value string `json:"value,omitempty"`
	// Constraint is the SHACL constraint component, e.g. "sh:MinCountConstraintComponent".
	Constraint string `json:"constraint"`
	// Shape is the shape the constraint belongs to.
	Shape string `json:"shape"`
	// Message is the shape's sh:message, if it has one.
	Message string `json:"message,omitempty"`
}

// ValidationError is returned (wrapped in an *Error of kind Unprocessable)
// for a write whose result breaks the ontology's shapes.
type ValidationError struct {
	Violations []Violation
}

// maxViolationsShown bounds the violations a ValidationError carries.
const maxViolationsShown = 100

func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d shape violation(s)", len(e.Violations))
	for i, v := range e.Violations {
		if i == 3 {
			fmt.Fprintf(&b, "; ...")
			break
		}
		b.WriteString("; ")
		b.WriteString(v.Focus)
		if v.Path != "" {
			b.WriteString(" " + v.Path)
		}
		b.WriteString(": " + v.Constraint)
		if v.Message != "" {
			b.WriteString(" (" + v.Message + ")")
		}
	}
	return b.String()
}

// Validator checks writes against the ontology's SHACL shapes (see
// graph/shacl for the constraints understood).
type Validator struct {
	shapes     *shacl.Shapes
	subClassOf []quad.Quad // the ontology's class hierarchy, for sh:targetClass and sh:class
}

// NewValidator reads the ontology's embedded shapes and class hierarchy.
func NewValidator() (*Validator, error) {
	onto, shapes, err := Vocabulary()
	if err != nil {
		return nil, err
	}
	return NewValidatorFrom(onto, shapes)
}

// Vocabulary parses the ontology and its SHACL shapes embedded in package
// ontology (relative IRIs against ontology.NS, blank nodes labelled o1,
// o2, ...), for a server to parse them once at start for its validator
// (NewValidatorFrom) and its vocabulary pages.
func Vocabulary() (onto, shapes []quad.Quad, err error) {
	ttl, _ := rdfio.Lookup(rdfio.Turtle)
	opt := rdfio.ReadOptions{Base: ontology.NS, BlankNodePrefix: "o"}
	if onto, err = rdfio.ReadAll(ontology.Turtle(), ttl, opt, rdfio.Limits{}); err != nil {
		return nil, nil, fmt.Errorf("read the embedded ontology: %w", err)
	}
	if shapes, err = rdfio.ReadAll(ontology.Shapes(), ttl, opt, rdfio.Limits{}); err != nil {
		return nil, nil, fmt.Errorf("read the embedded shapes: %w", err)
	}
	return onto, shapes, nil
}

// NewValidatorFrom builds a Validator from the ontology's quads and its
// shapes' quads as Vocabulary returns them.
func NewValidatorFrom(onto, shapesQuads []quad.Quad) (*Validator, error) {
	shapes, err := shacl.New(shapesQuads)
	if err != nil {
		return nil, err
	}
	v := &Validator{shapes: shapes}
	sub := quad.IRI("http://www.w3.org/2000/01/rdf-schema#subClassOf")
	for _, q := range onto {
		if q.Predicate == sub {
			v.subClassOf = append(v.subClassOf, q)
		}
	}
	return v, nil
}

// maxContextNodes bounds how many nodes' stored data a validation reads.
const maxContextNodes = 20000

// Check validates what graph g would hold after writing qs (replacing it
// when replace is set, merging otherwise). The data validated is qs, plus
// what the store already says about the nodes qs mentions (in every graph
// but g when replacing), plus the ontology's class hierarchy; only nodes
// that are subjects in qs are validated, so existing data elsewhere never
// blocks a write. It returns an Unprocessable error wrapping a
// *ValidationError naming each violation.
func (v *Validator) Check(ctx context.Context, s *Store, g quad.Value, qs []quad.Quad, replace bool) error {
	return s.read("validate", func(cqs cgraph.QuadStore) error {
		return v.check(ctx, cqs, g, qs, replace)
	})
}

// check is Check over an open quad store.
func (v *Validator) check(ctx context.Context, cqs cgraph.QuadStore, g quad.Value, qs []quad.Quad, replace bool) error {
	subjects := make(map[quad.Value]bool)
	nodes := make(map[quad.Value]bool)
	for _, q := range qs {
		subjects[q.Subject] = true
		nodes[q.Subject] = true
		if _, ok := q.Object.(quad.IRI); ok {
			nodes[q.Object] = true
		}
	}
	return v.validate(ctx, cqs, qs, subjects, nodes, func(q quad.Quad) bool {
		return replace && sameLabel(q.Label, g) // about to be replaced
	})
}

// checkDelta validates the store as it would be after deleting del and
// inserting ins (a SPARQL update's net change): the subjects of both are
// validated, on the inserted quads plus what the store says about the
// nodes they mention, less the deleted quads. Errors as Check.
func (v *Validator) checkDelta(ctx context.Context, cqs cgraph.QuadStore, ins, del []quad.Quad) error {
	subjects := make(map[quad.Value]bool)
	nodes := make(map[quad.Value]bool)
	for _, q := range ins {
		subjects[q.Subject] = true
		nodes[q.Subject] = true
		if _, ok := q.Object.(quad.IRI); ok {
			nodes[q.Object] = true
		}
	}
	gone := make(map[quad.Quad]bool, len(del))
	for _, q := range del {
		gone[q] = true
		subjects[q.Subject] = true
		nodes[q.Subject] = true
	}
	return v.validate(ctx, cqs, ins, subjects, nodes, func(q quad.Quad) bool { return gone[q] })
}

// validate checks the subjects among focus on qs plus the stored quads
// about nodes that skip does not drop, plus the class hierarchy.
func (v *Validator) validate(ctx context.Context, cqs cgraph.QuadStore, qs []quad.Quad, subjects, nodes map[quad.Value]bool, skip func(quad.Quad) bool) error {
	const op = "validate"
	data := append([]quad.Quad(nil), qs...)
	if len(nodes) <= maxContextNodes {
		for n := range nodes {
			if _, ok := n.(quad.IRI); !ok {
				continue // a blank node of the request is new
			}
			ref := cqs.ValueOf(n)
			if ref == nil {
				continue
			}
			err := eachQuadAt(ctx, cqs, quad.Subject, ref, func(q quad.Quad) bool {
				if skip(q) {
					return true
				}
				data = append(data, q)
				return true
			})
			if err != nil {
				return err
			}
		}
	}
	data = append(data, v.subClassOf...)
	rep := v.shapes.Validate(shacl.NewGraph(data), func(n quad.Value) bool { return subjects[n] })
	if rep.Conforms {
		return nil
	}
	ve := &ValidationError{}
	for i, r := range rep.Results {
		if i == maxViolationsShown {
			break
		}
		ve.Violations = append(ve.Violations, Violation{
			Focus:      reportTerm(r.Focus),
			Path:       r.PathText(),
			Value:      reportTerm(r.Value),
			Constraint: "sh:" + strings.TrimPrefix(string(r.Component), shacl.SH),
			Shape:      reportTerm(r.Shape),
			Message:    r.Message,
		})
	}
	return E(op, Unprocessable, ve)
}

func sameLabel(a, b quad.Value) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a == b
}

// reportTerm writes a value for a violation report: IRIs bare, blank nodes as
// _:label, literals in N-Triples form.
func reportTerm(v quad.Value) string {
	switch t := v.(type) {
	case nil:
		return ""
	case quad.IRI:
		return string(t)
	case quad.BNode:
		return "_:" + string(t)
	}
	return v.String()
}
