package graph

import (
	"context"
	"crypto/sha256"

	"github.com/cayleygraph/quad"
)

// tripleKey identifies a triple (graph label ignored) in 16 bytes of its
// SHA-256, so a set of the triples of a million-quad store stays near
// 40 MB; a collision would need 2^64 triples.
func tripleKey(q quad.Quad) [16]byte {
	h := sha256.New()
	for _, v := range []quad.Value{q.Subject, q.Predicate, q.Object} {
		h.Write([]byte(quad.ToString(v)))
		h.Write([]byte{0})
	}
	var k [16]byte
	copy(k[:], h.Sum(nil))
	return k
}

// EachTriple is EachQuad for formats without graphs: graph labels are
// dropped and a triple stated in several graphs is passed to fn once, so a
// dump in Turtle, N-Triples or RDF/XML is a set. It keeps a 16-byte key per
// distinct triple.
func (s *Store) EachTriple(ctx context.Context, sel Selection, fn func(quad.Quad) error) error {
	seen := make(map[[16]byte]struct{})
	return s.EachQuad(ctx, sel, func(q quad.Quad) error {
		q.Label = nil
		k := tripleKey(q)
		if _, dup := seen[k]; dup {
			return nil
		}
		seen[k] = struct{}{}
		return fn(q)
	})
}
