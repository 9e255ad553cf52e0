package main

import (
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/seeds/seeddocs"
)

// seedDocuments are the embedded seed graphs, as the api tests load them
// too (seeds/seeddocs).
func seedDocuments() []graph.Document { return seeddocs.Documents() }
