package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/innograph/innograph/api"
)

const cacheDoc = "/doc/region/dk04"

// TestCaching checks the one caching rule on every kind of answer: read
// answers carry an ETag from the store generation and the representation,
// honour If-None-Match, and say how long caches may keep them; writes and
// failures are no-store; a write moves every ETag.
func TestCaching(t *testing.T) {
	srv, _ := seedServer(t, api.Config{
		CacheMaxAge: 90 * time.Second, CacheStale: 30 * time.Second,
		WriteTokens: mustTokens(t, "w:"+writeSecret),
	})
	const cc = "public, max-age=90, stale-while-revalidate=30"
	reads := []struct{ name, path, accept string }{
		{"document", cacheDoc, "text/turtle"},
		{"document as JSON-LD", cacheDoc, "application/ld+json"},
		{"export", "/api/v1/export?format=nquads", ""},
		{"API answer", "/api/v1/entities?type=Region&limit=3", "application/json"},
		{"stats", "/api/v1/stats", ""},
		{"VoID", "/.well-known/void", "text/turtle"},
		{"OpenAPI", "/api/v1/openapi.json", ""},
		{"Graph Store Protocol", "/api/v1/graphs?default", "application/n-quads"},
		{"SPARQL results", "/sparql?query=" + url.QueryEscape("SELECT ?s WHERE { ?s a ?c } LIMIT 5"), "application/sparql-results+json"},
		{"SPARQL graph", "/sparql?query=" + url.QueryEscape("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5"), "text/turtle"},
	}
	etags := map[string]string{}
	for _, r := range reads {
		t.Run(r.name, func(t *testing.T) {
			hdr := map[string]string{"Accept": r.accept}
			resp, body := fetch(t, "GET", srv.URL+r.path, hdr)
			etag := resp.Header.Get("ETag")
			if resp.StatusCode != 200 || etag == "" || resp.Header.Get("Cache-Control") != cc {
				t.Fatalf("GET %s = %d, ETag %q, Cache-Control %q; want 200, an ETag, %q\n%.300s", r.path, resp.StatusCode, etag, resp.Header.Get("Cache-Control"), cc, body)
			}
			if g := resp.Header.Get(api.GenerationHeader); g == "" {
				t.Errorf("GET %s has no %s", r.path, api.GenerationHeader)
			}
			if other, dup := etags[etag]; dup {
				t.Errorf("%s shares ETag %s with %s", r.name, etag, other)
			}
			etags[etag] = r.name
			hdr["If-None-Match"] = etag
			resp, body = fetch(t, "GET", srv.URL+r.path, hdr)
			if resp.StatusCode != http.StatusNotModified || len(body) != 0 || resp.Header.Get("ETag") != etag || resp.Header.Get("Cache-Control") != cc {
				t.Errorf("If-None-Match %s = %d (%d bytes, ETag %q, Cache-Control %q), want 304 with the tag and policy", etag, resp.StatusCode, len(body), resp.Header.Get("ETag"), resp.Header.Get("Cache-Control"))
			}
		})
	}

	t.Run("failures and health are not stored", func(t *testing.T) {
		for _, path := range []string{"/doc/region/nowhere", "/healthz", "/readyz", "/metrics"} {
			resp, _ := fetch(t, "GET", srv.URL+path, nil)
			if resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("ETag") != "" {
				t.Errorf("GET %s = %d, Cache-Control %q, ETag %q; want no-store, no ETag", path, resp.StatusCode, resp.Header.Get("Cache-Control"), resp.Header.Get("ETag"))
			}
		}
	})

	t.Run("a write moves the tags", func(t *testing.T) {
		hdr := map[string]string{"Accept": "text/turtle"}
		resp, old := fetch(t, "GET", srv.URL+cacheDoc, hdr)
		before := resp.Header.Get("ETag")
		gen0, _ := strconv.ParseUint(resp.Header.Get(api.GenerationHeader), 10, 64)
		wr, body := do(t, srv, req{method: "POST", path: graphPath("https://example.org/g/cache"), ctype: "application/n-triples", token: writeSecret,
			body: "<https://w3id.org/innograph/id/region/dk04> <http://www.w3.org/2000/01/rdf-schema#comment> \"moved\" .\n"})
		if wr.StatusCode >= 300 {
			t.Fatalf("write = %d %s", wr.StatusCode, body)
		}
		if wr.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("write Cache-Control = %q, want no-store", wr.Header.Get("Cache-Control"))
		}
		gen1, err := strconv.ParseUint(wr.Header.Get(api.GenerationHeader), 10, 64)
		if err != nil || gen1 <= gen0 {
			t.Errorf("write %s = %q, want a generation above the read's %d", api.GenerationHeader, wr.Header.Get(api.GenerationHeader), gen0)
		}
		hdr["If-None-Match"] = before
		resp, body = fetch(t, "GET", srv.URL+cacheDoc, hdr)
		if resp.StatusCode != 200 || resp.Header.Get("ETag") == before || string(body) == string(old) {
			t.Errorf("after a write, If-None-Match %s = %d ETag %q, want 200 with the new content under a new tag", before, resp.StatusCode, resp.Header.Get("ETag"))
		}
		// Read-your-writes: the write's generation is reached at once here.
		resp, _ = fetch(t, "GET", srv.URL+cacheDoc, map[string]string{api.MinGenerationHeader: strconv.FormatUint(gen1, 10)})
		if resp.StatusCode != 200 {
			t.Errorf("%s %d (reached) = %d, want 200", api.MinGenerationHeader, gen1, resp.StatusCode)
		}
	})

	t.Run("POST queries are not stored", func(t *testing.T) {
		resp, body := do(t, srv, req{method: "POST", path: "/api/v1/paths", ctype: "application/json", body: `{"start":{"type":"Region"},"steps":[]}`})
		if resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("POST /api/v1/paths = %d, Cache-Control %q, want no-store\n%.300s", resp.StatusCode, resp.Header.Get("Cache-Control"), body)
		}
	})
}

// TestCachingAuthenticated checks that reads needing a token are never
// marked storable by shared caches.
func TestCachingAuthenticated(t *testing.T) {
	srv, _ := seedServer(t, api.Config{ReadTokens: mustTokens(t, "r:"+readSecret)})
	resp, _ := fetch(t, "GET", srv.URL+cacheDoc, map[string]string{"Authorization": "Bearer " + readSecret})
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "private, no-store" {
		t.Errorf("authenticated GET = %d, Cache-Control %q, want 200, private, no-store", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	resp, _ = fetch(t, "GET", srv.URL+cacheDoc, nil)
	if resp.StatusCode != 401 || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("GET without the token = %d, Cache-Control %q, want 401, no-store", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
}

// TestMinGeneration checks read-your-writes on a server that has not
// reached the generation asked for, and a malformed one.
func TestMinGeneration(t *testing.T) {
	srv, store := seedServer(t, api.Config{MinGenerationWait: 200 * time.Millisecond, PrimaryURL: "https://write.example/"})
	ahead := strconv.FormatUint(store.Generation()+5, 10)
	start := time.Now()
	resp, body := fetch(t, "GET", srv.URL+cacheDoc, map[string]string{api.MinGenerationHeader: ahead})
	p := problemOf(t, resp, body)
	if resp.StatusCode != 503 || !strings.HasSuffix(p.Type, "/problems/replica-behind") || !strings.Contains(p.Detail, "https://write.example/") || resp.Header.Get("Retry-After") == "" {
		t.Errorf("%s %s = %d %+v, want 503 replica-behind naming the primary, with Retry-After", api.MinGenerationHeader, ahead, resp.StatusCode, p)
	}
	if d := time.Since(start); d < 200*time.Millisecond || d > 3*time.Second {
		t.Errorf("the refusal came after %v, want after the 200 ms wait", d)
	}
	resp, body = fetch(t, "GET", srv.URL+cacheDoc, map[string]string{api.MinGenerationHeader: "soon"})
	if p := problemOf(t, resp, body); resp.StatusCode != 400 || !strings.Contains(p.Detail, api.MinGenerationHeader) {
		t.Errorf("%s soon = %d %+v, want 400 naming the header", api.MinGenerationHeader, resp.StatusCode, p)
	}
}

// TestReadOnly checks that a read-only server answers reads and refuses
// every kind of write, naming the primary.
func TestReadOnly(t *testing.T) {
	srv, _ := seedServer(t, api.Config{ReadOnly: true, PrimaryURL: "https://write.example/", WriteTokens: mustTokens(t, "w:"+writeSecret)})
	if resp, _ := fetch(t, "GET", srv.URL+cacheDoc, nil); resp.StatusCode != 200 {
		t.Errorf("GET on a read-only server = %d, want 200", resp.StatusCode)
	}
	if resp, _ := do(t, srv, req{method: "POST", path: "/api/v1/paths", ctype: "application/json", body: `{"start":{"type":"Region"},"steps":[]}`}); resp.StatusCode != 200 {
		t.Errorf("POST query on a read-only server = %d, want 200", resp.StatusCode)
	}
	g := graphPath("https://example.org/g/ro")
	nt := "<https://example.org/a> <https://example.org/p> \"x\" .\n"
	for _, r := range []req{
		{method: "PUT", path: g, ctype: "application/n-triples", body: nt},
		{method: "POST", path: g, ctype: "application/n-triples", body: nt},
		{method: "DELETE", path: g},
		{method: "POST", path: "/sparql", ctype: "application/sparql-update", body: "CLEAR ALL"},
		{method: "POST", path: "/api/v1/sparql", ctype: "application/x-www-form-urlencoded", body: "update=CLEAR+ALL"},
		{method: "PATCH", path: "/api/v1/graphs"},
	} {
		r.token = writeSecret
		resp, body := do(t, srv, r)
		var p struct {
			Type, Detail, Primary string
			Status                int
		}
		json.Unmarshal(body, &p)
		if resp.StatusCode != 403 || !strings.HasSuffix(p.Type, "/problems/read-only") || p.Primary != "https://write.example/" ||
			!strings.Contains(p.Detail, "read-only") || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s %s on a read-only server = %d %s (Cache-Control %q), want 403 read-only naming the primary", r.method, r.path, resp.StatusCode, body, resp.Header.Get("Cache-Control"))
		}
	}
	// A SPARQL query sent as a form is a read: it is left to the route.
	resp, _ := do(t, srv, req{method: "POST", path: "/sparql", ctype: "application/x-www-form-urlencoded", body: "query=ASK+%7B%7D"})
	if resp.StatusCode == 403 {
		t.Errorf("a SPARQL query form on a read-only server = 403, want it left to the query route")
	}
}
