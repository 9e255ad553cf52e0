package seeds

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The handbook graph (Region Midtjylland's "Håndbog i Regional Udvikling") is
// curated by hand. These tests parse it with rapper, a parser that shares no
// code with ours, and check the invariants of package seeds on it: one named
// graph, every subject typed and labelled, numbers typed, amounts with a
// currency, the document described inside its own graph, and every ig: term
// defined in the ontology or one of its extensions.

const (
	hbFile   = "graphs/handbook-regional-development.trig"
	hbGraph  = "<https://w3id.org/innograph/id/source/handbook-regional-development>"
	hbSource = `"seeds/sources/003_361b969cf28272ea.txt"`
	hbIG     = "https://w3id.org/innograph/ontology#"
	hbType   = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
	hbLabel  = "<http://www.w3.org/2000/01/rdf-schema#label>"
)

// hbQuad is one N-Quads statement as rapper prints it; terms keep their
// N-Quads spelling.
type hbQuad struct{ s, p, o, g string }

// hbRapper returns rapper's path, skipping the test when it is missing
// locally and failing it when CI=true.
func hbRapper(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("rapper")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("rapper is required when CI=true: %v", err)
		}
		t.Skipf("rapper not installed: %v", err)
	}
	return path
}

// hbParse runs rapper on file (syntax "trig" or "turtle") and returns its
// statements; any diagnostic rapper prints fails the test.
func hbParse(t *testing.T, rapper, syntax, file string) []hbQuad {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("read %s: %v", file, err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(rapper, "-q", "-i", syntax, "-o", "nquads", "-", "https://relative.invalid/")
	cmd.Stdin = bytes.NewReader(data)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("rapper %s: %v\n%s", file, err, stderr.String())
	}
	if msg := strings.TrimSpace(stderr.String()); msg != "" {
		t.Fatalf("rapper %s printed diagnostics:\n%s", file, msg)
	}
	if bytes.Contains(stdout.Bytes(), []byte("<https://relative.invalid/")) {
		t.Fatalf("%s contains a relative IRI", file)
	}
	var quads []hbQuad
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		q, ok := hbSplit(line)
		if !ok {
			t.Fatalf("%s: unreadable rapper output: %s", file, line)
		}
		quads = append(quads, q)
	}
	return quads
}

// hbSplit splits one line of rapper's N-Quads output into subject,
// predicate, object and graph. Subjects, predicates and graph terms contain
// no spaces; a literal object runs to its closing quote and its datatype or
// language tag.
func hbSplit(line string) (hbQuad, bool) {
	line = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(line), "."))
	s, rest, ok := strings.Cut(line, " ")
	if !ok {
		return hbQuad{}, false
	}
	p, rest, ok := strings.Cut(rest, " ")
	if !ok {
		return hbQuad{}, false
	}
	end := strings.IndexByte(rest, ' ')
	if strings.HasPrefix(rest, `"`) {
		i := 1
		for i < len(rest) && rest[i] != '"' {
			if rest[i] == '\\' {
				i++
			}
			i++
		}
		if i >= len(rest) {
			return hbQuad{}, false
		}
		end = i + 1 + strings.IndexByte(rest[i+1:]+" ", ' ')
	}
	if end < 0 || end >= len(rest) {
		return hbQuad{s: s, p: p, o: rest}, true
	}
	return hbQuad{s: s, p: p, o: rest[:end], g: strings.TrimSpace(rest[end:])}, true
}

// hbProps groups the statements by subject and predicate.
func hbProps(quads []hbQuad) map[string]map[string][]string {
	props := map[string]map[string][]string{}
	for _, q := range quads {
		if props[q.s] == nil {
			props[q.s] = map[string][]string{}
		}
		props[q.s][q.p] = append(props[q.s][q.p], q.o)
	}
	return props
}

func TestHandbookGraph(t *testing.T) {
	rapper := hbRapper(t)
	quads := hbParse(t, rapper, "trig", hbFile)
	if len(quads) < 1000 {
		t.Fatalf("%d quads, want the whole handbook (over 1000)", len(quads))
	}
	props := hbProps(quads)
	bareNumber := regexp.MustCompile(`^"[0-9][0-9.,]*"(@[a-z-]+)?$`)

	t.Run("one named graph", func(t *testing.T) {
		for _, q := range quads {
			if q.g != hbGraph {
				t.Errorf("%s %s %s in graph %q, want %s", q.s, q.p, q.o, q.g, hbGraph)
			}
		}
	})
	t.Run("typed and labelled", func(t *testing.T) {
		for s, ps := range props {
			if len(ps[hbType]) == 0 {
				t.Errorf("%s has no rdf:type", s)
			}
			if len(ps[hbLabel]) == 0 {
				t.Errorf("%s has no rdfs:label", s)
			}
		}
	})
	t.Run("typed numbers", func(t *testing.T) {
		for _, q := range quads {
			if bareNumber.MatchString(q.o) && q.p != "<http://www.w3.org/2004/02/skos/core#notation>" && q.p != "<"+hbIG+"nutsCode>" {
				t.Errorf("%s %s has an untyped number %s", q.s, q.p, q.o)
			}
		}
	})
	t.Run("amounts", func(t *testing.T) {
		currency := regexp.MustCompile(`^"[A-Z]{3}"$`)
		for s, ps := range props {
			if !contains(ps[hbType], "<"+hbIG+"MonetaryAmount>") {
				continue
			}
			if a := ps["<"+hbIG+"amount>"]; len(a) != 1 || !strings.HasSuffix(a[0], "^^<http://www.w3.org/2001/XMLSchema#decimal>") {
				t.Errorf("%s: ig:amount %v, want one xsd:decimal", s, a)
			}
			if c := ps["<"+hbIG+"currency>"]; len(c) != 1 || !currency.MatchString(c[0]) {
				t.Errorf("%s: ig:currency %v, want one ISO 4217 code", s, c)
			}
		}
	})
	t.Run("source document", func(t *testing.T) {
		doc := props[hbGraph]
		if !contains(doc[hbType], "<"+hbIG+"SourceDocument>") {
			t.Errorf("graph IRI types %v, want ig:SourceDocument", doc[hbType])
		}
		if got := doc["<"+hbIG+"sourceFile>"]; len(got) != 1 || got[0] != hbSource {
			t.Errorf("ig:sourceFile %v, want %s", got, hbSource)
		}
		if got := doc["<http://purl.org/dc/terms/language>"]; len(got) != 1 || got[0] != `"da"` {
			t.Errorf("dcterms:language %v, want \"da\"", got)
		}
		for _, p := range []string{"title", "description"} {
			if len(doc["<http://purl.org/dc/terms/"+p+">"]) == 0 {
				t.Errorf("graph IRI has no dcterms:%s", p)
			}
		}
		name := strings.TrimPrefix(strings.Trim(hbSource, `"`), "seeds/")
		if _, err := os.Stat(name); err != nil {
			t.Errorf("source file: %v", err)
		}
	})
	t.Run("shared IRIs", func(t *testing.T) {
		// Actors other graphs describe too must keep the shared IRIs.
		for _, iri := range []string{
			"<https://w3id.org/innograph/id/region/dk04>",
			"<https://w3id.org/innograph/id/org/central-denmark-region>",
			"<https://w3id.org/innograph/id/org/aarhus-university-hospital>",
			"<https://w3id.org/innograph/id/org/central-denmark-eu-office>",
			"<https://w3id.org/innograph/id/org/european-union>",
			"<https://w3id.org/innograph/id/initiative/tvaerspor>",
		} {
			if props[iri] == nil {
				t.Errorf("%s is not described", iri)
			}
		}
	})
}

// TestHandbookTermsDefined checks that every ig: class and property the
// handbook graph uses is defined in innograph.ttl or an ext-*.ttl file, and
// that every term of ext-handbook.ttl has English and Danish labels, a
// comment, and, for properties, a domain and a range.
func TestHandbookTermsDefined(t *testing.T) {
	rapper := hbRapper(t)
	files, err := filepath.Glob("../ontology/*.ttl")
	if err != nil || len(files) == 0 {
		t.Fatalf("ontology files: %v (%d found)", err, len(files))
	}
	defined := map[string]bool{}
	for _, f := range files {
		if filepath.Base(f) == "shapes.ttl" {
			continue
		}
		for _, q := range hbParse(t, rapper, "turtle", f) {
			if q.p == hbType {
				defined[q.s] = true
			}
		}
	}
	for _, q := range hbParse(t, rapper, "trig", hbFile) {
		terms := []string{q.p}
		if q.p == hbType {
			terms = append(terms, q.o)
		}
		for _, term := range terms {
			if strings.HasPrefix(term, "<"+hbIG) && !defined[term] {
				t.Errorf("%s is not defined in the ontology", term)
				defined[term] = true // report once
			}
		}
	}

	ext := hbProps(hbParse(t, rapper, "turtle", "../ontology/ext-handbook.ttl"))
	if len(ext) == 0 {
		t.Fatal("ext-handbook.ttl defines nothing")
	}
	for term, ps := range ext {
		if !strings.HasPrefix(term, "<"+hbIG) {
			continue
		}
		var en, da bool
		for _, l := range ps[hbLabel] {
			en = en || strings.HasSuffix(l, "@en")
			da = da || strings.HasSuffix(l, "@da")
		}
		if !en || !da {
			t.Errorf("%s: rdfs:label %v, want @en and @da", term, ps[hbLabel])
		}
		if len(ps["<http://www.w3.org/2000/01/rdf-schema#comment>"]) == 0 {
			t.Errorf("%s has no rdfs:comment", term)
		}
		isProperty := false
		for _, ty := range ps[hbType] {
			isProperty = isProperty || strings.HasSuffix(ty, "Property>")
		}
		domain := ps["<http://www.w3.org/2000/01/rdf-schema#domain>"]
		rng := ps["<http://www.w3.org/2000/01/rdf-schema#range>"]
		if isProperty && (len(domain) == 0 || len(rng) == 0) {
			t.Errorf("%s: property without rdfs:domain and rdfs:range", term)
		}
		super := append(ps["<http://www.w3.org/2000/01/rdf-schema#subPropertyOf>"], ps["<http://www.w3.org/2000/01/rdf-schema#subClassOf>"]...)
		if len(super) == 0 && term != "<"+hbIG+"partnerCount>" && term != "<"+hbIG+"targetYear>" && term != "<"+hbIG+"baseYear>" && term != "<"+hbIG+"expectedYear>" {
			t.Errorf("%s is aligned to nothing (no rdfs:subClassOf or rdfs:subPropertyOf)", term)
		}
	}
}
