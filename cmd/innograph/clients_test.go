package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/graph/rdfio/rdftest"
)

// The real clients of TestRealClients read from the running server only:
// rdflib and pyld run from testdata/clients, npm's jsonld from
// testdata/jsonld-client (installed by .ci/run with npm ci from its lock
// file).
var (
	clientsDir = filepath.Join("..", "..", "testdata", "clients")
	jsonldDir  = filepath.Join("..", "..", "testdata", "jsonld-client")
)

// Entity IRIs, under /id (303 to /doc), that the clients dereference: a
// region with blank-node observations pointing at it, an organisation and
// a SKOS concept the ontology defines.
var clientEntities = []string{"/id/region/dk04", "/id/org/danish-healthtech", "/id/concept/innovation-performance/leader-minus"}

// clientPathAnswers are path answers the clients read (GET ones by URL,
// the POST one by its body).
var clientPathAnswers = []struct{ name, path, body string }{
	{"connections", "/api/v1/connections?from=University&to=BusinessCluster&through=org/danish-healthtech", ""},
	{"neighbourhood", "/api/v1/entities/region/dk04/neighbourhood?hops=1", ""},
	{"shortest", "/api/v1/shortest-path?from=region/dk04&to=org/danish-healthtech", ""},
	{"paths", "/api/v1/paths", `{"start": {"type": "University"}, "steps": [{"predicates": ["memberOf"], "type": "BusinessCluster"}]}`},
}

// get fetches url with an Accept header (POST with body when given) and
// returns the body, failing the test on anything but 200.
func get(t *testing.T, url, accept, body string) []byte {
	t.Helper()
	method, rd := "GET", io.Reader(nil)
	if body != "" {
		method, rd = "POST", strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Accept", accept)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("%s %s (Accept %s) = %d\n%.500s", method, url, accept, resp.StatusCode, b)
	}
	return b
}

// readQuads parses data in format name with our reader, registering the
// context the server serves.
func readQuads(t *testing.T, data []byte, name, server string) []quad.Quad {
	t.Helper()
	f, ok := rdfio.Lookup(name)
	if !ok {
		t.Fatalf("no format %s", name)
	}
	ctx := get(t, server+"/ontology/context.jsonld", "application/ld+json", "")
	r, err := rdfio.NewReader(bytes.NewReader(data), f, rdfio.ReadOptions{Contexts: map[string][]byte{server + "/ontology/context.jsonld": ctx}})
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
			t.Fatalf("read %s: %v\n%.1000s", name, err, data)
		}
		out = append(out, q)
	}
}

// triples drops graph labels and duplicates.
func triples(qs []quad.Quad) []quad.Quad {
	seen := map[quad.Quad]bool{}
	var out []quad.Quad
	for _, q := range qs {
		q.Label = nil
		if !seen[q] {
			seen[q] = true
			out = append(out, q)
		}
	}
	return out
}

// runJSON runs a command with in as JSON on standard input and decodes
// its JSON output into out.
func runJSON(t *testing.T, in, out any, name string, args ...string) {
	t.Helper()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	res := rdftest.Run(t, bytes.NewReader(b), name, args...)
	if err := json.Unmarshal(res, out); err != nil {
		t.Fatalf("%s output: %v\n%.2000s", name, err, res)
	}
}

// requireJSONLDPackage skips (fails under CI) when npm's jsonld is not
// installed from testdata/jsonld-client's lock file.
func requireJSONLDPackage(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(jsonldDir, "node_modules", "jsonld", "package.json"))
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("node and npm's jsonld (npm ci --prefix testdata/jsonld-client) are required under CI: %v", err)
		}
		t.Skipf("node or npm's jsonld not installed (npm ci --prefix testdata/jsonld-client): %v", err)
	}
	return node
}

// TestRealClients starts the real server and reads it with the clients
// linked-data users run, over HTTP to the server and nothing else: rdflib
// dereferences entity IRIs with its default Accept and with each format it
// names, and reads every dump as a dataset; pyld and npm's jsonld expand,
// compact and frame documents, dumps and path answers, fetching the
// context from the server; rapper reads every RDF output. Each must read
// the triples of the Turtle answer (the quads of the N-Quads one for
// formats with graphs). The framed answers must give every link target a
// node with a label and a type.
func TestRealClients(t *testing.T) {
	srv := startServer(t, "-data", filepath.Join(t.TempDir(), "data"))
	url := srv.url
	turtleOf := func(t *testing.T, path, body string) string {
		return rdftest.Canonical(triples(readQuads(t, get(t, url+path, "text/turtle", body), rdfio.Turtle, url)))
	}
	nquadsOf := func(t *testing.T, path string) string {
		return rdftest.Canonical(readQuads(t, get(t, url+path, "application/n-quads", ""), rdfio.NQuads, url))
	}

	t.Run("rdflib", func(t *testing.T) {
		t.Parallel() // separate processes: use both cores
		rdftest.RequirePython(t, "rdflib")
		type job struct {
			Name   string  `json:"name"`
			URL    string  `json:"url"`
			Format *string `json:"format"`
			Op     string  `json:"op"`
		}
		str := func(s string) *string { return &s }
		var jobs []job
		want := map[string]string{}
		for _, p := range clientEntities {
			w := turtleOf(t, p, "")
			// rdflib's own Accept for each format it names; nil is its
			// default Accept (RDF/XML first, XHTML as a fallback).
			for _, f := range []*string{nil, str("xml"), str("turtle"), str("n3"), str("nt"), str("json-ld")} {
				name := p + " default Accept"
				if f != nil {
					name = p + " " + *f
				}
				jobs = append(jobs, job{name, url + p, f, "graph"})
				want[name] = w
			}
		}
		for _, a := range clientPathAnswers[:3] {
			w := turtleOf(t, a.path, "")
			for _, f := range []string{"turtle", "xml", "json-ld"} {
				name := a.name + " " + f
				jobs = append(jobs, job{name, url + a.path + "&format=" + map[string]string{"turtle": "turtle", "xml": "rdfxml", "json-ld": "jsonld"}[f], str(f), "graph"})
				want[name] = w
			}
		}
		graphs := map[string]bool{}
		for _, f := range []struct{ ours, theirs string }{{"nquads", "nquads"}, {"trig", "trig"}, {"jsonld", "json-ld"}, {"turtle", "turtle"}, {"ntriples", "nt"}, {"rdfxml", "xml"}} {
			name := "export " + f.ours
			jobs = append(jobs, job{name, url + "/api/v1/export?format=" + f.ours, str(f.theirs), "dataset"})
			if fm, _ := rdfio.Lookup(f.ours); fm.Graphs {
				want[name], graphs[name] = nquadsOf(t, "/api/v1/export?format=nquads"), true
			} else {
				want[name] = turtleOf(t, "/api/v1/export?format=turtle", "")
			}
		}
		var got map[string]struct{ NQuads, Error string }
		runJSON(t, jobs, &got, rdftest.Python, filepath.Join(clientsDir, "rdflib_read.py"))
		for _, j := range jobs {
			r := got[j.Name]
			if r.Error != "" {
				t.Errorf("rdflib %s: %s", j.Name, r.Error)
				continue
			}
			qs := readQuads(t, []byte(r.NQuads), rdfio.NQuads, url)
			if !graphs[j.Name] {
				qs = triples(qs)
			}
			if g := rdftest.Canonical(qs); g != want[j.Name] {
				t.Errorf("rdflib %s reads %d statements, not those of the Turtle (or N-Quads) answer", j.Name, len(qs))
			}
		}
		t.Logf("rdflib: %d reads", len(jobs))
	})

	// The JSON-LD resources: documents, the dump and path answers, each
	// compacted (default) and framed for viewers.
	type ldJob struct {
		Name   string   `json:"name"`
		URL    string   `json:"url"`
		Method string   `json:"method"`
		Body   string   `json:"body,omitempty"`
		Ops    []string `json:"ops,omitempty"` // all three when empty
	}
	var ldJobs []ldJob
	ldWant := map[string]string{}
	framed := map[string]bool{}
	addLD := func(name, path, body string) {
		method := "GET"
		if body != "" {
			method = "POST"
		}
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		w := turtleOf(t, path, body)
		ldJobs = append(ldJobs, ldJob{name, url + path, method, body, nil})
		ldWant[name] = w
		// The framed (viewer) answers are checked as viewers read them
		// (checkFramed); the processors only show they are JSON-LD.
		ldJobs = append(ldJobs, ldJob{name + " framed", url + path + sep + "frame", method, body, []string{"expand"}})
		framed[name+" framed"] = true
	}
	for _, p := range clientEntities {
		addLD(p, strings.Replace(p, "/id/", "/doc/", 1), "")
	}
	addLD("export", "/api/v1/export", "")
	for _, a := range clientPathAnswers {
		addLD(a.name, a.path, a.body)
	}
	checkLD := func(t *testing.T, tool string, got map[string]map[string]string) {
		for _, j := range ldJobs {
			r := got[j.Name]
			if r["error"] != "" {
				t.Errorf("%s %s: %s", tool, j.Name, r["error"])
				continue
			}
			ops := j.Ops
			if ops == nil {
				ops = []string{"expand", "compact", "frame"}
			}
			for _, op := range ops {
				qs := triples(readQuads(t, []byte(r[op]), rdfio.NQuads, url))
				if len(qs) == 0 {
					t.Errorf("%s %s %s: no triples", tool, op, j.Name)
					continue
				}
				if framed[j.Name] {
					continue // a view: checked by checkFramed below
				}
				if g := rdftest.Canonical(qs); g != ldWant[j.Name] {
					t.Errorf("%s %s of %s reads %d triples, not those of the Turtle answer", tool, op, j.Name, len(qs))
				}
			}
		}
	}
	t.Run("pyld", func(t *testing.T) {
		t.Parallel() // separate processes: use both cores
		rdftest.RequirePython(t, "pyld")
		var got map[string]map[string]string
		runJSON(t, map[string]any{"server": url, "jobs": ldJobs}, &got, rdftest.Python, filepath.Join(clientsDir, "pyld_read.py"))
		checkLD(t, "pyld", got)
	})
	t.Run("npm jsonld", func(t *testing.T) {
		t.Parallel() // separate processes: use both cores
		node := requireJSONLDPackage(t)
		var got map[string]map[string]string
		runJSON(t, map[string]any{"server": url, "jobs": ldJobs}, &got, node, filepath.Join(jsonldDir, "read.mjs"))
		checkLD(t, "jsonld", got)
	})
	t.Run("framed", func(t *testing.T) {
		for _, j := range ldJobs {
			if !framed[j.Name] {
				continue
			}
			path := strings.TrimPrefix(j.URL, url)
			checkFramed(t, j.Name, get(t, url+path, "application/ld+json", j.Body))
		}
	})

	t.Run("rapper", func(t *testing.T) {
		t.Parallel() // separate processes: use both cores
		rdftest.RequireTool(t, rdftest.Rapper)
		syntaxes := map[string]string{rdfio.Turtle: "turtle", rdfio.NTriples: "ntriples", rdfio.NQuads: "nquads", rdfio.TriG: "trig", rdfio.RDFXML: "rdfxml"}
		var paths []struct{ path, body string }
		for _, p := range clientEntities {
			paths = append(paths, struct{ path, body string }{strings.Replace(p, "/id/", "/doc/", 1), ""})
		}
		for _, a := range clientPathAnswers {
			paths = append(paths, struct{ path, body string }{a.path, a.body})
		}
		paths = append(paths, struct{ path, body string }{"/api/v1/export", ""})
		n := 0
		for _, p := range paths {
			w := turtleOf(t, p.path, p.body)
			for name, syntax := range syntaxes {
				f, _ := rdfio.Lookup(name)
				body := get(t, url+p.path, f.MediaType(), p.body)
				out := rdftest.Run(t, bytes.NewReader(body), rdftest.Rapper, rdftest.RapperArgs(syntax, "http://example.org/")...)
				if g := rdftest.Canonical(triples(readQuads(t, out, rdfio.NQuads, url))); g != w {
					t.Errorf("rapper reads %s as %s: not the triples of the Turtle answer", p.path, name)
				}
				n++
			}
		}
		t.Logf("rapper: %d reads", n)
	})
}

// outsideType is the type of the nodes outside a framed answer.
const outsideType = "https://w3id.org/innograph/ns/json-ld#Outside"

// checkFramed checks a framed (viewer) answer as a viewer without a
// JSON-LD processor reads it: every {"@id": ...} value of a node is the
// @id of a node of @graph that has "@type" and a label, or that is marked
// outside the answer.
func checkFramed(t *testing.T, name string, body []byte) {
	t.Helper()
	var doc struct {
		Graph []map[string]any `json:"@graph"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	// A streamed dump may state one node in several objects with the same
	// @id (JSON-LD merges them); documents and path answers have one each.
	nodes := map[string]map[string]any{}
	for _, n := range doc.Graph {
		id, _ := n["@id"].(string)
		if nodes[id] == nil {
			nodes[id] = map[string]any{}
		}
		for k, v := range n {
			nodes[id][k] = v
		}
	}
	links, bad := 0, 0
	for _, n := range doc.Graph {
		for k, v := range n {
			if strings.HasPrefix(k, "@") {
				continue
			}
			vals, ok := v.([]any)
			if !ok {
				vals = []any{v}
			}
			for _, x := range vals {
				ref, ok := x.(map[string]any)
				id, isLink := ref["@id"].(string)
				if !ok || !isLink {
					if s, isStr := x.(string); isStr && k != "label" && k != "prefLabel" {
						t.Errorf("%s: %s of %v is the bare string %q: a viewer cannot tell a link from it", name, k, n["@id"], s)
					}
					continue
				}
				links++
				target := nodes[id]
				_, typed := target["@type"]
				_, labelled := target["label"]
				if _, pref := target["prefLabel"]; pref {
					labelled = true
				}
				if target != nil && (target["@type"] == outsideType || typed && labelled) {
					continue
				}
				if bad++; bad <= 5 {
					t.Errorf("%s: link %s of %v points at %s, which has no node with a label and a type", name, k, n["@id"], id)
				}
			}
		}
	}
	if links == 0 {
		t.Errorf("%s: no links at all", name)
	}
}
