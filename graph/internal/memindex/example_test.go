package memindex_test

import (
	"context"
	"fmt"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
	"github.com/innograph/innograph/graph/internal/memindex"
)

// A Store builds the index from its quads at start, hands it every write
// it commits, and opens a Reader per query.
func Example() {
	ctx := context.Background()
	ex := func(s string) quad.IRI { return quad.IRI("http://example.org/" + s) }
	stored := []quad.Quad{
		{Subject: ex("acme"), Predicate: frontier.RDFType, Object: ex("Company")},
		{Subject: ex("acme"), Predicate: frontier.RDFSLabel, Object: quad.LangString{Value: "Acme", Lang: "en"}},
		{Subject: ex("acme"), Predicate: ex("memberOf"), Object: ex("cluster")},
	}
	x, err := memindex.Build(ctx, func(yield func(quad.Quad) error) error {
		for _, q := range stored { // in a Store: every quad of the backend
			if err := yield(q); err != nil {
				return err
			}
		}
		return nil
	}, func(n int64) { fmt.Printf("read %d quads\n", n) })
	if err != nil {
		fmt.Println(err)
		return
	}

	before, _ := x.Reader(ctx) // pins generation 0
	defer before.Close()
	err = x.Apply(ctx, []quad.Quad{{Subject: ex("beta"), Predicate: ex("memberOf"), Object: ex("cluster")}}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	r, _ := x.Reader(ctx) // generation 1
	defer r.Close()

	for _, rd := range []frontier.Reader{before, r} {
		ids := make([]frontier.ID, 2)
		_ = rd.Lookup(ctx, []quad.Value{ex("cluster"), ex("memberOf")}, ids)
		var members []frontier.ID
		_ = rd.Quads(ctx, quad.Object, ids[:1], ids[1:], func(_ int, q frontier.Quad) bool {
			members = append(members, q.S)
			return true
		})
		facts := make([]frontier.Facts, len(members))
		_ = rd.Describe(ctx, members, facts)
		names := make([]quad.Value, len(members))
		_ = rd.Values(ctx, members, names)
		for i, f := range facts {
			label := make([]quad.Value, 1)
			_ = rd.Values(ctx, []frontier.ID{f.Label}, label)
			fmt.Printf("%v: %d types, label %v\n", names[i], len(f.Types), label[0])
		}
	}
	fmt.Println("generation", x.Generation(), "quads", x.Len())
	// Output:
	// read 3 quads
	// <http://example.org/acme>: 1 types, label "Acme"@en
	// <http://example.org/acme>: 1 types, label "Acme"@en
	// <http://example.org/beta>: 0 types, label <nil>
	// generation 1 quads 4
}
