package seeds_test

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/cayleygraph/cayley/query"
	"github.com/cayleygraph/cayley/query/gizmo"
	"github.com/cayleygraph/quad"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/ontology"
	"github.com/innograph/innograph/seeds"
)

// questionsFile is the document the questions test reads: every question
// in it carries the query that answers it and the expected answer, so the
// document and the test cannot drift apart.
const questionsFile = "../docs/questions.md"

var printAnswers = flag.Bool("print-answers", false, "print the answer each question's query gives (for writing docs/questions.md; answers are never written back)")

// question is one "## Q<n>." section of docs/questions.md.
type question struct {
	title  string
	line   int
	source []string // source documents cited ("seeds/sources/<file>")
	quote  string   // the "> " lines: the passage of the sources it rests on
	query  string   // the ```json query block
	answer []string // the lines of the ```text answer block
}

// parseQuestions reads the sections of the questions document. A section
// starts with "## Q"; its query is the fenced block whose info string is
// "json query", its answer the block "text answer", and it cites its
// sources as `seeds/sources/<file>` in a line starting "Source".
func parseQuestions(t *testing.T, text string) []question {
	t.Helper()
	var qs []question
	var cur *question
	var block string // info string of the open fence, "" outside
	var buf []string
	sourceRef := regexp.MustCompile("`(seeds/sources/[^`]+)`")
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if block != "" {
			if strings.TrimSpace(line) == "```" {
				switch block {
				case "json query":
					cur.query = strings.Join(buf, "\n")
				case "text answer":
					cur.answer = append([]string{}, buf...)
				}
				block, buf = "", nil
				continue
			}
			buf = append(buf, line)
			continue
		}
		switch {
		case strings.HasPrefix(line, "## Q"):
			qs = append(qs, question{title: strings.TrimPrefix(line, "## "), line: n})
			cur = &qs[len(qs)-1]
		case strings.HasPrefix(line, "```") && cur != nil:
			block = strings.TrimSpace(strings.TrimPrefix(line, "```"))
			if block == "" {
				block = "text"
			}
		case strings.HasPrefix(line, "> ") && cur != nil:
			cur.quote += " " + strings.TrimPrefix(line, "> ")
		case strings.HasPrefix(line, "Source") && cur != nil:
			for _, m := range sourceRef.FindAllStringSubmatch(line, -1) {
				cur.source = append(cur.source, m[1])
			}
		}
	}
	if block != "" {
		t.Fatalf("%s: unterminated ``` block", questionsFile)
	}
	return qs
}

// quoteFragments splits a question's quotation into the pieces that must
// appear verbatim in its sources: the strings in straight double quotes when
// it has any (so that "DK04: "...";" may say whose words they are), else the
// whole text; either split at the elisions " ... " and " / ".
func quoteFragments(quote string) []string {
	parts := []string{quote}
	if strings.Count(quote, `"`) >= 2 {
		parts = nil
		fields := strings.Split(quote, `"`)
		for i := 1; i < len(fields); i += 2 {
			parts = append(parts, fields[i])
		}
	}
	var out []string
	for _, p := range parts {
		for _, f := range regexp.MustCompile(`\.\.\.| / `).Split(p, -1) {
			if f = strings.Trim(f, " ;,"); len(f) >= 3 {
				out = append(out, f)
			}
		}
	}
	return out
}

// squeeze drops all white space, so that a quotation matches a source whose
// lines break inside words (the handbook is extracted from a laid-out PDF).
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// op is the machine-readable query of a question: the graph operation and
// its arguments in the JSON the graph request types (and so the HTTP API)
// accept. Entity IDs are short forms ("region/dk04"), terms prefixed names
// ("ig:memberOf"), both expanded by expand. Select and Show only choose
// what the answer prints.
type op struct {
	Op    string          `json:"op"`    // entity, describe, entities, paths, connections, shortest, gizmo
	ID    string          `json:"id"`    // entity
	IDs   []string        `json:"ids"`   // describe: the entities whose descriptions to print
	Args  json.RawMessage `json:"args"`  // the request of entities, paths, connections, shortest
	Query string          `json:"query"` // gizmo: JavaScript over the store's QuadStore
	// Select lists the predicates of an entity to print ("^p" for incoming
	// links, rdf:type and rdfs:label included), or of the quads of a
	// description.
	Select []string `json:"select"`
	// Show lists literal predicates to print for the last node of each
	// path of a paths answer.
	Show []string `json:"show"`
}

// prefixes are the readable prefixes for terms; entity IRIs print as
// ontology short forms instead.
func prefixes() []ontology.Prefix {
	var ps []ontology.Prefix
	for _, p := range ontology.Prefixes() {
		if !strings.HasPrefix(p.NS, ontology.IDBase) {
			ps = append(ps, p)
		}
	}
	return ps
}

// expand turns a short form or prefixed name into a full IRI.
func expand(s string) (string, error) {
	if s == "" || strings.Contains(s, "://") {
		return s, nil
	}
	if pre, local, ok := strings.Cut(s, ":"); ok {
		for _, p := range prefixes() {
			if p.Name == pre {
				return p.NS + local, nil
			}
		}
	}
	if iri, ok := ontology.Expand(s); ok {
		return string(iri), nil
	}
	return "", fmt.Errorf("cannot expand %q: neither a known prefix nor an entity short form", s)
}

func expandAll(ss []string) error {
	for i, s := range ss {
		x, err := expand(s)
		if err != nil {
			return err
		}
		ss[i] = x
	}
	return nil
}

// short prints an IRI as an entity short form or a prefixed name.
func short(id string) string {
	if s, ok := ontology.Short(quad.IRI(id)); ok {
		return s
	}
	for _, p := range prefixes() {
		if strings.HasPrefix(id, p.NS) {
			return p.Name + ":" + strings.TrimPrefix(id, p.NS)
		}
	}
	return "<" + id + ">"
}

// node prints a node: its short form, or its label in brackets for a blank
// node (blank node labels are not stable names).
func node(n graph.Node) string {
	if strings.HasPrefix(n.ID, "_:") {
		return "[" + n.Label + "]"
	}
	return short(n.ID)
}

// literal prints a literal in Turtle style with a prefixed datatype.
func literal(v, lang, dt string) string {
	s := fmt.Sprintf("%q", v)
	switch {
	case lang != "":
		s += "@" + lang
	case dt != "" && dt != "http://www.w3.org/2001/XMLSchema#string":
		s += "^^" + short(dt)
	}
	return s
}

func value(v quad.Value) string {
	switch v := v.(type) {
	case quad.IRI:
		return short(string(v))
	case quad.String:
		return literal(string(v), "", "")
	case quad.LangString:
		return literal(string(v.Value), v.Lang, "")
	case quad.TypedString:
		return literal(string(v.Value), "", string(v.Type))
	}
	return quad.StringOf(v)
}

// pathLine prints a path as its nodes joined by its edges.
func pathLine(p graph.Path) string {
	var b strings.Builder
	b.WriteString(node(p.Nodes[0]))
	for i, e := range p.Edges {
		if e.Direction == graph.In {
			fmt.Fprintf(&b, " <-%s- ", short(e.Predicate))
		} else {
			fmt.Fprintf(&b, " -%s-> ", short(e.Predicate))
		}
		b.WriteString(node(p.Nodes[i+1]))
	}
	return b.String()
}

// seedStore opens a memory store and loads the embedded seed graph the way
// the command does: one named graph per TriG file, with stable blank nodes.
func seedStore(t *testing.T) *graph.Store {
	t.Helper()
	ctx := context.Background()
	s, err := graph.Open(ctx, graph.Config{Backend: graph.Memory})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	trig, ok := rdfio.Lookup(rdfio.TriG)
	if !ok {
		t.Fatal("no TriG format")
	}
	var docs []graph.Document
	for _, g := range seeds.Graphs() {
		docs = append(docs, graph.Document{
			Name: g.File, Data: g.Data, Format: trig,
			Read: rdfio.ReadOptions{Base: string(g.IRI), Graph: g.IRI,
				BlankNodePrefix: "seed_" + path.Base(string(g.IRI)) + "_"},
		})
	}
	if n, err := s.LoadIfEmpty(ctx, docs); err != nil || n == 0 {
		t.Fatalf("LoadIfEmpty = %d, %v", n, err)
	}
	return s
}

// decode reads a request strictly: an unknown field is an error, so the
// document cannot carry arguments the API would not accept.
func decode(raw json.RawMessage, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// run answers a question's query and prints the answer one line per item.
func run(ctx context.Context, s *graph.Store, o op) ([]string, error) {
	var out []string
	switch o.Op {
	case "entity":
		id, err := expand(o.ID)
		if err != nil {
			return nil, err
		}
		e, err := s.Entity(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, sel := range o.Select {
			in := strings.HasPrefix(sel, "^")
			p, err := expand(strings.TrimPrefix(sel, "^"))
			if err != nil {
				return nil, err
			}
			switch {
			case p == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type":
				for _, c := range e.Types {
					out = append(out, sel+" "+short(c))
				}
			case p == "http://www.w3.org/2000/01/rdf-schema#label":
				for lang, ls := range e.Labels {
					for _, l := range ls {
						out = append(out, sel+" "+literal(l, lang, ""))
					}
				}
			case in:
				for _, l := range e.In {
					if l.Predicate == p {
						out = append(out, sel+" "+node(l.Node))
					}
				}
			default:
				for _, l := range e.Out {
					if l.Predicate == p {
						out = append(out, sel+" "+node(l.Node))
					}
				}
				for _, l := range e.Literals {
					if l.Predicate == p {
						out = append(out, sel+" "+literal(l.Value, l.Lang, l.Datatype))
					}
				}
			}
		}
	case "describe":
		if err := expandAll(o.IDs); err != nil {
			return nil, err
		}
		var d graph.Description
		for _, id := range o.IDs {
			di, err := s.Describe(ctx, quad.IRI(id))
			if err != nil {
				return nil, err
			}
			d.Quads = append(d.Quads, di.Quads...)
		}
		sel := map[quad.Value]string{}
		for _, p := range o.Select {
			x, err := expand(p)
			if err != nil {
				return nil, err
			}
			sel[quad.IRI(x)] = p
		}
		// Blank nodes print as their labels, which the description holds.
		labels := map[quad.Value][]string{}
		for _, q := range d.Quads {
			if _, ok := q.Subject.(quad.BNode); ok && q.Predicate == quad.IRI("http://www.w3.org/2000/01/rdf-schema#label") {
				labels[q.Subject] = append(labels[q.Subject], lexical(q.Object))
			}
		}
		term := func(v quad.Value) string {
			if _, ok := v.(quad.BNode); ok {
				sort.Strings(labels[v])
				return "[" + strings.Join(labels[v], " / ") + "]"
			}
			return value(v)
		}
		seen := map[string]bool{}
		for _, q := range d.Quads {
			if p, ok := sel[q.Predicate]; ok {
				line := term(q.Subject) + " " + p + " " + term(q.Object)
				if !seen[line] { // a fact stated in two graphs is one line
					seen[line] = true
					out = append(out, line)
				}
			}
		}
	case "entities":
		var q graph.EntityQuery
		if err := decode(o.Args, &q); err != nil {
			return nil, err
		}
		var err error
		if q.Type, err = expand(q.Type); err != nil {
			return nil, err
		}
		page, err := s.Entities(ctx, q)
		if err != nil {
			return nil, err
		}
		if page.Next != "" {
			return nil, fmt.Errorf("answer has more than one page")
		}
		for _, n := range page.Entities {
			out = append(out, node(n))
		}
	case "paths":
		var p graph.Pattern
		if err := decode(o.Args, &p); err != nil {
			return nil, err
		}
		if err := expandAll(p.Start.IDs); err != nil {
			return nil, err
		}
		var err error
		if p.Start.Type, err = expand(p.Start.Type); err != nil {
			return nil, err
		}
		for i := range p.Steps {
			if err := expandAll(p.Steps[i].Predicates); err != nil {
				return nil, err
			}
			if p.Steps[i].Type, err = expand(p.Steps[i].Type); err != nil {
				return nil, err
			}
		}
		res, err := s.Paths(ctx, p)
		if err != nil {
			return nil, err
		}
		if res.Next != "" {
			return nil, fmt.Errorf("answer has more than one page")
		}
		for _, m := range res.Matches {
			line := pathLine(m.Path)
			if len(o.Show) > 0 {
				last := m.Nodes[len(m.Nodes)-1]
				lits, err := literals(ctx, s, last.ID, o.Show)
				if err != nil {
					return nil, err
				}
				line += " {" + strings.Join(lits, "; ") + "}"
			}
			out = append(out, line)
		}
	case "connections":
		var q graph.ConnectionQuery
		if err := decode(o.Args, &q); err != nil {
			return nil, err
		}
		var err error
		for _, f := range []*string{&q.From, &q.To, &q.Through} {
			if *f, err = expand(*f); err != nil {
				return nil, err
			}
		}
		page, err := s.Connections(ctx, q)
		if err != nil {
			return nil, err
		}
		if page.Next != "" {
			return nil, fmt.Errorf("answer has more than one page")
		}
		for _, pr := range page.Pairs {
			if pr.Truncated {
				return nil, fmt.Errorf("paths of %s – %s truncated", pr.From.ID, pr.To.ID)
			}
			for _, p := range pr.Paths {
				out = append(out, pathLine(p))
			}
		}
	case "shortest":
		var q graph.ShortestQuery
		if err := decode(o.Args, &q); err != nil {
			return nil, err
		}
		var err error
		if q.From, err = expand(q.From); err != nil {
			return nil, err
		}
		if q.To, err = expand(q.To); err != nil {
			return nil, err
		}
		if err := expandAll(q.Predicates); err != nil {
			return nil, err
		}
		res, err := s.ShortestPaths(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("hops %d", res.Hops))
		for _, p := range res.Paths {
			out = append(out, pathLine(p))
		}
	case "gizmo":
		it, err := gizmo.NewSession(s.QuadStore()).Execute(ctx, o.Query, query.Options{Collation: query.Raw, Limit: 1000})
		if err != nil {
			return nil, err
		}
		defer it.Close()
		for it.Next(ctx) {
			r, ok := it.Result().(*gizmo.Result)
			if !ok {
				return nil, fmt.Errorf("gizmo result %T", it.Result())
			}
			if r.Val != nil {
				out = append(out, gizmoValue(r.Val))
				continue
			}
			keys := make([]string, 0, len(r.Tags))
			for k := range r.Tags {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			var parts []string
			for _, k := range keys {
				v := value(s.QuadStore().NameOf(r.Tags[k]))
				if len(keys) > 1 {
					if k == "id" {
						continue // the node the path ended on, tagged already
					}
					v = k + "=" + v
				}
				parts = append(parts, v)
			}
			out = append(out, strings.Join(parts, " "))
		}
		if err := it.Err(); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unknown op %q", o.Op)
	}
	return out, nil
}

// lexical returns a literal's lexical form without language or datatype.
func lexical(v quad.Value) string {
	switch v := v.(type) {
	case quad.String:
		return string(v)
	case quad.LangString:
		return string(v.Value)
	case quad.TypedString:
		return string(v.Value)
	}
	return quad.StringOf(v)
}

// gizmoValue prints a value a Gizmo query emits.
func gizmoValue(v any) string {
	switch v := v.(type) {
	case quad.Value:
		return value(v)
	case string:
		if strings.HasPrefix(v, "<") && strings.HasSuffix(v, ">") {
			return short(strings.Trim(v, "<>"))
		}
		return v
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// literals returns the values of the predicates of one node (IRI or blank
// node), in predicate order, each as "p value".
func literals(ctx context.Context, s *graph.Store, id string, preds []string) ([]string, error) {
	var v quad.Value = quad.IRI(id)
	if b, ok := strings.CutPrefix(id, "_:"); ok {
		v = quad.BNode(b)
	}
	d, err := s.Describe(ctx, v)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, sel := range preds {
		p, err := expand(sel)
		if err != nil {
			return nil, err
		}
		var vals []string
		for _, q := range d.Quads {
			if q.Subject == v && q.Predicate == quad.IRI(p) {
				vals = append(vals, value(q.Object))
			}
		}
		sort.Strings(vals)
		for _, x := range vals {
			out = append(out, sel+" "+x)
		}
	}
	return out, nil
}

// TestQuestions runs every question of docs/questions.md against a memory
// store loaded with the seed graph and compares the answer, line by line
// (as a set: the order of the lines is not part of the answer), with the
// one the document states.
func TestQuestions(t *testing.T) {
	data, err := os.ReadFile(questionsFile)
	if err != nil {
		t.Fatal(err)
	}
	qs := parseQuestions(t, string(data))
	if len(qs) < 30 {
		t.Errorf("%s has %d questions, want at least 30", questionsFile, len(qs))
	}
	s := seedStore(t)
	ctx := context.Background()
	for _, q := range qs {
		t.Run(q.title, func(t *testing.T) {
			if q.query == "" {
				t.Fatalf("line %d: no ```json query block", q.line)
			}
			if q.answer == nil && !*printAnswers {
				t.Fatalf("line %d: no ```text answer block", q.line)
			}
			if len(q.source) == 0 {
				t.Errorf("line %d: cites no source document (Source: `seeds/sources/<file>`)", q.line)
			}
			var text strings.Builder
			for _, src := range q.source {
				b, err := fs.ReadFile(seeds.Sources(), strings.TrimPrefix(src, "seeds/sources/"))
				if err != nil {
					t.Errorf("line %d: cited source %s: %v", q.line, src, err)
				}
				text.Write(b)
			}
			sources := squeeze(text.String())
			for _, f := range quoteFragments(q.quote) {
				if !strings.Contains(sources, squeeze(f)) {
					t.Errorf("line %d: quotation %q is not in %v", q.line, f, q.source)
				}
			}
			var o op
			if err := decode(json.RawMessage(q.query), &o); err != nil {
				t.Fatalf("line %d: query: %v", q.line, err)
			}
			got, err := run(ctx, s, o)
			if err != nil {
				t.Fatalf("line %d: %s: %v", q.line, o.Op, err)
			}
			if *printAnswers {
				fmt.Printf("%s\n```text answer\n%s\n```\n\n", q.title, strings.Join(got, "\n"))
				return
			}
			if len(got) == 0 {
				t.Errorf("line %d: the query answers nothing", q.line)
			}
			want := append([]string{}, q.answer...)
			sort.Strings(got)
			sort.Strings(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("line %d: answer differs\n got:\n  %s\nwant:\n  %s", q.line, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
		})
	}
}

// TestSeedStoreGraphs checks the loaded store, as our own TriG reader fills
// it: every quad carries the label of one of the five seed graphs, and every
// graph holds quads, its own description among them.
func TestSeedStoreGraphs(t *testing.T) {
	s := seedStore(t)
	ctx := context.Background()
	want := map[quad.Value]int{}
	for _, g := range seeds.Graphs() {
		want[g.IRI] = 0
	}
	described := map[quad.Value]bool{}
	err := s.EachQuad(ctx, graph.Selection{}, func(q quad.Quad) error {
		if _, ok := want[q.Label]; !ok {
			return fmt.Errorf("quad %v is in graph %v, not a seed graph", q, q.Label)
		}
		want[q.Label]++
		if q.Subject == q.Label && q.Predicate == quad.IRI("https://w3id.org/innograph/ontology#sourceFile") {
			described[q.Label] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for g, n := range want {
		if n == 0 {
			t.Errorf("graph %v holds no quads", g)
		}
		if !described[g] {
			t.Errorf("graph %v does not name its source file in itself", g)
		}
	}
}
