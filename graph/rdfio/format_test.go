package rdfio

import "testing"

func TestNegotiate(t *testing.T) {
	rdf := Formats()
	tests := []struct {
		accept string
		want   string // "" means not acceptable
	}{
		{"", Turtle},
		{"*/*", Turtle},
		{"text/turtle", Turtle},
		{"application/ld+json", JSONLD},
		{"application/n-quads", NQuads},
		{"application/n-triples", NTriples},
		{"application/trig", TriG},
		{"text/html;q=0.9, application/ld+json", JSONLD},
		{"text/turtle;q=0.5, application/trig;q=0.8", TriG},
		{"application/*;q=0.9, text/turtle;q=0.1", JSONLD},
		{"text/*", Turtle},       // the alias text/plain must not win through a wildcard
		{"text/plain", NTriples}, // but counts when named exactly
		{"image/png", ""},
		{"text/turtle;q=0", ""},
		{"application/json", JSONLD},
		{"garbage;;;", ""},
		{"application/rdf+xml, */*;q=0.1", RDFXML},
		{"text/n3, */*;q=0.1", Turtle}, // rdflib's format="n3"
		{"application/rdf+xml,text/rdf+n3;q=0.9,application/xhtml+xml;q=0.5", RDFXML}, // rdflib's default
	}
	for _, tc := range tests {
		t.Run(tc.accept, func(t *testing.T) {
			f, ok := Negotiate(tc.accept, rdf)
			got := ""
			if ok {
				got = f.Name
			}
			if got != tc.want {
				t.Errorf("Negotiate(%q) = %q, want %q", tc.accept, got, tc.want)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	tests := []struct{ in, want string }{
		{"turtle", Turtle}, {"TTL", Turtle}, {".ttl", Turtle}, {"text/turtle; charset=utf-8", Turtle},
		{"nq", NQuads}, {"n-quads", NQuads}, {"application/n-quads", NQuads},
		{"nt", NTriples}, {"trig", TriG}, {"jsonld", JSONLD}, {"json-ld", JSONLD}, {"yaml", ""},
		{"xml", RDFXML}, {"rdf", RDFXML}, {".owl", RDFXML}, {"application/rdf+xml", RDFXML}, {"text/n3", Turtle},
	}
	for _, tc := range tests {
		f, ok := Lookup(tc.in)
		if got := map[bool]string{true: f.Name, false: ""}[ok]; got != tc.want {
			t.Errorf("Lookup(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for in, want := range map[string]string{"a/b.nq": NQuads, "x.TTL": Turtle, "dump.trig.gz": TriG, "d.jsonld": JSONLD, "noext": "", "x.txt": ""} {
		f, ok := ByExtension(in)
		if got := map[bool]string{true: f.Name, false: ""}[ok]; got != want {
			t.Errorf("ByExtension(%q) = %q, want %q", in, got, want)
		}
	}
}
