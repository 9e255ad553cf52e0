package seeds

import (
	"bytes"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/ontology"
)

var update = flag.Bool("update", false, "rewrite seeds/graphs/profile-*.trig from the parser")

// profileDoc is a profile document and the graph generated from it.
type profileDoc struct {
	source string // file under sources/
	slug   string // graph slug and graphs/<slug>.trig
	title  string
}

func profileDocs() []profileDoc {
	return []profileDoc{
		{"000_f900378a799b4c5e.txt", "profile-dk04", "DK04 Midtjylland (Central Denmark Region)"},
		{"004_9a57180da7b092b2.txt", "profile-deg", "DEG Thuringia"},
	}
}

// mustParse parses a profile from the embedded sources and sets its source file.
func mustParse(tb testing.TB, name string) *Profile {
	tb.Helper()
	f, err := Sources().Open(name)
	if err != nil {
		tb.Fatalf("open %s: %v", name, err)
	}
	defer f.Close()
	p, err := ParseProfile(f)
	if err != nil {
		tb.Fatalf("ParseProfile(%s): %v", name, err)
	}
	p.SourceFile = "seeds/sources/" + name
	return p
}

func graphIRI(slug string) quad.IRI {
	return quad.IRI(ontology.IDBase + "source/" + slug)
}

func TestProfileGolden(t *testing.T) {
	for _, d := range profileDocs() {
		t.Run(d.slug, func(t *testing.T) {
			p := mustParse(t, d.source)
			g := graphIRI(d.slug)
			if got := ProfileGraph(p); got != g {
				t.Errorf("ProfileGraph = %s, want %s", got, g)
			}
			quads := p.Quads(g)
			header := "Generated from seeds/sources/" + d.source + ", the regional profile of " + d.title + ",\n" +
				"by seeds.ParseProfile and (*Profile).Quads. Do not edit: run go test ./seeds -run TestProfileGolden -update.\n" +
				"Every fact is in the named graph of the document; ig:note explains irregularities of the text."
			data, err := formatTriG(header, g, quads)
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join("graphs", d.slug+".trig")
			if *update {
				if err := os.WriteFile(file, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("read golden file (run with -update): %v", err)
			}
			if !bytes.Equal(data, want) {
				got, exp := strings.Split(string(data), "\n"), strings.Split(string(want), "\n")
				for i := 0; i < len(got) || i < len(exp); i++ {
					var a, b string
					if i < len(got) {
						a = got[i]
					}
					if i < len(exp) {
						b = exp[i]
					}
					if a != b {
						t.Fatalf("%s differs from the parser's output at line %d:\n got: %s\nwant: %s\n(run go test ./seeds -run TestProfileGolden -update)", file, i+1, a, b)
					}
				}
			}
			// An independent parser must read the file as exactly the quads.
			rapper := requireRapper(t)
			var lines []string
			for _, q := range runRapper(t, rapper, "trig", file) {
				lines = append(lines, unescapeNQuads(q.s+" "+q.p+" "+q.o+" "+q.g+" ."))
			}
			gotLines := dedup(sortedCopy(lines))
			wantLines := canonicalNQuads(quads)
			if strings.Join(gotLines, "\n") != strings.Join(wantLines, "\n") {
				t.Errorf("rapper reads %s as %d quads, the parser gives %d; first difference: %s", file, len(gotLines), len(wantLines), firstDiff(gotLines, wantLines))
			}
		})
	}
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sortStrings(out)
	return out
}

func firstDiff(a, b []string) string {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return "rapper " + a[i] + " | parser " + b[i]
		}
	}
	return "(one is a prefix of the other)"
}

// quadSet indexes quads as N-Quads terms for lookups.
type quadSet map[string]map[string][]string

func indexQuads(quads []quad.Quad) quadSet {
	s := quadSet{}
	for _, q := range quads {
		sub := string(q.Subject.(quad.IRI))
		if s[sub] == nil {
			s[sub] = map[string][]string{}
		}
		p := string(q.Predicate.(quad.IRI))
		s[sub][p] = append(s[sub][p], q.Object.String())
	}
	return s
}

func TestProfileFacts(t *testing.T) {
	const (
		id  = ontology.IDBase
		ig  = ontology.NS
		xsd = "http://www.w3.org/2001/XMLSchema#"
	)
	type fact struct{ s, p, o string }
	tests := []struct {
		doc   string
		facts []fact
		not   []fact // facts that must be absent
	}{
		{"000_f900378a799b4c5e.txt", []fact{
			{id + "region/dk04", ig + "nutsCode", `"DK04"`},
			{id + "region/dk04", string(rdfsLabelIRI), `"Midtjylland"@en`},
			{id + "region/dk04", string(rdfsLabelIRI), `"Central Denmark Region"@en`},
			{id + "observation/dk04-total-population-2019", ig + "value", `"1320678"^^<` + xsd + `integer>`},
			{id + "observation/dk04-total-population-2019", ig + "year", `"2019"^^<` + xsd + `gYear>`},
			{id + "observation/dk04-total-population-text-1-2-million", ig + "value", `"1200000"^^<` + xsd + `integer>`},
			{id + "observation/dk04-population-density-2017", ig + "value", `"102"^^<` + xsd + `integer>`},
			{id + "observation/dk04-share-aged-65-plus", ig + "value", `"19.01"^^<` + xsd + `decimal>`},
			{id + "region/dk04", ig + "innovationPerformanceGroup", "<" + id + "concept/innovation-performance/leader-minus>"},
			{id + "region/dk04", ig + "memberOf", "<" + id + "initiative/baltic-sea-macro-region>"},
			{id + "region/dk04", ig + "memberOf", "<" + id + "org/errin>"},
			{id + "answer/dk04-member-icpermed", ig + "answerBoolean", `"false"^^<` + xsd + `boolean>`},
			{id + "answer/dk04-erapermed", ig + "answerBoolean", `"false"^^<` + xsd + `boolean>`},
			{id + "answer/dk04-1m-genome-initiative", ig + "membershipStatus", "<" + id + "concept/membership-status/country-level-observer>"},
			{id + "membership/dk04-1-million-genomes", ig + "organisation", "<" + id + "initiative/1-million-genomes>"},
			{id + "rating/dk04-genomics-literacy", ig + "ratingLevel", "<" + id + "concept/rating-level/medium>"},
			{id + "rating/dk04-need-pm-funding", ig + "ratingValue", `"5"^^<` + xsd + `integer>`},
			{id + "strategy/national-strategy-for-personalised-medicine-2017-2020", ig + "startYear", `"2017"^^<` + xsd + `gYear>`},
			{id + "region/dk04", ig + "representedIn", "<" + id + "initiative/horizon-2020>"},
			{id + "region/dk04", ig + "majorInitiative", "<" + id + "initiative/tvaerspor>"},
			{id + "funding/horizon-2020-grant-agreement-825046", ig + "grantNumber", `"825046"`},
		}, []fact{
			{id + "region/dk04", ig + "memberOf", "<" + id + "initiative/1-million-genomes>"},
		}},
		{"004_9a57180da7b092b2.txt", []fact{
			{id + "region/deg", ig + "nutsCode", `"DEG"`},
			{id + "region/deg", ig + "nutsLevel", `"1"^^<` + xsd + `integer>`},
			{id + "region/deg", string(rdfsLabelIRI), `"Free State of Thuringia"@en`},
			{id + "observation/deg-total-population-2019", ig + "value", `"2143145"^^<` + xsd + `integer>`},
			{id + "observation/deg-total-population-text-2-16m", ig + "value", `"2160000"^^<` + xsd + `integer>`},
			{id + "observation/deg-total-population-text-2-16m", ig + "year", `"2018"^^<` + xsd + `gYear>`},
			{id + "observation/deg-share-aged-65-plus", ig + "value", `"25.72"^^<` + xsd + `decimal>`},
			{id + "region/deg", ig + "innovationPerformanceGroup", "<" + id + "concept/innovation-performance/strong>"},
			{id + "answer/deg-pm-region-according-ec", ig + "answerBoolean", `"true"^^<` + xsd + `boolean>`},
			{id + "answer/deg-s3medtech-region", ig + "answerBoolean", `"true"^^<` + xsd + `boolean>`},
			{id + "answer/deg-danube-macroregion", ig + "answerBoolean", `"false"^^<` + xsd + `boolean>`},
			{id + "answer/deg-alpine-macroregion", ig + "note", `"The profile leaves this question unanswered; no yes or no is recorded."@en`},
			{id + "answer/deg-mountain", ig + "answerText", `"mix of mountain and non-mountain subregions"@en`},
			{id + "region/deg", ig + "memberOf", "<" + id + "initiative/1-million-genomes>"},
			{id + "region/deg", ig + "memberOf", "<" + id + "initiative/central-europe>"},
			{id + "region/deg", ig + "naceActivity", "<" + id + "concept/nace/c-20>"},
			{id + "concept/nace/c-20", "http://www.w3.org/2004/02/skos/core#notation", `"C.20"`},
			{id + "region/deg", ig + "nabsDomain", "<" + id + "concept/nabs/nabs07>"},
			{id + "region/deg", ig + "policyObjective", "<" + id + "concept/policy-objective/d-27>"},
			{id + "strategy/ris3-thuringia", string(rdfTypeIRI), "<" + ig + "SmartSpecialisationStrategy>"},
			{id + "strategy/ris3-thuringia", ig + "policyLevel", "<" + id + "concept/policy-level/regional>"},
			{id + "region/deg", ig + "majorInitiative", "<" + id + "org/zentralklinik-bad-berka>"},
			{id + "org/zentralklinik-bad-berka", string(rdfTypeIRI), "<" + ig + "Hospital>"},
			{id + "region/deg", ig + "majorInitiative", "<" + id + "initiative/medtech4europe>"},
			{id + "answer/deg-medtech4europe", ig + "answerBoolean", `"false"^^<` + xsd + `boolean>`},
			{id + "answer/deg-medtech4europe", ig + "note", `"The DEG profile lists Medtch4Europe among its major initiatives (line 104) and answers \"no\" to the membership question on it (line 58); the two statements disagree and both are recorded."@en`},
			{id + "region/deg", ig + "partnerOf", "<" + id + "initiative/medical-technology>"},
			{id + "region/deg", ig + "representedIn", "<" + id + "initiative/european-photonic-alliance>"},
			{id + "rating/deg-pm-implementation-level", ig + "ratingLevel", "<" + id + "concept/rating-level/medium>"},
			{id + "rating/deg-need-interregional-collaboration", ig + "ratingLevel", "<" + id + "concept/rating-level/high>"},
			{id + "region/deg", ig + "collaborationInterest", "<" + id + "concept/collaboration-interest/biophotonic>"},
		}, []fact{
			{id + "answer/deg-alpine-macroregion", ig + "answerBoolean", `"false"^^<` + xsd + `boolean>`},
			{id + "answer/deg-alpine-macroregion", ig + "membershipStatus", "<" + id + "concept/membership-status/non-member>"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.doc, func(t *testing.T) {
			p := mustParse(t, tc.doc)
			set := indexQuads(p.Quads(ProfileGraph(p)))
			has := func(f fact) bool {
				for _, o := range set[f.s][f.p] {
					if o == f.o {
						return true
					}
				}
				return false
			}
			for _, f := range tc.facts {
				if !has(f) {
					t.Errorf("missing <%s> <%s> %s; have %v", f.s, f.p, f.o, set[f.s][f.p])
				}
			}
			for _, f := range tc.not {
				if has(f) {
					t.Errorf("unexpected <%s> <%s> %s", f.s, f.p, f.o)
				}
			}
		})
	}
}

func TestParseProfileStruct(t *testing.T) {
	dk := mustParse(t, "000_f900378a799b4c5e.txt")
	de := mustParse(t, "004_9a57180da7b092b2.txt")
	tests := []struct {
		name      string
		got, want any
	}{
		{"dk04 header", dk.NUTS + "|" + dk.Name, "DK04|Midtjylland"},
		{"deg header", de.NUTS + "|" + de.Name, "DEG|Thuringia"},
		{"dk04 indicators", len(dk.Indicators), 5},
		{"deg population as written", de.Indicators[1].Value, "2,143,145"},
		{"dk04 memberships", len(dk.Memberships), 21},
		{"deg memberships", len(de.Memberships), 21},
		{"deg alpine unanswered", de.Memberships[11].Question + "|" + de.Memberships[11].Reply.String(), "Alpine MacroRegion|unanswered"},
		{"dk04 erapermed without mark", dk.Memberships[13].Question + "|" + dk.Memberships[13].Text, "ERAPerMed|no"},
		{"deg collaboration detail", de.Collaboration.Detail, "especially in the field of biophotonic, biobank, KI, assisted Living (ehealth), infection"},
		{"deg policy documents", len(de.PolicyDocuments), 2},
		{"deg first policy number", de.PolicyDocuments[0].Number, 2},
		{"deg classifications", len(de.Classifications), 9},
		{"deg initiatives", len(de.Initiatives), 7},
		{"deg initiative detail", de.Initiatives[4].Text + "|" + de.Initiatives[4].Detail, "Zentralklinik Bad Berka|nuclear medicine"},
		{"dk04 represented", len(dk.Represented), 3},
		{"dk04 ratings", len(dk.Ratings), 6},
		{"deg rating", de.Ratings[0].Level, "Medium"},
		{"dk04 grant", dk.Footer.GrantNumber + "|" + dk.Footer.Programme, "825046|Horizon 2020"},
		{"dk04 misspelt heading remarked", len(dk.Remarks) > 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
			}
		})
	}
}

func TestParseProfileErrors(t *testing.T) {
	valid := readSource(t, "000_f900378a799b4c5e.txt")
	tests := []struct {
		name     string
		text     string
		line     int
		expected string
	}{
		{"empty", "", 1, "header"},
		{"missing header", strings.Replace(valid, "DK04 - Midtjylland", "Midtjylland", 1), 1, "header"},
		{"bad rating line", strings.Replace(valid, "Rate of the genomics literacy of the citizens in the region - Medium", "Rate of the genomics literacy of the citizens in the region", 1), 92, "self-evaluation line"},
		{"unknown level", strings.Replace(valid, "in PM - Very High", "in PM - Excellent", 1), 94, "self-evaluation line"},
		{"membership without question", strings.Replace(valid, "Vanguard Initiative? no", "An unrelated sentence", 1), 56, "membership question"},
		{"no self evaluation", valid[:strings.Index(valid, "Self evaluation")], 82, "Self evaluation"},
		{"bad classification", strings.Replace(valid, "Health data populations study", "NACE codes: C20 Chemicals", 1), 66, "classification"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseProfile(strings.NewReader(tc.text))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("ParseProfile error = %v, want a *SyntaxError", err)
			}
			if se.Line != tc.line || !strings.Contains(se.Expected, tc.expected) {
				t.Errorf("ParseProfile error = %v (line %d), want line %d expecting %q", err, se.Line, tc.line, tc.expected)
			}
		})
	}
}

func readSource(tb testing.TB, name string) string {
	tb.Helper()
	data, err := fs.ReadFile(Sources(), name)
	if err != nil {
		tb.Fatal(err)
	}
	return string(data)
}

func FuzzParseProfile(f *testing.F) {
	for _, d := range profileDocs() {
		f.Add(readSource(f, d.source))
	}
	f.Add("DK04 - X\nMembership status\nA? yes B? no\nSelf evaluation\nT - High\n")
	f.Add("XX - Y\nMembership status\nERAPerMed no Central Europe?\n")
	f.Fuzz(func(t *testing.T, text string) {
		p, err := ParseProfile(strings.NewReader(text))
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Line < 1 {
				t.Fatalf("error %v is not a located *SyntaxError", err)
			}
			return
		}
		for _, q := range p.Quads(ProfileGraph(p)) {
			if q.Label != ProfileGraph(p) {
				t.Fatalf("quad %v outside the profile's graph", q)
			}
		}
	})
}
