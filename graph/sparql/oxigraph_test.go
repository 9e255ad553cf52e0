package sparql_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/frontier"
	"github.com/innograph/innograph/graph/gen"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/graph/sparql"
	"github.com/innograph/innograph/graph/sparql/algebra"
	"github.com/innograph/innograph/graph/sparql/parse"
	"github.com/innograph/innograph/graph/sparql/results"
	"github.com/innograph/innograph/graph/sparql/sparqltest"
	"github.com/innograph/innograph/seeds/seeddocs"
)

// The differential test asks the same SPARQL queries of this engine and of
// Oxigraph (npm oxigraph, pinned by testdata/peers/package-lock.json, run
// by testdata/peers/oxigraph-queries.js under node) over the same data,
// and compares the answers as the W3C suites do. Its queries live in
// testdata/sparql-diff (README there).
const (
	diffDir  = "../../testdata/sparql-diff"
	peersDir = "../../testdata/peers"
)

var updateDiff = flag.Bool("update", false, "rewrite testdata/sparql-diff/*-generated.rq from the data")

// requireOxigraph returns the path of node, skipping locally and failing
// under CI=true when node or Oxigraph's node_modules are missing.
func requireOxigraph(tb testing.TB) string {
	tb.Helper()
	missing := func(format string, args ...any) {
		tb.Helper()
		if os.Getenv("CI") == "true" {
			tb.Fatalf("CI=true: "+format, args...)
		}
		tb.Skipf(format, args...)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node not installed: %v", err)
	}
	// Stat the installed package and its lock file so that go test's cache
	// sees a change.
	for _, f := range []string{"node_modules/oxigraph/package.json", "package-lock.json"} {
		if _, err := os.Stat(filepath.Join(peersDir, f)); err != nil {
			missing("oxigraph not installed (npm ci --prefix testdata/peers): %v", err)
		}
	}
	return node
}

// diffDataset is one dataset of the test: a real Store (Cayley's
// in-memory backend under the default in-memory read tier) and the quads
// its Reader holds, which is what Oxigraph is given.
type diffDataset struct {
	store *graph.Store
	quads []quad.Quad
}

// diffDatasets opens the test's datasets: the seed graph, loaded as the
// service loads it (seeds/seeddocs: one named graph per document, stable
// blank node labels), and a generated ecosystem of three regions.
func diffDatasets(tb testing.TB) map[string]*diffDataset {
	tb.Helper()
	ctx := context.Background()
	open := func(load func(*graph.Store) error) *diffDataset {
		tb.Helper()
		st, err := graph.Open(ctx, graph.Config{Backend: graph.Memory})
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { st.Close() })
		if err := load(st); err != nil {
			tb.Fatal(err)
		}
		return &diffDataset{store: st, quads: dumpStore(tb, st)}
	}
	seed := open(func(st *graph.Store) error {
		_, err := st.LoadIfEmpty(ctx, seeddocs.Documents())
		return err
	})
	generated := open(func(st *graph.Store) error {
		var qs quadSlice
		if err := gen.Generate(&qs, gen.Config{Regions: 3, Seed: 1}); err != nil {
			return err
		}
		return st.Write(ctx, func(b *graph.Batch) error {
			for _, q := range qs.qs {
				b.Add(q)
			}
			return nil
		})
	})
	return map[string]*diffDataset{"seed": seed, "gen": generated}
}

// dumpStore returns every quad the store's Reader holds.
func dumpStore(tb testing.TB, st *graph.Store) []quad.Quad {
	tb.Helper()
	ctx := context.Background()
	r, err := st.Reader(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	defer r.Close()
	var ids []frontier.Quad
	if err := r.All(ctx, func(q frontier.Quad) bool { ids = append(ids, q); return true }); err != nil {
		tb.Fatal(err)
	}
	flat := make([]frontier.ID, 0, 4*len(ids))
	for _, q := range ids {
		flat = append(flat, q.S, q.P, q.O, q.G)
	}
	vals := make([]quad.Value, len(flat))
	if err := r.Values(ctx, flat, vals); err != nil {
		tb.Fatal(err)
	}
	out := make([]quad.Quad, len(ids))
	for i := range out {
		out[i] = quad.Quad{Subject: vals[4*i], Predicate: vals[4*i+1], Object: vals[4*i+2], Label: vals[4*i+3]}
	}
	return out
}

// diffQuery is one query of the list: its ID (file/name), the dataset it
// runs on, and its text without the shared prefixes.
type diffQuery struct {
	ID, Dataset, Text string
}

const queryMark = "#@ "

// readDiffQueries reads every <dataset>-<kind>.rq file of dir: queries
// each introduced by a line "#@ name".
func readDiffQueries(tb testing.TB, dir string) []diffQuery {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*-*.rq"))
	if err != nil {
		tb.Fatal(err)
	}
	var out []diffQuery
	seen := map[string]bool{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		base := strings.TrimSuffix(filepath.Base(f), ".rq")
		dataset, _, _ := strings.Cut(base, "-")
		var cur *diffQuery
		for _, line := range strings.SplitAfter(string(data), "\n") {
			if name, ok := strings.CutPrefix(line, queryMark); ok {
				out = append(out, diffQuery{ID: base + "/" + strings.TrimSpace(name), Dataset: dataset})
				cur = &out[len(out)-1]
				if seen[cur.ID] {
					tb.Fatalf("%s: two queries named %s", f, cur.ID)
				}
				seen[cur.ID] = true
				continue
			}
			if cur != nil {
				cur.Text += line
			}
		}
	}
	return out
}

// oxigraphAnswer is one line of oxigraph-queries.js's output.
type oxigraphAnswer struct {
	ID    string  `json:"id"`
	Body  string  `json:"body"`
	Error string  `json:"error"`
	Ms    float64 `json:"ms"`
}

// jsonTerm writes a term as in SPARQL JSON results.
func jsonTerm(v quad.Value) map[string]string {
	switch t := v.(type) {
	case quad.IRI:
		return map[string]string{"type": "uri", "value": string(t)}
	case quad.BNode:
		return map[string]string{"type": "bnode", "value": string(t)}
	case quad.String:
		return map[string]string{"type": "literal", "value": string(t)}
	case quad.LangString:
		return map[string]string{"type": "literal", "value": string(t.Value), "xml:lang": t.Lang}
	case quad.TypedString:
		return map[string]string{"type": "literal", "value": string(t.Value), "datatype": string(t.Type)}
	}
	panic(fmt.Sprintf("no JSON term for %T", v))
}

// oxigraphQuads is our dataset as Oxigraph stores it: every quad of a
// named graph as it is, and every triple of any graph once in Oxigraph's
// default graph. Our default graph is the RDF merge of all graphs (a
// triple stated in two graphs matches once); Oxigraph's union option
// would match it once per graph, so it is not used: Oxigraph's default
// graph holds the merge itself.
func oxigraphQuads(qs []quad.Quad) []quad.Quad {
	out := make([]quad.Quad, 0, 2*len(qs))
	seen := map[[3]quad.Value]bool{}
	for _, q := range qs {
		if q.Label != nil {
			out = append(out, q)
		}
		k := [3]quad.Value{q.Subject, q.Predicate, q.Object}
		if !seen[k] {
			seen[k] = true
			out = append(out, quad.Quad{Subject: q.Subject, Predicate: q.Predicate, Object: q.Object})
		}
	}
	return out
}

// askOxigraph runs one node process that loads every dataset and answers
// every query, and returns the answers by query ID.
func askOxigraph(node string, datasets map[string]*diffDataset, queries []diffQuery, prefixes string) (map[string]oxigraphAnswer, error) {
	type q struct {
		ID      string `json:"id"`
		Dataset string `json:"dataset"`
		Form    string `json:"form"`
		Query   string `json:"query"`
	}
	batch := struct {
		Datasets map[string][][4]map[string]string `json:"datasets"`
		Queries  []q                               `json:"queries"`
	}{Datasets: map[string][][4]map[string]string{}}
	for name, ds := range datasets {
		var rows [][4]map[string]string
		for _, x := range oxigraphQuads(ds.quads) {
			row := [4]map[string]string{jsonTerm(x.Subject), jsonTerm(x.Predicate), jsonTerm(x.Object)}
			if x.Label != nil {
				row[3] = jsonTerm(x.Label)
			}
			rows = append(rows, row)
		}
		batch.Datasets[name] = rows
	}
	for _, dq := range queries {
		form := "SELECT"
		if parsed, err := parse.Query(prefixes+dq.Text, parse.Options{}); err == nil {
			form = parsed.Form.String()
		}
		batch.Queries = append(batch.Queries, q{ID: dq.ID, Dataset: dq.Dataset, Form: form, Query: prefixes + dq.Text})
	}
	in, err := json.Marshal(batch)
	if err != nil {
		return nil, err
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(node, "oxigraph-queries.js")
	cmd.Dir = peersDir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(in), &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("oxigraph-queries.js: %v\n%s", err, stderr.String())
	}
	out := map[string]oxigraphAnswer{}
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(nil, 1<<30)
	for sc.Scan() {
		var a oxigraphAnswer
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			return nil, fmt.Errorf("oxigraph-queries.js output: %v", err)
		}
		out[a.ID] = a
	}
	return out, sc.Err()
}

// ourAnswer is this engine's answer to one query: a solution sequence
// (SELECT and ASK) or a graph, or why there is none.
type ourAnswer struct {
	res     *results.Result
	graph   []quad.Quad
	ordered bool
	err     string
	took    time.Duration
}

// answerQuery evaluates a query on the engine over the store's Reader.
func answerQuery(ctx context.Context, st *graph.Store, text string) (a ourAnswer) {
	start := time.Now()
	defer func() { a.took = time.Since(start) }()
	q, err := parse.Query(text, parse.Options{})
	if err != nil {
		return ourAnswer{err: fmt.Sprintf("parse: %v", err)}
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	r, err := st.Reader(ctx)
	if err != nil {
		return ourAnswer{err: err.Error()}
	}
	defer r.Close()
	plan, err := sparql.Prepare(ctx, r, q, sparql.Options{})
	if err != nil {
		return ourAnswer{err: fmt.Sprintf("prepare: %v", err)}
	}
	switch q.Form {
	case algebra.Ask:
		b, err := plan.Ask(ctx)
		if err != nil {
			return ourAnswer{err: err.Error()}
		}
		return ourAnswer{res: &results.Result{Boolean: &b}}
	case algebra.Construct, algebra.Describe:
		var got []quad.Quad
		if err := plan.Construct(ctx, func(q quad.Quad) error { got = append(got, q); return nil }); err != nil {
			return ourAnswer{err: err.Error()}
		}
		return ourAnswer{graph: got}
	}
	got := &results.Result{Vars: plan.Vars()}
	err = plan.Select(ctx, func(row []quad.Value) error {
		got.Rows = append(got.Rows, append([]quad.Value(nil), row...))
		return nil
	})
	if err != nil {
		return ourAnswer{err: err.Error()}
	}
	// Our answer goes through our JSON writer and reader, Oxigraph's
	// through the same reader.
	if got, err = roundTrip(got, results.JSON); err != nil {
		return ourAnswer{err: err.Error()}
	}
	return ourAnswer{res: got, ordered: hasOrderBy(q.Op)}
}

// compareWithOxigraph returns how our answer differs from Oxigraph's, ""
// when they are the same.
func compareWithOxigraph(ours ourAnswer, ox oxigraphAnswer) string {
	if ours.err != "" || ox.Error != "" {
		return fmt.Sprintf("we: %s; Oxigraph: %s", orOK(ours.err), orOK(ox.Error))
	}
	if ours.res == nil {
		nt, _ := rdfio.Lookup(rdfio.NTriples)
		rd, err := rdfio.NewReader(strings.NewReader(ox.Body), nt, rdfio.ReadOptions{KeepBlankNodeLabels: true})
		if err != nil {
			return err.Error()
		}
		var want []quad.Quad
		for {
			q, err := rd.ReadQuad()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return fmt.Sprintf("reading Oxigraph's answer: %v", err)
			}
			want = append(want, q)
		}
		return sparqltest.SameGraph(ours.graph, want)
	}
	want, err := results.Read(strings.NewReader(ox.Body), mustFormat(results.JSON))
	if err != nil {
		return fmt.Sprintf("reading Oxigraph's answer: %v", err)
	}
	return sparqltest.SameResults(ours.res, want, ours.ordered, false)
}

func orOK(s string) string {
	if s == "" {
		return "answered"
	}
	return s
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func mustFormat(name string) results.Format {
	f, ok := results.Lookup(name)
	if !ok {
		panic("no results format " + name)
	}
	return f
}

// TestOxigraphDifferential asks every query of testdata/sparql-diff of
// this engine and of Oxigraph over the same dataset, and compares the
// answers as the W3C suites do: solutions as multisets (sequences under
// ORDER BY), blank nodes up to renaming, graphs by isomorphism. Both see
// one dataset: the default graph is the RDF merge of all graphs (our
// UnionDataset; Oxigraph's default graph is loaded with it), the named
// graphs are the store's. A query that disagrees fails the test unless
// known-differences.txt lists it with the reason; a listed query that
// agrees fails it too.
func TestOxigraphDifferential(t *testing.T) {
	datasets := diffDatasets(t)
	checkGenerated(t, datasets)
	node := requireOxigraph(t)
	prefixes, err := os.ReadFile(filepath.Join(diffDir, "prefixes.rq"))
	if err != nil {
		t.Fatal(err)
	}
	known, err := sparqltest.LoadKnown(filepath.Join(diffDir, "known-differences.txt"))
	if err != nil {
		t.Fatal(err)
	}
	queries := readDiffQueries(t, diffDir)
	if len(queries) < 200 {
		t.Fatalf("%d queries, want at least 200", len(queries))
	}
	// Oxigraph answers in its node process while we answer here.
	ctx := context.Background()
	var answers map[string]oxigraphAnswer
	var oxErr error
	var oxTime time.Duration
	done := make(chan struct{})
	go func() {
		defer close(done)
		start := time.Now()
		answers, oxErr = askOxigraph(node, datasets, queries, string(prefixes))
		oxTime = time.Since(start)
	}()
	start := time.Now()
	ours := make([]ourAnswer, len(queries))
	for i, dq := range queries {
		ds := datasets[dq.Dataset]
		if ds == nil {
			ours[i] = ourAnswer{err: fmt.Sprintf("no dataset %q", dq.Dataset)}
			continue
		}
		ours[i] = answerQuery(ctx, ds.store, string(prefixes)+dq.Text)
	}
	ourTime := time.Since(start)
	<-done
	if oxErr != nil {
		t.Fatal(oxErr)
	}

	agree, listed := 0, 0
	var oxMs float64
	type timed struct {
		id   string
		ours time.Duration
		ox   float64
	}
	var slow []timed
	for i, dq := range queries {
		ans, ok := answers[dq.ID]
		if !ok {
			t.Errorf("%s: no answer from Oxigraph", dq.ID)
			continue
		}
		oxMs += ans.Ms
		slow = append(slow, timed{dq.ID, ours[i].took, ans.Ms})
		diff := compareWithOxigraph(ours[i], ans)
		reason, isKnown := known[dq.ID]
		switch {
		case diff == "" && isKnown:
			t.Errorf("%s agrees with Oxigraph but known-differences.txt lists it (%s): remove it from the list", dq.ID, reason)
		case diff == "":
			agree++
		case isKnown:
			listed++
			t.Logf("%s: known difference (%s)", dq.ID, reason)
		default:
			t.Errorf("%s: answers differ from Oxigraph's:\n%s\nquery:\n%s", dq.ID, diff, dq.Text)
		}
	}
	for id := range known {
		if _, ok := answers[id]; !ok {
			t.Errorf("known-differences.txt lists %s, which is not a query", id)
		}
	}
	t.Logf("%d queries: %d agree with Oxigraph, %d known differences; Oxigraph %v (node start and load included; queries %.0f ms), innograph %v, side by side",
		len(queries), agree, listed, oxTime.Round(time.Millisecond), oxMs, ourTime.Round(time.Millisecond))
	sort.Slice(slow, func(i, j int) bool {
		return slow[i].ours+time.Duration(slow[i].ox*1e6) > slow[j].ours+time.Duration(slow[j].ox*1e6)
	})
	for _, s := range slow[:min(len(slow), 8)] {
		t.Logf("slow: %s: innograph %v, Oxigraph %.1f ms", s.id, s.ours.Round(time.Millisecond), s.ox)
	}
}

// checkGenerated compares the generated query files with what the
// generator makes of the data now, and rewrites them under -update.
func checkGenerated(t *testing.T, datasets map[string]*diffDataset) {
	t.Helper()
	names := make([]string, 0, len(datasets))
	for name := range datasets {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		file := filepath.Join(diffDir, name+"-generated.rq")
		want := generateDiffQueries(name, datasets[name].quads)
		if *updateDiff {
			if err := os.WriteFile(file, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("%s is stale: rewrite it with go test ./graph/sparql -run TestOxigraphDifferential -update", file)
		}
	}
}
