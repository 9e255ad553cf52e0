package sparqltest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/rdfio"
)

// BaseIRI is the IRI the suites' files are read under: testdata/sparql/X
// is BaseIRI + X, the address the W3C publishes them at. Graph names made
// from file names (qt:graphData, FROM <data.ttl>) resolve to it.
const BaseIRI = "https://w3c.github.io/rdf-tests/sparql/"

const (
	mf    = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
	qt    = "http://www.w3.org/2001/sw/DataAccess/tests/test-query#"
	ut    = "http://www.w3.org/2009/sparql/tests/test-update#"
	dawgt = "http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#"
	rdf   = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	rdfs  = "http://www.w3.org/2000/01/rdf-schema#"
)

// GraphFile is a named graph of a test: its name and the file holding it.
type GraphFile struct {
	Name quad.IRI
	Path string
}

// Test is one entry of a manifest.
type Test struct {
	Manifest string // path of the manifest file
	IRI      string // the test's IRI
	Name     string // mf:name
	Type     string // local name of its type, e.g. QueryEvaluationTest
	Approval string // local name of dawgt:approval, "" when absent

	Query     string      // query or update file (qt:query, ut:request, or the syntax test's action)
	Data      []string    // files of the default graph (qt:data, ut:data)
	GraphData []GraphFile // named graphs (qt:graphData, ut:graphData)
	Service   bool        // the action names qt:serviceData (a SERVICE test)

	Result          string      // expected result file of a query test
	ResultData      []string    // expected default graph of an update test
	ResultGraphData []GraphFile // expected named graphs of an update test

	Requires []string // local names of mf:requires
	Lax      bool     // mf:resultCardinality mf:LaxCardinality (REDUCED)
}

// ID names the test uniquely and readably: the manifest's folder and the
// test's fragment, e.g. "sparql11/aggregates/agg01".
func (t Test) ID() string {
	frag := t.IRI
	if i := strings.LastIndexAny(frag, "#/"); i >= 0 {
		frag = frag[i+1:]
	}
	return t.Suite() + "/" + frag
}

// Suite is the folder of the test's manifest relative to the suites' root,
// e.g. "sparql11/aggregates".
func (t Test) Suite() string {
	dir := filepath.ToSlash(filepath.Dir(t.Manifest))
	if i := strings.Index(dir, "sparql1"); i >= 0 {
		return dir[i:]
	}
	return dir
}

// graph is a manifest as an index from subject to its quads.
type graph map[quad.Value][]quad.Quad

func (g graph) objects(s quad.Value, p string) []quad.Value {
	var out []quad.Value
	for _, q := range g[s] {
		if q.Predicate == quad.IRI(p) {
			out = append(out, q.Object)
		}
	}
	return out
}

func (g graph) object(s quad.Value, p string) quad.Value {
	if os := g.objects(s, p); len(os) > 0 {
		return os[0]
	}
	return nil
}

func (g graph) list(head quad.Value) []quad.Value {
	var out []quad.Value
	for head != nil && head != quad.IRI(rdf+"nil") {
		if f := g.object(head, rdf+"first"); f != nil {
			out = append(out, f)
		}
		head = g.object(head, rdf+"rest")
	}
	return out
}

// Load reads the manifest at path (under root, the testdata/sparql folder)
// and, recursively, the manifests it includes, returning their tests in
// manifest order. Included manifests that are missing are reported in
// missing rather than failing the load (the protocol suites are not
// copied).
func Load(root, path string) (tests []Test, missing []string, err error) {
	err = load(root, path, &tests, &missing)
	return tests, missing, err
}

func fileIRI(root, path string) (string, error) {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return "", err
	}
	return BaseIRI + filepath.ToSlash(rel), nil
}

// Path maps an IRI under BaseIRI back to its file under root.
func Path(root string, iri quad.Value) (string, error) {
	s, ok := iri.(quad.IRI)
	if !ok || !strings.HasPrefix(string(s), BaseIRI) {
		return "", fmt.Errorf("%v is not a file of the suites", iri)
	}
	return filepath.Join(root, filepath.FromSlash(strings.TrimPrefix(string(s), BaseIRI))), nil
}

// ReadFile parses the RDF file at path (Turtle, N-Triples or, through its
// converted .rdf.nt sibling, RDF/XML) with the base its IRI gives.
func ReadFile(root, path string, graphName quad.Value) ([]quad.Quad, error) {
	base, err := fileIRI(root, path)
	if err != nil {
		return nil, err
	}
	file := path
	format := rdfio.Turtle
	switch {
	case strings.HasSuffix(path, ".rdf"):
		file, format = path+".nt", rdfio.NTriples
	case strings.HasSuffix(path, ".nt"):
		format = rdfio.NTriples
	case strings.HasSuffix(path, ".nq"):
		format = rdfio.NQuads
	case strings.HasSuffix(path, ".trig"):
		format = rdfio.TriG
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	f, _ := rdfio.Lookup(format)
	// Blank nodes get a prefix of their own per file, so that two files
	// loaded into one graph never share one.
	sum := sha256.Sum256([]byte(path))
	opt := rdfio.ReadOptions{Base: base, Graph: graphName, BlankNodePrefix: "f" + hex.EncodeToString(sum[:4]) + "x"}
	r, err := rdfio.NewReader(bytes.NewReader(data), f, opt)
	if err != nil {
		return nil, err
	}
	var qs []quad.Quad
	for {
		q, err := r.ReadQuad()
		if errors.Is(err, io.EOF) {
			return qs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		qs = append(qs, q)
	}
}

func load(root, path string, tests *[]Test, missing *[]string) error {
	if _, err := os.Stat(path); err != nil {
		*missing = append(*missing, path)
		return nil
	}
	qs, err := ReadFile(root, path, nil)
	if err != nil {
		return err
	}
	g := graph{}
	for _, q := range qs {
		g[q.Subject] = append(g[q.Subject], q)
	}
	local := func(v quad.Value) string {
		s := fmt.Sprint(v)
		if iri, ok := v.(quad.IRI); ok {
			s = string(iri)
		}
		if i := strings.LastIndexAny(s, "#/"); i >= 0 {
			return s[i+1:]
		}
		return s
	}
	file := func(v quad.Value) string {
		p, err := Path(root, v)
		if err != nil {
			return ""
		}
		return p
	}
	str := func(v quad.Value) string {
		switch v := v.(type) {
		case quad.String:
			return string(v)
		case quad.IRI:
			return string(v)
		}
		return fmt.Sprint(v)
	}
	// The manifest is <> in most files, a blank node in some: take the
	// entries and includes of whatever subject states them.
	var includes, entryLists []quad.Value
	for _, q := range qs {
		switch q.Predicate {
		case quad.IRI(mf + "include"):
			includes = append(includes, q.Object)
		case quad.IRI(mf + "entries"):
			entryLists = append(entryLists, q.Object)
		}
	}
	for _, inc := range includes {
		for _, m := range g.list(inc) {
			if err := load(root, file(m), tests, missing); err != nil {
				return err
			}
		}
	}
	for _, entries := range entryLists {
		for _, e := range g.list(entries) {
			t := Test{Manifest: path, IRI: str(e), Name: str(g.object(e, mf+"name"))}
			if typ := g.object(e, rdf+"type"); typ != nil {
				t.Type = local(typ)
			}
			if a := g.object(e, dawgt+"approval"); a != nil {
				t.Approval = local(a)
			}
			for _, r := range g.objects(e, mf+"requires") {
				t.Requires = append(t.Requires, local(r))
			}
			if c := g.object(e, mf+"resultCardinality"); c != nil && local(c) == "LaxCardinality" {
				t.Lax = true
			}
			action := g.object(e, mf+"action")
			if _, ok := action.(quad.IRI); ok {
				t.Query = file(action)
			} else if action != nil {
				if q := g.object(action, qt+"query"); q != nil {
					t.Query = file(q)
				}
				if q := g.object(action, ut+"request"); q != nil {
					t.Query = file(q)
				}
				t.Data, t.GraphData = dataOf(g, action, file, str)
				t.Service = g.object(action, qt+"serviceData") != nil
			}
			res := g.object(e, mf+"result")
			if _, ok := res.(quad.IRI); ok {
				t.Result = file(res)
			} else if res != nil {
				t.ResultData, t.ResultGraphData = dataOf(g, res, file, str)
			}
			*tests = append(*tests, t)
		}
	}
	return nil
}

// dataOf reads the default and named graph files of an action or an
// update test's result.
func dataOf(g graph, node quad.Value, file func(quad.Value) string, str func(quad.Value) string) ([]string, []GraphFile) {
	var data []string
	var graphs []GraphFile
	for _, p := range []string{qt + "data", ut + "data"} {
		for _, d := range g.objects(node, p) {
			data = append(data, file(d))
		}
	}
	for _, d := range g.objects(node, qt+"graphData") {
		graphs = append(graphs, GraphFile{Name: d.(quad.IRI), Path: file(d)})
	}
	for _, d := range g.objects(node, ut+"graphData") {
		gf := GraphFile{Path: file(g.object(d, ut+"graph"))}
		if l := g.object(d, rdfs+"label"); l != nil {
			gf.Name = quad.IRI(str(l))
		}
		graphs = append(graphs, gf)
	}
	sort.Strings(data)
	sort.Slice(graphs, func(i, j int) bool { return graphs[i].Name < graphs[j].Name })
	return data, graphs
}
