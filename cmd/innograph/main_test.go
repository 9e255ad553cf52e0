package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/innograph/innograph/seeds"
)

// syncBuffer is a bytes.Buffer safe to write from the server goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runCmd runs one subcommand to completion with INNOGRAPH_* variables taken
// from vars only (never the test process's environment).
func runCmd(t *testing.T, vars map[string]string, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb syncBuffer
	err = run(context.Background(), args, func(k string) string { return vars[k] }, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

// server is a running "innograph serve".
type server struct {
	url  string
	stop func() error
	logs *syncBuffer
}

// startServer runs serve on 127.0.0.1:0 and waits until it listens.
func startServer(t *testing.T, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	logs := &syncBuffer{}
	e := &env{ctx: ctx, getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: io.Discard, stderr: logs,
		ready: func(addr string) { addrc <- addr }}
	errc := make(chan error, 1)
	go func() { errc <- runEnv(e, append([]string{"serve", "-addr", "127.0.0.1:0"}, args...)) }()
	var stopped bool
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		return <-errc
	}
	t.Cleanup(func() { stop() })
	select {
	case addr := <-addrc:
		return &server{url: "http://" + addr, stop: stop, logs: logs}
	case err := <-errc:
		stopped = true
		t.Fatalf("serve exited before listening: %v\n%s", err, logs)
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not listen within 60 s\n%s", logs)
	}
	return nil
}

func getJSON(t *testing.T, url string, into any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	if into != nil {
		if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
			t.Fatalf("GET %s: decode: %v", url, err)
		}
	}
	return resp.StatusCode
}

// TestServeRestart is the newcomer's first run: serve on a fresh embedded
// store answers /healthz quickly, and a second start holds the same quads.
func TestServeRestart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	var counts []int64
	for i := 0; i < 2; i++ {
		start := time.Now()
		s := startServer(t, "-data", dir)
		if code := getJSON(t, s.url+"/healthz", nil); code != http.StatusOK {
			t.Fatalf("GET /healthz = %d, want 200", code)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("start %d: /healthz answered after %v, want within 10 s", i+1, d)
		}
		if code := getJSON(t, s.url+"/readyz", nil); code != http.StatusOK {
			t.Errorf("GET /readyz = %d, want 200", code)
		}
		var st struct {
			Quads int64 `json:"quads"`
		}
		if code := getJSON(t, s.url+"/api/v1/stats", &st); code != http.StatusOK {
			t.Fatalf("GET /api/v1/stats = %d", code)
		}
		counts = append(counts, st.Quads)
		if err := s.stop(); err != nil {
			t.Fatalf("serve returned %v after SIGINT-equivalent cancel\n%s", err, s.logs)
		}
		if !strings.Contains(s.logs.String(), "path=/healthz") || !strings.Contains(s.logs.String(), "duration_ms=") {
			t.Errorf("request log lacks one line per request with path and duration:\n%s", s.logs)
		}
	}
	if counts[0] != counts[1] {
		t.Errorf("quad count after restart = %d, want %d (the seed graph must load once)", counts[1], counts[0])
	}
}

// TestUnknownRouteProblem checks the problem body of a 404.
func TestUnknownRouteProblem(t *testing.T) {
	s := startServer(t, "-backend", "memory", "-seed=false")
	resp, err := http.Get(s.url + "/no/such/thing")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p struct {
		Status    int    `json:"status"`
		Title     string `json:"title"`
		Detail    string `json:"detail"`
		RequestID string `json:"requestId"`
	}
	json.NewDecoder(resp.Body).Decode(&p)
	if resp.StatusCode != 404 || resp.Header.Get("Content-Type") != "application/problem+json" || p.Status != 404 || p.Detail == "" || p.RequestID == "" {
		t.Errorf("GET unknown route = %d %q %+v, want a 404 problem+json body with detail and request id", resp.StatusCode, resp.Header.Get("Content-Type"), p)
	}
}

func TestHelpAndEnv(t *testing.T) {
	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			stdout, _, err := runCmd(t, nil, "", c.name, "-help")
			if err != nil {
				t.Fatalf("%s -help = %v", c.name, err)
			}
			if c.name == "version" {
				return // no flags
			}
			// Help goes to stdout, each flag with one default.
			if !strings.Contains(stdout, "INNOGRAPH_DATA") || !strings.Contains(stdout, "default") {
				t.Errorf("%s -help does not list variables and defaults on stdout:\n%s", c.name, stdout)
			}
			for _, l := range strings.Split(stdout, "\n") {
				if strings.Count(l, "default") > 1 {
					t.Errorf("%s -help: two defaults in %q", c.name, l)
				}
			}
		})
	}
	// An INNOGRAPH_* variable sets a flag; a flag overrides it.
	dir := t.TempDir()
	vars := map[string]string{"INNOGRAPH_DATA": filepath.Join(dir, "from-env")}
	if _, _, err := runCmd(t, vars, "", "stats"); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("stats on a missing directory: %v, want a refusal naming it", err)
	}
	if _, stderr, err := runCmd(t, vars, "", "load", "-format", "nquads", "-"); err != nil {
		t.Fatalf("load: %v\n%s", err, stderr)
	}
	if _, stderr, err := runCmd(t, vars, "", "stats"); err != nil {
		t.Fatalf("stats: %v\n%s", err, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "from-env")); err != nil {
		t.Errorf("INNOGRAPH_DATA was not used: %v", err)
	}
	if _, _, err := runCmd(t, map[string]string{"INNOGRAPH_BACKEND": "oracle"}, "", "stats"); err == nil || !strings.Contains(err.Error(), "INNOGRAPH_BACKEND") {
		t.Errorf("bad INNOGRAPH_BACKEND: err = %v, want one naming the variable", err)
	}
	if _, _, err := runCmd(t, nil, "", "nonsense"); exitCode(err) != 2 {
		t.Errorf("unknown command: exit code %d, want 2", exitCode(err))
	}
}

// TestLoadMalformed: a malformed file exits non-zero naming file, line and
// problem, and leaves the store unchanged.
func TestLoadMalformed(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	good := filepath.Join(dir, "good.nq")
	os.WriteFile(good, []byte("<https://example.org/a> <https://example.org/p> \"x\" <https://example.org/g> .\n"), 0o600)
	if _, stderr, err := runCmd(t, nil, "", "load", "-data", data, good); err != nil {
		t.Fatalf("load good file: %v\n%s", err, stderr)
	}
	before := quadCount(t, data)
	bad := filepath.Join(dir, "bad.ttl")
	os.WriteFile(bad, []byte("@prefix ex: <https://example.org/> .\nex:a ex:p ex:b .\nex:c ex:p \"unterminated .\n"), 0o600)
	_, _, err := runCmd(t, nil, "", "load", "-data", data, good+"x", bad)
	if err == nil {
		t.Fatal("load of a missing file succeeded")
	}
	_, _, err = runCmd(t, nil, "", "load", "-data", data, bad)
	if err == nil || !strings.Contains(err.Error(), "bad.ttl:3:") {
		t.Fatalf("load bad.ttl: err = %v, want one naming bad.ttl line 3", err)
	}
	if after := quadCount(t, data); after != before {
		t.Errorf("store changed from %d to %d quads after a rejected load", before, after)
	}
}

func quadCount(t *testing.T, data string) int64 {
	t.Helper()
	out, stderr, err := runCmd(t, nil, "", "stats", "-data", data)
	if err != nil {
		t.Fatalf("stats: %v\n%s", err, stderr)
	}
	var st struct {
		Quads int64 `json:"quads"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("stats output %q: %v", out, err)
	}
	return st.Quads
}

// TestHelperProcess is not a test: TestCrashLoad runs the test binary again
// with INNOGRAPH_HELPER_ARGS set, and this turns it into "innograph".
func TestHelperProcess(t *testing.T) {
	args := os.Getenv("INNOGRAPH_HELPER_ARGS")
	if args == "" {
		t.Skip("only runs as a child of TestCrashLoad")
	}
	err := run(context.Background(), strings.Split(args, "\x1f"), func(string) string { return "" }, os.Stdin, os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

// helperCmd returns the test binary set up to run innograph with args.
func helperCmd(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "INNOGRAPH_HELPER_ARGS="+strings.Join(args, "\x1f"))
	return cmd
}

// waitFor reads r line by line until a line contains one of markers.
func waitFor(r io.Reader, markers ...string) bool {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		for _, m := range markers {
			if strings.Contains(sc.Text(), m) {
				go io.Copy(io.Discard, r)
				return true
			}
		}
	}
	return false
}

// TestLoadProfileAndExport loads a regional profile text with -format
// profile, then exports it: the store holds exactly the profile's quads in
// its own source graph, and export writes them back.
func TestLoadProfileAndExport(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	text := filepath.Join("..", "..", "seeds", "sources", "004_9a57180da7b092b2.txt")
	if _, stderr, err := runCmd(t, nil, "", "load", "-data", data, "-format", "profile", text); err != nil {
		t.Fatalf("load -format profile: %v\n%s", err, stderr)
	}
	f, err := os.Open(text)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := seeds.ParseProfile(f)
	if err != nil {
		t.Fatal(err)
	}
	want := p.Quads(seeds.ProfileGraph(p))
	if got := quadCount(t, data); got != int64(len(want)) {
		t.Errorf("store holds %d quads after loading the profile, want %d", got, len(want))
	}
	out, stderr, err := runCmd(t, nil, "", "export", "-data", data, "-format", "nquads", "-graph", string(seeds.ProfileGraph(p)))
	if err != nil {
		t.Fatalf("export: %v\n%s", err, stderr)
	}
	if lines := strings.Count(out, "\n"); lines != len(want) {
		t.Errorf("export -graph %s wrote %d lines, want %d", seeds.ProfileGraph(p), lines, len(want))
	}
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("not a profile\n"), 0o600)
	if _, _, err := runCmd(t, nil, "", "load", "-data", data, "-format", "profile", bad); err == nil || !strings.Contains(err.Error(), "bad.txt") {
		t.Errorf("load of a malformed profile: err = %v, want one naming bad.txt", err)
	}
	if got := quadCount(t, data); got != int64(len(want)) {
		t.Errorf("a rejected profile changed the store to %d quads", got)
	}
}
