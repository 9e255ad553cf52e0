package graph_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/seeds"
)

// TestSeedGraphsConform: the curated seed graphs are what a curator would
// write, so each must pass the validator that guards writes.
func TestSeedGraphsConform(t *testing.T) {
	v, err := graph.NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	s := openBackend(t, graph.Memory)
	trig, _ := rdfio.Lookup(rdfio.TriG)
	for _, g := range seeds.Graphs() {
		qs, err := rdfio.ReadAll(g.Data, trig, rdfio.ReadOptions{Base: string(g.IRI), Graph: g.IRI}, rdfio.Limits{})
		if err != nil {
			t.Fatalf("%s: %v", g.File, err)
		}
		if err := v.Check(context.Background(), s, g.IRI, qs, true); err != nil {
			t.Errorf("seed graph %s does not conform: %v", g.File, err)
		}
	}
}

func TestValidatorRefuses(t *testing.T) {
	v, err := graph.NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	ttl, _ := rdfio.Lookup(rdfio.Turtle)
	const prefixes = "@prefix ig: <https://w3id.org/innograph/ontology#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n@prefix ex: <https://example.org/> .\n"
	tests := []struct {
		name, body string
		want       []string // substrings of violations: focus, path, constraint
	}{
		{"region without NUTS code", "ex:r a ig:Region ; rdfs:label \"R\" .", []string{"https://example.org/r", "ontology#nutsCode", "sh:MinCountConstraintComponent"}},
		{"typed entity without label", "ex:u a ig:University .", []string{"https://example.org/u", "rdf-schema#label", "sh:MinCountConstraintComponent"}},
		{"amount not decimal", "ex:m a ig:MonetaryAmount ; ig:amount \"lots\" ; ig:currency \"EUR\" .", []string{"ontology#amount", "sh:DatatypeConstraintComponent"}},
		{"currency not ISO 4217", "ex:m a ig:MonetaryAmount ; ig:amount 1.5 ; ig:currency \"euro\" .", []string{"ontology#currency", "sh:PatternConstraintComponent"}},
		{"two NUTS codes", "ex:r a ig:Region ; rdfs:label \"R\" ; ig:nutsCode \"DK04\", \"DK05\" .", []string{"sh:MaxCountConstraintComponent"}},
		{"ill-formed year", "ex:p a ig:Project ; rdfs:label \"P\" ; ig:startYear \"20x1\"^^xsd:gYear .", []string{"ontology#startYear", "sh:DatatypeConstraintComponent"}},
		{"strategy ending before it starts", "ex:s a ig:Strategy ; rdfs:label \"S\" ; ig:region ex:r ; ig:startYear \"2030\"^^xsd:gYear ; ig:endYear \"2020\"^^xsd:gYear .", []string{"https://example.org/s", "ontology#startYear", "sh:LessThanOrEqualsConstraintComponent"}},
		{"project ending before it starts", "ex:p a ig:Project ; rdfs:label \"P\" ; ig:startDate \"2024-05-02\"^^xsd:date ; ig:endDate \"2024-05-01\"^^xsd:date .", []string{"ontology#startDate", "sh:LessThanOrEqualsConstraintComponent"}},
	}
	s := openBackend(t, graph.Memory)
	g := quad.IRI("https://example.org/g")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			qs, err := rdfio.ReadAll([]byte(prefixes+tc.body), ttl, rdfio.ReadOptions{}, rdfio.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			err = v.Check(context.Background(), s, g, qs, true)
			var ve *graph.ValidationError
			if graph.KindOf(err) != graph.Unprocessable || !errors.As(err, &ve) {
				t.Fatalf("Check = %v, want an Unprocessable *ValidationError", err)
			}
			found := false
			for _, viol := range ve.Violations {
				all := viol.Focus + " " + viol.Path + " " + viol.Constraint
				ok := true
				for _, w := range tc.want {
					ok = ok && strings.Contains(all, w)
				}
				found = found || ok
			}
			if !found {
				t.Errorf("violations %+v lack one with %q", ve.Violations, tc.want)
			}
		})
	}
	// The label may already be stored in another graph: merged data passes.
	u := quad.IRI("https://example.org/u")
	if err := s.Write(context.Background(), func(b *graph.Batch) error {
		b.Add(quad.Quad{Subject: u, Predicate: quad.IRI("http://www.w3.org/2000/01/rdf-schema#label"), Object: quad.String("U"), Label: quad.IRI("https://example.org/other")})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	typed := []quad.Quad{{Subject: u, Predicate: quad.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), Object: quad.IRI("https://w3id.org/innograph/ontology#University")}}
	if err := v.Check(context.Background(), s, g, typed, true); err != nil {
		t.Errorf("typing an entity whose label is stored elsewhere = %v, want it valid", err)
	}
}

// TestViolationsCountedAndCheckedWhole: a write with 600 violations says
// 600 and that the list is cut (issue 18: "100 shape violation(s)"), and
// padding a write past 20,000 nodes no longer switches off the check
// against stored data (issue 18: it did, so a rule-breaking write passed).
func TestViolationsCountedAndCheckedWhole(t *testing.T) {
	s := openBackend(t, graph.Memory)
	ex := func(s string) quad.IRI { return quad.IRI("https://example.org/" + s) }
	rdfType := quad.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
	ig := func(s string) quad.IRI { return quad.IRI("https://w3id.org/innograph/ontology#" + s) }
	var many []quad.Quad
	for i := 0; i < 600; i++ {
		many = append(many, quad.Quad{Subject: ex(fmt.Sprintf("u%d", i)), Predicate: rdfType, Object: ig("University")})
	}
	_, err := s.MergeGraph(context.Background(), ex("g"), many, s.Validator())
	var ve *graph.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("600 unlabelled universities: %v, want a ValidationError", err)
	}
	// Two shapes ask each entity for a label: 1,200 violations.
	if ve.Total != 1200 || len(ve.Violations) != 100 || !ve.Truncated() || !strings.Contains(err.Error(), "1200 shape violation(s) (the first 100 listed)") {
		t.Errorf("total %d, listed %d, truncated %v, %q; want 1200, 100, true and a message saying so", ve.Total, len(ve.Violations), ve.Truncated(), err)
	}

	// A region with its NUTS code stored in another graph; a second code
	// written alongside 25,000 padding nodes still breaks sh:maxCount 1.
	r := ex("r")
	if _, err := s.MergeGraph(context.Background(), ex("other"), []quad.Quad{
		{Subject: r, Predicate: rdfType, Object: ig("Region")},
		{Subject: r, Predicate: quad.IRI("http://www.w3.org/2000/01/rdf-schema#label"), Object: quad.String("R")},
		{Subject: r, Predicate: ig("nutsCode"), Object: quad.String("DK04")},
		{Subject: r, Predicate: ig("nutsLevel"), Object: quad.TypedString{Value: "2", Type: "http://www.w3.org/2001/XMLSchema#integer"}},
	}, s.Validator()); err != nil {
		t.Fatal(err)
	}
	padded := []quad.Quad{{Subject: r, Predicate: ig("nutsCode"), Object: quad.String("DK05")}}
	for i := 0; i < 25000; i++ {
		padded = append(padded, quad.Quad{Subject: ex(fmt.Sprintf("pad%d", i)), Predicate: ex("p"), Object: ex(fmt.Sprintf("o%d", i))})
	}
	_, err = s.MergeGraph(context.Background(), ex("g"), padded, s.Validator())
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "sh:MaxCountConstraintComponent") {
		t.Errorf("a second NUTS code padded with 25,000 nodes = %v, want a MaxCount violation", err)
	}
}
