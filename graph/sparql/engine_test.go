package sparql_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
	"github.com/innograph/innograph/graph/internal/memindex"
	"github.com/innograph/innograph/graph/sparql"
	"github.com/innograph/innograph/graph/sparql/parse"
)

const ex = "http://example.org/"

func iri(s string) quad.IRI { return quad.IRI(ex + s) }

// openReader returns a Reader on quads, closed with the test.
func openReader(tb testing.TB, quads []quad.Quad) frontier.Reader {
	tb.Helper()
	r, err := memindex.FromQuads(quads).Reader(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { r.Close() })
	return r
}

// selectRows runs a SELECT and returns its rows as sorted strings
// "?a=<x> ?b=..." (unbound variables left out).
func selectRows(tb testing.TB, r frontier.Reader, query string, opt sparql.Options) ([]string, error) {
	tb.Helper()
	q, err := parse.Query("PREFIX : <"+ex+">\n"+query, parse.Options{})
	if err != nil {
		tb.Fatalf("parse %q: %v", query, err)
	}
	plan, err := sparql.Prepare(context.Background(), r, q, opt)
	if err != nil {
		return nil, err
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
	sort.Strings(rows)
	return rows, err
}

func graphData() []quad.Quad {
	return []quad.Quad{
		{Subject: iri("a"), Predicate: iri("p"), Object: iri("b")},
		{Subject: iri("a"), Predicate: iri("p"), Object: iri("b"), Label: iri("g1")},
		{Subject: iri("c"), Predicate: iri("p"), Object: iri("d"), Label: iri("g1")},
		{Subject: iri("e"), Predicate: iri("p"), Object: iri("f"), Label: iri("g2")},
	}
}

// The dataset: the union of every graph by default (the RDF merge: a
// triple in two graphs matches once), FROM and FROM NAMED narrowing it,
// the protocol's dataset replacing the query's, StoreDataset's unnamed
// graph.
func TestDataset(t *testing.T) {
	r := openReader(t, graphData())
	store := sparql.StoreDataset()
	protocol := sparql.Dataset{Default: sparql.GraphSet{Graphs: []quad.Value{iri("g2")}}}
	tests := []struct {
		name  string
		query string
		opt   sparql.Options
		want  []string
	}{
		{"union default", `SELECT ?s { ?s :p ?o }`, sparql.Options{}, []string{"?s=a>", "?s=c>", "?s=e>"}},
		{"union default, bound subject", `SELECT ?o { :a :p ?o }`, sparql.Options{}, []string{"?o=b>"}},
		{"union default, bound object", `SELECT ?s { ?s :p :b }`, sparql.Options{}, []string{"?s=a>"}},
		{"union default, in a join", `SELECT ?s ?o { ?s :p ?o . ?s :p ?o2 }`, sparql.Options{}, []string{"?s=a> ?o=b>", "?s=c> ?o=d>", "?s=e> ?o=f>"}},
		{"FROM two graphs: their merge", `SELECT ?s FROM :g1 FROM <http://example.org/unnamed-absent> { ?s :p ?o }`, sparql.Options{}, []string{"?s=a>", "?s=c>"}},
		{"COUNT over the union", `SELECT (COUNT(*) AS ?n) { ?s ?p ?o }`, sparql.Options{}, []string{`?n="3"^^<http://www.w3.org/2001/XMLSchema#integer>`}},
		{"named graphs", `SELECT ?g ?s { GRAPH ?g { ?s :p ?o } }`, sparql.Options{},
			[]string{"?g=g1> ?s=a>", "?g=g1> ?s=c>", "?g=g2> ?s=e>"}},
		{"FROM", `SELECT ?s FROM :g2 { ?s :p ?o }`, sparql.Options{}, []string{"?s=e>"}},
		{"FROM NAMED only: empty default graph", `SELECT ?s FROM NAMED :g2 { ?s :p ?o }`, sparql.Options{}, nil},
		{"FROM NAMED", `SELECT ?g ?s FROM NAMED :g2 { GRAPH ?g { ?s :p ?o } }`, sparql.Options{}, []string{"?g=g2> ?s=e>"}},
		{"protocol replaces FROM", `SELECT ?s FROM :g1 { ?s :p ?o }`, sparql.Options{Protocol: &protocol}, []string{"?s=e>"}},
		{"store dataset", `SELECT ?s { ?s :p ?o }`, sparql.Options{Dataset: &store}, []string{"?s=a>"}},
		{"graph outside the dataset", `SELECT ?s FROM NAMED :g1 { GRAPH :g2 { ?s :p ?o } }`, sparql.Options{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := selectRows(t, r, tc.query, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("%s\n got %q\nwant %q", tc.query, got, tc.want)
			}
		})
	}
}

func chain(n int) []quad.Quad {
	var qs []quad.Quad
	for i := 0; i < n; i++ {
		qs = append(qs, quad.Quad{Subject: iri(fmt.Sprint("n", i)), Predicate: iri("next"), Object: iri(fmt.Sprint("n", i+1))})
	}
	return qs
}

func TestLimits(t *testing.T) {
	r := openReader(t, chain(3000))
	t.Run("MaxRows", func(t *testing.T) {
		_, err := selectRows(t, r, `SELECT * { ?s ?p ?o }`, sparql.Options{MaxRows: 100})
		if sparql.KindOf(err) != sparql.TooLarge {
			t.Fatalf("err = %v, want kind TooLarge", err)
		}
		rows, err := selectRows(t, r, `SELECT * { ?s ?p ?o } LIMIT 100`, sparql.Options{MaxRows: 100})
		if err != nil || len(rows) != 100 {
			t.Fatalf("LIMIT 100 under MaxRows 100: %d rows, %v", len(rows), err)
		}
	})
	t.Run("MaxHeld", func(t *testing.T) {
		_, err := selectRows(t, r, `SELECT * { ?s ?p ?o } ORDER BY ?o`, sparql.Options{MaxHeld: 1000})
		if sparql.KindOf(err) != sparql.TooLarge {
			t.Fatalf("err = %v, want kind TooLarge", err)
		}
	})
	t.Run("Timeout", func(t *testing.T) {
		// A cartesian product of 3000^3 rows, stopped by the deadline.
		q, _ := parse.Query(`SELECT (COUNT(*) AS ?n) { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }`, parse.Options{})
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		plan, err := sparql.Prepare(ctx, r, q, sparql.Options{})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		err = plan.Select(ctx, func([]quad.Value) error { return nil })
		if sparql.KindOf(err) != sparql.Timeout {
			t.Fatalf("err = %v, want kind Timeout", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("stopped %v after the deadline", d)
		}
	})
	t.Run("Canceled", func(t *testing.T) {
		q, _ := parse.Query(`SELECT * { ?a ?p ?b . ?c ?q ?d }`, parse.Options{})
		ctx, cancel := context.WithCancel(context.Background())
		plan, err := sparql.Prepare(ctx, r, q, sparql.Options{})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		err = plan.Select(ctx, func([]quad.Value) error {
			if n++; n == 10 {
				cancel()
			}
			return nil
		})
		if sparql.KindOf(err) != sparql.Canceled {
			t.Fatalf("err = %v, want kind Canceled", err)
		}
	})
	t.Run("fn error stops", func(t *testing.T) {
		q, _ := parse.Query(`SELECT * { ?s ?p ?o }`, parse.Options{})
		plan, err := sparql.Prepare(context.Background(), r, q, sparql.Options{})
		if err != nil {
			t.Fatal(err)
		}
		stop := errors.New("enough")
		n := 0
		err = plan.Select(context.Background(), func([]quad.Value) error {
			n++
			return stop
		})
		if !errors.Is(err, stop) || n != 1 {
			t.Fatalf("Select = %v after %d rows, want the fn's error after 1", err, n)
		}
	})
}

func TestRefused(t *testing.T) {
	r := openReader(t, chain(3))
	q, err := parse.Query(`SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }`, parse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sparql.Prepare(context.Background(), r, q, sparql.Options{}); sparql.KindOf(err) != sparql.Unsupported {
		t.Errorf("SERVICE: err = %v, want kind Unsupported", err)
	}
	rows, err := selectRows(t, r, `SELECT * { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }`, sparql.Options{})
	if err != nil || len(rows) != 1 {
		t.Errorf("SERVICE SILENT = %q, %v; want one empty solution", rows, err)
	}
	u, err := parse.Update(`LOAD <http://example.org/data.ttl>`, parse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sparql.Update(context.Background(), r, u, sparql.Options{}); sparql.KindOf(err) != sparql.Unsupported {
		t.Errorf("LOAD: err = %v, want kind Unsupported", err)
	}
	u, _ = parse.Update(`LOAD SILENT <http://example.org/data.ttl>`, parse.Options{})
	if d, err := sparql.Update(context.Background(), r, u, sparql.Options{}); err != nil || len(d.Insert) != 0 {
		t.Errorf("LOAD SILENT = %+v, %v; want nothing done", d, err)
	}
}

// countingReader counts the reader calls an evaluation makes.
type countingReader struct {
	frontier.Reader
	quads int
}

func (c *countingReader) Quads(ctx context.Context, dir quad.Direction, nodes, preds []frontier.ID, fn func(int, frontier.Quad) bool) error {
	c.quads++
	return c.Reader.Quads(ctx, dir, nodes, preds, fn)
}

// A join looks up the nodes of a whole batch of solutions in one reader
// call, not one call per solution.
func TestBatchedLookups(t *testing.T) {
	var qs []quad.Quad
	for i := 0; i < 2000; i++ {
		qs = append(qs, quad.Quad{Subject: iri(fmt.Sprint("s", i)), Predicate: iri("p"), Object: iri(fmt.Sprint("o", i))})
		qs = append(qs, quad.Quad{Subject: iri(fmt.Sprint("o", i)), Predicate: iri("q"), Object: quad.String(fmt.Sprint(i))})
	}
	cr := &countingReader{Reader: openReader(t, qs)}
	rows, err := selectRows(t, cr, `SELECT * { ?s :p ?o . ?o :q ?v }`, sparql.Options{})
	if err != nil || len(rows) != 2000 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	if cr.quads > 20 {
		t.Errorf("%d Quads calls for 2000 solutions, want a few per batch", cr.quads)
	}
}

func TestExplain(t *testing.T) {
	r := openReader(t, chain(50))
	q, _ := parse.Query(`PREFIX : <`+ex+`> SELECT * { ?a :next ?b . ?b :next ?c FILTER(?a != ?c) }`, parse.Options{})
	plan, err := sparql.Prepare(context.Background(), r, q, sparql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := plan.Explain()
	s := e.String()
	for _, want := range []string{"select", "default graph: the union of all graphs", "scan ?a <" + ex + "next> ?b (est. 50)", "filter"} {
		if !strings.Contains(s, want) {
			t.Errorf("explain lacks %q:\n%s", want, s)
		}
	}
}

func TestConstructAndDescribe(t *testing.T) {
	r := openReader(t, append(chain(2), quad.Quad{Subject: iri("n0"), Predicate: iri("label"), Object: quad.BNode("x")},
		quad.Quad{Subject: quad.BNode("x"), Predicate: iri("text"), Object: quad.String("hello")}))
	run := func(query string) []quad.Quad {
		q, err := parse.Query("PREFIX : <"+ex+">\n"+query, parse.Options{})
		if err != nil {
			t.Fatal(err)
		}
		plan, err := sparql.Prepare(context.Background(), r, q, sparql.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var out []quad.Quad
		if err := plan.Construct(context.Background(), func(q quad.Quad) error { out = append(out, q); return nil }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	got := run(`CONSTRUCT { ?s :linked [ :to ?o ] . ?o :bad "lit" . "x" :p ?s } WHERE { ?s :next ?o }`)
	bnodes := map[quad.Value]bool{}
	for _, q := range got {
		if q.Predicate == iri("to") {
			bnodes[q.Subject] = true
		}
		if _, ok := q.Subject.(quad.String); ok {
			t.Errorf("CONSTRUCT gave a literal subject: %v", q)
		}
	}
	if len(got) != 6 || len(bnodes) != 2 {
		t.Errorf("CONSTRUCT gave %d triples with %d blank nodes, want 6 with one fresh blank node per solution: %v", len(got), len(bnodes), got)
	}
	got = run(`DESCRIBE :n0`)
	if len(got) != 3 {
		t.Errorf("DESCRIBE :n0 gave %v, want its two triples and the blank node's", got)
	}
}

// ORDER BY with LIMIT keeps only the rows it needs (a heap), and gives the
// same rows as a full sort sliced, ties in arrival order.
func TestTopK(t *testing.T) {
	var qs []quad.Quad
	for i := 0; i < 3000; i++ {
		qs = append(qs, quad.Quad{Subject: iri(fmt.Sprint("s", i)), Predicate: iri("v"),
			Object: quad.TypedString{Value: quad.String(fmt.Sprint((i * 7919) % 101)), Type: "http://www.w3.org/2001/XMLSchema#integer"}})
	}
	r := openReader(t, qs)
	run := func(query string) []string {
		q, err := parse.Query("PREFIX : <"+ex+">\n"+query, parse.Options{})
		if err != nil {
			t.Fatal(err)
		}
		plan, err := sparql.Prepare(context.Background(), r, q, sparql.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		err = plan.Select(context.Background(), func(row []quad.Value) error {
			out = append(out, fmt.Sprint(row))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	full := run(`SELECT ?s ?o { ?s :v ?o } ORDER BY DESC(?o) ?s`)
	for _, c := range []struct{ offset, limit int }{{0, 1}, {3, 7}, {100, 50}, {2990, 20}} {
		got := run(fmt.Sprintf(`SELECT ?s ?o { ?s :v ?o } ORDER BY DESC(?o) ?s LIMIT %d OFFSET %d`, c.limit, c.offset))
		want := full[c.offset:min(len(full), c.offset+c.limit)]
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("OFFSET %d LIMIT %d:\n got %v\nwant %v", c.offset, c.limit, got, want)
		}
	}
}

// REGEX and REPLACE read \w, \d and \s as XPath does (F&O 5.6.1): \w is
// any letter, mark, number or symbol, not only ASCII word characters; the
// differential test against Oxigraph found Danish letters outside \w.
func TestRegexXPathClasses(t *testing.T) {
	r := openReader(t, []quad.Quad{
		{Subject: iri("a"), Predicate: iri("name"), Object: quad.String("Østerdal Cluster 2-4")},
		{Subject: iri("b"), Predicate: iri("name"), Object: quad.String("Sydlab Cluster ٣-1")},
		{Subject: iri("c"), Predicate: iri("name"), Object: quad.String("a\u00a0b")},
	})
	tests := []struct {
		query string
		want  []string
	}{
		{`SELECT (REPLACE(?n, "^(\\w+) Cluster (\\d)-(\\d)$", "$3/$2 $1") AS ?r) WHERE { :a :name ?n }`, []string{`?r="4/2 Østerdal"`}},
		{`SELECT ?x WHERE { ?x :name ?n FILTER REGEX(?n, "^[\\w]+ Cluster \\d-") }`, []string{"?x=a>", "?x=b>"}},
		{`SELECT ?x WHERE { ?x :name ?n FILTER REGEX(?n, "^\\w+$") }`, nil},
		{`SELECT ?x WHERE { ?x :name ?n FILTER REGEX(?n, "a\\sb") }`, nil},
		{`SELECT ?x WHERE { ?x :name ?n FILTER REGEX(?n, "a\\Wb") }`, []string{"?x=c>"}},
		{`SELECT ?x WHERE { ?x :name ?n FILTER REGEX(?n, "\\w+ Cluster", "q") }`, nil},
	}
	for _, tc := range tests {
		got, err := selectRows(t, r, tc.query, sparql.Options{})
		if err != nil {
			t.Errorf("%s: %v", tc.query, err)
			continue
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s = %v, want %v", tc.query, got, tc.want)
		}
	}
}

// The term tests of a variable (compiled to a test in place) on stored
// terms of every kind, on a value an earlier BIND computed, and on an
// unbound variable (an error, so the filter drops the row and NOT keeps
// nothing either).
func TestKindTests(t *testing.T) {
	r := openReader(t, []quad.Quad{
		{Subject: iri("a"), Predicate: iri("p"), Object: iri("b")},
		{Subject: iri("a"), Predicate: iri("p"), Object: quad.BNode("n")},
		{Subject: iri("a"), Predicate: iri("p"), Object: quad.String("s")},
		{Subject: iri("a"), Predicate: iri("p"), Object: quad.TypedString{Value: "7", Type: "http://www.w3.org/2001/XMLSchema#integer"}},
	})
	tests := []struct {
		query string
		want  string
	}{
		{`SELECT ?o WHERE { :a :p ?o FILTER isIRI(?o) }`, `[?o=b>]`},
		{`SELECT ?o WHERE { :a :p ?o FILTER isBlank(?o) }`, `[?o=_:n]`},
		{`SELECT ?o WHERE { :a :p ?o FILTER isLiteral(?o) }`, `[?o="7"^^<http://www.w3.org/2001/XMLSchema#integer> ?o="s"]`},
		{`SELECT ?o WHERE { :a :p ?o FILTER isNumeric(?o) }`, `[?o="7"^^<http://www.w3.org/2001/XMLSchema#integer>]`},
		{`SELECT ?o WHERE { :a :p ?o FILTER(!isLiteral(?o) && !isBlank(?o)) }`, `[?o=b>]`},
		{`SELECT ?x WHERE { :a :p ?o BIND(STR(?o) AS ?x) FILTER isLiteral(?x) FILTER(!isIRI(?x)) }`, `[?x="7" ?x="http://example.org/b" ?x="s"]`},
		{`SELECT ?o WHERE { :a :p ?o OPTIONAL { ?o :q ?z } FILTER(!isIRI(?z)) }`, `[]`},
		{`SELECT ?o (isIRI(?o) AS ?i) WHERE { :a :p ?o FILTER isIRI(?o) }`, `[?o=b> ?i="true"^^<http://www.w3.org/2001/XMLSchema#boolean>]`},
	}
	for _, tc := range tests {
		got, err := selectRows(t, r, tc.query, sparql.Options{})
		if err != nil {
			t.Errorf("%s: %v", tc.query, err)
			continue
		}
		if fmt.Sprint(got) != tc.want {
			t.Errorf("%s = %v, want %s", tc.query, got, tc.want)
		}
	}
}

// A property path steps once per triple of the merged default graph, not
// once per graph stating it, as a triple pattern matches (the differential
// test against Oxigraph found a negated set counting a triple of two
// graphs twice).
func TestPathDatasetMerge(t *testing.T) {
	r := openReader(t, append(graphData(),
		quad.Quad{Subject: iri("a"), Predicate: iri("p"), Object: iri("b"), Label: iri("g2")},
		quad.Quad{Subject: iri("b"), Predicate: iri("p"), Object: iri("c"), Label: iri("g2")}))
	tests := []struct {
		name, query string
		want        []string
	}{
		{"negated set", `SELECT ?o { :a !:q ?o }`, []string{"?o=b>"}},
		{"inverse negated set", `SELECT ?s { :b ^!:q ?s }`, []string{"?s=a>"}},
		{"negated set both ways", `SELECT ?x { :b !(:q|^:q) ?x }`, []string{"?x=a>", "?x=c>"}},
		{"link inside a repetition", `SELECT ?o { :a :p? ?o }`, []string{"?o=a>", "?o=b>"}},
		{"sequence of negated sets", `SELECT ?o { :a !:q/!:q ?o }`, []string{"?o=c>"}},
		{"per named graph", `SELECT ?g { GRAPH ?g { :a !:q :b } }`, []string{"?g=g1>", "?g=g2>"}},
		{"FROM one graph", `SELECT ?o FROM :g2 { :a !:q ?o }`, []string{"?o=b>"}},
	}
	for _, tc := range tests {
		got, err := selectRows(t, r, tc.query, sparql.Options{})
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s: %s = %v, want %v", tc.name, tc.query, got, tc.want)
		}
	}
}

// A node with more triples than the dedup keeps in its small list: every
// triple stated in two graphs still matches once, by a triple pattern and
// by a path step, and whichever graph's copy comes first.
func TestDedupManyTriples(t *testing.T) {
	var qs []quad.Quad
	for i := 0; i < 100; i++ {
		o := iri(fmt.Sprintf("o%d", i))
		qs = append(qs, quad.Quad{Subject: iri("h"), Predicate: iri("p"), Object: o, Label: iri("g1")})
		if i%3 != 0 {
			qs = append(qs, quad.Quad{Subject: iri("h"), Predicate: iri("p"), Object: o, Label: iri("g2")})
		}
		if i%5 == 0 {
			qs = append(qs, quad.Quad{Subject: iri("h"), Predicate: iri("p"), Object: o})
		}
	}
	for _, r := range []frontier.Reader{openReader(t, qs), reversedReader{openReader(t, qs)}} {
		countsHundred(t, r)
	}
}

// reversedReader gives each node's quads, and a full walk, in the reverse
// of its Reader's order: the contract fixes no order within a node.
type reversedReader struct{ frontier.Reader }

func (r reversedReader) Quads(ctx context.Context, dir quad.Direction, nodes, preds []frontier.ID, fn func(int, frontier.Quad) bool) error {
	var buf []frontier.Quad
	cur, stopped := -1, false
	flush := func() bool {
		for j := len(buf) - 1; j >= 0; j-- {
			if !fn(cur, buf[j]) {
				return false
			}
		}
		buf = buf[:0]
		return true
	}
	err := r.Reader.Quads(ctx, dir, nodes, preds, func(i int, q frontier.Quad) bool {
		if i != cur {
			if !flush() {
				stopped = true
				return false
			}
			cur = i
		}
		buf = append(buf, q)
		return true
	})
	if err != nil || stopped {
		return err
	}
	flush()
	return nil
}

func (r reversedReader) All(ctx context.Context, fn func(frontier.Quad) bool) error {
	var all []frontier.Quad
	if err := r.Reader.All(ctx, func(q frontier.Quad) bool { all = append(all, q); return true }); err != nil {
		return err
	}
	for j := len(all) - 1; j >= 0; j-- {
		if !fn(all[j]) {
			return nil
		}
	}
	return nil
}

func countsHundred(t *testing.T, r frontier.Reader) {
	t.Helper()
	for _, query := range []string{
		`SELECT (COUNT(*) AS ?n) { :h :p ?o }`,
		`SELECT (COUNT(*) AS ?n) { ?s :p ?o }`,
		`SELECT (COUNT(*) AS ?n) { :h !:q ?o }`,
		`SELECT (COUNT(*) AS ?n) { ?o ^!:q :h }`,
	} {
		got, err := selectRows(t, r, query, sparql.Options{})
		if err != nil {
			t.Errorf("%s: %v", query, err)
			continue
		}
		if want := `[?n="100"^^<http://www.w3.org/2001/XMLSchema#integer>]`; fmt.Sprint(got) != want {
			t.Errorf("%s = %v, want %s", query, got, want)
		}
	}
}
