package rdfio

import (
	"errors"
	"strings"
	"testing"
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
