package rdfio

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
)

// ttlSyntax selects the member of the Turtle family being parsed. The line
// formats are parsed by a separate, stricter grammar (lineQuad).
type ttlSyntax uint8

const (
	synNTriples ttlSyntax = iota
	synNQuads
	synTurtle
	synTriG
)

// IRIs the Turtle grammar produces by itself.
const (
	ttlRDFType    quad.IRI = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	ttlRDFFirst   quad.IRI = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
	ttlRDFRest    quad.IRI = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
	ttlRDFNil     quad.IRI = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"
	ttlXSDString  quad.IRI = "http://www.w3.org/2001/XMLSchema#string"
	ttlXSDInteger quad.IRI = "http://www.w3.org/2001/XMLSchema#integer"
	ttlXSDDecimal quad.IRI = "http://www.w3.org/2001/XMLSchema#decimal"
	ttlXSDDouble  quad.IRI = "http://www.w3.org/2001/XMLSchema#double"
	ttlXSDBoolean quad.IRI = "http://www.w3.org/2001/XMLSchema#boolean"
)

// ttlMaxDepth bounds the nesting of blank node property lists and
// collections, so hostile input cannot exhaust the stack.
const ttlMaxDepth = 512

// turtleReader is the streaming parser for Turtle, TriG, N-Triples and
// N-Quads. It parses one statement at a time (one triple block inside a TriG
// graph) and queues that statement's quads, so memory is bounded by the
// largest statement.
type turtleReader struct {
	in       ttlInput
	syn      ttlSyntax
	base     string
	prefixes map[string]string
	// maxPrefixes, when positive, bounds the distinct prefixes declared
	// (set by ReadAll from Limits.MaxPrefixes).
	maxPrefixes int
	// stmtLine and stmtCol locate the start of the statement last parsed,
	// for errors found in its quads after parsing (see ReadAll).
	stmtLine, stmtCol int

	// Blank nodes: a labelled node becomes bnPrefix+"-"+label (so the same
	// label always gives the same node within the document, with no table to
	// grow), a fresh one bnPrefix+"_"+counter.
	bnPrefix string
	anon     uint64
	keepBN   bool // ReadOptions.KeepBlankNodeLabels

	defGraph, graph quad.Value
	inBlock         bool // inside a TriG "{ ... }"
	depth           int

	queue []quad.Quad
	qi    int
	// shared are the predicates and graph labels of the line formats
	// already read (absIRIShared).
	shared map[string]quad.Value
	err    error  // sticky: the first error, or io.EOF
	sb     []byte // token scratch
}

func newTurtleReader(r io.Reader, syn ttlSyntax, opt ReadOptions) (*turtleReader, error) {
	prefix := opt.BlankNodePrefix
	if prefix == "" {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, fmt.Errorf("blank node prefix: %w", err)
		}
		prefix = "b" + hex.EncodeToString(b[:])
	}
	p := &turtleReader{
		in:       ttlInput{r: r, buf: make([]byte, ttlBufSize), line: 1, col: 1},
		syn:      syn,
		base:     opt.Base,
		bnPrefix: prefix,
		keepBN:   opt.KeepBlankNodeLabels,
		defGraph: opt.Graph,
		graph:    opt.Graph,
	}
	if syn >= synTurtle {
		p.prefixes = make(map[string]string)
	}
	return p, nil
}

// ReadQuad returns the next quad, io.EOF at the end of a well-formed
// document, or the first error (a *SyntaxError, or the wrapped error of the
// underlying reader), again on every later call.
func (p *turtleReader) ReadQuad() (quad.Quad, error) {
	for {
		if p.qi < len(p.queue) {
			q := p.queue[p.qi]
			p.queue[p.qi] = quad.Quad{}
			p.qi++
			return q, nil
		}
		if p.err != nil {
			return quad.Quad{}, p.err
		}
		if p.syn <= synNQuads {
			q, err := p.lineQuad()
			if err != nil {
				p.fail(err)
				return quad.Quad{}, p.err
			}
			return q, nil
		}
		p.queue, p.qi = p.queue[:0], 0
		if err := p.statement(); err != nil {
			p.fail(err)
			p.queue = p.queue[:0]
		}
	}
}

func (p *turtleReader) fail(err error) {
	if err == io.EOF && p.in.rerr != nil && !errors.Is(p.in.rerr, io.EOF) {
		err = fmt.Errorf("read input: %w", p.in.rerr)
	}
	p.err = err
}

func (p *turtleReader) emit(s, pr, o quad.Value) {
	p.queue = append(p.queue, quad.Quad{Subject: s, Predicate: pr, Object: o, Label: p.graph})
}

func (p *turtleReader) fresh() quad.BNode {
	p.anon++
	return quad.BNode(p.bnPrefix + "_" + strconv.FormatUint(p.anon, 10))
}

// ---- N-Triples and N-Quads ----

// inlineSpace skips the blanks allowed between the terms of a line.
func (p *turtleReader) inlineSpace() {
	for c := p.in.peek(); c == ' ' || c == '\t'; c = p.in.peek() {
		p.in.skip()
	}
}

// lineQuad parses one N-Triples or N-Quads statement.
func (p *turtleReader) lineQuad() (quad.Quad, error) {
	in := &p.in
	p.ws()
	p.stmtLine, p.stmtCol = in.line, in.col
	if in.peek() < 0 {
		return quad.Quad{}, io.EOF
	}
	s, err := p.lineNode("subject")
	if err != nil {
		return quad.Quad{}, err
	}
	p.inlineSpace()
	if in.peek() != '<' {
		return quad.Quad{}, in.unexpected("predicate IRI")
	}
	pr, err := p.absIRIShared()
	if err != nil {
		return quad.Quad{}, err
	}
	p.inlineSpace()
	var o quad.Value
	if in.peek() == '"' {
		in.skip()
		o, err = p.literalRest('"', false)
	} else {
		o, err = p.lineNode("object")
	}
	if err != nil {
		return quad.Quad{}, err
	}
	p.inlineSpace()
	g := p.defGraph
	if c := in.peek(); p.syn == synNQuads && c == '<' {
		if g, err = p.absIRIShared(); err != nil {
			return quad.Quad{}, err
		}
		p.inlineSpace()
	} else if p.syn == synNQuads && c == '_' {
		if g, err = p.lineNode("graph label"); err != nil {
			return quad.Quad{}, err
		}
		p.inlineSpace()
	}
	if in.peek() != '.' {
		return quad.Quad{}, in.unexpected("'.'")
	}
	in.skip()
	p.inlineSpace()
	if in.peek() == '#' {
		p.comment()
	}
	if c := in.peek(); c >= 0 && c != '\n' && c != '\r' {
		return quad.Quad{}, in.unexpected("end of line")
	}
	return quad.Quad{Subject: s, Predicate: pr, Object: o, Label: g}, nil
}

// lineNode parses an absolute IRI or a blank node label.
func (p *turtleReader) lineNode(what string) (quad.Value, error) {
	switch p.in.peek() {
	case '<':
		return p.absIRI()
	case '_':
		return p.bnodeLabel()
	}
	return nil, p.in.unexpected(what)
}

// absIRI parses an IRIREF that must be absolute (the line formats have no
// base).
func (p *turtleReader) absIRI() (quad.Value, error) {
	line, col := p.in.line, p.in.col
	s, err := p.iriRef()
	if err != nil {
		return nil, err
	}
	if iriSchemeLen(s) == 0 {
		return nil, &SyntaxError{Line: line, Col: col, Msg: fmt.Sprintf("relative IRI <%s> not allowed", s)}
	}
	return quad.IRI(s), nil
}

// sharedIRIs bounds the IRIs absIRIShared keeps.
const sharedIRIs = 1024

// absIRIShared is absIRI for the predicate and graph label of a line:
// few IRIs, repeated on most lines, so each is made once and shared (a
// string and its quad.Value are two allocations per term otherwise).
func (p *turtleReader) absIRIShared() (quad.Value, error) {
	in := &p.in
	if in.pos+1 < in.end {
		if i := bytes.IndexByte(in.buf[in.pos+1:in.end], '>'); i >= 0 {
			if v, ok := p.shared[string(in.buf[in.pos+1:in.pos+1+i])]; ok {
				in.col += i + 2 // checked when it was first read: ASCII only
				in.pos += i + 2
				return v, nil
			}
		}
	}
	start := in.pos
	v, err := p.absIRI()
	if err != nil {
		return nil, err
	}
	if p.shared == nil {
		p.shared = make(map[string]quad.Value)
	}
	iri := string(v.(quad.IRI))
	if len(p.shared) < sharedIRIs && in.pos-start == len(iri)+2 && isASCII(iri) {
		// Written as is (no escapes) and in ASCII, so its bytes are the
		// IRI and its columns its bytes.
		p.shared[iri] = v
	}
	return v, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// ---- lexical pieces shared by all four syntaxes ----

// ws skips white space and comments.
func (p *turtleReader) ws() {
	in := &p.in
	for {
		switch in.peek() {
		case ' ', '\t', '\n', '\r':
			in.skip()
		case '#':
			p.comment()
		default:
			return
		}
	}
}

func (p *turtleReader) comment() {
	in := &p.in
	for c := in.peek(); c >= 0 && c != '\n' && c != '\r'; c = in.peek() {
		in.skip()
	}
}

// iriRef parses "<...>" and returns its content with escapes decoded,
// unresolved.
func (p *turtleReader) iriRef() (string, error) {
	in := &p.in
	in.skip() // '<'
	for i := in.pos; i < in.end; i++ {
		c := in.buf[i]
		if c == '>' {
			s := string(in.buf[in.pos:i])
			in.col += i - in.pos + 1
			in.pos = i + 1
			return s, nil
		}
		if c >= utf8.RuneSelf || ttlIRIForbidden(rune(c)) {
			break
		}
	}
	sb := p.sb[:0]
	defer func() { p.sb = sb }()
	for {
		c := in.peek()
		switch {
		case c < 0:
			return "", in.errAt("unterminated IRI")
		case c == '>':
			in.skip()
			return string(sb), nil
		case c == '\\':
			line, col := in.line, in.col
			in.skip()
			if c := in.peek(); c != 'u' && c != 'U' {
				return "", in.escErr("invalid escape in IRI, only \\u and \\U are allowed")
			}
			r, err := in.uchar()
			if err != nil {
				return "", err
			}
			if ttlIRIForbidden(r) {
				return "", &SyntaxError{Line: line, Col: col, Msg: fmt.Sprintf("escaped character U+%04X is not allowed in an IRI", r)}
			}
			sb = utf8.AppendRune(sb, r)
		case c < utf8.RuneSelf:
			if ttlIRIForbidden(rune(c)) {
				return "", in.errAt("character %q is not allowed in an IRI", rune(c))
			}
			sb = append(sb, byte(c))
			in.skip()
		default:
			_, b, err := in.readRune()
			if err != nil {
				return "", err
			}
			sb = append(sb, b...)
		}
	}
}

// bnodeLabel parses "_:label" into this document's blank node.
func (p *turtleReader) bnodeLabel() (quad.BNode, error) {
	in := &p.in
	in.skip() // '_'
	if in.peek() != ':' {
		return "", in.unexpected("':' of a blank node label")
	}
	in.skip()
	r, size := in.peekRuneAt(0)
	if !ttlPNCharsU(r) && !(r >= '0' && r <= '9') {
		return "", in.unexpected("blank node label")
	}
	sb := p.sb[:0]
	if !p.keepBN {
		sb = append(sb, p.bnPrefix...)
		sb = append(sb, '-')
	}
	sb = append(sb, in.buf[in.pos:in.pos+size]...)
	in.skipN(size)
	sb, err := p.nameTail(sb, false)
	p.sb = sb
	if err != nil {
		return "", err
	}
	return quad.BNode(sb), nil
}

// nameTail reads the rest of a name: PN_CHARS and inner dots (a name never
// ends with '.'); local also admits ':' and the PLX escapes of PN_LOCAL.
func (p *turtleReader) nameTail(sb []byte, local bool) ([]byte, error) {
	in := &p.in
	for {
		r, size := in.peekRuneAt(0)
		switch {
		case size == 0:
			return sb, nil
		case r == '.':
			k := 1
			for in.peekAt(k) == '.' {
				k++
			}
			r2, _ := in.peekRuneAt(k)
			if !ttlPNChars(r2) && !(local && (r2 == ':' || r2 == '%' || r2 == '\\')) {
				return sb, nil
			}
			for ; k > 0; k-- {
				sb = append(sb, '.')
				in.skip()
			}
		case ttlPNChars(r) || local && r == ':':
			sb = append(sb, in.buf[in.pos:in.pos+size]...)
			in.skipN(size)
		case local && (r == '%' || r == '\\'):
			var err error
			if sb, err = p.plx(sb); err != nil {
				return sb, err
			}
		default:
			return sb, nil
		}
	}
}

// plx reads a percent-encoding (kept as written) or a backslash escape of a
// local name (unescaped).
func (p *turtleReader) plx(sb []byte) ([]byte, error) {
	in := &p.in
	if in.peek() == '%' {
		_, ok1 := ttlHex(in.peekAt(1))
		_, ok2 := ttlHex(in.peekAt(2))
		if !ok1 || !ok2 {
			return sb, in.errAt("'%%' in a local name must be followed by two hex digits")
		}
		sb = append(sb, in.buf[in.pos:in.pos+3]...)
		in.skipN(3)
		return sb, nil
	}
	c := in.peekAt(1)
	if c < 0 || !strings.ContainsRune("_~.-!$&'()*+,;=/?#@%", rune(c)) {
		return sb, in.errAt("invalid escape in local name")
	}
	sb = append(sb, byte(c))
	in.skipN(2)
	return sb, nil
}

// langTag reads a language tag after its '@' and lower-cases it.
func (p *turtleReader) langTag() (string, error) {
	in := &p.in
	sb := p.sb[:0]
	defer func() { p.sb = sb }()
	first := true
	for {
		n := 0
		for {
			c := in.peek()
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if !(c >= 'a' && c <= 'z' || !first && c >= '0' && c <= '9') {
				break
			}
			sb = append(sb, byte(c))
			in.skip()
			n++
		}
		if n == 0 {
			return "", in.unexpected("language tag")
		}
		first = false
		if in.peek() != '-' {
			return string(sb), nil
		}
		sb = append(sb, '-')
		in.skip()
	}
}

// stringBody reads a string after its opening quote(s), decoding escapes.
func (p *turtleReader) stringBody(q byte, long bool) (string, error) {
	in := &p.in
	if !long {
		for i := in.pos; i < in.end; i++ {
			c := in.buf[i]
			if c == q {
				s := string(in.buf[in.pos:i])
				in.col += i - in.pos + 1
				in.pos = i + 1
				return s, nil
			}
			if c == '\\' || c == '\n' || c == '\r' || c >= utf8.RuneSelf {
				break
			}
		}
	}
	sb := p.sb[:0]
	defer func() { p.sb = sb }()
	for {
		c := in.peek()
		switch {
		case c < 0:
			return "", in.errAt("unterminated string")
		case c == int(q):
			if !long {
				in.skip()
				return string(sb), nil
			}
			if in.peekAt(1) == int(q) && in.peekAt(2) == int(q) {
				in.skipN(3)
				return string(sb), nil
			}
			sb = append(sb, q)
			in.skip()
		case c == '\\':
			in.skip()
			e := in.peek()
			if e == 'u' || e == 'U' {
				r, err := in.uchar()
				if err != nil {
					return "", err
				}
				sb = utf8.AppendRune(sb, r)
				continue
			}
			var d byte
			switch e {
			case 't':
				d = '\t'
			case 'b':
				d = '\b'
			case 'n':
				d = '\n'
			case 'r':
				d = '\r'
			case 'f':
				d = '\f'
			case '"', '\'', '\\':
				d = byte(e)
			default:
				return "", in.escErr("invalid escape in string")
			}
			sb = append(sb, d)
			in.skip()
		case !long && (c == '\n' || c == '\r'):
			return "", in.errAt("line break in a single-quoted string")
		case c < utf8.RuneSelf:
			sb = append(sb, byte(c))
			in.skip()
		default:
			_, b, err := in.readRune()
			if err != nil {
				return "", err
			}
			sb = append(sb, b...)
		}
	}
}

// literalRest reads a string literal after its opening quote(s) and its
// language tag or datatype.
func (p *turtleReader) literalRest(q byte, long bool) (quad.Value, error) {
	s, err := p.stringBody(q, long)
	if err != nil {
		return nil, err
	}
	in := &p.in
	if p.syn <= synNQuads {
		p.inlineSpace()
	} else {
		p.ws()
	}
	switch in.peek() {
	case '@':
		in.skip()
		tag, err := p.langTag()
		if err != nil {
			return nil, err
		}
		return quad.LangString{Value: quad.String(s), Lang: tag}, nil
	case '^':
		in.skip()
		if in.peek() != '^' {
			return nil, in.unexpected("'^^'")
		}
		in.skip()
		var dt quad.Value
		if p.syn <= synNQuads {
			p.inlineSpace()
			if in.peek() != '<' {
				return nil, in.unexpected("datatype IRI")
			}
			dt, err = p.absIRI()
		} else {
			p.ws()
			dt, err = p.iri("datatype IRI")
		}
		if err != nil {
			return nil, err
		}
		if dt == ttlXSDString {
			return quad.String(s), nil
		}
		return quad.TypedString{Value: quad.String(s), Type: dt.(quad.IRI)}, nil
	}
	return quad.String(s), nil
}
