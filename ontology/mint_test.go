package ontology

import (
	"fmt"
	"testing"

	"github.com/cayleygraph/quad"
)

func TestSlug(t *testing.T) {
	tests := []struct{ name, want string }{
		{"Aarhus Universitet", "aarhus-universitet"},
		{"Aarhus University", "aarhus-university"},
		{"Thüringen", "thueringen"},
		{"Sjælland", "sjaelland"},
		{"Region Sjælland", "region-sjaelland"},
		{"Aalborg Ø", "aalborg-oe"},
		{"Århus", "aarhus"},
		{"Köln", "koeln"},
		{"Gödstrup", "goedstrup"},
		{"Straße", "strasse"},
		{"Jämtland", "jaemtland"},
		{"Région Île-de-France", "region-ile-de-france"},
		{"European Regions Research & Innovation Network", "european-regions-research-innovation-network"},
		{"1+ Million Genomes", "1-million-genomes"},
		{"  Danish  HealthTech ", "danish-healthtech"},
		{"C.20", "c-20"},
		{"DK04", "dk04"},
		{"«Fra Idé til Løsning»", "fra-ide-til-loesning"},
		{"", ""},
		{"--", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Slug(tc.name); got != tc.want {
				t.Errorf("Slug(%q) = %q, want %q", tc.name, got, tc.want)
			}
		})
	}
}

func TestMint(t *testing.T) {
	tests := []struct {
		kind Kind
		name string
		want quad.IRI
	}{
		{KindOrg, "Aarhus Universitet", IDBase + "org/aarhus-universitet"},
		{KindRegion, "Thüringen", IDBase + "region/thueringen"},
		{KindRegion, "Sjælland", IDBase + "region/sjaelland"},
		{KindRegion, "DK04", IDBase + "region/dk04"},
		{KindRegion, "DEG", IDBase + "region/deg"},
		{KindSource, "profile-dk04", IDBase + "source/profile-dk04"},
		{KindProject, "Tværspor", IDBase + "project/tvaerspor"},
		{Kind("nonsense"), "x", ""},
		{KindOrg, "!!", ""},
	}
	for _, tc := range tests {
		t.Run(string(tc.kind)+"/"+tc.name, func(t *testing.T) {
			if got := Mint(tc.kind, tc.name); got != tc.want {
				t.Errorf("Mint(%q, %q) = %q, want %q", tc.kind, tc.name, got, tc.want)
			}
		})
	}
}

func TestConcept(t *testing.T) {
	tests := []struct {
		scheme, code string
		want         quad.IRI
	}{
		{"nace", "C.20", IDBase + "concept/nace/c-20"},
		{"nabs", "NABS07", IDBase + "concept/nabs/nabs07"},
		{"policy-objective", "D.27", IDBase + "concept/policy-objective/d-27"},
		{"rating-level", "Very High", ConceptRatingLevelVeryHigh},
		{"", "x", ""},
	}
	for _, tc := range tests {
		t.Run(tc.scheme+"/"+tc.code, func(t *testing.T) {
			if got := Concept(tc.scheme, tc.code); got != tc.want {
				t.Errorf("Concept(%q, %q) = %q, want %q", tc.scheme, tc.code, got, tc.want)
			}
		})
	}
}

func TestShortExpand(t *testing.T) {
	tests := []struct {
		short string
		iri   quad.IRI
		ok    bool
	}{
		{"region/dk04", IDBase + "region/dk04", true},
		{"org/aarhus-university", IDBase + "org/aarhus-university", true},
		{"concept/nace/c-20", IDBase + "concept/nace/c-20", true},
		{"source/profile-deg", IDBase + "source/profile-deg", true},
		{"region", "", false},
		{"region/", "", false},
		{"region//dk04", "", false},
		{"region/../etc", "", false},
		{"region/dk 04", "", false},
		{"region/dk04?x", "", false},
		{"", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.short, func(t *testing.T) {
			iri, ok := Expand(tc.short)
			if iri != tc.iri || ok != tc.ok {
				t.Errorf("Expand(%q) = %q, %v, want %q, %v", tc.short, iri, ok, tc.iri, tc.ok)
			}
			if !tc.ok {
				return
			}
			short, ok := Short(iri)
			if short != tc.short || !ok {
				t.Errorf("Short(%q) = %q, %v, want %q, true", iri, short, ok, tc.short)
			}
		})
	}
	for _, iri := range []quad.IRI{"https://example.org/region/dk04", NS + "Region", IDBase + "region", IDBase} {
		if s, ok := Short(iri); ok {
			t.Errorf("Short(%q) = %q, true, want false", iri, s)
		}
	}
}

func TestKinds(t *testing.T) {
	for _, k := range Kinds() {
		if !k.Valid() {
			t.Errorf("Kind %q not Valid", k)
		}
		if Mint(k, "x") != quad.IRI(IDBase+string(k)+"/x") {
			t.Errorf("Mint(%q, x) = %q", k, Mint(k, "x"))
		}
	}
	if Kind("").Valid() {
		t.Error(`Kind("").Valid() = true`)
	}
}

func ExampleMint() {
	fmt.Println(string(Mint(KindOrg, "Aarhus University")))
	fmt.Println(string(Mint(KindRegion, "DK04")))
	short, _ := Short(Mint(KindRegion, "Thüringen"))
	fmt.Println(short)
	// Output:
	// https://w3id.org/innograph/id/org/aarhus-university
	// https://w3id.org/innograph/id/region/dk04
	// region/thueringen
}
