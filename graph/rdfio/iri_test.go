package rdfio

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
)

// iriCases are the resolution cases every reader must agree on: RFC 3986
// section 5.4 (normal and abnormal examples), bases that are not
// hierarchical, "//" inside a path, dot segments in the base, and
// absolute references, which are taken as written.
var iriCases = []struct{ base, ref, want string }{
	{"http://a/b/c/d;p?q", "g:h", "g:h"},
	{"http://a/b/c/d;p?q", "g", "http://a/b/c/g"},
	{"http://a/b/c/d;p?q", "./g", "http://a/b/c/g"},
	{"http://a/b/c/d;p?q", "g/", "http://a/b/c/g/"},
	{"http://a/b/c/d;p?q", "/g", "http://a/g"},
	{"http://a/b/c/d;p?q", "//g", "http://g"},
	{"http://a/b/c/d;p?q", "?y", "http://a/b/c/d;p?y"},
	{"http://a/b/c/d;p?q", "g?y", "http://a/b/c/g?y"},
	{"http://a/b/c/d;p?q", "#s", "http://a/b/c/d;p?q#s"},
	{"http://a/b/c/d;p?q", "g#s", "http://a/b/c/g#s"},
	{"http://a/b/c/d;p?q", "g?y#s", "http://a/b/c/g?y#s"},
	{"http://a/b/c/d;p?q", ";x", "http://a/b/c/;x"},
	{"http://a/b/c/d;p?q", "g;x", "http://a/b/c/g;x"},
	{"http://a/b/c/d;p?q", "g;x?y#s", "http://a/b/c/g;x?y#s"},
	{"http://a/b/c/d;p?q", "", "http://a/b/c/d;p?q"},
	{"http://a/b/c/d;p?q", ".", "http://a/b/c/"},
	{"http://a/b/c/d;p?q", "./", "http://a/b/c/"},
	{"http://a/b/c/d;p?q", "..", "http://a/b/"},
	{"http://a/b/c/d;p?q", "../", "http://a/b/"},
	{"http://a/b/c/d;p?q", "../g", "http://a/b/g"},
	{"http://a/b/c/d;p?q", "../..", "http://a/"},
	{"http://a/b/c/d;p?q", "../../", "http://a/"},
	{"http://a/b/c/d;p?q", "../../g", "http://a/g"},
	{"http://a/b/c/d;p?q", "../../../g", "http://a/g"},
	{"http://a/b/c/d;p?q", "../../../../g", "http://a/g"},
	{"http://a/b/c/d;p?q", "/./g", "http://a/g"},
	{"http://a/b/c/d;p?q", "/../g", "http://a/g"},
	{"http://a/b/c/d;p?q", "g.", "http://a/b/c/g."},
	{"http://a/b/c/d;p?q", ".g", "http://a/b/c/.g"},
	{"http://a/b/c/d;p?q", "g..", "http://a/b/c/g.."},
	{"http://a/b/c/d;p?q", "..g", "http://a/b/c/..g"},
	{"http://a/b/c/d;p?q", "./../g", "http://a/b/g"},
	{"http://a/b/c/d;p?q", "./g/.", "http://a/b/c/g/"},
	{"http://a/b/c/d;p?q", "g/./h", "http://a/b/c/g/h"},
	{"http://a/b/c/d;p?q", "g/../h", "http://a/b/c/h"},
	{"http://a/b/c/d;p?q", "g;x=1/./y", "http://a/b/c/g;x=1/y"},
	{"http://a/b/c/d;p?q", "g;x=1/../y", "http://a/b/c/y"},
	{"http://a/b/c/d;p?q", "g?y/./x", "http://a/b/c/g?y/./x"},
	{"http://a/b/c/d;p?q", "g?y/../x", "http://a/b/c/g?y/../x"},
	{"http://a/b/c/d;p?q", "g#s/./x", "http://a/b/c/g#s/./x"},
	{"http://a/b/c/d;p?q", "g#s/../x", "http://a/b/c/g#s/../x"},
	{"http://a/b/c/d;p?q", "http:g", "http:g"},
	{"http://a/b/c/d;p?q", "?", "http://a/b/c/d;p?"},
	{"http://a/b/c/d;p?q", "#", "http://a/b/c/d;p?q#"},
	// "//" inside a path is kept.
	{"http://a/b/c/d;p?q", "d//e", "http://a/b/c/d//e"},
	{"http://ab//de//ghi", "../xyz", "http://ab//de/xyz"},
	// Bases that are not hierarchical.
	{"urn:x:y", "a", "urn:a"},
	{"urn:x:y", "/a", "urn:/a"},
	{"tag:example", "a", "tag:a"},
	{"tag:example/foo/", "a", "tag:example/foo/a"},
	// Dot segments of the base stay where the reference has no path.
	{"http://a/bb/ccc/./d;p?q", "?y", "http://a/bb/ccc/./d;p?y"},
	{"http://a/bb/ccc/./d;p?q", "g", "http://a/bb/ccc/g"},
	// Absolute references are taken as written, dot segments included.
	{"http://a/b/c/d;p?q", "http://x/y/../z", "http://x/y/../z"},
	{"http://a/b/c/d;p?q", "http://x/./z", "http://x/./z"},
	{"http://a/b/c/d;p?q", "urn:x/../y", "urn:x/../y"},
}

// iriDocs builds, for each readable format, a document of one statement
// whose object is the IRI reference ref. A readable format missing here
// fails TestResolveIRIEveryReader: a new reader joins the table by adding
// its builder.
var iriDocs = map[string]func(ref string) []byte{
	Turtle:   func(ref string) []byte { return []byte("<urn:x:s> <urn:x:p> <" + ref + "> .\n") },
	TriG:     func(ref string) []byte { return []byte("{ <urn:x:s> <urn:x:p> <" + ref + "> . }\n") },
	NTriples: func(ref string) []byte { return []byte("<urn:x:s> <urn:x:p> <" + ref + "> .\n") },
	NQuads:   func(ref string) []byte { return []byte("<urn:x:s> <urn:x:p> <" + ref + "> .\n") },
	JSONLD: func(ref string) []byte {
		r, _ := json.Marshal(ref)
		return []byte(`{"@id": "urn:x:s", "urn:x:p": {"@id": ` + string(r) + `}}`)
	},
	RDFXML: func(ref string) []byte {
		var b bytes.Buffer
		xml.EscapeText(&b, []byte(ref))
		return []byte(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="urn:x:s"><p xmlns="urn:x:" rdf:resource="` + strings.ReplaceAll(b.String(), `"`, "&quot;") + `"/></rdf:Description></rdf:RDF>`)
	},
}

// iriAbsoluteOnly are the formats whose grammar takes absolute IRIs only:
// they refuse a relative reference instead of resolving it.
var iriAbsoluteOnly = map[string]bool{NTriples: true, NQuads: true}

// TestResolveIRIEveryReader runs the one resolution rule's table through
// ResolveIRI and through every readable format of the registry, upload
// path and stream path alike: the same reference against the same base
// gives the same IRI whatever the format.
func TestResolveIRIEveryReader(t *testing.T) {
	for _, tc := range iriCases {
		if got := ResolveIRI(tc.base, tc.ref); got != tc.want {
			t.Errorf("ResolveIRI(%q, %q) = %q, want %q", tc.base, tc.ref, got, tc.want)
		}
	}
	if got := ResolveIRI("", "g"); got != "g" {
		t.Errorf("ResolveIRI without base = %q, want g", got)
	}
	for _, f := range Formats() {
		if !f.Readable {
			continue
		}
		build, ok := iriDocs[f.Name]
		if !ok {
			t.Errorf("readable format %s has no document in iriDocs: every reader must run the IRI resolution table", f.Name)
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			for _, tc := range iriCases {
				doc := build(tc.ref)
				opt := ReadOptions{Base: tc.base, BlankNodePrefix: "t"}
				upload, err := ReadAll(doc, f, opt, Limits{})
				stream, serr := decodeAll(bytesReader(doc), f, opt)
				if iriAbsoluteOnly[f.Name] && !isAbsIRI(tc.ref) {
					if err == nil || serr == nil {
						t.Errorf("<%s>: relative reference accepted (upload %v, stream %v)", tc.ref, err, serr)
					}
					continue
				}
				if err != nil || serr != nil {
					t.Errorf("<%s> against <%s>: upload %v, stream %v", tc.ref, tc.base, err, serr)
					continue
				}
				for path, qs := range map[string][]quad.Quad{"upload": upload, "stream": stream} {
					if len(qs) != 1 || qs[0].Object != quad.IRI(tc.want) {
						t.Errorf("%s: <%s> against <%s> = %v, want <%s>", path, tc.ref, tc.base, qs, tc.want)
					}
				}
			}
		})
	}
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
