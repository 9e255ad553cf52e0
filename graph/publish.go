package graph

import (
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/ontology"
)

// WriteOptions are the encoder options for publishing this graph: the
// ontology's prefixes for Turtle and TriG, and its JSON-LD context for
// JSON-LD. With contextURL set, JSON-LD output refers to the context by that
// URL (where the server publishes it); otherwise the context is inline, so
// a file written by "innograph export" stands on its own.
func WriteOptions(contextURL string) rdfio.WriteOptions {
	var ps []rdfio.Prefix
	for _, p := range ontology.Prefixes() {
		ps = append(ps, rdfio.Prefix{Name: p.Name, IRI: p.NS})
	}
	return rdfio.WriteOptions{
		Prefixes: ps,
		JSONLD: rdfio.JSONLDOptions{
			Context:    ontology.Context(),
			ContextURL: contextURL,
		},
	}
}
