package graph_test

import (
	"context"
	"errors"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/sparql/parse"
)

func sparqlSelect(t *testing.T, s *graph.Store, req graph.SPARQLRequest) []string {
	t.Helper()
	ctx := context.Background()
	q, err := s.PrepareSPARQL(ctx, req)
	if err != nil {
		t.Fatalf("PrepareSPARQL(%q): %v", req.Text, err)
	}
	defer q.Close()
	var out []string
	err = q.Select(ctx, func(row []quad.Value) error {
		var cells []string
		for _, v := range row {
			if v == nil {
				cells = append(cells, "-")
			} else {
				cells = append(cells, v.String())
			}
		}
		out = append(out, strings.Join(cells, " "))
		return nil
	})
	if err != nil {
		t.Fatalf("Select(%q): %v", req.Text, err)
	}
	sort.Strings(out)
	return out
}

// TestSPARQLStore: queries see the union of every graph as the default
// graph and the store's graphs as named graphs; updates apply as one
// validated transaction; the engine's errors get the store's kinds.
func TestSPARQLStore(t *testing.T) {
	for _, b := range []graph.Backend{graph.Memory, graph.Bolt, graph.LevelDB, graph.Postgres} {
		t.Run(string(b), func(t *testing.T) { testSPARQLStore(t, openBackend(t, b)) })
	}
	t.Run("bolt, read tier off", func(t *testing.T) {
		testSPARQLStore(t, mustOpen(t, graph.Config{Backend: graph.Bolt, Path: filepath.Join(t.TempDir(), "data"), ReadTier: graph.ReadTierOff}))
	})
}

func testSPARQLStore(t *testing.T, s *graph.Store) {
	ctx := context.Background()
	v, err := graph.NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "PREFIX ex: <https://example.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX ig: <https://w3id.org/innograph/ontology#>\n"
	ch, err := s.UpdateSPARQL(ctx, graph.SPARQLRequest{Text: prefix + `INSERT DATA {
		GRAPH ex:g1 { ex:a ex:p ex:b . ex:b ex:p ex:c }
		GRAPH ex:g2 { ex:c ex:p ex:d }
		ex:d ex:p ex:e }`}, v)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Added != 4 || ch.Removed != 0 || len(ch.Graphs) != 3 {
		t.Errorf("INSERT DATA change = %+v, want 4 added in 3 graphs", ch)
	}

	got := sparqlSelect(t, s, graph.SPARQLRequest{Text: prefix + `SELECT ?x WHERE { ex:a ex:p+ ?x }`})
	want := []string{"<https://example.org/b>", "<https://example.org/c>", "<https://example.org/d>", "<https://example.org/e>"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("path over the union default graph = %v, want %v", got, want)
	}
	got = sparqlSelect(t, s, graph.SPARQLRequest{Text: prefix + `SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g`})
	if len(got) != 2 {
		t.Errorf("named graphs = %v, want ex:g1 and ex:g2", got)
	}
	got = sparqlSelect(t, s, graph.SPARQLRequest{Text: prefix + `SELECT ?s WHERE { ?s ?p ?o }`, DefaultGraphs: []string{"https://example.org/g2"}})
	if strings.Join(got, ",") != "<https://example.org/c>" {
		t.Errorf("default-graph-uri g2 = %v, want ex:c", got)
	}
	got = sparqlSelect(t, s, graph.SPARQLRequest{Text: prefix + `SELECT ?s FROM ex:g1 WHERE { ?s ?p ?o }`})
	if strings.Join(got, ",") != "<https://example.org/a>,<https://example.org/b>" {
		t.Errorf("FROM g1 = %v, want ex:a ex:b", got)
	}

	// One request is one transaction: the DELETE applies with the INSERT.
	ch, err = s.UpdateSPARQL(ctx, graph.SPARQLRequest{Text: prefix + `DELETE { GRAPH ?g { ?s ex:p ?o } } INSERT { GRAPH ?g { ?s ex:q ?o } } WHERE { GRAPH ?g { ?s ex:p ?o } }`}, v)
	if err != nil || ch.Added != 3 || ch.Removed != 3 {
		t.Errorf("DELETE/INSERT = %+v, %v; want 3 removed, 3 added", ch, err)
	}
	got = sparqlSelect(t, s, graph.SPARQLRequest{Text: prefix + `SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p`})
	want = []string{`<https://example.org/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer>`, `<https://example.org/q> "3"^^<http://www.w3.org/2001/XMLSchema#integer>`}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("after DELETE/INSERT = %v, want %v", got, want)
	}

	count := func() int {
		n := 0
		s.EachQuad(ctx, graph.Selection{}, func(quad.Quad) error { n++; return nil })
		return n
	}
	before := count()
	refused := []struct {
		name, text string
		kind       graph.Kind
	}{
		{"syntax error", "INSERT DATA { ex:a ex:p }", graph.Invalid},
		{"LOAD", "LOAD <http://example.org/data.ttl>", graph.Unprocessable},
		{"shape violation", prefix + `INSERT DATA { GRAPH ex:g3 { ex:u a ig:University } }`, graph.Unprocessable},
		{"DROP of a missing graph", prefix + `DROP GRAPH ex:nothing`, graph.NotFound},
		{"second operation fails", prefix + `DROP ALL ; LOAD <http://example.org/x>`, graph.Unprocessable},
	}
	for _, tc := range refused {
		_, err := s.UpdateSPARQL(ctx, graph.SPARQLRequest{Text: tc.text}, v)
		if graph.KindOf(err) != tc.kind {
			t.Errorf("%s: UpdateSPARQL = %v (kind %v), want kind %v", tc.name, err, graph.KindOf(err), tc.kind)
		}
		if n := count(); n != before {
			t.Errorf("%s: the store holds %d quads, want %d (unchanged)", tc.name, n, before)
		}
	}
	_, err = s.UpdateSPARQL(ctx, graph.SPARQLRequest{Text: prefix + `INSERT DATA { GRAPH ex:g3 { ex:u a ig:University } }`}, v)
	var ve *graph.ValidationError
	if !errors.As(err, &ve) || len(ve.Violations) == 0 {
		t.Errorf("shape violation: %v, want the violations", err)
	}

	_, err = s.PrepareSPARQL(ctx, graph.SPARQLRequest{Text: "SELECT *\nWHERE { ?s ?p }"})
	var syn *parse.SyntaxError
	if graph.KindOf(err) != graph.Invalid || !errors.As(err, &syn) || syn.Line != 2 {
		t.Errorf("syntax error = %v, want Invalid with a *parse.SyntaxError on line 2", err)
	}
	q, err := s.PrepareSPARQL(ctx, graph.SPARQLRequest{Text: "SELECT * WHERE { ?s ?p ?o }", MaxRows: 2})
	if err != nil {
		t.Fatal(err)
	}
	err = q.Select(ctx, func([]quad.Value) error { return nil })
	q.Close()
	if graph.KindOf(err) != graph.TooLarge {
		t.Errorf("4 rows with MaxRows 2: %v, want TooLarge", err)
	}
	tctx, cancel := context.WithCancel(ctx)
	cancel()
	q, err = s.PrepareSPARQL(ctx, graph.SPARQLRequest{Text: "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"})
	if err != nil {
		t.Fatal(err)
	}
	err = q.Select(tctx, func([]quad.Value) error { return nil })
	q.Close()
	if graph.KindOf(err) != graph.Timeout {
		t.Errorf("cancelled query: %v, want Timeout", err)
	}
	if _, err := s.PrepareSPARQL(ctx, graph.SPARQLRequest{Text: "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"}); graph.KindOf(err) != graph.Unprocessable {
		t.Errorf("SERVICE: %v, want Unprocessable", err)
	}
}

// TestSPARQLUpdateIsAtomic: an update that moves a triple from one graph
// to another is one transaction: queries running alongside always see it
// in exactly one of them.
func TestSPARQLUpdateIsAtomic(t *testing.T) {
	ctx := context.Background()
	s := openBackend(t, graph.Bolt)
	const prefix = "PREFIX ex: <https://example.org/>\n"
	if _, err := s.UpdateSPARQL(ctx, graph.SPARQLRequest{Text: prefix + `INSERT DATA { GRAPH ex:g1 { ex:x ex:state "on" } }`}, nil); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		for i := 0; i < 40; i++ {
			from, to := "ex:g1", "ex:g2"
			if i%2 == 1 {
				from, to = to, from
			}
			_, err := s.UpdateSPARQL(ctx, graph.SPARQLRequest{Text: prefix + `DELETE { GRAPH ` + from + ` { ?x ex:state ?s } } INSERT { GRAPH ` + to + ` { ?x ex:state ?s } } WHERE { GRAPH ` + from + ` { ?x ex:state ?s } }`}, nil)
			if err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for reads := 0; ; reads++ {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d reads during 40 updates", reads)
			return
		default:
		}
		got := sparqlSelect(t, s, graph.SPARQLRequest{Text: prefix + `SELECT ?g WHERE { GRAPH ?g { ex:x ex:state "on" } }`})
		if len(got) != 1 {
			t.Fatalf("read %d sees the triple in %v, want exactly one graph", reads, got)
		}
	}
}
