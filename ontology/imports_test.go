package ontology

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImports keeps the package (and its internal generator) on the
// standard library, the quad module and x/text's norm.
func TestImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	more, err := filepath.Glob("internal/*/*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(files, more...) {
		if strings.HasSuffix(f, "_test.go") || f == "gen.go" {
			continue
		}
		parsed, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range parsed.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(path, "/")
			switch {
			case !strings.Contains(first, "."): // standard library
			case path == "github.com/cayleygraph/quad", strings.HasPrefix(path, "github.com/cayleygraph/quad/"):
			case strings.HasPrefix(path, "github.com/innograph/innograph/ontology/internal/"):
			case path == "golang.org/x/text/unicode/norm": // Fold's decomposition
			default:
				t.Errorf("%s imports %s; ontology may import only std, the quad module and x/text's norm", f, path)
			}
		}
	}
}
