package rdfio

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/rdfio/rdftest"
)

func TestJSONLDReadErrors(t *testing.T) {
	tests := []struct {
		name, doc string
		opt       ReadOptions
		want      string // in the message
		line      int
	}{
		{"malformed JSON", "{\n  \"@id\": }", ReadOptions{}, "malformed JSON", 2},
		{"trailing data", `{} {}`, ReadOptions{}, "data after", 0},
		{"remote context refused", `{"@context": "https://example.org/other.jsonld", "@id": "http://e/s"}`, ReadOptions{}, "refused", 0},
		{"invalid keyword value", `{"@id": 5}`, ReadOptions{}, "invalid @id value", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeAll(strings.NewReader(tc.doc), mustFormat(t, JSONLD), tc.opt)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a *SyntaxError", err)
			}
			if !strings.Contains(se.Msg, tc.want) || se.Line != tc.line {
				t.Errorf("err = %q at line %d, want %q at line %d", se.Msg, se.Line, tc.want, tc.line)
			}
		})
	}
	t.Run("too large", func(t *testing.T) {
		_, err := decodeAll(strings.NewReader(`{"@id": "http://e/s", "http://e/p": "x"}`), mustFormat(t, JSONLD), ReadOptions{MaxBytes: 10})
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("err = %v, want ErrTooLarge", err)
		}
	})
}

func TestJSONLDReadTerms(t *testing.T) {
	const doc = `{"@context": {"@vocab": "http://e/", "n": {"@id": "http://e/n"}},
  "@id": "rel", "n": [5, 5.5, 1e21, true, "s", {"@value": "x", "@language": "EN"}],
  "http://e/k": {"@id": "_:b"}}`
	got, err := decodeAll(strings.NewReader(doc), mustFormat(t, JSONLD), ReadOptions{Base: "http://base/dir/", BlankNodePrefix: "p", Graph: quad.IRI("http://g")})
	if err != nil {
		t.Fatal(err)
	}
	s, g := quad.IRI("http://base/dir/rel"), quad.IRI("http://g")
	n := quad.IRI("http://e/n")
	want := []quad.Quad{
		{Subject: s, Predicate: n, Object: quad.TypedString{Value: "5", Type: ttlXSDInteger}, Label: g},
		{Subject: s, Predicate: n, Object: quad.TypedString{Value: "5.5E0", Type: ttlXSDDouble}, Label: g},
		{Subject: s, Predicate: n, Object: quad.TypedString{Value: "1.0E21", Type: ttlXSDDouble}, Label: g},
		{Subject: s, Predicate: n, Object: quad.TypedString{Value: "true", Type: ttlXSDBoolean}, Label: g},
		{Subject: s, Predicate: n, Object: quad.String("s"), Label: g},
		{Subject: s, Predicate: n, Object: quad.LangString{Value: "x", Lang: "en"}, Label: g},
		{Subject: s, Predicate: quad.IRI("http://e/k"), Object: quad.BNode("p-b0"), Label: g},
	}
	if g, w := rdftest.Canonical(got), rdftest.Canonical(want); g != w {
		t.Errorf("got:\n%s\nwant:\n%s", g, w)
	}
	for _, q := range got {
		if b, ok := q.Object.(quad.BNode); ok && !strings.HasPrefix(string(b), "p-") {
			t.Errorf("blank node %q lacks the prefix", b)
		}
	}
}

func TestJSONLDWriteShapes(t *testing.T) {
	ex := func(s string) quad.IRI { return quad.IRI(exNS + s) }
	label := quad.IRI("http://www.w3.org/2000/01/rdf-schema#label")
	qs := []quad.Quad{
		{Subject: ex("a"), Predicate: ttlRDFType, Object: ex("Org")},
		{Subject: ex("a"), Predicate: label, Object: quad.String("A")},
		{Subject: ex("a"), Predicate: ex("name"), Object: quad.String("dropped in visual")},
		{Subject: ex("a"), Predicate: ex("knows"), Object: ex("b")},
		{Subject: ex("b"), Predicate: label, Object: quad.String("B"), Label: quad.IRI("http://g")},
	}
	f := mustFormat(t, JSONLD)
	tests := []struct {
		profile string
		check   func(t *testing.T, doc any)
		keep    func(q quad.Quad) bool
	}{
		{ProfileCompacted, func(t *testing.T, doc any) {
			m := doc.(map[string]any)
			if m["@context"] != testContextURL || len(m["@graph"].([]any)) != 2 {
				t.Errorf("want the context URL and 2 elements, got %v", m)
			}
		}, func(quad.Quad) bool { return true }},
		{ProfileExpanded, func(t *testing.T, doc any) {
			if a, ok := doc.([]any); !ok || len(a) != 2 {
				t.Errorf("want a top-level array of 2, got %v", doc)
			}
		}, func(quad.Quad) bool { return true }},
		{ProfileVisual, func(t *testing.T, doc any) {
			first := doc.(map[string]any)["@graph"].([]any)[0].(map[string]any)
			// Links are explicit {"@id": ...} objects, so a viewer tells
			// them from strings without the context.
			link, _ := first["knows"].(map[string]any)
			if first["@id"] != "ex:a" || first["@type"] != "ex:Org" || first["label"] != "A" || link["@id"] != "ex:b" || len(link) != 1 || first["name"] != nil {
				t.Errorf("visual node = %v", first)
			}
		}, func(q quad.Quad) bool { return q.Predicate != ex("name") }},
	}
	for _, tc := range tests {
		t.Run(tc.profile, func(t *testing.T) {
			opt := writeOptions()
			opt.JSONLD.Profile = tc.profile
			out := encode(t, qs, f, opt)
			var doc any
			if err := json.Unmarshal(out, &doc); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, out)
			}
			tc.check(t, doc)
			got, err := decodeAll(bytes.NewReader(out), f, ReadOptions{Contexts: map[string][]byte{testContextURL: []byte(testContext)}})
			if err != nil {
				t.Fatal(err)
			}
			var want []quad.Quad
			for _, q := range qs {
				if tc.keep(q) {
					want = append(want, q)
				}
			}
			if g, w := rdftest.Canonical(got), rdftest.Canonical(want); g != w {
				t.Errorf("read back:\n%s\nwant:\n%s\noutput:\n%s", g, w, out)
			}
		})
	}
	t.Run("empty", func(t *testing.T) {
		if out := string(encode(t, nil, f, writeOptions())); out != `{"@context": "`+testContextURL+`", "@graph": []}`+"\n" {
			t.Errorf("empty output = %q", out)
		}
	})
	t.Run("bad profile", func(t *testing.T) {
		if _, err := NewWriter(&bytes.Buffer{}, f, WriteOptions{JSONLD: JSONLDOptions{Profile: "x"}}); err == nil {
			t.Error("unknown profile accepted")
		}
	})
}

// TestJSONLDDropsWhatTheSpecDrops: the upload path (ReadAll) refuses only
// what JSON-LD calls an error; what the JSON-LD to RDF algorithm drops (an
// ill-formed IRI, a key that expands to no IRI) is dropped, as on the
// stream path and in every other JSON-LD processor.
func TestJSONLDDropsWhatTheSpecDrops(t *testing.T) {
	ex := func(s string) quad.IRI { return quad.IRI("https://example.org/" + s) }
	tests := []struct {
		name, doc string
		want      []quad.Quad
	}{
		{"subject IRI with a space", `{"@id": "https://example.org/a b", "https://example.org/p": "x"}`, nil},
		{"unmapped key", `{"@id": "https://example.org/a", "not an iri": "x", "https://example.org/p": "y"}`,
			[]quad.Quad{{Subject: ex("a"), Predicate: ex("p"), Object: quad.String("y")}}},
		{"type IRI with a space", `{"@id": "https://example.org/a", "@type": ["https://example.org/A", "https://example.org/B C"]}`,
			[]quad.Quad{{Subject: ex("a"), Predicate: ttlRDFType, Object: ex("A")}}},
		{"relative IRI without a base", `{"@id": "rel", "https://example.org/p": {"@id": "https://example.org/o"}}`, nil},
	}
	f := mustFormat(t, JSONLD)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadAll([]byte(tc.doc), f, ReadOptions{}, Limits{})
			if err != nil {
				t.Fatalf("ReadAll: %v", err)
			}
			stream, err := decodeAll(strings.NewReader(tc.doc), f, ReadOptions{})
			if err != nil {
				t.Fatalf("NewReader: %v", err)
			}
			if g, s, w := rdftest.Canonical(got), rdftest.Canonical(stream), rdftest.Canonical(tc.want); g != w || s != w {
				t.Errorf("upload path:\n%s\nstream path:\n%s\nwant:\n%s", g, s, w)
			}
		})
	}
}

// TestJSONLDWriteNeverFails: what used to make the JSON-LD export fail
// after its first byte now writes, and reads back as the very dataset:
// IRIs whose scheme is a term of the context, a list node without
// rdf:first, a list node referenced from another graph, rdf:JSON literals
// in and out of RFC 8785 form.
func TestJSONLDWriteNeverFails(t *testing.T) {
	const ctx = `{"@context": {"schema": "http://schema.org/", "person": "https://example.org/person/", "id": "@id",
  "name": "http://schema.org/name", "knows": {"@id": "http://schema.org/knows", "@type": "@id"}}}`
	rdfNS := "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	ex := func(s string) quad.IRI { return quad.IRI("https://example.org/" + s) }
	json := func(s string) quad.TypedString {
		return quad.TypedString{Value: quad.String(s), Type: quad.IRI(rdfNS + "JSON")}
	}
	g1, g2 := ex("g1"), ex("g2")
	qs := []quad.Quad{
		{Subject: quad.IRI("schema:Person"), Predicate: quad.IRI("http://schema.org/name"), Object: quad.String("a")},
		{Subject: ex("a"), Predicate: quad.IRI("http://schema.org/knows"), Object: quad.IRI("person:123")},
		{Subject: ex("a"), Predicate: ttlRDFType, Object: quad.IRI("id:x")},
		{Subject: quad.BNode("l"), Predicate: quad.IRI(rdfNS + "rest"), Object: quad.IRI(rdfNS + "nil")},
		{Subject: ex("a"), Predicate: ex("list"), Object: quad.BNode("l")},
		{Subject: ex("z"), Predicate: ex("q"), Object: quad.BNode("z0"), Label: g1},
		{Subject: quad.BNode("z0"), Predicate: quad.IRI(rdfNS + "first"), Object: quad.String("A"), Label: g1},
		{Subject: quad.BNode("z0"), Predicate: quad.IRI(rdfNS + "rest"), Object: quad.BNode("z1"), Label: g1},
		{Subject: quad.BNode("z1"), Predicate: quad.IRI(rdfNS + "first"), Object: quad.String("B"), Label: g1},
		{Subject: quad.BNode("z1"), Predicate: quad.IRI(rdfNS + "rest"), Object: quad.IRI(rdfNS + "nil"), Label: g1},
		{Subject: ex("x"), Predicate: ex("p"), Object: quad.BNode("z1"), Label: g2},
		{Subject: ex("j"), Predicate: ex("v"), Object: json(`[1.23,"x",null]`)},
		{Subject: ex("j"), Predicate: ex("v"), Object: json(`{"b": 1, "a": 2}`)},
		{Subject: ex("j"), Predicate: ex("v"), Object: json(`not json`)},
	}
	f := mustFormat(t, JSONLD)
	for _, profile := range []string{ProfileCompacted, ProfileExpanded} {
		t.Run(profile, func(t *testing.T) {
			out := encode(t, qs, f, WriteOptions{JSONLD: JSONLDOptions{Context: []byte(ctx), Profile: profile}})
			got, err := ReadAll(out, f, ReadOptions{}, Limits{})
			if err != nil {
				t.Fatalf("read back: %v\n%s", err, out)
			}
			if g, w := rdftest.Canonical(got), rdftest.Canonical(qs); g != w {
				t.Errorf("read back differs\n got:\n%s\nwant:\n%s\noutput:\n%s", g, w, out)
			}
		})
	}
}

// TestJSONLDJSONLiterals: every JSON value is an rdf:JSON literal in RFC
// 8785 form (numbers as JSON writes them, not as doubles); a number JSON
// cannot carry is refused, never stored wrong.
func TestJSONLDJSONLiterals(t *testing.T) {
	tests := []struct{ value, want string }{
		{`1.23`, `1.23`}, {`1.0`, `1`}, {`1e21`, `1e+21`}, {`-0`, `0`}, {`"x\u0041"`, `"xA"`},
		{`[1, "a", null, true]`, `[1,"a",null,true]`}, {`null`, `null`}, {`true`, `true`},
		{`{"b": [], "a": {"d": 1, "c": 0.5}}`, `{"a":{"c":0.5,"d":1},"b":[]}`},
	}
	f := mustFormat(t, JSONLD)
	for _, tc := range tests {
		doc := `{"@id": "https://example.org/s", "https://example.org/p": {"@value": ` + tc.value + `, "@type": "@json"}}`
		qs, err := ReadAll([]byte(doc), f, ReadOptions{}, Limits{})
		if err != nil || len(qs) != 1 {
			t.Errorf("%s: %v, %d quads", tc.value, err, len(qs))
			continue
		}
		want := quad.TypedString{Value: quad.String(tc.want), Type: "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"}
		if qs[0].Object != want {
			t.Errorf("%s = %v, want %v", tc.value, qs[0].Object, want)
		}
	}
	_, err := ReadAll([]byte(`{"@id": "https://example.org/s", "https://example.org/p": {"@value": 1E400, "@type": "@json"}}`), f, ReadOptions{}, Limits{})
	var se *SyntaxError
	if !errors.As(err, &se) || !strings.Contains(se.Msg, "invalid JSON literal") {
		t.Errorf("1E400: err = %v, want a *SyntaxError naming an invalid JSON literal", err)
	}
}

// TestJSONLDRemoteContextsBounded: a context that includes itself fails
// with an error instead of recursing until the stack overflows, and a
// chain of remote contexts is bounded in depth.
func TestJSONLDRemoteContextsBounded(t *testing.T) {
	const u = "https://example.org/ctx/"
	chain := map[string][]byte{}
	for i := 0; i < 40; i++ {
		chain[u+strconv.Itoa(i)] = []byte(`{"@context": ["` + u + strconv.Itoa(i+1) + `", {"t` + strconv.Itoa(i) + `": "https://example.org/t"}]}`)
	}
	chain[u+"40"] = []byte(`{"@context": {}}`)
	tests := []struct {
		name     string
		contexts map[string][]byte
		start    string
		want     string
	}{
		{"self", map[string][]byte{u + "self": []byte(`{"@context": "` + u + `self"}`)}, u + "self", "recursive context inclusion"},
		{"loop", map[string][]byte{u + "a": []byte(`{"@context": "` + u + `b"}`), u + "b": []byte(`{"@context": "` + u + `a"}`)}, u + "a", "recursive context inclusion"},
		{"too deep", chain, u + "0", "context overflow"},
	}
	f := mustFormat(t, JSONLD)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := `{"@context": "` + tc.start + `", "@id": "https://example.org/s", "https://example.org/p": "x"}`
			_, err := ReadAll([]byte(doc), f, ReadOptions{Contexts: tc.contexts}, Limits{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}
