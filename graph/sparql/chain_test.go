package sparql_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
)

func chainData() []quad.Quad {
	q := func(s, p string, o quad.Value, g string) quad.Quad {
		qq := quad.Quad{Subject: iri(s), Predicate: iri(p), Object: o}
		if g != "" {
			qq.Label = iri(g)
		}
		return qq
	}
	return []quad.Quad{
		// Two walks (and two predicates, and two graphs) reach the same
		// nodes: duplicates a multiset answer keeps and a set drops.
		q("a", "p", iri("b1"), ""),
		q("a", "p", iri("b1"), "g1"),
		q("a", "p", iri("b2"), "g1"),
		q("a", "r", iri("b1"), "g2"),
		q("b1", "q", iri("c"), ""),
		q("b2", "q", iri("c"), "g1"),
		q("b1", "q", quad.String("lit"), "g2"),
		q("b2", "q", iri("d"), "g2"),
		q("c", "q", iri("e"), "g1"),
		q("d", "r", iri("a"), ""),
		q("e", "r", iri("b1"), ""),
	}
}

// The chain rule (chain.go): where duplicates do not matter, a chain of
// links from a constant through variables nobody reads is walked on sets
// of distinct nodes. Each query is checked against the same query with a
// filter over two of its variables, which the rule leaves alone and
// which keeps every solution: their answers must agree, and the plan
// must show the rule exactly where it applies.
func TestChainRule(t *testing.T) {
	mem := openReader(t, chainData())
	tests := []struct {
		name  string
		query string // %s is where the neutral filter goes
		twin  string // the variables the neutral filter reads
		chain bool
		want  []string // when not nil, the answer
	}{
		{"distinct end", `SELECT DISTINCT ?m WHERE { :a :p ?x . ?x :q ?m %s }`, "?x ?m", true,
			[]string{`?m="lit"`, `?m=c>`, `?m=d>`}},
		{"filter on the end", `SELECT DISTINCT ?m WHERE { :a :p ?x . ?x :q ?m FILTER(isIRI(?m)) %s }`, "?x ?m", true,
			[]string{`?m=c>`, `?m=d>`}},
		{"literal ends", `SELECT DISTINCT ?m WHERE { :a :p ?x . ?x :q ?m FILTER(isLiteral(?m)) FILTER(!isBlank(?m)) %s }`, "?x ?m", true,
			[]string{`?m="lit"`}},
		{"kind test on a term the store lacks", `SELECT DISTINCT ?m WHERE { :nowhere :p? ?x . FILTER(isIRI(?x)) ?x :q? ?m %s }`, "?x ?m", true, nil},
		{"filter on an inner node", `SELECT DISTINCT ?m WHERE { :a :p ?x . FILTER(?x != :b2) ?x :q ?m %s }`, "?x ?m", true,
			[]string{`?m="lit"`, `?m=c>`}},
		{"three links, one backward", `SELECT DISTINCT ?m WHERE { :a :p ?x . ?x :q ?y . ?m :r ?y %s }`, "?x ?m", true, nil},
		{"from the object end", `SELECT DISTINCT ?s WHERE { ?s :p ?x . ?x :q :c %s }`, "?x ?s", true,
			[]string{`?s=a>`}},
		{"paths", `SELECT DISTINCT ?m WHERE { :a !(:r|^:r) ?x . ?x :q+ ?m . FILTER(isIRI(?x)) %s }`, "?x ?m", true, nil},
		{"optional-length path from a term the store lacks", `SELECT DISTINCT ?m WHERE { :nowhere :p? ?x . ?x :q? ?m %s }`, "?x ?m", true, nil},
		{"ASK reaches a constant", `ASK { :a :p ?x . ?x :q ?y . ?y :q :e %s }`, "?x ?y", true, []string{"true"}},
		{"ASK misses a constant", `ASK { :a :p ?x . ?x :q ?y . ?y :q :a %s }`, "?x ?y", true, []string{"false"}},
		{"ASK join of two chains", `ASK { { SELECT DISTINCT ?m WHERE { :a :p ?x . ?x :q ?m %s } } { SELECT DISTINCT ?m WHERE { :e :r ?y . ?y :q ?m } } }`, "?x ?m", true, []string{"true"}},
		{"DISTINCT over a chain whose end is projected away", `SELECT DISTINCT ?k WHERE { { SELECT ?k WHERE { :a :p ?x . ?x :q ?m %s } } }`, "?x ?m", true,
			[]string{""}},
		{"FROM narrows the walk", `SELECT DISTINCT ?m FROM :g1 WHERE { :a :p ?x . ?x :q ?m %s }`, "?x ?m", true,
			[]string{`?m=c>`}},
		{"in a named graph", `SELECT DISTINCT ?m WHERE { GRAPH :g2 { :a :r ?x . ?x :q ?m %s } }`, "?x ?m", true,
			[]string{`?m="lit"`}},
		// Where the rule must not apply.
		{"duplicates kept without DISTINCT", `SELECT ?m WHERE { :a :p ?x . ?x :q ?m %s }`, "?x ?m", false,
			[]string{`?m="lit"`, `?m=c>`, `?m=c>`, `?m=d>`}},
		{"inner variable projected", `SELECT DISTINCT ?x ?m WHERE { :a :p ?x . ?x :q ?m %s }`, "?x ?m", false, nil},
		{"inner variable read by another pattern", `SELECT DISTINCT ?m WHERE { :a :p ?x . ?x :q ?m . ?x :q :c %s }`, "?x ?m", false, nil},
		{"filter over two variables", `SELECT DISTINCT ?m WHERE { :a :p ?x . ?x :q ?m FILTER(?x != ?m) %s }`, "?x ?m", false, nil},
		{"EXISTS reads the whole solution", `SELECT DISTINCT ?m WHERE { :a :p ?x . ?x :q ?m FILTER EXISTS { ?x :q :d } %s }`, "?x ?m", false,
			[]string{`?m=c>`, `?m=d>`}},
		{"no constant start", `SELECT DISTINCT ?m WHERE { ?s :p ?x . ?x :q ?m %s }`, "?x ?m", false, nil},
		{"OPTIONAL reads an inner variable", `SELECT DISTINCT ?m WHERE { :a :p ?x . ?x :q ?m OPTIONAL { ?x :r ?z } %s }`, "?x ?m", false, nil},
		{"inner variable joined outside a UNION", `SELECT DISTINCT ?z WHERE { { :a :p ?x . ?x :q ?y %s } UNION { :d :r ?x } ?x :r ?z }`, "?x ?y", false,
			[]string{`?z=b1>`}},
	}
	// The in-memory tier tells kinds without decoding; a plain Reader
	// (its other methods only) has kind tests answered from values.
	for _, rd := range []struct {
		name string
		r    frontier.Reader
	}{{"kinds", mem}, {"values", struct{ frontier.Reader }{mem}}} {
		r := rd.r
		for _, tc := range tests {
			t.Run(rd.name+"/"+tc.name, func(t *testing.T) {
				vars := strings.Fields(tc.twin)
				neutral := fmt.Sprintf("FILTER(sameTerm(%[1]s, %[2]s) || !sameTerm(%[1]s, %[2]s))", vars[0], vars[1])
				got, plan := answer(t, r, fmt.Sprintf(tc.query, ""))
				want, twinPlan := answer(t, r, fmt.Sprintf(tc.query, neutral))
				if !slices.Equal(got, want) {
					t.Errorf("rows = %v, want %v (as without the rule)\nplan:\n%s\nwithout:\n%s", got, want, plan, twinPlan)
				}
				if tc.want != nil && !slices.Equal(got, tc.want) {
					t.Errorf("rows = %v, want %v", got, tc.want)
				}
				if uses := strings.Contains(plan, "chain "); uses != tc.chain {
					t.Errorf("plan uses the chain rule: %v, want %v\n%s", uses, tc.chain, plan)
				}
				if strings.Contains(twinPlan, "chain ") && strings.Count(tc.query, "%s") == 1 && !strings.Contains(tc.query, "SELECT DISTINCT ?m WHERE { :e") {
					t.Errorf("the neutral filter did not stop the rule:\n%s", twinPlan)
				}
			})
		}
	}
}
