package rdfio

import (
	"fmt"
	"sync"
)

// offlineLoader is the only document loader of the JSON-LD processor: it
// serves the documents registered with it and refuses every other URL, so
// reading or writing JSON-LD never touches the network or the file system.
// Parsed documents are cached; callers must not modify what load returns.
type offlineLoader struct {
	mu     sync.Mutex
	raw    map[string][]byte
	parsed map[string]any
}

func newOfflineLoader(docs map[string][]byte) *offlineLoader {
	return &offlineLoader{raw: docs, parsed: make(map[string]any)}
}

// load returns the parsed document registered at u.
func (l *offlineLoader) load(u string) (any, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if doc, ok := l.parsed[u]; ok {
		return doc, nil
	}
	raw, found := l.raw[u]
	if !found {
		return nil, fmt.Errorf("remote document %s refused: rdfio loads no remote documents, only contexts registered with it", u)
	}
	doc, err := decodeJSONNumbers(raw)
	if err != nil {
		return nil, fmt.Errorf("registered document %s: %v", u, err)
	}
	l.parsed[u] = doc
	return doc, nil
}
