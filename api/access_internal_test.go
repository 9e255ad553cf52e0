package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/innograph/innograph/graph"
)

const (
	testReadSecret  = "reader-secret-0123456789"
	testWriteSecret = "writer-secret-0123456789"
)

// guardedServer is a server with read and write tokens over an empty
// memory store.
func guardedServer(t *testing.T, cfg Config) *Server {
	t.Helper()
	store, err := graph.Open(context.Background(), graph.Config{Backend: graph.Memory})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	rt, err := ParseTokens("reader:" + testReadSecret)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := ParseTokens("writer:" + testWriteSecret)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ReadTokens, cfg.WriteTokens = rt, wt
	return New(cfg, store, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// concretePath fills a route pattern's parameters with a plausible value.
func concretePath(route string) string {
	var parts []string
	for _, p := range strings.Split(route, "/") {
		switch {
		case strings.HasPrefix(p, ":"):
			p = "x"
		case strings.HasPrefix(p, "*"):
			p = "region/dk04"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "/")
}

// TestEveryRouteIsClassified: every route of the router has an access
// class, and every GET route answers HEAD too.
func TestEveryRouteIsClassified(t *testing.T) {
	s := guardedServer(t, Config{})
	have := map[string]bool{}
	for _, r := range s.engine.Routes() {
		have[r.Method+" "+r.Path] = true
		if a := accessOf(r.Method, r.Path); a == unclassified {
			t.Errorf("route %s %s has no access class in routeAccess (api/access.go): say whether it is public, read or write", r.Method, r.Path)
		}
	}
	for k := range have {
		if path, ok := strings.CutPrefix(k, "GET "); ok && !have["HEAD "+path] {
			t.Errorf("route GET %s has no HEAD (register it with handleGet)", path)
		}
	}
	// The SPARQL endpoints, registered by their own change, are
	// classified already.
	for _, p := range []string{"/sparql", "/api/v1/sparql"} {
		for _, m := range []string{"GET", "HEAD", "POST"} {
			if accessOf(m, p) != read {
				t.Errorf("%s %s: want read", m, p)
			}
		}
	}
}

// TestReadRuleOnEveryRoute sends every route of the router, with each
// method it has, without a token, with a read token and with a write
// token, to a server whose reads need a token: read routes refuse the
// anonymous caller, write routes refuse anyone but a writer, public routes
// refuse nobody.
func TestReadRuleOnEveryRoute(t *testing.T) {
	s := guardedServer(t, Config{})
	for _, r := range s.engine.Routes() {
		class := accessOf(r.Method, r.Path)
		for _, who := range []string{"", testReadSecret, testWriteSecret} {
			req := httptest.NewRequest(r.Method, concretePath(r.Path), strings.NewReader("{}"))
			req.Header.Set("Content-Type", "application/json")
			if who != "" {
				req.Header.Set("Authorization", "Bearer "+who)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, req)
			var want bool // want 401
			switch class {
			case read:
				want = who == ""
			case write:
				want = who != testWriteSecret
			}
			if got := w.Code == http.StatusUnauthorized; got != want {
				t.Errorf("%s %s (%s) with token %q = %d; want 401: %v\n%.200s", r.Method, r.Path, class, who, w.Code, want, w.Body)
			}
		}
	}
}

func TestMethodLabel(t *testing.T) {
	for in, want := range map[string]string{"GET": "GET", "HEAD": "HEAD", "get": "other", "FOO": "other", "BREW": "other", "DELETE": "DELETE"} {
		if got := methodLabel(in); got != want {
			t.Errorf("methodLabel(%q) = %q, want %q", in, got, want)
		}
	}
}
