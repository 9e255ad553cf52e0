package rdfio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/cayleygraph/quad"
)

// readString decodes src completely.
func readString(t testing.TB, src, format string, opt ReadOptions) ([]quad.Quad, error) {
	t.Helper()
	r, err := NewReader(strings.NewReader(src), mustFormat(t, format), opt)
	if err != nil {
		t.Fatal(err)
	}
	var qs []quad.Quad
	for {
		q, err := r.ReadQuad()
		if err == io.EOF {
			return qs, nil
		}
		if err != nil {
			return qs, err
		}
		qs = append(qs, q)
	}
}

func TestSyntaxErrorPosition(t *testing.T) {
	tests := []struct {
		name, format, src string
		line, col         int
	}{
		{"quint", NQuads, "<http://e/s> <http://e/p> <http://e/o> <http://e/g> <http://e/x> .\n", 1, 53},
		{"relative IRI in N-Triples", NTriples, "<http://e/s> <http://e/p> <http://e/o> .\n<s> <http://e/p> <http://e/o> .\n", 2, 1},
		{"prefix in N-Triples", NTriples, "# c\n@prefix e: <http://e/> .\n", 2, 1},
		{"undefined prefix", Turtle, "\n\nfoo:bar <http://e/p> 1 .\n", 3, 1},
		{"columns count code points", Turtle, "<http://e/s> <http://e/p> \"ææ\" , .\n", 1, 34},
		{"bad string escape", Turtle, "<http://e/s> <http://e/p> \"a\\zb\" .\n", 1, 29},
		{"surrogate escape", Turtle, "<http://e/s> <http://e/p>\n  \"\\uD800\" .\n", 2, 4},
		{"escaped space in IRI", NTriples, "<http://e/\\u0020> <http://e/p> <http://e/o> .\n", 1, 11},
		{"space in IRI", Turtle, "<http://e/s> <http://e/ p> <http://e/o> .\n", 1, 24},
		{"unclosed graph", TriG, "<http://e/g> {\n <http://e/s> <http://e/p> <http://e/o> .\n", 3, 1},
		{"graph in Turtle", Turtle, "{ <http://e/s> <http://e/p> <http://e/o> }\n", 1, 1},
		{"missing dot", Turtle, "<http://e/s> <http://e/p> <http://e/o>\n<http://e/s> <http://e/p> <http://e/o> .", 2, 1},
		{"invalid UTF-8", Turtle, "<http://e/s> <http://e/p> \"a\xffb\" .", 1, 29},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			qs, err := readString(t, tc.src, tc.format, ReadOptions{})
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v (after %d quads), want *SyntaxError", err, len(qs))
			}
			if se.Line != tc.line || se.Col != tc.col {
				t.Errorf("error at %d:%d (%v), want %d:%d", se.Line, se.Col, se, tc.line, tc.col)
			}
		})
	}
}

func TestReadStopsAtFirstError(t *testing.T) {
	src := "<http://e/s> <http://e/p> <http://e/o> .\n<http://e/s> <http://e/p> <http://e/o1>, \"bad\\q\" .\n<http://e/s> <http://e/p> <http://e/o2> .\n"
	r, err := NewReader(strings.NewReader(src), mustFormat(t, Turtle), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadQuad(); err != nil {
		t.Fatalf("first quad: %v", err)
	}
	// The second statement is malformed: none of its quads may come out.
	_, err1 := r.ReadQuad()
	_, err2 := r.ReadQuad()
	var se *SyntaxError
	if !errors.As(err1, &se) || se.Line != 2 {
		t.Fatalf("second ReadQuad = %v, want a *SyntaxError on line 2", err1)
	}
	if err2 != err1 {
		t.Errorf("later ReadQuad = %v, want the same error %v", err2, err1)
	}
}

func TestReadInputError(t *testing.T) {
	boom := errors.New("boom")
	src := io.MultiReader(strings.NewReader("<http://e/s> <http://e/p> <http://e/o> .\n<http://e/s> <http://e/p"), iotest.ErrReader(boom))
	for _, format := range []string{Turtle, NQuads} {
		t.Run(format, func(t *testing.T) {
			_, err := readAllFrom(t, src, format)
			if !errors.Is(err, boom) {
				t.Errorf("err = %v, want the reader's error", err)
			}
		})
		src = io.MultiReader(strings.NewReader("<http://e/s> <http://e/p> <http://e/o> .\n"), iotest.ErrReader(boom))
	}
}

func readAllFrom(t testing.TB, src io.Reader, format string) ([]quad.Quad, error) {
	t.Helper()
	r, err := NewReader(src, mustFormat(t, format), ReadOptions{Base: "http://e/"})
	if err != nil {
		t.Fatal(err)
	}
	var qs []quad.Quad
	for {
		q, err := r.ReadQuad()
		if err == io.EOF {
			return qs, nil
		}
		if err != nil {
			return qs, err
		}
		qs = append(qs, q)
	}
}

func TestReadTerms(t *testing.T) {
	const src = `@base <http://e/dir/doc> .
@prefix ex: <ns#> .
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
<#me> a ex:Person ;
  ex:name "Ann"@EN-gb, "Ann"^^xsd:string, 'plain' ;
  ex:n 01, -1.50, 1E3, .5e-1, true ;
  ex:dt "2024-01-01"^^xsd:date ;
  ex:up <../up?q#f> .
BASE <http://other/x/>
<y> ex:p ex:a\,b .
`
	g := quad.IRI("http://e/graph")
	qs, err := readString(t, src, Turtle, ReadOptions{Graph: g})
	if err != nil {
		t.Fatal(err)
	}
	me, ns := quad.IRI("http://e/dir/doc#me"), "http://e/dir/ns#"
	xsd := func(s string) quad.IRI { return quad.IRI("http://www.w3.org/2001/XMLSchema#" + s) }
	want := []quad.Quad{
		{Subject: me, Predicate: ttlRDFType, Object: quad.IRI(ns + "Person")},
		{Subject: me, Predicate: quad.IRI(ns + "name"), Object: quad.LangString{Value: "Ann", Lang: "en-gb"}},
		{Subject: me, Predicate: quad.IRI(ns + "name"), Object: quad.String("Ann")},
		{Subject: me, Predicate: quad.IRI(ns + "name"), Object: quad.String("plain")},
		{Subject: me, Predicate: quad.IRI(ns + "n"), Object: quad.TypedString{Value: "01", Type: xsd("integer")}},
		{Subject: me, Predicate: quad.IRI(ns + "n"), Object: quad.TypedString{Value: "-1.50", Type: xsd("decimal")}},
		{Subject: me, Predicate: quad.IRI(ns + "n"), Object: quad.TypedString{Value: "1E3", Type: xsd("double")}},
		{Subject: me, Predicate: quad.IRI(ns + "n"), Object: quad.TypedString{Value: ".5e-1", Type: xsd("double")}},
		{Subject: me, Predicate: quad.IRI(ns + "n"), Object: quad.TypedString{Value: "true", Type: xsd("boolean")}},
		{Subject: me, Predicate: quad.IRI(ns + "dt"), Object: quad.TypedString{Value: "2024-01-01", Type: xsd("date")}},
		{Subject: me, Predicate: quad.IRI(ns + "up"), Object: quad.IRI("http://e/up?q#f")},
		{Subject: quad.IRI("http://other/x/y"), Predicate: quad.IRI(ns + "p"), Object: quad.IRI(ns + "a,b")},
	}
	for i := range want {
		want[i].Label = g
	}
	if len(qs) != len(want) {
		t.Fatalf("got %d quads, want %d:\n%v", len(qs), len(want), qs)
	}
	for i := range want {
		if qs[i] != want[i] {
			t.Errorf("quad %d = %v, want %v", i, qs[i], want[i])
		}
	}
}

func TestReadTriGGraphs(t *testing.T) {
	const src = `PREFIX : <http://e/>
:s :p :o .
:g1 { :s :p _:b1 }
GRAPH :g2 { _:b1 :p :o . :s :p :o }
{ :d :p :o }
`
	def := quad.IRI("http://e/default")
	qs, err := readString(t, src, TriG, ReadOptions{Graph: def})
	if err != nil {
		t.Fatal(err)
	}
	wantLabels := []quad.Value{def, quad.IRI("http://e/g1"), quad.IRI("http://e/g2"), quad.IRI("http://e/g2"), def}
	if len(qs) != len(wantLabels) {
		t.Fatalf("got %d quads, want %d", len(qs), len(wantLabels))
	}
	for i, l := range wantLabels {
		if qs[i].Label != l {
			t.Errorf("quad %d in graph %v, want %v", i, qs[i].Label, l)
		}
	}
	if qs[1].Object != qs[2].Subject {
		t.Errorf("_:b1 differs between graphs of one document: %v vs %v", qs[1].Object, qs[2].Subject)
	}
}

func TestBlankNodeScope(t *testing.T) {
	const src = "_:a <http://e/p> [ <http://e/q> ( 1 ) ] .\n"
	labels := func(opt ReadOptions) map[quad.Value]bool {
		qs, err := readString(t, src, Turtle, opt)
		if err != nil {
			t.Fatal(err)
		}
		set := make(map[quad.Value]bool)
		for _, q := range qs {
			for _, v := range []quad.Value{q.Subject, q.Object} {
				if b, ok := v.(quad.BNode); ok {
					set[b] = true
				}
			}
		}
		return set
	}
	a, b := labels(ReadOptions{}), labels(ReadOptions{})
	if len(a) != 3 {
		t.Errorf("got %d blank nodes, want 3: %v", len(a), a)
	}
	for v := range a {
		if b[v] {
			t.Errorf("two readings share blank node %v", v)
		}
	}
	c, d := labels(ReadOptions{BlankNodePrefix: "h1"}), labels(ReadOptions{BlankNodePrefix: "h1"})
	for v := range c {
		if !d[v] {
			t.Errorf("with a fixed prefix, blank node %v is not reproduced", v)
		}
		if !strings.HasPrefix(string(v.(quad.BNode)), "h1") {
			t.Errorf("blank node %v lacks the prefix", v)
		}
	}
}

// TestReadStreams checks that a quad comes out before the rest of the input
// has been written.
func TestReadStreams(t *testing.T) {
	for _, format := range []string{Turtle, TriG, NQuads} {
		t.Run(format, func(t *testing.T) {
			pr, pw := io.Pipe()
			r, err := NewReader(pr, mustFormat(t, format), ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got := make(chan error)
			go func() {
				_, err := r.ReadQuad()
				got <- err
			}()
			go pw.Write([]byte("<http://e/s> <http://e/p> <http://e/o> .\n"))
			if err := <-got; err != nil {
				t.Fatalf("first quad: %v", err)
			}
			pw.Close()
			if _, err := r.ReadQuad(); err != io.EOF {
				t.Errorf("after the end: %v, want io.EOF", err)
			}
		})
	}
}

func TestReadNeverPanicsOnTruncation(t *testing.T) {
	// Every prefix of a rich document is either accepted or a located error.
	const src = `@prefix : <http://e/> . :s :p ( [ :q """long "" string""" ; :r 1.5e3 ] "x"@en-us ), _:b.c, :a\~b .` + "\n"
	for i := 0; i <= len(src); i++ {
		_, err := readString(t, src[:i], TriG, ReadOptions{Base: "http://e/"})
		var se *SyntaxError
		if err != nil && !errors.As(err, &se) {
			t.Errorf("prefix %d: %v is not a *SyntaxError", i, err)
		}
	}
}

// ntString writes a quad as an N-Quads line, for the fuzz round trip.
func ntString(q quad.Quad) string {
	s := q.Subject.String() + " " + q.Predicate.String() + " " + q.Object.String()
	if q.Label != nil {
		s += " " + q.Label.String()
	}
	return s + " .\n"
}

func fuzzSeeds(f *testing.F, pattern string) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "w3c", pattern))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// fuzzRead checks the reader's contract on arbitrary input: no panic, and
// whatever is accepted, written out as N-Quads, reads back to as many quads.
func fuzzRead(t *testing.T, data []byte, format string) {
	r, err := NewReader(bytes.NewReader(data), mustFormat(t, format), ReadOptions{Base: "http://fuzz.example/base/"})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	n := 0
	for {
		q, err := r.ReadQuad()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Line < 1 || se.Col < 1 {
				t.Fatalf("error %v is not a located *SyntaxError", err)
			}
			return
		}
		if q.Subject == nil || q.Predicate == nil || q.Object == nil {
			t.Fatalf("partial quad %v", q)
		}
		out.WriteString(ntString(q))
		n++
	}
	back, err := readString(t, out.String(), NQuads, ReadOptions{})
	if err != nil {
		t.Fatalf("re-reading the accepted quads: %v\n%s", err, out.String())
	}
	if len(back) != n {
		t.Fatalf("re-read %d quads, want %d", len(back), n)
	}
}

func FuzzReadTurtle(f *testing.F) {
	fuzzSeeds(f, "rdf-turtle/*.ttl")
	fuzzSeeds(f, "rdf-trig/*.trig")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, Turtle)
		fuzzRead(t, data, TriG)
	})
}

func FuzzReadNQuads(f *testing.F) {
	fuzzSeeds(f, "rdf-n-quads/*.nq")
	fuzzSeeds(f, "rdf-n-triples/*.nt")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, NQuads)
		fuzzRead(t, data, NTriples)
	})
}

// benchDoc builds a document of about n quads in one of the syntaxes.
func benchDoc(n int, turtle bool) []byte {
	var b bytes.Buffer
	if turtle {
		b.WriteString("@prefix ig: <https://w3id.org/innograph/ontology#> .\n@prefix id: <https://w3id.org/innograph/id/org/> .\n")
		for i := 0; i < n/5; i++ {
			fmt.Fprintf(&b, "id:org-%d a ig:Organisation ;\n  ig:name \"Organisation number %d\"@en ;\n  ig:employees %d ;\n  ig:partner id:org-%d , id:org-%d .\n", i, i, i*7, i+1, i+2)
		}
		return b.Bytes()
	}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "<https://w3id.org/innograph/id/org/org-%d> <https://w3id.org/innograph/ontology#name> \"Organisation number %d\"@en <https://w3id.org/innograph/id/source/profile-dk04> .\n", i, i)
	}
	return b.Bytes()
}

func benchRead(b *testing.B, doc []byte, format string) {
	f := mustFormat(b, format)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	total := 0
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(doc), f, ReadOptions{BlankNodePrefix: "x"})
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := r.ReadQuad()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			total++
		}
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "quads/s")
}

func BenchmarkReadNQuads(b *testing.B) { benchRead(b, benchDoc(100000, false), NQuads) }
func BenchmarkReadTurtle(b *testing.B) { benchRead(b, benchDoc(100000, true), Turtle) }

// TestLineSharedIRIs: predicates and graph labels read again from the
// shared table give the same terms as the first reading, escaped or not,
// and errors after them the same columns.
func TestLineSharedIRIs(t *testing.T) {
	doc := "<http://e/s> <http://e/p> <http://e/o> <http://e/g> .\n" +
		"<http://e/s> <http://e/\\u0070> <http://e/o2> <http://e/g> .\n" +
		"<http://e/s> <http://e/pæ> \"x\" <http://e/gæ> .\n" +
		"<http://e/s> <http://e/pæ> \"y\" <http://e/gæ> .\n" +
		"<http://e/s> <http://e/p> \"z\" <http://e/g> .\n" +
		"<http://e/s> <http://e/p> <http://e/o> <http://e/g> <http://e/x> .\n"
	qs, err := readString(t, doc, NQuads, ReadOptions{})
	var se *SyntaxError
	if !errors.As(err, &se) || se.Line != 6 || se.Col != 53 {
		t.Errorf("error %v, want one at line 6, column 53", err)
	}
	want := []quad.Quad{
		quad.MakeIRI("http://e/s", "http://e/p", "http://e/o", "http://e/g"),
		quad.MakeIRI("http://e/s", "http://e/p", "http://e/o2", "http://e/g"),
		{Subject: quad.IRI("http://e/s"), Predicate: quad.IRI("http://e/pæ"), Object: quad.String("x"), Label: quad.IRI("http://e/gæ")},
		{Subject: quad.IRI("http://e/s"), Predicate: quad.IRI("http://e/pæ"), Object: quad.String("y"), Label: quad.IRI("http://e/gæ")},
		{Subject: quad.IRI("http://e/s"), Predicate: quad.IRI("http://e/p"), Object: quad.String("z"), Label: quad.IRI("http://e/g")},
	}
	if fmt.Sprint(qs) != fmt.Sprint(want) {
		t.Errorf("quads\n%v\nwant\n%v", qs, want)
	}
}
