package rdfio

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/innograph/innograph/graph/rdfio/rdftest"
)

// FuzzReadJSONLD: the JSON-LD reader never panics and fails only with a
// *SyntaxError (a JSON-LD processing error has no position) or ErrTooLarge.
func FuzzReadJSONLD(f *testing.F) {
	fuzzSeeds(f, "json-ld-toRdf/toRdf/*-in.jsonld")
	f.Add([]byte(`{"@context": {"@vocab": "https://example.org/"}, "@id": "https://example.org/a", "p": [1, "x", {"@id": "_:b"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(strings.NewReader(string(data)), mustFormat(t, JSONLD), ReadOptions{Base: "http://fuzz.example/base/", MaxBytes: 1 << 20})
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error %v is neither a *SyntaxError nor ErrTooLarge", err)
			}
			return
		}
		for {
			q, err := r.ReadQuad()
			if err != nil {
				return
			}
			if q.Subject == nil || q.Predicate == nil || q.Object == nil {
				t.Fatalf("partial quad %v", q)
			}
		}
	})
}

// FuzzReadAll is the write path's entry point: every format under tight
// limits. Errors are located *SyntaxError or *LimitError values; accepted
// quads obey the limits and hold only absolute RFC 3987 IRIs.
func FuzzReadAll(f *testing.F) {
	fuzzSeeds(f, "rdf-turtle/*.ttl")
	fuzzSeeds(f, "rdf-trig/*.trig")
	fuzzSeeds(f, "json-ld-toRdf/toRdf/*-in.jsonld")
	lim := Limits{MaxQuads: 200, MaxLiteralBytes: 256, MaxIRIBytes: 256, MaxJSONDepth: 16, MaxPrefixes: 8}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{Turtle, TriG, NTriples, NQuads, JSONLD} {
			qs, err := ReadAll(data, mustFormat(t, name), ReadOptions{Base: "http://fuzz.example/base/"}, lim)
			if err != nil {
				var se *SyntaxError
				var le *LimitError
				if !errors.As(err, &se) && !errors.As(err, &le) && !errors.Is(err, ErrTooLarge) {
					t.Fatalf("%s: error %v is neither a *SyntaxError nor a *LimitError", name, err)
				}
				if qs != nil {
					t.Fatalf("%s: quads returned with an error", name)
				}
				continue
			}
			if len(qs) > lim.MaxQuads {
				t.Fatalf("%s: %d quads accepted over the limit %d", name, len(qs), lim.MaxQuads)
			}
			for _, q := range qs {
				if err := CheckQuad(q, lim); err != nil {
					t.Fatalf("%s: accepted quad %v fails its check: %v", name, q, err)
				}
			}
		}
	})
}

// FuzzCheckIRI: the IRI check never panics, and what it accepts is
// absolute and free of the characters IRIs exclude.
func FuzzCheckIRI(f *testing.F) {
	for _, s := range []string{"https://example.org/a", "http://[::1]:80/x?q#f", "urn:isbn:0451450523", "https://例え.jp/パス", "mailto:a@b", "https://h:8o/", "x:%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if CheckIRI(s) != nil {
			return
		}
		if iriSchemeLen(s) == 0 {
			t.Fatalf("CheckIRI accepted %q without a scheme", s)
		}
		if strings.ContainsAny(s, " <>\"{}|\\^`\n\t") {
			t.Fatalf("CheckIRI accepted %q holding an excluded character", s)
		}
	})
}

// fuzzContext is the context FuzzJSONLDRoundTrip compacts against: prefixes
// an IRI may collide with, coercions, and list and language containers.
const fuzzContext = `{"@context": {
  "ex": "http://example.org/",
  "schema": "http://schema.org/",
  "xsd": "http://www.w3.org/2001/XMLSchema#",
  "id": "@id",
  "knows": {"@id": "ex:knows", "@type": "@id"},
  "kind": {"@id": "ex:kind", "@type": "@vocab"},
  "age": {"@id": "ex:age", "@type": "xsd:integer"},
  "tags": {"@id": "ex:tags", "@container": "@list"},
  "names": {"@id": "ex:names", "@container": "@language"},
  "data": {"@id": "ex:data", "@type": "@json"},
  "label": "http://www.w3.org/2000/01/rdf-schema#label"
}}`

// FuzzJSONLDRoundTrip feeds JSON-LD through read, write and read again, in
// the compacted and expanded profiles: the second reading must give the
// very dataset of the first (up to blank node labels), and nothing may
// panic.
func FuzzJSONLDRoundTrip(f *testing.F) {
	fuzzSeeds(f, "json-ld-toRdf/toRdf/*-in.jsonld")
	f.Add([]byte(`{"@context": {"ex": "http://example.org/"}, "@id": "schema:Person", "ex:p": [{"@list": [1, "a", {"@id": "ex:b"}]}, {"@value": [1.23, null], "@type": "@json"}]}`))
	f.Add([]byte(`[{"@id": "_:l", "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest": {"@id": "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"}}, {"@id": "http://example.org/g", "@graph": {"@id": "http://example.org/s", "http://example.org/p": {"@id": "_:l"}}}]`))
	jf := mustFormat(f, JSONLD)
	lim := Limits{MaxQuads: 500, MaxJSONDepth: 32, MaxPrefixes: 64}
	contexts := map[string][]byte{"https://example.org/fuzz.jsonld": []byte(fuzzContext)}
	f.Fuzz(func(t *testing.T, data []byte) {
		first, err := ReadAll(data, jf, ReadOptions{Base: "http://fuzz.example/base/", BlankNodePrefix: "f"}, lim)
		if err != nil {
			return
		}
		for _, profile := range []string{ProfileCompacted, ProfileExpanded} {
			var buf bytes.Buffer
			w, err := NewWriter(&buf, jf, WriteOptions{JSONLD: JSONLDOptions{Context: []byte(fuzzContext), ContextURL: "https://example.org/fuzz.jsonld", Profile: profile}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.WriteQuads(first); err != nil {
				t.Fatalf("%s: write: %v", profile, err)
			}
			if err := w.Close(); err != nil {
				t.Fatalf("%s: close: %v", profile, err)
			}
			second, err := ReadAll(buf.Bytes(), jf, ReadOptions{Contexts: contexts, BlankNodePrefix: "s"}, Limits{})
			if err != nil {
				t.Fatalf("%s: read back: %v\n%s", profile, err, buf.Bytes())
			}
			if g, w := rdftest.Canonical(second), rdftest.Canonical(first); g != w {
				t.Fatalf("%s: read, write, read differs\nfirst:\n%s\nsecond:\n%s\ndocument:\n%s", profile, w, g, buf.Bytes())
			}
		}
	})
}

// FuzzReadRDFXML checks that the RDF/XML reader never panics, never hangs,
// returns located *SyntaxError values, and never a partial quad.
func FuzzReadRDFXML(f *testing.F) {
	fuzzSeeds(f, "rdf-xml/*/*.rdf")
	f.Fuzz(func(t *testing.T, data []byte) {
		qs, err := ReadAll(data, mustFormat(t, RDFXML), ReadOptions{Base: "http://fuzz.example/base/"}, Limits{MaxQuads: 1000})
		if err != nil {
			var se *SyntaxError
			var le *LimitError
			if !errors.As(err, &se) && !errors.As(err, &le) {
				t.Fatalf("error %v (%T) is neither a *SyntaxError nor a *LimitError", err, err)
			}
			return
		}
		for _, q := range qs {
			if q.Subject == nil || q.Predicate == nil || q.Object == nil {
				t.Fatalf("partial quad %v", q)
			}
		}
	})
}
