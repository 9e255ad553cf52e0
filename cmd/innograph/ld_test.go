package main

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/graph/rdfio/rdftest"
)

const trigDoc = `@prefix ex: <https://example.org/> .
@prefix ig: <https://w3id.org/innograph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:g1 {
  ex:r a ig:Region ; rdfs:label "Rëgion"@da ; ig:amount [ ig:currency "EUR" ; ig:amount "1.50"^^<http://www.w3.org/2001/XMLSchema#decimal> ] .
  ex:c a ig:Company ; ig:locatedIn ex:r .
}
ex:g2 { ex:c rdfs:label "C \"quoted\"" . }
`

const jsonldDoc = `{
  "@context": {"ex": "https://example.org/", "ig": "https://w3id.org/innograph/ontology#",
    "label": "http://www.w3.org/2000/01/rdf-schema#label", "locatedIn": {"@id": "ig:locatedIn", "@type": "@id"}},
  "@id": "ex:g3",
  "@graph": [
    {"@id": "ex:u", "@type": "ig:University", "label": {"@value": "Uni", "@language": "en"}, "locatedIn": "ex:r"},
    {"@id": "_:b", "label": "blank"}
  ]
}`

func parseNQuads(t *testing.T, data []byte) []quad.Quad {
	t.Helper()
	f, _ := rdfio.Lookup(rdfio.NQuads)
	r, err := rdfio.NewReader(bytes.NewReader(data), f, rdfio.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var out []quad.Quad
	for {
		q, err := r.ReadQuad()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("%v\n%s", err, data)
		}
		out = append(out, q)
	}
}

// TestLoadTriGAndJSONLD loads a TriG and a JSON-LD file with "innograph
// load" and checks that "innograph export" gives back what rapper and pyld
// read from the same files, as graphs; and that export -type selects one
// class's descriptions.
func TestLoadTriGAndJSONLD(t *testing.T) {
	rdftest.RequireTool(t, rdftest.Rapper)
	rdftest.RequirePython(t, "pyld")
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	trig, jsonld := filepath.Join(dir, "a.trig"), filepath.Join(dir, "b.jsonld")
	os.WriteFile(trig, []byte(trigDoc), 0o600)
	os.WriteFile(jsonld, []byte(jsonldDoc), 0o600)
	if _, stderr, err := runCmd(t, nil, "", "load", "-data", data, trig, jsonld); err != nil {
		t.Fatalf("load: %v\n%s", err, stderr)
	}
	want := parseNQuads(t, rdftest.Run(t, strings.NewReader(trigDoc), rdftest.Rapper, rdftest.RapperArgs("trig", "https://example.org/")...))
	want = append(want, parseNQuads(t, rdftest.Run(t, strings.NewReader(jsonldDoc), rdftest.Python, "-c", rdftest.PyLDScript, "https://unused.example/", jsonld))...)
	out, stderr, err := runCmd(t, nil, "", "export", "-data", data, "-format", "nquads")
	if err != nil {
		t.Fatalf("export: %v\n%s", err, stderr)
	}
	got := parseNQuads(t, []byte(out))
	if g, w := rdftest.Canonical(got), rdftest.Canonical(want); g != w {
		t.Errorf("export after load differs from the files as rapper and pyld read them\n got:\n%s\nwant:\n%s", g, w)
	}

	out, stderr, err = runCmd(t, nil, "", "export", "-data", data, "-format", "nquads", "-type", "ig:Region")
	if err != nil {
		t.Fatalf("export -type: %v\n%s", err, stderr)
	}
	var region []quad.Quad
	for _, q := range want {
		if q.Subject == quad.IRI("https://example.org/r") || q.Label == quad.IRI("https://example.org/g1") && isBlank(q.Subject) {
			region = append(region, q)
		}
	}
	if g, w := rdftest.Canonical(parseNQuads(t, []byte(out))), rdftest.Canonical(region); g != w {
		t.Errorf("export -type ig:Region\n got:\n%s\nwant:\n%s", g, w)
	}
}

func isBlank(v quad.Value) bool { _, ok := v.(quad.BNode); return ok }

// TestCORSOrigins: -cors-origins limits which origins may read.
func TestCORSOrigins(t *testing.T) {
	srv := startServer(t, "-backend", "memory", "-cors-origins", "https://a.example, https://b.example")
	for origin, want := range map[string]string{"https://b.example": "https://b.example", "https://c.example": ""} {
		req, _ := http.NewRequest("GET", srv.url+"/ontology", nil)
		req.Header.Set("Origin", origin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != want {
			t.Errorf("Origin %s: Access-Control-Allow-Origin = %q, want %q", origin, got, want)
		}
	}
}
