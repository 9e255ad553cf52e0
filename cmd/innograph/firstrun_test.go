package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPortBeforeSeed: a port in use fails serve before it opens (or seeds)
// the store, so a clash is reported at once and leaves nothing behind.
func TestPortBeforeSeed(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	data := filepath.Join(t.TempDir(), "data")
	_, _, err = runCmd(t, nil, "", "serve", "-addr", ln.Addr().String(), "-data", data)
	if err == nil || !strings.Contains(err.Error(), "listen on") {
		t.Fatalf("serve on a port in use = %v, want a listen error", err)
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("the data directory was created (%v): the store was opened before the port was bound", err)
	}
}

// TestDataDirectoryChecks: a command refuses a directory holding another
// backend's store, and read-only commands a directory that does not exist,
// each with an error that says what it found; load reads RDF/XML by its
// extension.
func TestDataDirectoryChecks(t *testing.T) {
	dir := t.TempDir()
	lv := filepath.Join(dir, "lv")
	rdf := filepath.Join(dir, "x.rdf")
	os.WriteFile(rdf, []byte(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="https://example.org/"><ex:T rdf:about="https://example.org/a"/></rdf:RDF>`), 0o600)
	if _, stderr, err := runCmd(t, nil, "", "load", "-backend", "leveldb", "-data", lv, rdf); err != nil {
		t.Fatalf("load RDF/XML into leveldb: %v\n%s", err, stderr)
	}
	out, _, err := runCmd(t, nil, "", "stats", "-backend", "leveldb", "-data", lv)
	if err != nil || !strings.Contains(out, `"quads": 1`) {
		t.Fatalf("stats of the leveldb store = %v\n%s", err, out)
	}
	for _, cmd := range []string{"stats", "export", "load"} {
		args := []string{cmd, "-data", lv}
		if cmd == "load" {
			args = append(args, rdf)
		}
		_, _, err := runCmd(t, nil, "", args...)
		if err == nil || !strings.Contains(err.Error(), "holds a leveldb store") || !strings.Contains(err.Error(), "-backend leveldb") {
			t.Errorf("%s on a leveldb directory with the default backend = %v, want a refusal naming leveldb", cmd, err)
		}
	}
	if _, err := os.Stat(filepath.Join(lv, "indexes.bolt")); !os.IsNotExist(err) {
		t.Errorf("a bolt file was created in the leveldb directory (%v)", err)
	}
	for _, cmd := range []string{"stats", "export", "backup"} {
		missing := filepath.Join(dir, "typo-"+cmd)
		_, _, err := runCmd(t, nil, "", cmd, "-data", missing)
		if err == nil || !strings.Contains(err.Error(), "does not exist") {
			t.Errorf("%s on a missing directory = %v, want a refusal", cmd, err)
		}
		if _, err := os.Stat(missing); !os.IsNotExist(err) {
			t.Errorf("%s created %s", cmd, missing)
		}
	}
}

// TestTripleDumpsAreSets: a triple two graphs state is one triple in
// Turtle, N-Triples and RDF/XML dumps and two quads in N-Quads; stats
// report both counts.
func TestTripleDumpsAreSets(t *testing.T) {
	dir := t.TempDir()
	data, in := filepath.Join(dir, "data"), filepath.Join(dir, "two.trig")
	os.WriteFile(in, []byte(`<https://example.org/g1> { <https://example.org/a> a <https://example.org/T> . }
<https://example.org/g2> { <https://example.org/a> a <https://example.org/T> . }
`), 0o600)
	if _, stderr, err := runCmd(t, nil, "", "load", "-data", data, in); err != nil {
		t.Fatalf("load: %v\n%s", err, stderr)
	}
	for format, want := range map[string]int{"ntriples": 1, "nquads": 2} {
		out, _, err := runCmd(t, nil, "", "export", "-data", data, "-format", format)
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(out, "\n"); n != want {
			t.Errorf("export -format %s: %d lines, want %d\n%s", format, n, want, out)
		}
	}
	for _, format := range []string{"turtle", "rdfxml"} {
		out, _, err := runCmd(t, nil, "", "export", "-data", data, "-format", format)
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(out, "https://example.org/T"); n != 1 {
			t.Errorf("export -format %s names the type %d times, want once\n%s", format, n, out)
		}
	}
	out, _, err := runCmd(t, nil, "", "stats", "-data", data)
	if err != nil || !strings.Contains(out, `"quads": 2`) || !strings.Contains(out, `"triples": 1`) {
		t.Errorf("stats = %v\n%s, want 2 quads and 1 triple", err, out)
	}
}
