package results

import (
	"bufio"
	"github.com/innograph/innograph/internal/jsontext"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
)

const xmlNS = "http://www.w3.org/2005/sparql-results#"

const (
	xsdInteger = quad.IRI("http://www.w3.org/2001/XMLSchema#integer")
	xsdDecimal = quad.IRI("http://www.w3.org/2001/XMLSchema#decimal")
	xsdDouble  = quad.IRI("http://www.w3.org/2001/XMLSchema#double")
	xsdBoolean = quad.IRI("http://www.w3.org/2001/XMLSchema#boolean")
	xsdString  = quad.IRI("http://www.w3.org/2001/XMLSchema#string")
)

// literal splits a literal value into lexical form, language and
// datatype; ok is false for IRIs and blank nodes.
func literal(v quad.Value) (lex, lang string, dt quad.IRI, ok bool) {
	switch v := v.(type) {
	case quad.String:
		return string(v), "", "", true
	case quad.LangString:
		return string(v.Value), v.Lang, "", true
	case quad.TypedString:
		if v.Type == xsdString {
			return string(v.Value), "", "", true
		}
		return string(v.Value), "", v.Type, true
	case quad.IRI, quad.BNode, nil:
		return "", "", "", false
	}
	if ts, ok := v.(quad.TypedStringer); ok {
		t := ts.TypedString()
		return string(t.Value), "", t.Type, true
	}
	return quad.StringOf(v), "", "", true
}

const hex = "0123456789abcdef"

type jsonEncoder struct{}

func (jsonEncoder) head(w *bufio.Writer, vars []string) {
	b := []byte(`{"head":{"vars":[`)
	for i, v := range vars {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsontext.AppendString(b, v)
	}
	b = append(b, "]},\n\"results\":{\"bindings\":["...)
	w.Write(b)
}

func (jsonEncoder) row(w *bufio.Writer, vars []string, row []quad.Value, first bool) {
	b := w.AvailableBuffer()
	if !first {
		b = append(b, ',')
	}
	b = append(b, '\n')
	b = append(b, '{')
	sep := false
	for i, v := range row {
		if v == nil || i >= len(vars) {
			continue
		}
		if sep {
			b = append(b, ',')
		}
		sep = true
		b = jsontext.AppendString(b, vars[i])
		b = append(b, ':')
		b = appendJSONTerm(b, v)
	}
	b = append(b, '}')
	w.Write(b)
}

func appendJSONTerm(b []byte, v quad.Value) []byte {
	switch t := v.(type) {
	case quad.IRI:
		b = append(b, `{"type":"uri","value":`...)
		b = jsontext.AppendString(b, string(t))
	case quad.BNode:
		b = append(b, `{"type":"bnode","value":`...)
		b = jsontext.AppendString(b, string(t))
	default:
		lex, lang, dt, _ := literal(v)
		b = append(b, `{"type":"literal","value":`...)
		b = jsontext.AppendString(b, lex)
		if lang != "" {
			b = append(b, `,"xml:lang":`...)
			b = jsontext.AppendString(b, lang)
		} else if dt != "" {
			b = append(b, `,"datatype":`...)
			b = jsontext.AppendString(b, string(dt))
		}
	}
	return append(b, '}')
}

func (jsonEncoder) tail(w *bufio.Writer) { w.WriteString("\n]}}\n") }

// appendXMLText appends s escaped for XML text or attribute values.
// Characters XML 1.0 cannot carry at all (most C0 controls) and invalid
// UTF-8 become U+FFFD: such a document could not be parsed otherwise.
func appendXMLText(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '&':
				b = append(b, "&amp;"...)
			case c == '<':
				b = append(b, "&lt;"...)
			case c == '>':
				b = append(b, "&gt;"...)
			case c == '"':
				b = append(b, "&quot;"...)
			case c == '\r':
				b = append(b, "&#13;"...)
			case c < 0x20 && c != '\t' && c != '\n':
				b = append(b, "\ufffd"...)
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || r == 0xFFFE || r == 0xFFFF {
			b = append(b, "\ufffd"...)
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return b
}

type xmlEncoder struct{}

func (xmlEncoder) head(w *bufio.Writer, vars []string) {
	b := []byte("<?xml version=\"1.0\"?>\n<sparql xmlns=\"" + xmlNS + "\">\n<head>\n")
	for _, v := range vars {
		b = append(b, "<variable name=\""...)
		b = appendXMLText(b, v)
		b = append(b, "\"/>\n"...)
	}
	b = append(b, "</head>\n<results>\n"...)
	w.Write(b)
}

func (xmlEncoder) row(w *bufio.Writer, vars []string, row []quad.Value, _ bool) {
	b := w.AvailableBuffer()
	b = append(b, "<result>"...)
	for i, v := range row {
		if v == nil || i >= len(vars) {
			continue
		}
		b = append(b, "<binding name=\""...)
		b = appendXMLText(b, vars[i])
		b = append(b, "\">"...)
		switch t := v.(type) {
		case quad.IRI:
			b = append(b, "<uri>"...)
			b = appendXMLText(b, string(t))
			b = append(b, "</uri>"...)
		case quad.BNode:
			b = append(b, "<bnode>"...)
			b = appendXMLText(b, string(t))
			b = append(b, "</bnode>"...)
		default:
			lex, lang, dt, _ := literal(v)
			b = append(b, "<literal"...)
			if lang != "" {
				b = append(b, " xml:lang=\""...)
				b = appendXMLText(b, lang)
				b = append(b, '"')
			} else if dt != "" {
				b = append(b, " datatype=\""...)
				b = appendXMLText(b, string(dt))
				b = append(b, '"')
			}
			b = append(b, '>')
			b = appendXMLText(b, lex)
			b = append(b, "</literal>"...)
		}
		b = append(b, "</binding>"...)
	}
	b = append(b, "</result>\n"...)
	w.Write(b)
}

func (xmlEncoder) tail(w *bufio.Writer) { w.WriteString("</results>\n</sparql>\n") }

type csvEncoder struct{}

func appendCSVField(b []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return append(b, s...)
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(s, `"`, `""`)...)
	return append(b, '"')
}

func (csvEncoder) head(w *bufio.Writer, vars []string) {
	var b []byte
	for i, v := range vars {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCSVField(b, v)
	}
	w.Write(append(b, '\r', '\n'))
}

func (csvEncoder) row(w *bufio.Writer, vars []string, row []quad.Value, _ bool) {
	b := w.AvailableBuffer()
	for i := range vars {
		if i > 0 {
			b = append(b, ',')
		}
		if i >= len(row) || row[i] == nil {
			continue
		}
		switch t := row[i].(type) {
		case quad.IRI:
			b = appendCSVField(b, string(t))
		case quad.BNode:
			b = appendCSVField(b, "_:"+string(t))
		default:
			lex, _, _, _ := literal(t)
			b = appendCSVField(b, lex)
		}
	}
	w.Write(append(b, '\r', '\n'))
}

func (csvEncoder) tail(*bufio.Writer) {}

type tsvEncoder struct{}

func (tsvEncoder) head(w *bufio.Writer, vars []string) {
	var b []byte
	for i, v := range vars {
		if i > 0 {
			b = append(b, '\t')
		}
		b = append(b, '?')
		b = append(b, v...)
	}
	w.Write(append(b, '\n'))
}

// Turtle's short forms of numbers, which TSV may use.
var (
	turtleInteger = regexp.MustCompile(`^[+-]?[0-9]+$`)
	turtleDecimal = regexp.MustCompile(`^[+-]?[0-9]*\.[0-9]+$`)
	turtleDouble  = regexp.MustCompile(`^[+-]?([0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+$`)
)

func (tsvEncoder) row(w *bufio.Writer, vars []string, row []quad.Value, _ bool) {
	b := w.AvailableBuffer()
	for i := range vars {
		if i > 0 {
			b = append(b, '\t')
		}
		if i >= len(row) || row[i] == nil {
			continue
		}
		b = AppendTerm(b, row[i])
	}
	w.Write(append(b, '\n'))
}

func (tsvEncoder) tail(*bufio.Writer) {}

// iriEscaped marks the ASCII characters an IRIREF may not hold, which
// AppendTerm writes as \u escapes.
var iriEscaped = func() (t [utf8.RuneSelf]bool) {
	for c := 0; c <= 0x20; c++ {
		t[c] = true
	}
	for _, c := range "<>\"{}|^`\\" {
		t[c] = true
	}
	return t
}()

// AppendTerm appends v in the Turtle syntax of an RDF term that TSV uses:
// <iri>, _:label, "text"@lang, "text"^^<datatype>, and the short forms of
// integers, decimals, doubles and booleans whose lexical form allows them.
func AppendTerm(b []byte, v quad.Value) []byte {
	switch t := v.(type) {
	case quad.IRI:
		b = append(b, '<')
		// Byte by byte: only ASCII needs escaping, and the bytes of a
		// multi-byte character are all at least utf8.RuneSelf.
		for i := 0; i < len(t); {
			c := t[i]
			if c < utf8.RuneSelf {
				if iriEscaped[c] {
					b = append(b, `\u00`...)
					b = append(b, hex[c>>4], hex[c&0xF])
				} else {
					b = append(b, c)
				}
				i++
				continue
			}
			r, n := utf8.DecodeRuneInString(string(t[i:]))
			b = utf8.AppendRune(b, r) // an invalid byte becomes U+FFFD
			i += n
		}
		return append(b, '>')
	case quad.BNode:
		return append(append(b, '_', ':'), t...)
	}
	lex, lang, dt, _ := literal(v)
	switch {
	case dt == xsdInteger && turtleInteger.MatchString(lex),
		dt == xsdDecimal && turtleDecimal.MatchString(lex),
		dt == xsdDouble && turtleDouble.MatchString(lex),
		dt == xsdBoolean && (lex == "true" || lex == "false"):
		return append(b, lex...)
	}
	b = append(b, '"')
	for i := 0; i < len(lex); {
		c := lex[i]
		switch c {
		case '"':
			b = append(b, '\\', '"')
		case '\\':
			b = append(b, '\\', '\\')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			if c < utf8.RuneSelf {
				b = append(b, c)
				i++
				continue
			}
			r, n := utf8.DecodeRuneInString(lex[i:])
			if r == utf8.RuneError && n == 1 {
				b = append(b, "\ufffd"...)
			} else {
				b = append(b, lex[i:i+n]...)
			}
			i += n
			continue
		}
		i++
	}
	b = append(b, '"')
	if lang != "" {
		return append(append(b, '@'), lang...)
	}
	if dt != "" {
		b = append(b, '^', '^')
		return AppendTerm(b, dt)
	}
	return b
}
