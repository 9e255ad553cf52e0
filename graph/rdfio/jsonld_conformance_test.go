package rdfio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/rdfio/rdftest"
)

// The W3C JSON-LD 1.1 suites (toRdf, fromRdf, expand, compact, flatten)
// and the JSON-LD 1.1 Framing suite, copied under testdata/w3c (see its
// README), are read from their manifests and run in full: tests for
// JSON-LD 1.0 processors run in json-ld-1.0 processing mode and count like
// any other. Each suite has one list of known failures with reasons,
// testdata/w3c/known-failures/<suite>.txt; rdftest.Suite fails the run
// when a listed test passes or an unlisted one fails, and the totals must
// match the README's conformance table.

const w3cDir = "../../testdata/w3c"

// ldManifestTest is one entry of a JSON-LD manifest.
type ldManifestTest struct {
	ID      string   `json:"@id"`
	Type    []string `json:"@type"`
	Name    string   `json:"name"`
	Input   string   `json:"input"`
	Expect  string   `json:"expect"`
	Context string   `json:"context"`
	Frame   string   `json:"frame"`
	Error   string   `json:"expectErrorCode"`
	Option  struct {
		SpecVersion           string `json:"specVersion"`
		ProcessingMode        string `json:"processingMode"`
		Base                  string `json:"base"`
		ExpandContext         string `json:"expandContext"`
		ProduceGeneralizedRdf bool   `json:"produceGeneralizedRdf"`
		RDFDirection          string `json:"rdfDirection"`
		UseNativeTypes        bool   `json:"useNativeTypes"`
		UseRdfType            bool   `json:"useRdfType"`
		CompactArrays         *bool  `json:"compactArrays"`
		CompactToRelative     *bool  `json:"compactToRelative"`
		OmitGraph             *bool  `json:"omitGraph"`
		Ordered               bool   `json:"ordered"`
	} `json:"option"`
}

func (tc ldManifestTest) negative() bool {
	return strings.Contains(strings.Join(tc.Type, " "), "NegativeEvaluationTest")
}

// mode is the processing mode a test asks for: json-ld-1.0 for tests of
// 1.0 processors.
func (tc ldManifestTest) mode() string {
	if tc.Option.ProcessingMode == ldMode10 || tc.Option.SpecVersion == ldMode10 {
		return ldMode10
	}
	return ldMode11
}

// ldSuite is a loaded manifest and every file of its folder, served at
// its published URL so remote contexts and documents load offline.
type ldSuite struct {
	dir     string
	baseIRI string
	tests   []ldManifestTest
	docs    map[string][]byte
}

func loadLDSuite(t *testing.T, folder, manifest string) *ldSuite {
	t.Helper()
	dir := filepath.Join(w3cDir, folder)
	raw, err := os.ReadFile(filepath.Join(dir, manifest))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		BaseIRI  string           `json:"baseIri"`
		Sequence []ldManifestTest `json:"sequence"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	if m.BaseIRI == "" || len(m.Sequence) == 0 {
		t.Fatalf("manifest %s has no baseIri or no tests", manifest)
	}
	s := &ldSuite{dir: dir, baseIRI: m.BaseIRI, tests: m.Sequence, docs: map[string][]byte{}}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		s.docs[m.BaseIRI+filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// path finds a file a manifest names: in the suite's folder, or, for a
// test that borrows another suite's input ("expand/er56-in.jsonld" in
// toRdf), in that suite's folder.
func (s *ldSuite) path(name string) string {
	p := filepath.Join(s.dir, filepath.FromSlash(name))
	if _, err := os.Stat(p); err != nil {
		seg, _, _ := strings.Cut(name, "/")
		return filepath.Join(w3cDir, "json-ld-"+seg, filepath.FromSlash(name))
	}
	return p
}

// doc parses a JSON file of the suite.
func (s *ldSuite) doc(name string) (any, error) {
	b, err := os.ReadFile(s.path(name))
	if err != nil {
		return nil, err
	}
	return decodeJSONNumbers(b)
}

// base is the base IRI of a test: where its input is published, unless
// the test says otherwise.
func (s *ldSuite) base(tc ldManifestTest) string {
	if tc.Option.Base != "" {
		return tc.Option.Base
	}
	return s.baseIRI + tc.Input
}

func (s *ldSuite) expandContext(tc ldManifestTest) (any, error) {
	if tc.Option.ExpandContext == "" {
		return nil, nil
	}
	return s.doc(tc.Option.ExpandContext)
}

// run runs every test of the suite through f, which returns the output
// (nil for a negative test that failed as expected) or an error.
func (s *ldSuite) run(t *testing.T, name string, f func(t *testing.T, tc ldManifestTest) error) {
	suite := rdftest.NewSuite(t, name, filepath.Join(w3cDir, "known-failures", name+".txt"))
	for _, tc := range s.tests {
		id := strings.TrimPrefix(tc.ID, "#")
		suite.Run(t, id, tc.Name, func(t *testing.T) error { return f(t, tc) })
	}
	total, passed := suite.Finish(t)
	rdftest.CheckREADME(t, "../../README.md", name, total, passed)
}

// expectError checks a negative test's outcome.
func expectError(tc ldManifestTest, err error) error {
	if err == nil {
		return fmt.Errorf("no error, want %q", tc.Error)
	}
	var le *ldError
	if errors.As(err, &le) && le.Code != tc.Error {
		return fmt.Errorf("error %q, want %q (%v)", le.Code, tc.Error, err)
	}
	if se := (*SyntaxError)(nil); errors.As(err, &se) && !strings.Contains(se.Msg, tc.Error) {
		return fmt.Errorf("error %q, want %q", se.Msg, tc.Error)
	}
	return nil
}

func (s *ldSuite) proc(tc ldManifestTest) *ldProc {
	return &ldProc{mode: tc.mode(), loader: newOfflineLoader(s.docs), issuer: newIssuer("_:b")}
}

func TestJSONLDToRDF(t *testing.T) {
	s := loadLDSuite(t, "json-ld-toRdf", "toRdf-manifest.jsonld")
	f := mustFormat(t, JSONLD)
	s.run(t, "json-ld-toRdf", func(t *testing.T, tc ldManifestTest) error {
		data, err := os.ReadFile(s.path(tc.Input))
		if err != nil {
			return err
		}
		opt := ReadOptions{Base: s.base(tc), Contexts: s.docs, BlankNodePrefix: "t"}
		var got []quad.Quad
		if tc.mode() == ldMode11 && tc.Option.ExpandContext == "" && tc.Option.RDFDirection == "" && !tc.Option.ProduceGeneralizedRdf {
			// The reader's own options: the upload path (ReadAll) and the
			// stream path (NewReader) must agree.
			got, err = ReadAll(data, f, opt, Limits{})
			stream, serr := decodeAll(bytes.NewReader(data), f, opt)
			if (err == nil) != (serr == nil) || err == nil && rdftest.Canonical(got) != rdftest.Canonical(stream) {
				return fmt.Errorf("upload path (%d quads, %v) and stream path (%d quads, %v) differ", len(got), err, len(stream), serr)
			}
		} else {
			ec, err2 := s.expandContext(tc)
			if err2 != nil {
				return err2
			}
			doc, err2 := decodeJSONNumbers(data)
			if err2 != nil {
				return err2
			}
			got, err = jsonldToQuads(doc, opt, "t", ldReadConfig{mode: tc.mode(), expandContext: ec, rdfDirection: tc.Option.RDFDirection})
		}
		if tc.negative() {
			return expectError(tc, err)
		}
		if err != nil {
			return err
		}
		if tc.Expect == "" {
			return nil
		}
		want, err := readAll(t, filepath.Join(s.dir, filepath.FromSlash(tc.Expect)), mustFormat(t, NQuads), "")
		if err != nil {
			return fmt.Errorf("expected result %s: %v", tc.Expect, err)
		}
		if g, w := rdftest.Canonical(got), rdftest.Canonical(want); g != w {
			return fmt.Errorf("datasets differ\n got:\n%s\nwant:\n%s", g, w)
		}
		return nil
	})
}

func TestJSONLDExpand(t *testing.T) {
	s := loadLDSuite(t, "json-ld-expand", "expand-manifest.jsonld")
	s.run(t, "json-ld-expand", func(t *testing.T, tc ldManifestTest) error {
		in, err := s.doc(tc.Input)
		if err != nil {
			return err
		}
		ec, err := s.expandContext(tc)
		if err != nil {
			return err
		}
		got, err := s.proc(tc).expandDoc(in, s.base(tc), ec, false)
		if tc.negative() {
			return expectError(tc, err)
		}
		if err != nil {
			return err
		}
		return s.compare(tc, got)
	})
}

// compare checks output against the expected document.
func (s *ldSuite) compare(tc ldManifestTest, got any) error {
	want, err := s.doc(tc.Expect)
	if err != nil {
		return err
	}
	if !ldEquivalent(got, want) {
		g, _ := json.MarshalIndent(got, "", "  ")
		w, _ := json.MarshalIndent(want, "", "  ")
		return fmt.Errorf("output differs\n got: %s\nwant: %s", g, w)
	}
	return nil
}

// compactOpts are a test's compaction options.
func compactOpts(tc ldManifestTest) compactOptions {
	o := compactOptions{compactArrays: true, compactToRelative: true}
	if tc.Option.CompactArrays != nil {
		o.compactArrays = *tc.Option.CompactArrays
	}
	if tc.Option.CompactToRelative != nil {
		o.compactToRelative = *tc.Option.CompactToRelative
	}
	return o
}

// contextOf reads a context file and returns its "@context" value.
func (s *ldSuite) contextOf(name string) (any, error) {
	c, err := s.doc(name)
	if err != nil {
		return nil, err
	}
	if m, ok := c.(map[string]any); ok {
		if v, ok := m["@context"]; ok {
			return v, nil
		}
	}
	return c, nil
}

func TestJSONLDCompact(t *testing.T) {
	s := loadLDSuite(t, "json-ld-compact", "compact-manifest.jsonld")
	s.run(t, "json-ld-compact", func(t *testing.T, tc ldManifestTest) error {
		got, err := s.compactTest(tc)
		if tc.negative() {
			return expectError(tc, err)
		}
		if err != nil {
			return err
		}
		return s.compare(tc, got)
	})
}

func (s *ldSuite) compactTest(tc ldManifestTest) (any, error) {
	in, err := s.doc(tc.Input)
	if err != nil {
		return nil, err
	}
	p := s.proc(tc)
	expanded, err := p.expandDoc(in, s.base(tc), nil, false)
	if err != nil {
		return nil, err
	}
	ctx, err := s.contextOf(tc.Context)
	if err != nil {
		return nil, err
	}
	active, err := p.processContext(newContext(s.base(tc), tc.mode()), ctx, s.baseIRI+tc.Context, nil, false, true, true)
	if err != nil {
		return nil, err
	}
	return p.compactDoc(active, expanded, ctx, false, compactOpts(tc))
}

func TestJSONLDFlatten(t *testing.T) {
	s := loadLDSuite(t, "json-ld-flatten", "flatten-manifest.jsonld")
	s.run(t, "json-ld-flatten", func(t *testing.T, tc ldManifestTest) error {
		got, err := s.flattenTest(tc)
		if tc.negative() {
			return expectError(tc, err)
		}
		if err != nil {
			return err
		}
		return s.compare(tc, got)
	})
}

func (s *ldSuite) flattenTest(tc ldManifestTest) (any, error) {
	in, err := s.doc(tc.Input)
	if err != nil {
		return nil, err
	}
	p := s.proc(tc)
	expanded, err := p.expandDoc(in, s.base(tc), nil, false)
	if err != nil {
		return nil, err
	}
	flat, err := p.flatten(expanded)
	if err != nil || tc.Context == "" {
		return flat, err
	}
	ctx, err := s.contextOf(tc.Context)
	if err != nil {
		return nil, err
	}
	active, err := p.processContext(newContext(s.base(tc), tc.mode()), ctx, s.baseIRI+tc.Context, nil, false, true, true)
	if err != nil {
		return nil, err
	}
	return p.compactDoc(active, flat, ctx, true, compactOpts(tc))
}

func TestJSONLDFromRDF(t *testing.T) {
	s := loadLDSuite(t, "json-ld-fromRdf", "fromRdf-manifest.jsonld")
	s.run(t, "json-ld-fromRdf", func(t *testing.T, tc ldManifestTest) error {
		fh, err := os.Open(filepath.Join(s.dir, filepath.FromSlash(tc.Input)))
		if err != nil {
			return err
		}
		defer fh.Close()
		qs, err := decodeAll(fh, mustFormat(t, NQuads), ReadOptions{KeepBlankNodeLabels: true})
		if err != nil {
			return fmt.Errorf("input: %v", err)
		}
		p := s.proc(tc)
		got, err := p.fromRDF(qs, rdfOptions{rdfDirection: tc.Option.RDFDirection, useNativeTypes: tc.Option.UseNativeTypes, useRdfType: tc.Option.UseRdfType})
		if tc.negative() {
			return expectError(tc, err)
		}
		if err != nil {
			return err
		}
		return s.compare(tc, got)
	})
}

// ldEquivalent is the JSON-LD object comparison of the W3C test suites:
// objects member by member, arrays without regard to order except the
// values of @list, numbers by value; blank node identifiers may be renamed
// consistently (a bijection), as the suites allow for flattening, framing
// and RDF conversion.
func ldEquivalent(a, b any) bool {
	return ldEquiv(a, b, "", map[string]string{}, map[string]string{})
}

func ldEquiv(a, b any, key string, fwd, back map[string]string) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		keys := sortedKeys(x)
		// Compare scalar members first: they fix blank node labels cheaply.
		sort.SliceStable(keys, func(i, j int) bool { return isScalar(x[keys[i]]) && !isScalar(x[keys[j]]) })
		for _, k := range keys {
			w, ok := y[k]
			if !ok || !ldEquiv(x[k], w, k, fwd, back) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		if key == "@list" {
			for i := range x {
				if !ldEquiv(x[i], y[i], "", fwd, back) {
					return false
				}
			}
			return true
		}
		return ldEquivUnordered(x, y, 0, make([]bool, len(y)), fwd, back)
	case string:
		s, ok := b.(string)
		if !ok {
			return false
		}
		if key == "@language" {
			return strings.EqualFold(x, s)
		}
		if isBlankID(x) && isBlankID(s) {
			if m, ok := fwd[x]; ok {
				return m == s
			}
			if _, ok := back[s]; ok {
				return false
			}
			fwd[x], back[s] = s, x
			return true
		}
		return x == s
	}
	return ldEqual(a, b)
}

// ldEquivUnordered matches x[i:] against the unused members of y,
// backtracking over blank node mappings.
func ldEquivUnordered(x, y []any, i int, used []bool, fwd, back map[string]string) bool {
	if i == len(x) {
		return true
	}
	for j := range y {
		if used[j] {
			continue
		}
		f, b := copyMap(fwd), copyMap(back)
		if ldEquiv(x[i], y[j], "", f, b) {
			used[j] = true
			if ldEquivUnordered(x, y, i+1, used, f, b) {
				for k, v := range f {
					fwd[k] = v
				}
				for k, v := range b {
					back[k] = v
				}
				return true
			}
			used[j] = false
		}
	}
	return false
}

func copyMap(m map[string]string) map[string]string {
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// decodeAll decodes r completely; an error of NewReader or of ReadQuad is
// returned with the quads read so far.
func decodeAll(r io.Reader, f Format, opt ReadOptions) ([]quad.Quad, error) {
	qr, err := NewReader(r, f, opt)
	if err != nil {
		return nil, err
	}
	var qs []quad.Quad
	for {
		q, err := qr.ReadQuad()
		if errors.Is(err, io.EOF) {
			return qs, nil
		}
		if err != nil {
			return qs, err
		}
		qs = append(qs, q)
	}
}

func TestJSONLDFrame(t *testing.T) {
	s := loadLDSuite(t, "json-ld-framing", "frame-manifest.jsonld")
	s.run(t, "json-ld-framing", func(t *testing.T, tc ldManifestTest) error {
		got, err := s.frameTest(tc)
		if tc.negative() {
			return expectError(tc, err)
		}
		if err != nil {
			return err
		}
		return s.compare(tc, got)
	})
}

func (s *ldSuite) frameTest(tc ldManifestTest) (any, error) {
	in, err := s.doc(tc.Input)
	if err != nil {
		return nil, err
	}
	fr, err := s.doc(tc.Frame)
	if err != nil {
		return nil, err
	}
	p := s.proc(tc)
	expanded, err := p.expandDoc(in, s.base(tc), nil, false)
	if err != nil {
		return nil, err
	}
	frameBase := s.baseIRI + tc.Frame
	expandedFrame, err := p.expandDoc(fr, frameBase, nil, true)
	if err != nil {
		return nil, err
	}
	var ctxValue any
	fm, _ := fr.(map[string]any)
	if fm != nil {
		ctxValue = fm["@context"]
	}
	active, err := p.processContext(newContext(s.base(tc), tc.mode()), ctxValue, frameBase, nil, false, true, true)
	if err != nil {
		return nil, err
	}
	hasGraph := false
	for k := range fm {
		if x, _, _ := p.expandIRIString(active, k, false, true); x == "@graph" {
			hasGraph = true
		}
	}
	opt := frameOptions{embed: "@once", omitGraph: tc.mode() == ldMode11, pruneBNodes: tc.mode() == ldMode11}
	if tc.Option.OmitGraph != nil {
		opt.omitGraph = *tc.Option.OmitGraph
	}
	return p.frameDoc(expanded, expandedFrame, active, ctxValue, hasGraph, opt)
}
