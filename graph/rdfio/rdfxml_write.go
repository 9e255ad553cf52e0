package rdfio

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
)

// rdfxmlWriter encodes RDF/XML: one rdf:Description per run of quads with
// the same subject (graph labels dropped), every statement a property
// element. The prefixes of WriteOptions that are XML prefixes (not "",
// nothing starting with "xml") are declared on rdf:RDF; a
// predicate in another namespace declares its own on its element, so
// nothing needs to be known before the first quad. It holds only the
// current subject.
type rdfxmlWriter struct {
	w       *bufio.Writer
	ns      map[string]string // namespace IRI -> prefix declared on rdf:RDF
	buf     []byte
	started bool
	hasSubj bool
	subj    quad.Value
	err     error
	closed  bool
}

func newRDFXMLWriter(w io.Writer, opt WriteOptions) (*rdfxmlWriter, error) {
	x := &rdfxmlWriter{w: bufio.NewWriterSize(w, writeBufSize), ns: map[string]string{rdfNS: "rdf"}}
	names := map[string]bool{"rdf": true}
	b := append([]byte(nil), `<?xml version="1.0" encoding="utf-8"?>`+"\n"+`<rdf:RDF xmlns:rdf="`+rdfNS+`"`...)
	for _, p := range opt.Prefixes {
		if p.Name == "" || !isNCName(p.Name) || strings.HasPrefix(strings.ToLower(p.Name), "xml") {
			continue // not an XML prefix: its predicates declare their namespace locally
		}
		if names[p.Name] {
			if x.ns[p.IRI] == p.Name {
				continue
			}
			return nil, fmt.Errorf("rdfio: prefix %q declared twice", p.Name)
		}
		if _, ok := x.ns[p.IRI]; ok {
			continue
		}
		var err error
		b = append(b, "\n    xmlns:"+p.Name+`="`...)
		if b, err = appendXMLAttr(b, p.IRI); err != nil {
			return nil, fmt.Errorf("rdfio: prefix %s: %w", p.Name, err)
		}
		b = append(b, '"')
		names[p.Name] = true
		x.ns[p.IRI] = p.Name
	}
	if opt.Base != "" {
		var err error
		b = append(b, "\n    xml:base=\""...)
		if b, err = appendXMLAttr(b, opt.Base); err != nil {
			return nil, fmt.Errorf("rdfio: base: %w", err)
		}
		b = append(b, '"')
	}
	x.buf = append(b, ">\n"...)
	return x, nil
}

// WriteQuad writes one statement, opening a new rdf:Description when the
// subject changes.
func (x *rdfxmlWriter) WriteQuad(q quad.Quad) error {
	if x.closed {
		return errClosed
	}
	if x.err != nil {
		return x.err
	}
	q, err := normQuad(q, false)
	if err != nil {
		return fmt.Errorf("rdfio: write quad: %w", err)
	}
	b := x.buf
	if !x.hasSubj || q.Subject != x.subj {
		if x.hasSubj {
			b = append(b, "  </rdf:Description>\n"...)
		}
		b = append(b, "  <rdf:Description "...)
		if b, err = appendXMLNode(b, "about", q.Subject); err != nil {
			return fmt.Errorf("rdfio: write quad: subject: %w", err)
		}
		b = append(b, ">\n"...)
		x.hasSubj, x.subj = true, q.Subject
	}
	if b, err = x.appendProperty(b, q.Predicate.(quad.IRI), q.Object); err != nil {
		x.buf = x.buf[:0]
		return fmt.Errorf("rdfio: write quad: %w", err)
	}
	x.buf = b[:0]
	if _, err := x.w.Write(b); err != nil {
		x.err = fmt.Errorf("rdfio: write: %w", err)
		return x.err
	}
	return nil
}

// appendProperty writes one property element.
func (x *rdfxmlWriter) appendProperty(b []byte, pred quad.IRI, o quad.Value) ([]byte, error) {
	ns, local, ok := splitPredicate(string(pred))
	if !ok {
		return b, fmt.Errorf("predicate %s has no XML local name, so RDF/XML cannot carry it", pred)
	}
	if ns == rdfNS && (rdfCoreSyntax[local] || local == "Description" || local == "li" || rdfOldTerms[local]) {
		return b, fmt.Errorf("predicate rdf:%s is RDF/XML syntax and cannot be a property", local)
	}
	var err error
	name := ""
	b = append(b, "    <"...)
	if pfx, ok := x.ns[ns]; ok {
		name = pfx + ":" + local
		b = append(b, name...)
	} else {
		name = "p:" + local
		b = append(b, name+` xmlns:p="`...)
		if b, err = appendXMLAttr(b, ns); err != nil {
			return b, fmt.Errorf("predicate %s: %w", pred, err)
		}
		b = append(b, '"')
	}
	var text string
	switch t := o.(type) {
	case quad.IRI, quad.BNode:
		b = append(b, ' ')
		if b, err = appendXMLNode(b, "resource", o); err != nil {
			return b, fmt.Errorf("object: %w", err)
		}
		return append(b, "/>\n"...), nil
	case quad.String:
		text = string(t)
	case quad.LangString:
		text = string(t.Value)
		b = append(b, ` xml:lang="`...)
		if b, err = appendXMLAttr(b, t.Lang); err != nil {
			return b, err
		}
		b = append(b, '"')
	case quad.TypedString:
		text = string(t.Value)
		b = append(b, ` rdf:datatype="`...)
		if b, err = appendXMLAttr(b, string(t.Type)); err != nil {
			return b, fmt.Errorf("datatype: %w", err)
		}
		b = append(b, '"')
	}
	b = append(b, '>')
	if b, err = appendXMLText(b, text); err != nil {
		return b, fmt.Errorf("literal: %w", err)
	}
	b = append(b, "</"...)
	b = append(b, name...)
	return append(b, ">\n"...), nil
}

// WriteQuads writes qs in order and returns how many were written.
func (x *rdfxmlWriter) WriteQuads(qs []quad.Quad) (int, error) { return writeQuads(x.WriteQuad, qs) }

// Close ends the document and flushes the output.
func (x *rdfxmlWriter) Close() error {
	if x.closed {
		return nil
	}
	x.closed = true
	if x.err != nil {
		return x.err
	}
	b := x.buf
	if x.hasSubj {
		b = append(b, "  </rdf:Description>\n"...)
	}
	b = append(b, "</rdf:RDF>\n"...)
	if _, err := x.w.Write(b); err != nil {
		return fmt.Errorf("rdfio: write: %w", err)
	}
	if err := x.w.Flush(); err != nil {
		return fmt.Errorf("rdfio: write: %w", err)
	}
	return nil
}

// splitPredicate splits an IRI into a namespace and the longest suffix
// that is an XML NCName.
func splitPredicate(iri string) (ns, local string, ok bool) {
	start := -1
	for i := len(iri); i > 0; {
		r, n := utf8.DecodeLastRuneInString(iri[:i])
		i -= n
		if !isNCName(string(r)) && !(r == '-' || r == '.' || r >= '0' && r <= '9' || r == 0xB7) {
			break
		}
		if isNCName(iri[i:]) {
			start = i
		}
	}
	if start <= 0 {
		return "", "", false
	}
	return iri[:start], iri[start:], true
}

// appendXMLNode writes rdf:about="iri" (or rdf:resource) or rdf:nodeID for
// a blank node. A blank node label that is no NCName, or that starts with
// "x-h", becomes "x-h" and its bytes in hex, which keeps labels distinct.
func appendXMLNode(b []byte, attr string, v quad.Value) ([]byte, error) {
	switch t := v.(type) {
	case quad.IRI:
		b = append(b, "rdf:"+attr+`="`...)
		b, err := appendXMLAttr(b, string(t))
		return append(b, '"'), err
	case quad.BNode:
		b = append(b, `rdf:nodeID="`...)
		if s := string(t); isNCName(s) && !strings.HasPrefix(s, "x-h") {
			b = append(b, s...)
		} else {
			b = append(b, "x-h"...)
			b = hex.AppendEncode(b, []byte(s))
		}
		return append(b, '"'), nil
	}
	return b, fmt.Errorf("%v is not a node", v)
}

// xmlChar reports whether r may appear in an XML 1.0 document.
func xmlChar(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// appendXMLText escapes s as element content; \r is a character reference
// so that reading does not turn it into \n. Characters XML 1.0 cannot
// carry at all are an error rather than a silently different literal.
func appendXMLText(b []byte, s string) ([]byte, error) {
	for i, r := range s {
		if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\xEF\xBF\xBD") {
			return b, fmt.Errorf("invalid UTF-8 at byte %d", i)
		}
		switch {
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '\r':
			b = append(b, "&#xD;"...)
		case !xmlChar(r):
			return b, fmt.Errorf("character U+%04X cannot be written in XML 1.0", r)
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return b, nil
}

// appendXMLAttr escapes s as an attribute value in double quotes; white
// space other than the blank is a character reference, so that attribute
// normalisation gives s back.
func appendXMLAttr(b []byte, s string) ([]byte, error) {
	for i, r := range s {
		if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\xEF\xBF\xBD") {
			return b, fmt.Errorf("invalid UTF-8 at byte %d", i)
		}
		switch {
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '"':
			b = append(b, "&quot;"...)
		case r == '\t':
			b = append(b, "&#x9;"...)
		case r == '\n':
			b = append(b, "&#xA;"...)
		case r == '\r':
			b = append(b, "&#xD;"...)
		case !xmlChar(r):
			return b, fmt.Errorf("character U+%04X cannot be written in XML 1.0", r)
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return b, nil
}
