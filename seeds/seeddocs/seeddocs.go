// Package seeddocs turns the embedded seed graphs (package seeds) into the
// documents graph.Store.LoadIfEmpty loads, so the command and the tests of
// other packages load the seed graph exactly the same way. It exists
// because seeds must not import graph.
package seeddocs

import (
	"path"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/seeds"
)

// Documents returns the embedded seed graphs: one TriG document per source
// document, each read into its own named graph with stable blank nodes.
func Documents() []graph.Document {
	trig, _ := rdfio.Lookup(rdfio.TriG)
	var docs []graph.Document
	for _, g := range seeds.Graphs() {
		docs = append(docs, graph.Document{
			Name:   g.File,
			Data:   g.Data,
			Format: trig,
			Read: rdfio.ReadOptions{
				Base:            string(g.IRI),
				Graph:           g.IRI,
				BlankNodePrefix: "seed_" + path.Base(string(g.IRI)) + "_",
			},
		})
	}
	return docs
}
