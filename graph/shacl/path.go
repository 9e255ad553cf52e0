package shacl

import (
	"fmt"
	"strings"

	"github.com/cayleygraph/quad"
)

// pathKind is the kind of a SHACL property path.
type pathKind int

const (
	pathPredicate pathKind = iota
	pathInverse
	pathSequence
	pathAlternative
	pathZeroOrMore
	pathOneOrMore
	pathZeroOrOne
)

// path is a compiled SHACL property path (SHACL 2.3.1).
type path struct {
	kind pathKind
	iri  quad.IRI // pathPredicate
	subs []*path  // the operands
}

// maxPathDepth bounds the nesting of a path expression.
const maxPathDepth = 64

// compilePath reads the path expression at node p of the shapes graph.
func compilePath(g *Graph, p quad.Value, depth int) (*path, error) {
	if depth > maxPathDepth {
		return nil, fmt.Errorf("shacl: property path nested more than %d levels at %v", maxPathDepth, p)
	}
	switch t := p.(type) {
	case quad.IRI:
		return &path{kind: pathPredicate, iri: t}, nil
	case quad.BNode:
	default:
		return nil, fmt.Errorf("shacl: property path %v is a literal", p)
	}
	if g.one(p, rdfFirst) != nil {
		items, ok := g.wellFormedList(p)
		if !ok || len(items) < 2 {
			return nil, fmt.Errorf("shacl: sequence path %v is not a list of two or more paths", p)
		}
		return compileSubs(g, pathSequence, items, depth)
	}
	unary := map[quad.IRI]pathKind{sh("inversePath"): pathInverse, sh("zeroOrMorePath"): pathZeroOrMore,
		sh("oneOrMorePath"): pathOneOrMore, sh("zeroOrOnePath"): pathZeroOrOne}
	var found []*path
	for pred, kind := range unary {
		if o := g.one(p, pred); o != nil {
			sub, err := compilePath(g, o, depth+1)
			if err != nil {
				return nil, err
			}
			found = append(found, &path{kind: kind, subs: []*path{sub}})
		}
	}
	if alt := g.one(p, sh("alternativePath")); alt != nil {
		items, ok := g.wellFormedList(alt)
		if !ok || len(items) < 2 {
			return nil, fmt.Errorf("shacl: sh:alternativePath of %v is not a list of two or more paths", p)
		}
		a, err := compileSubs(g, pathAlternative, items, depth)
		if err != nil {
			return nil, err
		}
		found = append(found, a)
	}
	if len(found) != 1 {
		return nil, fmt.Errorf("shacl: %v is not a SHACL property path", p)
	}
	return found[0], nil
}

func compileSubs(g *Graph, kind pathKind, items []quad.Value, depth int) (*path, error) {
	out := &path{kind: kind}
	for _, it := range items {
		sub, err := compilePath(g, it, depth+1)
		if err != nil {
			return nil, err
		}
		out.subs = append(out.subs, sub)
	}
	return out, nil
}

// eval returns the value nodes reached from f, without duplicates, in
// first-reached order.
func (p *path) eval(data *Graph, f quad.Value) []quad.Value {
	var out []quad.Value
	seen := map[quad.Value]bool{}
	p.walk(data, f, func(v quad.Value) {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	})
	return out
}

func (p *path) walk(data *Graph, f quad.Value, emit func(quad.Value)) {
	switch p.kind {
	case pathPredicate:
		for _, o := range data.Objects(f, p.iri) {
			emit(o)
		}
	case pathInverse:
		if sp := p.subs[0]; sp.kind == pathPredicate {
			for _, s := range data.Subjects(sp.iri, f) {
				emit(s)
			}
			return
		}
		// The inverse of a complex path: every node from which the path
		// reaches f.
		for _, n := range data.nodes() {
			for _, v := range p.subs[0].eval(data, n) {
				if v == f {
					emit(n)
					break
				}
			}
		}
	case pathSequence:
		cur := []quad.Value{f}
		for _, sp := range p.subs {
			var next []quad.Value
			seen := map[quad.Value]bool{}
			for _, n := range cur {
				sp.walk(data, n, func(v quad.Value) {
					if !seen[v] {
						seen[v] = true
						next = append(next, v)
					}
				})
			}
			cur = next
		}
		for _, v := range cur {
			emit(v)
		}
	case pathAlternative:
		for _, sp := range p.subs {
			sp.walk(data, f, emit)
		}
	case pathZeroOrOne:
		emit(f)
		p.subs[0].walk(data, f, emit)
	case pathZeroOrMore, pathOneOrMore:
		seen := map[quad.Value]bool{}
		queue := []quad.Value{f}
		if p.kind == pathZeroOrMore {
			seen[f] = true
			emit(f)
		}
		for len(queue) > 0 {
			n := queue[0]
			queue = queue[1:]
			p.subs[0].walk(data, n, func(v quad.Value) {
				if !seen[v] {
					seen[v] = true
					emit(v)
					queue = append(queue, v)
				}
			})
		}
	}
}

// String writes the path in SPARQL property path syntax.
func (p *path) String() string {
	switch p.kind {
	case pathPredicate:
		return "<" + string(p.iri) + ">"
	case pathInverse:
		return "^" + p.subs[0].group()
	case pathSequence, pathAlternative:
		sep := "/"
		if p.kind == pathAlternative {
			sep = "|"
		}
		parts := make([]string, len(p.subs))
		for i, s := range p.subs {
			parts[i] = s.group()
		}
		return strings.Join(parts, sep)
	case pathZeroOrMore:
		return p.subs[0].group() + "*"
	case pathOneOrMore:
		return p.subs[0].group() + "+"
	}
	return p.subs[0].group() + "?"
}

func (p *path) group() string {
	if p.kind == pathPredicate {
		return p.String()
	}
	return "(" + p.String() + ")"
}
