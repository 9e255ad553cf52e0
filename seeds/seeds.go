package seeds

import (
	"embed"
	"io/fs"
	"path"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/ontology"
)

//go:embed graphs/*.trig sources/*
var files embed.FS

// Graph is one seed graph: the TriG file of one source document.
type Graph struct {
	IRI  quad.IRI // the named graph, id/source/<file name without .trig>
	File string   // path inside the package ("graphs/profile-dk04.trig")
	Data []byte   // the TriG document
}

// Graphs returns every seed graph, one per TriG file in graphs/, in file
// name order. The graph IRI is read from the file name:
// graphs/profile-dk04.trig is https://w3id.org/innograph/id/source/profile-dk04.
// Each call returns new slices.
func Graphs() []Graph {
	names, err := fs.Glob(files, "graphs/*.trig")
	if err != nil {
		panic("seeds: glob embedded graphs: " + err.Error()) // the pattern is constant
	}
	out := make([]Graph, 0, len(names))
	for _, n := range names {
		data, err := files.ReadFile(n)
		if err != nil {
			panic("seeds: read embedded " + n + ": " + err.Error()) // embedded at build time
		}
		slug := strings.TrimSuffix(path.Base(n), ".trig")
		out = append(out, Graph{IRI: quad.IRI(ontology.IDBase + string(ontology.KindSource) + "/" + slug), File: n, Data: data})
	}
	return out
}

// Sources returns the source documents (and their README) as a read-only
// file system rooted at seeds/sources: "000_f900378a799b4c5e.txt", ...
func Sources() fs.FS {
	sub, err := fs.Sub(files, "sources")
	if err != nil {
		panic("seeds: sub embedded sources: " + err.Error()) // the name is constant
	}
	return sub
}
