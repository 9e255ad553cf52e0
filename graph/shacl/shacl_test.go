package shacl_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/graph/shacl"
)

const (
	mf  = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
	sht = "http://www.w3.org/ns/shacl-test#"
	sh  = "http://www.w3.org/ns/shacl#"
)

const suiteDir = "../../testdata/shacl-w3c"

// base is the IRI the test files are read under; relative IRIs in them
// (<>, <minCount-001>) resolve against it.
const base = "http://innograph.test/shacl-w3c/"

func readTurtle(t *testing.T, path string) []quad.Quad {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rel, _ := filepath.Rel(suiteDir, path)
	f, _ := rdfio.Lookup(rdfio.Turtle)
	qs, err := rdfio.ReadAll(data, f, rdfio.ReadOptions{Base: base + filepath.ToSlash(rel), BlankNodePrefix: "t"}, rdfio.Limits{})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return qs
}

// walk follows mf:include from a manifest and returns the test files.
func walk(t *testing.T, manifest string, missing *[]string) []string {
	t.Helper()
	var files []string
	for _, q := range readTurtle(t, manifest) {
		if q.Predicate != quad.IRI(mf+"include") {
			continue
		}
		iri := string(q.Object.(quad.IRI))
		path := filepath.Join(suiteDir, filepath.FromSlash(strings.TrimPrefix(iri, base)))
		if _, err := os.Stat(path); err != nil {
			*missing = append(*missing, strings.TrimPrefix(iri, base))
			continue
		}
		if strings.HasSuffix(path, "manifest.ttl") {
			files = append(files, walk(t, path, missing)...)
		} else {
			files = append(files, path)
		}
	}
	return files
}

// resultKey is what a W3C test compares of a result.
func resultKey(focus, path, value, comp, shape, sev quad.Value) string {
	s := func(v quad.Value) string {
		if v == nil {
			return "-"
		}
		return v.String()
	}
	return strings.Join([]string{s(focus), s(path), s(value), s(comp), s(shape), s(sev)}, " | ")
}

// TestW3CCore runs every copied W3C SHACL Core test: each file is data
// graph, shapes graph and expected report at once.
func TestW3CCore(t *testing.T) {
	var missing []string
	files := walk(t, filepath.Join(suiteDir, "manifest.ttl"), &missing)
	if len(files) < 10 {
		t.Fatalf("only %d test files found under %s", len(files), suiteDir)
	}
	ran := 0
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
			name := strings.TrimPrefix(entry.String(), "<"+base)
			t.Run(strings.TrimSuffix(name, ">"), func(t *testing.T) {
				if !isA(g, entry, sht+"Validate") {
					t.Skipf("not a validation test")
				}
				action := one(g, entry, mf+"action")
				if one(g, action, sht+"dataGraph") != one(g, action, sht+"shapesGraph") {
					t.Fatalf("test uses separate data and shapes graphs, which this runner does not read")
				}
				want := one(g, entry, mf+"result")
				wantConforms := lexical(one(g, want, sh+"conforms")) == "true"
				var wantKeys []string
				for _, r := range g.Objects(want, quad.IRI(sh+"result")) {
					wantKeys = append(wantKeys, resultKey(one(g, r, sh+"focusNode"), one(g, r, sh+"resultPath"), one(g, r, sh+"value"),
						one(g, r, sh+"sourceConstraintComponent"), one(g, r, sh+"sourceShape"), one(g, r, sh+"resultSeverity")))
				}
				shapes, err := shacl.New(qs)
				if err != nil {
					t.Fatal(err)
				}
				rep := shapes.Validate(g, nil)
				var gotKeys []string
				for _, r := range rep.Results {
					gotKeys = append(gotKeys, resultKey(r.Focus, r.Path, r.Value, r.Component, r.Shape, r.Severity))
				}
				sort.Strings(wantKeys)
				sort.Strings(gotKeys)
				if rep.Conforms != wantConforms || strings.Join(gotKeys, "\n") != strings.Join(wantKeys, "\n") {
					t.Errorf("conforms = %v, want %v\nresults:\n  %s\nwant:\n  %s", rep.Conforms, wantConforms,
						strings.Join(gotKeys, "\n  "), strings.Join(wantKeys, "\n  "))
				}
			})
			ran++
		}
	}
	t.Logf("ran %d W3C SHACL Core tests; %d listed in the manifests but not copied: %v", ran, len(missing), missing)
}

func one(g *shacl.Graph, s quad.Value, p string) quad.Value {
	if vs := g.Objects(s, quad.IRI(p)); len(vs) > 0 {
		return vs[0]
	}
	return nil
}

func isA(g *shacl.Graph, s quad.Value, class string) bool {
	for _, c := range g.Objects(s, quad.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")) {
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
