package rdfio

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckIRI(t *testing.T) {
	tests := []struct {
		iri    string
		errHas string // "" for valid
	}{
		{"https://example.org/a", ""},
		{"http://[2001:db8::1]:8080/x?q=1#frag", ""},
		{"urn:isbn:0451450523", ""},
		{"https://例え.jp/パス?q=値", ""},
		{"mailto:someone@example.org", ""},
		{"https://example.org/%C3%A5", ""},
		{"https://example.org/?\ue000", ""}, // iprivate, allowed in a query
		{"relative/path", "not absolute"},
		{"//host/x", "not absolute"},
		{"https://example.org/a b", "not allowed"},
		{"https://example.org/<x>", "not allowed"},
		{"https://example.org/%G0", "two hex digits"},
		{"https://example.org/%4", "two hex digits"},
		{"https://example.org/a#b#c", "second '#'"},
		{"https://example.org:8o/", "not a number"},
		{"https://[::1/x", "unclosed '['"},
		{"https://example.org/a[1]", "outside the host"},
		{"https://example.org/\ue000", "U+E000"}, // iprivate outside a query
		{"https://example.org/\ufffe", "U+FFFE"},
	}
	for _, tc := range tests {
		err := CheckIRI(tc.iri)
		switch {
		case tc.errHas == "" && err != nil:
			t.Errorf("CheckIRI(%q) = %v, want valid", tc.iri, err)
		case tc.errHas != "" && (err == nil || !strings.Contains(err.Error(), tc.errHas)):
			t.Errorf("CheckIRI(%q) = %v, want an error with %q", tc.iri, err, tc.errHas)
		}
	}
}

func TestReadAllLimits(t *testing.T) {
	lim := Limits{MaxQuads: 2, MaxLiteralBytes: 8, MaxIRIBytes: 40, MaxJSONDepth: 4, MaxPrefixes: 1}
	tests := []struct {
		name, format, doc string
		limit             string // LimitError.Limit, or "" for a SyntaxError, "ok" for success
		line, col         int
	}{
		{"within limits", NTriples, "<https://e.org/a> <https://e.org/p> \"x\" .\n", "ok", 0, 0},
		{"quads", NTriples, strings.Repeat("<https://e.org/a> <https://e.org/p> \"x\" .\n<https://e.org/b> <https://e.org/p> \"y\" .\n", 2), "quads", 3, 1},
		{"literal", Turtle, "<https://e.org/a> <https://e.org/p> \"ok\" .\n<https://e.org/a> <https://e.org/p> \"far too long\" .\n", "literal length", 2, 1},
		{"IRI", NTriples, "<https://e.org/" + strings.Repeat("x", 40) + "> <https://e.org/p> \"x\" .\n", "IRI length", 1, 1},
		{"prefixes", Turtle, "@prefix a: <https://e.org/a#> .\n@prefix a: <https://e.org/again#> .\n@prefix b: <https://e.org/b#> .\n", "prefixes", 3, 1},
		{"JSON depth", JSONLD, `{"@id": "https://e.org/a", "https://e.org/p": [[[["x"]]]]}`, "JSON depth", 1, 50},
		{"context terms", JSONLD, `{"@context": {"a": "https://e.org/a", "b": "https://e.org/b"}, "@id": "https://e.org/x"}`, "prefixes", 1, 39},
		{"empty objects are not keys", JSONLD, `{"@context": {}, "@id": "https://e.org/a", "https://e.org/p": {"@value": "x"}, "https://e.org/q": [{}, []]}`, "ok", 0, 0},
		{"bad UTF-8 located", Turtle, "<https://e.org/a> <https://e.org/p>\n  \"caf\xe9\" .\n", "", 2, 7},
		{"invalid IRI located at its statement", Turtle, "\n<https://e.org/a> <https://e.org/p> <https://e.org/%zz> .\n", "", 2, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, _ := Lookup(tc.format)
			qs, err := ReadAll([]byte(tc.doc), f, ReadOptions{}, lim)
			if tc.limit == "ok" {
				if err != nil || len(qs) == 0 {
					t.Fatalf("ReadAll = %d quads, %v; want success", len(qs), err)
				}
				return
			}
			if qs != nil {
				t.Errorf("ReadAll returned %d quads with its error", len(qs))
			}
			var le *LimitError
			var se *SyntaxError
			var line, col int
			switch {
			case tc.limit != "" && errors.As(err, &le) && le.Limit == tc.limit:
				line, col = le.Position()
			case tc.limit == "" && errors.As(err, &se):
				line, col = se.Position()
			default:
				t.Fatalf("ReadAll error = %v (%T), want limit %q", err, err, tc.limit)
			}
			if line != tc.line || col != tc.col {
				t.Errorf("error %v at %d:%d, want %d:%d", err, line, col, tc.line, tc.col)
			}
		})
	}
}
