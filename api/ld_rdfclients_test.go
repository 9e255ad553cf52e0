package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/api"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/graph/rdfio/rdftest"
)

// TestNegotiationForRDFClients checks that a client which accepts RDF at
// all gets RDF, unless it names text/html above every RDF type it accepts:
// the Accept headers of rdflib 6 for each format it names, of browsers, and
// the edge cases between.
func TestNegotiationForRDFClients(t *testing.T) {
	srv, _ := seedServer(t, api.Config{})
	for _, tc := range []struct{ who, accept, want string }{
		{"rdflib default", "application/rdf+xml,text/rdf+n3;q=0.9,application/xhtml+xml;q=0.5, */*;q=0.1", "application/rdf+xml"},
		{"rdflib xml", "application/rdf+xml, */*;q=0.1", "application/rdf+xml"},
		{"rdflib n3", "text/n3, */*;q=0.1", "text/turtle"},
		{"rdflib turtle", "text/turtle,application/x-turtle, */*;q=0.1", "text/turtle"},
		{"rdflib nt", "text/plain, */*;q=0.1", "application/n-triples"},
		{"rdflib json-ld", "application/ld+json, application/json;q=0.9, */*;q=0.1", "application/ld+json"},
		{"RDFa client, RDF through */*", "application/xhtml+xml;q=0.5, */*;q=0.1", "text/turtle"},
		{"old rdflib, no RDF/XML", "text/rdf+n3;q=0.9, application/xhtml+xml;q=0.5, */*;q=0.1", "text/turtle"},
		{"XHTML only", "application/xhtml+xml", "text/html"},
		{"Chrome", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8", "text/html"},
		{"Firefox", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"},
		{"HTML preferred to Turtle", "text/html, text/turtle;q=0.5", "text/html"},
		{"Turtle preferred to HTML", "text/html;q=0.5, text/turtle", "text/turtle"},
		{"tie", "text/html, text/turtle", "text/turtle"},
		{"curl", "*/*", "text/turtle"},
	} {
		t.Run(tc.who, func(t *testing.T) {
			resp, body := fetch(t, "GET", srv.URL+"/doc/region/dk04", map[string]string{"Accept": tc.accept})
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.want) {
				t.Fatalf("Accept %q = %d %q, want %s", tc.accept, resp.StatusCode, resp.Header.Get("Content-Type"), tc.want)
			}
			if tc.want == "text/html" {
				return
			}
			f, _ := rdfio.Lookup(tc.want)
			if len(readRDF(t, body, f)) == 0 {
				t.Errorf("no quads in the %s answer", tc.want)
			}
		})
	}
}

// TestEncodedSlashes: %2F in /doc and /id paths means "/", as in the
// entity API, so OpenAPI-generated clients reach the same resource.
func TestEncodedSlashes(t *testing.T) {
	srv, _ := seedServer(t, api.Config{})
	_, plain := fetch(t, "GET", srv.URL+"/doc/region/dk04", map[string]string{"Accept": "application/n-quads"})
	for _, path := range []string{"/doc/region%2Fdk04", "/doc/region%2fdk04"} {
		resp, body := fetch(t, "GET", srv.URL+path, map[string]string{"Accept": "application/n-quads"})
		if resp.StatusCode != 200 || string(body) != string(plain) {
			t.Errorf("GET %s = %d, want the document of /doc/region/dk04", path, resp.StatusCode)
		}
	}
	resp, _ := fetch(t, "GET", srv.URL+"/id/region%2Fdk04", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("GET /id/region%%2Fdk04 = %d, want 303", resp.StatusCode)
	}
	if r, _ := fetch(t, "GET", srv.URL+resp.Header.Get("Location"), map[string]string{"Accept": "text/turtle"}); r.StatusCode != 200 {
		t.Errorf("its Location %s = %d, want 200", resp.Header.Get("Location"), r.StatusCode)
	}
}

// TestRDFXMLWrite stores an RDF/XML body through the Graph Store Protocol
// and reads the graph back as RDF/XML.
func TestRDFXMLWrite(t *testing.T) {
	srv, store, _ := newWriteServer(t, api.Config{WriteTokens: mustTokens(t, "curator:"+writeSecret)})
	const doc = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"
    xmlns:ex="https://example.org/">
  <ex:Thing rdf:about="https://example.org/x">
    <rdfs:label xml:lang="en">X &amp; Y</rdfs:label>
    <rdfs:seeAlso rdf:resource="https://example.org/y"/>
  </ex:Thing>
</rdf:RDF>`
	resp, b := do(t, srv, req{method: "PUT", path: graphPath("https://example.org/g"), ctype: "application/rdf+xml", token: writeSecret, body: doc})
	if resp.StatusCode != 201 {
		t.Fatalf("PUT RDF/XML = %d %s", resp.StatusCode, b)
	}
	g := quad.IRI("https://example.org/g")
	want := []quad.Quad{
		{Subject: quad.IRI("https://example.org/x"), Predicate: quad.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), Object: quad.IRI("https://example.org/Thing"), Label: g},
		{Subject: quad.IRI("https://example.org/x"), Predicate: quad.IRI("http://www.w3.org/2000/01/rdf-schema#label"), Object: quad.LangString{Value: "X & Y", Lang: "en"}, Label: g},
		{Subject: quad.IRI("https://example.org/x"), Predicate: quad.IRI("http://www.w3.org/2000/01/rdf-schema#seeAlso"), Object: quad.IRI("https://example.org/y"), Label: g},
	}
	var got []quad.Quad
	store.EachQuad(context.Background(), graph.Selection{Graph: g}, func(q quad.Quad) error { got = append(got, q); return nil })
	if rdftest.Canonical(got) != rdftest.Canonical(want) {
		t.Errorf("stored:\n%s\nwant:\n%s", rdftest.Canonical(got), rdftest.Canonical(want))
	}
	resp, b = fetch(t, "GET", srv.URL+graphPath("https://example.org/g"), map[string]string{"Accept": "application/rdf+xml"})
	f, _ := rdfio.Lookup(rdfio.RDFXML)
	if resp.StatusCode != 200 || rdftest.Canonical(readRDF(t, b, f)) != rdftest.Canonical(forFormat(want, f)) {
		t.Errorf("GET as RDF/XML = %d\n%s", resp.StatusCode, b)
	}
}

// TestContextURLFollowsTheRequest: JSON-LD names the context at the address
// the client used, with the scheme a trusted proxy forwards.
func TestContextURLFollowsTheRequest(t *testing.T) {
	srv, _ := seedServer(t, api.Config{TrustedProxies: []string{"127.0.0.1", "::1"}})
	for _, tc := range []struct {
		header map[string]string
		want   string
	}{
		{map[string]string{}, srv.URL + "/ontology/context.jsonld"},
		{map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}, "https://" + strings.TrimPrefix(srv.URL, "http://") + "/ontology/context.jsonld"},
	} {
		tc.header["Accept"] = "application/ld+json"
		_, body := fetch(t, "GET", srv.URL+"/doc/region/dk04", tc.header)
		if !strings.Contains(string(body), `"@context": "`+tc.want+`"`) {
			t.Errorf("headers %v: context is not %s:\n%.200s", tc.header, tc.want, body)
		}
	}
}
