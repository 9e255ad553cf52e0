package seeds

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/ontology"
)

// The golden TriG files are written by this small formatter: prefixes from
// ontology.Prefixes (only those used), one block for the named graph,
// statements grouped by subject (the source document first, then the
// region, then every other subject in IRI order), rdf:type first as "a",
// then rdfs:label, then the other predicates in order. It handles what
// Profile.Quads produces: IRIs and literals, no blank nodes.

var localRE = regexp.MustCompile(`^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?$`)

type trigWriter struct {
	prefixes []ontology.Prefix
	used     map[string]bool
}

func (w *trigWriter) iri(iri quad.IRI) string {
	best := -1
	for i, p := range w.prefixes {
		if strings.HasPrefix(string(iri), p.NS) && localRE.MatchString(strings.TrimPrefix(string(iri), p.NS)) {
			if best < 0 || len(p.NS) > len(w.prefixes[best].NS) {
				best = i
			}
		}
	}
	if best < 0 {
		return iri.String()
	}
	p := w.prefixes[best]
	w.used[p.Name] = true
	return p.Name + ":" + strings.TrimPrefix(string(iri), p.NS)
}

func (w *trigWriter) term(v quad.Value) string {
	switch v := v.(type) {
	case quad.IRI:
		return w.iri(v)
	case quad.TypedString:
		return v.Value.String() + "^^" + w.iri(v.Type)
	default:
		return v.String()
	}
}

// formatTriG writes quads, all in graph g, as a readable TriG document.
func formatTriG(header string, g quad.IRI, quads []quad.Quad) ([]byte, error) {
	prefixes := append(ontology.Prefixes(),
		ontology.Prefix{Name: "observation", NS: observationBase},
		ontology.Prefix{Name: "answer", NS: answerBase},
		ontology.Prefix{Name: "membership", NS: membershipBase})
	w := &trigWriter{prefixes: prefixes, used: map[string]bool{}}
	bySubject := map[quad.IRI]map[quad.IRI][]quad.Value{}
	for _, q := range quads {
		s, ok1 := q.Subject.(quad.IRI)
		p, ok2 := q.Predicate.(quad.IRI)
		if !ok1 || !ok2 || q.Label != g {
			return nil, fmt.Errorf("formatTriG: unsupported quad %v", q)
		}
		if bySubject[s] == nil {
			bySubject[s] = map[quad.IRI][]quad.Value{}
		}
		bySubject[s][p] = append(bySubject[s][p], q.Object)
	}
	rank := func(s quad.IRI) int {
		switch {
		case s == g:
			return 0
		case strings.HasPrefix(string(s), ontology.IDBase+"region/"):
			return 1
		}
		return 2
	}
	subjects := make([]quad.IRI, 0, len(bySubject))
	for s := range bySubject {
		subjects = append(subjects, s)
	}
	sort.Slice(subjects, func(i, j int) bool {
		ri, rj := rank(subjects[i]), rank(subjects[j])
		if ri != rj {
			return ri < rj
		}
		return subjects[i] < subjects[j]
	})
	var body bytes.Buffer
	gname := w.iri(g)
	fmt.Fprintf(&body, "%s {\n", gname)
	for _, s := range subjects {
		preds := bySubject[s]
		names := make([]quad.IRI, 0, len(preds))
		for p := range preds {
			names = append(names, p)
		}
		prank := func(p quad.IRI) int {
			switch p {
			case rdfTypeIRI:
				return 0
			case rdfsLabelIRI:
				return 1
			}
			return 2
		}
		sort.Slice(names, func(i, j int) bool {
			ri, rj := prank(names[i]), prank(names[j])
			if ri != rj {
				return ri < rj
			}
			return w.iri(names[i]) < w.iri(names[j])
		})
		fmt.Fprintf(&body, "\n  %s", w.iri(s))
		for i, p := range names {
			pname := w.iri(p)
			if p == rdfTypeIRI {
				pname = "a"
			}
			objs := make([]string, 0, len(preds[p]))
			for _, o := range preds[p] {
				objs = append(objs, w.term(o))
			}
			sort.Strings(objs)
			sep := " ;"
			if i == len(names)-1 {
				sep = " ."
			}
			if i == 0 {
				fmt.Fprintf(&body, " %s %s%s\n", pname, strings.Join(objs, " , "), sep)
			} else {
				fmt.Fprintf(&body, "    %s %s%s\n", pname, strings.Join(objs, " ,\n      "), sep)
			}
		}
	}
	body.WriteString("}\n")
	var out bytes.Buffer
	for _, l := range strings.Split(strings.TrimRight(header, "\n"), "\n") {
		fmt.Fprintf(&out, "# %s\n", l)
	}
	out.WriteString("\n")
	width := 0
	for _, p := range w.prefixes {
		if w.used[p.Name] && len(p.Name) > width {
			width = len(p.Name)
		}
	}
	for _, p := range w.prefixes {
		if w.used[p.Name] {
			fmt.Fprintf(&out, "@prefix %-*s <%s> .\n", width+1, p.Name+":", p.NS)
		}
	}
	out.WriteString("\n")
	out.Write(body.Bytes())
	return out.Bytes(), nil
}

// canonicalNQuads returns quads as sorted N-Quads lines with non-ASCII
// characters as they are (the form unescapeNQuads gives rapper's output).
func canonicalNQuads(quads []quad.Quad) []string {
	lines := make([]string, 0, len(quads))
	for _, q := range quads {
		lines = append(lines, fmt.Sprintf("%s %s %s %s .", q.Subject, q.Predicate, q.Object, q.Label))
	}
	sort.Strings(lines)
	return dedup(lines)
}

func dedup(lines []string) []string {
	out := lines[:0]
	for i, l := range lines {
		if i == 0 || l != lines[i-1] {
			out = append(out, l)
		}
	}
	return out
}

var uEscapeRE = regexp.MustCompile(`\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})`)

// unescapeNQuads turns rapper's \uXXXX escapes back into characters.
func unescapeNQuads(s string) string {
	return uEscapeRE.ReplaceAllStringFunc(s, func(m string) string {
		var r rune
		fmt.Sscanf(m[2:], "%x", &r)
		return string(r)
	})
}

func sortStrings(s []string) { sort.Strings(s) }
