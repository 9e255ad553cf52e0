package parse

import (
	"strconv"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/sparql/algebra"
)

// ptriple is a parsed triple before translation: blank nodes are still
// quad.BNode values, and Path is set when the verb is a property path
// other than a single IRI.
type ptriple struct {
	s, p, o algebra.Term
	path    algebra.Path
}

// join builds Join(l, r), dropping the empty BGP (the identity of join).
func join(l, r algebra.Op) algebra.Op {
	if isEmptyBGP(l) {
		return r
	}
	if isEmptyBGP(r) {
		return l
	}
	return &algebra.Join{L: l, R: r}
}

func isEmptyBGP(op algebra.Op) bool {
	b, ok := op.(*algebra.BGP)
	return ok && len(b.Triples) == 0
}

// conj folds expressions into one with &&.
func conj(es []algebra.Expr) algebra.Expr {
	e := es[0]
	for _, x := range es[1:] {
		e = &algebra.Call{Func: algebra.FuncAnd, Args: []algebra.Expr{e, x}}
	}
	return e
}

// groupGraphPattern parses GroupGraphPattern and translates it as section
// 18.2.2.6 of the spec says.
func (p *parser) groupGraphPattern() algebra.Op {
	g, filters := p.groupParts()
	if len(filters) > 0 {
		g = &algebra.Filter{Expr: conj(filters), Op: g}
	}
	return g
}

// groupParts parses a group, returning its pattern and its own filters
// apart (OPTIONAL turns the filters of its group, and only those, into
// the condition of the left join).
func (p *parser) groupParts() (algebra.Op, []algebra.Expr) {
	p.enter()
	defer p.leave()
	p.expectPunct("{")
	if p.isWord("SELECT") {
		op := p.subSelect()
		p.expectPunct("}")
		return op, nil
	}
	p.block++
	var g algebra.Op = &algebra.BGP{}
	var filters []algebra.Expr
	afterTriples := false
	for !p.isPunct("}") {
		if p.startsTriple() {
			if afterTriples {
				p.failTok("expected '.' between triples, found %s", p.tok)
			}
			g = join(g, p.patternOp(p.triplesBlock()))
			afterTriples = true
			continue
		}
		afterTriples = false
		filter := false
		switch {
		case p.isWord("OPTIONAL"):
			p.advance()
			a, fs := p.groupParts()
			lj := &algebra.LeftJoin{L: g, R: a}
			if len(fs) > 0 {
				lj.Expr = conj(fs)
			}
			g = lj
		case p.isWord("MINUS"):
			p.advance()
			g = &algebra.Minus{L: g, R: p.groupGraphPattern()}
		case p.isWord("GRAPH"):
			p.advance()
			name := p.varOrIRI()
			g = join(g, &algebra.Graph{Name: name, Op: p.groupGraphPattern()})
		case p.isWord("SERVICE"):
			p.advance()
			silent := p.acceptWord("SILENT")
			name := p.varOrIRI()
			g = join(g, &algebra.Service{Name: name, Op: p.groupGraphPattern(), Silent: silent})
		case p.isWord("FILTER"):
			p.advance()
			e, ok := p.constraint()
			if !ok {
				p.failTok("expected a constraint after FILTER, found %s", p.tok)
			}
			filters = append(filters, e)
			filter = true
		case p.isWord("BIND"):
			p.advance()
			p.expectPunct("(")
			e := p.expression()
			p.expectWord("AS")
			if p.tok.kind != tVar {
				p.failTok("expected a variable after AS, found %s", p.tok)
			}
			v := algebra.Var(p.tok.val)
			if algebra.InScope(g).Maybe[v] {
				p.failTok("BIND to ?%s, which is already in scope", v)
			}
			p.advance()
			p.expectPunct(")")
			g = &algebra.Extend{Op: g, Var: v, Expr: e}
		case p.isWord("VALUES"):
			p.advance()
			g = join(g, p.dataBlock())
		case p.isPunct("{"):
			a := p.groupGraphPattern()
			for p.acceptWord("UNION") {
				a = &algebra.Union{L: a, R: p.groupGraphPattern()}
			}
			g = join(g, a)
		default:
			p.failTok("unexpected %s in a group graph pattern", p.tok)
		}
		if !filter {
			p.block++
		}
		p.acceptPunct(".")
	}
	p.advance()
	return g, filters
}

// startsTriple reports whether the current token can start a triple.
func (p *parser) startsTriple() bool {
	switch p.tok.kind {
	case tVar, tIRI, tPName, tBNode, tAnon, tNil, tString, tInteger, tDecimal, tDouble:
		return true
	case tPunct:
		return p.tok.val == "(" || p.tok.val == "["
	case tWord:
		return isBoolWord(p.tok.val)
	}
	return false
}

// triplesBlock parses TriplesBlock (paths allowed).
func (p *parser) triplesBlock() []ptriple {
	var ts []ptriple
	for {
		ts = p.triplesSameSubject(ts, true)
		if !p.acceptPunct(".") || !p.startsTriple() {
			return ts
		}
	}
}

// triplesTemplate parses TriplesTemplate (no paths).
func (p *parser) triplesTemplate() []ptriple {
	var ts []ptriple
	for {
		if !p.startsTriple() {
			p.failTok("expected a triple, found %s", p.tok)
		}
		ts = p.triplesSameSubject(ts, false)
		if !p.acceptPunct(".") || !p.startsTriple() {
			return ts
		}
	}
}

// triplesSameSubject parses TriplesSameSubject (or its Path variant),
// appending the triples to ts.
func (p *parser) triplesSameSubject(ts []ptriple, paths bool) []ptriple {
	if p.isPunct("[") || p.isPunct("(") {
		var s algebra.Term
		s, ts = p.triplesNode(ts, paths)
		if p.startsVerb(paths) {
			ts = p.propertyList(s, ts, paths)
		}
		return ts
	}
	s := p.varOrTerm()
	if !p.startsVerb(paths) {
		p.failTok("expected a predicate, found %s", p.tok)
	}
	return p.propertyList(s, ts, paths)
}

func (p *parser) startsVerb(paths bool) bool {
	switch p.tok.kind {
	case tVar, tIRI, tPName:
		return true
	case tWord:
		return p.tok.val == "a"
	case tPunct:
		return paths && (p.tok.val == "^" || p.tok.val == "!" || p.tok.val == "(")
	}
	return false
}

// propertyList parses PropertyListNotEmpty (or its Path variant) for
// subject s.
func (p *parser) propertyList(s algebra.Term, ts []ptriple, paths bool) []ptriple {
	for {
		var verb algebra.Term
		var path algebra.Path
		switch {
		case p.tok.kind == tVar:
			if p.noVars {
				p.failTok("variables are not allowed in quad data")
			}
			verb = algebra.V(algebra.Var(p.tok.val))
			p.advance()
		case paths:
			path = p.path()
			if l, ok := path.(*algebra.PathLink); ok {
				verb, path = algebra.C(l.IRI), nil
			}
		case p.tok.kind == tWord && p.tok.val == "a":
			p.advance()
			verb = algebra.C(rdfType)
		default:
			verb = algebra.C(p.iri())
		}
		for {
			var o algebra.Term
			o, ts = p.graphNode(ts, paths)
			ts = append(ts, ptriple{s: s, p: verb, o: o, path: path})
			if !p.acceptPunct(",") {
				break
			}
		}
		if !p.acceptPunct(";") {
			return ts
		}
		for p.acceptPunct(";") {
		}
		if !p.startsVerb(paths) {
			return ts
		}
	}
}

// graphNode parses GraphNode (or GraphNodePath).
func (p *parser) graphNode(ts []ptriple, paths bool) (algebra.Term, []ptriple) {
	if p.isPunct("[") || p.isPunct("(") {
		return p.triplesNode(ts, paths)
	}
	return p.varOrTerm(), ts
}

func (p *parser) newBNode() algebra.Term {
	if p.noBNodes {
		p.failTok("%s", p.bnodeMsg)
	}
	p.fresh++
	return algebra.C(quad.BNode(anonPrefix + strconv.Itoa(p.fresh)))
}

// triplesNode parses a collection or a blank node property list.
func (p *parser) triplesNode(ts []ptriple, paths bool) (algebra.Term, []ptriple) {
	p.enter()
	defer p.leave()
	if p.acceptPunct("[") {
		b := p.newBNode()
		if !p.startsVerb(paths) {
			p.failTok("expected a predicate in '[ ]', found %s", p.tok)
		}
		ts = p.propertyList(b, ts, paths)
		p.expectPunct("]")
		return b, ts
	}
	p.expectPunct("(")
	var items []algebra.Term
	for !p.isPunct(")") {
		var o algebra.Term
		o, ts = p.graphNode(ts, paths)
		items = append(items, o)
	}
	p.advance()
	if len(items) == 0 {
		p.failTok("a collection needs at least one member")
	}
	head := p.newBNode()
	cur := head
	for i, it := range items {
		ts = append(ts, ptriple{s: cur, p: algebra.C(rdfFirst), o: it})
		next := algebra.C(rdfNil)
		if i < len(items)-1 {
			next = p.newBNode()
		}
		ts = append(ts, ptriple{s: cur, p: algebra.C(rdfRest), o: next})
		cur = next
	}
	return head, ts
}

// varOrTerm parses VarOrTerm.
func (p *parser) varOrTerm() algebra.Term {
	switch p.tok.kind {
	case tVar:
		if p.noVars {
			p.failTok("variables are not allowed in quad data")
		}
		v := algebra.Var(p.tok.val)
		p.advance()
		return algebra.V(v)
	case tIRI, tPName:
		return algebra.C(p.iri())
	case tBNode:
		if p.noBNodes {
			p.failTok("%s", p.bnodeMsg)
		}
		label := p.tok.val
		switch {
		case !p.inTemplate:
			if b, ok := p.labelBlock[label]; ok && b != p.block {
				p.failTok("blank node label _:%s is used in two basic graph patterns", label)
			}
			p.labelBlock[label] = p.block
		case p.updateOp > 0 && p.noVars:
			// Quad data: a label names one blank node of the request.
			if op, ok := p.labelOp[label]; ok && op != p.updateOp {
				p.failTok("blank node label _:%s is used in two operations of the request", label)
			}
			p.labelOp[label] = p.updateOp
		}
		p.advance()
		return algebra.C(quad.BNode(label))
	case tAnon:
		b := p.newBNode()
		p.advance()
		return b
	case tNil:
		p.advance()
		return algebra.C(rdfNil)
	}
	if v, ok := p.literal(); ok {
		return algebra.C(v)
	}
	p.failTok("expected an RDF term or variable, found %s", p.tok)
	return algebra.Term{}
}

// path parses Path ::= PathAlternative.
func (p *parser) path() algebra.Path {
	p.enter()
	defer p.leave()
	l := p.pathSequence()
	for p.acceptPunct("|") {
		l = &algebra.PathAlt{L: l, R: p.pathSequence()}
	}
	return l
}

func (p *parser) pathSequence() algebra.Path {
	l := p.pathEltOrInverse()
	for p.acceptPunct("/") {
		l = &algebra.PathSeq{L: l, R: p.pathEltOrInverse()}
	}
	return l
}

func (p *parser) pathEltOrInverse() algebra.Path {
	if p.acceptPunct("^") {
		return &algebra.PathInv{P: p.pathElt()}
	}
	return p.pathElt()
}

func (p *parser) pathElt() algebra.Path {
	prim := p.pathPrimary()
	switch {
	case p.acceptPunct("?"):
		return &algebra.PathZeroOrOne{P: prim}
	case p.acceptPunct("*"):
		return &algebra.PathZeroOrMore{P: prim}
	case p.isPunct("+"):
		p.advance()
		return &algebra.PathOneOrMore{P: prim}
	}
	return prim
}

func (p *parser) pathPrimary() algebra.Path {
	switch {
	case p.tok.kind == tWord && p.tok.val == "a":
		p.advance()
		return &algebra.PathLink{IRI: rdfType}
	case p.isIRI():
		return &algebra.PathLink{IRI: p.iri()}
	case p.acceptPunct("!"):
		neg := &algebra.PathNeg{}
		one := func() {
			inv := p.acceptPunct("^")
			var iri quad.IRI
			if p.tok.kind == tWord && p.tok.val == "a" {
				p.advance()
				iri = rdfType
			} else {
				iri = p.iri()
			}
			if inv {
				neg.Inv = append(neg.Inv, iri)
			} else {
				neg.Fwd = append(neg.Fwd, iri)
			}
		}
		switch {
		case p.tok.kind == tNil:
			p.advance()
		case p.acceptPunct("("):
			one()
			for p.acceptPunct("|") {
				one()
			}
			p.expectPunct(")")
		default:
			one()
		}
		return neg
	case p.acceptPunct("("):
		inner := p.path()
		p.expectPunct(")")
		return inner
	}
	p.failTok("expected a property path, found %s", p.tok)
	return nil
}

// templateTriples turns parsed triples into template triples, blank nodes
// kept.
func (p *parser) templateTriples(ts []ptriple) []algebra.Triple {
	out := make([]algebra.Triple, 0, len(ts))
	for _, t := range ts {
		out = append(out, algebra.Triple{S: t.s, P: t.p, O: t.o})
	}
	return out
}

// patternTerm turns a blank node of a pattern into its hidden variable.
func patternTerm(t algebra.Term) algebra.Term {
	if b, ok := t.Value.(quad.BNode); ok {
		return algebra.V(algebra.Var(bnodeVarPref + string(b)))
	}
	return t
}

// patternOp translates parsed triples into a pattern (section 18.2.2.4):
// blank nodes become variables, sequences and inverses of links become
// triple patterns joined through fresh variables, alternatives become
// unions, and what is left (repetitions, negated sets) path patterns.
func (p *parser) patternOp(ts []ptriple) algebra.Op {
	bgp := &algebra.BGP{}
	var others []algebra.Op
	for _, t := range ts {
		s, o := patternTerm(t.s), patternTerm(t.o)
		if t.path == nil {
			bgp.Triples = append(bgp.Triples, algebra.Triple{S: s, P: t.p, O: o})
			continue
		}
		others = p.translatePath(s, t.path, o, bgp, others)
	}
	var op algebra.Op = bgp
	for _, x := range others {
		op = join(op, x)
	}
	return op
}

func (p *parser) translatePath(s algebra.Term, path algebra.Path, o algebra.Term, bgp *algebra.BGP, others []algebra.Op) []algebra.Op {
	switch path := path.(type) {
	case *algebra.PathLink:
		bgp.Triples = append(bgp.Triples, algebra.Triple{S: s, P: algebra.C(path.IRI), O: o})
		return others
	case *algebra.PathInv:
		switch inner := path.P.(type) {
		case *algebra.PathLink, *algebra.PathSeq, *algebra.PathAlt, *algebra.PathInv:
			return p.translatePath(o, inner, s, bgp, others)
		}
	case *algebra.PathSeq:
		v := algebra.V(p.freshVar("path"))
		others = p.translatePath(s, path.L, v, bgp, others)
		return p.translatePath(v, path.R, o, bgp, others)
	case *algebra.PathAlt:
		l := &algebra.BGP{}
		lo := p.translatePath(s, path.L, o, l, nil)
		r := &algebra.BGP{}
		ro := p.translatePath(s, path.R, o, r, nil)
		var lop, rop algebra.Op = l, r
		for _, x := range lo {
			lop = join(lop, x)
		}
		for _, x := range ro {
			rop = join(rop, x)
		}
		return append(others, &algebra.Union{L: lop, R: rop})
	}
	return append(others, &algebra.PathPattern{S: s, Path: path, O: o})
}
