package graph

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
)

// engineFiles are the path engine: they read through frontier.Reader only.
var engineFiles = []string{"query_walk.go", "query_connections.go", "path.go", "shortest.go",
	"neighbourhood.go", "entity.go", "cover.go", "query.go"}

// TestEngineKnowsNoBackend keeps the engine on the reader: no engine file
// imports Cayley or names the store's backend fields.
func TestEngineKnowsNoBackend(t *testing.T) {
	fset := token.NewFileSet()
	for _, name := range engineFiles {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(path, "github.com/cayleygraph/cayley") {
				t.Errorf("%s imports %s: the engine reads through graph/frontier only", name, path)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				switch sel.Sel.Name {
				case "qs", "bolt", "sqlRead", "sqlDB", "QuadStore":
					t.Errorf("%s: %s names a backend of the store", fset.Position(sel.Pos()), sel.Sel.Name)
				}
			}
			return true
		})
	}
}
