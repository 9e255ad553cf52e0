package shacl

import (
	"fmt"
	"math/big"
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

// list reads an RDF list starting at head.
func (g *Graph) list(head quad.Value) []quad.Value {
	var out []quad.Value
	for i := 0; head != nil && head != rdfNil && i < 100000; i++ {
		if f := g.one(head, rdfFirst); f != nil {
			out = append(out, f)
		}
		head = g.one(head, rdfRest)
	}
	return out
}

// Result is one violation: the focus node, the path (a predicate IRI, or
// nil on a node shape), the offending value (nil when the problem is a
// count), the constraint component and the shape.
type Result struct {
	Focus     quad.Value
	Path      quad.Value
	Value     quad.Value
	Component quad.IRI // e.g. sh:MinCountConstraintComponent
	Shape     quad.Value
	Severity  quad.IRI
	Message   string
}

// String describes the result in one line: focus, path, value, component
// and message.
func (r Result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v", r.Focus)
	if r.Path != nil {
		fmt.Fprintf(&b, " %v", r.Path)
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

// Shapes is a shapes graph ready to validate data graphs. Shapes are read
// from the graph as validation goes; Shapes only caches compiled patterns.
type Shapes struct {
	g        *Graph
	patterns map[string]*regexp.Regexp
	// Unsupported lists the constraint parameters of the shapes graph this
	// validator does not implement (they are ignored), e.g. sh:sparql.
	Unsupported []string
}

// supported are the SHACL Core parameters the validator implements.
var supported = map[string]bool{
	"targetClass": true, "targetNode": true, "targetSubjectsOf": true, "targetObjectsOf": true,
	"property": true, "path": true, "inversePath": true, "class": true, "datatype": true, "nodeKind": true,
	"minCount": true, "maxCount": true, "minInclusive": true, "maxInclusive": true, "minExclusive": true,
	"maxExclusive": true, "minLength": true, "maxLength": true, "pattern": true, "flags": true,
	"languageIn": true, "in": true, "hasValue": true, "node": true, "or": true, "and": true, "not": true,
	"xone": true, "message": true, "severity": true, "deactivated": true, "name": true, "description": true,
	"order": true, "group": true, "defaultValue": true, "closed": true, "ignoredProperties": true,
	"uniqueLang": true, "equals": true, "disjoint": true,
}

// New reads a shapes graph. It fails on a malformed sh:pattern.
func New(shapes []quad.Quad) (*Shapes, error) {
	s := &Shapes{g: NewGraph(shapes), patterns: map[string]*regexp.Regexp{}}
	unsup := map[string]bool{}
	for _, q := range shapes {
		p, ok := q.Predicate.(quad.IRI)
		if !ok || !strings.HasPrefix(string(p), SH) {
			continue
		}
		local := strings.TrimPrefix(string(p), SH)
		if !supported[local] {
			unsup["sh:"+local] = true
		}
		if local == "pattern" {
			if _, err := s.regexp(s.g, q.Subject); err != nil {
				return nil, err
			}
		}
	}
	for k := range unsup {
		s.Unsupported = append(s.Unsupported, k)
	}
	sort.Strings(s.Unsupported)
	return s, nil
}

// regexp compiles the sh:pattern (with sh:flags) of shape.
func (s *Shapes) regexp(g *Graph, shape quad.Value) (*regexp.Regexp, error) {
	pat := lexical(g.one(shape, sh("pattern")))
	flags := lexical(g.one(shape, sh("flags")))
	key := flags + "/" + pat
	if re, ok := s.patterns[key]; ok {
		return re, nil
	}
	goFlags := ""
	for _, f := range flags {
		switch f {
		case 'i', 's', 'm':
			goFlags += string(f)
		}
	}
	src := pat
	if goFlags != "" {
		src = "(?" + goFlags + ")" + pat
	}
	re, err := regexp.Compile(src)
	if err != nil {
		return nil, fmt.Errorf("shacl: shape %v: sh:pattern %q: %w", shape, pat, err)
	}
	s.patterns[key] = re
	return re, nil
}

// Validate checks data against every shape. When focus is non-nil, only
// focus nodes it accepts are validated (innograph validates the entities a
// write touches, not the whole store).
func (s *Shapes) Validate(data *Graph, focus func(quad.Value) bool) Report {
	v := &validation{s: s, data: data, active: map[[2]quad.Value]bool{}, conform: map[[2]quad.Value]bool{}}
	for _, shape := range s.shapeNodes() {
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

// shapeNodes are the nodes with targets, in a stable order.
func (s *Shapes) shapeNodes() []quad.Value {
	seen := map[quad.Value]bool{}
	var out []quad.Value
	for _, t := range []string{"targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf"} {
		for _, subj := range s.subjectsWith(sh(t)) {
			if !seen[subj] {
				seen[subj] = true
				out = append(out, subj)
			}
		}
	}
	// Implicit class targets: a shape that is also an rdfs:Class.
	for _, subj := range s.g.Subjects(rdfType, rdfsClass) {
		if !seen[subj] && (s.isType(subj, shNodeShape) || s.isType(subj, shPropShape)) {
			seen[subj] = true
			out = append(out, subj)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

func (s *Shapes) subjectsWith(p quad.IRI) []quad.Value {
	var out []quad.Value
	for subj, preds := range s.g.out {
		if len(preds[p]) > 0 {
			out = append(out, subj)
		}
	}
	return out
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
	if g.one(shape, rdfType) != nil && v.s.isType(shape, rdfsClass) {
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
	path := g.one(shape, sh("path"))
	var values []quad.Value
	if path != nil {
		values = v.pathValues(f, path)
	} else {
		values = []quad.Value{f}
	}
	sev := shViolation
	if s, ok := g.one(shape, sh("severity")).(quad.IRI); ok {
		sev = s
	}
	msg := lexical(g.one(shape, sh("message")))
	var out []Result
	fail := func(comp string, val quad.Value) {
		r := Result{Focus: f, Value: val, Component: sh(comp + "ConstraintComponent"), Shape: shape, Severity: sev, Message: msg}
		if path != nil {
			r.Path = path
		}
		out = append(out, r)
	}
	for pred, objs := range g.out[shape] {
		p, ok := pred.(quad.IRI)
		if !ok || !strings.HasPrefix(string(p), SH) {
			continue
		}
		local := strings.TrimPrefix(string(p), SH)
		for _, param := range objs {
			v.constraint(local, param, shape, f, path, values, fail, depth, &out)
		}
	}
	return out
}

// constraint evaluates one constraint parameter over the value nodes.
func (v *validation) constraint(local string, param, shape, f, path quad.Value, values []quad.Value, fail func(string, quad.Value), depth int, out *[]Result) {
	g := v.s.g
	switch local {
	case "property":
		*out = append(*out, v.shape(param, f, depth+1)...)
	case "class":
		for _, val := range values {
			if !v.instanceOf(val, param) {
				fail("Class", val)
			}
		}
	case "datatype":
		for _, val := range values {
			if !hasDatatype(val, param) {
				fail("Datatype", val)
			}
		}
	case "nodeKind":
		for _, val := range values {
			if !nodeKindOK(val, param) {
				fail("NodeKind", val)
			}
		}
	case "minCount":
		if n, ok := integer(param); ok && int64(len(values)) < n {
			fail("MinCount", nil)
		}
	case "maxCount":
		if n, ok := integer(param); ok && int64(len(values)) > n {
			fail("MaxCount", nil)
		}
	case "minInclusive", "maxInclusive", "minExclusive", "maxExclusive":
		comp := strings.ToUpper(local[:1]) + local[1:]
		for _, val := range values {
			c, ok := compare(val, param)
			good := ok
			if ok {
				switch local {
				case "minInclusive":
					good = c >= 0
				case "maxInclusive":
					good = c <= 0
				case "minExclusive":
					good = c > 0
				case "maxExclusive":
					good = c < 0
				}
			}
			if !good {
				fail(comp, val)
			}
		}
	case "minLength", "maxLength":
		n, ok := integer(param)
		if !ok {
			return
		}
		for _, val := range values {
			if _, bnode := val.(quad.BNode); bnode {
				fail(strings.ToUpper(local[:1])+local[1:], val)
				continue
			}
			l := int64(len([]rune(lexical(val))))
			if (local == "minLength" && l < n) || (local == "maxLength" && l > n) {
				fail(strings.ToUpper(local[:1])+local[1:], val)
			}
		}
	case "pattern":
		re, err := v.s.regexp(g, shape)
		if err != nil {
			return
		}
		for _, val := range values {
			if _, bnode := val.(quad.BNode); bnode || !re.MatchString(lexical(val)) {
				fail("Pattern", val)
			}
		}
	case "languageIn":
		langs := g.list(param)
		for _, val := range values {
			ls, ok := val.(quad.LangString)
			good := false
			for _, l := range langs {
				if ok && langMatches(ls.Lang, lexical(l)) {
					good = true
				}
			}
			if !good {
				fail("LanguageIn", val)
			}
		}
	case "uniqueLang":
		if lexical(param) != "true" {
			return
		}
		count := map[string]int{}
		for _, val := range values {
			if ls, ok := val.(quad.LangString); ok && ls.Lang != "" {
				count[strings.ToLower(ls.Lang)]++
			}
		}
		langs := make([]string, 0, len(count))
		for l, n := range count {
			if n > 1 {
				langs = append(langs, l)
			}
		}
		sort.Strings(langs)
		for range langs {
			fail("UniqueLang", nil)
		}
	case "in":
		allowed := g.list(param)
		for _, val := range values {
			good := false
			for _, a := range allowed {
				if a == val {
					good = true
				}
			}
			if !good {
				fail("In", val)
			}
		}
	case "hasValue":
		found := false
		for _, val := range values {
			if val == param {
				found = true
			}
		}
		if !found {
			fail("HasValue", nil)
		}
	case "node":
		for _, val := range values {
			if !v.conforms(param, val, depth) {
				fail("Node", val)
			}
		}
	case "not":
		for _, val := range values {
			if v.conforms(param, val, depth) {
				fail("Not", val)
			}
		}
	case "and", "or", "xone":
		members := g.list(param)
		for _, val := range values {
			conforming := 0
			for _, m := range members {
				if v.conforms(m, val, depth) {
					conforming++
				}
			}
			switch {
			case local == "and" && conforming < len(members):
				fail("And", val)
			case local == "or" && conforming == 0:
				fail("Or", val)
			case local == "xone" && conforming != 1:
				fail("Xone", val)
			}
		}
	case "equals", "disjoint":
		other := map[quad.Value]bool{}
		for _, o := range v.data.Objects(f, param) {
			other[o] = true
		}
		mine := map[quad.Value]bool{}
		for _, val := range values {
			mine[val] = true
			if local == "equals" && !other[val] {
				fail("Equals", val)
			}
			if local == "disjoint" && other[val] {
				fail("Disjoint", val)
			}
		}
		if local == "equals" {
			for _, o := range v.data.Objects(f, param) {
				if !mine[o] {
					fail("Equals", o)
				}
			}
		}
	case "closed":
		if lexical(param) != "true" || path != nil {
			return
		}
		allowed := map[quad.Value]bool{}
		for _, ps := range g.Objects(shape, sh("property")) {
			if p := g.one(ps, sh("path")); p != nil {
				allowed[p] = true
			}
		}
		for _, ig := range g.Objects(shape, sh("ignoredProperties")) {
			for _, p := range g.list(ig) {
				allowed[p] = true
			}
		}
		preds := make([]quad.Value, 0)
		for p := range v.data.out[f] {
			preds = append(preds, p)
		}
		sort.Slice(preds, func(i, j int) bool { return preds[i].String() < preds[j].String() })
		for _, p := range preds {
			if allowed[p] {
				continue
			}
			for _, o := range v.data.out[f][p] {
				*out = append(*out, Result{Focus: f, Path: p, Value: o, Component: sh("ClosedConstraintComponent"), Shape: shape, Severity: shViolation, Message: lexical(g.one(shape, sh("message")))})
			}
		}
	}
}

// pathValues follows a predicate path or an sh:inversePath.
func (v *validation) pathValues(f, path quad.Value) []quad.Value {
	if _, ok := path.(quad.IRI); ok {
		return dedupe(v.data.Objects(f, path))
	}
	if inv := v.s.g.one(path, sh("inversePath")); inv != nil {
		if _, ok := inv.(quad.IRI); ok {
			return dedupe(v.data.Subjects(inv, f))
		}
	}
	return nil // other path kinds are not supported (see Unsupported)
}

func dedupe(vs []quad.Value) []quad.Value {
	seen := map[quad.Value]bool{}
	var out []quad.Value
	for _, x := range vs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
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

func integer(v quad.Value) (int64, bool) {
	r, ok := new(big.Int).SetString(strings.TrimSpace(lexical(v)), 10)
	if !ok || !r.IsInt64() {
		return 0, false
	}
	return r.Int64(), true
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

// lexicalForms are the XSD datatypes whose lexical space is checked.
var lexicalForms = map[string]*regexp.Regexp{
	xsd + "integer":            regexp.MustCompile(`^[+-]?[0-9]+$`),
	xsd + "int":                regexp.MustCompile(`^[+-]?[0-9]+$`),
	xsd + "long":               regexp.MustCompile(`^[+-]?[0-9]+$`),
	xsd + "nonNegativeInteger": regexp.MustCompile(`^(\+?[0-9]+|-0+)$`),
	xsd + "positiveInteger":    regexp.MustCompile(`^\+?0*[1-9][0-9]*$`),
	xsd + "decimal":            regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`),
	xsd + "double":             regexp.MustCompile(`^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)$`),
	xsd + "float":              regexp.MustCompile(`^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)$`),
	xsd + "boolean":            regexp.MustCompile(`^(true|false|1|0)$`),
	xsd + "date":               regexp.MustCompile(`^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9]{2}:[0-9]{2})?$`),
	xsd + "dateTime":           regexp.MustCompile(`^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-4]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$`),
	xsd + "gYear":              regexp.MustCompile(`^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$`),
	xsd + "gYearMonth":         regexp.MustCompile(`^-?[0-9]{4,}-(0[1-9]|1[0-2])(Z|[+-][0-9]{2}:[0-9]{2})?$`),
}

func wellFormed(dt, lex string) bool {
	re, ok := lexicalForms[dt]
	return !ok || re.MatchString(lex)
}

var numeric = map[quad.IRI]bool{
	xsd + "integer": true, xsd + "decimal": true, xsd + "double": true, xsd + "float": true,
	xsd + "int": true, xsd + "long": true, xsd + "nonNegativeInteger": true, xsd + "positiveInteger": true,
}

// compare orders a value against a bound: numbers numerically, other
// literals of the same datatype by lexical form (dates, years). ok is false
// for incomparable pairs, which SHACL counts as violations.
func compare(val, bound quad.Value) (int, bool) {
	dv, ok1 := datatypeOf(val)
	db, ok2 := datatypeOf(bound)
	if !ok1 || !ok2 {
		return 0, false
	}
	if numeric[dv] && numeric[db] {
		if !wellFormed(string(dv), lexical(val)) {
			return 0, false
		}
		a, okA := new(big.Rat).SetString(lexical(val))
		b, okB := new(big.Rat).SetString(lexical(bound))
		if !okA || !okB {
			return 0, false
		}
		return a.Cmp(b), true
	}
	if dv != db || dv == xsdString || dv == rdfLangString {
		return 0, false
	}
	return strings.Compare(lexical(val), lexical(bound)), true
}

// langMatches is RFC 4647 basic filtering, as sh:languageIn uses.
func langMatches(tag, rng string) bool {
	tag, rng = strings.ToLower(tag), strings.ToLower(rng)
	if rng == "*" {
		return tag != ""
	}
	return tag == rng || strings.HasPrefix(tag, rng+"-")
}
