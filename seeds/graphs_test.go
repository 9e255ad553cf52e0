package seeds

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestGraphs checks every embedded seed graph, generated or curated, with
// rapper: it parses without warnings, every quad is in the graph its file
// name gives, every subject has an rdf:type and an rdfs:label, no number is
// an untyped literal, and the graph IRI names its source file, which exists.
func TestGraphs(t *testing.T) {
	graphs := Graphs()
	if len(graphs) < 2 {
		t.Fatalf("Graphs() = %d graphs, want the two profiles at least", len(graphs))
	}
	rapper := requireRapper(t)
	bareNumber := regexp.MustCompile(`^"[0-9][0-9.,]*"(@[a-z-]+)?$`)
	for _, g := range graphs {
		t.Run(filepath.Base(g.File), func(t *testing.T) {
			quads := runRapper(t, rapper, "trig", g.File)
			if len(quads) == 0 {
				t.Fatal("no quads")
			}
			want := "<" + string(g.IRI) + ">"
			props := map[string]map[string][]string{}
			for _, q := range quads {
				if q.g != want {
					t.Errorf("quad %s %s %s in graph %q, want %s", q.s, q.p, q.o, q.g, want)
				}
				// Identifiers (grant numbers, codes) are strings by the
				// ontology's ranges, not numbers.
				identifier := q.p == "<"+igNS+"grantNumber>" || q.p == "<"+igNS+"nutsCode>" || q.p == "<http://www.w3.org/2004/02/skos/core#notation>"
				if bareNumber.MatchString(q.o) && !identifier {
					t.Errorf("%s %s has an untyped number %s", q.s, q.p, q.o)
				}
				if props[q.s] == nil {
					props[q.s] = map[string][]string{}
				}
				props[q.s][q.p] = append(props[q.s][q.p], q.o)
			}
			for s, ps := range props {
				if len(ps[rdfType]) == 0 {
					t.Errorf("subject %s has no rdf:type", s)
				}
				if len(ps[rdfsLabel]) == 0 {
					t.Errorf("subject %s has no rdfs:label", s)
				}
			}
			src := props[want]["<"+igNS+"sourceFile>"]
			if len(src) != 1 {
				t.Fatalf("graph IRI has ig:sourceFile %v, want one", src)
			}
			name := strings.TrimPrefix(strings.Trim(src[0], `"`), "seeds/sources/")
			if _, err := fs.Stat(Sources(), name); err != nil {
				t.Errorf("source file %s: %v", src[0], err)
			}
		})
	}
}

// TestSourcesUnchanged pins the source documents: every fact in the graphs
// is traced to their text, so they must stay byte for byte as received.
func TestSourcesUnchanged(t *testing.T) {
	want := map[string]string{
		"000_f900378a799b4c5e.txt": "bbb17a3063d28af8cf108500a0c40415ca881a102cd4cdc8813ec0042d47fca0",
		"001_bb9f916b7407f8e3.txt": "fd60c668ce28a014bd48c09c3b164c1932848ed880887b7a87e5694085e206d9",
		"002_5a0156a1a007f6ea.txt": "e7b5887d61710f910165c35974716b1a6fecb79c47772370959a64c83c7fc0d9",
		"003_361b969cf28272ea.txt": "178de00eac411f13e39e808aaa6ba863325f3da73ab9f4eef3d49a87accc5a9a",
		"004_9a57180da7b092b2.txt": "da9880c4a07360b057bb42f73bb017931f22a122d42966a4ad284ce8311ede6e",
	}
	for name, sum := range want {
		t.Run(name, func(t *testing.T) {
			data, err := fs.ReadFile(Sources(), name)
			if err != nil {
				t.Fatal(err)
			}
			got := sha256.Sum256(data)
			if hex.EncodeToString(got[:]) != sum {
				t.Errorf("sha256(%s) = %x, want %s", name, got, sum)
			}
		})
	}
	if _, err := os.Stat("sources/README.md"); err != nil {
		t.Errorf("sources/README.md: %v", err)
	}
}
