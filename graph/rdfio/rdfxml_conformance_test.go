package rdfio

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/rdfio/rdftest"
)

// rdfxmlTest is one entry of the RDF/XML manifest; action and result are
// paths relative to the suite (the suite has one folder per topic).
type rdfxmlTest struct {
	name, typ, action, result string
}

// readRDFXMLManifest reads testdata/w3c/rdf-xml/manifest.ttl with our
// Turtle reader and returns the assumed test base and the entries.
func readRDFXMLManifest(t *testing.T, dir string) (string, []rdfxmlTest) {
	t.Helper()
	const self = "https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-xml/manifest.ttl"
	qs, err := readAll(t, filepath.Join(dir, "manifest.ttl"), mustFormat(t, Turtle), self)
	if err != nil {
		t.Fatalf("read manifest: %v", err)
	}
	props := map[quad.Value]map[quad.IRI]quad.Value{}
	for _, q := range qs {
		if props[q.Subject] == nil {
			props[q.Subject] = map[quad.IRI]quad.Value{}
		}
		props[q.Subject][q.Predicate.(quad.IRI)] = q.Object
	}
	base, _ := props[quad.IRI(self)][mfNS+"assumedTestBase"].(quad.IRI)
	if base == "" {
		t.Fatal("manifest states no mf:assumedTestBase")
	}
	rel := func(v quad.Value) string {
		iri, _ := v.(quad.IRI)
		return strings.TrimPrefix(string(iri), string(base))
	}
	var tests []rdfxmlTest
	for l := props[quad.IRI(self)][mfNS+"entries"]; l != nil && l != ttlRDFNil; l = props[l][ttlRDFRest] {
		e := props[l][ttlRDFFirst]
		name, _ := props[e][mfNS+"name"].(quad.String)
		typ, _ := props[e][ttlRDFType].(quad.IRI)
		tests = append(tests, rdfxmlTest{
			name:   string(name),
			typ:    strings.TrimPrefix(string(typ), rdftNS),
			action: rel(props[e][mfNS+"action"]),
			result: rel(props[e][mfNS+"result"]),
		})
	}
	return string(base), tests
}

// TestRDFXMLConformance runs the W3C RDF 1.1 RDF/XML suite: every
// evaluation test must give a graph isomorphic to its expected N-Triples,
// every negative syntax test a located *SyntaxError. Nothing is skipped.
func TestRDFXMLConformance(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "w3c", "rdf-xml")
	base, tests := readRDFXMLManifest(t, dir)
	pass, eval, neg := 0, 0, 0
	for _, tc := range tests {
		switch tc.typ {
		case "TestXMLEval":
			eval++
		case "TestXMLNegativeSyntax":
			neg++
		default:
			t.Fatalf("%s: unknown test type %q", tc.name, tc.typ)
		}
		ok := t.Run(tc.name, func(t *testing.T) {
			got, err := readAll(t, filepath.Join(dir, tc.action), mustFormat(t, RDFXML), base+tc.action)
			if tc.typ == "TestXMLNegativeSyntax" {
				var se *SyntaxError
				if err == nil {
					t.Fatalf("%s: accepted %d quads, want a syntax error", tc.action, len(got))
				}
				if !errors.As(err, &se) || se.Line < 1 {
					t.Errorf("%s: error %v is not a located *SyntaxError", tc.action, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", tc.action, err)
			}
			want, err := readAll(t, filepath.Join(dir, tc.result), mustFormat(t, NTriples), "")
			if err != nil {
				t.Fatalf("expected result %s: %v", tc.result, err)
			}
			if g, w := rdftest.Canonical(got), rdftest.Canonical(want); g != w {
				t.Errorf("%s: graphs differ\n got:\n%s\nwant:\n%s", tc.action, g, w)
			}
		})
		if ok {
			pass++
		}
	}
	if eval == 0 || neg == 0 {
		t.Fatalf("manifest has %d eval and %d negative tests", eval, neg)
	}
	t.Logf("RDF/XML: %d/%d passed (%d eval, %d negative syntax)", pass, len(tests), eval, neg)
}

// rdflibBatchScript, run as python3 -c rdflibBatchScript FORMAT FILE...,
// parses each file in rdflib's FORMAT and prints "# FILE" and then its
// triples as N-Triples, so one interpreter reads them all.
const rdflibBatchScript = `
import sys, rdflib
rdflib.NORMALIZE_LITERALS = False
def nt(v):
    if not isinstance(v, rdflib.Literal):
        return v.n3()
    e = str(v).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if v.language:
        return '"%s"@%s' % (e, v.language)
    if v.datatype:
        return '"%s"^^<%s>' % (e, v.datatype)
    return '"%s"' % e
fmt = sys.argv[1]
for path in sys.argv[2:]:
    g = rdflib.Graph()
    g.parse(path, format=fmt, publicID="http://example.org/base")
    sys.stdout.write("# %s\n" % path)
    for s, p, o in g:
        sys.stdout.write("%s %s %s .\n" % (nt(s), nt(p), nt(o)))
`

// TestRDFXMLWriteW3C writes the expected graph of every RDF/XML evaluation
// test as RDF/XML and reads it back with our reader, rapper and rdflib:
// each must give the same graph.
func TestRDFXMLWriteW3C(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "w3c", "rdf-xml")
	_, tests := readRDFXMLManifest(t, dir)
	tmp := t.TempDir()
	rdfxml := mustFormat(t, RDFXML)
	want := map[string]string{} // written file -> canonical expected graph
	var files []string
	for _, tc := range tests {
		if tc.typ != "TestXMLEval" {
			continue
		}
		qs, err := readAll(t, filepath.Join(dir, tc.result), mustFormat(t, NTriples), "")
		if err != nil {
			t.Fatalf("%s: %v", tc.result, err)
		}
		out := encode(t, qs, rdfxml, WriteOptions{Prefixes: []Prefix{{Name: "ex", IRI: "http://example.org/"}}})
		back, err := decodeAll(bytes.NewReader(out), rdfxml, ReadOptions{})
		if err != nil {
			t.Errorf("%s: our reader rejects our output: %v\n%s", tc.name, err, out)
			continue
		}
		if g, w := rdftest.Canonical(back), rdftest.Canonical(qs); g != w {
			t.Errorf("%s: our reader reads another graph\n got:\n%s\nwant:\n%s", tc.name, g, w)
		}
		file := filepath.Join(tmp, tc.name+".rdf")
		if err := os.WriteFile(file, out, 0o600); err != nil {
			t.Fatal(err)
		}
		want[file] = rdftest.Canonical(qs)
		files = append(files, file)
	}
	t.Run("rapper", func(t *testing.T) {
		rdftest.RequireTool(t, rdftest.Rapper)
		for _, file := range files {
			// rapper exits 2 after warnings (rdf:foo is an unknown RDF
			// name, which the suite means to be accepted).
			out, err := exec.Command(rdftest.Rapper, "-q", "-i", "rdfxml", "-o", "ntriples", file, "http://example.org/base").Output()
			var ee *exec.ExitError
			if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 2) {
				t.Fatalf("rapper %s: %v", filepath.Base(file), err)
			}
			got, err := decodeAll(bytes.NewReader(out), mustFormat(t, NTriples), ReadOptions{})
			if err != nil {
				t.Fatalf("rapper output for %s: %v", file, err)
			}
			if g := rdftest.Canonical(got); g != want[file] {
				t.Errorf("rapper reads %s as another graph\n got:\n%s\nwant:\n%s", filepath.Base(file), g, want[file])
			}
		}
	})
	t.Run("rdflib", func(t *testing.T) {
		rdftest.RequirePython(t, "rdflib")
		out := rdftest.Run(t, nil, rdftest.Python, append([]string{"-c", rdflibBatchScript, "xml"}, files...)...)
		parts := strings.Split(string(out), "# ")
		seen := 0
		for _, part := range parts[1:] {
			file, body, _ := strings.Cut(part, "\n")
			got, err := decodeAll(strings.NewReader(body), mustFormat(t, NTriples), ReadOptions{})
			if err != nil {
				t.Fatalf("rdflib output for %s: %v\n%s", file, err, body)
			}
			seen++
			if g := rdftest.Canonical(got); g != want[file] {
				t.Errorf("rdflib reads %s as another graph\n got:\n%s\nwant:\n%s", filepath.Base(file), g, want[file])
			}
		}
		if seen != len(files) {
			t.Errorf("rdflib read %d of %d files", seen, len(files))
		}
	})
}

func BenchmarkWriteRDFXML(b *testing.B) {
	benchmarkWrite(b, RDFXML, WriteOptions{Prefixes: benchPrefixes}, 100_000)
}

// BenchmarkReadRDFXML reads 100,000 quads written as RDF/XML;
// BenchmarkReadTurtleSameData reads the same data in Turtle, for scale.
func BenchmarkReadRDFXML(b *testing.B) { benchmarkRead(b, RDFXML) }

func BenchmarkReadTurtleSameData(b *testing.B) { benchmarkRead(b, Turtle) }

func benchmarkRead(b *testing.B, format string) {
	f := mustFormat(b, format)
	data := encode(b, benchQuads(100_000), f, WriteOptions{Prefixes: benchPrefixes})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		qs, err := decodeAll(bytes.NewReader(data), f, ReadOptions{BlankNodePrefix: "b"})
		if err != nil {
			b.Fatal(err)
		}
		n += len(qs)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "quads/s")
}
