package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/innograph/innograph/api"
	"github.com/innograph/innograph/graph"
)

// lockedBuffer is a log sink safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestAuditLogCannotBeForged: the audit log records the connection's
// address unless the proxy is trusted, and the server's own request id
// (a client's X-Request-Id beside it, never instead), so two writes never
// share an id (issue 18).
func TestAuditLogCannotBeForged(t *testing.T) {
	for _, tc := range []struct {
		name    string
		proxies []string
		remote  string
	}{
		{"no trusted proxy", nil, "127.0.0.1"},
		{"loopback trusted", []string{"127.0.0.1"}, "203.0.113.9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store, err := graph.Open(context.Background(), graph.Config{Backend: graph.Memory})
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			var audit, reqlog lockedBuffer
			srv := httptest.NewServer(api.New(api.Config{
				WriteTokens:    mustTokens(t, "w:write-secret-0123456789"),
				TrustedProxies: tc.proxies,
				Audit:          slog.New(slog.NewJSONHandler(&audit, nil)),
			}, store, slog.New(slog.NewJSONHandler(&reqlog, nil))))
			defer srv.Close()
			ids := map[string]bool{}
			for i := 0; i < 2; i++ {
				r, _ := http.NewRequest("POST", srv.URL+"/api/v1/graphs?graph=https%3A%2F%2Fexample.org%2Fg", strings.NewReader("<https://example.org/a> <https://example.org/p> \"x\" ."))
				r.Header.Set("Authorization", "Bearer write-secret-0123456789")
				r.Header.Set("Content-Type", "application/n-triples")
				r.Header.Set("X-Request-Id", "forged-id")
				r.Header.Set("X-Forwarded-For", "203.0.113.9")
				resp, err := http.DefaultClient.Do(r)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode >= 300 {
					t.Fatalf("write = %d", resp.StatusCode)
				}
				if got := resp.Header.Get("X-Request-Id"); got == "forged-id" || got == "" {
					t.Errorf("X-Request-Id = %q, want the server's own", got)
				}
			}
			lines := strings.Split(strings.TrimSpace(audit.String()), "\n")
			if len(lines) != 2 {
				t.Fatalf("audit log has %d lines, want 2:\n%s", len(lines), audit.String())
			}
			for _, l := range lines {
				var rec map[string]any
				if err := json.Unmarshal([]byte(l), &rec); err != nil {
					t.Fatal(err)
				}
				id, _ := rec["request_id"].(string)
				if id == "" || id == "forged-id" || ids[id] {
					t.Errorf("audit request_id %q: want the server's own, unique", id)
				}
				ids[id] = true
				if rec["client_request_id"] != "forged-id" {
					t.Errorf("audit client_request_id = %v, want the client's forged-id beside ours", rec["client_request_id"])
				}
				if rec["remote"] != tc.remote {
					t.Errorf("audit remote = %v, want %s", rec["remote"], tc.remote)
				}
			}
		})
	}
}

// TestSecretsNeverLogged: a secret sent as ?access_token= does not reach
// the request log (issue 18: it was logged verbatim).
func TestSecretsNeverLogged(t *testing.T) {
	store, err := graph.Open(context.Background(), graph.Config{Backend: graph.Memory})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var reqlog lockedBuffer
	srv := httptest.NewServer(api.New(api.Config{ReadTokens: mustTokens(t, "r:read-secret-0123456789")}, store, slog.New(slog.NewTextHandler(&reqlog, nil))))
	defer srv.Close()
	for _, q := range []string{"access_token=read-secret-0123456789", "limit=1&access_token=read-secret-0123456789&q=x", "ACCESS_TOKEN=read-secret-0123456789", "access%5Ftoken=read-secret-0123456789"} {
		resp, err := http.Get(srv.URL + "/api/v1/entities?" + q)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if strings.Contains(reqlog.String(), "read-secret") {
		t.Errorf("the request log holds the secret:\n%s", reqlog.String())
	}
	if !strings.Contains(reqlog.String(), "access_token=REDACTED") {
		t.Errorf("the request log does not show the redacted parameter:\n%s", reqlog.String())
	}
}
