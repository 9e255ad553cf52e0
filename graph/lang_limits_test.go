package graph_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/innograph/innograph/graph"
)

// TestGraphQLBounded: deep and wide GraphQL queries are refused or run
// within the deadline (issue 18: 400 nested selections took 30 s and 1,800
// aliases were still being rewritten after 150 s, past any deadline).
func TestGraphQLBounded(t *testing.T) {
	s := openBackend(t, graph.Memory)
	var wide strings.Builder
	wide.WriteString("{ nodes { ")
	for i := 0; i < 1800; i++ {
		fmt.Fprintf(&wide, "a%d: id ", i)
	}
	wide.WriteString("} }")
	var aliases strings.Builder
	aliases.WriteString("{ nodes { ")
	for i := 0; i < 400; i++ {
		fmt.Fprintf(&aliases, "a%d: id ", i)
	}
	aliases.WriteString("} }")
	for _, tc := range []struct {
		name, text string
		kind       graph.Kind
	}{
		{"400 nested", strings.Repeat("{ a ", 400) + "id" + strings.Repeat("}", 400), graph.TooLarge},
		{"14 nested", strings.Repeat("{ a ", 14) + "id" + strings.Repeat("}", 14), graph.TooLarge},
		{"1800 aliases", wide.String(), graph.TooLarge},
		{"400 aliases", aliases.String(), 0},
		{"nested within the limit", strings.Repeat("{ a ", 9) + "id" + strings.Repeat("}", 9), 0},
		{"a fragment", "{ nodes { ...F } } fragment F on X { id }", graph.Invalid},
		{"a variable", "query($x: String) { nodes(id: $x) { id } }", graph.Invalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			start := time.Now()
			_, err := s.Query(ctx, graph.LangQuery{Language: graph.GraphQL, Text: tc.text})
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("took %s, past the 2 s deadline", d)
			}
			if tc.kind == 0 {
				if err != nil {
					t.Errorf("Query = %v, want an answer", err)
				}
				return
			}
			if graph.KindOf(err) != tc.kind {
				t.Errorf("Query = %v, want kind %v", err, tc.kind)
			}
		})
	}
}
