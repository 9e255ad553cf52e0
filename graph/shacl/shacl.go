package shacl

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"
)

// Namespaces and the terms the validator reads.
const (
	SH   = "http://www.w3.org/ns/shacl#"
	rdf  = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	rdfs = "http://www.w3.org/2000/01/rdf-schema#"
	xsd  = "http://www.w3.org/2001/XMLSchema#"
)

var (
	rdfType       = quad.IRI(rdf + "type")
	rdfFirst      = quad.IRI(rdf + "first")
	rdfRest       = quad.IRI(rdf + "rest")
	rdfNil        = quad.IRI(rdf + "nil")
	rdfsSubClass  = quad.IRI(rdfs + "subClassOf")
	rdfsClass     = quad.IRI(rdfs + "Class")
	shNodeShape   = quad.IRI(SH + "NodeShape")
	shPropShape   = quad.IRI(SH + "PropertyShape")
	shViolation   = quad.IRI(SH + "Violation")
	xsdString     = quad.IRI(xsd + "string")
	rdfLangString = quad.IRI(rdf + "langString")
)

func sh(local string) quad.IRI { return quad.IRI(SH + local) }

// Graph is an in-memory triple index (graph labels are ignored: SHACL
// validates one graph, and innograph validates the union it is given).
type Graph struct {
	out  map[quad.Value]map[quad.Value][]quad.Value // subject -> predicate -> objects
	in   map[quad.Value]map[quad.Value][]quad.Value // object -> predicate -> subjects
	seen map[[3]quad.Value]bool
}

// NewGraph indexes qs, dropping duplicate triples.
func NewGraph(qs []quad.Quad) *Graph {
	g := &Graph{out: map[quad.Value]map[quad.Value][]quad.Value{}, in: map[quad.Value]map[quad.Value][]quad.Value{}, seen: map[[3]quad.Value]bool{}}
	for _, q := range qs {
		g.Add(q.Subject, q.Predicate, q.Object)
	}
	return g
}

// Add adds one triple.
func (g *Graph) Add(s, p, o quad.Value) {
	k := [3]quad.Value{s, p, o}
	if g.seen[k] {
		return
	}
	g.seen[k] = true
	add := func(m map[quad.Value]map[quad.Value][]quad.Value, a, b quad.Value) {
		if m[a] == nil {
			m[a] = map[quad.Value][]quad.Value{}
		}
		m[a][p] = append(m[a][p], b)
	}
	add(g.out, s, o)
	add(g.in, o, s)
}

// Objects returns the objects of s's p triples.
func (g *Graph) Objects(s, p quad.Value) []quad.Value { return g.out[s][p] }

// Subjects returns the subjects of triples with predicate p and object o.
func (g *Graph) Subjects(p, o quad.Value) []quad.Value { return g.in[o][p] }

func (g *Graph) one(s, p quad.Value) quad.Value {
	if vs := g.out[s][p]; len(vs) > 0 {
		return vs[0]
	}
	return nil
}

// nodes returns every subject and object, in a stable order.
func (g *Graph) nodes() []quad.Value {
	seen := map[quad.Value]bool{}
	var out []quad.Value
	for n := range g.out {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for n := range g.in {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// maxList bounds the RDF lists the validator reads.
const maxList = 100000

// list reads an RDF list starting at head.
func (g *Graph) list(head quad.Value) []quad.Value {
	out, _ := g.wellFormedList(head)
	return out
}

// wellFormedList reads an RDF list, reporting whether it is well formed:
// each node has one rdf:first and one rdf:rest, it ends with rdf:nil and
// has no cycle.
func (g *Graph) wellFormedList(head quad.Value) ([]quad.Value, bool) {
	var out []quad.Value
	seen := map[quad.Value]bool{}
	for head != rdfNil {
		if head == nil || seen[head] || len(out) >= maxList {
			return out, false
		}
		seen[head] = true
		firsts, rests := g.out[head][rdfFirst], g.out[head][rdfRest]
		if len(firsts) != 1 || len(rests) != 1 {
			return out, false
		}
		out = append(out, firsts[0])
		head = rests[0]
	}
	return out, true
}

// Result is one validation result: the focus node, the path (the sh:path
// node of a property shape, or the predicate of a sh:closed result; nil
// on a node shape), the offending value (nil when the problem is a
// count), the constraint component, the shape, its severity and message.
type Result struct {
	Focus     quad.Value
	Path      quad.Value
	Value     quad.Value
	Component quad.IRI // e.g. sh:MinCountConstraintComponent
	Shape     quad.Value
	Severity  quad.IRI
	Message   string
	path      *path
}

// PathText writes the result path: the IRI of a predicate path, SPARQL
// property path syntax for the others, "" for none.
func (r Result) PathText() string {
	switch {
	case r.path != nil && r.path.kind != pathPredicate:
		return r.path.String()
	case r.path != nil:
		return string(r.path.iri)
	case r.Path != nil:
		return lexical(r.Path)
	}
	return ""
}

// String describes the result in one line: focus, path, value, component
// and message.
func (r Result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v", r.Focus)
	if p := r.PathText(); p != "" {
		fmt.Fprintf(&b, " %s", p)
	}
	if r.Value != nil {
		fmt.Fprintf(&b, " = %v", r.Value)
	}
	fmt.Fprintf(&b, ": %s", strings.TrimPrefix(string(r.Component), SH))
	if r.Message != "" {
		fmt.Fprintf(&b, " (%s)", r.Message)
	}
	return b.String()
}

// Report is the outcome of a validation.
type Report struct {
	Conforms bool
	Results  []Result
}

// Shapes is a shapes graph ready to validate data graphs: its shapes
// found, their paths and patterns compiled and their parameters checked
// when New reads it.
type Shapes struct {
	g        *Graph
	patterns map[quad.Value]*regexp.Regexp // by shape
	paths    map[quad.Value]*path          // by property shape
	targeted []quad.Value                  // shapes with targets, in order
}

// parameters are the SHACL Core parameters a shape may have: targets,
// constraint parameters and the non-validating properties. Any other
// property in the sh: namespace on a shape (sh:sparql, sh:rule,
// sh:target...) makes New fail.
var parameters = map[string]bool{
	"targetClass": true, "targetNode": true, "targetObjectsOf": true, "targetSubjectsOf": true,
	"property": true, "path": true, "class": true, "datatype": true, "nodeKind": true,
	"minCount": true, "maxCount": true, "minExclusive": true, "minInclusive": true, "maxExclusive": true,
	"maxInclusive": true, "minLength": true, "maxLength": true, "pattern": true, "flags": true,
	"languageIn": true, "uniqueLang": true, "equals": true, "disjoint": true, "lessThan": true,
	"lessThanOrEquals": true, "not": true, "and": true, "or": true, "xone": true, "node": true,
	"qualifiedValueShape": true, "qualifiedMinCount": true, "qualifiedMaxCount": true,
	"qualifiedValueShapesDisjoint": true, "closed": true, "ignoredProperties": true, "hasValue": true,
	"in": true, "deactivated": true, "severity": true, "message": true,
	"name": true, "description": true, "order": true, "group": true, "defaultValue": true,
}

// New reads a shapes graph. It fails, naming the shape, when a shape uses
// a parameter outside SHACL Core (SHACL-SPARQL, SHACL Advanced Features)
// or a malformed one: a path that is not a SHACL path, a count that is not
// a non-negative integer, a list that is not a list, an invalid pattern.
// A validator that silently ignored such a shape would accept data the
// shape means to refuse.
func New(shapes []quad.Quad) (*Shapes, error) {
	s := &Shapes{g: NewGraph(shapes), patterns: map[quad.Value]*regexp.Regexp{}, paths: map[quad.Value]*path{}}
	g := s.g
	shapeSet := map[quad.Value]bool{}
	add := func(n quad.Value) {
		if n != nil && !isLiteral(n) {
			shapeSet[n] = true
		}
	}
	targetPreds := []quad.IRI{sh("targetClass"), sh("targetNode"), sh("targetSubjectsOf"), sh("targetObjectsOf")}
	for subj, preds := range g.out {
		for _, p := range targetPreds {
			if len(preds[p]) > 0 {
				add(subj)
			}
		}
		for _, t := range preds[rdfType] {
			if t == shNodeShape || t == shPropShape {
				add(subj)
			}
		}
		if len(preds[sh("path")]) > 0 {
			add(subj)
		}
		for _, p := range []quad.IRI{sh("node"), sh("property"), sh("not"), sh("qualifiedValueShape")} {
			for _, o := range preds[p] {
				add(o)
			}
		}
		for _, p := range []quad.IRI{sh("and"), sh("or"), sh("xone")} {
			for _, l := range preds[p] {
				items, ok := g.wellFormedList(l)
				if !ok {
					return nil, fmt.Errorf("shacl: shape %v: %s is not a well-formed list", subj, p)
				}
				for _, it := range items {
					add(it)
				}
			}
		}
	}
	var nodes []quad.Value
	for n := range shapeSet {
		nodes = append(nodes, n)
	}
	sort.Slice(nodes, func(i, j int) bool { return nodes[i].String() < nodes[j].String() })
	for _, n := range nodes {
		if err := s.check(n); err != nil {
			return nil, err
		}
		hasTarget := false
		for _, p := range targetPreds {
			if len(g.out[n][p]) > 0 {
				hasTarget = true
			}
		}
		if s.isType(n, rdfsClass) && (s.isType(n, shNodeShape) || s.isType(n, shPropShape)) {
			hasTarget = true // an implicit class target
		}
		if hasTarget {
			s.targeted = append(s.targeted, n)
		}
	}
	return s, nil
}

// check validates the parameters of shape n and compiles its path and
// pattern.
func (s *Shapes) check(n quad.Value) error {
	g := s.g
	var preds []string
	for p := range g.out[n] {
		if iri, ok := p.(quad.IRI); ok && strings.HasPrefix(string(iri), SH) {
			preds = append(preds, strings.TrimPrefix(string(iri), SH))
		}
	}
	sort.Strings(preds)
	for _, local := range preds {
		if !parameters[local] {
			return fmt.Errorf("shacl: shape %v uses sh:%s, which is not SHACL Core and which this validator does not implement", n, local)
		}
		vals := g.out[n][sh(local)]
		switch local {
		case "path":
			if len(vals) != 1 {
				return fmt.Errorf("shacl: shape %v has %d sh:path values, want one", n, len(vals))
			}
			p, err := compilePath(g, vals[0], 0)
			if err != nil {
				return fmt.Errorf("shacl: shape %v: %w", n, err)
			}
			s.paths[n] = p
		case "minCount", "maxCount", "minLength", "maxLength", "qualifiedMinCount", "qualifiedMaxCount":
			for _, v := range vals {
				if c, ok := integer(v); !ok || c < 0 {
					return fmt.Errorf("shacl: shape %v: sh:%s %v is not a non-negative integer", n, local, v)
				}
			}
		case "in", "languageIn", "ignoredProperties":
			for _, v := range vals {
				if _, ok := g.wellFormedList(v); !ok {
					return fmt.Errorf("shacl: shape %v: sh:%s is not a well-formed list", n, local)
				}
			}
		case "equals", "disjoint", "lessThan", "lessThanOrEquals":
			for _, v := range vals {
				if _, ok := v.(quad.IRI); !ok {
					return fmt.Errorf("shacl: shape %v: sh:%s %v is not an IRI", n, local, v)
				}
			}
		case "pattern":
			if len(vals) != 1 || len(g.out[n][sh("flags")]) > 1 {
				return fmt.Errorf("shacl: shape %v: several sh:pattern or sh:flags values on one shape", n)
			}
			re, err := compilePattern(lexical(vals[0]), lexical(g.one(n, sh("flags"))))
			if err != nil {
				return fmt.Errorf("shacl: shape %v: %w", n, err)
			}
			s.patterns[n] = re
		}
	}
	return nil
}

// compilePattern turns an XPath regular expression with flags into a Go
// one: i, s and m as in Go, x drops white space, q quotes the pattern.
func compilePattern(pat, flags string) (*regexp.Regexp, error) {
	goFlags := ""
	for _, f := range flags {
		switch f {
		case 'i', 's', 'm':
			goFlags += string(f)
		case 'x':
			pat = strings.Map(func(r rune) rune {
				if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
					return -1
				}
				return r
			}, pat)
		case 'q':
			pat = regexp.QuoteMeta(pat)
		default:
			return nil, fmt.Errorf("sh:flags %q: unknown flag %q", flags, f)
		}
	}
	src := pat
	if goFlags != "" {
		src = "(?" + goFlags + ")" + pat
	}
	re, err := regexp.Compile(src)
	if err != nil {
		return nil, fmt.Errorf("sh:pattern %q: %w", pat, err)
	}
	return re, nil
}

func (s *Shapes) isType(n quad.Value, t quad.Value) bool {
	for _, c := range s.g.Objects(n, rdfType) {
		if c == t {
			return true
		}
	}
	return false
}

func (s *Shapes) deactivated(shape quad.Value) bool {
	return lexical(s.g.one(shape, sh("deactivated"))) == "true"
}

// FormatPath writes the property path at node p of graph g in SPARQL
// property path syntax (the bare IRI for a predicate path); a node that
// is no path is written as it is.
func FormatPath(g *Graph, p quad.Value) string {
	cp, err := compilePath(g, p, 0)
	if err != nil {
		return lexical(p)
	}
	if cp.kind == pathPredicate {
		return string(cp.iri)
	}
	return cp.String()
}

// Validate checks data against every shape. When focus is non-nil, only
// focus nodes it accepts are validated (innograph validates the entities a
// write touches, not the whole store).
func (s *Shapes) Validate(data *Graph, focus func(quad.Value) bool) Report {
	v := &validation{s: s, data: data, active: map[[2]quad.Value]bool{}, conform: map[[2]quad.Value]bool{}}
	for _, shape := range s.targeted {
		if s.deactivated(shape) {
			continue
		}
		for _, f := range v.targets(shape) {
			if focus != nil && !focus(f) {
				continue
			}
			v.results = append(v.results, v.shape(shape, f, 0)...)
		}
	}
	sort.SliceStable(v.results, func(i, j int) bool { return v.results[i].String() < v.results[j].String() })
	return Report{Conforms: len(v.results) == 0, Results: v.results}
}

type validation struct {
	s       *Shapes
	data    *Graph
	results []Result
	// active holds the (shape, focus) pairs being validated, so a shape
	// that refers to itself (SHACL leaves recursion undefined) is taken
	// as conforming instead of recursing forever; conform caches whether
	// a value conforms to a shape, which keeps sh:or/sh:node fan-out linear.
	active  map[[2]quad.Value]bool
	conform map[[2]quad.Value]bool
}

// conforms reports whether val conforms to shape.
func (v *validation) conforms(shape, val quad.Value, depth int) bool {
	k := [2]quad.Value{shape, val}
	if c, ok := v.conform[k]; ok {
		return c
	}
	c := len(v.shape(shape, val, depth+1)) == 0
	v.conform[k] = c
	return c
}

// targets returns the focus nodes of shape in the data graph.
func (v *validation) targets(shape quad.Value) []quad.Value {
	seen := map[quad.Value]bool{}
	var out []quad.Value
	add := func(n quad.Value) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	g := v.s.g
	classes := g.Objects(shape, sh("targetClass"))
	if v.s.isType(shape, rdfsClass) {
		classes = append(classes, shape)
	}
	for _, c := range classes {
		for _, sub := range v.subclasses(c) {
			for _, n := range v.data.Subjects(rdfType, sub) {
				add(n)
			}
		}
	}
	for _, n := range g.Objects(shape, sh("targetNode")) {
		add(n)
	}
	for _, p := range g.Objects(shape, sh("targetSubjectsOf")) {
		for subj, preds := range v.data.out {
			if len(preds[p]) > 0 {
				add(subj)
			}
		}
	}
	for _, p := range g.Objects(shape, sh("targetObjectsOf")) {
		for obj, preds := range v.data.in {
			if len(preds[p]) > 0 {
				add(obj)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// subclasses returns c and every class below it in the data graph.
func (v *validation) subclasses(c quad.Value) []quad.Value {
	out := []quad.Value{c}
	seen := map[quad.Value]bool{c: true}
	for i := 0; i < len(out); i++ {
		for _, sub := range v.data.Subjects(rdfsSubClass, out[i]) {
			if !seen[sub] {
				seen[sub] = true
				out = append(out, sub)
			}
		}
	}
	return out
}

// instanceOf reports whether n is a SHACL instance of class c.
func (v *validation) instanceOf(n, c quad.Value) bool {
	seen := map[quad.Value]bool{}
	queue := append([]quad.Value(nil), v.data.Objects(n, rdfType)...)
	for len(queue) > 0 {
		t := queue[0]
		queue = queue[1:]
		if t == c {
			return true
		}
		if seen[t] {
			continue
		}
		seen[t] = true
		queue = append(queue, v.data.Objects(t, rdfsSubClass)...)
	}
	return false
}

// maxDepth bounds shape recursion (sh:node cycles are allowed by SHACL but
// their result is undefined; we stop).
const maxDepth = 32

// shape validates focus node f against shape and returns the results.
func (v *validation) shape(shape, f quad.Value, depth int) []Result {
	key := [2]quad.Value{shape, f}
	if depth > maxDepth || v.active[key] || v.s.deactivated(shape) {
		return nil
	}
	v.active[key] = true
	defer delete(v.active, key)
	g := v.s.g
	p := v.s.paths[shape]
	var values []quad.Value
	if p != nil {
		values = p.eval(v.data, f)
	} else {
		values = []quad.Value{f}
	}
	c := &check{v: v, shape: shape, focus: f, path: p, values: values, depth: depth, sev: shViolation}
	if sev, ok := g.one(shape, sh("severity")).(quad.IRI); ok {
		c.sev = sev
	}
	c.msg = lexical(g.one(shape, sh("message")))
	if p != nil {
		c.pathNode = g.one(shape, sh("path"))
	}
	c.run()
	return c.out
}

// check is the evaluation of one shape at one focus node.
type check struct {
	v        *validation
	shape    quad.Value
	focus    quad.Value
	path     *path
	pathNode quad.Value
	values   []quad.Value
	depth    int
	sev      quad.IRI
	msg      string
	out      []Result
}

func (c *check) fail(comp string, val quad.Value) {
	c.out = append(c.out, Result{Focus: c.focus, Path: c.pathNode, path: c.path, Value: val,
		Component: sh(comp + "ConstraintComponent"), Shape: c.shape, Severity: c.sev, Message: c.msg})
}

func (c *check) params(local string) []quad.Value { return c.v.s.g.Objects(c.shape, sh(local)) }

// comparisons are the constraint components that compare each value node
// with a bound, as SPARQL's operators do.
var comparisons = []struct {
	local, comp string
	good        func(int) bool
}{
	{"minExclusive", "MinExclusive", func(x int) bool { return x > 0 }},
	{"minInclusive", "MinInclusive", func(x int) bool { return x >= 0 }},
	{"maxExclusive", "MaxExclusive", func(x int) bool { return x < 0 }},
	{"maxInclusive", "MaxInclusive", func(x int) bool { return x <= 0 }},
}

// pairComparisons compare each value node with each value of a property
// of the focus node.
var pairComparisons = []struct {
	local, comp string
	good        func(int) bool
}{
	{"lessThan", "LessThan", func(x int) bool { return x < 0 }},
	{"lessThanOrEquals", "LessThanOrEquals", func(x int) bool { return x <= 0 }},
}

// run evaluates every constraint component of the shape.
func (c *check) run() {
	g, v := c.v.s.g, c.v
	for _, cls := range c.params("class") {
		for _, val := range c.values {
			if isLiteral(val) || !v.instanceOf(val, cls) {
				c.fail("Class", val)
			}
		}
	}
	for _, dt := range c.params("datatype") {
		for _, val := range c.values {
			if !hasDatatype(val, dt) {
				c.fail("Datatype", val)
			}
		}
	}
	for _, kind := range c.params("nodeKind") {
		for _, val := range c.values {
			if !nodeKindOK(val, kind) {
				c.fail("NodeKind", val)
			}
		}
	}
	if c.path != nil {
		for _, p := range c.params("minCount") {
			if n, ok := integer(p); ok && int64(len(c.values)) < n {
				c.fail("MinCount", nil)
			}
		}
		for _, p := range c.params("maxCount") {
			if n, ok := integer(p); ok && int64(len(c.values)) > n {
				c.fail("MaxCount", nil)
			}
		}
	}
	for _, b := range comparisons {
		for _, bound := range c.params(b.local) {
			for _, val := range c.values {
				if x, ok := compareValues(val, bound); !ok || !b.good(x) {
					c.fail(b.comp, val)
				}
			}
		}
	}
	for _, local := range []string{"minLength", "maxLength"} {
		for _, p := range c.params(local) {
			n, _ := integer(p)
			for _, val := range c.values {
				l := int64(len([]rune(lexical(val))))
				if _, bnode := val.(quad.BNode); bnode || local == "minLength" && l < n || local == "maxLength" && l > n {
					c.fail(strings.ToUpper(local[:1])+local[1:], val)
				}
			}
		}
	}
	if re := v.s.patterns[c.shape]; re != nil {
		for _, val := range c.values {
			if _, bnode := val.(quad.BNode); bnode || !re.MatchString(lexical(val)) {
				c.fail("Pattern", val)
			}
		}
	}
	for _, l := range c.params("languageIn") {
		langs := g.list(l)
		for _, val := range c.values {
			ls, ok := val.(quad.LangString)
			good := false
			for _, r := range langs {
				if ok && langMatches(ls.Lang, lexical(r)) {
					good = true
				}
			}
			if !good {
				c.fail("LanguageIn", val)
			}
		}
	}
	if c.path != nil {
		for _, p := range c.params("uniqueLang") {
			if lexical(p) != "true" {
				continue
			}
			count := map[string]int{}
			for _, val := range c.values {
				if ls, ok := val.(quad.LangString); ok && ls.Lang != "" {
					count[strings.ToLower(ls.Lang)]++
				}
			}
			for _, n := range count {
				if n > 1 {
					c.fail("UniqueLang", nil)
				}
			}
		}
	}
	for _, p := range c.params("equals") {
		other := v.data.Objects(c.focus, p)
		for _, val := range c.values {
			if !contains(other, val) {
				c.fail("Equals", val)
			}
		}
		for _, o := range other {
			if !contains(c.values, o) {
				c.fail("Equals", o)
			}
		}
	}
	for _, p := range c.params("disjoint") {
		other := v.data.Objects(c.focus, p)
		for _, val := range c.values {
			if contains(other, val) {
				c.fail("Disjoint", val)
			}
		}
	}
	if c.path != nil {
		for _, b := range pairComparisons {
			for _, p := range c.params(b.local) {
				others := v.data.Objects(c.focus, p)
				for _, val := range c.values {
					for _, o := range others {
						if x, ok := compareValues(val, o); !ok || !b.good(x) {
							c.fail(b.comp, val)
						}
					}
				}
			}
		}
	}
	for _, p := range c.params("not") {
		for _, val := range c.values {
			if v.conforms(p, val, c.depth) {
				c.fail("Not", val)
			}
		}
	}
	for _, kind := range []string{"and", "or", "xone"} {
		for _, l := range c.params(kind) {
			members := g.list(l)
			for _, val := range c.values {
				n := 0
				for _, m := range members {
					if v.conforms(m, val, c.depth) {
						n++
					}
				}
				switch {
				case kind == "and" && n < len(members):
					c.fail("And", val)
				case kind == "or" && n == 0:
					c.fail("Or", val)
				case kind == "xone" && n != 1:
					c.fail("Xone", val)
				}
			}
		}
	}
	for _, p := range c.params("node") {
		for _, val := range c.values {
			if !v.conforms(p, val, c.depth) {
				c.fail("Node", val)
			}
		}
	}
	// sh:property applies to each value node: the focus node itself for a
	// node shape, the values of the path for a property shape.
	for _, ps := range c.params("property") {
		for _, val := range c.values {
			c.out = append(c.out, v.shape(ps, val, c.depth+1)...)
		}
	}
	if c.path != nil {
		c.qualified()
	}
	for _, p := range c.params("closed") {
		if lexical(p) == "true" {
			c.closed()
		}
	}
	for _, p := range c.params("hasValue") {
		if !contains(c.values, p) {
			c.fail("HasValue", nil)
		}
	}
	for _, l := range c.params("in") {
		allowed := g.list(l)
		for _, val := range c.values {
			if !contains(allowed, val) {
				c.fail("In", val)
			}
		}
	}
}

// qualified evaluates sh:qualifiedValueShape with its counts.
func (c *check) qualified() {
	g, v := c.v.s.g, c.v
	disjoint := lexical(g.one(c.shape, sh("qualifiedValueShapesDisjoint"))) == "true"
	for _, q := range c.params("qualifiedValueShape") {
		var siblings []quad.Value
		if disjoint {
			for _, parent := range g.Subjects(sh("property"), c.shape) {
				for _, sib := range g.Objects(parent, sh("property")) {
					if sib == c.shape {
						continue
					}
					siblings = append(siblings, g.Objects(sib, sh("qualifiedValueShape"))...)
				}
			}
		}
		n := int64(0)
		for _, val := range c.values {
			if !v.conforms(q, val, c.depth) {
				continue
			}
			clash := false
			for _, s := range siblings {
				if s != q && v.conforms(s, val, c.depth) {
					clash = true
					break
				}
			}
			if !clash {
				n++
			}
		}
		for _, p := range c.params("qualifiedMinCount") {
			if m, ok := integer(p); ok && n < m {
				c.fail("QualifiedMinCount", nil)
			}
		}
		for _, p := range c.params("qualifiedMaxCount") {
			if m, ok := integer(p); ok && n > m {
				c.fail("QualifiedMaxCount", nil)
			}
		}
	}
}

// closed evaluates sh:closed: a result for each triple of a value node
// whose predicate is neither a property shape's path nor ignored.
func (c *check) closed() {
	g, v := c.v.s.g, c.v
	allowed := map[quad.Value]bool{}
	for _, ps := range c.params("property") {
		if p, ok := g.one(ps, sh("path")).(quad.IRI); ok {
			allowed[p] = true
		}
	}
	for _, ig := range c.params("ignoredProperties") {
		for _, p := range g.list(ig) {
			allowed[p] = true
		}
	}
	for _, val := range c.values {
		preds := make([]quad.Value, 0, len(v.data.out[val]))
		for p := range v.data.out[val] {
			preds = append(preds, p)
		}
		sort.Slice(preds, func(i, j int) bool { return preds[i].String() < preds[j].String() })
		for _, p := range preds {
			if allowed[p] {
				continue
			}
			for _, o := range v.data.out[val][p] {
				c.out = append(c.out, Result{Focus: val, Path: p, Value: o, Component: sh("ClosedConstraintComponent"),
					Shape: c.shape, Severity: c.sev, Message: c.msg})
			}
		}
	}
}

func contains(vs []quad.Value, x quad.Value) bool {
	for _, v := range vs {
		if v == x {
			return true
		}
	}
	return false
}

// lexical is the lexical form of a literal, the IRI text of an IRI.
func lexical(v quad.Value) string {
	switch t := v.(type) {
	case nil:
		return ""
	case quad.String:
		return string(t)
	case quad.LangString:
		return string(t.Value)
	case quad.TypedString:
		return string(t.Value)
	case quad.IRI:
		return string(t)
	case quad.BNode:
		return string(t)
	}
	return v.String()
}

// integer reads an integer literal.
func integer(v quad.Value) (int64, bool) {
	if !isLiteral(v) {
		return 0, false
	}
	n, ok := parseNumber(xsd+"integer", strings.TrimSpace(lexical(v)))
	if !ok || n.r == nil || !n.r.IsInt() || !n.r.Num().IsInt64() {
		return 0, false
	}
	return n.r.Num().Int64(), true
}

func datatypeOf(v quad.Value) (quad.IRI, bool) {
	switch t := v.(type) {
	case quad.String:
		return xsdString, true
	case quad.LangString:
		return rdfLangString, true
	case quad.TypedString:
		return t.Type, true
	}
	return "", false
}

func isLiteral(v quad.Value) bool {
	_, ok := datatypeOf(v)
	return ok
}

func nodeKindOK(v, kind quad.Value) bool {
	_, iri := v.(quad.IRI)
	_, bnode := v.(quad.BNode)
	lit := isLiteral(v)
	switch kind {
	case sh("IRI"):
		return iri
	case sh("BlankNode"):
		return bnode
	case sh("Literal"):
		return lit
	case sh("BlankNodeOrIRI"):
		return iri || bnode
	case sh("BlankNodeOrLiteral"):
		return bnode || lit
	case sh("IRIOrLiteral"):
		return iri || lit
	}
	return false
}

// hasDatatype reports whether v is a literal of datatype dt with a lexical
// form valid for it (an ill-formed literal does not have its datatype).
func hasDatatype(v, dt quad.Value) bool {
	got, ok := datatypeOf(v)
	if !ok || got != dt {
		return false
	}
	return wellFormed(string(got), lexical(v))
}

// langMatches is RFC 4647 basic filtering, as sh:languageIn uses.
func langMatches(tag, rng string) bool {
	tag, rng = strings.ToLower(tag), strings.ToLower(rng)
	if rng == "*" {
		return tag != ""
	}
	return tag == rng || strings.HasPrefix(tag, rng+"-")
}
