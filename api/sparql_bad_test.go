package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/innograph/innograph/api"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/seeds/seeddocs"
)

// TestSPARQLBadInput sends the hostile SPARQL queries and updates of
// testdata/bad/sparql-cases.json to a server over a bolt store holding the
// seed graph, with read and write tokens configured: each must get its 4xx
// or 503 problem and leave the store as it was.
func TestSPARQLBadInput(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(badDir, "sparql-cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cp corpus
	if err := json.Unmarshal(raw, &cp); err != nil {
		t.Fatalf("sparql-cases.json: %v", err)
	}
	if len(cp.Cases) < 40 {
		t.Errorf("corpus has %d cases, want at least 40", len(cp.Cases))
	}
	for _, tc := range cp.Cases {
		if !strings.Contains(tc.Path, "sparql") {
			t.Errorf("case %q does not address the SPARQL endpoint", tc.Name)
		}
	}
	store, err := graph.Open(context.Background(), graph.Config{Backend: graph.Bolt, Path: filepath.Join(t.TempDir(), "data")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.LoadIfEmpty(context.Background(), seeddocs.Documents()); err != nil {
		t.Fatal(err)
	}
	l := cp.Limits
	srv := httptest.NewServer(api.New(api.Config{
		QueryTimeout:  2 * time.Second,
		WriteTokens:   mustTokens(t, cp.WriteToken),
		ReadTokens:    mustTokens(t, cp.ReadToken),
		MaxSPARQLRows: cp.MaxSPARQLRows,
		WriteLimits: api.Limits{MaxBodyBytes: l.MaxBodyBytes, MaxGzipRatio: l.MaxGzipRatio, MaxQuads: l.MaxQuads,
			MaxLiteralBytes: l.MaxLiteralBytes, MaxIRIBytes: l.MaxIRIBytes, MaxJSONDepth: l.MaxJSONDepth, MaxPrefixes: l.MaxPrefixes},
	}, store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(func() { srv.Close(); store.Close() })
	runCorpus(t, cp, map[string]string{"": srv.URL}, store)
}
