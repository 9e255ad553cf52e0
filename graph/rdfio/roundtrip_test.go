package rdfio

import (
	"bytes"
	"encoding/json"
	"fmt"

	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/rdfio/rdftest"
)

// rtDataset is the expected dataset of one W3C evaluation test.
type rtDataset struct {
	name string // suite/test
	qs   []quad.Quad
}

// evalDatasets reads the expected dataset of every evaluation test of the
// Turtle, TriG and JSON-LD toRdf suites.
func evalDatasets(t *testing.T) []rtDataset {
	t.Helper()
	var out []rtDataset
	for _, suite := range []string{"rdf-turtle", "rdf-trig"} {
		dir := filepath.Join(w3cDir, suite)
		_, tests := readManifest(t, dir)
		for _, tc := range tests {
			if !strings.HasSuffix(tc.typ, "Eval") || strings.HasSuffix(tc.typ, "NegativeEval") {
				continue
			}
			rf := NTriples
			if strings.HasSuffix(tc.result, ".nq") {
				rf = NQuads
			}
			qs, err := readAll(t, filepath.Join(dir, tc.result), mustFormat(t, rf), "")
			if err != nil {
				t.Fatalf("%s/%s: %v", suite, tc.result, err)
			}
			out = append(out, rtDataset{suite + "/" + tc.name, qs})
		}
	}
	s := loadLDSuite(t, "json-ld-toRdf", "toRdf-manifest.jsonld")
	for _, tc := range s.tests {
		if tc.negative() || tc.Expect == "" || tc.Option.ProduceGeneralizedRdf {
			continue
		}
		qs, err := readAll(t, s.path(tc.Expect), mustFormat(t, NQuads), "")
		if err != nil {
			continue // generalized RDF (a blank node predicate), which no writer carries
		}
		out = append(out, rtDataset{"json-ld-toRdf/" + strings.TrimPrefix(tc.ID, "#"), qs})
	}
	return out
}

// rtTools are the syntaxes each independent reader is given a format in.
var (
	rapperSyntax = map[string]string{Turtle: "turtle", TriG: "trig", NTriples: "ntriples", NQuads: "nquads"}
	rdflibSyntax = map[string]string{Turtle: "turtle", TriG: "trig", NTriples: "nt", NQuads: "nquads", JSONLD: "json-ld"}
)

// TestRoundTripEvalDatasets is the round-trip acceptance test: the
// expected dataset of every evaluation test of the W3C Turtle, TriG and
// JSON-LD suites, written by each of our writers, is read back by our
// reader of that format, by rapper (where it reads the format) and by
// rdflib, and each must read the very dataset written (up to blank node
// labels; graph labels dropped for formats without graphs). Known
// divergences of the tools are listed with reasons in
// testdata/w3c/known-failures/round-trip.txt.
func TestRoundTripEvalDatasets(t *testing.T) {
	rdftest.RequireTool(t, rdftest.Rapper)
	rdftest.RequirePython(t, "rdflib")
	datasets := evalDatasets(t)
	type doc struct {
		id, format string
		data       []byte
		want       string
	}
	var docs []doc
	opt := WriteOptions{Prefixes: testPrefixes, JSONLD: JSONLDOptions{Context: []byte(testContext)}}
	for _, ds := range datasets {
		for _, f := range Formats() {
			if !f.Writable {
				continue
			}
			var data []byte
			if f.Name == RDFXML {
				// RDF/XML cannot carry every dataset (XML 1.0 has no way
				// to write U+0000, a predicate needs an XML local name):
				// those its writer refuses are left out, the rest read back.
				var err error
				if data, err = tryEncode(ds.qs, f, opt); err != nil {
					continue
				}
			} else {
				data = encode(t, ds.qs, f, opt)
			}
			docs = append(docs, doc{id: f.Name + "/" + ds.name, format: f.Name, data: data,
				want: rdftest.Canonical(expected(t, ds.qs, f))})
		}
	}
	start := time.Now()
	// rapper reads many documents of one format at once, separated by a
	// marker triple (its output keeps the input's order); a chunk it
	// refuses is read again one document at a time.
	rapperOut := make([]string, len(docs))
	var wg sync.WaitGroup
	for name, syntax := range rapperSyntax {
		var idx []int
		for i, d := range docs {
			if d.format == name {
				idx = append(idx, i)
			}
		}
		for len(idx) > 0 {
			chunk := idx[:min(len(idx), 100)]
			idx = idx[len(chunk):]
			wg.Add(1)
			go func(syntax string, chunk []int) {
				defer wg.Done()
				var in bytes.Buffer
				for _, i := range chunk {
					in.Write(docs[i].data)
					fmt.Fprintf(&in, "\n%s .\n", rtMarker)
				}
				if parts, ok := runRapper(syntax, in.Bytes()); ok {
					if split := strings.Split(parts, rtMarker+" .\n"); len(split) == len(chunk)+1 {
						for k, i := range chunk {
							rapperOut[i] = split[k]
						}
						return
					}
				}
				for _, i := range chunk {
					out, ok := runRapper(syntax, docs[i].data)
					if !ok {
						out = "ERROR " + out
					}
					rapperOut[i] = out
				}
			}(syntax, chunk)
		}
	}
	// rdflib, every document in one process.
	var batch []map[string]string
	for _, d := range docs {
		if syntax, ok := rdflibSyntax[d.format]; ok {
			batch = append(batch, map[string]string{"id": d.id, "format": syntax, "data": string(d.data)})
		}
	}
	in, err := json.Marshal(batch)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	rdflibOut := splitBatch(string(rdftest.Run(t, bytes.NewReader(in), rdftest.Python, "-c", rdftest.RDFLibBatchScript)))
	t.Logf("rdflib: %v", time.Since(t0))
	wg.Wait()
	t.Logf("rapper: %v", time.Since(start))

	read := func(nq string) (string, error) {
		if strings.HasPrefix(nq, "ERROR") {
			return "", fmt.Errorf("%s", nq)
		}
		qs, err := decodeAll(strings.NewReader(nq), mustFormat(t, NQuads), ReadOptions{})
		if err != nil {
			return "", fmt.Errorf("its N-Quads output: %v", err)
		}
		return rdftest.Canonical(qs), nil
	}
	suite := rdftest.NewSuite(t, "round-trip", filepath.Join(w3cDir, "known-failures", "round-trip.txt"))
	for i, d := range docs {
		check := func(got string, err error) error {
			if err != nil {
				return err
			}
			if got != d.want {
				return fmt.Errorf("reads a different dataset\n got:\n%s\nwant:\n%s\ndocument:\n%s", got, d.want, d.data)
			}
			return nil
		}
		suite.Run(t, "innograph/"+d.id, "", func(t *testing.T) error {
			qs, err := decodeAll(bytes.NewReader(d.data), mustFormat(t, d.format), ReadOptions{})
			return check(rdftest.Canonical(qs), err)
		})
		if _, ok := rapperSyntax[d.format]; ok {
			suite.Run(t, "rapper/"+d.id, "", func(t *testing.T) error { return check(read(rapperOut[i])) })
		}
		if _, ok := rdflibSyntax[d.format]; ok {
			suite.Run(t, "rdflib/"+d.id, "", func(t *testing.T) error {
				out, ok := rdflibOut[d.id]
				if !ok {
					return fmt.Errorf("rdflib printed nothing for it")
				}
				return check(read(out))
			})
		}
	}
	suite.Finish(t)
}

// tryEncode is encode returning the writer's error.
func tryEncode(qs []quad.Quad, f Format, opt WriteOptions) ([]byte, error) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, f, opt)
	if err != nil {
		return nil, err
	}
	if _, err := w.WriteQuads(qs); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// rtMarker is the triple that separates documents read in one batch.
const rtMarker = "<urn:x-innograph-test:next> <urn:x-innograph-test:next> <urn:x-innograph-test:next>"

// runRapper reads one document in syntax with rapper; ok is false when
// rapper fails, and then the output is its first error line.
func runRapper(syntax string, data []byte) (string, bool) {
	cmd := exec.Command(rdftest.Rapper, rdftest.RapperArgs(syntax, "http://example.org/base")...)
	cmd.Stdin = bytes.NewReader(data)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return err.Error() + ": " + firstLine(stderr.String()), false
	}
	return string(out), true
}

// splitBatch splits RDFLibBatchScript's output by document id.
func splitBatch(out string) map[string]string {
	m := map[string]string{}
	var id string
	var b strings.Builder
	flush := func() {
		if id != "" {
			m[id] = b.String()
		}
		b.Reset()
	}
	for _, line := range strings.SplitAfter(out, "\n") {
		if rest, ok := strings.CutPrefix(line, "### "); ok {
			flush()
			rest = strings.TrimSuffix(rest, "\n")
			if i := strings.Index(rest, " ERROR "); i >= 0 {
				id = rest[:i]
				b.WriteString("ERROR" + rest[i+6:])
				continue
			}
			id = rest
			continue
		}
		b.WriteString(line)
	}
	flush()
	return m
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
