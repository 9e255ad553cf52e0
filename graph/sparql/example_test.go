package sparql_test

import (
	"context"
	"fmt"
	"os"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/internal/memindex"
	"github.com/innograph/innograph/graph/sparql"
	"github.com/innograph/innograph/graph/sparql/parse"
	"github.com/innograph/innograph/graph/sparql/results"
)

// A query from text to a results document: parse, prepare against a
// Reader (one per request), stream the solutions into a writer.
func Example() {
	ctx := context.Background()
	x := memindex.FromQuads([]quad.Quad{
		{Subject: quad.IRI("http://example.org/aarhus"), Predicate: quad.IRI("http://example.org/memberOf"), Object: quad.IRI("http://example.org/net1")},
		{Subject: quad.IRI("http://example.org/novo"), Predicate: quad.IRI("http://example.org/memberOf"), Object: quad.IRI("http://example.org/net1"), Label: quad.IRI("http://example.org/source")},
	})
	q, err := parse.Query(`PREFIX : <http://example.org/>
		SELECT ?who WHERE { ?who :memberOf :net1 } ORDER BY ?who`, parse.Options{})
	if err != nil {
		fmt.Println(err) // a *parse.SyntaxError: line and column
		return
	}
	r, err := x.Reader(ctx)
	if err != nil {
		return
	}
	defer r.Close()
	plan, err := sparql.Prepare(ctx, r, q, sparql.Options{MaxRows: 1000})
	if err != nil {
		return
	}
	f, _ := results.Lookup(results.TSV)
	w, _ := results.NewWriter(os.Stdout, f, plan.Vars())
	if err := plan.Select(ctx, w.Write); err != nil {
		fmt.Println(sparql.KindOf(err), err)
	}
	w.Close()
	// Output:
	// ?who
	// <http://example.org/aarhus>
	// <http://example.org/novo>
}

// Explain shows the plan: the operators in the order they run, with the
// reader's estimates.
func ExamplePlan_Explain() {
	ctx := context.Background()
	var qs []quad.Quad
	for i := 0; i < 10; i++ {
		qs = append(qs, quad.Quad{Subject: quad.IRI(fmt.Sprintf("http://example.org/c%d", i)), Predicate: quad.IRI("http://example.org/memberOf"), Object: quad.IRI("http://example.org/net1")})
	}
	qs = append(qs, quad.Quad{Subject: quad.IRI("http://example.org/c1"), Predicate: quad.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), Object: quad.IRI("http://example.org/University")})
	r, _ := memindex.FromQuads(qs).Reader(ctx)
	defer r.Close()
	q, _ := parse.Query(`PREFIX : <http://example.org/>
		SELECT * WHERE { ?c :memberOf ?n . ?c a :University }`, parse.Options{})
	plan, _ := sparql.Prepare(ctx, r, q, sparql.Options{})
	fmt.Print(plan.Explain())
	// Output:
	// select default graph: the union of all graphs; named graphs: all
	//   project ?c ?n
	//     join bind join, in this order
	//       scan ?c <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://example.org/University> (est. 1)
	//       scan ?c <http://example.org/memberOf> ?n (~2 per input row) (est. 10)
}
