package results

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
)

// makeLiteral builds a literal value in the term conventions of
// graph/rdfio.
func makeLiteral(lex, lang, dt string) quad.Value {
	switch {
	case lang != "":
		return quad.LangString{Value: quad.String(lex), Lang: strings.ToLower(lang)}
	case dt != "" && quad.IRI(dt) != xsdString:
		return quad.TypedString{Value: quad.String(lex), Type: quad.IRI(dt)}
	}
	return quad.String(lex)
}

func (r *Result) index(name string) int {
	for i, v := range r.Vars {
		if v == name {
			return i
		}
	}
	r.Vars = append(r.Vars, name)
	for i := range r.Rows {
		r.Rows[i] = append(r.Rows[i], nil)
	}
	return len(r.Vars) - 1
}

type jsonTerm struct {
	Type     string `json:"type"`
	Value    string `json:"value"`
	Lang     string `json:"xml:lang"`
	Datatype string `json:"datatype"`
}

func readJSON(r io.Reader) (*Result, error) {
	var doc struct {
		Head struct {
			Vars []string `json:"vars"`
		} `json:"head"`
		Boolean *bool `json:"boolean"`
		Results *struct {
			Bindings []map[string]jsonTerm `json:"bindings"`
		} `json:"results"`
	}
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return nil, fmt.Errorf("results: JSON: %w", err)
	}
	res := &Result{Vars: doc.Head.Vars, Boolean: doc.Boolean}
	if doc.Boolean != nil {
		return res, nil
	}
	if doc.Results == nil {
		return nil, fmt.Errorf("results: JSON has neither results nor boolean")
	}
	for _, b := range doc.Results.Bindings {
		row := make([]quad.Value, len(res.Vars))
		for name, t := range b {
			i := res.index(name)
			if i >= len(row) {
				row = append(row, make([]quad.Value, i+1-len(row))...)
			}
			switch t.Type {
			case "uri":
				row[i] = quad.IRI(t.Value)
			case "bnode":
				row[i] = quad.BNode(t.Value)
			case "literal", "typed-literal":
				row[i] = makeLiteral(t.Value, t.Lang, t.Datatype)
			default:
				return nil, fmt.Errorf("results: JSON term type %q", t.Type)
			}
		}
		res.Rows = append(res.Rows, row)
	}
	return res, nil
}

func readXML(r io.Reader) (*Result, error) {
	dec := xml.NewDecoder(r)
	res := &Result{}
	var row []quad.Value
	var binding string
	var text strings.Builder
	var kind, lang, dt string
	inTerm := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return res, nil
		}
		if err != nil {
			return nil, fmt.Errorf("results: XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "variable":
				for _, a := range t.Attr {
					if a.Name.Local == "name" {
						res.Vars = append(res.Vars, a.Value)
					}
				}
			case "result":
				row = make([]quad.Value, len(res.Vars))
			case "binding":
				for _, a := range t.Attr {
					if a.Name.Local == "name" {
						binding = a.Value
					}
				}
			case "uri", "bnode", "literal":
				kind, lang, dt, inTerm = t.Name.Local, "", "", true
				text.Reset()
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "lang":
						lang = a.Value
					case "datatype":
						dt = a.Value
					}
				}
			case "boolean":
				kind, inTerm = "boolean", true
				text.Reset()
			}
		case xml.CharData:
			if inTerm {
				text.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "uri", "bnode", "literal":
				inTerm = false
				var v quad.Value
				switch kind {
				case "uri":
					v = quad.IRI(strings.TrimSpace(text.String()))
				case "bnode":
					v = quad.BNode(strings.TrimSpace(text.String()))
				default:
					v = makeLiteral(text.String(), lang, dt)
				}
				i := res.index(binding)
				if i >= len(row) {
					row = append(row, make([]quad.Value, i+1-len(row))...)
				}
				row[i] = v
			case "result":
				res.Rows = append(res.Rows, row)
			case "boolean":
				inTerm = false
				b := strings.TrimSpace(text.String()) == "true"
				res.Boolean = &b
			}
		}
	}
}

func readCSV(r io.Reader) (*Result, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("results: CSV: %w", err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("results: CSV without a header")
	}
	res := &Result{Vars: recs[0]}
	for _, rec := range recs[1:] {
		row := make([]quad.Value, len(res.Vars))
		for i, f := range rec {
			if i >= len(row) {
				return nil, fmt.Errorf("results: CSV row with %d fields for %d variables", len(rec), len(res.Vars))
			}
			switch {
			case f == "":
			case strings.HasPrefix(f, "_:"):
				row[i] = quad.BNode(f[2:])
			default:
				row[i] = quad.String(f)
			}
		}
		res.Rows = append(res.Rows, row)
	}
	return res, nil
}

func readTSV(r io.Reader) (*Result, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	if !sc.Scan() {
		return nil, fmt.Errorf("results: TSV without a header")
	}
	res := &Result{}
	for _, v := range strings.Split(strings.TrimRight(sc.Text(), "\r"), "\t") {
		if v == "" {
			continue
		}
		res.Vars = append(res.Vars, strings.TrimLeft(v, "?$"))
	}
	for n := 2; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		fields := strings.Split(line, "\t")
		if line == "" && len(res.Vars) > 0 {
			continue
		}
		row := make([]quad.Value, len(res.Vars))
		for i, f := range fields {
			if i >= len(row) {
				return nil, fmt.Errorf("results: TSV line %d has %d fields for %d variables", n, len(fields), len(res.Vars))
			}
			f = strings.TrimSpace(f)
			if f == "" {
				continue
			}
			v, err := ParseTerm(f)
			if err != nil {
				return nil, fmt.Errorf("results: TSV line %d: %w", n, err)
			}
			row[i] = v
		}
		res.Rows = append(res.Rows, row)
	}
	return res, sc.Err()
}

// ParseTerm parses one RDF term in the Turtle syntax TSV uses (the inverse
// of AppendTerm; prefixed names are not allowed).
func ParseTerm(s string) (quad.Value, error) {
	switch {
	case strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">"):
		iri, err := unescape(s[1:len(s)-1], false)
		return quad.IRI(iri), err
	case strings.HasPrefix(s, "_:"):
		return quad.BNode(s[2:]), nil
	case s == "true" || s == "false":
		return quad.TypedString{Value: quad.String(s), Type: xsdBoolean}, nil
	case strings.HasPrefix(s, `"`) || strings.HasPrefix(s, "'"):
		q := s[0]
		end := -1
		for i := 1; i < len(s); i++ {
			if s[i] == '\\' {
				i++
				continue
			}
			if s[i] == q {
				end = i
				break
			}
		}
		if end < 0 {
			return nil, fmt.Errorf("unterminated string in %q", s)
		}
		lex, err := unescape(s[1:end], true)
		if err != nil {
			return nil, err
		}
		rest := s[end+1:]
		switch {
		case rest == "":
			return quad.String(lex), nil
		case strings.HasPrefix(rest, "@"):
			return makeLiteral(lex, rest[1:], ""), nil
		case strings.HasPrefix(rest, "^^<") && strings.HasSuffix(rest, ">"):
			dt, err := unescape(rest[3:len(rest)-1], false)
			return makeLiteral(lex, "", dt), err
		}
		return nil, fmt.Errorf("bad literal %q", s)
	case turtleInteger.MatchString(s):
		return quad.TypedString{Value: quad.String(s), Type: xsdInteger}, nil
	case turtleDecimal.MatchString(s):
		return quad.TypedString{Value: quad.String(s), Type: xsdDecimal}, nil
	case turtleDouble.MatchString(s):
		return quad.TypedString{Value: quad.String(s), Type: xsdDouble}, nil
	}
	return nil, fmt.Errorf("bad term %q", s)
}

// unescape resolves \uXXXX and \UXXXXXXXX and, in strings, the Turtle
// character escapes.
func unescape(s string, str bool) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch e := s[i]; {
		case e == 'u' || e == 'U':
			n := 4
			if e == 'U' {
				n = 8
			}
			if i+1+n > len(s) {
				return "", fmt.Errorf("bad escape in %q", s)
			}
			v, err := strconv.ParseUint(s[i+1:i+1+n], 16, 32)
			if err != nil || !utf8.ValidRune(rune(v)) {
				return "", fmt.Errorf("bad escape in %q", s)
			}
			b.WriteRune(rune(v))
			i += n
		case !str:
			return "", fmt.Errorf("bad escape in %q", s)
		default:
			switch e {
			case 't':
				b.WriteByte('\t')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case '"', '\'', '\\':
				b.WriteByte(e)
			default:
				return "", fmt.Errorf("bad escape \\%c", e)
			}
		}
	}
	return b.String(), nil
}
