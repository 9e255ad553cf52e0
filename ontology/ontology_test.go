package ontology

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cayleygraph/quad"

	"github.com/innograph/innograph/ontology/internal/termgen"
)

const (
	rdfType      = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	rdfsLabel    = "http://www.w3.org/2000/01/rdf-schema#label"
	rdfsComment  = "http://www.w3.org/2000/01/rdf-schema#comment"
	xsdNamespace = "http://www.w3.org/2001/XMLSchema#"
)

func documents() []struct {
	name string
	data []byte
} {
	docs := []struct {
		name string
		data []byte
	}{
		{"ontology", Turtle()}, // the merged document the service serves
	}
	// Each file on its own too (shapes.ttl among them): an extension must
	// parse without the core.
	names, err := fs.Glob(files, "*.ttl")
	if err != nil {
		panic(err)
	}
	for _, n := range names {
		data, err := fs.ReadFile(files, n)
		if err != nil {
			panic(err)
		}
		docs = append(docs, struct {
			name string
			data []byte
		}{n, data})
	}
	return docs
}

func TestRapperParsesWithoutWarnings(t *testing.T) {
	for _, doc := range documents() {
		t.Run(doc.name, func(t *testing.T) {
			if nt := rapperNT(t, doc.data); len(nt) == 0 {
				t.Errorf("rapper returned no triples for %s", doc.name)
			}
		})
	}
}

// rdflibScript parses stdin in the format of argv[1] and fails on any Python
// warning or any log record of level WARNING or above.
const rdflibScript = `
import logging, sys, warnings
warnings.simplefilter("error")
class Fail(logging.Handler):
    def emit(self, record):
        sys.stderr.write("log: " + record.getMessage() + "\n")
        sys.exit(2)
logging.getLogger().addHandler(Fail(level=logging.WARNING))
import rdflib
g = rdflib.Graph()
g.parse(data=sys.stdin.read(), format=sys.argv[1], publicID="https://w3id.org/innograph/ontology")
print(len(g))
`

func TestRDFLibParsesWithoutWarnings(t *testing.T) {
	needPython(t, "rdflib")
	for _, doc := range documents() {
		t.Run(doc.name, func(t *testing.T) {
			out, stderr, err := run(t, doc.data, python, "-c", rdflibScript, "turtle")
			if err != nil || len(bytes.TrimSpace(stderr)) > 0 {
				t.Fatalf("rdflib: err=%v\n%s", err, stderr)
			}
			if strings.TrimSpace(string(out)) == "0" {
				t.Errorf("rdflib read no triples from %s", doc.name)
			}
		})
	}
}

// pyldScript expands and converts to N-Quads a small document that uses the
// context given as argv[1] (a file), without fetching anything remote.
const pyldScript = `
import json, sys, warnings
warnings.simplefilter("error")
from pyld import jsonld
with open(sys.argv[1]) as f:
    ctx = json.load(f)["@context"]
doc = json.loads(sys.stdin.read())
doc["@context"] = ctx
print(jsonld.to_rdf(doc, {"format": "application/n-quads"}))
`

// rdflibJSONLDScript does the same with rdflib's JSON-LD parser, failing on
// any Python warning or log record of level WARNING or above.
const rdflibJSONLDScript = `
import json, logging, sys, warnings
warnings.simplefilter("error")
class Fail(logging.Handler):
    def emit(self, record):
        sys.stderr.write("log: " + record.getMessage() + "\n")
        sys.exit(2)
logging.getLogger().addHandler(Fail(level=logging.WARNING))
import rdflib
with open(sys.argv[1]) as f:
    ctx = json.load(f)["@context"]
doc = json.loads(sys.stdin.read())
doc["@context"] = ctx
g = rdflib.Graph()
g.parse(data=json.dumps(doc), format="json-ld")
print(g.serialize(format="nt"))
`

// TestContextExpands reads a document that uses the JSON-LD context with two
// independent JSON-LD processors, pyld and rdflib, neither fetching anything
// remote, and checks the triples both produce.
func TestContextExpands(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/context.jsonld"
	if err := os.WriteFile(path, Context(), 0o600); err != nil {
		t.Fatal(err)
	}
	doc := `{
	  "@id": "id:region/dk04", "@type": "Region",
	  "label": {"@value": "Midtjylland", "@language": "da"},
	  "nutsCode": "DK04",
	  "memberOf": "id:org/errin",
	  "hasObservation": {"@type": "IndicatorObservation", "indicator": "id:indicator/total-population",
	     "value": {"@value": "1320678", "@type": "xsd:integer"}, "year": "2019"},
	  "budget": {"@type": "MonetaryAmount", "amount": "3750000", "currency": "EUR"}
	}`
	for _, tc := range []struct {
		name, module, script string
	}{
		{"pyld", "pyld", pyldScript},
		{"rdflib", "rdflib", rdflibJSONLDScript},
	} {
		t.Run(tc.name, func(t *testing.T) {
			needPython(t, tc.module)
			out, stderr, err := run(t, []byte(doc), python, "-c", tc.script, path)
			if err != nil || len(bytes.TrimSpace(stderr)) > 0 {
				t.Fatalf("%s: err=%v\n%s", tc.name, err, stderr)
			}
			for _, want := range []string{
				`<https://w3id.org/innograph/id/region/dk04> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/innograph/ontology#Region>`,
				`<https://w3id.org/innograph/id/region/dk04> <https://w3id.org/innograph/ontology#memberOf> <https://w3id.org/innograph/id/org/errin>`,
				`<https://w3id.org/innograph/id/region/dk04> <https://w3id.org/innograph/ontology#nutsCode> "DK04"`,
				`<https://w3id.org/innograph/ontology#value> "1320678"^^<http://www.w3.org/2001/XMLSchema#integer>`,
				`<https://w3id.org/innograph/ontology#year> "2019"^^<http://www.w3.org/2001/XMLSchema#gYear>`,
				`<https://w3id.org/innograph/ontology#amount> "3750000"^^<http://www.w3.org/2001/XMLSchema#decimal>`,
				`<https://w3id.org/innograph/ontology#currency> "EUR"`,
				`"Midtjylland"@da`,
			} {
				if !strings.Contains(string(out), want) {
					t.Errorf("%s output lacks %s\n%s", tc.name, want, out)
				}
			}
		})
	}
}

// TestGeneratedUpToDate regenerates terms_gen.go and context.jsonld from the
// merged Turtle and compares them with the committed files.
func TestGeneratedUpToDate(t *testing.T) {
	nt := rapperNT(t, Turtle())
	cfg := termgenConfig()
	terms, err := termgen.Read(cfg, bytes.NewReader(nt))
	if err != nil {
		t.Fatal(err)
	}
	src, err := termgen.GoSource("ontology", terms)
	if err != nil {
		t.Fatal(err)
	}
	ctx, err := termgen.Context(cfg, terms)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("terms_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(src, committed) {
		t.Errorf("terms_gen.go is out of step with the Turtle files: run `go generate ./ontology`")
	}
	if !bytes.Equal(ctx, Context()) {
		t.Errorf("context.jsonld is out of step with the Turtle files: run `go generate ./ontology`")
	}
}

func termgenConfig() termgen.Config {
	var ps [][2]string
	for _, p := range Prefixes() {
		ps = append(ps, [2]string{p.Name, p.NS})
	}
	return termgen.Config{NS: NS, IDBase: IDBase, Prefixes: ps}
}

// TestTermsDocumented checks that every class and property has an English
// label and comment, and that every Go constant names a term of the Turtle.
func TestTermsDocumented(t *testing.T) {
	nt := rapperNT(t, Turtle())
	terms, err := termgen.Read(termgenConfig(), bytes.NewReader(nt))
	if err != nil {
		t.Fatal(err)
	}
	inTurtle := map[quad.IRI]bool{}
	for _, tm := range terms {
		inTurtle[quad.IRI(tm.IRI)] = true
		if tm.Label == "" {
			t.Errorf("%s has no rdfs:label@en", tm.IRI)
		}
		if tm.Comment == "" && tm.Kind != termgen.Individual {
			t.Errorf("%s (%s) has no rdfs:comment@en", tm.IRI, tm.Kind)
		}
		if strings.HasPrefix(tm.IRI, NS) && tm.Kind == termgen.Individual {
			t.Errorf("%s is in the ontology namespace but is not a class or property", tm.IRI)
		}
	}
	for _, tm := range Terms() {
		if !inTurtle[tm.IRI] {
			t.Errorf("Go constant for %s has no definition in the Turtle", tm.IRI)
		}
	}
}

// TestEntitiesTypedAndLabelled applies the acceptance rules to the
// ontology's own triples: every IRI subject has a type and a label, every
// literal that looks like a number has a datatype, every amount a currency.
func TestEntitiesTypedAndLabelled(t *testing.T) {
	qs := triples(t, rapperNT(t, Turtle()))
	typed, labelled := map[quad.Value]bool{}, map[quad.Value]bool{}
	subjects := map[quad.Value]bool{}
	number := regexp.MustCompile(`^[+-]?[0-9]+([.,][0-9]+)?$`)
	for _, q := range qs {
		if _, ok := q.Subject.(quad.IRI); ok {
			subjects[q.Subject] = true
		}
		p, _ := q.Predicate.(quad.IRI)
		switch string(p) {
		case rdfType:
			typed[q.Subject] = true
		case rdfsLabel:
			labelled[q.Subject] = true
		}
		if s, ok := q.Object.(quad.String); ok && number.MatchString(string(s)) {
			t.Errorf("untyped number %q in %v", s, q)
		}
	}
	for s := range subjects {
		if !typed[s] {
			t.Errorf("%v has no rdf:type", s)
		}
		if !labelled[s] {
			t.Errorf("%v has no rdfs:label", s)
		}
	}
}

func TestContextCoversTerms(t *testing.T) {
	var doc struct {
		Context map[string]json.RawMessage `json:"@context"`
	}
	if err := json.Unmarshal(Context(), &doc); err != nil {
		t.Fatalf("context is not JSON: %v", err)
	}
	if string(doc.Context["@version"]) != "1.1" {
		t.Errorf("@version = %s, want 1.1", doc.Context["@version"])
	}
	tests := []struct {
		term     string
		wantID   quad.IRI
		wantType string
	}{
		{"Region", Region, ""},
		{"memberOf", MemberOf, "@id"},
		{"amount", Amount, xsdNamespace + "decimal"},
		{"year", Year, xsdNamespace + "gYear"},
		{"ratingValue", RatingValue, xsdNamespace + "integer"},
		{"currency", Currency, ""},
	}
	for _, tc := range tests {
		t.Run(tc.term, func(t *testing.T) {
			var def struct {
				ID   string `json:"@id"`
				Type string `json:"@type"`
			}
			raw, ok := doc.Context[tc.term]
			if !ok {
				t.Fatalf("context has no term %q", tc.term)
			}
			if err := json.Unmarshal(raw, &def); err != nil {
				t.Fatal(err)
			}
			if quad.IRI(def.ID) != tc.wantID || def.Type != tc.wantType {
				t.Errorf("%s = {@id %s, @type %q}, want {@id %s, @type %q}", tc.term, def.ID, def.Type, tc.wantID, tc.wantType)
			}
		})
	}
	for _, tm := range Terms() {
		local, ok := strings.CutPrefix(string(tm.IRI), NS)
		if !ok {
			continue
		}
		if _, ok := doc.Context[local]; !ok {
			t.Errorf("context has no term for %s", tm.IRI)
		}
	}
}

func TestMerge(t *testing.T) {
	fsys := fstest.MapFS{
		"ext-b.ttl":     {Data: []byte("# b")},
		"innograph.ttl": {Data: []byte("# core\n")},
		"shapes.ttl":    {Data: []byte("# shapes\n")},
		"ext-a.ttl":     {Data: []byte("# a\n")},
	}
	got, err := merge(fsys)
	if err != nil {
		t.Fatal(err)
	}
	want := "# core\n\n# ---- ontology/ext-a.ttl ----\n# a\n\n# ---- ontology/ext-b.ttl ----\n# b\n"
	if string(got) != want {
		t.Errorf("merge = %q, want %q", got, want)
	}
}

func TestTurtleStartsWithCore(t *testing.T) {
	core := mustRead(coreFile)
	if !bytes.HasPrefix(Turtle(), core) {
		t.Errorf("Turtle() does not start with %s", coreFile)
	}
	if bytes.Contains(Turtle(), []byte("sh:NodeShape")) {
		t.Errorf("Turtle() contains the shapes")
	}
}

func TestPrefixes(t *testing.T) {
	seen := map[string]bool{}
	core := string(mustRead(coreFile))
	for _, p := range Prefixes() {
		if seen[p.Name] {
			t.Errorf("prefix %s declared twice", p.Name)
		}
		seen[p.Name] = true
		if !strings.HasSuffix(p.NS, "#") && !strings.HasSuffix(p.NS, "/") {
			t.Errorf("prefix %s: namespace %s ends in neither # nor /", p.Name, p.NS)
		}
		// A prefix innograph.ttl declares must mean the same there.
		re := regexp.MustCompile(`@prefix\s+` + regexp.QuoteMeta(p.Name) + `:\s+<([^>]*)>`)
		if m := re.FindStringSubmatch(core); m != nil && m[1] != p.NS {
			t.Errorf("prefix %s is %s in innograph.ttl, %s in Prefixes", p.Name, m[1], p.NS)
		}
	}
	for _, name := range []string{"ig", "rdf", "rdfs", "owl", "xsd", "skos", "dcterms", "org", "schema", "prov", "foaf", "sh", "region", "organisation", "source"} {
		if !seen[name] {
			t.Errorf("Prefixes lacks %s", name)
		}
	}
	if !strings.Contains(PrefixTurtle(), "@prefix ig: <"+NS+"> .\n") {
		t.Errorf("PrefixTurtle lacks ig")
	}
}
