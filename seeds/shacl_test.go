package seeds

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/innograph/innograph/ontology"
)

// shaclDir holds the node script that runs rdf-validate-shacl, a SHACL
// implementation that shares nothing with innograph, and its lock file;
// .ci/run installs its node_modules with npm ci.
const shaclDir = "../testdata/shacl"

// requireSHACL returns the path of node, skipping locally and failing under
// CI=true when node or the validator's node_modules are missing.
func requireSHACL(tb testing.TB) string {
	tb.Helper()
	missing := func(format string, args ...any) {
		tb.Helper()
		if os.Getenv("CI") == "true" {
			tb.Fatalf("CI=true: "+format, args...)
		}
		tb.Skipf(format, args...)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node not installed: %v", err)
	}
	// Stat the installed validator and the lock file it comes from so that
	// go test's cache sees a change; the script is read by runSHACL.
	for _, f := range []string{"node_modules/rdf-validate-shacl/package.json", "package-lock.json"} {
		if _, err := os.Stat(filepath.Join(shaclDir, f)); err != nil {
			missing("rdf-validate-shacl not installed (npm ci --prefix testdata/shacl): %v", err)
		}
	}
	return node
}

// runSHACL validates the data files (the ontology among them) against
// ontology.Shapes() and returns whether they conform and the report.
func runSHACL(tb testing.TB, node string, data map[string][]byte) (bool, string) {
	tb.Helper()
	dir := tb.TempDir()
	write := func(name string, b []byte) string {
		tb.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			tb.Fatal(err)
		}
		return p
	}
	// The script runs where it is, next to its node_modules; reading it
	// lets go test's cache see a change to it.
	script := filepath.Join(shaclDir, "validate.mjs")
	if _, err := os.ReadFile(script); err != nil {
		tb.Fatal(err)
	}
	onto := write("ontology.ttl", ontology.Turtle())
	args := []string{script,
		"--import", "https://w3id.org/innograph/ontology=" + onto,
		write("shapes.ttl", ontology.Shapes()), onto}
	for name, b := range data {
		args = append(args, write(name, b))
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(node, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != 0 && code != 1 {
		tb.Fatalf("validate.mjs: %v\n%s%s", err, stdout.String(), stderr.String())
	}
	if stderr.Len() > 0 {
		tb.Fatalf("validate.mjs printed to stderr:\n%s", stderr.String())
	}
	return err == nil, stdout.String()
}

// TestSeedGraphConformsToShapes validates the union of the five seed graphs
// and the ontology against the shapes with rdf-validate-shacl. The other
// cases are data the shapes must reject, so that a validator that accepts
// everything fails the test.
func TestSeedGraphConformsToShapes(t *testing.T) {
	node := requireSHACL(t)
	seed := map[string][]byte{}
	for _, g := range Graphs() {
		seed[filepath.Base(g.File)] = g.Data
	}
	if len(seed) != 5 {
		t.Fatalf("Graphs() = %d graphs, want the five source documents'", len(seed))
	}
	const prefixes = "@prefix ig: <https://w3id.org/innograph/ontology#> .\n" +
		"@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n" +
		"@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n" +
		"@prefix id: <https://w3id.org/innograph/id/> .\n"
	bad := func(ttl string) map[string][]byte { return map[string][]byte{"bad.ttl": []byte(prefixes + ttl)} }
	tests := []struct {
		name     string
		data     map[string][]byte
		conforms bool
		report   string // a substring of the report when it does not conform
	}{
		{"seed graph", seed, true, ""},
		{"amount without currency", bad(`id:x a ig:MonetaryAmount ; rdfs:label "x" ; ig:amount "3"^^xsd:decimal .`), false, "ontology#currency"},
		{"untyped amount", bad(`id:x a ig:MonetaryAmount ; rdfs:label "x" ; ig:amount "3" ; ig:currency "EUR" .`), false, "XMLSchema#decimal"},
		{"entity without label", bad(`id:x a ig:University .`), false, "rdf-schema#label"},
		{"label without type", bad(`id:x rdfs:label "x" .`), false, "rdf-syntax-ns#type"},
		{"region without NUTS code", bad(`id:x a ig:Region ; rdfs:label "x" .`), false, "ontology#nutsCode"},
		{"award ending before it starts", bad(`id:x a ig:FundingAward ; rdfs:label "x" ; ig:recipient id:y ; ig:startYear "2026"^^xsd:gYear ; ig:endYear "2023"^^xsd:gYear .
			id:y a ig:Organisation ; rdfs:label "y" .`), false, "LessThanOrEquals"},
		{"award for nothing stated", bad(`id:x a ig:FundingAward ; rdfs:label "x" ; ig:funder id:y .
			id:y a ig:Funder ; rdfs:label "y" .`), false, "shapes#FundingAwardShape"},
		{"funder funding nothing", bad(`id:x a ig:Funder ; rdfs:label "x" .`), false, "shapes#FunderShape"},
		{"observation value without unit", bad(`id:x a ig:IndicatorObservation ; rdfs:label "x" ; ig:refArea id:r ; ig:indicator id:i ; ig:value "3"^^xsd:integer .`), false, "shapes#IndicatorObservationShape"},
		{"authority governing nothing", bad(`id:x a ig:RegionalAuthority ; rdfs:label "x" .`), false, "ontology#governs"},
		{"source document without description", bad(`id:x a ig:SourceDocument ; rdfs:label "x" ; <http://purl.org/dc/terms/title> "x" ; <http://purl.org/dc/terms/language> "en" ; ig:sourceFile "seeds/sources/x.txt" .`), false, "dc/terms/description"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ok, report := runSHACL(t, node, tc.data)
			if ok != tc.conforms {
				t.Fatalf("conforms = %v, want %v; report:\n%s", ok, tc.conforms, report)
			}
			if !ok && !strings.Contains(report, tc.report) {
				t.Errorf("report does not mention %s:\n%s", tc.report, report)
			}
		})
	}
}
