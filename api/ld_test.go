package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/api"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/graph/rdfio/rdftest"
	"github.com/innograph/innograph/ontology"
	"github.com/innograph/innograph/seeds/seeddocs"
)

const (
	contextURL = api.DefaultBaseURL + "ontology/context.jsonld"
	dk04       = quad.IRI(ontology.IDBase + "region/dk04")
)

// seedServer starts the real handler over a memory store holding the
// embedded seed graph and the extra quads.
func seedServer(t testing.TB, cfg api.Config, extra ...quad.Quad) (*httptest.Server, *graph.Store) {
	t.Helper()
	store, err := graph.Open(context.Background(), graph.Config{Backend: graph.Memory})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.LoadIfEmpty(context.Background(), seeddocs.Documents()); err != nil {
		t.Fatal(err)
	}
	if len(extra) > 0 {
		if err := store.Write(context.Background(), func(b *graph.Batch) error {
			for _, q := range extra {
				b.Add(q)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(api.New(cfg, store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(func() { srv.Close(); store.Close() })
	return srv, store
}

// noRedirect is a client that reports redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// fetch sends one request and returns the response with its body read.
func fetch(t testing.TB, method, url string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, url, err)
	}
	return resp, body
}

// readRDF parses body in format f (JSON-LD contexts resolved offline).
func readRDF(t testing.TB, body []byte, f rdfio.Format) []quad.Quad {
	t.Helper()
	// JSON-LD names the context served by the server that sent it.
	contexts := map[string][]byte{contextURL: ontology.Context()}
	var doc struct {
		Context any `json:"@context"`
	}
	if f.Name == rdfio.JSONLD && json.Unmarshal(body, &doc) == nil {
		if u, ok := doc.Context.(string); ok && strings.HasSuffix(u, "/ontology/context.jsonld") {
			contexts[u] = ontology.Context()
		}
	}
	r, err := rdfio.NewReader(bytes.NewReader(body), f, rdfio.ReadOptions{
		Base:            "https://example.org/base",
		BlankNodePrefix: "r",
		Contexts:        contexts,
	})
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
			t.Fatalf("read %s: %v\n%.2000s", f.Name, err, body)
		}
		out = append(out, q)
	}
}

// forFormat is what format f can carry of qs: graph labels dropped when f
// has none.
func forFormat(qs []quad.Quad, f rdfio.Format) []quad.Quad {
	if f.Graphs && f.Name != rdfio.JSONLD {
		return qs
	}
	out := make([]quad.Quad, len(qs))
	for i, q := range qs {
		q.Label = nil
		out[i] = q
	}
	return out
}

func mustLookup(t testing.TB, name string) rdfio.Format {
	t.Helper()
	f, ok := rdfio.Lookup(name)
	if !ok {
		t.Fatalf("no format %s", name)
	}
	return f
}

func TestDereference(t *testing.T) {
	srv, store := seedServer(t, api.Config{})
	d, err := store.Describe(context.Background(), dk04)
	if err != nil {
		t.Fatal(err)
	}
	described := append(append([]quad.Quad(nil), d.Quads...), d.Incoming...)

	t.Run("303", func(t *testing.T) {
		for _, method := range []string{"GET", "HEAD"} {
			for path, want := range map[string]string{
				"/id/region/dk04":               "/doc/region/dk04",
				"/id/region/dk04?format=turtle": "/doc/region/dk04?format=turtle",
			} {
				resp, _ := fetch(t, method, srv.URL+path, nil)
				if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
					t.Errorf("%s %s = %d Location %q, want 303 to %s", method, path, resp.StatusCode, resp.Header.Get("Location"), want)
				}
			}
		}
	})

	types := []struct {
		accept, format, contentType string
	}{
		{"text/turtle", rdfio.Turtle, "text/turtle; charset=utf-8"},
		{"application/ld+json", rdfio.JSONLD, `application/ld+json; profile="http://www.w3.org/ns/json-ld#compacted"`},
		{"application/n-triples", rdfio.NTriples, "application/n-triples"},
		{"application/n-quads", rdfio.NQuads, "application/n-quads"},
		{"application/trig", rdfio.TriG, "application/trig; charset=utf-8"},
		{"text/html", "html", "text/html; charset=utf-8"},
		{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html", "text/html; charset=utf-8"},
		{"*/*", rdfio.Turtle, "text/turtle; charset=utf-8"},
		{"", rdfio.Turtle, "text/turtle; charset=utf-8"},
		{"application/n-quads;q=0.5, application/trig", rdfio.TriG, "application/trig; charset=utf-8"},
	}
	etags := map[string]string{}
	for _, tc := range types {
		t.Run("GET "+tc.accept, func(t *testing.T) {
			resp, body := fetch(t, "GET", srv.URL+"/doc/region/dk04", map[string]string{"Accept": tc.accept})
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d, want 200\n%s", resp.StatusCode, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != tc.contentType {
				t.Errorf("Content-Type = %q, want %q", ct, tc.contentType)
			}
			if v := resp.Header.Values("Vary"); !contains(v, "Accept") {
				t.Errorf("Vary = %q, want Accept", v)
			}
			etag := resp.Header.Get("ETag")
			if etag == "" {
				t.Error("no ETag")
			}
			if old, ok := etags[tc.format]; ok && old != etag {
				t.Errorf("ETag %s differs from the same representation's %s", etag, old)
			}
			etags[tc.format] = etag
			if !strings.Contains(resp.Header.Get("Link"), `rel="alternate"; type="application/n-quads"`) {
				t.Errorf("Link = %q, want alternates", resp.Header.Get("Link"))
			}
			if tc.format == "html" {
				checkPage(t, string(body))
				return
			}
			f := mustLookup(t, tc.format)
			got := readRDF(t, body, f)
			if g, w := rdftest.Canonical(got), rdftest.Canonical(forFormat(described, f)); g != w {
				t.Errorf("%s body is not the description\n got %d quads, want %d\n%.3000s", tc.format, len(got), len(described), body)
			}
		})
	}
	seen := map[string]string{}
	for f, e := range etags {
		if other, dup := seen[e]; dup {
			t.Errorf("%s and %s share ETag %s", f, other, e)
		}
		seen[e] = f
	}

	t.Run("format override", func(t *testing.T) {
		resp, body := fetch(t, "GET", srv.URL+"/doc/region/dk04?format=nquads", map[string]string{"Accept": "text/html"})
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/n-quads" {
			t.Fatalf("?format=nquads with Accept text/html = %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		readRDF(t, body, mustLookup(t, rdfio.NQuads))
		for _, name := range []string{"ttl", "application/trig", "html", "jsonld"} {
			if resp, _ := fetch(t, "GET", srv.URL+"/doc/region/dk04?format="+name, nil); resp.StatusCode != 200 {
				t.Errorf("?format=%s = %d, want 200", name, resp.StatusCode)
			}
		}
	})

	t.Run("304", func(t *testing.T) {
		hdr := map[string]string{"Accept": "text/turtle"}
		resp, body := fetch(t, "GET", srv.URL+"/doc/region/dk04", hdr)
		etag := resp.Header.Get("ETag")
		hdr["If-None-Match"] = etag
		resp, body304 := fetch(t, "GET", srv.URL+"/doc/region/dk04", hdr)
		if resp.StatusCode != http.StatusNotModified || len(body304) != 0 || resp.Header.Get("ETag") != etag {
			t.Errorf("If-None-Match %s = %d (%d bytes, ETag %q), want 304 without body", etag, resp.StatusCode, len(body304), resp.Header.Get("ETag"))
		}
		hdr["If-None-Match"] = `"other", W/` + etag
		if resp, _ := fetch(t, "GET", srv.URL+"/doc/region/dk04", hdr); resp.StatusCode != http.StatusNotModified {
			t.Errorf("If-None-Match list with a weak match = %d, want 304", resp.StatusCode)
		}
		hdr["If-None-Match"] = `"stale"`
		if resp, b := fetch(t, "GET", srv.URL+"/doc/region/dk04", hdr); resp.StatusCode != 200 || !bytes.Equal(b, body) {
			t.Errorf("stale If-None-Match = %d, want 200 with the body", resp.StatusCode)
		}
		// Another representation has another tag.
		hdr = map[string]string{"Accept": "application/n-quads", "If-None-Match": etag}
		if resp, _ := fetch(t, "GET", srv.URL+"/doc/region/dk04", hdr); resp.StatusCode != 200 {
			t.Errorf("Turtle's ETag on an N-Quads request = %d, want 200", resp.StatusCode)
		}
	})

	t.Run("406", func(t *testing.T) {
		resp, body := fetch(t, "GET", srv.URL+"/doc/region/dk04", map[string]string{"Accept": "image/png, text/csv;q=0.5"})
		p := problemOf(t, resp, body)
		want := []string{"text/turtle", "application/ld+json", "application/n-triples", "application/n-quads", "application/trig", "application/rdf+xml", "text/html"}
		if resp.StatusCode != http.StatusNotAcceptable || p.Status != 406 || !sameStrings(p.Offered, want) {
			t.Errorf("Accept image/png = %d %+v, want 406 offering %v", resp.StatusCode, p, want)
		}
		resp, body = fetch(t, "GET", srv.URL+"/doc/region/dk04?format=yaml", nil)
		if p := problemOf(t, resp, body); resp.StatusCode != 406 || len(p.Offered) != len(want) {
			t.Errorf("?format=yaml = %d %+v, want 406 with the offered list", resp.StatusCode, p)
		}
	})

	t.Run("HEAD", func(t *testing.T) {
		for _, accept := range []string{"text/turtle", "text/html", "application/ld+json"} {
			hdr := map[string]string{"Accept": accept}
			get, body := fetch(t, "GET", srv.URL+"/doc/region/dk04", hdr)
			head, hbody := fetch(t, "HEAD", srv.URL+"/doc/region/dk04", hdr)
			if head.StatusCode != 200 || len(hbody) != 0 || head.Header.Get("ETag") != get.Header.Get("ETag") ||
				head.Header.Get("Content-Type") != get.Header.Get("Content-Type") || head.ContentLength != int64(len(body)) {
				t.Errorf("HEAD %s = %d, %d body bytes, ETag %q, length %d; want 200, none, %q, %d",
					accept, head.StatusCode, len(hbody), head.Header.Get("ETag"), head.ContentLength, get.Header.Get("ETag"), len(body))
			}
		}
	})

	t.Run("unknown IRI", func(t *testing.T) {
		for _, path := range []string{"/doc/org/nobody-at-all", "/doc/", "/id/"} {
			resp, body := fetch(t, "GET", srv.URL+path, map[string]string{"Accept": "text/turtle"})
			if p := problemOf(t, resp, body); resp.StatusCode != http.StatusNotFound || p.Status != 404 || p.Detail == "" || p.Instance != path {
				t.Errorf("GET %s = %d %+v, want a 404 problem", path, resp.StatusCode, p)
			}
		}
		resp, _ := fetch(t, "GET", srv.URL+"/id/org/nobody-at-all", nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("GET /id/org/nobody-at-all = %d, want 303 (the document says 404)", resp.StatusCode)
		}
	})

	t.Run("JSON-LD profiles", func(t *testing.T) {
		jsonld := mustLookup(t, rdfio.JSONLD)
		tests := []struct {
			name, query, accept, profile string
			check                        func(t *testing.T, doc any)
		}{
			{"compacted", "", "application/ld+json", "http://www.w3.org/ns/json-ld#compacted", func(t *testing.T, doc any) {
				if m, ok := doc.(map[string]any); !ok || m["@context"] != srv.URL+"/ontology/context.jsonld" {
					t.Errorf("compacted document does not refer to the context this server serves, %s/ontology/context.jsonld: %.300v", srv.URL, doc)
				}
			}},
			{"expanded", "", `application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"`, "http://www.w3.org/ns/json-ld#expanded", func(t *testing.T, doc any) {
				if _, ok := doc.([]any); !ok {
					t.Errorf("expanded document is not a top-level array: %.300v", doc)
				}
			}},
			{"expanded by parameter", "?profile=http://www.w3.org/ns/json-ld%23expanded", "application/ld+json", "http://www.w3.org/ns/json-ld#expanded", nil},
			{"framed", "", `application/ld+json;profile=http://www.w3.org/ns/json-ld#framed`, "http://www.w3.org/ns/json-ld#framed", checkFramed},
			{"frame parameter", "?frame", "", "http://www.w3.org/ns/json-ld#framed", checkFramed},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				url := srv.URL + "/doc/region/dk04" + tc.query
				resp, body := fetch(t, "GET", url, map[string]string{"Accept": tc.accept})
				if want := `application/ld+json; profile="` + tc.profile + `"`; resp.StatusCode != 200 || resp.Header.Get("Content-Type") != want {
					t.Fatalf("status %d Content-Type %q, want 200 %q\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), want, body)
				}
				var doc any
				if err := json.Unmarshal(body, &doc); err != nil {
					t.Fatalf("not JSON: %v", err)
				}
				if tc.check != nil {
					tc.check(t, doc)
				}
				if tc.profile != "http://www.w3.org/ns/json-ld#framed" {
					if g, w := rdftest.Canonical(readRDF(t, body, jsonld)), rdftest.Canonical(forFormat(described, jsonld)); g != w {
						t.Errorf("%s JSON-LD reads back as another graph", tc.name)
					}
				}
			})
		}
		resp, body := fetch(t, "GET", srv.URL+"/doc/region/dk04?format=jsonld&profile=flattened", nil)
		if p := problemOf(t, resp, body); resp.StatusCode != 400 || p.Status != 400 {
			t.Errorf("?profile=flattened = %d %+v, want a 400 problem", resp.StatusCode, p)
		}
	})
}

// checkFramed checks the framed (visual) profile: one node object per
// resource with @id, labels and links only.
func checkFramed(t *testing.T, doc any) {
	t.Helper()
	m, ok := doc.(map[string]any)
	if !ok {
		t.Fatalf("framed document is not an object: %.300v", doc)
	}
	nodes, _ := m["@graph"].([]any)
	ids := map[string]bool{}
	var self map[string]any
	for _, n := range nodes {
		node, ok := n.(map[string]any)
		if !ok || node["@id"] == nil {
			t.Fatalf("framed node without @id: %v", n)
		}
		id := node["@id"].(string)
		if ids[id] {
			t.Errorf("node %s appears twice: nodes are merged across graphs", id)
		}
		ids[id] = true
		if _, nested := node["@graph"]; nested {
			t.Errorf("framed node %s holds a named graph", id)
		}
		for k := range node {
			if k == "nutsCode" || k == "note" {
				t.Errorf("framed node %s keeps literal property %s", id, k)
			}
		}
		if id == "id:region/dk04" {
			self = node
		}
	}
	// Links are {"@id": ...} objects, so a viewer tells them from strings
	// without reading the context.
	partOf, _ := self["partOf"].(map[string]any)
	if self == nil || self["@type"] != "Region" || self["label"] == nil || partOf["@id"] != "id:region/dk" {
		t.Errorf("framed dk04 node = %v, want @type Region, labels and partOf {\"@id\": \"id:region/dk\"}", self)
	}
}

// checkPage checks the HTML page of dk04: labels, types, literals, links
// both ways with their labels, sources and alternates.
func checkPage(t *testing.T, page string) {
	t.Helper()
	for _, want := range []string{
		"<title>Central Denmark Region · innograph</title>",
		`<link rel="alternate" type="text/turtle" href="/doc/region/dk04?format=turtle">`,
		`<link rel="alternate" type="application/n-quads" href="/doc/region/dk04?format=nquads">`,
		`<a href="/ontology#Region" title="https://w3id.org/innograph/ontology#Region">region</a>`, // type
		"Region Midtjylland", // a Danish label
		`<a href="/ontology#nutsCode" title="https://w3id.org/innograph/ontology#nutsCode">NUTS code</a>`,
		`<a href="/doc/region/dk" title="https://w3id.org/innograph/id/region/dk">`, // a neighbour
		`<a href="/doc/org/central-denmark-region" title="https://w3id.org/innograph/id/org/central-denmark-region">`,
		`<h2>Links here</h2>`,
		`<a href="/doc/source/handbook-regional-development" title="https://w3id.org/innograph/id/source/handbook-regional-development">Håndbog i Regional Udvikling</a>`,
		`<h2>Sources</h2>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

func TestPageEscapes(t *testing.T) {
	ex := quad.IRI(ontology.IDBase + "org/evil")
	srv, _ := seedServer(t, api.Config{},
		quad.Quad{Subject: ex, Predicate: quad.IRI("http://www.w3.org/2000/01/rdf-schema#label"), Object: quad.String(`<script>alert("x")</script>`), Label: quad.IRI(ontology.IDBase + "source/test")},
		quad.Quad{Subject: ex, Predicate: quad.IRI(ontology.NS + "homepage"), Object: quad.IRI(`javascript:alert(1)`)},
		quad.Quad{Subject: dk04, Predicate: quad.IRI(ontology.NS + "memberOf"), Object: ex},
	)
	resp, body := fetch(t, "GET", srv.URL+"/doc/org/evil", map[string]string{"Accept": "text/html"})
	page := string(body)
	if resp.StatusCode != 200 || strings.Contains(page, "<script>") || !strings.Contains(page, "&lt;script&gt;") {
		t.Errorf("label not escaped (status %d):\n%s", resp.StatusCode, page)
	}
	if strings.Contains(page, `href="javascript:`) {
		t.Error("a javascript: IRI became a live link")
	}
	if !strings.Contains(page, `<a href="/doc/region/dk04" title="https://w3id.org/innograph/id/region/dk04">Central Denmark Region</a>`) {
		t.Error("the incoming link from dk04 is missing or unlabelled")
	}
}

func TestBaseURLAndIRIs(t *testing.T) {
	base := "http://data.example/kg/"
	uni := quad.IRI(base + "id/org/ærø-universitet")
	pct := quad.IRI(base + "id/org/a%2Fb")
	srv, _ := seedServer(t, api.Config{BaseURL: base},
		quad.Quad{Subject: uni, Predicate: quad.IRI(ontology.NS + "partOf"), Object: pct},
		quad.Quad{Subject: pct, Predicate: quad.IRI("http://www.w3.org/2000/01/rdf-schema#label"), Object: quad.String("slash")},
	)
	nq := mustLookup(t, rdfio.NQuads)
	for path, want := range map[string]quad.IRI{
		"/doc/org/%C3%A6r%C3%B8-universitet": uni,
		"/doc/org/ærø-universitet":           uni,
		"/doc/org/a%2Fb":                     pct,
	} {
		resp, body := fetch(t, "GET", srv.URL+path, map[string]string{"Accept": "application/n-quads"})
		if resp.StatusCode != 200 {
			t.Errorf("GET %s = %d, want the description of %s", path, resp.StatusCode, want)
			continue
		}
		found := false
		for _, q := range readRDF(t, body, nq) {
			found = found || q.Subject == want
		}
		if !found {
			t.Errorf("GET %s: no quad about %s\n%s", path, want, body)
		}
	}
	// With another base the published (w3id) IRIs are still served here.
	if resp, _ := fetch(t, "GET", srv.URL+"/doc/region/dk04", nil); resp.StatusCode != 200 {
		t.Errorf("dk04 under base %s = %d, want 200", base, resp.StatusCode)
	}
	// JSON-LD refers to the context this server serves, whatever the base.
	_, body := fetch(t, "GET", srv.URL+"/doc/org/a%2Fb?format=jsonld", nil)
	if !bytes.Contains(body, []byte(`"@context": "`+srv.URL+`/ontology/context.jsonld"`)) {
		t.Errorf("JSON-LD does not refer to %s/ontology/context.jsonld:\n%s", srv.URL, body)
	}
}

func TestOntologyDocuments(t *testing.T) {
	srv, _ := seedServer(t, api.Config{})
	turtle := mustLookup(t, rdfio.Turtle)
	onto := readRDF(t, ontology.Turtle(), turtle)
	shapes := readRDF(t, ontology.Shapes(), turtle)
	for _, tc := range []struct {
		path string
		want []quad.Quad
	}{{"/ontology", onto}, {"/ontology/shapes", shapes}} {
		for _, f := range rdfio.Formats() {
			t.Run(tc.path+" "+f.Name, func(t *testing.T) {
				resp, body := fetch(t, "GET", srv.URL+tc.path, map[string]string{"Accept": f.MediaType()})
				if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), f.MediaType()) || resp.Header.Get("ETag") == "" {
					t.Fatalf("status %d Content-Type %q ETag %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("ETag"))
				}
				if g, w := rdftest.Canonical(readRDF(t, body, f)), rdftest.Canonical(forFormat(tc.want, f)); g != w {
					t.Errorf("%s in %s is another graph", tc.path, f.Name)
				}
			})
		}
		resp, body := fetch(t, "GET", srv.URL+tc.path, map[string]string{"Accept": "text/html"})
		if resp.StatusCode != 200 || !strings.Contains(string(body), `id="Region"`) && tc.path == "/ontology" {
			t.Errorf("GET %s as HTML = %d, want a page with the Region term anchored", tc.path, resp.StatusCode)
		}
	}
	resp, body := fetch(t, "GET", srv.URL+"/ontology/context.jsonld", map[string]string{"Accept": "application/ld+json"})
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/ld+json" || !bytes.Equal(body, ontology.Context()) {
		t.Errorf("context = %d %q, want the embedded context as application/ld+json", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp, _ := fetch(t, "GET", srv.URL+"/ontology/context.jsonld", map[string]string{"Accept": "text/turtle"}); resp.StatusCode != 406 {
		t.Errorf("context as Turtle = %d, want 406", resp.StatusCode)
	}
}

func TestVoID(t *testing.T) {
	srv, store := seedServer(t, api.Config{})
	st, err := store.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	resp, body := fetch(t, "GET", srv.URL+"/.well-known/void", map[string]string{"Accept": "application/n-quads"})
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	const void = "http://rdfs.org/ns/void#"
	ds := quad.IRI(api.DefaultBaseURL + ".well-known/void#dataset")
	var triples, entities string
	subsets, classes, dumps := 0, 0, 0
	for _, q := range readRDF(t, body, mustLookup(t, rdfio.NQuads)) {
		if q.Subject != ds {
			continue
		}
		switch q.Predicate {
		case quad.IRI(void + "triples"):
			triples = lexical(q.Object)
		case quad.IRI(void + "entities"):
			entities = lexical(q.Object)
		case quad.IRI(void + "subset"):
			subsets++
		case quad.IRI(void + "classPartition"):
			classes++
		case quad.IRI(void + "dataDump"):
			dumps++
		}
	}
	if triples != itoa(st.Triples) || entities != itoa(st.Subjects) || subsets != len(st.Graphs) || classes != len(st.Classes) || dumps != 6 {
		t.Errorf("VoID says %s triples, %s entities, %d subsets, %d classes, %d dumps; want %d, %d, %d, %d, 6",
			triples, entities, subsets, classes, dumps, st.Triples, st.Subjects, len(st.Graphs), len(st.Classes))
	}
	rdftest.RequireTool(t, rdftest.Rapper)
	_, ttl := fetch(t, "GET", srv.URL+"/.well-known/void", map[string]string{"Accept": "text/turtle"})
	rdftest.Run(t, bytes.NewReader(ttl), rdftest.Rapper, rdftest.RapperArgs("turtle", "http://example.org/")...)
	if resp, body := fetch(t, "GET", srv.URL+"/.well-known/void", map[string]string{"Accept": "text/html"}); resp.StatusCode != 200 || !bytes.Contains(body, []byte(`title="http://rdfs.org/ns/void#triples"`)) {
		t.Errorf("VoID as HTML = %d", resp.StatusCode)
	}
}

func TestCORS(t *testing.T) {
	srv, _ := seedServer(t, api.Config{})
	for _, path := range []string{"/doc/region/dk04", "/ontology", "/.well-known/void", "/api/v1/export?format=nquads"} {
		resp, _ := fetch(t, "GET", srv.URL+path, map[string]string{"Origin": "https://viewer.example"})
		if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("GET %s from an origin: Access-Control-Allow-Origin = %q, want *", path, resp.Header.Get("Access-Control-Allow-Origin"))
		}
		resp, _ = fetch(t, "OPTIONS", srv.URL+path, map[string]string{"Origin": "https://viewer.example", "Access-Control-Request-Method": "GET"})
		if resp.StatusCode != http.StatusNoContent || !strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "GET") {
			t.Errorf("preflight %s = %d %q, want 204 allowing GET", path, resp.StatusCode, resp.Header.Get("Access-Control-Allow-Methods"))
		}
	}
	only, _ := seedServer(t, api.Config{CORSOrigins: []string{"https://viz.example"}})
	resp, _ := fetch(t, "GET", only.URL+"/doc/region/dk04", map[string]string{"Origin": "https://viz.example"})
	if resp.Header.Get("Access-Control-Allow-Origin") != "https://viz.example" || !contains(resp.Header.Values("Vary"), "Origin") || !contains(resp.Header.Values("Vary"), "Accept") {
		t.Errorf("configured origin: Allow-Origin %q, Vary %q; want the origin and Vary Origin and Accept", resp.Header.Get("Access-Control-Allow-Origin"), resp.Header.Values("Vary"))
	}
	resp, _ = fetch(t, "GET", only.URL+"/doc/region/dk04", map[string]string{"Origin": "https://other.example"})
	if v := resp.Header.Get("Access-Control-Allow-Origin"); v != "" {
		t.Errorf("unlisted origin got Access-Control-Allow-Origin %q", v)
	}
}

func contains(vs []string, want string) bool {
	for _, v := range vs {
		for _, part := range strings.Split(v, ",") {
			if strings.TrimSpace(part) == want {
				return true
			}
		}
	}
	return false
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func lexical(v quad.Value) string {
	if ts, ok := v.(quad.TypedString); ok {
		return string(ts.Value)
	}
	return v.String()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
