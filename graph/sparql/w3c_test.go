package sparql_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/internal/memindex"
	"github.com/innograph/innograph/graph/sparql"
	"github.com/innograph/innograph/graph/sparql/algebra"
	"github.com/innograph/innograph/graph/sparql/parse"
	"github.com/innograph/innograph/graph/sparql/results"
	"github.com/innograph/innograph/graph/sparql/sparqltest"
)

const suites = "../../testdata/sparql"

// outOfScope says why a test is not run, or "".
func outOfScope(tc sparqltest.Test) string {
	suite := tc.Suite()
	switch {
	case strings.HasSuffix(suite, "/entailment"):
		return "entailment regimes are out of scope"
	case strings.HasSuffix(suite, "/service") || tc.Service:
		return "federated query (SERVICE) is out of scope: the service never queries other endpoints"
	}
	return ""
}

func loadTests(t *testing.T) []sparqltest.Test {
	t.Helper()
	var all []sparqltest.Test
	for _, top := range []string{"sparql10/manifest.ttl", "sparql10/extended-manifest-evaluation.ttl", "sparql11/manifest-all.ttl"} {
		tests, _, err := sparqltest.Load(suites, filepath.Join(suites, top))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, tests...)
	}
	return all
}

func fileBase(path string) string {
	rel, _ := filepath.Rel(suites, path)
	return sparqltest.BaseIRI + filepath.ToSlash(rel)
}

// dataset loads a test's default graph (into the unnamed graph) and named
// graphs, plus the files its query names in FROM and FROM NAMED.
func dataset(t *testing.T, data []string, graphs []sparqltest.GraphFile, extra []quad.IRI) []quad.Quad {
	t.Helper()
	var qs []quad.Quad
	for _, d := range data {
		q, err := sparqltest.ReadFile(suites, d, nil)
		if err != nil {
			t.Fatal(err)
		}
		qs = append(qs, q...)
	}
	loaded := map[quad.IRI]bool{}
	for _, g := range graphs {
		q, err := sparqltest.ReadFile(suites, g.Path, g.Name)
		if err != nil {
			t.Fatal(err)
		}
		qs = append(qs, q...)
		loaded[g.Name] = true
	}
	for _, iri := range extra {
		if loaded[iri] {
			continue
		}
		path, err := sparqltest.Path(suites, iri)
		if err != nil {
			continue
		}
		if _, err := os.Stat(path); err != nil {
			continue
		}
		q, err := sparqltest.ReadFile(suites, path, iri)
		if err != nil {
			t.Fatal(err)
		}
		qs = append(qs, q...)
		loaded[iri] = true
	}
	return qs
}

var fixedNow = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }

// TestW3CQuery runs the query evaluation and result format tests of the
// W3C SPARQL 1.0 and 1.1 suites against the in-memory tier.
func TestW3CQuery(t *testing.T) {
	known, err := sparqltest.LoadKnown(filepath.Join(suites, "known-failures.txt"))
	if err != nil {
		t.Fatal(err)
	}
	tally := sparqltest.NewTally(known)
	for _, tc := range loadTests(t) {
		if tc.Type != "QueryEvaluationTest" && tc.Type != "CSVResultFormatTest" {
			continue
		}
		t.Run(tc.ID(), func(t *testing.T) {
			if why := outOfScope(tc); why != "" {
				tally.OutOfScope(t, tc, why)
				return
			}
			tally.Record(t, tc, runQueryTest(t, tc))
		})
	}
	tally.Report(t, "W3C SPARQL query evaluation tests", func(id string) bool {
		return !strings.Contains(id, "syntax") && !isUpdateSuite(id)
	})
}

func isUpdateSuite(id string) bool {
	for _, s := range []string{"/add/", "/basic-update/", "/clear/", "/copy/", "/delete", "/drop/", "/move/", "/update-silent/"} {
		if strings.Contains(id, s) {
			return true
		}
	}
	return false
}

func runQueryTest(t *testing.T, tc sparqltest.Test) error {
	text, err := os.ReadFile(tc.Query)
	if err != nil {
		return err
	}
	q, err := parse.Query(string(text), parse.Options{Base: fileBase(tc.Query)})
	if err != nil {
		return fmt.Errorf("parse: %w", err)
	}
	quads := dataset(t, tc.Data, tc.GraphData, append(append([]quad.IRI(nil), q.From...), q.FromNamed...))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r, err := memindex.FromQuads(quads).Reader(ctx)
	if err != nil {
		return err
	}
	defer r.Close()
	ds := sparql.StoreDataset()
	plan, err := sparql.Prepare(ctx, r, q, sparql.Options{Dataset: &ds, Now: fixedNow})
	if err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	want, err := sparqltest.ReadExpected(suites, tc.Result)
	if err != nil {
		return err
	}
	switch q.Form {
	case algebra.Ask:
		b, err := plan.Ask(ctx)
		if err != nil {
			return err
		}
		if want.Result == nil || want.Result.Boolean == nil {
			return fmt.Errorf("expected result is not a boolean")
		}
		got := &results.Result{Boolean: &b}
		if want.Format == results.JSON || want.Format == results.XML {
			if got, err = roundTrip(got, want.Format); err != nil {
				return err
			}
		}
		if d := sparqltest.SameResults(got, want.Result, false, false); d != "" {
			return fmt.Errorf("%s", d)
		}
		return nil
	case algebra.Construct, algebra.Describe:
		var got []quad.Quad
		if err := plan.Construct(ctx, func(q quad.Quad) error { got = append(got, q); return nil }); err != nil {
			return err
		}
		if want.Graph == nil && want.Result != nil {
			return fmt.Errorf("expected result is a result set, not a graph")
		}
		if d := sparqltest.SameGraph(got, want.Graph); d != "" {
			return fmt.Errorf("%s", d)
		}
		return nil
	}
	got := &results.Result{Vars: plan.Vars()}
	err = plan.Select(ctx, func(row []quad.Value) error {
		got.Rows = append(got.Rows, append([]quad.Value(nil), row...))
		return nil
	})
	if err != nil {
		return err
	}
	if want.Result == nil {
		return fmt.Errorf("expected result is a graph, not a result set")
	}
	if want.Format != "" {
		// Serialise our answer in the expected file's format and read it
		// back: this checks our writers on every test.
		if got, err = roundTrip(got, want.Format); err != nil {
			return err
		}
	}
	ordered := hasOrderBy(q.Op)
	if d := sparqltest.SameResults(got, want.Result, ordered, tc.Lax); d != "" {
		return fmt.Errorf("%s", d)
	}
	return nil
}

func hasOrderBy(op algebra.Op) bool {
	for {
		switch o := op.(type) {
		case *algebra.Slice:
			op = o.Op
		case *algebra.Distinct:
			op = o.Op
		case *algebra.Reduced:
			op = o.Op
		case *algebra.Project:
			op = o.Op
		case *algebra.OrderBy:
			return true
		default:
			return false
		}
	}
}

func roundTrip(r *results.Result, format string) (*results.Result, error) {
	f, _ := results.Lookup(format)
	var buf bytes.Buffer
	if r.Boolean != nil {
		if err := results.WriteBoolean(&buf, f, *r.Boolean); err != nil {
			return nil, err
		}
		return results.Read(&buf, f)
	}
	w, err := results.NewWriter(&buf, f, r.Vars)
	if err != nil {
		return nil, err
	}
	for _, row := range r.Rows {
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	back, err := results.Read(&buf, f)
	if err != nil {
		return nil, fmt.Errorf("reading back our %s output: %w\n%s", format, err, buf.String())
	}
	return back, nil
}

// TestW3CUpdate runs the update evaluation tests: the request is evaluated
// into a Delta, which is checked (it deletes only quads the store has and
// inserts only quads it lacks) and applied to the test's data, and the
// result compared with the expected dataset as graphs.
func TestW3CUpdate(t *testing.T) {
	known, err := sparqltest.LoadKnown(filepath.Join(suites, "known-failures.txt"))
	if err != nil {
		t.Fatal(err)
	}
	tally := sparqltest.NewTally(known)
	for _, tc := range loadTests(t) {
		if tc.Type != "UpdateEvaluationTest" {
			continue
		}
		t.Run(tc.ID(), func(t *testing.T) {
			if why := outOfScope(tc); why != "" {
				tally.OutOfScope(t, tc, why)
				return
			}
			tally.Record(t, tc, runUpdateTest(t, tc))
		})
	}
	tally.Report(t, "W3C SPARQL update evaluation tests", func(id string) bool {
		return !strings.Contains(id, "syntax") && isUpdateSuite(id)
	})
}

func runUpdateTest(t *testing.T, tc sparqltest.Test) error {
	text, err := os.ReadFile(tc.Query)
	if err != nil {
		return err
	}
	u, err := parse.Update(string(text), parse.Options{Base: fileBase(tc.Query)})
	if err != nil {
		return fmt.Errorf("parse: %w", err)
	}
	before := dataset(t, tc.Data, tc.GraphData, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r, err := memindex.FromQuads(before).Reader(ctx)
	if err != nil {
		return err
	}
	defer r.Close()
	ds := sparql.StoreDataset()
	delta, err := sparql.Update(ctx, r, u, sparql.Options{Dataset: &ds, Now: fixedNow})
	if err != nil {
		return err
	}
	state := map[quad.Quad]bool{}
	for _, q := range before {
		state[q] = true
	}
	for _, q := range delta.Delete {
		if !state[q] {
			return fmt.Errorf("delta deletes %v, which the store does not hold", q)
		}
		delete(state, q)
	}
	for _, q := range delta.Insert {
		if state[q] {
			return fmt.Errorf("delta inserts %v, which the store holds already", q)
		}
		state[q] = true
	}
	var got []quad.Quad
	for q := range state {
		got = append(got, q)
	}
	want := dataset(t, tc.ResultData, tc.ResultGraphData, nil)
	if d := sparqltest.SameGraph(got, want); d != "" {
		return fmt.Errorf("%s", d)
	}
	return nil
}
