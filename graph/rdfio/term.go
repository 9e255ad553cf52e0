package rdfio

import (
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
)

// This file is the one conversion from quad values to RDF term text
// (N-Triples, N-Quads, Turtle and TriG share it) and back to the term
// conventions of doc.go for values that arrive in other shapes.

const hexDigits = "0123456789ABCDEF"

const xsdDateTime quad.IRI = "http://www.w3.org/2001/XMLSchema#dateTime"

// xsdDouble formats f in the canonical xsd:double form (1.5E3, INF, NaN).
func xsdDouble(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "INF"
	case math.IsInf(f, -1):
		return "-INF"
	case math.IsNaN(f):
		return "NaN"
	}
	s := strconv.FormatFloat(f, 'E', -1, 64)
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	if exp[0] == '+' {
		exp = exp[1:]
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

// normTerm brings a value to the term conventions of doc.go: Cayley's native
// values (quad.Int, quad.Float, quad.Bool, quad.Time) become TypedString,
// "x"^^xsd:string becomes String and language tags are lower-cased. It
// returns an error for nil and for values that are no RDF term.
func normTerm(v quad.Value) (quad.Value, error) {
	switch t := v.(type) {
	case quad.IRI, quad.BNode, quad.String:
		return v, nil
	case quad.TypedString:
		if t.Type == ttlXSDString {
			return t.Value, nil
		}
		return t, nil
	case quad.LangString:
		if l := asciiLower(t.Lang); l != t.Lang {
			t.Lang = l
		}
		return t, nil
	case quad.Int:
		return quad.TypedString{Value: quad.String(strconv.FormatInt(int64(t), 10)), Type: ttlXSDInteger}, nil
	case quad.Float:
		return quad.TypedString{Value: quad.String(xsdDouble(float64(t))), Type: ttlXSDDouble}, nil
	case quad.Bool:
		return quad.TypedString{Value: quad.String(strconv.FormatBool(bool(t))), Type: ttlXSDBoolean}, nil
	case quad.Time:
		return quad.TypedString{Value: quad.String(time.Time(t).Format(time.RFC3339Nano)), Type: xsdDateTime}, nil
	case quad.TypedStringer:
		// Cayley's own conversions name datatypes by short forms such as
		// schema:Integer; only unknown native kinds get here.
		return normTerm(t.TypedString())
	case nil:
		return nil, fmt.Errorf("rdfio: missing term")
	}
	return nil, fmt.Errorf("rdfio: %T is not an RDF term", v)
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// appendTerm appends the N-Triples form of v to b. v must already be
// normalised by normTerm.
func appendTerm(b []byte, v quad.Value) []byte {
	switch t := v.(type) {
	case quad.IRI:
		return appendIRI(b, string(t))
	case quad.BNode:
		return appendBNode(b, string(t))
	case quad.String:
		return appendString(b, string(t))
	case quad.LangString:
		b = appendString(b, string(t.Value))
		b = append(b, '@')
		return append(b, t.Lang...)
	case quad.TypedString:
		b = appendString(b, string(t.Value))
		b = append(b, '^', '^')
		return appendIRI(b, string(t.Type))
	}
	// Unreachable after normTerm; keep the output well-formed regardless.
	return appendString(b, quad.StringOf(v))
}

// appendIRI appends <iri>, writing the characters IRIREF excludes as \u
// escapes. Strict readers (ours among them, following the W3C negative
// syntax tests) reject such escapes, but such an IRI has no valid written
// form at all, and an escape keeps the output one term per IRI rather than
// silently changing the IRI. Invalid UTF-8 becomes U+FFFD.
func appendIRI(b []byte, s string) []byte {
	b = append(b, '<')
	// Most IRIs are plain ASCII with nothing to escape: copy the run of
	// such bytes at once.
	plain := 0
	for plain < len(s) && iriPlain[s[plain]] {
		plain++
	}
	b = append(b, s[:plain]...)
	for i := plain; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if ttlIRIForbidden(rune(c)) {
				b = appendUEscape(b, rune(c))
			} else {
				b = append(b, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = append(b, "\\uFFFD"...)
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return append(b, '>')
}

// iriPlain marks the ASCII bytes an IRI is written with as they are.
var iriPlain = func() (t [256]bool) {
	for c := 0; c < utf8.RuneSelf; c++ {
		t[c] = !ttlIRIForbidden(rune(c))
	}
	return t
}()

func appendUEscape(b []byte, r rune) []byte {
	if r > 0xFFFF {
		b = append(b, '\\', 'U')
		for sh := 28; sh >= 0; sh -= 4 {
			b = append(b, hexDigits[(r>>uint(sh))&0xF])
		}
		return b
	}
	return append(b, '\\', 'u', hexDigits[r>>12&0xF], hexDigits[r>>8&0xF], hexDigits[r>>4&0xF], hexDigits[r&0xF])
}

// appendString appends s as a STRING_LITERAL_QUOTE: \" \\ \n \r \t are
// written as such, other control characters (and DEL) as \u00XX, invalid
// UTF-8 as \uFFFD, everything else as UTF-8.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				b = append(b, s[start:i]...)
				b = append(b, "\\uFFFD"...)
				i++
				start = i
				continue
			}
			i += n
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' && c != 0x7F {
			i++
			continue
		}
		b = append(b, s[start:i]...)
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
			b = appendUEscape(b, rune(c))
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// validBNodeLabel reports whether s matches BLANK_NODE_LABEL without "_:".
func validBNodeLabel(s string) bool {
	if s == "" {
		return false
	}
	last := rune(0)
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			return false
		case i == 0:
			if !ttlPNCharsU(r) && !(r >= '0' && r <= '9') {
				return false
			}
		case r != '.' && !ttlPNChars(r):
			return false
		}
		last = r
	}
	return last != '.'
}

// appendBNode appends _:label. A label the grammar cannot carry (the store
// may hold any string) is written as "x-" and its bytes in hex, which keeps
// distinct labels distinct.
func appendBNode(b []byte, s string) []byte {
	b = append(b, '_', ':')
	if validBNodeLabel(s) {
		return append(b, s...)
	}
	b = append(b, 'x', '-')
	return hex.AppendEncode(b, []byte(s))
}
