package results

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/cayleygraph/quad"
)

var sample = struct {
	vars []string
	rows [][]quad.Value
}{
	vars: []string{"s", "o", "x"},
	rows: [][]quad.Value{
		{quad.IRI("http://example.org/s"), quad.String("plain, \"quoted\"\nline"), nil},
		{quad.BNode("b0"), quad.LangString{Value: "chat", Lang: "fr"}, quad.TypedString{Value: "42", Type: xsdInteger}},
		{nil, quad.TypedString{Value: "1.5e3", Type: xsdDouble}, quad.TypedString{Value: "x y", Type: "http://example.org/dt"}},
		{quad.IRI("http://example.org/é"), quad.String("tab\there <&>"), quad.TypedString{Value: "true", Type: xsdBoolean}},
	},
}

// Every format written and read back gives the same solutions; CSV keeps
// only the text of each value.
func TestRoundTrip(t *testing.T) {
	for _, f := range Formats() {
		t.Run(f.Name, func(t *testing.T) {
			var buf bytes.Buffer
			w, err := NewWriter(&buf, f, sample.vars)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range sample.rows {
				if err := w.Write(r); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			got, err := Read(bytes.NewReader(buf.Bytes()), f)
			if err != nil {
				t.Fatalf("Read: %v\n%s", err, buf.String())
			}
			if !reflect.DeepEqual(got.Vars, sample.vars) {
				t.Errorf("vars = %v, want %v", got.Vars, sample.vars)
			}
			want := sample.rows
			if f.Name == CSV {
				want = csvView(sample.rows)
			}
			if !reflect.DeepEqual(got.Rows, want) {
				t.Errorf("rows =\n%v\nwant\n%v\ndocument:\n%s", got.Rows, want, buf.String())
			}
		})
	}
}

func csvView(rows [][]quad.Value) [][]quad.Value {
	var out [][]quad.Value
	for _, r := range rows {
		var o []quad.Value
		for _, v := range r {
			switch v := v.(type) {
			case nil:
				o = append(o, nil)
			case quad.BNode:
				o = append(o, v)
			case quad.IRI:
				o = append(o, quad.String(v))
			default:
				lex, _, _, _ := literal(v)
				o = append(o, quad.String(lex))
			}
		}
		out = append(out, o)
	}
	return out
}

// Nothing reaches the underlying writer before the first row or Close.
func TestWriterIsLazy(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, Format{Name: JSON}, []string{"x"})
	if err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Fatalf("wrote %q before any row", buf.String())
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := Read(&buf, Format{Name: JSON})
	if err != nil || len(got.Rows) != 0 {
		t.Fatalf("empty result read back as %v, %v", got, err)
	}
}

func TestBoolean(t *testing.T) {
	for _, name := range []string{JSON, XML} {
		for _, b := range []bool{true, false} {
			var buf bytes.Buffer
			f, _ := Lookup(name)
			if err := WriteBoolean(&buf, f, b); err != nil {
				t.Fatal(err)
			}
			got, err := Read(&buf, f)
			if err != nil || got.Boolean == nil || *got.Boolean != b {
				t.Errorf("%s boolean %v read back as %v, %v", name, b, got, err)
			}
		}
	}
	f, _ := Lookup("text/csv")
	if err := WriteBoolean(&bytes.Buffer{}, f, true); err != ErrNoBoolean {
		t.Errorf("CSV boolean: err = %v, want ErrNoBoolean", err)
	}
}

func TestXMLReplacesForbiddenCharacters(t *testing.T) {
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, Format{Name: XML}, []string{"x"})
	w.Write([]quad.Value{quad.String("a\x01b")})
	w.Close()
	got, err := Read(&buf, Format{Name: XML})
	if err != nil {
		t.Fatal(err)
	}
	if s := got.Rows[0][0]; s != quad.String("a\ufffdb") {
		t.Errorf("value = %q, want a\\ufffdb", s)
	}
}

func TestParseTerm(t *testing.T) {
	tests := []struct {
		in   string
		want quad.Value
	}{
		{"<http://x/a>", quad.IRI("http://x/a")},
		{"_:b1", quad.BNode("b1")},
		{`"a\tb"`, quad.String("a\tb")},
		{`"x"@EN`, quad.LangString{Value: "x", Lang: "en"}},
		{`"1"^^<http://www.w3.org/2001/XMLSchema#integer>`, quad.TypedString{Value: "1", Type: xsdInteger}},
		{"-5", quad.TypedString{Value: "-5", Type: xsdInteger}},
		{"5.5", quad.TypedString{Value: "5.5", Type: xsdDecimal}},
		{"1e9", quad.TypedString{Value: "1e9", Type: xsdDouble}},
		{"true", quad.TypedString{Value: "true", Type: xsdBoolean}},
	}
	for _, tc := range tests {
		got, err := ParseTerm(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseTerm(%q) = %v, %v, want %v", tc.in, got, err, tc.want)
		}
		back := string(AppendTerm(nil, got))
		if again, err := ParseTerm(back); err != nil || again != got {
			t.Errorf("ParseTerm(AppendTerm(%v) = %s) = %v, %v", got, back, again, err)
		}
	}
}

func TestNegotiate(t *testing.T) {
	var ask []Format
	for _, f := range Formats() {
		if f.Boolean {
			ask = append(ask, f)
		}
	}
	tests := []struct {
		accept  string
		offered []Format
		want    string
		ok      bool
	}{
		{"", nil, JSON, true},
		{"application/sparql-results+xml", nil, XML, true},
		{"text/csv;q=0.5, text/tab-separated-values", nil, TSV, true},
		{"application/json", nil, JSON, true},
		{"text/*", nil, CSV, true},
		{"text/csv", ask, "", false},
		{"image/png", nil, "", false},
	}
	for _, tc := range tests {
		got, ok := Negotiate(tc.accept, tc.offered)
		if ok != tc.ok || ok && got.Name != tc.want {
			t.Errorf("Negotiate(%q) = %s, %v; want %s, %v", tc.accept, got.Name, ok, tc.want, tc.ok)
		}
	}
}

// AppendTerm writes IRIs as IRIREFs: the ASCII characters an IRIREF may
// not hold as \u escapes, other characters as they are, an invalid byte
// as U+FFFD.
func TestAppendTermIRI(t *testing.T) {
	for _, tc := range []struct {
		iri  quad.IRI
		want string
	}{
		{"http://example.org/a", "<http://example.org/a>"},
		{"http://example.org/a b<c>\"{|}^`\\", `<http://example.org/a\u0020b\u003cc\u003e\u0022\u007b\u007c\u007d\u005e\u0060\u005c>`},
		{"http://example.org/æøå/\u00a0", "<http://example.org/æøå/\u00a0>"},
		{"http://example.org/\xff\tx", `<http://example.org/` + "\ufffd" + `\u0009x>`},
	} {
		if got := string(AppendTerm(nil, tc.iri)); got != tc.want {
			t.Errorf("AppendTerm(%q) = %s, want %s", tc.iri, got, tc.want)
		}
	}
}
