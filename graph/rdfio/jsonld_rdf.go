package rdfio

import (
	"bytes"
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/gowebpki/jcs"
)

// Vocabulary the RDF conversions use.
const (
	rdfNS         = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	rdfJSON       = rdfNS + "JSON"
	rdfLangString = rdfNS + "langString"
	i18nNS        = "https://www.w3.org/ns/i18n#"
	ldXSDString   = "http://www.w3.org/2001/XMLSchema#string"
	ldXSDBoolean  = "http://www.w3.org/2001/XMLSchema#boolean"
	ldXSDInteger  = "http://www.w3.org/2001/XMLSchema#integer"
	ldXSDDouble   = "http://www.w3.org/2001/XMLSchema#double"
)

// canonicalJSON is the RFC 8785 (JCS) form of a JSON value, the lexical
// form of an rdf:JSON literal. It fails for a number JSON cannot carry
// (out of the range of IEEE 754 doubles).
func canonicalJSON(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", ldErr("invalid JSON literal", "%v", err)
	}
	out, err := jcs.Transform(bytes.TrimRight(buf.Bytes(), "\n"))
	if err != nil {
		return "", ldErr("invalid JSON literal", "cannot canonicalise (RFC 8785): %v", err)
	}
	return string(out), nil
}

// canonicalDouble is the canonical lexical form of xsd:double the toRdf
// algorithm asks for ("1.1E0", "1.0E21").
func canonicalDouble(f float64) string {
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
	neg := strings.HasPrefix(exp, "-")
	exp = strings.TrimLeft(exp, "+-")
	exp = strings.TrimLeft(exp, "0")
	if exp == "" {
		exp = "0"
	}
	if neg {
		exp = "-" + exp
	}
	return mant + "E" + exp
}

// rdfOptions are the options of the RDF conversions.
type rdfOptions struct {
	rdfDirection   string // "", "i18n-datatype" or "compound-literal"
	useNativeTypes bool
	useRdfType     bool
	// lossless, for the writer: literals that the algorithm would change
	// on the way back (an rdf:JSON literal not in RFC 8785 form, or not
	// JSON at all) stay typed literals.
	lossless bool
}

// toRDF is the Deserialize JSON-LD to RDF algorithm (JSON-LD 1.1 API
// 8.1.2) over expanded input. Blank nodes are labelled by the processor's
// issuer (without "_:").
func (p *ldProc) toRDF(expanded []any, opt rdfOptions) ([]quad.Quad, error) {
	nm := nodeMap{"@default": {}}
	if err := p.generateNodeMap(expanded, nm, "@default", nil, "", nil); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(nm))
	for n := range nm {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []quad.Quad
	for _, name := range names {
		var label quad.Value
		if name != "@default" {
			if label = ldTerm2Value(name); label == nil {
				continue
			}
		}
		g := nm[name]
		for _, id := range sortedNodeIDs(g) {
			subj := ldTerm2Value(id)
			if subj == nil {
				continue
			}
			node := g[id]
			for _, prop := range sortedKeys(node) {
				values, _ := node[prop].([]any)
				if prop == "@type" {
					for _, t := range values {
						s, _ := t.(string)
						if o := ldTerm2Value(s); o != nil {
							out = append(out, quad.Quad{Subject: subj, Predicate: quad.IRI(rdfNS + "type"), Object: o, Label: label})
						}
					}
					continue
				}
				if isKeyword(prop) || isBlankID(prop) || !wellFormedIRI(prop) {
					continue
				}
				for _, item := range values {
					var extra []quad.Quad
					o, err := p.objectToRDF(item, &extra, label, opt)
					if err != nil {
						return nil, err
					}
					if o != nil {
						out = append(out, quad.Quad{Subject: subj, Predicate: quad.IRI(prop), Object: o, Label: label})
					}
					out = append(out, extra...)
				}
			}
		}
	}
	return out, nil
}

// ldTerm2Value converts a node identifier: an IRI or "_:label"; nil when
// it is neither.
func ldTerm2Value(id string) quad.Value {
	if isBlankID(id) {
		if len(id) == 2 {
			return nil
		}
		return quad.BNode(id[2:])
	}
	if wellFormedIRI(id) {
		return quad.IRI(id)
	}
	return nil
}

// objectToRDF is the Object to RDF Conversion algorithm (8.2.2); list
// triples go to extra.
func (p *ldProc) objectToRDF(item any, extra *[]quad.Quad, label quad.Value, opt rdfOptions) (quad.Value, error) {
	m, ok := item.(map[string]any)
	if !ok {
		return nil, nil
	}
	if !isValueObject(m) && !isListObject(m) {
		id, _ := m["@id"].(string)
		return ldTerm2Value(id), nil
	}
	if l, ok := m["@list"]; ok {
		return p.listToRDF(asArray(l), extra, label, opt)
	}
	value := m["@value"]
	dt, _ := m["@type"].(string)
	if _, has := m["@type"]; has && dt != "@json" && !wellFormedIRI(dt) {
		return nil, nil
	}
	lang, hasLang := m["@language"].(string)
	if hasLang && !wellFormedLang(lang) {
		return nil, nil
	}
	var lex string
	switch {
	case dt == "@json":
		s, err := canonicalJSON(value)
		if err != nil {
			return nil, err
		}
		lex, dt = s, rdfJSON
	default:
		switch v := value.(type) {
		case bool:
			lex = strconv.FormatBool(v)
			if dt == "" {
				dt = ldXSDBoolean
			}
		case json.Number, float64:
			f, _ := ldNumber(v)
			if n, isNum := v.(json.Number); isNum && f == math.Trunc(f) && math.Abs(f) < 1e21 && dt != ldXSDDouble && plainInteger(string(n)) {
				lex = strings.TrimPrefix(string(n), "-")
				if lex != string(n) && strings.Trim(lex, "0") != "" {
					lex = "-" + lex
				}
				if dt == "" {
					dt = ldXSDInteger
				}
			} else if f != math.Trunc(f) || math.Abs(f) >= 1e21 || dt == ldXSDDouble || math.IsInf(f, 0) {
				lex = canonicalDouble(f)
				if dt == "" {
					dt = ldXSDDouble
				}
			} else {
				if f == 0 {
					f = 0 // no "-0"
				}
				lex = strconv.FormatFloat(f, 'f', -1, 64)
				if dt == "" {
					dt = ldXSDInteger
				}
			}
		case string:
			lex = v
		default:
			return nil, nil
		}
	}
	if dir, ok := m["@direction"].(string); ok && opt.rdfDirection != "" {
		switch opt.rdfDirection {
		case "i18n-datatype":
			return quad.TypedString{Value: quad.String(lex), Type: quad.IRI(i18nNS + strings.ToLower(lang) + "_" + dir)}, nil
		case "compound-literal":
			b := quad.BNode(strings.TrimPrefix(p.issuer.get(""), "_:"))
			*extra = append(*extra, quad.Quad{Subject: b, Predicate: quad.IRI(rdfNS + "value"), Object: quad.String(lex), Label: label})
			if hasLang {
				*extra = append(*extra, quad.Quad{Subject: b, Predicate: quad.IRI(rdfNS + "language"), Object: quad.String(strings.ToLower(lang)), Label: label})
			}
			*extra = append(*extra, quad.Quad{Subject: b, Predicate: quad.IRI(rdfNS + "direction"), Object: quad.String(dir), Label: label})
			return b, nil
		}
	}
	switch {
	case hasLang:
		return quad.LangString{Value: quad.String(lex), Lang: strings.ToLower(lang)}, nil
	case dt == "" || dt == ldXSDString:
		return quad.String(lex), nil
	}
	return quad.TypedString{Value: quad.String(lex), Type: quad.IRI(dt)}, nil
}

// plainInteger reports whether a JSON number is written as an integer
// (no fraction, no exponent).
func plainInteger(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// wellFormedLang is a BCP 47 shape check: alphanumeric subtags of 1-8
// characters, the first alphabetic.
func wellFormedLang(s string) bool {
	if s == "" {
		return false
	}
	for i, sub := range strings.Split(s, "-") {
		if len(sub) == 0 || len(sub) > 8 {
			return false
		}
		for j := 0; j < len(sub); j++ {
			c := sub[j]
			if !(ttlAlpha(c) || i > 0 && ttlDigit(c)) {
				return false
			}
		}
	}
	return true
}

// listToRDF is the List to RDF Conversion algorithm (8.3.2).
func (p *ldProc) listToRDF(list []any, extra *[]quad.Quad, label quad.Value, opt rdfOptions) (quad.Value, error) {
	if len(list) == 0 {
		return quad.IRI(rdfNS + "nil"), nil
	}
	nodes := make([]quad.Value, len(list))
	for i := range list {
		nodes[i] = quad.BNode(strings.TrimPrefix(p.issuer.get(""), "_:"))
	}
	for i, item := range list {
		var inner []quad.Quad
		o, err := p.objectToRDF(item, &inner, label, opt)
		if err != nil {
			return nil, err
		}
		if o != nil {
			*extra = append(*extra, quad.Quad{Subject: nodes[i], Predicate: quad.IRI(rdfNS + "first"), Object: o, Label: label})
		}
		var rest quad.Value = quad.IRI(rdfNS + "nil")
		if i+1 < len(nodes) {
			rest = nodes[i+1]
		}
		*extra = append(*extra, quad.Quad{Subject: nodes[i], Predicate: quad.IRI(rdfNS + "rest"), Object: rest, Label: label})
		*extra = append(*extra, inner...)
	}
	return nodes[0], nil
}

// ldID is the JSON-LD form of an IRI or blank node.
func ldID(v quad.Value) string {
	if b, ok := v.(quad.BNode); ok {
		return "_:" + string(b)
	}
	return string(v.(quad.IRI))
}

// rdfToObject is the RDF to Object Conversion algorithm (8.5.2).
func (p *ldProc) rdfToObject(v quad.Value, opt rdfOptions) (map[string]any, error) {
	switch t := v.(type) {
	case quad.IRI, quad.BNode:
		return map[string]any{"@id": ldID(v)}, nil
	case quad.String:
		return map[string]any{"@value": string(t)}, nil
	case quad.LangString:
		return map[string]any{"@value": string(t.Value), "@language": t.Lang}, nil
	}
	ts := v.(quad.TypedString)
	lex, dt := string(ts.Value), string(ts.Type)
	result := map[string]any{}
	var converted any = lex
	typ := ""
	switch {
	case dt == ldXSDString:
	case opt.useNativeTypes && dt == ldXSDBoolean:
		switch lex {
		case "true", "1":
			converted = true
		case "false", "0":
			converted = false
		default:
			typ = dt
		}
	case opt.useNativeTypes && (dt == ldXSDInteger || dt == ldXSDDouble):
		if n, ok := nativeNumber(lex, dt); ok {
			converted = n
		} else {
			typ = dt
		}
	case dt == rdfJSON && p.mode != ldMode10:
		parsed, err := decodeJSONNumbers([]byte(lex))
		if err != nil {
			if opt.lossless {
				typ = dt
				break
			}
			return nil, ldErr("invalid JSON literal", "%q: %v", lex, err)
		}
		if opt.lossless {
			if c, err := canonicalJSON(parsed); err != nil || c != lex {
				typ = dt
				break
			}
		}
		converted, typ = parsed, "@json"
	case opt.rdfDirection == "i18n-datatype" && strings.HasPrefix(dt, i18nNS):
		lang, dir, _ := strings.Cut(dt[len(i18nNS):], "_")
		if lang != "" {
			result["@language"] = lang
		}
		if dir != "" {
			result["@direction"] = dir
		}
	default:
		typ = dt
	}
	result["@value"] = converted
	if typ != "" {
		result["@type"] = typ
	}
	return result, nil
}

// nativeNumber converts an xsd:integer or xsd:double lexical form to a JSON
// number.
func nativeNumber(lex, dt string) (json.Number, bool) {
	if dt == ldXSDInteger {
		s := strings.TrimPrefix(lex, "+")
		if !plainInteger(s) {
			return "", false
		}
		return json.Number(s), true
	}
	f, err := strconv.ParseFloat(lex, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return "", false
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), true
}
