package parse_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/innograph/innograph/graph/sparql/parse"
	"github.com/innograph/innograph/graph/sparql/sparqltest"
)

const suites = "../../../testdata/sparql"

// The syntax tests of the W3C SPARQL 1.0 and 1.1 suites: positive tests
// must parse, negative ones must give a *SyntaxError.
func TestW3CSyntax(t *testing.T) {
	known, err := sparqltest.LoadKnown(filepath.Join(suites, "known-failures.txt"))
	if err != nil {
		t.Fatal(err)
	}
	tally := sparqltest.NewTally(known)
	for _, top := range []string{"sparql10/manifest.ttl", "sparql11/manifest-all.ttl"} {
		tests, _, err := sparqltest.Load(suites, filepath.Join(suites, top))
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range tests {
			positive := strings.HasPrefix(tc.Type, "Positive")
			if !positive && !strings.HasPrefix(tc.Type, "Negative") {
				continue
			}
			update := strings.Contains(tc.Type, "Update") || strings.HasSuffix(tc.Query, ".ru")
			t.Run(tc.ID(), func(t *testing.T) {
				text, err := os.ReadFile(tc.Query)
				if err != nil {
					t.Fatal(err)
				}
				base, _ := filepath.Rel(suites, tc.Query)
				opt := parse.Options{Base: sparqltest.BaseIRI + filepath.ToSlash(base)}
				if update {
					_, err = parse.Update(string(text), opt)
				} else {
					_, err = parse.Query(string(text), opt)
				}
				var outcome error
				switch {
				case positive && err != nil:
					outcome = err
				case !positive && err == nil:
					outcome = errString("accepted a query the suite says is malformed")
				case !positive:
					if _, ok := err.(*parse.SyntaxError); !ok {
						outcome = errString("rejected, but not with a *SyntaxError: " + err.Error())
					}
				}
				tally.Record(t, tc, outcome)
			})
		}
	}
	tally.Report(t, "W3C SPARQL syntax tests", func(id string) bool { return strings.Contains(id, "syntax") })
}

type errString string

func (e errString) Error() string { return string(e) }
