package shacl_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/graph/rdfio/rdftest"
	"github.com/innograph/innograph/graph/shacl"
)

const (
	mf   = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
	sht  = "http://www.w3.org/ns/shacl-test#"
	sh   = "http://www.w3.org/ns/shacl#"
	rdfT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
)

const suiteDir = "../../testdata/shacl-w3c"

// base is the IRI the test files are read under; relative IRIs in them
// (<>, <minCount-001>) resolve against it.
const base = "http://innograph.test/shacl-w3c/"

// readTurtle reads a file of the suite; its blank nodes get a prefix of
// their own, so the graphs of two files never share one.
func readTurtle(t *testing.T, path string) []quad.Quad {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rel, _ := filepath.Rel(suiteDir, path)
	f, _ := rdfio.Lookup(rdfio.Turtle)
	qs, err := rdfio.ReadAll(data, f, rdfio.ReadOptions{Base: base + filepath.ToSlash(rel), BlankNodePrefix: filepath.ToSlash(rel)}, rdfio.Limits{})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return qs
}

// fileOf maps an IRI of the suite to its file.
func fileOf(iri quad.Value) string {
	return filepath.Join(suiteDir, filepath.FromSlash(strings.TrimPrefix(string(iri.(quad.IRI)), base)))
}

// walk follows mf:include from a manifest and returns the test files.
func walk(t *testing.T, manifest string) []string {
	t.Helper()
	var files []string
	for _, q := range readTurtle(t, manifest) {
		if q.Predicate != quad.IRI(mf+"include") {
			continue
		}
		path := fileOf(q.Object)
		if _, err := os.Stat(path); err != nil {
			t.Fatalf("%s includes %s, which is not copied: %v", manifest, path, err)
		}
		if strings.HasSuffix(path, "manifest.ttl") {
			files = append(files, walk(t, path)...)
		} else {
			files = append(files, path)
		}
	}
	return files
}

// resultKey is what a W3C test compares of a result: focus node, path,
// value, constraint component, source shape and severity. A blank node
// from the test's graphs is written "_:" (labels differ between files),
// a path in SPARQL syntax.
func resultKey(focus quad.Value, path string, value, comp, shape, sev quad.Value) string {
	s := func(v quad.Value) string {
		switch v.(type) {
		case nil:
			return "-"
		case quad.BNode:
			return "_:"
		}
		return v.String()
	}
	if path == "" {
		path = "-"
	}
	return strings.Join([]string{s(focus), path, s(value), s(comp), s(shape), s(sev)}, " | ")
}

// TestW3CCore runs the W3C SHACL Core test suite from its manifests.
func TestW3CCore(t *testing.T) {
	files := walk(t, filepath.Join(suiteDir, "manifest.ttl"))
	suite := rdftest.NewSuite(t, "shacl-core", filepath.Join(suiteDir, "known-failures.txt"))
	for _, file := range files {
		qs := readTurtle(t, file)
		g := shacl.NewGraph(qs)
		var entries []quad.Value
		for _, q := range qs {
			if q.Predicate == quad.IRI(mf+"entries") {
				entries = append(entries, listOf(g, q.Object)...)
			}
		}
		for _, entry := range entries {
			name := strings.TrimSuffix(strings.TrimPrefix(entry.String(), "<"+base), ">")
			suite.Run(t, name, "", func(t *testing.T) error { return runCoreTest(t, g, entry) })
		}
	}
	total, passed := suite.Finish(t)
	rdftest.CheckREADME(t, "../../README.md", "shacl-core", total, passed)
}

func runCoreTest(t *testing.T, g *shacl.Graph, entry quad.Value) error {
	if !isA(g, entry, sht+"Validate") {
		return fmt.Errorf("%v is not an sht:Validate test", entry)
	}
	action := one(g, entry, mf+"action")
	dataQs := readTurtle(t, fileOf(one(g, action, sht+"dataGraph")))
	shapeQs := readTurtle(t, fileOf(one(g, action, sht+"shapesGraph")))
	shapes, err := shacl.New(shapeQs)
	if err != nil {
		return err
	}
	want := one(g, entry, mf+"result")
	wantConforms := lexical(one(g, want, sh+"conforms")) == "true"
	var wantKeys []string
	for _, r := range g.Objects(want, quad.IRI(sh+"result")) {
		path := ""
		if p := one(g, r, sh+"resultPath"); p != nil {
			path = shacl.FormatPath(g, p)
		}
		wantKeys = append(wantKeys, resultKey(one(g, r, sh+"focusNode"), path, one(g, r, sh+"value"),
			one(g, r, sh+"sourceConstraintComponent"), one(g, r, sh+"sourceShape"), one(g, r, sh+"resultSeverity")))
	}
	rep := shapes.Validate(shacl.NewGraph(dataQs), nil)
	var gotKeys []string
	for _, r := range rep.Results {
		gotKeys = append(gotKeys, resultKey(r.Focus, r.PathText(), r.Value, r.Component, r.Shape, r.Severity))
	}
	sort.Strings(wantKeys)
	sort.Strings(gotKeys)
	if rep.Conforms != wantConforms || strings.Join(gotKeys, "\n") != strings.Join(wantKeys, "\n") {
		return fmt.Errorf("conforms = %v, want %v\nresults:\n  %s\nwant:\n  %s", rep.Conforms, wantConforms,
			strings.Join(gotKeys, "\n  "), strings.Join(wantKeys, "\n  "))
	}
	return nil
}

func one(g *shacl.Graph, s quad.Value, p string) quad.Value {
	if vs := g.Objects(s, quad.IRI(p)); len(vs) > 0 {
		return vs[0]
	}
	return nil
}

func isA(g *shacl.Graph, s quad.Value, class string) bool {
	for _, c := range g.Objects(s, quad.IRI(rdfT)) {
		if c == quad.IRI(class) {
			return true
		}
	}
	return false
}

func listOf(g *shacl.Graph, head quad.Value) []quad.Value {
	const rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	var out []quad.Value
	for i := 0; head != nil && head != quad.IRI(rdf+"nil") && i < 1000; i++ {
		if f := one(g, head, rdf+"first"); f != nil {
			out = append(out, f)
		}
		head = one(g, head, rdf+"rest")
	}
	return out
}

func lexical(v quad.Value) string {
	switch t := v.(type) {
	case quad.TypedString:
		return string(t.Value)
	case quad.String:
		return string(t)
	}
	return ""
}
