package sparql_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/internal/memindex"
	"github.com/innograph/innograph/graph/sparql"
	"github.com/innograph/innograph/graph/sparql/algebra"
	"github.com/innograph/innograph/graph/sparql/parse"
)

// fuzzData is a small dataset with a bit of everything: named graphs, the
// unnamed graph, literals of several types, a blank node, a cycle.
func fuzzData() []quad.Quad {
	ex := func(s string) quad.IRI { return quad.IRI("http://example.org/" + s) }
	lit := func(v, t string) quad.Value {
		return quad.TypedString{Value: quad.String(v), Type: quad.IRI("http://www.w3.org/2001/XMLSchema#" + t)}
	}
	return []quad.Quad{
		{Subject: ex("a"), Predicate: ex("p"), Object: ex("b")},
		{Subject: ex("b"), Predicate: ex("p"), Object: ex("c")},
		{Subject: ex("c"), Predicate: ex("p"), Object: ex("a")},
		{Subject: ex("a"), Predicate: ex("q"), Object: lit("1", "integer"), Label: ex("g1")},
		{Subject: ex("b"), Predicate: ex("q"), Object: lit("2.5", "decimal"), Label: ex("g1")},
		{Subject: ex("c"), Predicate: ex("q"), Object: quad.LangString{Value: "c", Lang: "en"}, Label: ex("g2")},
		{Subject: quad.BNode("x"), Predicate: ex("r"), Object: quad.String("text"), Label: ex("g2")},
		{Subject: ex("a"), Predicate: quad.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), Object: ex("T")},
	}
}

// FuzzEvaluate runs whatever parses (as a query or an update) on a small
// dataset, under a deadline and row limits: evaluation may fail, but must
// not panic or hang.
func FuzzEvaluate(f *testing.F) {
	for _, dir := range []string{"sparql11/property-path", "sparql11/aggregates", "sparql11/functions", "sparql11/negation", "sparql11/exists", "sparql10/optional", "sparql11/subquery"} {
		files, _ := filepath.Glob(filepath.Join(suites, dir, "*.rq"))
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(string(b))
			}
		}
	}
	f.Add(`PREFIX : <http://example.org/> SELECT * { ?s :p* ?o OPTIONAL { GRAPH ?g { ?o :q ?v } } }`)
	x := memindex.FromQuads(fuzzData())
	for _, dir := range []string{"sparql11/delete-insert", "sparql11/basic-update", "sparql11/move"} {
		files, _ := filepath.Glob(filepath.Join(suites, dir, "*.ru"))
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(string(b))
			}
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if u, err := parse.Update(text, parse.Options{Base: "http://example.org/"}); err == nil {
			r, err := x.Reader(ctx)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = sparql.Update(ctx, r, u, sparql.Options{MaxHeld: 100000, MaxUpdateQuads: 100000})
			r.Close()
		}
		q, err := parse.Query(text, parse.Options{Base: "http://example.org/"})
		if err != nil {
			return
		}
		r, err := x.Reader(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		plan, err := sparql.Prepare(ctx, r, q, sparql.Options{MaxRows: 10000, MaxHeld: 100000})
		if err != nil {
			return
		}
		_ = plan.Explain().String()
		switch q.Form {
		case algebra.Ask:
			_, _ = plan.Ask(ctx)
		case algebra.Construct, algebra.Describe:
			_ = plan.Construct(ctx, func(quad.Quad) error { return nil })
		default:
			_ = plan.Select(ctx, func([]quad.Value) error { return nil })
		}
	})
}
