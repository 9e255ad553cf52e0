package main

import (
	"go/build"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportRules keeps the layout of STYLE.md: domain packages know
// nothing of HTTP, api knows nothing of Cayley's store packages.
func TestImportRules(t *testing.T) {
	const mod = "github.com/innograph/innograph/"
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
