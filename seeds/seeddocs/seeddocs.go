// Package seeddocs joins package seeds to the graph and its parsers, which
// seeds must not import: it turns the embedded seed graphs into the
// documents graph.Store.LoadIfEmpty loads, and a profile text uploaded over
// HTTP into quads with located errors, so that the command and the tests of
// other packages do both exactly the same way.
package seeddocs

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"path"

	"github.com/cayleygraph/quad"

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

// ParseUpload parses a profile text sent to the Graph Store Protocol (the
// api.Config.ParseProfile hook): its quads in the profile's source graph,
// the upload's SHA-256 recorded as the source file (an upload has no file
// under seeds/sources). Text off the template gives an *rdfio.SyntaxError
// with its line, which the API reports with that line.
func ParseUpload(r io.Reader) ([]quad.Quad, error) {
	text, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	p, err := seeds.ParseProfile(bytes.NewReader(text))
	if err != nil {
		var se *seeds.SyntaxError
		if errors.As(err, &se) {
			return nil, &rdfio.SyntaxError{Line: se.Line, Msg: se.Error()}
		}
		return nil, err
	}
	sum := sha256.Sum256(text)
	p.SourceFile = "upload:sha256:" + hex.EncodeToString(sum[:])
	return p.Quads(seeds.ProfileGraph(p)), nil
}
