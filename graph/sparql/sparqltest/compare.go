package sparqltest

import (
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/rdfio/rdftest"
	"github.com/innograph/innograph/graph/sparql/results"
)

const rs = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"

// Expected is a test's expected outcome: a solution sequence, a boolean,
// or a graph.
type Expected struct {
	Result *results.Result // solutions or boolean
	Graph  []quad.Quad     // CONSTRUCT and DESCRIBE
	Format string          // results format name of the file ("" for RDF)
}

// ReadExpected reads an expected result file in any format the suites use.
func ReadExpected(root, path string) (*Expected, error) {
	ext := filepath.Ext(path)
	if f, ok := results.Lookup(ext); ok {
		fh, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer fh.Close()
		r, err := results.Read(fh, f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return &Expected{Result: r, Format: f.Name}, nil
	}
	qs, err := ReadFile(root, path, nil)
	if err != nil {
		return nil, err
	}
	if r := resultSet(qs); r != nil {
		return &Expected{Result: r}, nil
	}
	return &Expected{Graph: qs}, nil
}

// resultSet reads the DAWG result-set vocabulary (rs:ResultSet), or
// returns nil when the graph holds none. Solutions with rs:index are put
// in that order.
func resultSet(qs []quad.Quad) *results.Result {
	g := graph{}
	var set quad.Value
	for _, q := range qs {
		g[q.Subject] = append(g[q.Subject], q)
		if q.Predicate == quad.IRI(rdf+"type") && q.Object == quad.IRI(rs+"ResultSet") {
			set = q.Subject
		}
	}
	if set == nil {
		return nil
	}
	res := &results.Result{}
	if b := g.object(set, rs+"boolean"); b != nil {
		v := strings.Contains(fmt.Sprint(b), "true")
		res.Boolean = &v
		return res
	}
	for _, v := range g.objects(set, rs+"resultVariable") {
		res.Vars = append(res.Vars, literalText(v))
	}
	type indexed struct {
		idx int
		row []quad.Value
	}
	var rows []indexed
	for _, sol := range g.objects(set, rs+"solution") {
		row := make([]quad.Value, len(res.Vars))
		for _, b := range g.objects(sol, rs+"binding") {
			name := literalText(g.object(b, rs+"variable"))
			i := -1
			for j, v := range res.Vars {
				if v == name {
					i = j
				}
			}
			if i < 0 {
				res.Vars = append(res.Vars, name)
				row = append(row, nil)
				i = len(res.Vars) - 1
			}
			row[i] = g.object(b, rs+"value")
		}
		idx := -1
		if x := g.object(sol, rs+"index"); x != nil {
			idx, _ = strconv.Atoi(literalText(x))
		}
		rows = append(rows, indexed{idx, row})
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].idx < rows[j].idx })
	for _, r := range rows {
		for len(r.row) < len(res.Vars) {
			r.row = append(r.row, nil)
		}
		res.Rows = append(res.Rows, r.row)
	}
	return res
}

func literalText(v quad.Value) string {
	switch v := v.(type) {
	case quad.String:
		return string(v)
	case quad.TypedString:
		return string(v.Value)
	case quad.LangString:
		return string(v.Value)
	}
	return fmt.Sprint(v)
}

// sameRows reports whether two solution sequences are equal up to a
// renaming of blank nodes (one bijection for the whole sequence): as
// sequences when ordered, else as multisets, found by backtracking over
// the solutions that hold blank nodes (the others must match exactly).
func sameRows(got, want *results.Result, ordered bool) bool {
	// Align columns by variable name.
	cols := map[string]bool{}
	for _, v := range got.Vars {
		cols[v] = true
	}
	for _, v := range want.Vars {
		cols[v] = true
	}
	names := make([]string, 0, len(cols))
	for v := range cols {
		names = append(names, v)
	}
	sort.Strings(names)
	align := func(r *results.Result) [][]quad.Value {
		idx := map[string]int{}
		for i, v := range r.Vars {
			idx[v] = i
		}
		out := make([][]quad.Value, len(r.Rows))
		for i, row := range r.Rows {
			a := make([]quad.Value, len(names))
			for j, n := range names {
				if k, ok := idx[n]; ok && k < len(row) && row[k] != nil {
					a[j] = normalize(row[k])
				}
			}
			out[i] = a
		}
		return out
	}
	g, w := align(got), align(want)
	if len(g) != len(w) {
		return false
	}
	m := &bmap{fwd: map[quad.BNode]quad.BNode{}, back: map[quad.BNode]quad.BNode{}}
	if ordered {
		for i := range g {
			if !m.match(g[i], w[i]) {
				return false
			}
		}
		return true
	}
	// Rows without blank nodes: exact multiset.
	count := map[string]int{}
	var gb, wb [][]quad.Value
	for _, r := range g {
		if hasBNode(r) {
			gb = append(gb, r)
		} else {
			count[fmt.Sprint(r)]++
		}
	}
	for _, r := range w {
		if hasBNode(r) {
			wb = append(wb, r)
		} else {
			count[fmt.Sprint(r)]--
		}
	}
	for _, c := range count {
		if c != 0 {
			return false
		}
	}
	if len(gb) != len(wb) {
		return false
	}
	used := make([]bool, len(wb))
	steps := 0
	var search func(i int) bool
	search = func(i int) bool {
		if i == len(gb) {
			return true
		}
		if steps++; steps > 1e6 {
			return false
		}
		for j := range wb {
			if used[j] {
				continue
			}
			saved := m.snapshot()
			if m.match(gb[i], wb[j]) {
				used[j] = true
				if search(i + 1) {
					return true
				}
				used[j] = false
			}
			m.restore(saved)
		}
		return false
	}
	return search(0)
}

func hasBNode(r []quad.Value) bool {
	for _, v := range r {
		if _, ok := v.(quad.BNode); ok {
			return true
		}
	}
	return false
}

// bmap is a partial bijection between blank nodes of two results.
type bmap struct {
	fwd, back map[quad.BNode]quad.BNode
	log       []quad.BNode
}

func (m *bmap) snapshot() int { return len(m.log) }

func (m *bmap) restore(n int) {
	for _, b := range m.log[n:] {
		delete(m.back, m.fwd[b])
		delete(m.fwd, b)
	}
	m.log = m.log[:n]
}

// match extends the bijection so that row a maps onto row b, reporting
// false (with the bijection possibly extended; callers restore) if it
// cannot.
func (m *bmap) match(a, b []quad.Value) bool {
	for i := range a {
		x, xb := a[i].(quad.BNode)
		y, yb := b[i].(quad.BNode)
		if xb != yb {
			return false
		}
		if !xb {
			if a[i] != b[i] {
				return false
			}
			continue
		}
		if to, ok := m.fwd[x]; ok {
			if to != y {
				return false
			}
			continue
		}
		if _, ok := m.back[y]; ok {
			return false
		}
		m.fwd[x], m.back[y] = y, x
		m.log = append(m.log, x)
	}
	return true
}

// normalize makes values that denote the same term compare equal
// (language tags in lower case, xsd:string as a simple literal), and
// numeric and boolean literals of one datatype compare by value: the
// suites write computed numbers in varying lexical forms ("1", "1.0" and
// "1.0E0" for the same xsd:double), as implementations may.
func normalize(v quad.Value) quad.Value {
	switch t := v.(type) {
	case quad.LangString:
		t.Lang = strings.ToLower(t.Lang)
		return t
	case quad.TypedString:
		lex := strings.TrimSpace(string(t.Value))
		switch strings.TrimPrefix(string(t.Type), xsd) {
		case "string":
			return t.Value
		case "double", "float":
			if f, err := strconv.ParseFloat(strings.Replace(lex, "INF", "Inf", 1), 64); err == nil {
				t.Value = quad.String(strconv.FormatFloat(f, 'g', -1, 64))
			}
		case "decimal", "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
			"negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte":
			if r, ok := new(big.Rat).SetString(lex); ok {
				t.Value = quad.String(r.RatString())
			}
		case "boolean":
			switch lex {
			case "1", "true":
				t.Value = "true"
			case "0", "false":
				t.Value = "false"
			}
		}
		return t
	}
	return v
}

const xsd = "http://www.w3.org/2001/XMLSchema#"

// SameResults compares two solution sequences (or booleans): as
// multisets, or as sequences when ordered; lax compares them as sets
// (REDUCED may keep any number of duplicates). It returns a description
// of the difference, "" when equal.
func SameResults(got, want *results.Result, ordered, lax bool) string {
	if (got.Boolean == nil) != (want.Boolean == nil) {
		return fmt.Sprintf("got boolean %v, want boolean %v", got.Boolean != nil, want.Boolean != nil)
	}
	if want.Boolean != nil {
		if *got.Boolean != *want.Boolean {
			return fmt.Sprintf("got %v, want %v", *got.Boolean, *want.Boolean)
		}
		return ""
	}
	g, w := got, want
	if lax {
		g, w = distinctRows(got), distinctRows(want)
	}
	if len(g.Rows) != len(w.Rows) {
		return fmt.Sprintf("got %d solutions, want %d\n got: %s\nwant: %s", len(g.Rows), len(w.Rows), show(got), show(want))
	}
	if !sameRows(g, w, ordered) {
		return fmt.Sprintf("solutions differ\n got: %s\nwant: %s", show(got), show(want))
	}
	return ""
}

func distinctRows(r *results.Result) *results.Result {
	out := &results.Result{Vars: r.Vars}
	seen := map[string]bool{}
	for _, row := range r.Rows {
		k := fmt.Sprint(row)
		if !seen[k] {
			seen[k] = true
			out.Rows = append(out.Rows, row)
		}
	}
	return out
}

func show(r *results.Result) string {
	var b strings.Builder
	b.WriteString(fmt.Sprint(r.Vars))
	for i, row := range r.Rows {
		if i == 20 && os.Getenv("SPARQLTEST_ALL") == "" {
			fmt.Fprintf(&b, "\n    ... %d more", len(r.Rows)-20)
			break
		}
		b.WriteString("\n    ")
		for j, v := range row {
			if v == nil {
				continue
			}
			fmt.Fprintf(&b, "?%s=%s ", r.Vars[j], v)
		}
	}
	return b.String()
}

// SameGraph compares two graphs by isomorphism; "" when equal.
func SameGraph(got, want []quad.Quad) string {
	strip := func(qs []quad.Quad) []quad.Quad {
		out := make([]quad.Quad, len(qs))
		for i, q := range qs {
			out[i] = quad.Quad{Subject: normalize(q.Subject), Predicate: q.Predicate, Object: normalize(q.Object), Label: q.Label}
		}
		return out
	}
	g, w := rdftest.Canonical(strip(got)), rdftest.Canonical(strip(want))
	if g != w {
		return fmt.Sprintf("graphs differ\n got:\n%s\nwant:\n%s", clip(g), clip(w))
	}
	return ""
}

func clip(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "\n..."
	}
	return s
}
