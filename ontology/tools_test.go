package ontology

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"
)

// python is Debian's interpreter, the only one where rdflib and pyld import.
const python = "/usr/bin/python3"

// needTool skips the test when an outside tool is missing, or fails it when
// CI=true, where every tool must be installed.
func needTool(t *testing.T, what string, ok bool) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is required when CI=true", what)
	}
	t.Skipf("%s not installed", what)
}

func needRapper(t *testing.T) {
	t.Helper()
	_, err := exec.LookPath("rapper")
	needTool(t, "rapper", err == nil)
}

func needPython(t *testing.T, modules ...string) {
	t.Helper()
	args := []string{"-c", "import sys"}
	for _, m := range modules {
		args[1] += "; import " + m
	}
	err := exec.Command(python, args...).Run()
	needTool(t, python+" with "+args[1], err == nil)
}

// run runs a command with stdin and returns its stdout and stderr.
func run(t *testing.T, stdin []byte, name string, args ...string) (stdout, stderr []byte, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.Bytes(), e.Bytes(), err
}

// rapperNT parses Turtle with rapper and returns N-Triples; any message on
// stderr (rapper -q prints only warnings and errors) fails the test.
func rapperNT(t *testing.T, ttl []byte) []byte {
	t.Helper()
	needRapper(t)
	out, stderr, err := run(t, ttl, "rapper", "-q", "-i", "turtle", "-o", "ntriples", "-", "https://w3id.org/innograph/ontology")
	if err != nil || len(bytes.TrimSpace(stderr)) > 0 {
		t.Fatalf("rapper: err=%v\n%s", err, stderr)
	}
	return out
}

// triples reads N-Triples into quads.
func triples(t *testing.T, nt []byte) []quad.Quad {
	t.Helper()
	r := nquads.NewReader(bytes.NewReader(nt), false)
	var qs []quad.Quad
	for {
		q, err := r.ReadQuad()
		if errors.Is(err, io.EOF) {
			return qs
		}
		if err != nil {
			t.Fatalf("read n-triples: %v", err)
		}
		qs = append(qs, q)
	}
}
