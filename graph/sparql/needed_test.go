package sparql_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
	"github.com/innograph/innograph/graph/sparql"
	"github.com/innograph/innograph/graph/sparql/parse"
)

// answer runs a SELECT or ASK and returns its rows as sorted strings (an
// ASK gives "true" or "false") and its plan.
func answer(tb testing.TB, r frontier.Reader, query string) ([]string, string) {
	tb.Helper()
	q, err := parse.Query("PREFIX : <"+ex+">\n"+query, parse.Options{})
	if err != nil {
		tb.Fatalf("parse %q: %v", query, err)
	}
	plan, err := sparql.Prepare(context.Background(), r, q, sparql.Options{})
	if err != nil {
		tb.Fatalf("prepare %q: %v", query, err)
	}
	explain := plan.Explain().String()
	if q.Form.String() == "ASK" {
		ok, err := plan.Ask(context.Background())
		if err != nil {
			tb.Fatalf("%q: %v", query, err)
		}
		return []string{fmt.Sprint(ok)}, explain
	}
	var rows []string
	err = plan.Select(context.Background(), func(row []quad.Value) error {
		var parts []string
		for i, v := range row {
			if v != nil {
				parts = append(parts, "?"+plan.Vars()[i]+"="+strings.TrimPrefix(v.String(), "<"+ex))
			}
		}
		rows = append(rows, strings.Join(parts, " "))
		return nil
	})
	if err != nil {
		tb.Fatalf("%q: %v", query, err)
	}
	slices.Sort(rows)
	return rows, explain
}

// A group inside a join must keep the variables the join's later items
// read, even where duplicates do not matter: a dead-variable drop inside a
// UNION branch once cleared ?x before ?x :r ?z read it, which then matched
// every ?z.
func TestNeededAcrossJoin(t *testing.T) {
	q := func(s, p, o string) quad.Quad { return quad.Quad{Subject: iri(s), Predicate: iri(p), Object: iri(o)} }
	data := []quad.Quad{q("a", "p", "x1"), q("x1", "q", "y1"), q("y1", "s", "w1"), q("b", "p", "x2"), q("x2", "r", "z")}
	for i := range 50 {
		data = append(data, q(fmt.Sprint("n", i), "r", "m"))
	}
	r := openReader(t, data)
	for _, query := range []string{
		`SELECT DISTINCT ?z WHERE { { :a :p ?x . ?x :q ?y . ?y :s ?w } UNION { :b :p ?x } ?x :r ?z }`,
		`SELECT DISTINCT ?z WHERE { { :a :p ?x . ?x :q ?y } UNION { :b :p ?x } ?x :r ?z }`,
	} {
		got, plan := answer(t, r, query)
		if want := []string{"?z=z>"}; !slices.Equal(got, want) {
			t.Errorf("%s = %v, want %v\n%s", query, got, want, plan)
		}
	}
}
