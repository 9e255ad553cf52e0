package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/api"
	"github.com/innograph/innograph/graph"
)

// newServer starts the real handler on a loopback port over a memory store
// holding quads.
func newServer(t *testing.T, quads ...quad.Quad) (*httptest.Server, *graph.Store) {
	t.Helper()
	store, err := graph.Open(context.Background(), graph.Config{Backend: graph.Memory})
	if err != nil {
		t.Fatal(err)
	}
	if len(quads) > 0 {
		if err := store.Write(context.Background(), func(b *graph.Batch) error {
			for _, q := range quads {
				b.Add(q)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(api.New(api.Config{Gizmo: true}, store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(func() { srv.Close(); store.Close() })
	return srv, store
}

type problem struct {
	Type, Title, Detail, Instance, RequestID string
	Status                                   int
}

func decodeProblem(t *testing.T, resp *http.Response) problem {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type = %q, want application/problem+json", ct)
	}
	var p problem
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		t.Fatalf("problem body: %v", err)
	}
	return p
}

func TestHealthAndStats(t *testing.T) {
	ex := func(s string) quad.IRI { return quad.IRI("https://example.org/" + s) }
	srv, store := newServer(t,
		quad.Quad{Subject: ex("a"), Predicate: ex("p"), Object: ex("b"), Label: ex("g")},
		quad.Quad{Subject: ex("b"), Predicate: ex("p"), Object: quad.String("x")},
	)
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", path, resp.StatusCode)
		}
		if resp.Header.Get("X-Request-Id") == "" {
			t.Errorf("GET %s: no X-Request-Id header", path)
		}
	}
	resp, err := http.Get(srv.URL + "/api/v1/stats")
	if err != nil {
		t.Fatal(err)
	}
	var st graph.Stats
	json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if st.Quads != 2 || st.Subjects != 2 || len(st.Graphs) != 2 {
		t.Errorf("GET /api/v1/stats = %+v, want 2 quads, 2 subjects, 2 graphs", st)
	}

	// A closed store is not ready: 503 with Retry-After, while /healthz stays 200.
	store.Close()
	resp, err = http.Get(srv.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	p := decodeProblem(t, resp)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || p.Status != 503 {
		t.Errorf("GET /readyz on a closed store = %d (Retry-After %q) %+v, want 503 problem", resp.StatusCode, resp.Header.Get("Retry-After"), p)
	}
}

func TestRouteErrors(t *testing.T) {
	srv, _ := newServer(t)
	tests := []struct {
		method, path string
		want         int
	}{
		{"GET", "/nothing/here", http.StatusNotFound},
		{"DELETE", "/healthz", http.StatusMethodNotAllowed},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			p := decodeProblem(t, resp)
			if resp.StatusCode != tc.want || p.Status != tc.want || p.Detail == "" || p.Instance != tc.path || p.RequestID == "" {
				t.Errorf("%s %s = %d %+v, want %d with detail, instance and request id", tc.method, tc.path, resp.StatusCode, p, tc.want)
			}
		})
	}
}
