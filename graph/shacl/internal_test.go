package shacl

import (
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/rdfio"
)

func typed(v, dt string) quad.Value {
	return quad.TypedString{Value: quad.String(v), Type: quad.IRI(xsd + dt)}
}

func TestCompareValues(t *testing.T) {
	tests := []struct {
		a, b quad.Value
		want int
		ok   bool
	}{
		{typed("10.5", "decimal"), typed("9.75", "decimal"), 1, true},
		{typed("10", "integer"), typed("10.0", "decimal"), 0, true},
		{typed("1E1", "double"), typed("9", "integer"), 1, true},
		{typed("INF", "double"), typed("1E308", "double"), 1, true},
		{typed("NaN", "double"), typed("1", "double"), 0, false},
		{typed("x", "integer"), typed("1", "integer"), 0, false},
		// Time zones: 23:00-05:00 is 04:00Z the next day.
		{typed("2024-01-01T23:00:00-05:00", "dateTime"), typed("2024-01-02T01:00:00Z", "dateTime"), 1, true},
		{typed("2024-01-01T10:00:00+02:00", "dateTime"), typed("2024-01-01T08:00:00Z", "dateTime"), 0, true},
		// Without a time zone, within 14 hours of one with: indeterminate.
		{typed("2024-01-01T10:00:00", "dateTime"), typed("2024-01-01T12:00:00Z", "dateTime"), 0, false},
		{typed("2024-01-01T10:00:00", "dateTime"), typed("2024-01-03T12:00:00Z", "dateTime"), -1, true},
		{typed("2024-02-29", "date"), typed("2024-03-01", "date"), -1, true},
		{typed("2030", "gYear"), typed("2020", "gYear"), 1, true},
		{typed("2030", "gYear"), typed("2020-01-01", "date"), 0, false},
		{quad.String("b"), quad.String("a"), 1, true},
		{typed("true", "boolean"), typed("false", "boolean"), 1, true},
		{quad.LangString{Value: "a", Lang: "en"}, quad.String("a"), 0, false},
		{quad.IRI("http://e/a"), quad.IRI("http://e/b"), 0, false},
	}
	for _, tc := range tests {
		got, ok := compareValues(tc.a, tc.b)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("compareValues(%v, %v) = %d, %v; want %d, %v", tc.a, tc.b, got, ok, tc.want, tc.ok)
		}
	}
}

func TestWellFormed(t *testing.T) {
	tests := []struct {
		dt, lex string
		want    bool
	}{
		{"integer", "-07", true}, {"integer", "1.0", false}, {"integer", " 4", false},
		{"byte", "127", true}, {"byte", "128", false}, {"unsignedInt", "-1", false},
		{"positiveInteger", "0", false}, {"nonPositiveInteger", "0", true}, {"negativeInteger", "0", false},
		{"decimal", "1.", true}, {"decimal", ".5", true}, {"decimal", "1e3", false},
		{"double", "1.5E3", true}, {"double", "-INF", true}, {"float", "inf", false},
		{"boolean", "1", true}, {"boolean", "yes", false},
		{"date", "2023-02-29", false}, {"date", "2024-02-29", true}, {"date", "2024-13-01", false},
		{"dateTime", "2024-01-01T24:00:00", true}, {"dateTime", "2024-01-01T24:00:01", false},
		{"dateTime", "2024-01-01T10:00:00+15:00", false}, {"dateTimeStamp", "2024-01-01T10:00:00", false},
		{"time", "23:59:59.5", true}, {"gYear", "-0044", true}, {"gYearMonth", "2024-00", false},
		{"gMonth", "--02", true}, {"gDay", "---31", true}, {"gMonthDay", "--02-29", true}, {"gMonthDay", "--02-30", false},
		{"duration", "P1Y2M3DT4H5M6.7S", true}, {"duration", "P", false}, {"duration", "PT", false},
		{"dayTimeDuration", "P1Y", false}, {"yearMonthDuration", "P1Y2M", true},
		{"hexBinary", "0FB7", true}, {"hexBinary", "0FB", false},
		{"base64Binary", "aGVsbG8=", true}, {"base64Binary", "a", false},
		{"language", "en-GB", true}, {"language", "en_GB", false},
		{"token", "a b", true}, {"token", "a  b", false}, {"normalizedString", "a\tb", false},
		{"NCName", "a:b", false}, {"Name", "a:b", true}, {"NMTOKEN", "-x", true},
	}
	for _, tc := range tests {
		if got := wellFormed(xsd+tc.dt, tc.lex); got != tc.want {
			t.Errorf("wellFormed(xsd:%s, %q) = %v, want %v", tc.dt, tc.lex, got, tc.want)
		}
	}
}

// TestNewRefusesWhatItCannotCheck: a shape using something outside SHACL
// Core, or malformed, fails loudly when the shapes are loaded instead of
// being skipped while data passes unchecked.
func TestNewRefusesWhatItCannotCheck(t *testing.T) {
	const prefixes = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.org/> .\n"
	tests := []struct{ name, shapes, want string }{
		{"SPARQL constraint", "ex:s a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select \"SELECT $this WHERE {}\" ] .", "sh:sparql"},
		{"rule", "ex:s a sh:NodeShape ; sh:rule [ a sh:TripleRule ] .", "sh:rule"},
		{"misspelt parameter", "ex:s sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCout 1 ] .", "sh:minCout"},
		{"path that is no path", "ex:s sh:targetClass ex:C ; sh:property [ sh:path [ ex:x ex:y ] ; sh:minCount 1 ] .", "not a SHACL property path"},
		{"count not a number", "ex:s sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount \"one\" ] .", "non-negative integer"},
		{"bad pattern", "ex:s sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:pattern \"(\" ] .", "sh:pattern"},
		{"broken list", "ex:s sh:targetClass ex:C ; sh:in ex:notAList .", "well-formed list"},
	}
	ttl, _ := rdfio.Lookup(rdfio.Turtle)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			qs, err := rdfio.ReadAll([]byte(prefixes+tc.shapes), ttl, rdfio.ReadOptions{}, rdfio.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			_, err = New(qs)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New = %v, want an error naming %q", err, tc.want)
			}
		})
	}
}

// TestComplexPaths: values reached through every path form, and no false
// sh:minCount results for data that has them.
func TestComplexPaths(t *testing.T) {
	const doc = `@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:a ex:p ex:b . ex:b ex:q ex:c . ex:c ex:p ex:d . ex:e ex:p ex:a .
`
	tests := []struct {
		path string
		want []string
	}{
		{"ex:p", []string{"b"}},
		{"( ex:p ex:q )", []string{"c"}},
		{"[ sh:alternativePath ( ex:p ex:q ) ]", []string{"b"}},
		{"[ sh:inversePath ex:p ]", []string{"e"}},
		{"[ sh:zeroOrMorePath ex:p ]", []string{"a", "b"}},
		{"[ sh:oneOrMorePath [ sh:alternativePath ( ex:p ex:q ) ] ]", []string{"b", "c", "d"}},
		{"[ sh:zeroOrOnePath ex:p ]", []string{"a", "b"}},
		{"[ sh:inversePath ( ex:p ex:q ) ]", nil},
	}
	ttl, _ := rdfio.Lookup(rdfio.Turtle)
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			shapes := doc + "ex:s sh:targetNode ex:a ; sh:property [ sh:path " + tc.path + " ; sh:minCount " + map[bool]string{true: "1", false: "0"}[len(tc.want) > 0] + " ] .\n"
			qs, err := rdfio.ReadAll([]byte(shapes), ttl, rdfio.ReadOptions{}, rdfio.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			s, err := New(qs)
			if err != nil {
				t.Fatal(err)
			}
			g := NewGraph(qs)
			var p *path
			for _, v := range s.paths {
				p = v
			}
			var got []string
			for _, v := range p.eval(g, quad.IRI("http://example.org/a")) {
				got = append(got, strings.TrimPrefix(string(v.(quad.IRI)), "http://example.org/"))
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("values = %v, want %v", got, tc.want)
			}
			if rep := s.Validate(g, nil); !rep.Conforms {
				t.Errorf("results on data that has the values: %v", rep.Results)
			}
		})
	}
}
