package shacl_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/graph/shacl"
)

// FuzzShapes reads arbitrary Turtle as shapes and data at once: New and
// Validate never panic or loop, whatever the shapes say (cyclic sh:node,
// malformed lists, odd parameters).
func FuzzShapes(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(suiteDir, "core", "*", "*.ttl"))
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<s> sh:targetNode <n> ; sh:node <s> ; sh:or ( <s> <s> ) .\n"))
	ttl, _ := rdfio.Lookup(rdfio.Turtle)
	f.Fuzz(func(t *testing.T, data []byte) {
		qs, err := rdfio.ReadAll(data, ttl, rdfio.ReadOptions{Base: "http://fuzz.example/"}, rdfio.Limits{MaxQuads: 500})
		if err != nil {
			return
		}
		shapes, err := shacl.New(qs)
		if err != nil {
			return
		}
		rep := shapes.Validate(shacl.NewGraph(qs), nil)
		if rep.Conforms != (len(rep.Results) == 0) {
			t.Fatalf("Conforms = %v with %d results", rep.Conforms, len(rep.Results))
		}
	})
}
