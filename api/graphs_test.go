package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/innograph/innograph/api"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/seeds"
	"github.com/innograph/innograph/seeds/seeddocs"
)

const (
	writeSecret = "w-secret-0123456789abcdef"
	readSecret  = "r-secret-0123456789abcdef"
)

// syncBuf is a log sink safe for the server's goroutines.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newWriteServer starts the real handler over a memory store with cfg,
// returning the audit log too.
func newWriteServer(t *testing.T, cfg api.Config) (*httptest.Server, *graph.Store, *syncBuf) {
	t.Helper()
	store, err := graph.Open(context.Background(), graph.Config{Backend: graph.Memory})
	if err != nil {
		t.Fatal(err)
	}
	audit := &syncBuf{}
	cfg.Audit = slog.New(slog.NewJSONHandler(audit, nil))
	srv := httptest.NewServer(api.New(cfg, store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(func() { srv.Close(); store.Close() })
	return srv, store, audit
}

func mustTokens(t *testing.T, list string) []api.Token {
	t.Helper()
	toks, err := api.ParseTokens(list)
	if err != nil {
		t.Fatal(err)
	}
	return toks
}

type req struct {
	method, path, ctype, token, body string
	header                           map[string]string
}

func do(t *testing.T, srv *httptest.Server, r req) (*http.Response, []byte) {
	t.Helper()
	hr, err := http.NewRequest(r.method, srv.URL+r.path, strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	if r.ctype != "" {
		hr.Header.Set("Content-Type", r.ctype)
	}
	if r.token != "" {
		hr.Header.Set("Authorization", "Bearer "+r.token)
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// fullProblem is every member of a problem body the tests look at.
type fullProblem struct {
	Type, Title      string
	Status           int
	Detail, Instance string
	Line, Column     int
	Offered          []string
}

func problemOf(t *testing.T, resp *http.Response, body []byte) fullProblem {
	t.Helper()
	var p fullProblem
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type = %q, want application/problem+json (body %s)", ct, body)
		return p
	}
	if err := json.Unmarshal(body, &p); err != nil {
		t.Errorf("problem body %s: %v", body, err)
	}
	return p
}

func graphPath(iri string) string { return "/api/v1/graphs?graph=" + url.QueryEscape(iri) }

func TestParseTokens(t *testing.T) {
	tests := []struct {
		name, list string
		ids        []string
		errHas     string
	}{
		{"named", "alice:" + writeSecret + ", bob:" + readSecret, []string{"alice", "bob"}, ""},
		{"bare gets hash id", writeSecret, []string{"d3d5ba3a"}, ""},
		{"lines and comments", "# curators\nalice:" + writeSecret + "\n\n", []string{"alice"}, ""},
		{"short secret", "alice:short", nil, "shorter than 16"},
		{"bad id", "al ice:" + writeSecret, nil, "may only hold"},
		{"repeated id", "a:" + writeSecret + ",a:" + readSecret, nil, "used by an earlier token"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			toks, err := api.ParseTokens(tc.list)
			if tc.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errHas) {
					t.Fatalf("ParseTokens(%q) error = %v, want one with %q", tc.list, err, tc.errHas)
				}
				if strings.Contains(err.Error(), "short") && strings.Contains(err.Error(), ":short") {
					t.Errorf("error %q repeats the secret", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, tok := range toks {
				ids = append(ids, tok.ID)
			}
			if tc.name == "bare gets hash id" {
				if len(ids) != 1 || len(ids[0]) != 8 {
					t.Errorf("ids = %v, want one 8-hex-digit id", ids)
				}
				return
			}
			if fmt.Sprint(ids) != fmt.Sprint(tc.ids) {
				t.Errorf("ids = %v, want %v", ids, tc.ids)
			}
		})
	}
}

func TestWriteAuth(t *testing.T) {
	body := "<https://example.org/a> <https://example.org/p> \"x\" .\n"
	t.Run("no tokens: writes off", func(t *testing.T) {
		srv, _, _ := newWriteServer(t, api.Config{})
		resp, b := do(t, srv, req{method: "PUT", path: graphPath("https://example.org/g"), ctype: "application/n-triples", token: writeSecret, body: body})
		p := problemOf(t, resp, b)
		if resp.StatusCode != 403 || !strings.Contains(p.Detail, "INNOGRAPH_WRITE_TOKENS") {
			t.Errorf("PUT with writes off = %d %q, want 403 saying how to enable writes", resp.StatusCode, p.Detail)
		}
	})
	srv, _, audit := newWriteServer(t, api.Config{WriteTokens: mustTokens(t, "curator:"+writeSecret)})
	tests := []struct {
		name, auth string
		want       int
	}{
		{"missing", "", 401},
		{"wrong", "Bearer not-the-token-0123456789", 401},
		{"other scheme", "Basic " + writeSecret, 401},
		{"empty bearer", "Bearer ", 401},
		{"good", "Bearer " + writeSecret, 201},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := req{method: "PUT", path: graphPath("https://example.org/g"), ctype: "application/n-triples", body: body}
			if tc.auth != "" {
				r.header = map[string]string{"Authorization": tc.auth}
			}
			resp, b := do(t, srv, r)
			if resp.StatusCode != tc.want {
				t.Fatalf("PUT %s = %d %s, want %d", tc.name, resp.StatusCode, b, tc.want)
			}
			if tc.want == 401 {
				p := problemOf(t, resp, b)
				if !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") || p.Status != 401 || p.Detail == "" {
					t.Errorf("401 without a Bearer challenge or problem: %q %+v", resp.Header.Get("WWW-Authenticate"), p)
				}
			}
		})
	}
	if log := audit.String(); !strings.Contains(log, `"token":"curator"`) || !strings.Contains(log, `"added":1`) {
		t.Errorf("audit log lacks the write by token curator with 1 quad added:\n%s", log)
	}
	if strings.Contains(audit.String(), writeSecret) {
		t.Error("audit log contains the secret")
	}
}

func TestReadTokens(t *testing.T) {
	srv, _, _ := newWriteServer(t, api.Config{
		WriteTokens: mustTokens(t, "curator:"+writeSecret),
		ReadTokens:  mustTokens(t, "viewer:"+readSecret),
	})
	tests := []struct {
		name, path, token string
		want              int
	}{
		{"health stays open", "/healthz", "", 200},
		{"stats without token", "/api/v1/stats", "", 401},
		{"stats with wrong token", "/api/v1/stats", "wrong-token-0123456789", 401},
		{"stats with read token", "/api/v1/stats", readSecret, 200},
		{"stats with write token", "/api/v1/stats", writeSecret, 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := do(t, srv, req{method: "GET", path: tc.path, token: tc.token})
			if resp.StatusCode != tc.want {
				t.Errorf("GET %s = %d %s, want %d", tc.path, resp.StatusCode, b, tc.want)
			}
		})
	}
	// A read token does not write.
	resp, _ := do(t, srv, req{method: "POST", path: "/api/v1/graphs?default", ctype: "text/turtle", token: readSecret, body: ""})
	if resp.StatusCode != 401 {
		t.Errorf("POST with a read token = %d, want 401", resp.StatusCode)
	}
}

// nt parses an N-Triples/N-Quads answer into sorted lines for comparison.
func ntLines(t *testing.T, body []byte, f string) []string {
	t.Helper()
	format, _ := rdfio.Lookup(f)
	qs, err := rdfio.ReadAll(body, format, rdfio.ReadOptions{}, rdfio.Limits{})
	if err != nil {
		t.Fatalf("answer does not parse as %s: %v\n%s", f, err, body)
	}
	var out []string
	for _, q := range qs {
		out = append(out, q.String())
	}
	return out
}

func TestGraphStoreProtocol(t *testing.T) {
	srv, _, audit := newWriteServer(t, api.Config{WriteTokens: mustTokens(t, "curator:"+writeSecret)})
	g := graphPath("https://example.org/g")
	ttl := "@prefix ex: <https://example.org/> .\nex:a ex:p \"one\", \"01\"^^<http://www.w3.org/2001/XMLSchema#integer> .\nex:b ex:p [ ex:q ex:c ] .\n"
	steps := []struct {
		name   string
		r      req
		want   int
		quads  int    // quads in the graph afterwards (-1: don't check)
		detail string // for problems
	}{
		{"GET absent graph", req{method: "GET", path: g}, 404, -1, "holds no quads"},
		{"PUT creates", req{method: "PUT", path: g, ctype: "text/turtle", body: ttl}, 201, 4, ""},
		{"PUT same body again", req{method: "PUT", path: g, ctype: "text/turtle; charset=utf-8", body: ttl}, 204, 4, ""},
		{"POST merges", req{method: "POST", path: g, ctype: "application/n-triples", body: "<https://example.org/d> <https://example.org/p> \"two\"@da .\n"}, 204, 5, ""},
		{"PUT replaces", req{method: "PUT", path: g, ctype: "application/ld+json", body: `{"@id":"https://example.org/z","https://example.org/p":"only"}`}, 204, 1, ""},
		{"PUT TriG of this graph", req{method: "PUT", path: g, ctype: "application/trig", body: "<https://example.org/g> { <https://example.org/y> <https://example.org/p> 1 . }"}, 204, 1, ""},
		{"PUT TriG of another graph", req{method: "PUT", path: g, ctype: "application/trig", body: "<https://example.org/h> { <https://example.org/y> <https://example.org/p> 1 . }"}, 400, 1, "writes the graph <https://example.org/g> only"},
		{"N-Quads of this graph", req{method: "POST", path: g, ctype: "application/n-quads", body: "<https://example.org/x> <https://example.org/p> <https://example.org/y> <https://example.org/g> .\n"}, 204, 2, ""},
		{"syntax error located", req{method: "PUT", path: g, ctype: "text/turtle", body: "@prefix ex: <https://example.org/> .\nex:a ex:p \"unterminated .\n"}, 400, 2, "line 2"},
		{"missing content type", req{method: "PUT", path: g, body: ttl}, 415, 2, "text/turtle"},
		{"wrong content type", req{method: "PUT", path: g, ctype: "image/png", body: ttl}, 415, 2, "not accepted"},
		{"both parameters", req{method: "PUT", path: g + "&default", ctype: "text/turtle", body: ttl}, 400, 2, "not both"},
		{"no parameter on a write", req{method: "PUT", path: "/api/v1/graphs", ctype: "text/turtle", body: ttl}, 400, 2, "name the graph"},
		{"relative graph IRI", req{method: "PUT", path: "/api/v1/graphs?graph=rel", ctype: "text/turtle", body: ttl}, 400, 2, "not absolute"},
		{"default graph POST", req{method: "POST", path: "/api/v1/graphs?default", ctype: "application/n-triples", body: "<https://example.org/d> <https://example.org/p> \"default\" .\n"}, 201, 2, ""},
		{"DELETE", req{method: "DELETE", path: g}, 204, 0, ""},
		{"DELETE again", req{method: "DELETE", path: g}, 404, 0, "holds no quads"},
	}
	for _, st := range steps {
		if st.r.method != "GET" {
			st.r.token = writeSecret
		}
		resp, b := do(t, srv, st.r)
		if resp.StatusCode != st.want {
			t.Fatalf("%s: %s %s = %d %s, want %d", st.name, st.r.method, st.r.path, resp.StatusCode, b, st.want)
		}
		if st.detail != "" {
			p := problemOf(t, resp, b)
			if !strings.Contains(p.Detail, st.detail) {
				t.Errorf("%s: problem detail %q, want it to contain %q", st.name, p.Detail, st.detail)
			}
			if st.name == "syntax error located" && (p.Line != 2 || p.Column == 0) {
				t.Errorf("%s: problem line/column = %d/%d, want line 2 and a column", st.name, p.Line, p.Column)
			}
		}
		if st.quads < 0 {
			continue
		}
		resp, b = do(t, srv, req{method: "GET", path: g, header: map[string]string{"Accept": "application/n-triples"}})
		got := 0
		if resp.StatusCode == 200 {
			got = len(ntLines(t, b, "ntriples"))
		} else if resp.StatusCode != 404 {
			t.Fatalf("%s: GET after = %d %s", st.name, resp.StatusCode, b)
		}
		if got != st.quads {
			t.Errorf("%s: graph holds %d quads afterwards, want %d:\n%s", st.name, got, st.quads, b)
		}
	}
	// The whole dataset, as N-Quads, holds the default graph.
	resp, b := do(t, srv, req{method: "GET", path: "/api/v1/graphs", header: map[string]string{"Accept": "application/n-quads"}})
	if resp.StatusCode != 200 || len(ntLines(t, b, "nquads")) != 1 {
		t.Errorf("GET all = %d %s, want the one default-graph quad", resp.StatusCode, b)
	}
	resp, _ = do(t, srv, req{method: "GET", path: "/api/v1/graphs", header: map[string]string{"Accept": "text/turtle"}})
	if resp.StatusCode != 406 {
		t.Errorf("GET all as Turtle = %d, want 406 (Turtle drops graph names)", resp.StatusCode)
	}
	if n := strings.Count(audit.String(), `"msg":"write"`); n != 8 {
		t.Errorf("audit log has %d write lines, want 8 (one per applied write):\n%s", n, audit)
	}
}

// TestReplaceIsAtomic replaces a graph back and forth between two versions
// while readers fetch it: every read must be one version whole.
func TestReplaceIsAtomic(t *testing.T) {
	srv, _, _ := newWriteServer(t, api.Config{WriteTokens: mustTokens(t, "curator:"+writeSecret)})
	g := graphPath("https://example.org/g")
	version := func(v string, n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "<https://example.org/%s%d> <https://example.org/p> \"%s\" .\n", v, i, v)
		}
		return b.String()
	}
	a, bv := version("a", 300), version("b", 200)
	if resp, b := do(t, srv, req{method: "PUT", path: g, ctype: "application/n-triples", token: writeSecret, body: a}); resp.StatusCode != 201 {
		t.Fatalf("PUT = %d %s", resp.StatusCode, b)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 20; i++ {
			body := bv
			if i%2 == 1 {
				body = a
			}
			do(t, srv, req{method: "PUT", path: g, ctype: "application/n-triples", token: writeSecret, body: body})
		}
		close(stop)
	}()
	reads := 0
	for done := false; !done; {
		select {
		case <-stop:
			done = true
		default:
		}
		resp, b := do(t, srv, req{method: "GET", path: g, header: map[string]string{"Accept": "application/n-triples"}})
		if resp.StatusCode != 200 {
			t.Fatalf("GET during replaces = %d %s", resp.StatusCode, b)
		}
		lines := ntLines(t, b, "ntriples")
		na, nb := strings.Count(string(b), `"a"`), strings.Count(string(b), `"b"`)
		if !(na == 300 && nb == 0) && !(na == 0 && nb == 200) {
			t.Fatalf("a read saw %d quads: %d of version a and %d of version b, a mix", len(lines), na, nb)
		}
		reads++
	}
	wg.Wait()
	t.Logf("%d reads during 20 replaces, each one version whole", reads)
}

// TestWriteValidation: a write that breaks the ontology's shapes is 422
// with a report naming node, path and constraint, and changes nothing.
func TestWriteValidation(t *testing.T) {
	srv, _, _ := newWriteServer(t, api.Config{WriteTokens: mustTokens(t, "curator:"+writeSecret)})
	body := "@prefix ig: <https://w3id.org/innograph/ontology#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n<https://example.org/r> a ig:Region ; rdfs:label \"R\" ; ig:nutsLevel \"two\" .\n"
	resp, b := do(t, srv, req{method: "PUT", path: graphPath("https://example.org/g"), ctype: "text/turtle", token: writeSecret, body: body})
	if resp.StatusCode != 422 {
		t.Fatalf("PUT of an invalid region = %d %s, want 422", resp.StatusCode, b)
	}
	var p struct {
		Detail     string
		Violations []struct{ FocusNode, Path, Constraint, Shape string }
	}
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"sh:MinCountConstraintComponent ontology#nutsCode": false, "sh:DatatypeConstraintComponent ontology#nutsLevel": false}
	for _, v := range p.Violations {
		if v.FocusNode != "https://example.org/r" || v.Shape == "" {
			t.Errorf("violation %+v: want focus node https://example.org/r and a shape", v)
		}
		for k := range want {
			c, path, _ := strings.Cut(k, " ")
			if v.Constraint == c && strings.HasSuffix(v.Path, path) {
				want[k] = true
			}
		}
	}
	for k, ok := range want {
		if !ok {
			t.Errorf("no violation %s in %s", k, b)
		}
	}
	if resp, _ := do(t, srv, req{method: "GET", path: graphPath("https://example.org/g")}); resp.StatusCode != 404 {
		t.Errorf("GET after a refused PUT = %d, want 404 (nothing written)", resp.StatusCode)
	}
}

// TestProfileBody: a regional profile text PUT as text/x-innograph-profile
// lands in the named graph, as the seeds' parser reads it, and validates.
func TestProfileBody(t *testing.T) {
	srv, _, _ := newWriteServer(t, api.Config{WriteTokens: mustTokens(t, "curator:"+writeSecret), ParseProfile: seeddocs.ParseUpload})
	text, err := fs.ReadFile(seeds.Sources(), "000_f900378a799b4c5e.txt")
	if err != nil {
		t.Fatal(err)
	}
	qs, err := seeddocs.ParseUpload(bytes.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	want := len(qs)
	g := graphPath("https://example.org/profiles/dk04")
	resp, b := do(t, srv, req{method: "PUT", path: g, ctype: api.ProfileMediaType, token: writeSecret, body: string(text)})
	if resp.StatusCode != 201 {
		t.Fatalf("PUT profile = %d %s, want 201", resp.StatusCode, b)
	}
	resp, b = do(t, srv, req{method: "GET", path: g, header: map[string]string{"Accept": "application/n-quads"}})
	if got := len(ntLines(t, b, "nquads")); resp.StatusCode != 200 || got != want {
		t.Errorf("GET profile graph = %d with %d quads, want %d", resp.StatusCode, got, want)
	}
	if !strings.Contains(string(b), "<https://example.org/profiles/dk04> .") {
		t.Errorf("profile quads are not in the named graph")
	}
}

// TestStatsLastChange: stats say when a write through the server last
// changed the graph, and nothing before one has; a write that changes
// nothing does not count.
func TestStatsLastChange(t *testing.T) {
	srv, _, _ := newWriteServer(t, api.Config{WriteTokens: mustTokens(t, "curator:"+writeSecret)})
	lastChange := func() string {
		t.Helper()
		resp, b := do(t, srv, req{method: "GET", path: "/api/v1/stats"})
		var st struct {
			LastChange string `json:"lastChange"`
		}
		if err := json.Unmarshal(b, &st); err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET /api/v1/stats = %d %s (%v)", resp.StatusCode, b, err)
		}
		return st.LastChange
	}
	if got := lastChange(); got != "" {
		t.Errorf("lastChange before any write = %q, want none", got)
	}
	before := time.Now().Add(-time.Second)
	body := "<https://example.org/a> <https://example.org/p> \"x\" .\n"
	put := req{method: "PUT", path: graphPath("https://example.org/g"), ctype: "application/n-triples", token: writeSecret, body: body}
	if resp, b := do(t, srv, put); resp.StatusCode/100 != 2 {
		t.Fatalf("PUT = %d %s", resp.StatusCode, b)
	}
	first := lastChange()
	at, err := time.Parse(time.RFC3339Nano, first)
	if err != nil || at.Before(before) || at.After(time.Now().Add(time.Second)) {
		t.Fatalf("lastChange after a write = %q (%v), want the time of the write", first, err)
	}
	if resp, b := do(t, srv, put); resp.StatusCode/100 != 2 {
		t.Fatalf("PUT again = %d %s", resp.StatusCode, b)
	}
	if got := lastChange(); got != first {
		t.Errorf("lastChange after a write that changed nothing = %q, want %q", got, first)
	}
	time.Sleep(10 * time.Millisecond)
	update := req{method: "POST", path: "/sparql", ctype: "application/sparql-update", token: writeSecret,
		body: "INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/a> <https://example.org/p> \"y\" } }"}
	if resp, b := do(t, srv, update); resp.StatusCode/100 != 2 {
		t.Fatalf("SPARQL update = %d %s", resp.StatusCode, b)
	}
	got := lastChange()
	if later, err := time.Parse(time.RFC3339Nano, got); err != nil || !later.After(at) {
		t.Errorf("lastChange after a SPARQL update = %q (%v), want later than %q", got, err, first)
	}
}
