package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/api"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/seeds/seeddocs"
)

const badDir = "../testdata/bad"

// corpus is testdata/bad/cases.json.
type corpus struct {
	WriteToken string `json:"writeToken"`
	WrongToken string `json:"wrongToken"`
	ReadToken  string `json:"readToken"`
	// QueryTimeout and MaxSPARQLRows configure the server (defaults: 2 s,
	// the server's own).
	MaxSPARQLRows int64 `json:"maxSPARQLRows"`
	Limits        struct {
		MaxBodyBytes    int64 `json:"maxBodyBytes"`
		MaxGzipRatio    int64 `json:"maxGzipRatio"`
		MaxQuads        int   `json:"maxQuads"`
		MaxLiteralBytes int   `json:"maxLiteralBytes"`
		MaxIRIBytes     int   `json:"maxIRIBytes"`
		MaxJSONDepth    int   `json:"maxJSONDepth"`
		MaxPrefixes     int   `json:"maxPrefixes"`
	} `json:"limits"`
	Cases []struct {
		Name   string `json:"name"`
		Method string `json:"method"`
		Path   string `json:"path"`
		Auth   string `json:"auth"` // "write", "read", "wrong" or "none"
		// Server is "" for the corpus's server or "strict" for one
		// whose reads need the read token.
		Server  string            `json:"server"`
		Headers map[string]string `json:"headers"`
		Body    string            `json:"body"`  // file under bodies/
		Text    string            `json:"text"`  // the body itself, when short
		Query   map[string]string `json:"query"` // URL parameters, encoded by the test
		Form    [][2]string       `json:"form"`  // a form body, encoded by the test, in order
		Status  int               `json:"status"`
		Detail  string            `json:"detail"`
		Line    int               `json:"line"`
		Column  int               `json:"column"`
	} `json:"cases"`
}

// contentHash is the SHA-256 of the store's quads in sorted N-Quads.
func contentHash(t *testing.T, s *graph.Store) string {
	t.Helper()
	var lines []string
	err := s.EachQuad(context.Background(), graph.Selection{}, func(q quad.Quad) error {
		lines = append(lines, q.String())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:])
}

// TestBadInputCorpus sends every case of testdata/bad/cases.json over real
// HTTP to a server over a bolt store holding the seed graph, and checks the
// status, the problem body (detail, line, column) and that the store's
// content is unchanged.
func TestBadInputCorpus(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(badDir, "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cp corpus
	if err := json.Unmarshal(raw, &cp); err != nil {
		t.Fatalf("cases.json: %v", err)
	}
	if len(cp.Cases) < 60 {
		t.Errorf("corpus has %d cases, want at least 60", len(cp.Cases))
	}
	store, err := graph.Open(context.Background(), graph.Config{Backend: graph.Bolt, Path: filepath.Join(t.TempDir(), "data")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.LoadIfEmpty(context.Background(), seeddocs.Documents()); err != nil {
		t.Fatal(err)
	}
	// The graph the cases write to exists, so replaces and merges have
	// something to damage.
	if _, err := store.MergeGraph(context.Background(), quad.IRI("https://example.org/g"), []quad.Quad{
		{Subject: quad.IRI("https://example.org/kept"), Predicate: quad.IRI("https://example.org/p"), Object: quad.String("kept")},
	}, nil); err != nil {
		t.Fatal(err)
	}
	l := cp.Limits
	cfg := api.Config{
		// Short, so that the absurd queries of the corpus meet it.
		QueryTimeout: 2 * time.Second,
		Gizmo:        true,
		WriteTokens:  mustTokens(t, cp.WriteToken),
		ParseProfile: seeddocs.ParseUpload,
		WriteLimits: api.Limits{MaxBodyBytes: l.MaxBodyBytes, MaxGzipRatio: l.MaxGzipRatio, MaxQuads: l.MaxQuads,
			MaxLiteralBytes: l.MaxLiteralBytes, MaxIRIBytes: l.MaxIRIBytes, MaxJSONDepth: l.MaxJSONDepth, MaxPrefixes: l.MaxPrefixes},
	}
	srv := httptest.NewServer(api.New(cfg, store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	strictCfg := cfg
	strictCfg.ReadTokens = mustTokens(t, cp.ReadToken)
	strictCfg.Gizmo = false // as served by default
	strict := httptest.NewServer(api.New(strictCfg, store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(func() { srv.Close(); strict.Close(); store.Close() })
	runCorpus(t, cp, map[string]string{"": srv.URL, "strict": strict.URL}, store)
}

// runCorpus sends every case of cp to the server its Server field names
// in servers (base URLs) and checks its problem response and that store's
// content stays as it was.
func runCorpus(t *testing.T, cp corpus, servers map[string]string, store *graph.Store) {
	_, secret, _ := strings.Cut(cp.WriteToken, ":")
	_, readSecret, _ := strings.Cut(cp.ReadToken, ":")
	before := contentHash(t, store)
	gen := store.Generation()

	seen := map[string]bool{}
	for _, tc := range cp.Cases {
		if seen[tc.Name] {
			t.Errorf("case name %q used twice", tc.Name)
		}
		seen[tc.Name] = true
		t.Run(tc.Name, func(t *testing.T) {
			var body io.Reader
			switch {
			case tc.Body != "":
				b, err := os.ReadFile(filepath.Join(badDir, "bodies", tc.Body))
				if err != nil {
					t.Fatal(err)
				}
				body = bytes.NewReader(b)
			case tc.Form != nil:
				var parts []string
				for _, kv := range tc.Form {
					parts = append(parts, url.QueryEscape(kv[0])+"="+url.QueryEscape(kv[1]))
				}
				body = strings.NewReader(strings.Join(parts, "&"))
			case tc.Text != "":
				body = strings.NewReader(tc.Text)
			}
			path := tc.Path
			if len(tc.Query) > 0 {
				v := url.Values{}
				for k, x := range tc.Query {
					v.Set(k, x)
				}
				sep := "?"
				if strings.Contains(path, "?") {
					sep = "&"
				}
				path += sep + v.Encode()
			}
			base, ok := servers[tc.Server]
			if !ok {
				t.Fatalf("server %q is not one of this corpus's", tc.Server)
			}
			r, err := http.NewRequest(tc.Method, base+path, body)
			if err != nil {
				t.Fatal(err)
			}
			switch tc.Auth {
			case "write":
				r.Header.Set("Authorization", "Bearer "+secret)
			case "wrong":
				r.Header.Set("Authorization", "Bearer "+cp.WrongToken)
			case "read":
				r.Header.Set("Authorization", "Bearer "+readSecret)
			}
			for k, v := range tc.Headers {
				r.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(r)
			if err != nil {
				t.Fatalf("%s %s: %v", tc.Method, path, err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if testing.Verbose() {
				t.Logf("%d %s", resp.StatusCode, b)
			}
			if resp.StatusCode != tc.Status {
				t.Errorf("%s %s = %d, want %d\n%s", tc.Method, path, resp.StatusCode, tc.Status, b)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type = %q, want application/problem+json", ct)
			}
			var p struct {
				Status       int
				Detail       string
				RequestID    string
				Line, Column int
				Violations   []graph.Violation
			}
			if err := json.Unmarshal(b, &p); err != nil {
				t.Fatalf("problem body %q: %v", b, err)
			}
			text := p.Detail
			for _, v := range p.Violations {
				text += " | " + v.Focus + " " + v.Path + " " + v.Constraint + " " + v.Message
			}
			if p.Status != tc.Status || !strings.Contains(text, tc.Detail) || p.RequestID == "" {
				t.Errorf("problem = %s, want status %d and detail containing %q", b, tc.Status, tc.Detail)
			}
			if (tc.Line != 0 && p.Line != tc.Line) || (tc.Column != 0 && p.Column != tc.Column) {
				t.Errorf("problem at line %d, column %d, want line %d, column %d (0: any)\n%s", p.Line, p.Column, tc.Line, tc.Column, b)
			}
			if tc.Status == 401 && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("401 without a Bearer challenge")
			}
			// A refused feature (LOAD, SERVICE) is a 422 too; the shape
			// cases must list their violations.
			if tc.Status == 422 && strings.HasPrefix(tc.Name, "shape") && len(p.Violations) == 0 {
				t.Errorf("422 without violations: %s", b)
			}
			if after := contentHash(t, store); after != before {
				t.Fatalf("store content changed (hash %s, was %s)", after, before)
			}
			if g := store.Generation(); g != gen {
				t.Fatalf("store generation %d, was %d: a refused request wrote", g, gen)
			}
		})
	}
}
