package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/api"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/gen"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/graph/rdfio/rdftest"
	"github.com/innograph/innograph/ontology"
)

// genServer starts the real handler over a memory store holding a
// generated ecosystem of at least quads quads.
func genServer(t testing.TB, quads int) (*httptest.Server, *graph.Store) {
	t.Helper()
	store, err := graph.Open(context.Background(), graph.Config{Backend: graph.Memory})
	if err != nil {
		t.Fatal(err)
	}
	var qs []quad.Quad
	w := quadSlice{&qs}
	if err := gen.Generate(w, gen.Config{Regions: quads*11/10/gen.QuadsPerRegion + 1, Seed: 4}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Load(context.Background(), quad.NewReader(qs), graph.LoadOptions{BatchSize: 50000}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(api.Config{}, store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(func() { srv.Close(); store.Close() })
	return srv, store
}

type quadSlice struct{ qs *[]quad.Quad }

func (s quadSlice) WriteQuad(q quad.Quad) error { *s.qs = append(*s.qs, q); return nil }

func (s quadSlice) WriteQuads(qs []quad.Quad) (int, error) {
	*s.qs = append(*s.qs, qs...)
	return len(qs), nil
}

func storeQuads(t testing.TB, store *graph.Store, sel graph.Selection) []quad.Quad {
	t.Helper()
	var out []quad.Quad
	if err := store.EachQuad(context.Background(), sel, func(q quad.Quad) error {
		out = append(out, q)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// export fetches a dump, asking for gzip, and returns it decompressed.
func export(t testing.TB, srvURL, query string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", srvURL+"/api/v1/export?"+query, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("export?%s = %d, Content-Encoding %q\n%.500s", query, resp.StatusCode, resp.Header.Get("Content-Encoding"), b)
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("export?%s: gunzip: %v", query, err)
	}
	return body
}

// TestExportRoundTrip reads every dump format back with independent tools
// and compares the graphs with the store's content, for the seed graph
// and a generated graph of 100,000 quads.
func TestExportRoundTrip(t *testing.T) {
	ctxFile := filepath.Join(t.TempDir(), "context.jsonld")
	if err := os.WriteFile(ctxFile, ontology.Context(), 0o600); err != nil {
		t.Fatal(err)
	}
	nq := mustLookup(t, rdfio.NQuads)
	parse := func(t *testing.T, out []byte) []quad.Quad { return readRDF(t, out, nq) }
	rapper := func(syntax string) func(t *testing.T, body []byte) []quad.Quad {
		return func(t *testing.T, body []byte) []quad.Quad {
			rdftest.RequireTool(t, rdftest.Rapper)
			return parse(t, rdftest.Run(t, bytes.NewReader(body), rdftest.Rapper, rdftest.RapperArgs(syntax, "http://example.org/")...))
		}
	}
	rdflib := func(syntax string) func(t *testing.T, body []byte) []quad.Quad {
		return func(t *testing.T, body []byte) []quad.Quad {
			rdftest.RequirePython(t, "rdflib")
			return parse(t, rdftest.Run(t, bytes.NewReader(body), rdftest.Python, "-c", rdftest.RDFLibScript, syntax))
		}
	}
	var served string // the context URL of the server under test
	pyld := func(t *testing.T, body []byte) []quad.Quad {
		rdftest.RequirePython(t, "pyld")
		return parse(t, rdftest.Run(t, bytes.NewReader(body), rdftest.Python, "-c", rdftest.PyLDScript, served, ctxFile))
	}
	cases := []struct {
		name, query string
		format      string
		read        func(t *testing.T, body []byte) []quad.Quad
	}{
		{"nquads/rapper", "format=nquads", rdfio.NQuads, rapper("nquads")},
		{"nquads/rdflib", "format=nquads", rdfio.NQuads, rdflib("nquads")},
		{"trig/rapper", "format=trig", rdfio.TriG, rapper("trig")},
		{"trig/rdflib", "format=trig", rdfio.TriG, rdflib("trig")},
		{"turtle/rapper", "format=turtle", rdfio.Turtle, rapper("turtle")},
		{"turtle/rdflib", "format=turtle", rdfio.Turtle, rdflib("turtle")},
		{"ntriples/rapper", "format=ntriples", rdfio.NTriples, rapper("ntriples")},
		{"ntriples/rdflib", "format=ntriples", rdfio.NTriples, rdflib("nt")},
		{"rdfxml/rapper", "format=rdfxml", rdfio.RDFXML, rapper("rdfxml")},
		{"rdfxml/rdflib", "format=rdfxml", rdfio.RDFXML, rdflib("xml")},
		{"jsonld/pyld", "format=jsonld", rdfio.JSONLD, pyld},
		{"jsonld-expanded/pyld", "format=jsonld&profile=expanded", rdfio.JSONLD, pyld},
	}
	datasets := []struct {
		name  string
		start func(t testing.TB) (*httptest.Server, *graph.Store)
	}{
		{"seed", func(t testing.TB) (*httptest.Server, *graph.Store) { return seedServer(t, api.Config{}) }},
		{"generated", func(t testing.TB) (*httptest.Server, *graph.Store) { return genServer(t, 100_000) }},
	}
	for _, ds := range datasets {
		t.Run(ds.name, func(t *testing.T) {
			srv, store := ds.start(t)
			served = srv.URL + "/ontology/context.jsonld"
			all := storeQuads(t, store, graph.Selection{})
			if ds.name == "generated" && len(all) < 100_000 {
				t.Fatalf("generated store holds %d quads, want at least 100,000", len(all))
			}
			want := map[bool]string{true: rdftest.Canonical(all), false: rdftest.Canonical(forFormat(all, mustLookup(t, rdfio.Turtle)))}
			bodies := map[string][]byte{}
			for _, tc := range cases {
				if _, ok := bodies[tc.query]; !ok {
					bodies[tc.query] = export(t, srv.URL, tc.query)
				}
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					// The tools are separate processes: let them use both cores.
					t.Parallel()
					if testing.Short() && ds.name == "generated" && tc.read != nil && !strings.HasSuffix(tc.name, "/rapper") {
						t.Skip("-short: rdflib and pyld take about 10 s each on 100,000 quads")
					}
					body := bodies[tc.query]
					start := time.Now()
					got := tc.read(t, body)
					took := time.Since(start)
					if g := rdftest.Canonical(got); g != want[mustLookup(t, tc.format).Graphs] {
						t.Errorf("%s reads %d quads, not the store's %d (as a graph)", tc.name, len(got), len(all))
					}
					t.Logf("%s: %d quads read back in %v", tc.name, len(got), took.Round(time.Millisecond))
				})
			}
		})
	}
}

// TestExportSelection checks ?graph= and ?type= against the store, the
// parameters' errors and HEAD.
func TestExportSelection(t *testing.T) {
	srv, store := seedServer(t, api.Config{})
	nq := mustLookup(t, rdfio.NQuads)
	g := quad.IRI(ontology.IDBase + "source/profile-dk04")
	for _, tc := range []struct {
		query string
		sel   graph.Selection
	}{
		{"graph=" + url.QueryEscape(string(g)), graph.Selection{Graph: g}},
		{"graph=source:profile-dk04", graph.Selection{Graph: g}},
		{"type=ig:Region", graph.Selection{Type: quad.IRI(ontology.NS + "Region")}},
		{"type=" + url.QueryEscape(ontology.NS+"Region") + "&graph=" + url.QueryEscape(string(g)), graph.Selection{Type: quad.IRI(ontology.NS + "Region"), Graph: g}},
	} {
		t.Run(tc.query, func(t *testing.T) {
			want := storeQuads(t, store, tc.sel)
			if len(want) == 0 {
				t.Fatal("the selection is empty in the store: not a useful test")
			}
			got := readRDF(t, export(t, srv.URL, "format=nquads&"+tc.query), nq)
			if g, w := rdftest.Canonical(got), rdftest.Canonical(want); g != w {
				t.Errorf("export?%s = %d quads, want the store's %d", tc.query, len(got), len(want))
			}
		})
	}
	for _, tc := range []struct {
		query  string
		header map[string]string
		status int
	}{
		{"graph=not-an-iri", nil, 400},
		{"type=relative/class", nil, 400},
		{"graph=" + url.QueryEscape(ontology.IDBase+"source/none"), nil, 404},
		{"", map[string]string{"Accept": "text/html"}, 406},
		{"format=yaml", nil, 406},
		{"format=jsonld&profile=nope", nil, 400},
	} {
		resp, body := fetch(t, "GET", srv.URL+"/api/v1/export?"+tc.query, tc.header)
		if p := problemOf(t, resp, body); resp.StatusCode != tc.status || p.Status != tc.status || p.Detail == "" {
			t.Errorf("export?%s = %d %+v, want a %d problem", tc.query, resp.StatusCode, p, tc.status)
		}
	}
	// The default is N-Quads; without Accept-Encoding there is no gzip.
	resp, body := fetch(t, "GET", srv.URL+"/api/v1/export", nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/n-quads" || resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("plain export = %d %q %q, want N-Quads uncompressed", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Encoding"))
	}
	if n := len(readRDF(t, body, nq)); n != len(storeQuads(t, store, graph.Selection{})) {
		t.Errorf("plain export has %d quads", n)
	}
	resp, body = fetch(t, "HEAD", srv.URL+"/api/v1/export?format=turtle", nil)
	if resp.StatusCode != 200 || len(body) != 0 || resp.Header.Get("Content-Type") != "text/turtle; charset=utf-8" {
		t.Errorf("HEAD export = %d, %d bytes, %q", resp.StatusCode, len(body), resp.Header.Get("Content-Type"))
	}
	// A failure before the first byte is a whole problem response, not a
	// gzipped or half-started dump.
	store.Close()
	resp, body = fetch(t, "GET", srv.URL+"/api/v1/export?format=trig", map[string]string{"Accept-Encoding": "gzip"})
	if p := problemOf(t, resp, body); resp.StatusCode != 503 || p.Status != 503 || resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("export from a closed store = %d %+v (Content-Encoding %q), want a plain 503 problem", resp.StatusCode, p, resp.Header.Get("Content-Encoding"))
	}
}
