package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
)

const testSecret = "curator-secret-0123456789abcdef"

// writeTokensFile writes a tokens file for serve -write-tokens-file.
func writeTokensFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tokens")
	if err := os.WriteFile(path, []byte("# curators\ncurator:"+testSecret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func send(t *testing.T, method, url, ctype, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Authorization", "Bearer "+testSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// storeQuads lists a store's quads as sorted N-Quads-like lines, blank node
// labels included, for exact comparison.
func storeQuads(t *testing.T, dir string) []string {
	t.Helper()
	s, err := graph.Open(context.Background(), graph.Config{Backend: graph.Bolt, Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var out []string
	err = s.EachQuad(context.Background(), graph.Selection{}, func(q quad.Quad) error {
		out = append(out, q.String())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// tricky has the terms a lossy round trip would change: typed literals with
// non-canonical lexical forms, language tags, escapes, non-ASCII, blank
// nodes, long text.
const tricky = `@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:int "01"^^xsd:integer ; ex:dec "1.50"^^xsd:decimal ; ex:dbl "1E0"^^xsd:double ;
  ex:bool "1"^^xsd:boolean ; ex:date "2024-02-29"^^xsd:date ; ex:text "line\nbreak \"quoted\" tab\t" ;
  ex:lang "Århus"@da , "Aarhus"@en-GB ; ex:odd "x"^^<https://example.org/dt> ;
  ex:node [ ex:p "nested" ; ex:q [ ex:r "deeper" ] ] ; ex:list ( 1 2 3 ) .
`

// TestBackupRestore backs up a running server over HTTP (and a stopped
// store directly), restores each into an empty store and checks the quads
// are exactly the same, blank node labels and lexical forms included; a
// second restore into the now non-empty store is refused.
func TestBackupRestore(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	audit := filepath.Join(dir, "audit.jsonl")
	s := startServer(t, "-data", data, "-write-tokens-file", writeTokensFile(t), "-audit-log", audit)
	g := s.url + "/api/v1/graphs?graph=" + "https%3A%2F%2Fexample.org%2Ftricky"
	if code, body := send(t, "PUT", g, "text/turtle", tricky); code != 201 {
		t.Fatalf("PUT tricky graph = %d %s", code, body)
	}
	if code, body := send(t, "POST", s.url+"/api/v1/graphs?default", "application/n-triples", "<https://example.org/d> <https://example.org/p> \"default graph\" .\n"); code != 201 {
		t.Fatalf("POST default graph = %d %s", code, body)
	}
	live := filepath.Join(dir, "live.nq")
	if _, stderr, err := runCmd(t, nil, "", "backup", "-from", s.url, "-o", live); err != nil {
		t.Fatalf("backup -from a running server: %v\n%s", err, stderr)
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	if log, err := os.ReadFile(audit); err != nil || !strings.Contains(string(log), `"token":"curator"`) || strings.Count(string(log), `"msg":"write"`) != 2 {
		t.Errorf("audit log file = %q, %v; want two write lines by token curator", log, err)
	}
	offline := filepath.Join(dir, "offline.trig")
	if _, stderr, err := runCmd(t, nil, "", "backup", "-data", data, "-format", "trig", "-o", offline); err != nil {
		t.Fatalf("backup of a stopped store: %v\n%s", err, stderr)
	}
	want := storeQuads(t, data)
	if len(want) < 100 {
		t.Fatalf("the original store holds %d quads, want the seed graph and more", len(want))
	}
	for i, file := range []string{live, offline} {
		target := filepath.Join(dir, "restored", string(rune('a'+i)))
		if _, stderr, err := runCmd(t, nil, "", "restore", "-data", target, file); err != nil {
			t.Fatalf("restore %s: %v\n%s", file, err, stderr)
		}
		got := storeQuads(t, target)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("restore of %s holds %d quads, want the %d original ones exactly", filepath.Base(file), len(got), len(want))
			for j := range min(len(got), len(want)) {
				if got[j] != want[j] {
					t.Errorf("first difference: got %s, want %s", got[j], want[j])
					break
				}
			}
		}
		if _, _, err := runCmd(t, nil, "", "restore", "-data", target, file); err == nil || !strings.Contains(err.Error(), "not empty") {
			t.Errorf("second restore into the same store: err = %v, want a refusal", err)
		}
	}
	// A malformed backup restores nothing.
	bad := filepath.Join(dir, "bad.nq")
	os.WriteFile(bad, []byte("<https://example.org/a> <https://example.org/p> \"x\" .\n<https://example.org/b> <https://exa"), 0o600)
	target := filepath.Join(dir, "restored", "bad")
	if _, _, err := runCmd(t, nil, "", "restore", "-data", target, bad); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("restore of a truncated backup: err = %v, want one naming line 2", err)
	}
	if n := len(storeQuads(t, target)); n != 0 {
		t.Errorf("a refused restore left %d quads", n)
	}
}

// TestServeWritesOff: without tokens the write endpoints answer 403 saying
// how to enable them; reads still work.
func TestServeWritesOff(t *testing.T) {
	s := startServer(t, "-backend", "memory", "-seed=false")
	code, body := send(t, "POST", s.url+"/api/v1/graphs?default", "application/n-triples", "<https://example.org/a> <https://example.org/p> \"x\" .\n")
	if code != 403 || !strings.Contains(body, "INNOGRAPH_WRITE_TOKENS") {
		t.Errorf("POST with writes off = %d %s, want 403 naming INNOGRAPH_WRITE_TOKENS", code, body)
	}
}

// TestServeTokensFromEnv: the variables of the issue configure writes and
// reads end to end (INNOGRAPH_WRITE_TOKENS, INNOGRAPH_READ_TOKENS_FILE).
func TestServeTokensFromEnv(t *testing.T) {
	readFile := filepath.Join(t.TempDir(), "read-tokens")
	os.WriteFile(readFile, []byte("viewer:viewer-secret-0123456789\n"), 0o600)
	vars := map[string]string{
		"INNOGRAPH_WRITE_TOKENS":     "curator:" + testSecret + ",other:other-secret-0123456789",
		"INNOGRAPH_READ_TOKENS_FILE": readFile,
		"INNOGRAPH_BACKEND":          "memory",
		"INNOGRAPH_SEED":             "false",
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	logs := &syncBuffer{}
	e := &env{ctx: ctx, getenv: func(k string) string { return vars[k] }, stdin: strings.NewReader(""), stdout: io.Discard, stderr: logs,
		ready: func(addr string) { addrc <- addr }}
	errc := make(chan error, 1)
	go func() { errc <- runEnv(e, []string{"serve", "-addr", "127.0.0.1:0"}) }()
	defer func() { cancel(); <-errc }()
	var base string
	select {
	case addr := <-addrc:
		base = "http://" + addr
	case err := <-errc:
		t.Fatalf("serve exited: %v\n%s", err, logs)
	}
	if code, body := send(t, "POST", base+"/api/v1/graphs?default", "application/n-triples", "<https://example.org/a> <https://example.org/p> \"x\" .\n"); code != 201 {
		t.Fatalf("POST with the token from INNOGRAPH_WRITE_TOKENS = %d %s", code, body)
	}
	get := func(token string) int {
		req, _ := http.NewRequest("GET", base+"/api/v1/stats", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := get(""); code != 401 {
		t.Errorf("GET stats without a token, read tokens set = %d, want 401", code)
	}
	if code := get("viewer-secret-0123456789"); code != 200 {
		t.Errorf("GET stats with the read token from the file = %d, want 200", code)
	}
	if !strings.Contains(logs.String(), "token=curator") || strings.Contains(logs.String(), testSecret) {
		t.Errorf("logs should name token curator and never its secret:\n%s", logs)
	}
}
