package sparql_test

import (
	"context"
	"fmt"
	"sort"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/sparql"
	"github.com/innograph/innograph/graph/sparql/parse"
)

func quadStrings(qs []quad.Quad) []string {
	var out []string
	for _, q := range qs {
		g := "-"
		if q.Label != nil {
			g = q.Label.String()
		}
		out = append(out, fmt.Sprintf("%v %v %v %s", q.Subject, q.Predicate, q.Object, g))
	}
	sort.Strings(out)
	return out
}

// An update request becomes one Delta: the net change of all its
// operations, each seeing the ones before.
func TestUpdateDelta(t *testing.T) {
	base := []quad.Quad{
		{Subject: iri("a"), Predicate: iri("p"), Object: iri("b")},
		{Subject: iri("c"), Predicate: iri("p"), Object: iri("d"), Label: iri("g")},
	}
	tests := []struct {
		name           string
		update         string
		delete, insert []string
		create, drop   []string
		kind           sparql.Kind // of the error, when err is set
		err            bool
	}{
		{name: "insert then delete is no change",
			update: `INSERT DATA { :x :p :y } ; DELETE DATA { :x :p :y }`},
		{name: "delete then insert is no change",
			update: `DELETE DATA { :a :p :b } ; INSERT DATA { :a :p :b }`},
		{name: "later operations see earlier ones",
			update: `INSERT DATA { :x :p :y } ; INSERT { ?s :q ?o } WHERE { ?s :p ?o }`,
			insert: []string{"<http://example.org/a> <http://example.org/q> <http://example.org/b> -",
				"<http://example.org/x> <http://example.org/p> <http://example.org/y> -",
				"<http://example.org/x> <http://example.org/q> <http://example.org/y> -"}},
		{name: "existing quads are not reinserted",
			update: `INSERT DATA { :a :p :b . GRAPH :g { :c :p :d } }`},
		{name: "DELETE WHERE in a graph",
			update: `DELETE WHERE { GRAPH :g { ?s ?p ?o } }`,
			delete: []string{"<http://example.org/c> <http://example.org/p> <http://example.org/d> <http://example.org/g>"}},
		{name: "WITH sets the default graph",
			update: `WITH :g DELETE { ?s ?p ?o } INSERT { ?s :q ?o } WHERE { ?s ?p ?o }`,
			delete: []string{"<http://example.org/c> <http://example.org/p> <http://example.org/d> <http://example.org/g>"},
			insert: []string{"<http://example.org/c> <http://example.org/q> <http://example.org/d> <http://example.org/g>"}},
		{name: "DROP GRAPH",
			update: `DROP GRAPH :g`,
			delete: []string{"<http://example.org/c> <http://example.org/p> <http://example.org/d> <http://example.org/g>"},
			drop:   []string{"<http://example.org/g>"}},
		{name: "CREATE and DROP of a new graph", update: `CREATE GRAPH :new ; DROP GRAPH :new`, drop: []string{"<http://example.org/new>"}},
		{name: "CREATE", update: `CREATE GRAPH :new`, create: []string{"<http://example.org/new>"}},
		{name: "CREATE of an existing graph", update: `CREATE GRAPH :g`, err: true, kind: sparql.Invalid},
		{name: "CREATE SILENT of an existing graph", update: `CREATE SILENT GRAPH :g`},
		{name: "DROP of a missing graph", update: `DROP GRAPH :missing`, err: true, kind: sparql.NotFound},
		{name: "MOVE default to a graph",
			update: `MOVE DEFAULT TO :h`,
			delete: []string{"<http://example.org/a> <http://example.org/p> <http://example.org/b> -"},
			insert: []string{"<http://example.org/a> <http://example.org/p> <http://example.org/b> <http://example.org/h>"},
			create: []string{"<http://example.org/h>"}},
		{name: "a failing operation fails the request",
			update: `INSERT DATA { :x :p :y } ; DROP GRAPH :missing`, err: true, kind: sparql.NotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := openReader(t, base)
			u, err := parse.Update("PREFIX : <"+ex+">\n"+tc.update, parse.Options{})
			if err != nil {
				t.Fatal(err)
			}
			ds := sparql.StoreDataset()
			d, err := sparql.Update(context.Background(), r, u, sparql.Options{Dataset: &ds})
			if tc.err {
				if err == nil || sparql.KindOf(err) != tc.kind {
					t.Fatalf("err = %v, want kind %v", err, tc.kind)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			check := func(what string, got, want []string) {
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s = %q, want %q", what, got, want)
				}
			}
			check("Delete", quadStrings(d.Delete), tc.delete)
			check("Insert", quadStrings(d.Insert), tc.insert)
			var create, drop []string
			for _, g := range d.Create {
				create = append(create, g.String())
			}
			for _, g := range d.Drop {
				drop = append(drop, g.String())
			}
			check("Create", create, tc.create)
			check("Drop", drop, tc.drop)
		})
	}
}

func TestUpdateLimits(t *testing.T) {
	r := openReader(t, chain(500))
	u, _ := parse.Update(`DELETE WHERE { ?s ?p ?o }`, parse.Options{})
	if _, err := sparql.Update(context.Background(), r, u, sparql.Options{MaxUpdateQuads: 100}); sparql.KindOf(err) != sparql.TooLarge {
		t.Errorf("err = %v, want kind TooLarge", err)
	}
	d, err := sparql.Update(context.Background(), r, u, sparql.Options{})
	if err != nil || len(d.Delete) != 500 {
		t.Errorf("DELETE WHERE deleted %d quads, err %v; want 500", len(d.Delete), err)
	}
	// INSERT DATA blank nodes are fresh: not the store's, not shared
	// between operations.
	u, _ = parse.Update(`PREFIX : <`+ex+`> INSERT DATA { _:b :p 1 } ; INSERT DATA { _:c :p 2 }`, parse.Options{})
	d, err = sparql.Update(context.Background(), r, u, sparql.Options{})
	if err != nil || len(d.Insert) != 2 || d.Insert[0].Subject == d.Insert[1].Subject {
		t.Errorf("INSERT DATA of two blank nodes gave %v, %v", d.Insert, err)
	}
}
