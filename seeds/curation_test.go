package seeds

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/innograph/innograph/ontology"
)

// The curated graphs are checked with rapper (raptor2), an RDF parser that
// shares no code with ours, so a mistake in our own TriG reader cannot hide a
// mistake in the seed files.

const (
	rdfType     = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
	rdfsLabel   = "<http://www.w3.org/2000/01/rdf-schema#label>"
	rdfsComment = "<http://www.w3.org/2000/01/rdf-schema#comment>"
	rdfsDomain  = "<http://www.w3.org/2000/01/rdf-schema#domain>"
	rdfsRange   = "<http://www.w3.org/2000/01/rdf-schema#range>"
	rdfProperty = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#Property>"
	dctTitle    = "<http://purl.org/dc/terms/title>"
	dctLanguage = "<http://purl.org/dc/terms/language>"
	dctDescr    = "<http://purl.org/dc/terms/description>"
	igNS        = "https://w3id.org/innograph/ontology#"
	idNS        = "https://w3id.org/innograph/id/"
)

// curatedGraph is one hand-curated source document graph.
type curatedGraph struct {
	file  string // path relative to the seeds package
	graph string // named graph IRI, also the source document's IRI
	src   string // file name of the source document under seeds/sources
}

func curatedGraphs() []curatedGraph {
	return []curatedGraph{
		{"graphs/danish-healthtech.trig", idNS + "source/danish-healthtech", "001_bb9f916b7407f8e3.txt"},
		{"graphs/capital-region.trig", idNS + "source/capital-region", "002_5a0156a1a007f6ea.txt"},
	}
}

// nquad is one parsed N-Quads statement; terms keep their N-Quads spelling.
type nquad struct{ s, p, o, g string }

// requireRapper returns rapper's path, skipping locally and failing in CI when
// it is not installed.
func requireRapper(tb testing.TB) string {
	tb.Helper()
	path, err := exec.LookPath("rapper")
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("rapper not found and CI=true: %v", err)
		}
		tb.Skipf("rapper not installed: %v", err)
	}
	return path
}

// relativeBase is the base IRI rapper resolves relative IRIs against; the
// curated files must not contain any, so an IRI under it is an error.
const relativeBase = "https://relative.invalid/"

// runRapper parses file with rapper and returns its N-Quads output; any
// warning or error rapper prints fails the test. The test reads the file
// itself and pipes it to rapper so that go test's cache sees the file.
func runRapper(tb testing.TB, rapper, syntax, file string) []nquad {
	tb.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		tb.Fatalf("read %s: %v", file, err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(rapper, "-q", "-i", syntax, "-o", "nquads", "-", relativeBase)
	cmd.Stdin = bytes.NewReader(data)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("rapper -i %s %s: %v\n%s", syntax, file, err, stderr.String())
	}
	if msg := strings.TrimSpace(stderr.String()); msg != "" {
		tb.Fatalf("rapper -i %s %s printed diagnostics:\n%s", syntax, file, msg)
	}
	if bytes.Contains(stdout.Bytes(), []byte("<"+relativeBase)) {
		tb.Fatalf("%s: relative IRI (resolved against %s)", file, relativeBase)
	}
	var quads []nquad
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		terms, err := splitTerms(line)
		if err != nil || len(terms) < 3 || len(terms) > 4 {
			tb.Fatalf("%s: rapper output line %d unreadable (%v): %s", file, n, err, line)
		}
		q := nquad{s: terms[0], p: terms[1], o: terms[2]}
		if len(terms) == 4 {
			q.g = terms[3]
		}
		quads = append(quads, q)
	}
	return quads
}

// splitTerms splits one N-Quads line (rapper's output, so well formed) into
// its terms, dropping the final dot.
func splitTerms(line string) ([]string, error) {
	var terms []string
	i := 0
	for i < len(line) {
		switch c := line[i]; {
		case c == ' ' || c == '\t':
			i++
		case c == '.':
			return terms, nil
		case c == '<':
			j := strings.IndexByte(line[i:], '>')
			if j < 0 {
				return nil, fmt.Errorf("unterminated IRI at %d", i)
			}
			terms = append(terms, line[i:i+j+1])
			i += j + 1
		case c == '_':
			j := strings.IndexAny(line[i:], " \t")
			if j < 0 {
				return nil, fmt.Errorf("unterminated blank node at %d", i)
			}
			terms = append(terms, line[i:i+j])
			i += j
		case c == '"':
			j := i + 1
			for j < len(line) && line[j] != '"' {
				if line[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(line) {
				return nil, fmt.Errorf("unterminated literal at %d", i)
			}
			j++ // closing quote
			switch {
			case strings.HasPrefix(line[j:], "^^<"):
				k := strings.IndexByte(line[j:], '>')
				j += k + 1
			case strings.HasPrefix(line[j:], "@"):
				for j < len(line) && line[j] != ' ' && line[j] != '\t' {
					j++
				}
			}
			terms = append(terms, line[i:j])
			i = j
		default:
			return nil, fmt.Errorf("unexpected %q at %d", c, i)
		}
	}
	return nil, fmt.Errorf("missing final dot")
}

func TestCuratedGraphs(t *testing.T) {
	rapper := requireRapper(t)
	// bareNumber matches literals that spell a number but carry no datatype.
	bareNumber := regexp.MustCompile(`^"[0-9][0-9.,]*"(@[a-z-]+)?$`)
	for _, tc := range curatedGraphs() {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			quads := runRapper(t, rapper, "trig", tc.file)
			if len(quads) == 0 {
				t.Fatalf("%s: no quads", tc.file)
			}
			graph := "<" + tc.graph + ">"
			props := map[string]map[string][]string{} // subject -> predicate -> objects
			for _, q := range quads {
				if q.g != graph {
					t.Errorf("%s: quad %s %s %s in graph %q, want %s", tc.file, q.s, q.p, q.o, q.g, graph)
				}
				if bareNumber.MatchString(q.o) {
					t.Errorf("%s: %s %s has untyped number %s", tc.file, q.s, q.p, q.o)
				}
				if props[q.s] == nil {
					props[q.s] = map[string][]string{}
				}
				props[q.s][q.p] = append(props[q.s][q.p], q.o)
			}
			for s, ps := range props {
				if len(ps[rdfType]) == 0 {
					t.Errorf("%s: subject %s has no rdf:type", tc.file, s)
				}
				if len(ps[rdfsLabel]) == 0 {
					t.Errorf("%s: subject %s has no rdfs:label", tc.file, s)
				}
			}
			doc := props[graph]
			for _, p := range []string{dctTitle, dctLanguage, dctDescr, "<" + igNS + "sourceFile>"} {
				if len(doc[p]) == 0 {
					t.Errorf("%s: graph IRI %s lacks %s", tc.file, graph, p)
				}
			}
			want := `"seeds/sources/` + tc.src + `"`
			if got := doc["<"+igNS+"sourceFile>"]; len(got) != 1 || got[0] != want {
				t.Errorf("%s: ig:sourceFile = %v, want %s", tc.file, got, want)
			}
		})
	}
}

// TestCuratedTermsDefined checks that every ig: class and property the curated
// graphs use is defined in the ontology or in the curation extension.
func TestCuratedTermsDefined(t *testing.T) {
	rapper := requireRapper(t)
	defined := map[string]bool{}
	for _, f := range []string{"../ontology/innograph.ttl", "../ontology/ext-curation.ttl"} {
		if _, err := os.Stat(f); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("ontology file: %v", err)
			}
			t.Skipf("ontology file: %v", err)
		}
		for _, q := range runRapper(t, rapper, "turtle", f) {
			if q.p == rdfType {
				defined[q.s] = true
			}
		}
	}
	for _, tc := range curatedGraphs() {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			for _, q := range runRapper(t, rapper, "trig", tc.file) {
				terms := []string{q.p}
				if q.p == rdfType {
					terms = append(terms, q.o)
				}
				for _, term := range terms {
					if strings.HasPrefix(term, "<"+igNS) && !defined[term] {
						t.Errorf("%s: %s is not defined in the ontology", tc.file, term)
						defined[term] = true // report once
					}
				}
			}
		})
	}
}

// TestCurationExtension checks that every term of ontology/ext-curation.ttl
// has an English label, a comment, and, for properties, a domain and range.
func TestCurationExtension(t *testing.T) {
	rapper := requireRapper(t)
	quads := runRapper(t, rapper, "turtle", "../ontology/ext-curation.ttl")
	props := map[string]map[string][]string{}
	for _, q := range quads {
		if !strings.HasPrefix(q.s, "<"+igNS) {
			continue
		}
		if props[q.s] == nil {
			props[q.s] = map[string][]string{}
		}
		props[q.s][q.p] = append(props[q.s][q.p], q.o)
	}
	if len(props) == 0 {
		t.Fatal("ext-curation.ttl defines no ig: terms")
	}
	for term, ps := range props {
		t.Run(term, func(t *testing.T) {
			if !hasEnglish(ps[rdfsLabel]) {
				t.Errorf("%s: no rdfs:label@en", term)
			}
			if !hasEnglish(ps[rdfsComment]) {
				t.Errorf("%s: no rdfs:comment@en", term)
			}
			isProperty := false
			for _, ty := range ps[rdfType] {
				if ty == rdfProperty || strings.HasSuffix(ty, "#ObjectProperty>") || strings.HasSuffix(ty, "#DatatypeProperty>") {
					isProperty = true
				}
			}
			if isProperty && (len(ps[rdfsDomain]) == 0 || len(ps[rdfsRange]) == 0) {
				t.Errorf("%s: property without rdfs:domain and rdfs:range", term)
			}
		})
	}
}

func hasEnglish(objects []string) bool {
	for _, o := range objects {
		if strings.HasSuffix(o, "@en") {
			return true
		}
	}
	return false
}

// TestCuratedSlugs checks that the IRIs of organisations, people, places and
// initiatives follow the shared slug rule, so that engineers describing the
// same actor from other documents mint the same IRI: the last path segment is
// ontology.Slug of one of the entity's names (rdfs:label or skos:altLabel)
// in some seed graph: an actor another document named first keeps the IRI
// minted from that document's name (the article's "Region of Central
// Jutland" is the handbook's central-denmark-region).
func TestCuratedSlugs(t *testing.T) {
	rapper := requireRapper(t)
	const skosAltLabel = "<http://www.w3.org/2004/02/skos/core#altLabel>"
	kinds := []ontology.Kind{ontology.KindOrg, ontology.KindPerson, ontology.KindPlace, ontology.KindInitiative}
	names := map[string][]string{} // IRI -> names in every seed graph
	for _, g := range Graphs() {
		for _, q := range runRapper(t, rapper, "trig", g.File) {
			if q.p != rdfsLabel && q.p != skosAltLabel {
				continue
			}
			if name, ok := literalText(q.o); ok {
				iri := strings.Trim(q.s, "<>")
				names[iri] = append(names[iri], name)
			}
		}
	}
	for _, tc := range curatedGraphs() {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			used := map[string]bool{}
			for _, q := range runRapper(t, rapper, "trig", tc.file) {
				used[strings.Trim(q.s, "<>")] = true
			}
			for iri := range used {
				ns := names[iri]
				for _, k := range kinds {
					prefix := idNS + string(k) + "/"
					if !strings.HasPrefix(iri, prefix) {
						continue
					}
					slug := strings.TrimPrefix(iri, prefix)
					ok := false
					for _, n := range ns {
						ok = ok || ontology.Slug(n) == slug
					}
					if !ok {
						t.Errorf("%s: %s: slug %q matches none of the names %q", tc.file, iri, slug, ns)
					}
				}
			}
		})
	}
}

// literalText returns the lexical form of an N-Quads literal without its
// language tag or datatype; it does not undo escapes, which names here lack.
func literalText(term string) (string, bool) {
	if !strings.HasPrefix(term, `"`) {
		return "", false
	}
	end := strings.LastIndex(term, `"`)
	if end <= 0 {
		return "", false
	}
	return term[1:end], true
}
