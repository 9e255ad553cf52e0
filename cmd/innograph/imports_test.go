package main

import (
	"go/build"
	"path/filepath"
	"strings"
	"testing"
)

const mod = "github.com/innograph/innograph/"

var sparqlForbidden = []string{"github.com/gin-gonic/", "net/http", "github.com/cayleygraph/cayley", mod + "graph\x00",
	mod + "graph/internal/", mod + "api", mod + "cmd", mod + "seeds", mod + "ontology"}

// TestImportRules keeps the layout of STYLE.md: domain packages know
// nothing of HTTP, api knows nothing of Cayley's store packages.
func TestImportRules(t *testing.T) {
	rules := []struct {
		dir       string
		forbidden []string // import path prefixes
	}{
		{"graph", []string{"github.com/gin-gonic/", "net/http", mod + "api", mod + "cmd"}},
		{"graph/rdfio", []string{"github.com/gin-gonic/", "net/http", "github.com/cayleygraph/cayley", mod + "graph\x00", mod + "api", mod + "seeds"}},
		{"graph/shacl", []string{"github.com/gin-gonic/", "net/http", "github.com/cayleygraph/cayley", mod + "graph\x00", mod + "graph/rdfio", mod + "api", mod + "seeds"}},
		{"graph/storetest", []string{"github.com/gin-gonic/", "net/http", "github.com/cayleygraph/cayley", mod + "api"}},
		{"api", []string{"github.com/cayleygraph/cayley", mod + "cmd", mod + "seeds"}},
		{"ontology", []string{"github.com/gin-gonic/", "net/http", "github.com/cayleygraph/cayley", mod + "graph", mod + "api", mod + "seeds"}},
		{"seeds", []string{"github.com/gin-gonic/", "net/http", "github.com/cayleygraph/cayley", mod + "graph", mod + "api"}},
		{"graph/rdfio/rdftest", []string{mod}}, // rdfio's own tests import it
		{"seeds/seeddocs", []string{"github.com/gin-gonic/", "net/http", "github.com/cayleygraph/cayley", mod + "api"}},
		// The SPARQL engine reads through graph/frontier only: no store, no
		// backend, no package graph (which will import it).
		{"graph/sparql", sparqlForbidden},
		{"graph/sparql/parse", sparqlForbidden},
		{"graph/sparql/results", sparqlForbidden},
		{"graph/sparql/algebra", []string{mod}},
	}
	for _, r := range rules {
		pkg, err := build.ImportDir(filepath.Join("..", "..", r.dir), 0)
		if err != nil {
			if _, ok := err.(*build.NoGoError); ok {
				continue
			}
			t.Errorf("%s: %v", r.dir, err)
			continue
		}
		for _, imp := range pkg.Imports {
			for _, f := range r.forbidden {
				exact := strings.HasSuffix(f, "\x00")
				f = strings.TrimSuffix(f, "\x00")
				if imp == f || (!exact && strings.HasPrefix(imp, f)) {
					t.Errorf("%s imports %s, which the layout forbids", r.dir, imp)
				}
			}
		}
	}
}
