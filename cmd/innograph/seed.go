package main

import (
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/internal/seeddocs"
)

// seedDocuments are the embedded seed graphs, as the api tests load them
// too (internal/seeddocs).
func seedDocuments() []graph.Document { return seeddocs.Documents() }
