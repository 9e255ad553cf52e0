package termgen

import (
	"encoding/json"
	"strings"
	"testing"
)

const testNT = `<http://ex/ns#Region> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2002/07/owl#Class> .
<http://ex/ns#Region> <http://www.w3.org/2000/01/rdf-schema#label> "region"@en .
<http://ex/ns#region> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2002/07/owl#ObjectProperty> .
<http://ex/ns#amount> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2002/07/owl#DatatypeProperty> .
<http://ex/ns#amount> <http://www.w3.org/2000/01/rdf-schema#range> <http://www.w3.org/2001/XMLSchema#decimal> .
<http://ex/ns#code> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2002/07/owl#DatatypeProperty> .
<http://ex/ns#code> <http://www.w3.org/2000/01/rdf-schema#range> <http://www.w3.org/2001/XMLSchema#string> .
<http://ex/id/concept/rating-level/very-high> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2004/02/skos/core#Concept> .
<http://ex/other#X> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2002/07/owl#Class> .
`

func testConfig() Config {
	return Config{NS: "http://ex/ns#", IDBase: "http://ex/id/", Prefixes: [][2]string{{"ex", "http://ex/ns#"}, {"region", "http://ex/id/region/"}}}
}

func TestRead(t *testing.T) {
	terms, err := Read(testConfig(), strings.NewReader(testNT))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		goName string
		kind   Kind
	}{
		"http://ex/ns#Region":                         {"Region", Class},
		"http://ex/ns#region":                         {"RegionProp", ObjectProperty},
		"http://ex/ns#amount":                         {"Amount", DatatypeProperty},
		"http://ex/ns#code":                           {"Code", DatatypeProperty},
		"http://ex/id/concept/rating-level/very-high": {"ConceptRatingLevelVeryHigh", Individual},
	}
	if len(terms) != len(want) {
		t.Errorf("Read returned %d terms, want %d: %+v", len(terms), len(want), terms)
	}
	for _, tm := range terms {
		w, ok := want[tm.IRI]
		if !ok {
			t.Errorf("unexpected term %s", tm.IRI)
			continue
		}
		if tm.GoName != w.goName || tm.Kind != w.kind {
			t.Errorf("%s: GoName %s kind %s, want %s %s", tm.IRI, tm.GoName, tm.Kind, w.goName, w.kind)
		}
	}
}

func TestContext(t *testing.T) {
	cfg := testConfig()
	terms, err := Read(cfg, strings.NewReader(testNT))
	if err != nil {
		t.Fatal(err)
	}
	out, err := Context(cfg, terms)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Context map[string]any `json:"@context"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		term string
		want any
	}{
		{"ex", "http://ex/ns#"},
		{"region", map[string]any{"@id": "http://ex/ns#region", "@type": "@id"}}, // the term shadows the prefix
		{"amount", map[string]any{"@id": "http://ex/ns#amount", "@type": "http://www.w3.org/2001/XMLSchema#decimal"}},
		{"code", map[string]any{"@id": "http://ex/ns#code"}},
		{"Region", map[string]any{"@id": "http://ex/ns#Region"}},
		{"id", "http://ex/id/"},
		{"label", map[string]any{"@id": "http://www.w3.org/2000/01/rdf-schema#label"}},
	}
	for _, tc := range tests {
		t.Run(tc.term, func(t *testing.T) {
			got, _ := json.Marshal(doc.Context[tc.term])
			want, _ := json.Marshal(tc.want)
			if string(got) != string(want) {
				t.Errorf("context[%q] = %s, want %s", tc.term, got, want)
			}
		})
	}
}

func TestNameCollision(t *testing.T) {
	nt := `<http://ex/ns#a-b> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2002/07/owl#Class> .
<http://ex/ns#aB> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2002/07/owl#Class> .
`
	if _, err := Read(testConfig(), strings.NewReader(nt)); err == nil {
		t.Error("Read accepted two terms with the same Go name")
	}
}
