package api_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/api"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/gen"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/ontology"
)

// ecosystem is a small graph in the ontology's terms: a company in a
// cluster, the cluster and a university in a network.
func ecosystem() []quad.Quad {
	id := func(s string) quad.IRI { return quad.IRI(ontology.IDBase + s) }
	ig := func(s string) quad.IRI { return quad.IRI(ontology.NS + s) }
	typ := quad.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
	lbl := quad.IRI("http://www.w3.org/2000/01/rdf-schema#label")
	g := id("source/test")
	q := func(s, p, o quad.Value) quad.Quad { return quad.Quad{Subject: s, Predicate: p, Object: o, Label: g} }
	return []quad.Quad{
		q(id("org/aarhus-universitet"), typ, ig("University")),
		q(id("org/aarhus-universitet"), lbl, quad.LangString{Value: "Århus Universitet", Lang: "da"}),
		q(id("org/aarhus-universitet"), ig("memberOf"), id("org/net")),
		q(id("org/cluster"), typ, ig("BusinessCluster")),
		q(id("org/cluster"), lbl, quad.String("Cluster")),
		q(id("org/cluster"), ig("memberOf"), id("org/net")),
		q(id("org/net"), typ, ig("InnovationNetwork")),
		q(id("org/net"), lbl, quad.String("Net")),
		q(id("org/company"), typ, ig("Company")),
		q(id("org/company"), lbl, quad.String("Company")),
		q(id("org/company"), ig("memberOf"), id("org/cluster")),
		q(id("org/company"), ig("region"), id("region/dk04")),
		q(id("region/dk04"), typ, ig("Region")),
		q(id("region/dk04"), lbl, quad.String("Region of Central Jutland")),
	}
}

type call struct {
	method, path, body, accept string
}

func (c call) do(t *testing.T, base string) (*http.Response, []byte) {
	t.Helper()
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	method := c.method
	if method == "" {
		method = http.MethodGet
	}
	req, err := http.NewRequest(method, base+c.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if c.accept != "" {
		req.Header.Set("Accept", c.accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, c.path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func TestQueryEndpoints(t *testing.T) {
	srv, _ := newServer(t, ecosystem()...)
	au := url.PathEscape(ontology.IDBase + "org/aarhus-universitet")
	threeStep := `{"start":{"type":"Company"},"steps":[
		{"predicates":["memberOf"],"type":"BusinessCluster"},
		{"predicates":["ig:memberOf"],"type":"InnovationNetwork"},
		{"predicates":["memberOf"],"direction":"in","type":"University"}]}`
	tests := []struct {
		name   string
		call   call
		status int
		has    []string // substrings of the body
	}{
		{"entities by type", call{path: "/api/v1/entities?type=University"}, 200, []string{`"id":"https://w3id.org/innograph/id/org/aarhus-universitet"`}},
		{"entities folded search", call{path: "/api/v1/entities?q=aarhus+universitet"}, 200, []string{"aarhus-universitet"}},
		{"entities limit and cursor", call{path: "/api/v1/entities?limit=1"}, 200, []string{`"next":"`}},
		{"entities bad cursor", call{path: "/api/v1/entities?cursor=zzz"}, 400, []string{"cursor"}},
		{"entities bad limit", call{path: "/api/v1/entities?limit=ten"}, 400, []string{"limit"}},
		{"entities limit over max", call{path: "/api/v1/entities?limit=100000"}, 400, []string{"maximum page size"}},
		{"entity by short form", call{path: "/api/v1/entities/org/aarhus-universitet"}, 200, []string{`"predicate":"https://w3id.org/innograph/ontology#memberOf"`, "Århus Universitet"}},
		{"entity by IRI", call{path: "/api/v1/entities/" + au}, 200, []string{"Århus Universitet"}},
		{"entity by prefixed name", call{path: "/api/v1/entities/region:dk04"}, 200, []string{"Region of Central Jutland"}},
		{"entity unknown", call{path: "/api/v1/entities/org/nobody"}, 404, []string{"nobody"}},
		{"entity bad id", call{path: "/api/v1/entities/not%20an%20id"}, 400, []string{"not an id"}},
		{"entity no id", call{path: "/api/v1/entities/"}, 400, []string{"no entity id"}},
		{"neighbourhood", call{path: "/api/v1/entities/org/company/neighbourhood?hops=2"}, 200, []string{"org/net", "region/dk04"}},
		{"neighbourhood by IRI", call{path: "/api/v1/entities/" + au + "/neighbourhood"}, 200, []string{"org/net"}},
		{"neighbourhood too many hops", call{path: "/api/v1/entities/org/company/neighbourhood?hops=99"}, 400, []string{"exceeds the maximum"}},
		{"connections", call{path: "/api/v1/connections?from=University&to=BusinessCluster&through=org/net"}, 200, []string{`"pairs":[{"from":{"id":"https://w3id.org/innograph/id/org/aarhus-universitet"`, `"paths":[`}},
		{"connections no from", call{path: "/api/v1/connections?to=BusinessCluster"}, 400, []string{"from is required"}},
		{"connections unknown prefix", call{path: "/api/v1/connections?from=xx:University&to=BusinessCluster"}, 400, []string{"unknown prefix"}},
		{"connections maxHops not a number", call{path: "/api/v1/connections?from=University&to=Company&maxHops=two"}, 400, []string{"maxHops"}},
		{"shortest path", call{path: "/api/v1/shortest-path?from=org/company&to=org/aarhus-universitet"}, 200, []string{`"hops":3`}},
		{"shortest path by predicates", call{path: "/api/v1/shortest-path?from=org/company&to=org/net&predicates=memberOf&direction=out"}, 200, []string{`"hops":2`}},
		{"shortest path none", call{path: "/api/v1/shortest-path?from=org/company&to=org/aarhus-universitet&direction=out"}, 200, []string{`"hops":-1`}},
		{"shortest path bad direction", call{path: "/api/v1/shortest-path?from=org/company&to=org/net&direction=up"}, 400, []string{"direction"}},
		{"paths 3 steps", call{method: "POST", path: "/api/v1/paths", body: threeStep}, 200, []string{`"matches":[{"nodes":[`, "aarhus-universitet"}},
		{"paths no match", call{method: "POST", path: "/api/v1/paths", body: `{"start":{"type":"Company"},"steps":[{"predicates":["memberOf"],"type":"Region"}]}`}, 200, []string{`{"matches":[]}`}},
		{"paths subgraph", call{method: "POST", path: "/api/v1/paths", body: `{"start":{"ids":["org/company"]},"steps":[{"predicates":["memberOf"],"repeat":{"min":1,"max":2}}],"result":"subgraph"}`}, 200, []string{`"subgraph":{"nodes":[`, "org/net"}},
		{"paths unknown field", call{method: "POST", path: "/api/v1/paths", body: `{"start":{"type":"Company"},"stpes":[]}`}, 400, []string{`unknown field \"stpes\"`}},
		{"paths nested unknown field", call{method: "POST", path: "/api/v1/paths", body: `{"start":{"type":"Company"},"steps":[{"predicate":["memberOf"]}]}`}, 400, []string{`unknown field \"predicate\"`}},
		{"paths wrong type", call{method: "POST", path: "/api/v1/paths", body: `{"start":{"type":"Company"},"steps":[{"repeat":{"min":"one"}}]}`}, 400, []string{"repeat.min"}},
		{"paths not JSON", call{method: "POST", path: "/api/v1/paths", body: `start: Company`}, 400, []string{"pattern"}},
		{"paths trailing data", call{method: "POST", path: "/api/v1/paths", body: `{"start":{"type":"Company"}} {}`}, 400, []string{"after the JSON"}},
		{"paths empty", call{method: "POST", path: "/api/v1/paths"}, 400, []string{"empty"}},
		{"paths no start", call{method: "POST", path: "/api/v1/paths", body: `{"steps":[]}`}, 400, []string{"start needs"}},
		{"paths repeat too long", call{method: "POST", path: "/api/v1/paths", body: `{"start":{"type":"Company"},"steps":[{"repeat":{"min":1,"max":50}}]}`}, 400, []string{"exceeds the maximum hop count"}},
		{"paths unknown start id", call{method: "POST", path: "/api/v1/paths", body: `{"start":{"ids":["org/nobody"]},"steps":[]}`}, 404, []string{"nobody"}},
		{"paths body too large", call{method: "POST", path: "/api/v1/paths", body: `{"start":{"type":"` + strings.Repeat("x", 2<<20) + `"}}`}, 413, []string{"larger than"}},
		{"paths GET not allowed", call{path: "/api/v1/paths"}, 405, []string{"not allowed"}},
		{"gizmo", call{method: "POST", path: "/api/v1/query/gizmo", body: `g.V("<` + ontology.IDBase + `org/company>").Out("<` + ontology.NS + `memberOf>").All()`}, 200, []string{`"result":[{"id":"<https://w3id.org/innograph/id/org/cluster>"}]`}},
		{"gizmo limit", call{method: "POST", path: "/api/v1/query/gizmo?limit=1", body: `g.V().All()`}, 200, []string{`"truncated":true`}},
		{"gizmo error", call{method: "POST", path: "/api/v1/query/gizmo", body: `g.V(`}, 400, []string{"gizmo"}},
		{"graphql", call{method: "POST", path: "/api/v1/query/graphql", body: `{ nodes(id: <` + ontology.IDBase + `org/company>) { id <` + ontology.NS + `memberOf> { id } } }`}, 200, []string{`"id":"https://w3id.org/innograph/id/org/cluster"`}},
		{"graphql mutation", call{method: "POST", path: "/api/v1/query/graphql", body: `mutation { nodes { id } }`}, 400, []string{"read-only"}},
		{"format not offered", call{path: "/api/v1/connections?from=University&to=BusinessCluster&format=yaml"}, 406, []string{"not offered"}},
		{"accept not offered", call{path: "/api/v1/connections?from=University&to=BusinessCluster", accept: "image/png"}, 406, []string{"Accept"}},
		{"openapi", call{path: "/api/v1/openapi.json"}, 200, []string{`"openapi": "3.`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := tc.call.do(t, srv.URL)
			if resp.StatusCode != tc.status {
				t.Fatalf("%s %s = %d, want %d:\n%s", tc.call.method, tc.call.path, resp.StatusCode, tc.status, body)
			}
			if tc.status >= 400 {
				var p problem
				if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" || json.Unmarshal(body, &p) != nil || p.Status != tc.status {
					t.Errorf("%s: error body %s (%s), want a problem with status %d", tc.name, body, ct, tc.status)
				}
			}
			for _, h := range tc.has {
				if !strings.Contains(string(body), h) {
					t.Errorf("%s %s body lacks %q:\n%.2000s", tc.call.method, tc.call.path, h, body)
				}
			}
		})
	}
}

// TestAnswerFormats reads every path answer back as JSON-LD and Turtle with
// our parsers and checks it holds the stored quads the answer covers.
func TestAnswerFormats(t *testing.T) {
	srv, _ := newServer(t, ecosystem()...)
	memberOf := "<" + ontology.IDBase + "org/company> <" + ontology.NS + "memberOf> <" + ontology.IDBase + "org/cluster>"
	label := "<" + ontology.IDBase + "org/company> <http://www.w3.org/2000/01/rdf-schema#label> \"Company\""
	calls := map[string]call{
		"connections":   {path: "/api/v1/connections?from=Company&to=InnovationNetwork"},
		"paths":         {method: "POST", path: "/api/v1/paths", body: `{"start":{"type":"Company"},"steps":[{"predicates":["memberOf"]}]}`},
		"paths tuples":  {method: "POST", path: "/api/v1/paths", body: `{"start":{"type":"Company"},"steps":[{"predicates":["memberOf"]}],"result":"subgraph"}`},
		"shortest":      {path: "/api/v1/shortest-path?from=org/company&to=org/net"},
		"neighbourhood": {path: "/api/v1/entities/org/company/neighbourhood"},
	}
	formats := []struct {
		name, query, accept, mediaType string
		graphs                         bool
	}{
		{rdfio.Turtle, "format=turtle", "", "text/turtle", false},
		{rdfio.Turtle, "", "text/turtle", "text/turtle", false},
		{rdfio.JSONLD, "format=jsonld", "", "application/ld+json", false},
		{rdfio.JSONLD, "", "application/ld+json", "application/ld+json", false},
		{rdfio.TriG, "format=trig", "", "application/trig", true},
		{rdfio.RDFXML, "", "application/rdf+xml", "application/rdf+xml", false},
	}
	for name, c := range calls {
		for _, f := range formats {
			t.Run(name+" "+f.mediaType+" "+f.query, func(t *testing.T) {
				cc := c
				if f.query != "" {
					sep := "?"
					if strings.Contains(cc.path, "?") {
						sep = "&"
					}
					cc.path += sep + f.query
				}
				cc.accept = f.accept
				resp, body := cc.do(t, srv.URL)
				if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), f.mediaType) {
					t.Fatalf("%s = %d %s, want 200 %s:\n%s", cc.path, resp.StatusCode, resp.Header.Get("Content-Type"), f.mediaType, body)
				}
				format, _ := rdfio.Lookup(f.name)
				served := map[string][]byte{srv.URL + "/ontology/context.jsonld": ontology.Context()}
				r, err := rdfio.NewReader(bytes.NewReader(body), format, rdfio.ReadOptions{Contexts: served})
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]bool{}
				for {
					q, err := r.ReadQuad()
					if err == io.EOF {
						break
					}
					if err != nil {
						t.Fatalf("answer does not parse as %s: %v\n%s", f.name, err, body)
					}
					if f.graphs && q.Label != quad.IRI(ontology.IDBase+"source/test") {
						t.Errorf("quad %v lost its named graph", q)
					}
					got[q.Subject.String()+" "+q.Predicate.String()+" "+q.Object.String()] = true
				}
				if !got[memberOf] || !got[label] {
					t.Errorf("answer lacks %q or %q; has %v", memberOf, label, got)
				}
			})
		}
	}
	// JSON stays the default, for no Accept and for */*.
	for _, accept := range []string{"", "*/*", "application/json"} {
		resp, body := call{path: "/api/v1/shortest-path?from=org/company&to=org/net", accept: accept}.do(t, srv.URL)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" || !bytes.Contains(body, []byte(`"hops":2`)) {
			t.Errorf("Accept %q: %d %s %s, want the JSON answer", accept, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}
}

// TestPathologicalQueriesTimeOut sends queries that would run for minutes
// (unbounded repetition over the whole graph, as a pattern and as Gizmo) to
// a server with a 1.5 s query timeout: each gets a 503 problem with
// Retry-After soon after the deadline, the server answers other requests
// meanwhile (before any of the pathological ones is over), and the queries'
// goroutines end.
func TestPathologicalQueriesTimeOut(t *testing.T) {
	store, err := graph.Open(context.Background(), graph.Config{Backend: graph.Memory})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.Write(context.Background(), func(b *graph.Batch) error {
		return gen.Generate(batchWriter{b}, gen.Config{Regions: 8, Seed: 1})
	}); err != nil {
		t.Fatal(err)
	}
	const timeout = 1500 * time.Millisecond
	cfg := api.Config{Gizmo: true, QueryTimeout: timeout, QueryLimits: graph.QueryLimits{MaxHops: 12, MaxVisited: 1 << 30}}
	srv := httptest.NewServer(api.New(cfg, store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	before := runtime.NumGoroutine()

	bad := map[string]call{
		"pattern":    {method: "POST", path: "/api/v1/paths", body: `{"start":{"type":"Company"},"steps":[{"direction":"both","type":"Nothing","repeat":{"min":1}}]}`},
		"gizmo loop": {method: "POST", path: "/api/v1/query/gizmo", body: `while (true) {}`},
		"gizmo recursion": {method: "POST", path: "/api/v1/query/gizmo",
			body: `while (true) { g.V().FollowRecursive(g.M().Both(), 12).ForEach(function(x) {}) }`},
		"connections": {path: "/api/v1/connections?from=Company&to=Company&through=Region&maxHops=12"},
	}
	var wg sync.WaitGroup
	var over atomic.Int32 // pathological requests answered
	for name, c := range bad {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			resp, body := c.do(t, srv.URL)
			took := time.Since(start)
			over.Add(1)
			var p problem
			json.Unmarshal(body, &p)
			if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || p.Status != 503 ||
				resp.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s: %d (Retry-After %q) %s, want a 503 problem with Retry-After", name, resp.StatusCode, resp.Header.Get("Retry-After"), body)
			}
			if took < timeout || took > timeout+3*time.Second {
				t.Errorf("%s answered after %v, want soon after the %v timeout", name, took, timeout)
			}
		}()
	}
	// Meanwhile the server answers cheap requests.
	time.Sleep(100 * time.Millisecond)
	for _, c := range []call{
		{path: "/healthz"},
		{path: "/api/v1/entities/" + url.PathEscape(string(gen.CompanyIRI(0, 0)))},
		{path: "/api/v1/entities?type=University&limit=5"},
	} {
		start := time.Now()
		resp, body := c.do(t, srv.URL)
		if resp.StatusCode != 200 {
			t.Errorf("GET %s during the pathological queries = %d %s", c.path, resp.StatusCode, body)
		}
		if n := over.Load(); n > 0 {
			t.Errorf("GET %s answered after %d pathological queries ended (took %v), want while they run", c.path, n, time.Since(start))
		}
	}
	wg.Wait()
	// The interrupted queries free their goroutines.
	http.DefaultClient.CloseIdleConnections()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before+2 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+2 {
		t.Errorf("%d goroutines after the timeouts, %d before: the queries did not stop", n, before)
	}
}

// batchWriter lets gen.Generate write into a Batch.
type batchWriter struct{ b *graph.Batch }

func (w batchWriter) WriteQuad(q quad.Quad) error { w.b.Add(q); return nil }

func (w batchWriter) WriteQuads(qs []quad.Quad) (int, error) {
	for _, q := range qs {
		w.b.Add(q)
	}
	return len(qs), nil
}

// TestSlowBodyTimesOut sends a pattern whose body never finishes: the
// server answers 503 at the query timeout instead of waiting for it.
func TestSlowBodyTimesOut(t *testing.T) {
	store, err := graph.Open(context.Background(), graph.Config{Backend: graph.Memory})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	srv := httptest.NewServer(api.New(api.Config{QueryTimeout: 300 * time.Millisecond}, store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	fmt.Fprintf(conn, "POST /api/v1/paths HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"start\":")
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no response to a stalled body after %v: %v", time.Since(start), err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || time.Since(start) > 3*time.Second {
		t.Errorf("stalled body = %d (Retry-After %q) after %v, want 503 at the 300 ms timeout", resp.StatusCode, resp.Header.Get("Retry-After"), time.Since(start))
	}
}

// TestUnanswerable checks that a well-formed query whose search outgrows
// the configured limits is a 422 problem, not a crash or a hang.
func TestUnanswerable(t *testing.T) {
	store, err := graph.Open(context.Background(), graph.Config{Backend: graph.Memory})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.Write(context.Background(), func(b *graph.Batch) error {
		for _, q := range ecosystem() {
			b.Add(q)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(api.Config{QueryLimits: graph.QueryLimits{MaxVisited: 2}}, store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	for _, c := range []call{
		{path: "/api/v1/entities/org/company/neighbourhood?hops=3"},
		{path: "/api/v1/shortest-path?from=org/company&to=org/aarhus-universitet"},
	} {
		resp, body := c.do(t, srv.URL)
		var p problem
		if resp.StatusCode != http.StatusUnprocessableEntity || json.Unmarshal(body, &p) != nil || p.Status != 422 || !strings.Contains(p.Detail, "more than 2") {
			t.Errorf("GET %s with MaxVisited 2 = %d %s, want a 422 problem saying the search is too large", c.path, resp.StatusCode, body)
		}
	}
}
