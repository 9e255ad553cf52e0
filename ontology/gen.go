//go:build ignore

// gen.go regenerates terms_gen.go and context.jsonld from the merged ontology
// (ontology.Turtle), parsed by rapper (raptor2-utils). Run it with
// `go generate ./ontology` after changing any ontology/*.ttl file. If
// terms_gen.go no longer compiles, delete it and run again.
package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/innograph/innograph/ontology"
	"github.com/innograph/innograph/ontology/internal/termgen"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "rapper", "-q", "-i", "turtle", "-o", "ntriples", "-", "https://w3id.org/innograph/ontology")
	cmd.Stdin = bytes.NewReader(ontology.Turtle())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	nt, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("rapper: %w: %s", err, stderr.String())
	}
	var prefixes [][2]string
	for _, p := range ontology.Prefixes() {
		prefixes = append(prefixes, [2]string{p.Name, p.NS})
	}
	cfg := termgen.Config{NS: ontology.NS, IDBase: ontology.IDBase, Prefixes: prefixes}
	terms, err := termgen.Read(cfg, bytes.NewReader(nt))
	if err != nil {
		return err
	}
	src, err := termgen.GoSource("ontology", terms)
	if err != nil {
		return err
	}
	jsonld, err := termgen.Context(cfg, terms)
	if err != nil {
		return err
	}
	if err := os.WriteFile("terms_gen.go", src, 0o644); err != nil {
		return err
	}
	return os.WriteFile("context.jsonld", jsonld, 0o644)
}
