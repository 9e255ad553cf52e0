package parse_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/innograph/innograph/graph/sparql/algebra"
	"github.com/innograph/innograph/graph/sparql/parse"
)

// compact squeezes the printed algebra onto one line.
func compact(s string) string { return strings.Join(strings.Fields(s), " ") }

// The translation of section 18.2, on the cases that are easy to get
// wrong.
func TestTranslate(t *testing.T) {
	tests := []struct {
		name, query, want string
	}{
		{"optional's own filter is the left join condition",
			`SELECT * { ?s :p ?o OPTIONAL { ?s :q ?x FILTER(?x > ?o) } }`,
			`(project (?s ?o ?x) (leftjoin (> ?x ?o) (bgp (triple ?s <http://x/p> ?o)) (bgp (triple ?s <http://x/q> ?x))))`},
		{"a nested group's filter stays inside",
			`SELECT * { ?s :p ?o OPTIONAL { { ?s :q ?x FILTER(?x > ?o) } } }`,
			`(project (?s ?o ?x) (leftjoin (bgp (triple ?s <http://x/p> ?o)) (filter (> ?x ?o) (bgp (triple ?s <http://x/q> ?x)))))`},
		{"filters apply to the whole group",
			`SELECT * { FILTER(?o) ?s :p ?o }`,
			`(project (?s ?o) (filter ?o (bgp (triple ?s <http://x/p> ?o))))`},
		{"BIND ends the basic graph pattern",
			`SELECT * { ?s :p ?o BIND(1 AS ?x) ?s :q ?y }`,
			`(project (?s ?o ?x ?y) (join (extend (?x "1"^^<http://www.w3.org/2001/XMLSchema#integer>) (bgp (triple ?s <http://x/p> ?o))) (bgp (triple ?s <http://x/q> ?y))))`},
		{"sequence and inverse paths become triple patterns",
			`SELECT * { ?s :p/^:q ?o }`,
			`(project (?s ?o) (bgp (triple ?s <http://x/p> ?_:path1) (triple ?o <http://x/q> ?_:path1)))`},
		{"alternatives become a union; repetitions stay paths",
			`SELECT * { ?s (:p|:q)+ ?o . ?s :r|:t ?z }`,
			`(project (?s ?o ?z) (join (path ?s (<http://x/p>|<http://x/q>)+ ?o) (union (bgp (triple ?s <http://x/r> ?z)) (bgp (triple ?s <http://x/t> ?z)))))`},
		{"blank nodes of a pattern are hidden variables",
			`SELECT * { _:b :p [ :q ?o ] }`,
			`(project (?o) (bgp (triple ?_:anon:1 <http://x/q> ?o) (triple ?_:b <http://x/p> ?_:anon:1)))`},
		{"aggregates, HAVING and a select expression",
			`SELECT ?s (SUM(?v) * 2 AS ?t) { ?s :p ?v } GROUP BY ?s HAVING (COUNT(*) > 1)`,
			`(project (?s ?t) (extend (?t (* ?_:agg1 "2"^^<http://www.w3.org/2001/XMLSchema#integer>)) (filter (> ?_:agg2 "1"^^<http://www.w3.org/2001/XMLSchema#integer>) (group (?s ?s) (?_:agg1 (SUM ?v)) (?_:agg2 (COUNT *)) (bgp (triple ?s <http://x/p> ?v))))))`},
		{"a sub-select's unprojected variables are renamed apart",
			`SELECT * { ?s :p ?o { SELECT ?s { ?s :q ?o } } }`,
			`(project (?s ?o) (join (bgp (triple ?s <http://x/p> ?o)) (project (?s) (bgp (triple ?s <http://x/q> ?o:1)))))`},
		{"solution modifiers in order",
			`SELECT DISTINCT ?s { ?s ?p ?o } ORDER BY DESC(?o) LIMIT 5 OFFSET 2`,
			`(slice 2 5 (distinct (project (?s) (order (desc ?o) (bgp (triple ?s ?p ?o))))))`},
		{"signed numbers in expressions are additions",
			`SELECT * { ?s :p ?o FILTER(?o -1 > 0) }`,
			`(project (?s ?o) (filter (> (- ?o "1"^^<http://www.w3.org/2001/XMLSchema#integer>) "0"^^<http://www.w3.org/2001/XMLSchema#integer>) (bgp (triple ?s <http://x/p> ?o))))`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := parse.Query("PREFIX : <http://x/>\n"+tc.query, parse.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := compact(algebra.Format(q.Op)); got != tc.want {
				t.Errorf("%s\n got %s\nwant %s", tc.query, got, tc.want)
			}
		})
	}
}

// Errors say where: line and column (in characters).
func TestSyntaxErrorPosition(t *testing.T) {
	tests := []struct {
		text      string
		line, col int
		msg       string
	}{
		{"SELECT * {\n  ?s ?p ?o\n  ?s ?p }", 3, 3, "expected '.' between triples"},
		{"SELECT * { ?s ?p \"é\" . ?s ?q ?x ?y }", 1, 33, "expected '.' between triples"},
		{"PREFIX a: <http://x/>\nSELECT * { b:c ?p ?o }", 2, 12, `undefined prefix "b:"`},
		{"SELECT * { ?s ?p ?o } GROUP BY ?s", 1, 1, "SELECT * is not allowed with GROUP BY"},
		{"SELECT ?o { ?s ?p ?o } GROUP BY ?s", 1, 8, "?o is projected but neither grouped nor aggregated"},
		{"SELECT * { ?s ?p ?o BIND(1 AS ?o) }", 1, 31, "BIND to ?o, which is already in scope"},
		{"SELECT * { ?s ?p ?o FILTER(COUNT(?o) > 1) }", 1, 28, "aggregate COUNT is not allowed here"},
		{"SELECT * { ?s ?p ?o } LIMIT -1", 1, 29, "LIMIT needs a non-negative integer"},
		{"SELECT * " + strings.Repeat("{", 2000), 1, 0, "nesting deeper than"},
	}
	for _, tc := range tests {
		_, err := parse.Query(tc.text, parse.Options{})
		var se *parse.SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Query(%q) = %v, want a *SyntaxError", tc.text, err)
			continue
		}
		if se.Line != tc.line || tc.col != 0 && se.Col != tc.col || !strings.Contains(se.Msg, tc.msg) {
			t.Errorf("Query(%q) = %v, want line %d, column %d: %s", tc.text, err, tc.line, tc.col, tc.msg)
		}
	}
	_, err := parse.Update("INSERT DATA { ?s <p> <o> }", parse.Options{})
	var se *parse.SyntaxError
	if !errors.As(err, &se) || se.Col != 15 || !strings.Contains(se.Msg, "variables are not allowed") {
		t.Errorf("INSERT DATA with a variable = %v", err)
	}
}

func TestUpdateForms(t *testing.T) {
	u, err := parse.Update(`PREFIX : <http://x/>
		LOAD SILENT <http://x/doc> INTO GRAPH :g ;
		CLEAR ALL ; DROP NAMED ; CREATE GRAPH :h ;
		ADD DEFAULT TO :h ; MOVE :h TO DEFAULT ; COPY GRAPH :a TO :b ;
		WITH :g DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } USING :u USING NAMED :n WHERE { ?s ?p ?o } ;
		DELETE WHERE { ?s :p ?o }`, parse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, op := range u.Ops {
		kinds = append(kinds, strings.TrimPrefix(strings.TrimPrefix(fmtType(op), "*algebra."), ""))
	}
	want := "Load Clear Drop Create Transfer Transfer Transfer Modify Modify"
	if got := strings.Join(kinds, " "); got != want {
		t.Errorf("operations = %s, want %s", got, want)
	}
	m := u.Ops[7].(*algebra.Modify)
	if m.With != "http://x/g" || !m.HasUsing || len(m.Using) != 1 || len(m.UsingNamed) != 1 {
		t.Errorf("modify = %+v", m)
	}
	if l := u.Ops[0].(*algebra.Load); !l.Silent || l.Into != "http://x/g" {
		t.Errorf("load = %+v", l)
	}
}

func fmtType(v any) string {
	switch v.(type) {
	case *algebra.Load:
		return "Load"
	case *algebra.Clear:
		return "Clear"
	case *algebra.Drop:
		return "Drop"
	case *algebra.Create:
		return "Create"
	case *algebra.Transfer:
		return "Transfer"
	case *algebra.Modify:
		return "Modify"
	}
	return "?"
}
