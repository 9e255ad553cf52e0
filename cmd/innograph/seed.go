package main

import (
	"path"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/seeds"
)

// seedDocuments are the embedded seed graphs: one TriG document per source
// document, each read into its own named graph with stable blank nodes.
func seedDocuments() []graph.Document {
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
