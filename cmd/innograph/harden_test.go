package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
