package frontiertest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
)

const (
	ex  = "http://example.org/"
	xsd = "http://www.w3.org/2001/XMLSchema#"
)

func iri(s string) quad.IRI { return quad.IRI(ex + s) }

// Values of the fixture that tests name.
var (
	alice   = iri("alice")
	bob     = iri("bob")
	carol   = iri("carol")
	dave    = iri("dave")
	b1      = quad.BNode("b1")
	g1      = iri("g1")
	g2      = iri("g2")
	person  = iri("Person")
	agent   = iri("Agent")
	knows   = iri("knows")
	name    = iri("name")
	note    = iri("note")
	val     = iri("value")
	rdfType = frontier.RDFType
	label   = frontier.RDFSLabel
)

// typed is a typed literal; lexical forms are kept as written.
func typed(lex, dt string) quad.TypedString {
	return quad.TypedString{Value: quad.String(lex), Type: quad.IRI(dt)}
}

func lang(s, tag string) quad.LangString { return quad.LangString{Value: quad.String(s), Lang: tag} }

func q(s, p, o, g quad.Value) quad.Quad {
	return quad.Quad{Subject: s, Predicate: p, Object: o, Label: g}
}

// fixture is the hand-made dataset most tests read: every kind of value,
// in every position, two named graphs and the default graph, a triple
// stated in two graphs, label candidates of every rank, and a quad given
// twice.
func fixture() []quad.Quad {
	return []quad.Quad{
		q(alice, rdfType, person, g1),
		q(alice, rdfType, person, g2), // the same triple in a second graph
		q(alice, rdfType, agent, g1),
		q(alice, label, lang("Alice", "en"), g1),
		q(alice, label, lang("Alicia", "es"), g1),
		q(alice, label, quad.String("Alice Liddell"), nil),
		q(alice, label, lang("Ali", "de"), g2),
		q(alice, knows, bob, g1),
		q(alice, knows, bob, nil), // and in the default graph
		q(alice, knows, carol, g2),
		q(alice, knows, alice, g1),
		q(alice, name, quad.String(ex+"alice"), g1), // a string spelling an IRI
		q(bob, rdfType, person, g1),
		q(bob, label, quad.String("Bob"), g1),
		q(bob, label, lang("Bobby", "fr"), g1),
		q(bob, knows, b1, g1),
		q(bob, val, typed("01", xsd+"integer"), g1),
		q(bob, val, typed("1", xsd+"integer"), g1),
		q(carol, rdfType, person, g2),
		q(carol, label, lang("Zoe", "en-gb"), g2),
		q(carol, label, lang("Carol", "de"), g2),
		q(carol, label, lang("Caz", "en"), g2),
		q(carol, note, quad.String("line\nbreak \"quoted\"\ttab back\\slash ünïcödé ✓ <not an IRI>"), g2),
		q(carol, note, quad.String(""), g2),
		q(carol, note, quad.String(strings.Repeat("long ", 2000)), g2),
		q(b1, rdfType, agent, g1),
		q(b1, label, typed("Blank", ex+"dt"), g1),
		q(b1, label, lang("Blank", "da"), g1),
		q(b1, val, quad.String("x"), g1),
		q(b1, val, lang("x", "en"), g1),
		q(b1, val, typed("x", ex+"dt"), g1),
		q(b1, val, iri("x"), g1),
		q(b1, val, quad.BNode("x"), g1),
		q(dave, label, iri("notALabel"), nil), // an IRI is never a label
		q(dave, rdfType, iri("Thing"), nil),
		q(g2, label, lang("Graph two", "en"), g2), // a graph name as a subject
		q(alice, knows, bob, g1),                  // given twice, stored once
	}
}

// randomData is a seeded random dataset for the model-checked subtests:
// subjects, objects and graphs drawn from small pools so nodes have several
// quads, labels unique in (rank, text) so BetterLabel leaves no ties.
func randomData(seed uint64, n int) []quad.Quad {
	rng := rand.New(rand.NewPCG(seed, 17))
	nodes := make([]quad.Value, 40)
	for i := range nodes {
		if i%10 == 9 {
			nodes[i] = quad.BNode(fmt.Sprintf("r%d", i))
		} else {
			nodes[i] = iri(fmt.Sprintf("r/%d", i))
		}
	}
	preds := []quad.Value{rdfType, label, iri("p/0"), iri("p/1"), iri("p/2"), iri("p/3")}
	graphs := []quad.Value{nil, iri("rg/0"), iri("rg/1"), iri("rg/2")}
	labels := []quad.Value{
		quad.String("plain a"), quad.String("plain b"), lang("en a", "en"), lang("en b", "en"),
		lang("gb", "en-gb"), lang("da", "da"), lang("fr", "fr"), iri("r/label-iri"),
	}
	lits := []quad.Value{
		quad.String("s"), lang("s", "en"), typed("s", ex+"dt"), typed("007", xsd+"integer"),
		typed("7", xsd+"integer"), quad.String(""), quad.String("ü\n\"")}
	var out []quad.Quad
	for len(out) < n {
		s := nodes[rng.IntN(len(nodes))]
		p := preds[rng.IntN(len(preds))]
		var o quad.Value
		switch {
		case p == rdfType:
			o = nodes[rng.IntN(5)]
		case p == label:
			o = labels[rng.IntN(len(labels))]
		case rng.IntN(3) == 0:
			o = lits[rng.IntN(len(lits))]
		default:
			o = nodes[rng.IntN(len(nodes))]
		}
		out = append(out, q(s, p, o, graphs[rng.IntN(len(graphs))]))
	}
	return out
}

// manySubjects is a dataset of n subjects with three quads each, for
// walks long enough to be cancelled half way.
func manySubjects(n int) []quad.Quad {
	var out []quad.Quad
	for i := range n {
		s := iri(fmt.Sprintf("many/%d", i))
		out = append(out,
			q(s, rdfType, person, g1),
			q(s, label, lang(fmt.Sprintf("Many %d", i), "en"), g1),
			q(s, knows, iri(fmt.Sprintf("many/%d", (i+1)%n)), nil))
	}
	return out
}

// term is the identity of a value in the model: its Go type and its
// N-Quads-like form, "-" for the default graph.
func term(v quad.Value) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%T%s", v, v)
}

// model answers every question by scanning all quads; the reader under test
// must give the same answers.
type model struct {
	quads []quad.Quad // distinct, in first-given order
	keys  []string    // keys[i] is quadKey(quads[i])
	terms [][4]int    // terms[i][d] numbers term(quads[i].Get(dirs[d]))
	ids   map[string]int
}

func newModel(quads []quad.Quad) *model {
	m := &model{ids: map[string]int{}}
	seen := map[string]bool{}
	for _, x := range quads {
		k := quadKey(x)
		if !seen[k] {
			seen[k] = true
			m.quads = append(m.quads, x)
			m.keys = append(m.keys, k)
			m.terms = append(m.terms, [4]int{m.num(x.Subject), m.num(x.Predicate), m.num(x.Object), m.num(x.Label)})
		}
	}
	return m
}

// num numbers the values of the model, -1 for a value it does not hold
// (and so no nil: that is the default graph, numbered like any term).
func (m *model) num(v quad.Value) int {
	t := term(v)
	if n, ok := m.ids[t]; ok {
		return n
	}
	m.ids[t] = len(m.ids)
	return len(m.ids) - 1
}

// numOf numbers v without adding it: -1 if the model does not hold it.
func (m *model) numOf(v quad.Value) int {
	if n, ok := m.ids[term(v)]; ok {
		return n
	}
	return -1
}

func quadKey(x quad.Quad) string {
	return term(x.Subject) + " " + term(x.Predicate) + " " + term(x.Object) + " " + term(x.Label)
}

// known reports whether v is in some position of some quad.
func (m *model) known(v quad.Value) bool {
	if v == nil {
		return false
	}
	return m.numOf(v) >= 0
}

// values returns every distinct value of the model, in first-seen order.
func (m *model) values() []quad.Value {
	var out []quad.Value
	seen := map[string]bool{}
	for _, x := range m.quads {
		for _, d := range dirs {
			if v := x.Get(d); v != nil && !seen[term(v)] {
				seen[term(v)] = true
				out = append(out, v)
			}
		}
	}
	return out
}

// quads is what Quads(dir, nodes, preds) must give, as lines "i quadKey";
// preds nil means any predicate.
func (m *model) quadsOf(dir quad.Direction, nodes []quad.Value, preds []quad.Value) []string {
	var out []string
	d := slices.Index(dirs, dir)
	for i, n := range nodes {
		if n == nil {
			continue
		}
		t := m.numOf(n)
		for j, x := range m.quads {
			if m.terms[j][d] != t {
				continue
			}
			if preds != nil && !contains(preds, x.Predicate) {
				continue
			}
			out = append(out, strconv.Itoa(i)+" "+m.keys[j])
		}
	}
	return out
}

// count is what Count must give for a pattern of values (nil is any).
func (m *model) count(pattern quad.Quad) int64 {
	want := [4]int{-2, -2, -2, -2} // -2: any
	for d, dir := range dirs {
		if v := pattern.Get(dir); v != nil {
			want[d] = m.numOf(v)
		}
	}
	var n int64
	for _, ts := range m.terms {
		ok := true
		for d := range ts {
			if want[d] != -2 && want[d] != ts[d] {
				ok = false
			}
		}
		if ok {
			n++
		}
	}
	return n
}

// facts is what Describe must give for v: the distinct objects of its
// rdf:type quads (as terms) and its preferred label (nil if none).
func (m *model) facts(v quad.Value) (types []string, lbl quad.Value) {
	seen := map[string]bool{}
	for _, x := range m.quads {
		if v == nil || term(x.Subject) != term(v) {
			continue
		}
		switch x.Predicate {
		case rdfType:
			if !seen[term(x.Object)] {
				seen[term(x.Object)] = true
				types = append(types, term(x.Object))
			}
		case label:
			if frontier.BetterLabel(x.Object, lbl) {
				lbl = x.Object
			}
		}
	}
	return types, lbl
}

func contains(vs []quad.Value, v quad.Value) bool {
	for _, w := range vs {
		if w != nil && term(w) == term(v) {
			return true
		}
	}
	return false
}

var dirs = []quad.Direction{quad.Subject, quad.Predicate, quad.Object, quad.Label}
