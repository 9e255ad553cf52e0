package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestGraphNamesAreAbsoluteIRIs: load -graph and export -graph refuse a
// name that is not an absolute IRI (issue 18: load accepted one, after
// which backup, restore and DELETE failed; export exited 0 with nothing),
// and restore refuses a dump naming such a graph.
func TestGraphNamesAreAbsoluteIRIs(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	nt := filepath.Join(dir, "a.nt")
	if err := os.WriteFile(nt, []byte("<https://example.org/a> <https://example.org/p> \"x\" .\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, err := runCmd(t, nil, "", "load", "-data", data, nt); err != nil {
		t.Fatalf("load: %v\n%s", err, stderr)
	}
	for _, name := range []string{"not an iri", "relative/graph", "https://exa mple.org/", "https://example.org/%zz", "_:b1"} {
		for _, args := range [][]string{
			{"load", "-data", data, "-graph", name, nt},
			{"export", "-data", data, "-graph", name},
		} {
			stdout, stderr, err := runCmd(t, nil, "", args...)
			if err == nil || !strings.Contains(err.Error()+stderr, "graph") {
				t.Errorf("%s -graph %q: err %v, want one naming the graph\nstdout %q\nstderr %s", args[0], name, err, stdout, stderr)
			}
		}
	}
	// The store still exports whole.
	out, stderr, err := runCmd(t, nil, "", "export", "-data", data)
	if err != nil || !strings.Contains(out, "example.org/a") {
		t.Fatalf("export after refused loads: %v %s\n%s", err, stderr, out)
	}
}

// TestShutdownEndsStreams: SIGTERM while a client stalls a whole-graph
// read stops the server within -shutdown-timeout (issue 18: still running
// 70 s after a 5 s timeout).
func TestShutdownEndsStreams(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for i := 0; i < 40000; i++ {
		fmt.Fprintf(&b, "<https://example.org/s%d> <https://example.org/p> \"%s%d\" <https://example.org/big> .\n", i, strings.Repeat("x", 80), i)
	}
	nq := filepath.Join(dir, "big.nq")
	if err := os.WriteFile(nq, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	if _, stderr, err := runCmd(t, nil, "", "load", "-nosync", "-data", data, nq); err != nil {
		t.Fatalf("load: %v\n%s", err, stderr)
	}
	srv := startServer(t, "-data", data, "-seed=false", "-shutdown-timeout", "1s", "-progress-timeout", "1m")
	d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		return rc.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
	}}
	conn, err := d.Dial("tcp", strings.TrimPrefix(srv.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /api/v1/graphs HTTP/1.1\r\nHost: x\r\n\r\n")
	time.Sleep(time.Second) // the server is now blocked on the client
	start := time.Now()
	errc := make(chan error, 1)
	go func() { errc <- srv.stop() }()
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("serve returned %v", err)
		}
		if d := time.Since(start); d > 8*time.Second {
			t.Errorf("serve stopped %s after the signal, want about the 1s shutdown timeout", d)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("serve still running 30s after the signal with -shutdown-timeout 1s\n%s", srv.logs.String())
	}
}
