package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/api"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/graph/sparql/results"
	"github.com/innograph/innograph/ontology"
)

const sparqlPrefix = "PREFIX ex: <https://example.org/>\n"

// sparqlServer is a write-enabled server over a memory store holding a
// few quads in two graphs and the unnamed one.
func sparqlServer(t *testing.T, cfg api.Config) (*httptest.Server, *graph.Store, *syncBuf) {
	t.Helper()
	if cfg.WriteTokens == nil {
		cfg.WriteTokens = mustTokens(t, "alice:alice-secret-0123456789")
	}
	srv, store, audit := newWriteServer(t, cfg)
	ex := func(s string) quad.IRI { return quad.IRI("https://example.org/" + s) }
	err := store.Write(context.Background(), func(b *graph.Batch) error {
		b.Add(quad.Quad{Subject: ex("a"), Predicate: ex("p"), Object: ex("b"), Label: ex("g1")})
		b.Add(quad.Quad{Subject: ex("b"), Predicate: ex("p"), Object: ex("c"), Label: ex("g1")})
		b.Add(quad.Quad{Subject: ex("c"), Predicate: ex("p"), Object: ex("d"), Label: ex("g2")})
		b.Add(quad.Quad{Subject: ex("a"), Predicate: ex("name"), Object: quad.String("A"), Label: ex("g2")})
		b.Add(quad.Quad{Subject: ex("d"), Predicate: ex("p"), Object: ex("e")})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return srv, store, audit
}

func sparqlGet(t *testing.T, base, path, query, accept string) (*http.Response, []byte) {
	t.Helper()
	r, _ := http.NewRequest(http.MethodGet, base+path+"?query="+url.QueryEscape(query), nil)
	if accept != "" {
		r.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// rowsOf reads a results document back and prints its rows, sorted.
func rowsOf(t *testing.T, resp *http.Response, body []byte) []string {
	t.Helper()
	f, ok := results.Lookup(strings.TrimSpace(strings.Split(resp.Header.Get("Content-Type"), ";")[0]))
	if !ok {
		t.Fatalf("Content-Type %q is no results format (%d %s)", resp.Header.Get("Content-Type"), resp.StatusCode, body)
	}
	res, err := results.Read(bytes.NewReader(body), f)
	if err != nil {
		t.Fatalf("read %s results: %v\n%s", f.Name, err, body)
	}
	if res.Boolean != nil {
		return []string{fmt.Sprint(*res.Boolean)}
	}
	var out []string
	for _, row := range res.Rows {
		var cells []string
		for _, v := range row {
			if v == nil {
				cells = append(cells, "-")
			} else {
				cells = append(cells, v.String())
			}
		}
		out = append(out, strings.Join(cells, " "))
	}
	sort.Strings(out)
	return out
}

// TestSPARQLProtocol: the protocol's ways of asking (GET, POST of a
// query, form POST) on both paths, results in every format, the dataset
// parameters, CONSTRUCT in RDF formats, ASK, the service description and
// explain.
func TestSPARQLProtocol(t *testing.T) {
	srv, _, _ := sparqlServer(t, api.Config{})
	base := srv.URL
	const q = sparqlPrefix + "SELECT ?x WHERE { ex:a ex:p+ ?x }"
	want := "<https://example.org/b>,<https://example.org/c>,<https://example.org/d>,<https://example.org/e>"
	for _, path := range []string{"/sparql", "/api/v1/sparql"} {
		for _, accept := range []string{"", "application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"} {
			resp, body := sparqlGet(t, base, path, q, accept)
			if resp.StatusCode != 200 {
				t.Fatalf("GET %s (%s) = %d %s", path, accept, resp.StatusCode, body)
			}
			got := rowsOf(t, resp, body)
			if accept == "text/csv" {
				want := "https://example.org/b,https://example.org/c,https://example.org/d,https://example.org/e"
				var plain []string
				for _, g := range got {
					plain = append(plain, strings.Trim(g, `"`))
				}
				got = plain
				if strings.Join(got, ",") != want {
					t.Errorf("GET %s as CSV = %v, want %s", path, got, want)
				}
				continue
			}
			if strings.Join(got, ",") != want {
				t.Errorf("GET %s (%s) = %v, want %s", path, accept, got, want)
			}
		}
		// POST application/sparql-query, and a form.
		resp, body := do(t, srv, req{method: "POST", path: path, ctype: "application/sparql-query", body: q})
		if got := rowsOf(t, resp, body); strings.Join(got, ",") != want {
			t.Errorf("POST %s sparql-query = %v", path, got)
		}
		resp, body = do(t, srv, req{method: "POST", path: path, ctype: "application/x-www-form-urlencoded",
			body: url.Values{"query": {q}}.Encode(), header: map[string]string{"Accept": "application/sparql-results+xml"}})
		if got := rowsOf(t, resp, body); strings.Join(got, ",") != want {
			t.Errorf("POST %s form = %v", path, got)
		}
	}

	// The dataset: the union by default, narrowed by FROM and the
	// protocol's parameters, which replace FROM.
	all := sparqlPrefix + "SELECT ?s ?o WHERE { ?s ex:p ?o }"
	resp, body := sparqlGet(t, base, "/sparql", all, "")
	if got := rowsOf(t, resp, body); len(got) != 4 {
		t.Errorf("union default graph = %v, want the 4 ex:p quads of every graph", got)
	}
	resp, body = sparqlGet(t, base, "/sparql", sparqlPrefix+"SELECT ?s ?o FROM ex:g2 WHERE { ?s ex:p ?o }", "")
	if got := rowsOf(t, resp, body); strings.Join(got, ",") != "<https://example.org/c> <https://example.org/d>" {
		t.Errorf("FROM ex:g2 = %v", got)
	}
	u := base + "/sparql?query=" + url.QueryEscape(sparqlPrefix+"SELECT ?s ?o FROM ex:g2 WHERE { ?s ex:p ?o }") + "&default-graph-uri=" + url.QueryEscape("https://example.org/g1")
	hr, _ := http.Get(u)
	body, _ = io.ReadAll(hr.Body)
	hr.Body.Close()
	if got := rowsOf(t, hr, body); len(got) != 2 {
		t.Errorf("default-graph-uri g1 over FROM g2 = %v, want g1's 2 quads", got)
	}
	resp, body = do(t, srv, req{method: "POST", path: "/sparql?default-graph-uri=" + url.QueryEscape("https://example.org/g2"), ctype: "application/x-www-form-urlencoded",
		body: url.Values{"query": {all}, "default-graph-uri": {"https://example.org/g1"}}.Encode()})
	if got := rowsOf(t, resp, body); len(got) != 3 {
		t.Errorf("form with default-graph-uri g1 in the body and g2 in the URL = %v, want the 3 quads of both", got)
	}
	resp, body = sparqlGet(t, base, "/sparql", sparqlPrefix+"SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "")
	if got := rowsOf(t, resp, body); strings.Join(got, ",") != "<https://example.org/g1>,<https://example.org/g2>" {
		t.Errorf("named graphs = %v", got)
	}

	// ASK: JSON or XML; CSV has no boolean.
	resp, body = sparqlGet(t, base, "/sparql", sparqlPrefix+"ASK { ex:a ex:p/ex:p ex:c }", "application/sparql-results+xml")
	if got := rowsOf(t, resp, body); strings.Join(got, "") != "true" {
		t.Errorf("ASK = %v", got)
	}
	resp, body = sparqlGet(t, base, "/sparql", sparqlPrefix+"ASK { ex:a ex:p ex:c }", "text/csv")
	if resp.StatusCode != 406 {
		t.Errorf("ASK as CSV = %d %s, want 406", resp.StatusCode, body)
	}

	// CONSTRUCT and DESCRIBE in every RDF format, read back.
	for _, f := range rdfio.Formats() {
		if !f.Writable {
			continue
		}
		resp, body := sparqlGet(t, base, "/sparql", sparqlPrefix+"CONSTRUCT { ?s ex:q ?o } WHERE { ?s ex:p ?o }", f.MediaType())
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), f.MediaType()) {
			t.Errorf("CONSTRUCT as %s = %d %s %s", f.Name, resp.StatusCode, resp.Header.Get("Content-Type"), body)
			continue
		}
		qs, err := rdfio.ReadAll(body, f, rdfio.ReadOptions{Contexts: map[string][]byte{base + "/ontology/context.jsonld": ontology.Context()}}, rdfio.Limits{})
		if err != nil || len(qs) != 4 {
			t.Errorf("CONSTRUCT as %s: %d quads, %v\n%s", f.Name, len(qs), err, body)
		}
	}
	resp, body = sparqlGet(t, base, "/sparql", sparqlPrefix+"DESCRIBE ex:a", "application/n-triples")
	if n := strings.Count(string(body), "\n"); resp.StatusCode != 200 || n != 2 {
		t.Errorf("DESCRIBE ex:a = %d, %d lines, want 2\n%s", resp.StatusCode, n, body)
	}

	// The service description says the default graph is the union.
	r, _ := http.NewRequest("GET", base+"/sparql", nil)
	r.Header.Set("Accept", "application/n-triples")
	hr, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(hr.Body)
	hr.Body.Close()
	for _, want := range []string{"<http://www.w3.org/ns/sparql-service-description#UnionDefaultGraph>", "<" + base + "/sparql>", "<https://example.org/g1>", "SPARQL11Update"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("service description lacks %s:\n%s", want, body)
		}
	}

	// Explain: the plan with estimates, by parameter or header.
	hr, err = http.Get(base + "/sparql?explain&query=" + url.QueryEscape(all))
	if err != nil {
		t.Fatal(err)
	}
	var ex struct {
		Form string
		Plan struct {
			Op       string
			Children []json.RawMessage
		}
		Text string
	}
	json.NewDecoder(hr.Body).Decode(&ex)
	hr.Body.Close()
	if ex.Form != "SELECT" || ex.Plan.Op != "select" || !strings.Contains(ex.Text, "scan ?s <https://example.org/p> ?o") || !strings.Contains(ex.Text, "est.") {
		t.Errorf("explain = %+v", ex)
	}
	resp, body = do(t, srv, req{method: "POST", path: "/sparql", ctype: "application/sparql-query", body: all, header: map[string]string{"X-Innograph-Explain": "1"}})
	if !strings.Contains(string(body), `"plan"`) {
		t.Errorf("explain by header = %d %s", resp.StatusCode, body)
	}
}

// TestSPARQLUpdateProtocol: updates need a write token, apply as one
// transaction, are validated and audited; a query never writes.
func TestSPARQLUpdateProtocol(t *testing.T) {
	cfg := api.Config{ReadTokens: mustTokens(t, "reader:reader-secret-0123456789")}
	srv, store, audit := sparqlServer(t, cfg)
	const ins = sparqlPrefix + "INSERT DATA { GRAPH ex:g3 { ex:x ex:p ex:y } }"
	before := contentHash(t, store)
	for _, tc := range []struct {
		name, token string
		status      int
	}{
		{"no token", "", 401},
		{"read token", "reader-secret-0123456789", 401},
		{"unknown token", "nobody-secret-0123456789", 401},
	} {
		resp, body := do(t, srv, req{method: "POST", path: "/sparql", ctype: "application/sparql-update", body: ins, token: tc.token})
		if resp.StatusCode != tc.status {
			t.Errorf("update with %s = %d %s, want %d", tc.name, resp.StatusCode, body, tc.status)
		}
	}
	if contentHash(t, store) != before {
		t.Fatal("a refused update changed the store")
	}
	// Queries by POST need a read token when reads do.
	resp, body := do(t, srv, req{method: "POST", path: "/sparql", ctype: "application/sparql-query", body: "ASK {}"})
	if resp.StatusCode != 401 {
		t.Errorf("POST query without a read token = %d %s, want 401", resp.StatusCode, body)
	}
	resp, body = do(t, srv, req{method: "GET", path: "/sparql?query=ASK%7B%7D"})
	if resp.StatusCode != 401 {
		t.Errorf("GET query without a read token = %d %s, want 401", resp.StatusCode, body)
	}
	resp, body = do(t, srv, req{method: "POST", path: "/sparql", ctype: "application/sparql-query", body: "ASK {}", token: "reader-secret-0123456789"})
	if resp.StatusCode != 200 {
		t.Errorf("POST query with a read token = %d %s, want 200", resp.StatusCode, body)
	}

	resp, body = do(t, srv, req{method: "POST", path: "/api/v1/sparql", ctype: "application/x-www-form-urlencoded",
		body: url.Values{"update": {ins}}.Encode(), token: "alice-secret-0123456789"})
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"added":1`) {
		t.Fatalf("update = %d %s", resp.StatusCode, body)
	}
	if log := audit.String(); !strings.Contains(log, `"operation":"sparql update"`) || !strings.Contains(log, `"token":"alice"`) || !strings.Contains(log, "https://example.org/g3") {
		t.Errorf("audit log lacks the update: %s", log)
	}
	resp, body = do(t, srv, req{method: "GET", path: "/sparql?query=" + url.QueryEscape(sparqlPrefix+"SELECT ?o WHERE { GRAPH ex:g3 { ex:x ex:p ?o } }"), token: "reader-secret-0123456789"})
	if got := rowsOf(t, resp, body); strings.Join(got, ",") != "<https://example.org/y>" {
		t.Errorf("after the update = %v", got)
	}

	// A shape violation is a 422 with the violations; nothing is written.
	before = contentHash(t, store)
	resp, body = do(t, srv, req{method: "POST", path: "/sparql", ctype: "application/sparql-update", token: "alice-secret-0123456789",
		body: "PREFIX ig: <https://w3id.org/innograph/ontology#>\n" + sparqlPrefix + "INSERT DATA { ex:x ex:p ex:z . ex:u a ig:University }"})
	if resp.StatusCode != 422 || !strings.Contains(string(body), "violations") {
		t.Errorf("update breaking the shapes = %d %s, want 422 with violations", resp.StatusCode, body)
	}
	// LOAD is refused, and takes the operations before it down too.
	resp, body = do(t, srv, req{method: "POST", path: "/sparql", ctype: "application/sparql-update", token: "alice-secret-0123456789",
		body: "DROP ALL ; LOAD <https://example.org/data.ttl>"})
	if p := problemOf(t, resp, body); resp.StatusCode != 422 || !strings.Contains(p.Detail, "does not fetch") {
		t.Errorf("LOAD = %d %s, want 422 saying the service fetches nothing", resp.StatusCode, body)
	}
	if contentHash(t, store) != before {
		t.Fatal("a refused update changed the store")
	}
}

// TestSPARQLLimits: the row limit, the timeout and syntax errors.
func TestSPARQLLimits(t *testing.T) {
	srv, _, _ := sparqlServer(t, api.Config{MaxSPARQLRows: 3, QueryTimeout: 300 * time.Millisecond})
	base := srv.URL
	resp, body := sparqlGet(t, base, "/sparql", "SELECT * WHERE { ?s ?p ?o }", "")
	if p := problemOf(t, resp, body); resp.StatusCode != 413 || !strings.Contains(p.Detail, "more than 3 rows") {
		t.Errorf("5 rows with a limit of 3 = %d %s, want 413", resp.StatusCode, body)
	}
	if resp.Header.Get("X-Innograph-Max-Rows") != "3" {
		t.Errorf("X-Innograph-Max-Rows = %q", resp.Header.Get("X-Innograph-Max-Rows"))
	}
	for _, f := range rdfio.Formats() {
		if !f.Writable {
			continue
		}
		resp, body = sparqlGet(t, base, "/sparql", "CONSTRUCT WHERE { ?s ?p ?o }", f.MediaType())
		if resp.StatusCode != 413 {
			t.Errorf("5 triples as %s with a limit of 3 = %d %s, want 413", f.Name, resp.StatusCode, body)
		}
	}
	resp, body = sparqlGet(t, base, "/sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 3", "")
	if resp.StatusCode != 200 {
		t.Errorf("LIMIT 3 with a limit of 3 = %d %s", resp.StatusCode, body)
	}
	// A cartesian product counted: nothing to stream, so the timeout is a 503.
	start := time.Now()
	resp, body = sparqlGet(t, base, "/sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o . ?p ?q ?r . ?s ?t ?u . ?v ?w ?x . ?y ?z ?aa . ?bb ?cc ?dd . ?ee ?ff ?gg }", "")
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || time.Since(start) > 5*time.Second {
		t.Errorf("endless count = %d (Retry-After %q) after %v: %s", resp.StatusCode, resp.Header.Get("Retry-After"), time.Since(start), body)
	}
	resp, body = sparqlGet(t, base, "/sparql", "SELECT *\nWHERE {\n  ?s ?p ?o .\n  FILTER(?o = )\n}", "")
	if p := problemOf(t, resp, body); resp.StatusCode != 400 || p.Line != 4 || p.Column == 0 {
		t.Errorf("syntax error = %d %+v, want 400 at line 4", resp.StatusCode, p)
	}
}

// TestSPARQLStreamCut: past the first flush an error can no longer be a
// problem; the connection is cut so the client sees a failed transfer,
// never a whole-looking truncated answer.
func TestSPARQLStreamCut(t *testing.T) {
	srv, store, _ := newWriteServer(t, api.Config{MaxSPARQLRows: 2000})
	err := store.Write(context.Background(), func(b *graph.Batch) error {
		for i := 0; i < 3000; i++ {
			b.Add(quad.Quad{Subject: quad.IRI(fmt.Sprintf("https://example.org/s%d", i)), Predicate: quad.IRI("https://example.org/p"), Object: quad.String(strings.Repeat("x", 40))})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(srv.URL + "/sparql?query=" + url.QueryEscape("SELECT * WHERE { ?s ?p ?o }"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, err = io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || err == nil {
		t.Errorf("3000 rows with a limit of 2000 = %d, read error %v; want 200 and a cut transfer", resp.StatusCode, err)
	}
}

// TestSPARQLCORS: a browser SPARQL client (YASGUI) may POST a query with a
// token from another origin: the preflight allows it.
func TestSPARQLCORS(t *testing.T) {
	srv, _, _ := sparqlServer(t, api.Config{})
	resp, _ := do(t, srv, req{method: "OPTIONS", path: "/sparql", header: map[string]string{
		"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type, authorization"}})
	allow := strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers"))
	if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(allow, "authorization") || !strings.Contains(allow, "content-type") ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "POST") {
		t.Errorf("preflight = %d %v", resp.StatusCode, resp.Header)
	}
	resp, _ = do(t, srv, req{method: "POST", path: "/sparql", ctype: "application/sparql-query", body: "ASK {}", header: map[string]string{"Origin": "https://yasgui.example"}})
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("cross-origin POST = %d %v", resp.StatusCode, resp.Header)
	}
}

// TestSPARQLHead: HEAD answers as GET does, without the body.
func TestSPARQLHead(t *testing.T) {
	srv, _, _ := sparqlServer(t, api.Config{})
	for _, path := range []string{"/sparql", "/api/v1/sparql?query=" + url.QueryEscape("ASK {}")} {
		resp, body := do(t, srv, req{method: "HEAD", path: path})
		if resp.StatusCode != 200 || len(body) != 0 || resp.Header.Get("Content-Type") == "" {
			t.Errorf("HEAD %s = %d %q (%s)", path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}
}

// TestSPARQLLongStream: an answer that streams longer than the response
// write deadline is not cut while the client keeps reading.
func TestSPARQLLongStream(t *testing.T) {
	srv, store, _ := newWriteServer(t, api.Config{MaxSPARQLRows: -1, Timeouts: api.Timeouts{Write: 100 * time.Millisecond, Progress: 10 * time.Second}})
	err := store.Write(context.Background(), func(b *graph.Batch) error {
		for i := 0; i < 1000; i++ {
			b.Add(quad.Quad{Subject: quad.IRI(fmt.Sprintf("https://example.org/s%d", i)), Predicate: quad.IRI("https://example.org/p"), Object: quad.Int(i)})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	resp, body := sparqlGet(t, srv.URL, "/sparql", "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 300000", "text/tab-separated-values")
	if n := bytes.Count(body, []byte("\n")); resp.StatusCode != 200 || n != 300001 {
		t.Errorf("a %v stream with a 100 ms write deadline = %d, %d lines; want 200 and 300,001", time.Since(start), resp.StatusCode, n)
	}
}
