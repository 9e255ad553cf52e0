package rdfio

import (
	"testing"

	"github.com/cayleygraph/quad"
)

func TestAppendTerm(t *testing.T) {
	tests := []struct {
		name string
		in   quad.Value
		want string
	}{
		{"iri", quad.IRI("http://e/x"), "<http://e/x>"},
		{"iri unicode kept", quad.IRI("http://e/日本"), "<http://e/日本>"},
		{"iri forbidden escaped", quad.IRI("http://e/a b<c>\"{|}^`\\"), `<http://e/a\u0020b\u003Cc\u003E\u0022\u007B\u007C\u007D\u005E\u0060\u005C>`},
		{"iri invalid utf8", quad.IRI("http://e/\xff"), `<http://e/\uFFFD>`},
		{"string escapes", quad.String("a\"b\\c\nd\re\tf"), `"a\"b\\c\nd\re\tf"`},
		{"string controls", quad.String("\x00\x1f\x7f"), `"\u0000\u001F\u007F"`},
		{"string unicode kept", quad.String("Ærø 😀"), `"Ærø 😀"`},
		{"string invalid utf8", quad.String("a\xffb"), `"a\uFFFDb"`},
		{"lang", quad.LangString{Value: "hej", Lang: "da"}, `"hej"@da`},
		{"typed", quad.TypedString{Value: "01", Type: ttlXSDInteger}, `"01"^^<http://www.w3.org/2001/XMLSchema#integer>`},
		{"bnode", quad.BNode("b1"), "_:b1"},
		{"bnode dots", quad.BNode("a.b"), "_:a.b"},
		{"bnode invalid label", quad.BNode("a b"), "_:x-612062"},
		{"bnode trailing dot", quad.BNode("a."), "_:x-612e"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(appendTerm(nil, tc.in)); got != tc.want {
				t.Errorf("appendTerm(%#v) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}

func TestNormTerm(t *testing.T) {
	tests := []struct {
		name string
		in   quad.Value
		want quad.Value
	}{
		{"xsd string is simple", quad.TypedString{Value: "x", Type: ttlXSDString}, quad.String("x")},
		{"lang lower-cased", quad.LangString{Value: "x", Lang: "EN-GB"}, quad.LangString{Value: "x", Lang: "en-gb"}},
		{"int", quad.Int(-5), quad.TypedString{Value: "-5", Type: ttlXSDInteger}},
		{"float", quad.Float(1500), quad.TypedString{Value: "1.5E3", Type: ttlXSDDouble}},
		{"float fraction", quad.Float(0.25), quad.TypedString{Value: "2.5E-1", Type: ttlXSDDouble}},
		{"float whole", quad.Float(1), quad.TypedString{Value: "1.0E0", Type: ttlXSDDouble}},
		{"bool", quad.Bool(true), quad.TypedString{Value: "true", Type: ttlXSDBoolean}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := normTerm(tc.in)
			if err != nil || got != tc.want {
				t.Errorf("normTerm(%#v) = %#v, %v; want %#v", tc.in, got, err, tc.want)
			}
		})
	}
	if _, err := normTerm(nil); err == nil {
		t.Errorf("normTerm(nil) succeeded, want an error")
	}
}

func TestBareLiteral(t *testing.T) {
	tests := []struct {
		lex  string
		dt   quad.IRI
		want bool
	}{
		{"42", ttlXSDInteger, true}, {"-7", ttlXSDInteger, true}, {"0", ttlXSDInteger, true},
		{"-0", ttlXSDInteger, false}, {"+1", ttlXSDInteger, false}, {"01", ttlXSDInteger, false},
		{" 4", ttlXSDInteger, false}, {"", ttlXSDInteger, false}, {"1.0", ttlXSDInteger, false},
		{"3.14", ttlXSDDecimal, true}, {"1.0", ttlXSDDecimal, true}, {"-0.5", ttlXSDDecimal, true},
		{"1.", ttlXSDDecimal, false}, {".5", ttlXSDDecimal, false}, {"1.50", ttlXSDDecimal, false},
		{"1", ttlXSDDecimal, false}, {"+3.14", ttlXSDDecimal, false},
		{"1.5E3", ttlXSDDouble, false}, {"true", ttlXSDBoolean, true}, {"1", ttlXSDBoolean, false},
		{"42", ttlXSDString, false},
	}
	for _, tc := range tests {
		if got := bareLiteral(tc.lex, tc.dt); got != tc.want {
			t.Errorf("bareLiteral(%q, %s) = %v, want %v", tc.lex, tc.dt, got, tc.want)
		}
	}
}

func TestAppendPNLocal(t *testing.T) {
	tests := []struct {
		local string
		ok    bool
	}{
		{"abc", true}, {"", true}, {"a.b", true}, {"1abc", true}, {"a:b", true}, {"a-b", true},
		{"pct%20x", true}, {"日本", true}, {"a.", false}, {"-a", false}, {".a", false},
		{"a/b", false}, {"a%zz", false}, {"a b", false}, {"a~b", false}, {"a#b", false},
	}
	for _, tc := range tests {
		got, ok := appendPNLocal(nil, tc.local)
		if ok != tc.ok || ok && string(got) != tc.local {
			t.Errorf("appendPNLocal(%q) = %q, %v; want ok %v", tc.local, got, ok, tc.ok)
		}
	}
}
