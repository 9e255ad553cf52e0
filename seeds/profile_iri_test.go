package seeds_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/graph/rdfio/rdftest"
	"github.com/innograph/innograph/seeds"
)

// TestProfileIRIsOneRule holds the profile template to the IRI resolution
// rule every reader shares (rdfio.ResolveIRI): the template mints IRIs
// (ontology.Mint) rather than resolving references, so each IRI it makes
// must be one the rule leaves alone whatever the base (absolute), that
// rdfio.CheckIRI accepts, that holds no dot segment a strict RFC 3986
// reader (rapper) would remove, and that comes back unchanged through
// every writer and reader of the registry.
func TestProfileIRIsOneRule(t *testing.T) {
	for _, name := range []string{"000_f900378a799b4c5e.txt", "004_9a57180da7b092b2.txt"} {
		t.Run(name, func(t *testing.T) {
			f, err := seeds.Sources().Open(name)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			p, err := seeds.ParseProfile(f)
			if err != nil {
				t.Fatal(err)
			}
			qs := p.Quads(seeds.ProfileGraph(p))
			seen := map[quad.IRI]bool{}
			for _, q := range qs {
				for _, v := range []quad.Value{q.Subject, q.Predicate, q.Object, q.Label} {
					iri, ok := v.(quad.IRI)
					if !ok || seen[iri] {
						continue
					}
					seen[iri] = true
					s := string(iri)
					if got := rdfio.ResolveIRI("http://other.example/a/b", s); got != s {
						t.Errorf("<%s> resolves to <%s>: not absolute", s, got)
					}
					if err := rdfio.CheckIRI(s); err != nil {
						t.Errorf("<%s>: %v", s, err)
					}
					if hasDotSegment(s) {
						t.Errorf("<%s> holds a dot segment", s)
					}
				}
			}
			for _, f := range rdfio.Formats() {
				if !f.Writable || !f.Readable || !f.Graphs {
					continue
				}
				var buf bytes.Buffer
				w, err := rdfio.NewWriter(&buf, f, rdfio.WriteOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := w.WriteQuads(qs); err != nil {
					t.Fatal(err)
				}
				if err := w.Close(); err != nil {
					t.Fatal(err)
				}
				r, err := rdfio.NewReader(&buf, f, rdfio.ReadOptions{BlankNodePrefix: "p"})
				if err != nil {
					t.Fatal(err)
				}
				var back []quad.Quad
				for {
					q, err := r.ReadQuad()
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						t.Fatalf("%s: read back: %v", f.Name, err)
					}
					back = append(back, q)
				}
				if g, w := rdftest.Canonical(back), rdftest.Canonical(qs); g != w {
					t.Errorf("%s: the profile's quads do not come back unchanged", f.Name)
				}
			}
		})
	}
}

// hasDotSegment reports whether the path of iri has a "." or ".."
// segment.
func hasDotSegment(iri string) bool {
	path := iri
	if i := strings.Index(path, "://"); i >= 0 {
		path = path[i+3:]
		if j := strings.IndexByte(path, '/'); j >= 0 {
			path = path[j:]
		} else {
			path = ""
		}
	}
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	for _, seg := range strings.Split(path, "/") {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}
