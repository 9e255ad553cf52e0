package rdfio

import (
	"fmt"
	"io"
	"strings"

	"github.com/cayleygraph/quad"
)

// Grammar of Turtle 1.1 and TriG 1.1 (recursive descent, one statement per
// call of statement).

// subject kinds: what may follow a subject.
const (
	subjPlain = iota // IRI, labelled or anonymous blank node: may name a TriG graph
	subjBPL          // "[ p o ]": the predicate-object list is optional
	subjList         // "( ... )": needs a predicate-object list
)

// statement parses one directive, triples statement, or TriG graph opening
// or closing, queueing its quads. It returns io.EOF at the end of the
// document.
func (p *turtleReader) statement() error {
	in := &p.in
	p.ws()
	p.stmtLine, p.stmtCol = in.line, in.col
	c := in.peek()
	if p.inBlock {
		switch c {
		case -1:
			return in.unexpected("'}'")
		case '}':
			in.skip()
			p.inBlock, p.graph = false, p.defGraph
			return nil
		}
		s, kind, kw, err := p.subject()
		if err != nil {
			return err
		}
		if kw != "" {
			return in.errAt("unexpected %q inside a graph", kw)
		}
		if err := p.triplesRest(s, kind); err != nil {
			return err
		}
		p.ws()
		switch in.peek() {
		case '.':
			in.skip()
			return nil
		case '}':
			return nil
		}
		return in.unexpected("'.' or '}'")
	}
	switch {
	case c < 0:
		return io.EOF
	case c == '@':
		return p.atDirective()
	case c == '{' && p.syn == synTriG:
		in.skip()
		p.inBlock, p.graph = true, p.defGraph
		return nil
	}
	line, col := in.line, in.col
	s, kind, kw, err := p.subject()
	if err != nil {
		return err
	}
	switch {
	case kw == "":
	case strings.EqualFold(kw, "PREFIX"):
		return p.prefixDirective(false)
	case strings.EqualFold(kw, "BASE"):
		return p.baseDirective(false)
	case strings.EqualFold(kw, "GRAPH") && p.syn == synTriG:
		p.ws()
		g, err := p.graphLabel()
		if err != nil {
			return err
		}
		p.ws()
		if in.peek() != '{' {
			return in.unexpected("'{'")
		}
		in.skip()
		p.inBlock, p.graph = true, g
		return nil
	default:
		return &SyntaxError{Line: line, Col: col, Msg: "unexpected keyword " + kw}
	}
	if p.syn == synTriG && kind == subjPlain {
		p.ws()
		if in.peek() == '{' {
			in.skip()
			p.inBlock, p.graph = true, s
			return nil
		}
	}
	if err := p.triplesRest(s, kind); err != nil {
		return err
	}
	p.ws()
	if in.peek() != '.' {
		return in.unexpected("'.'")
	}
	in.skip()
	return nil
}

// triplesRest parses the predicate-object list after a subject.
func (p *turtleReader) triplesRest(s quad.Value, kind int) error {
	p.ws()
	if kind == subjBPL {
		switch p.in.peek() {
		case '.', '}':
			return nil
		}
	}
	return p.predicateObjectList(s)
}

// subject parses a subject. A bare word that is not a prefixed name is
// returned in kw (the caller decides whether it is a keyword).
func (p *turtleReader) subject() (s quad.Value, kind int, kw string, err error) {
	in := &p.in
	switch c := in.peek(); c {
	case '<':
		s, err = p.iri("subject")
		return s, subjPlain, "", err
	case '_':
		s, err = p.bnodeLabel()
		return s, subjPlain, "", err
	case '[':
		var props bool
		s, props, err = p.bracket()
		if props {
			kind = subjBPL
		}
		return s, kind, "", err
	case '(':
		s, err = p.collection()
		return s, subjList, "", err
	}
	if !p.wordStart() {
		return nil, 0, "", in.unexpected("subject")
	}
	iri, kw, err := p.word()
	if err != nil || kw != "" {
		return nil, 0, kw, err
	}
	return iri, subjPlain, "", nil
}

// graphLabel parses the label after the GRAPH keyword.
func (p *turtleReader) graphLabel() (quad.Value, error) {
	in := &p.in
	switch in.peek() {
	case '_':
		return p.bnodeLabel()
	case '[':
		in.skip()
		p.ws()
		if in.peek() != ']' {
			return nil, in.unexpected("']'")
		}
		in.skip()
		return p.fresh(), nil
	}
	return p.iri("graph label")
}

func (p *turtleReader) predicateObjectList(s quad.Value) error {
	in := &p.in
	for {
		pr, err := p.verb()
		if err != nil {
			return err
		}
		p.ws()
		if err := p.objectList(s, pr); err != nil {
			return err
		}
		p.ws()
		if in.peek() != ';' {
			return nil
		}
		for in.peek() == ';' {
			in.skip()
			p.ws()
		}
		switch in.peek() {
		case '.', ']', '}', -1:
			return nil
		}
	}
}

func (p *turtleReader) verb() (quad.Value, error) {
	in := &p.in
	if in.peek() == '<' {
		return p.iri("predicate")
	}
	if !p.wordStart() {
		return nil, in.unexpected("predicate")
	}
	line, col := in.line, in.col
	iri, kw, err := p.word()
	switch {
	case err != nil:
		return nil, err
	case kw == "a":
		return ttlRDFType, nil
	case kw != "":
		return nil, &SyntaxError{Line: line, Col: col, Msg: "unexpected " + kw + ", expected predicate"}
	}
	return iri, nil
}

func (p *turtleReader) objectList(s, pr quad.Value) error {
	in := &p.in
	for {
		o, err := p.object()
		if err != nil {
			return err
		}
		p.emit(s, pr, o)
		p.ws()
		if in.peek() != ',' {
			return nil
		}
		in.skip()
		p.ws()
	}
}

func (p *turtleReader) object() (quad.Value, error) {
	in := &p.in
	c := in.peek()
	switch {
	case c == '<':
		return p.iri("object")
	case c == '_':
		return p.bnodeLabel()
	case c == '[':
		b, _, err := p.bracket()
		return b, err
	case c == '(':
		return p.collection()
	case c == '"' || c == '\'':
		long := in.peekAt(1) == c && in.peekAt(2) == c
		if long {
			in.skipN(3)
		} else {
			in.skip()
		}
		return p.literalRest(byte(c), long)
	case c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.' && ttlDigitAt(in, 1):
		return p.number()
	case p.wordStart():
		line, col := in.line, in.col
		iri, kw, err := p.word()
		switch {
		case err != nil:
			return nil, err
		case kw == "true" || kw == "false":
			return quad.TypedString{Value: quad.String(kw), Type: ttlXSDBoolean}, nil
		case kw != "":
			return nil, &SyntaxError{Line: line, Col: col, Msg: "unexpected " + kw + ", expected object"}
		}
		return iri, nil
	}
	return nil, in.unexpected("object")
}

func ttlDigitAt(in *ttlInput, i int) bool {
	c := in.peekAt(i)
	return c >= '0' && c <= '9'
}

// bracket parses "[]" or a blank node property list; props reports the
// latter.
func (p *turtleReader) bracket() (b quad.BNode, props bool, err error) {
	in := &p.in
	if p.depth++; p.depth > ttlMaxDepth {
		return "", false, in.errAt("nesting deeper than %d", ttlMaxDepth)
	}
	defer func() { p.depth-- }()
	in.skip() // '['
	p.ws()
	b = p.fresh()
	if in.peek() == ']' {
		in.skip()
		return b, false, nil
	}
	if err := p.predicateObjectList(b); err != nil {
		return "", false, err
	}
	p.ws()
	if in.peek() != ']' {
		return "", false, in.unexpected("']'")
	}
	in.skip()
	return b, true, nil
}

// collection parses "( ... )" into an rdf:first/rdf:rest list.
func (p *turtleReader) collection() (quad.Value, error) {
	in := &p.in
	if p.depth++; p.depth > ttlMaxDepth {
		return nil, in.errAt("nesting deeper than %d", ttlMaxDepth)
	}
	defer func() { p.depth-- }()
	in.skip() // '('
	p.ws()
	if in.peek() == ')' {
		in.skip()
		return ttlRDFNil, nil
	}
	head := p.fresh()
	cur := head
	for {
		o, err := p.object()
		if err != nil {
			return nil, err
		}
		p.emit(cur, ttlRDFFirst, o)
		p.ws()
		if in.peek() == ')' {
			in.skip()
			p.emit(cur, ttlRDFRest, ttlRDFNil)
			return head, nil
		}
		next := p.fresh()
		p.emit(cur, ttlRDFRest, next)
		cur = next
	}
}

// number parses an INTEGER, DECIMAL or DOUBLE, keeping its lexical form.
func (p *turtleReader) number() (quad.Value, error) {
	in := &p.in
	sb := p.sb[:0]
	defer func() { p.sb = sb }()
	digits := func() int {
		n := 0
		for c := in.peek(); c >= '0' && c <= '9'; c = in.peek() {
			sb = append(sb, byte(c))
			in.skip()
			n++
		}
		return n
	}
	if c := in.peek(); c == '+' || c == '-' {
		sb = append(sb, byte(c))
		in.skip()
	}
	dt := ttlXSDInteger
	n := digits()
	if in.peek() == '.' {
		switch e := in.peekAt(1); {
		case e >= '0' && e <= '9':
			sb = append(sb, '.')
			in.skip()
			n += digits()
			dt = ttlXSDDecimal
		case n > 0 && (e == 'e' || e == 'E') && (ttlDigitAt(in, 2) || (in.peekAt(2) == '+' || in.peekAt(2) == '-') && ttlDigitAt(in, 3)):
			sb = append(sb, '.')
			in.skip()
		}
	}
	if n == 0 {
		return nil, in.unexpected("digit")
	}
	if c := in.peek(); c == 'e' || c == 'E' {
		sb = append(sb, byte(c))
		in.skip()
		if c := in.peek(); c == '+' || c == '-' {
			sb = append(sb, byte(c))
			in.skip()
		}
		if digits() == 0 {
			return nil, in.unexpected("exponent digits")
		}
		dt = ttlXSDDouble
	}
	return quad.TypedString{Value: quad.String(sb), Type: dt}, nil
}

// wordStart reports whether a prefixed name or keyword starts here.
func (p *turtleReader) wordStart() bool {
	r, _ := p.in.peekRuneAt(0)
	return r == ':' || ttlPNCharsBase(r)
}

// word reads a prefixed name and expands it, or a bare word (a keyword
// candidate) returned in kw.
func (p *turtleReader) word() (iri quad.IRI, kw string, err error) {
	in := &p.in
	line, col := in.line, in.col
	sb := p.sb[:0]
	defer func() { p.sb = sb }()
	if r, size := in.peekRuneAt(0); r != ':' {
		sb = append(sb, in.buf[in.pos:in.pos+size]...)
		in.skipN(size)
		if sb, err = p.nameTail(sb, false); err != nil {
			return "", "", err
		}
	}
	if in.peek() != ':' {
		return "", string(sb), nil
	}
	ns, ok := p.prefixes[string(sb)]
	if !ok {
		return "", "", &SyntaxError{Line: line, Col: col, Msg: "undefined prefix " + string(sb) + ":"}
	}
	in.skip()
	sb = append(sb[:0], ns...)
	// The first character of a local name may not be '-', '.' or a
	// combining mark.
	if r, _ := in.peekRuneAt(0); ttlPNCharsU(r) || r >= '0' && r <= '9' || r == ':' || r == '%' || r == '\\' {
		if sb, err = p.nameTail(sb, true); err != nil {
			return "", "", err
		}
	}
	return quad.IRI(sb), "", nil
}

// iri parses an IRIREF (resolved against the base) or a prefixed name.
func (p *turtleReader) iri(what string) (quad.Value, error) {
	in := &p.in
	if in.peek() == '<' {
		s, err := p.iriRef()
		if err != nil {
			return nil, err
		}
		return quad.IRI(ResolveIRI(p.base, s)), nil
	}
	if !p.wordStart() {
		return nil, in.unexpected(what)
	}
	line, col := in.line, in.col
	iri, kw, err := p.word()
	if err != nil {
		return nil, err
	}
	if kw != "" {
		return nil, &SyntaxError{Line: line, Col: col, Msg: "unexpected " + kw + ", expected " + what}
	}
	return iri, nil
}

// atDirective parses "@prefix" or "@base", which end with '.'.
func (p *turtleReader) atDirective() error {
	in := &p.in
	line, col := in.line, in.col
	in.skip() // '@'
	var kw []byte
	for c := in.peek(); c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'; c = in.peek() {
		kw = append(kw, byte(c))
		in.skip()
	}
	switch string(kw) {
	case "prefix":
		return p.prefixDirective(true)
	case "base":
		return p.baseDirective(true)
	}
	return &SyntaxError{Line: line, Col: col, Msg: "unknown directive @" + string(kw)}
}

func (p *turtleReader) prefixDirective(dot bool) error {
	in := &p.in
	p.ws()
	var name []byte
	if r, size := in.peekRuneAt(0); r != ':' {
		if !ttlPNCharsBase(r) {
			return in.unexpected("prefix name")
		}
		name = append(name, in.buf[in.pos:in.pos+size]...)
		in.skipN(size)
		var err error
		if name, err = p.nameTail(name, false); err != nil {
			return err
		}
	}
	if in.peek() != ':' {
		return in.unexpected("':'")
	}
	in.skip()
	p.ws()
	if in.peek() != '<' {
		return in.unexpected("namespace IRI")
	}
	ns, err := p.iri("namespace IRI")
	if err != nil {
		return err
	}
	if _, redeclared := p.prefixes[string(name)]; !redeclared && p.maxPrefixes > 0 && len(p.prefixes) >= p.maxPrefixes {
		return &LimitError{Limit: "prefixes", Max: int64(p.maxPrefixes), Line: p.stmtLine, Col: p.stmtCol,
			Msg: fmt.Sprintf("more than %d prefix declarations", p.maxPrefixes)}
	}
	p.prefixes[string(name)] = string(ns.(quad.IRI))
	return p.directiveEnd(dot)
}

func (p *turtleReader) baseDirective(dot bool) error {
	in := &p.in
	p.ws()
	if in.peek() != '<' {
		return in.unexpected("base IRI")
	}
	b, err := p.iri("base IRI")
	if err != nil {
		return err
	}
	p.base = string(b.(quad.IRI))
	return p.directiveEnd(dot)
}

func (p *turtleReader) directiveEnd(dot bool) error {
	if !dot {
		return nil
	}
	p.ws()
	if p.in.peek() != '.' {
		return p.in.unexpected("'.'")
	}
	p.in.skip()
	return nil
}
