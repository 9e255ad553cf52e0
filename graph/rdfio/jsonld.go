package rdfio

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/cayleygraph/quad"
	"github.com/piprate/json-gold/ld"
)

// offlineLoader is the only json-gold DocumentLoader rdfio uses: it serves
// the documents registered with it and refuses every other URL, so reading
// or writing JSON-LD never touches the network or the file system.
type offlineLoader struct {
	mu     sync.Mutex
	raw    map[string][]byte
	parsed map[string]any
}

func newOfflineLoader(docs map[string][]byte) *offlineLoader {
	return &offlineLoader{raw: docs, parsed: make(map[string]any)}
}

// LoadDocument implements ld.DocumentLoader.
func (l *offlineLoader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	doc, ok := l.parsed[u]
	if !ok {
		raw, found := l.raw[u]
		if !found {
			return nil, ld.NewJsonLdError(ld.LoadingRemoteContextFailed,
				fmt.Sprintf("remote document %s refused: rdfio loads no remote documents, only contexts registered with it", u))
		}
		var err error
		if doc, err = decodeJSON(raw); err != nil {
			return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, fmt.Sprintf("registered document %s: %v", u, err))
		}
		l.parsed[u] = doc
	}
	// json-gold may modify what it is given; hand out a copy.
	return &ld.RemoteDocument{DocumentURL: u, Document: ld.CloneDocument(doc)}, nil
}

// decodeJSON parses one JSON value (numbers as float64, as json-gold
// expects) and rejects trailing data.
func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("data after the JSON value at offset %d", dec.InputOffset())
	}
	return v, nil
}

// ldNode converts a normalised term to json-gold's node.
func ldNode(v quad.Value) ld.Node {
	switch t := v.(type) {
	case quad.IRI:
		return ld.NewIRI(string(t))
	case quad.BNode:
		return ld.NewBlankNode("_:" + string(t))
	case quad.String:
		return ld.NewLiteral(string(t), ld.XSDString, "")
	case quad.LangString:
		return ld.NewLiteral(string(t.Value), ld.RDFLangString, t.Lang)
	case quad.TypedString:
		return ld.NewLiteral(string(t.Value), string(t.Type), "")
	}
	return nil
}

// quadValue converts json-gold's node to a term under the conventions of
// doc.go; blank node labels get prefix.
func quadValue(n ld.Node, bnPrefix string) quad.Value {
	switch t := n.(type) {
	case ld.IRI:
		return quad.IRI(t.Value)
	case ld.BlankNode:
		return quad.BNode(bnPrefix + "-" + strings.TrimPrefix(t.Attribute, "_:"))
	case ld.Literal:
		switch {
		case t.Language != "":
			return quad.LangString{Value: quad.String(t.Value), Lang: asciiLower(t.Language)}
		case t.Datatype == "" || t.Datatype == ld.XSDString:
			return quad.String(t.Value)
		}
		return quad.TypedString{Value: quad.String(t.Value), Type: quad.IRI(t.Datatype)}
	}
	return nil
}
