package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestConstructExport runs the export against an endpoint that answers
// like Virtuoso: one CONSTRUCT of everything, or (refused as too large)
// the list of graphs and one CONSTRUCT per graph.
func TestConstructExport(t *testing.T) {
	graphs := map[string]int{ // graph -> its triples
		"https://w3id.org/innograph/id/source/synthetic-syn00000": 3,
		"https://w3id.org/innograph/id/source/synthetic-syn00001": 5,
	}
	for _, tc := range []struct {
		name      string
		whole     int    // status of the whole CONSTRUCT
		body      string // its body when not 200
		wantLines int64
		wantAsked int
		wantHow   string
		wantErr   string
	}{
		{name: "whole", whole: http.StatusOK, wantLines: 8, wantAsked: 1, wantHow: "every triple of our graphs"},
		{name: "too large", whole: http.StatusInternalServerError, body: "Virtuoso 22023 Error SR...: " + tooLarge,
			wantLines: 8, wantAsked: 4, wantHow: "graph by graph (2 requests"},
		{name: "other failure", whole: http.StatusInternalServerError, body: "Virtuoso 42000 Error: out of memory",
			wantAsked: 1, wantErr: "out of memory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var (
				mu    sync.Mutex
				asked []string
			)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				q := r.FormValue("query")
				mu.Lock()
				asked = append(asked, q)
				mu.Unlock()
				triples := func(n int) {
					w.Header().Set("Content-Type", "application/n-triples")
					for i := 0; i < n; i++ {
						fmt.Fprintf(w, "<urn:s%d> <urn:p> \"o\" .\n", i)
					}
				}
				switch {
				case q == constructAll && tc.whole != http.StatusOK:
					http.Error(w, tc.body, tc.whole)
				case q == constructAll:
					triples(8)
				case q == ourGraphs:
					w.Header().Set("Content-Type", "application/sparql-results+json")
					var rows []string
					for g := range graphs {
						rows = append(rows, fmt.Sprintf(`{"g":{"type":"uri","value":%q}}`, g))
					}
					fmt.Fprintf(w, `{"head":{"vars":["g"]},"results":{"bindings":[%s]}}`, strings.Join(rows, ","))
				default:
					for g, n := range graphs {
						if q == "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH "+iriRef(g)+" { ?s ?p ?o } }" {
							triples(n)
							return
						}
					}
					http.Error(w, "unexpected query "+q, http.StatusBadRequest)
				}
			}))
			defer srv.Close()
			f, err := constructExport(srv.URL)(context.Background(), srv.Client())
			switch {
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("export = %+v, %v; want an error saying %q", f, err, tc.wantErr)
			case tc.wantErr == "" && err != nil:
				t.Errorf("export: %v", err)
			case tc.wantErr == "" && (f.Lines != tc.wantLines || !strings.Contains(f.How, tc.wantHow) || f.Rate <= 0):
				t.Errorf("export = %+v, want %d lines, a rate and a how saying %q", f, tc.wantLines, tc.wantHow)
			}
			if len(asked) != tc.wantAsked {
				t.Errorf("the endpoint was asked %d queries, want %d: %q", len(asked), tc.wantAsked, asked)
			}
		})
	}
}
