package parse_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/innograph/innograph/graph/sparql/algebra"
	"github.com/innograph/innograph/graph/sparql/parse"
)

// FuzzParse feeds arbitrary text to both entry points: neither may panic
// or hang, a failure must be a located *SyntaxError, and what parses must
// print. The seeds are the W3C syntax suites' queries and updates.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"sparql11/syntax-query", "sparql11/syntax-update-1", "sparql10/syntax-sparql1", "sparql10/syntax-sparql4", "sparql11/property-path", "sparql11/aggregates"} {
		files, _ := filepath.Glob(filepath.Join(suites, dir, "*.r[qu]"))
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(string(b))
			}
		}
	}
	f.Add(`SELECT * { ?s ?p ?o FILTER(?o > 1) } ORDER BY DESC(?s) LIMIT 5`)
	f.Add(`PREFIX : <http://x/> INSERT { ?s :p [ :q ( 1 2 ) ] } WHERE { ?s :p+/^:q? ?o }`)
	f.Fuzz(func(t *testing.T, text string) {
		check := func(err error) {
			if err == nil {
				return
			}
			var se *parse.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %v (%T) is no *SyntaxError", err, err)
			}
			if se.Line < 1 || se.Col < 1 {
				t.Fatalf("error %v has no position", err)
			}
		}
		q, err := parse.Query(text, parse.Options{Base: "http://example.org/base/"})
		check(err)
		if err == nil {
			_ = algebra.Format(q.Op)
		}
		u, err := parse.Update(text, parse.Options{})
		check(err)
		if err == nil && len(u.Ops) > 0 && strings.TrimSpace(text) == "" {
			t.Fatalf("blank text gave %d operations", len(u.Ops))
		}
	})
}
