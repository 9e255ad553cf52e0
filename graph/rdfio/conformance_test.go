package rdfio

import (
	"errors"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/rdfio/rdftest"
)

// The W3C RDF 1.1 suites, copied under testdata/w3c (see its README). Each
// manifest is read with our own Turtle parser.
var w3cSuites = []string{"rdf-turtle", "rdf-trig", "rdf-n-triples", "rdf-n-quads"}

// w3cSkip lists the tests we knowingly fail, by mf:name, with the reason.
// Keep it in step with testdata/w3c/README.md.
var w3cSkip = map[string]string{}

const (
	mfNS   = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
	rdftNS = "http://www.w3.org/ns/rdftest#"
)

// manifestTest is one entry of a manifest.
type manifestTest struct {
	name, typ      string // typ without the rdft: namespace
	action, result string // file names in the suite directory
}

func readAll(t testing.TB, file string, f Format, base string) ([]quad.Quad, error) {
	t.Helper()
	fh, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	r, err := NewReader(fh, f, ReadOptions{Base: base})
	if err != nil {
		t.Fatal(err)
	}
	var qs []quad.Quad
	for {
		q, err := r.ReadQuad()
		if errors.Is(err, io.EOF) {
			return qs, nil
		}
		if err != nil {
			return qs, err
		}
		qs = append(qs, q)
	}
}

func mustFormat(t testing.TB, name string) Format {
	t.Helper()
	f, ok := Lookup(name)
	if !ok {
		t.Fatalf("format %q not registered", name)
	}
	return f
}

// readManifest parses dir/manifest.ttl and returns its assumed test base and
// its entries in order.
func readManifest(t *testing.T, dir string) (base string, tests []manifestTest) {
	t.Helper()
	self := "file:///w3c/" + filepath.Base(dir) + "/manifest.ttl"
	qs, err := readAll(t, filepath.Join(dir, "manifest.ttl"), mustFormat(t, Turtle), self)
	if err != nil {
		t.Fatalf("read manifest: %v", err)
	}
	props := make(map[quad.Value]map[quad.IRI][]quad.Value)
	for _, q := range qs {
		if props[q.Subject] == nil {
			props[q.Subject] = make(map[quad.IRI][]quad.Value)
		}
		pr := q.Predicate.(quad.IRI)
		props[q.Subject][pr] = append(props[q.Subject][pr], q.Object)
	}
	one := func(s quad.Value, p quad.IRI) quad.Value {
		if vs := props[s][p]; len(vs) > 0 {
			return vs[0]
		}
		return nil
	}
	file := func(v quad.Value) string {
		if iri, ok := v.(quad.IRI); ok {
			return path.Base(string(iri))
		}
		return ""
	}
	m := quad.IRI(self)
	// The line-format manifests state no base: their tests hold only
	// absolute IRIs.
	b, _ := one(m, mfNS+"assumedTestBase").(quad.IRI)
	for l := one(m, mfNS+"entries"); l != nil && l != ttlRDFNil; l = one(l, ttlRDFRest) {
		e := one(l, ttlRDFFirst)
		name, _ := one(e, mfNS+"name").(quad.String)
		typ, _ := one(e, ttlRDFType).(quad.IRI)
		tests = append(tests, manifestTest{
			name:   string(name),
			typ:    strings.TrimPrefix(string(typ), rdftNS),
			action: file(one(e, mfNS+"action")),
			result: file(one(e, mfNS+"result")),
		})
	}
	if len(tests) == 0 {
		t.Fatalf("manifest %s lists no tests", dir)
	}
	return string(b), tests
}

func TestW3CConformance(t *testing.T) {
	for _, suite := range w3cSuites {
		t.Run(suite, func(t *testing.T) {
			dir := filepath.Join("..", "..", "testdata", "w3c", suite)
			base, tests := readManifest(t, dir)
			pass := 0
			for _, tc := range tests {
				if t.Run(tc.name, func(t *testing.T) { runW3CTest(t, dir, base, tc) }) {
					pass++
				}
			}
			t.Logf("%s: %d/%d passed (%d skipped as documented)", suite, pass, len(tests), countSkips(tests))
			rdftest.CheckREADME(t, "../../README.md", suite, len(tests), pass)
		})
	}
}

func countSkips(tests []manifestTest) int {
	n := 0
	for _, tc := range tests {
		if _, ok := w3cSkip[tc.name]; ok {
			n++
		}
	}
	return n
}

func runW3CTest(t *testing.T, dir, base string, tc manifestTest) {
	if why, ok := w3cSkip[tc.name]; ok {
		t.Skip(why)
	}
	var format string
	switch {
	case strings.HasPrefix(tc.typ, "TestTurtle"):
		format = Turtle
	case strings.HasPrefix(tc.typ, "TestTrig"):
		format = TriG
	case strings.HasPrefix(tc.typ, "TestNTriples"):
		format = NTriples
	case strings.HasPrefix(tc.typ, "TestNQuads"):
		format = NQuads
	default:
		t.Fatalf("unknown test type %q", tc.typ)
	}
	got, err := readAll(t, filepath.Join(dir, tc.action), mustFormat(t, format), base+tc.action)
	switch {
	case strings.HasSuffix(tc.typ, "NegativeSyntax"), strings.HasSuffix(tc.typ, "NegativeEval"):
		if err == nil {
			t.Fatalf("%s: accepted %d quads, want a syntax error", tc.action, len(got))
		}
		var se *SyntaxError
		if !errors.As(err, &se) || se.Line < 1 || se.Col < 1 {
			t.Errorf("%s: error %v is not a located *SyntaxError", tc.action, err)
		}
		return
	case err != nil:
		t.Fatalf("%s: %v", tc.action, err)
	case strings.HasSuffix(tc.typ, "Eval"):
		rf := NTriples
		if strings.HasSuffix(tc.result, ".nq") {
			rf = NQuads
		}
		want, err := readAll(t, filepath.Join(dir, tc.result), mustFormat(t, rf), "")
		if err != nil {
			t.Fatalf("expected result %s: %v", tc.result, err)
		}
		if g, w := rdftest.Canonical(got), rdftest.Canonical(want); g != w {
			t.Errorf("%s: graphs differ\n got:\n%s\nwant:\n%s", tc.action, g, w)
		}
	}
}
