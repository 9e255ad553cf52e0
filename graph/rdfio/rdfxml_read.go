package rdfio

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/cayleygraph/quad"
)

// This file is the RDF/XML reader: the grammar of RDF 1.1 XML Syntax
// (section 7) over encoding/xml's raw tokens. Raw tokens keep the prefixes
// the document wrote, which namespace checking and the canonical form of
// rdf:parseType="Literal" content (Exclusive XML Canonicalization) need, so
// the reader keeps its own namespace scopes. No Go RDF/XML library is served
// by the module proxy, hence our own; it passes the whole W3C RDF/XML suite
// (rdfxml_conformance_test.go). IRIs are resolved with ResolveIRI, the
// resolution every rdfio reader shares.

// Namespaces and terms of the RDF/XML grammar.
const (
	xmlNS          = "http://www.w3.org/XML/1998/namespace"
	rdfXMLLiteral  = quad.IRI(rdfNS + "XMLLiteral")
	rdfStatement   = quad.IRI(rdfNS + "Statement")
	rdfSubject     = quad.IRI(rdfNS + "subject")
	rdfPredicate   = quad.IRI(rdfNS + "predicate")
	rdfObject      = quad.IRI(rdfNS + "object")
	rdfXMLMaxDepth = 512
)

// Names of the rdf: namespace the grammar forbids in some positions.
var (
	rdfCoreSyntax = map[string]bool{"RDF": true, "ID": true, "about": true, "parseType": true, "resource": true, "nodeID": true, "datatype": true}
	rdfOldTerms   = map[string]bool{"aboutEach": true, "aboutEachPrefix": true, "bagID": true}
)

// xname is a resolved XML name; prefix is as written.
type xname struct{ prefix, space, local string }

func (n xname) iri() string { return n.space + n.local }

func (n xname) isRDF(local string) bool { return n.space == rdfNS && n.local == local }

// xattr is one attribute of an element, namespace declarations excluded.
type xattr struct {
	name  xname
	value string
}

// xscope is what an element puts in scope: namespace bindings, base,
// language.
type xscope struct {
	ns   map[string]string // bindings declared on this element
	base string
	lang string
	// li counts rdf:li property elements of a node element.
	li int
	// tag is the element's name as written, to match its end tag.
	tag xml.Name
}

// xelem is a start tag with resolved names.
type xelem struct {
	name      xname
	attrs     []xattr
	line, col int
}

// rdfxmlReader is the streaming RDF/XML parser: it parses one top-level
// node element at a time and queues its quads.
type rdfxmlReader struct {
	src      *xmlSource
	dec      *xml.Decoder
	scopes   []xscope
	bnPrefix string
	anon     uint64
	graph    quad.Value
	ids      map[string]bool // rdf:ID values used, as resolved IRIs
	queue    []quad.Quad
	qi       int
	err      error
	started  bool // the document element has been read
	wrapped  bool // the document element is rdf:RDF
	finished bool // the document element has ended
}

func newRDFXMLReader(r io.Reader, opt ReadOptions) (*rdfxmlReader, error) {
	prefix := opt.BlankNodePrefix
	if prefix == "" {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, fmt.Errorf("blank node prefix: %w", err)
		}
		prefix = "b" + hex.EncodeToString(b[:])
	}
	src := &xmlSource{r: r}
	dec := xml.NewDecoder(src)
	dec.Strict = true
	// Only UTF-8 (and its ASCII subset) is read, as for every format.
	dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-8", "utf8", "us-ascii", "ascii":
			return in, nil
		}
		return nil, fmt.Errorf("encoding %q is not supported: send UTF-8", label)
	}
	return &rdfxmlReader{
		src:      src,
		dec:      dec,
		scopes:   []xscope{{ns: map[string]string{"xml": xmlNS}, base: opt.Base}},
		bnPrefix: prefix,
		graph:    opt.Graph,
		ids:      map[string]bool{},
	}, nil
}

// ReadQuad returns the next quad, io.EOF at the end of a well-formed
// document, or the first error (a *SyntaxError), again on every later call.
func (p *rdfxmlReader) ReadQuad() (quad.Quad, error) {
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
		p.queue, p.qi = p.queue[:0], 0
		if err := p.step(); err != nil {
			p.err = err
			p.queue = p.queue[:0]
		}
	}
}

// step parses the next top-level node element, or ends the document.
func (p *rdfxmlReader) step() error {
	if !p.started {
		e, err := p.firstElement()
		if err != nil {
			return err
		}
		p.started = true
		if e.name.isRDF("RDF") {
			p.wrapped = true
			for _, a := range e.attrs {
				if !ignorableAttr(a.name) {
					return p.errAt(e, "rdf:RDF takes no attribute %s", a.name.prefixed())
				}
			}
			return nil
		}
		if _, err := p.node(e, 0); err != nil {
			return err
		}
		p.finished = true
		return nil
	}
	if !p.finished {
		// Inside rdf:RDF: the next node element, or its end.
		tok, err := p.nextSignificant()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case *xelem:
			_, err := p.node(t, 0)
			return err
		case xml.EndElement:
			p.finished = true
			return nil
		}
	}
	// After the document element only comments, PIs and space may follow.
	for {
		tok, err := p.dec.RawToken()
		if err == io.EOF {
			return io.EOF
		}
		if err != nil {
			return p.xmlErr(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if !isXMLSpace(string(t)) {
				return p.errHere("text after the document element")
			}
		case xml.StartElement:
			return p.errHere("a second document element <%s>", rawName(t.Name))
		}
	}
}

// firstElement reads up to the document element.
func (p *rdfxmlReader) firstElement() (*xelem, error) {
	for {
		tok, err := p.dec.RawToken()
		if err == io.EOF {
			return nil, p.errHere("no document element")
		}
		if err != nil {
			return nil, p.xmlErr(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return p.open(t)
		case xml.CharData:
			if !isXMLSpace(string(t)) {
				return nil, p.errHere("text before the document element")
			}
		case xml.EndElement:
			return nil, p.errHere("end tag before the document element")
		}
	}
}

// open pushes the scope of a start tag and resolves its names.
func (p *rdfxmlReader) open(t xml.StartElement) (*xelem, error) {
	return p.openIn(t, false)
}

// openIn is open; inside an XML literal an element may be in no namespace.
func (p *rdfxmlReader) openIn(t xml.StartElement, literal bool) (*xelem, error) {
	line, col := p.dec.InputPos()
	e := &xelem{line: line, col: col}
	if len(p.scopes) > rdfXMLMaxDepth {
		return nil, p.errAt(e, "elements nested deeper than %d", rdfXMLMaxDepth)
	}
	cur := p.scopes[len(p.scopes)-1]
	sc := xscope{base: cur.base, lang: cur.lang, tag: t.Name}
	for _, a := range t.Attr {
		switch {
		case a.Name.Space == "xmlns":
			if a.Name.Local == "xml" || a.Name.Local == "xmlns" {
				continue
			}
			if a.Value == "" {
				return nil, p.errAt(e, "namespace prefix %s bound to the empty name", a.Name.Local)
			}
			if sc.ns == nil {
				sc.ns = map[string]string{}
			}
			sc.ns[a.Name.Local] = a.Value
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			if sc.ns == nil {
				sc.ns = map[string]string{}
			}
			sc.ns[""] = a.Value
		}
	}
	p.scopes = append(p.scopes, sc)
	var err error
	if e.name, err = p.resolve(t.Name, !literal || t.Name.Space != ""); err != nil {
		return nil, p.errAt(e, "%v", err)
	}
	for _, a := range t.Attr {
		if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
			continue
		}
		n, err := p.resolve(a.Name, false)
		if err != nil {
			return nil, p.errAt(e, "%v", err)
		}
		if n.space == xmlNS {
			switch n.local {
			case "lang":
				p.scopes[len(p.scopes)-1].lang = asciiLower(a.Value)
			case "base":
				b := ResolveIRI(p.scopes[len(p.scopes)-1].base, a.Value)
				if i := strings.IndexByte(b, '#'); i >= 0 {
					b = b[:i]
				}
				p.scopes[len(p.scopes)-1].base = b
			}
		}
		e.attrs = append(e.attrs, xattr{name: n, value: a.Value})
	}
	return e, nil
}

// resolve maps a raw name to its namespace. Unprefixed attributes have no
// namespace; an unprefixed element takes the default namespace.
func (p *rdfxmlReader) resolve(n xml.Name, element bool) (xname, error) {
	out := xname{prefix: n.Space, local: n.Local}
	if n.Space == "" && !element {
		return out, nil
	}
	if n.Space == "xml" {
		out.space = xmlNS
		return out, nil
	}
	for i := len(p.scopes) - 1; i >= 0; i-- {
		if uri, ok := p.scopes[i].ns[n.Space]; ok {
			out.space = uri
			break
		}
	}
	if out.space == "" {
		if n.Space == "" {
			return out, fmt.Errorf("element <%s> is in no namespace", n.Local)
		}
		return out, fmt.Errorf("namespace prefix %q is not declared", n.Space)
	}
	return out, nil
}

func (n xname) prefixed() string {
	if n.prefix == "" {
		return n.local
	}
	return n.prefix + ":" + n.local
}

func rawName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// close pops the scope of the element that end ends, which must be the
// innermost open one.
func (p *rdfxmlReader) close(end xml.EndElement) error {
	open := p.scopes[len(p.scopes)-1].tag
	if len(p.scopes) < 2 || end.Name != open {
		return p.errHere("end tag </%s> does not match <%s>", rawName(end.Name), rawName(open))
	}
	p.scopes = p.scopes[:len(p.scopes)-1]
	return nil
}

func (p *rdfxmlReader) scope() *xscope { return &p.scopes[len(p.scopes)-1] }

// token returns the next raw token that matters: start tags (opened, as
// *xelem), end tags, and text; comments, processing instructions and the
// document type are skipped.
func (p *rdfxmlReader) token() (any, error) {
	for {
		tok, err := p.dec.RawToken()
		if err == io.EOF {
			return nil, p.errHere("unexpected end of document")
		}
		if err != nil {
			return nil, p.xmlErr(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return p.open(t)
		case xml.EndElement:
			return t, nil
		case xml.CharData:
			return string(t), nil
		}
	}
}

// nextSignificant returns the next start or end tag, failing on text that
// is not white space.
func (p *rdfxmlReader) nextSignificant() (any, error) {
	for {
		tok, err := p.token()
		if err != nil {
			return nil, err
		}
		if s, ok := tok.(string); ok {
			if !isXMLSpace(s) {
				return nil, p.errHere("text %q where only elements may be", clip(s))
			}
			continue
		}
		if end, ok := tok.(xml.EndElement); ok {
			if err := p.close(end); err != nil {
				return nil, err
			}
			return end, nil
		}
		return tok, nil
	}
}

func isXMLSpace(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
		default:
			return false
		}
	}
	return true
}

func clip(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

func (p *rdfxmlReader) emit(s, pr, o quad.Value) {
	p.queue = append(p.queue, quad.Quad{Subject: s, Predicate: pr, Object: o, Label: p.graph})
}

func (p *rdfxmlReader) fresh() quad.BNode {
	p.anon++
	return quad.BNode(p.bnPrefix + "_" + strconv.FormatUint(p.anon, 10))
}

func (p *rdfxmlReader) nodeID(e *xelem, id string) (quad.BNode, error) {
	if !isNCName(id) {
		return "", p.errAt(e, "rdf:nodeID %q is not an XML NCName", id)
	}
	return quad.BNode(p.bnPrefix + "-" + id), nil
}

// idIRI resolves rdf:ID id and checks that the document uses it once.
func (p *rdfxmlReader) idIRI(e *xelem, id string) (quad.IRI, error) {
	if !isNCName(id) {
		return "", p.errAt(e, "rdf:ID %q is not an XML NCName", id)
	}
	iri := ResolveIRI(p.scope().base, "#"+id)
	if p.ids[iri] {
		return "", p.errAt(e, "rdf:ID %q is used twice (as %s)", id, iri)
	}
	p.ids[iri] = true
	return quad.IRI(iri), nil
}

func (p *rdfxmlReader) resolveIRI(ref string) quad.IRI {
	return quad.IRI(ResolveIRI(p.scope().base, ref))
}

// ignorableAttr reports attributes outside the grammar: xml:* and names
// starting with "xml", which XML reserves.
func ignorableAttr(n xname) bool {
	if n.space == xmlNS {
		return true
	}
	return n.space == "" && len(n.local) >= 3 && strings.EqualFold(n.local[:3], "xml")
}

// attrName gives an attribute its RDF name: unprefixed ID, about,
// resource, parseType and type are read in the rdf: namespace, as the
// grammar allows for older documents; other unprefixed attributes are an
// error.
func (p *rdfxmlReader) attrName(e *xelem, a xattr) (xname, error) {
	if a.name.space != "" {
		return a.name, nil
	}
	switch a.name.local {
	case "ID", "about", "resource", "parseType", "type":
		return xname{prefix: "rdf", space: rdfNS, local: a.name.local}, nil
	}
	return a.name, p.errAt(e, "attribute %s has no namespace", a.name.local)
}

// node parses a node element whose start tag is e, through its end tag,
// and returns its subject.
func (p *rdfxmlReader) node(e *xelem, depth int) (quad.Value, error) {
	if depth > rdfXMLMaxDepth {
		return nil, p.errAt(e, "nodes nested deeper than %d", rdfXMLMaxDepth)
	}
	if e.name.space == rdfNS && (rdfCoreSyntax[e.name.local] || e.name.local == "li" || rdfOldTerms[e.name.local]) {
		return nil, p.errAt(e, "rdf:%s cannot name a node element", e.name.local)
	}
	var subj quad.Value
	var props []xattr
	set := func(v quad.Value, what string) error {
		if subj != nil {
			return p.errAt(e, "%s together with another of rdf:ID, rdf:about and rdf:nodeID", what)
		}
		subj = v
		return nil
	}
	for _, a := range e.attrs {
		if ignorableAttr(a.name) {
			continue
		}
		n, err := p.attrName(e, a)
		if err != nil {
			return nil, err
		}
		switch {
		case n.isRDF("ID"):
			iri, err := p.idIRI(e, a.value)
			if err != nil {
				return nil, err
			}
			if err := set(iri, "rdf:ID"); err != nil {
				return nil, err
			}
		case n.isRDF("about"):
			if err := set(p.resolveIRI(a.value), "rdf:about"); err != nil {
				return nil, err
			}
		case n.isRDF("nodeID"):
			b, err := p.nodeID(e, a.value)
			if err != nil {
				return nil, err
			}
			if err := set(b, "rdf:nodeID"); err != nil {
				return nil, err
			}
		case n.space == rdfNS && (rdfCoreSyntax[n.local] || n.local == "li" || n.local == "Description" || rdfOldTerms[n.local]):
			return nil, p.errAt(e, "attribute rdf:%s is not allowed on a node element", n.local)
		default:
			props = append(props, xattr{name: n, value: a.value})
		}
	}
	if subj == nil {
		subj = p.fresh()
	}
	if !e.name.isRDF("Description") {
		p.emit(subj, ttlRDFType, quad.IRI(e.name.iri()))
	}
	if err := p.propertyAttrs(subj, props); err != nil {
		return nil, err
	}
	for {
		tok, err := p.nextSignificant()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return subj, nil
		case *xelem:
			if err := p.propertyElt(t, subj, depth); err != nil {
				return nil, err
			}
		}
	}
}

// propertyAttrs emits the property attributes of a node: rdf:type as a
// type IRI, every other one as a literal in the element's language.
func (p *rdfxmlReader) propertyAttrs(subj quad.Value, props []xattr) error {
	for _, a := range props {
		if a.name.isRDF("type") {
			p.emit(subj, ttlRDFType, p.resolveIRI(a.value))
			continue
		}
		p.emit(subj, quad.IRI(a.name.iri()), p.literal(a.value, ""))
	}
	return nil
}

// literal makes a literal in the current language, or typed by dt.
func (p *rdfxmlReader) literal(s string, dt quad.IRI) quad.Value {
	switch {
	case dt == ttlXSDString:
		return quad.String(s)
	case dt != "":
		return quad.TypedString{Value: quad.String(s), Type: dt}
	case p.scope().lang != "":
		return quad.LangString{Value: quad.String(s), Lang: p.scope().lang}
	}
	return quad.String(s)
}

// propertyElt parses one property element of subj, start tag e, through
// its end tag.
func (p *rdfxmlReader) propertyElt(e *xelem, subj quad.Value, depth int) error {
	parent := &p.scopes[len(p.scopes)-2]
	var pred quad.IRI
	switch {
	case e.name.isRDF("li"):
		parent.li++
		pred = quad.IRI(rdfNS + "_" + strconv.Itoa(parent.li))
	case e.name.space == rdfNS && (rdfCoreSyntax[e.name.local] || e.name.local == "Description" || rdfOldTerms[e.name.local]):
		return p.errAt(e, "rdf:%s cannot name a property element", e.name.local)
	default:
		pred = quad.IRI(e.name.iri())
	}
	var id, parseType, resource, nodeID, datatype *string
	var props []xattr
	for _, a := range e.attrs {
		if ignorableAttr(a.name) {
			continue
		}
		n, err := p.attrName(e, a)
		if err != nil {
			return err
		}
		v := a.value
		switch {
		case n.isRDF("ID"):
			id = &v
		case n.isRDF("parseType"):
			parseType = &v
		case n.isRDF("resource"):
			resource = &v
		case n.isRDF("nodeID"):
			nodeID = &v
		case n.isRDF("datatype"):
			datatype = &v
		case n.space == rdfNS && (rdfCoreSyntax[n.local] || n.local == "li" || n.local == "Description" || rdfOldTerms[n.local]):
			return p.errAt(e, "attribute rdf:%s is not allowed on a property element", n.local)
		default:
			props = append(props, xattr{name: n, value: v})
		}
	}
	var reif quad.IRI
	if id != nil {
		var err error
		if reif, err = p.idIRI(e, *id); err != nil {
			return err
		}
	}
	state := func(o quad.Value) {
		p.emit(subj, pred, o)
		if reif != "" {
			p.emit(reif, ttlRDFType, rdfStatement)
			p.emit(reif, rdfSubject, subj)
			p.emit(reif, rdfPredicate, pred)
			p.emit(reif, rdfObject, o)
		}
	}
	if parseType != nil {
		if resource != nil || nodeID != nil || datatype != nil || len(props) > 0 {
			return p.errAt(e, "rdf:parseType allows no other attribute than rdf:ID")
		}
		switch *parseType {
		case "Resource":
			n := p.fresh()
			state(n)
			p.scope().li = 0
			for {
				tok, err := p.nextSignificant()
				if err != nil {
					return err
				}
				switch t := tok.(type) {
				case xml.EndElement:
					return nil
				case *xelem:
					if err := p.propertyElt(t, n, depth+1); err != nil {
						return err
					}
				}
			}
		case "Collection":
			var items []quad.Value
			for {
				tok, err := p.nextSignificant()
				if err != nil {
					return err
				}
				if _, ok := tok.(xml.EndElement); ok {
					break
				}
				o, err := p.node(tok.(*xelem), depth+1)
				if err != nil {
					return err
				}
				items = append(items, o)
			}
			var head quad.Value = ttlRDFNil
			for i := len(items) - 1; i >= 0; i-- {
				cell := p.fresh()
				p.emit(cell, ttlRDFFirst, items[i])
				p.emit(cell, ttlRDFRest, head)
				head = cell
			}
			state(head)
			return nil
		default: // "Literal" and any other value
			lit, err := p.xmlLiteral()
			if err != nil {
				return err
			}
			state(quad.TypedString{Value: quad.String(lit), Type: rdfXMLLiteral})
			return nil
		}
	}
	// Text, one node element, or nothing: read on to tell which.
	var text strings.Builder
	for {
		tok, err := p.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case string:
			text.WriteString(t)
		case *xelem:
			if !isXMLSpace(text.String()) {
				return p.errAt(t, "text and an element in one property element")
			}
			if resource != nil || nodeID != nil || datatype != nil || len(props) > 0 {
				return p.errAt(e, "a property element with a node element inside takes no attributes but rdf:ID")
			}
			o, err := p.node(t, depth+1)
			if err != nil {
				return err
			}
			end, err := p.nextSignificant()
			if err != nil {
				return err
			}
			if _, ok := end.(xml.EndElement); !ok {
				return p.errAt(end.(*xelem), "a property element holds one node element")
			}
			state(o)
			return nil
		case xml.EndElement:
			lang := p.scope().lang
			var dt quad.IRI
			if datatype != nil {
				dt = p.resolveIRI(*datatype)
			}
			if err := p.close(t); err != nil {
				return err
			}
			s := text.String()
			if s != "" || datatype != nil {
				if resource != nil || nodeID != nil || len(props) > 0 {
					return p.errAt(e, "a literal property element takes no rdf:resource, rdf:nodeID or property attributes")
				}
				if datatype != nil {
					state(p.literal(s, dt))
				} else if lang != "" {
					state(quad.LangString{Value: quad.String(s), Lang: lang})
				} else {
					state(quad.String(s))
				}
				return nil
			}
			return p.emptyProperty(e, state, resource, nodeID, props, lang)
		}
	}
}

// emptyProperty finishes an empty property element (its scope already
// closed): a literal "" when it has no attributes, otherwise a resource
// described by its property attributes.
func (p *rdfxmlReader) emptyProperty(e *xelem, state func(quad.Value), resource, nodeID *string, props []xattr, lang string) error {
	if resource == nil && nodeID == nil && len(props) == 0 {
		if lang != "" {
			state(quad.LangString{Value: "", Lang: lang})
		} else {
			state(quad.String(""))
		}
		return nil
	}
	// The element's own base and language apply to its attributes.
	p.scopes = append(p.scopes, xscope{base: e.base(p), lang: lang})
	defer func() { p.scopes = p.scopes[:len(p.scopes)-1] }()
	var o quad.Value
	switch {
	case resource != nil && nodeID != nil:
		return p.errAt(e, "rdf:resource together with rdf:nodeID")
	case resource != nil:
		o = p.resolveIRI(*resource)
	case nodeID != nil:
		b, err := p.nodeID(e, *nodeID)
		if err != nil {
			return err
		}
		o = b
	default:
		o = p.fresh()
	}
	state(o)
	return p.propertyAttrs(o, props)
}

// base returns the base in force on e, computed again from its xml:base.
func (e *xelem) base(p *rdfxmlReader) string {
	b := p.scope().base
	for _, a := range e.attrs {
		if a.name.space == xmlNS && a.name.local == "base" {
			b = ResolveIRI(b, a.value)
			if i := strings.IndexByte(b, '#'); i >= 0 {
				b = b[:i]
			}
		}
	}
	return b
}

// xmlLiteral reads the content of a parseType="Literal" property element
// through its end tag and returns it in Exclusive XML Canonicalization
// (without comments), as RDF 1.1 defines rdf:XMLLiteral values.
func (p *rdfxmlReader) xmlLiteral() (string, error) {
	var b strings.Builder
	// rendered holds, per open element of the literal, the bindings output
	// so far (exclusive c14n renders a binding where it is first used).
	type frame struct{ rendered map[string]string }
	var stack []frame
	renderedBinding := func(prefix string) (string, bool) {
		for i := len(stack) - 1; i >= 0; i-- {
			if v, ok := stack[i].rendered[prefix]; ok {
				return v, true
			}
		}
		return "", false
	}
	for {
		tok, err := p.dec.RawToken()
		if err == io.EOF {
			return "", p.errHere("unexpected end of document in an XML literal")
		}
		if err != nil {
			return "", p.xmlErr(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			e, err := p.openIn(t, true)
			if err != nil {
				return "", err
			}
			// Visibly used prefixes: the element's, and its attributes'.
			used := map[string]bool{t.Name.Space: true}
			type attr struct{ ns, local, qname, value string }
			var attrs []attr
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
					continue
				}
				n, err := p.resolve(a.Name, false)
				if err != nil {
					return "", p.errAt(e, "%v", err)
				}
				if a.Name.Space != "" && a.Name.Space != "xml" {
					used[a.Name.Space] = true
				}
				attrs = append(attrs, attr{n.space, n.local, rawName(a.Name), a.Value})
			}
			f := frame{rendered: map[string]string{}}
			var prefixes []string
			for pfx := range used {
				if pfx == "xml" {
					continue
				}
				v := ""
				for i := len(p.scopes) - 1; i >= 0; i-- {
					if u, ok := p.scopes[i].ns[pfx]; ok {
						v = u
						break
					}
				}
				old, ok := renderedBinding(pfx)
				if (ok && old == v) || (!ok && pfx == "" && v == "") {
					continue
				}
				f.rendered[pfx] = v
				prefixes = append(prefixes, pfx)
			}
			sort.Strings(prefixes)
			sort.Slice(attrs, func(i, j int) bool {
				if attrs[i].ns != attrs[j].ns {
					return attrs[i].ns < attrs[j].ns
				}
				return attrs[i].local < attrs[j].local
			})
			b.WriteByte('<')
			b.WriteString(rawName(t.Name))
			for _, pfx := range prefixes {
				if pfx == "" {
					b.WriteString(` xmlns="`)
				} else {
					b.WriteString(` xmlns:` + pfx + `="`)
				}
				c14nAttr(&b, f.rendered[pfx])
				b.WriteByte('"')
			}
			for _, a := range attrs {
				b.WriteString(" " + a.qname + `="`)
				c14nAttr(&b, a.value)
				b.WriteByte('"')
			}
			b.WriteByte('>')
			stack = append(stack, f)
		case xml.EndElement:
			if err := p.close(t); err != nil {
				return "", err
			}
			if len(stack) == 0 {
				return b.String(), nil
			}
			stack = stack[:len(stack)-1]
			b.WriteString("</" + rawName(t.Name) + ">")
		case xml.CharData:
			c14nText(&b, string(t))
		case xml.ProcInst:
			b.WriteString("<?" + t.Target)
			if len(t.Inst) > 0 {
				b.WriteByte(' ')
				b.Write(t.Inst)
			}
			b.WriteString("?>")
		}
	}
}

func c14nText(b *strings.Builder, s string) {
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '\r':
			b.WriteString("&#xD;")
		default:
			b.WriteRune(r)
		}
	}
}

func c14nAttr(b *strings.Builder, s string) {
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '"':
			b.WriteString("&quot;")
		case '\t':
			b.WriteString("&#x9;")
		case '\n':
			b.WriteString("&#xA;")
		case '\r':
			b.WriteString("&#xD;")
		default:
			b.WriteRune(r)
		}
	}
}

// isNCName reports whether s is an XML NCName (a name without colons).
func isNCName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || unicode.IsLetter(r):
		case i > 0 && (r == '-' || r == '.' || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) || r == 0xB7):
		default:
			return false
		}
	}
	return true
}

// errAt is a SyntaxError at the start tag e.
func (p *rdfxmlReader) errAt(e *xelem, format string, args ...any) error {
	return &SyntaxError{Line: e.line, Col: e.col, Msg: "RDF/XML: " + fmt.Sprintf(format, args...)}
}

// errHere is a SyntaxError at the decoder's position.
func (p *rdfxmlReader) errHere(format string, args ...any) error {
	line, col := p.dec.InputPos()
	return &SyntaxError{Line: line, Col: col, Msg: "RDF/XML: " + fmt.Sprintf(format, args...)}
}

// xmlErr turns a decoder error into a located SyntaxError; a failure of the
// underlying reader stays what it is.
func (p *rdfxmlReader) xmlErr(err error) error {
	if p.src.err != nil {
		return fmt.Errorf("read input: %w", p.src.err)
	}
	line, col := p.dec.InputPos()
	msg := strings.TrimPrefix(err.Error(), "xml: ")
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		line, msg = se.Line, se.Msg
	}
	return &SyntaxError{Line: line, Col: col, Msg: "XML: " + msg}
}

// xmlSource remembers a failure of the input, so that the decoder's errors
// can be told from it.
type xmlSource struct {
	r   io.Reader
	err error
}

func (s *xmlSource) Read(b []byte) (int, error) {
	n, err := s.r.Read(b)
	if err != nil && err != io.EOF {
		s.err = err
	}
	return n, err
}
