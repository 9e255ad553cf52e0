package graph_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
)

// sameValue reports whether a and b are the same value; times are compared
// as instants (PostgreSQL keeps no zone, only the session's).
func sameValue(a, b quad.Value) bool {
	if ta, ok := a.(quad.Time); ok {
		tb, ok := b.(quad.Time)
		return ok && time.Time(ta).Equal(time.Time(tb))
	}
	return reflect.DeepEqual(a, b)
}

// batchedFixture writes quads with every kind of value Cayley's SQL store
// has a column for into a fresh PostgreSQL database and reopens it, so that
// nothing is answered from a cache filled by the writes.
func batchedFixture(t *testing.T) (*graph.Store, []quad.Value) {
	t.Helper()
	dsn := freshPostgres(t, postgresDSN(t))
	ex := func(s string) quad.IRI { return quad.IRI("https://example.org/" + s) }
	xsd := func(s string) quad.IRI { return quad.IRI("http://www.w3.org/2001/XMLSchema#" + s) }
	values := []quad.Value{
		ex("plain"),
		quad.IRI("https://example.org/odd/ä ö%20\"quote'\\back`{}|^<>#frag?q=1&r=ø"),
		quad.IRI("urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e"),
		quad.BNode("b1"),
		quad.String("plain"),
		quad.String(""),
		quad.String("nul\x00byte"),
		quad.String("multi\nline \"quoted\" \\ back 🙂"),
		quad.LangString{Value: "hej", Lang: "da"},
		quad.LangString{Value: "Hello", Lang: "en-GB"},
		quad.LangString{Value: "nul\x00lang", Lang: "de"},
		quad.TypedString{Value: "01", Type: xsd("integer")},
		quad.TypedString{Value: "2024-02-29", Type: xsd("date")},
		quad.TypedString{Value: "x\x00y", Type: ex("datatype")},
		quad.Int(0),
		quad.Int(-42),
		quad.Int(1 << 62),
		quad.Bool(true),
		quad.Bool(false),
		quad.Float(1.5),
		quad.Float(-0.25),
		quad.Float(1e300),
		quad.Time(time.Date(2024, 2, 29, 13, 14, 15, 123456000, time.UTC)),
		quad.Time(time.Date(1999, 12, 31, 23, 59, 59, 0, time.FixedZone("", 2*3600))),
	}
	s, p, q := ex("s"), ex("p"), ex("q")
	g, g2 := ex("g"), ex("g2")
	rdfType := quad.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
	label := quad.IRI("http://www.w3.org/2000/01/rdf-schema#label")
	quads := []quad.Quad{
		{Subject: s, Predicate: rdfType, Object: ex("C"), Label: g},
		{Subject: s, Predicate: rdfType, Object: ex("B"), Label: g},
		{Subject: s, Predicate: label, Object: quad.LangString{Value: "S", Lang: "en"}, Label: g},
		{Subject: s, Predicate: label, Object: quad.LangString{Value: "S på dansk", Lang: "da"}, Label: g},
		{Subject: ex("t"), Predicate: p, Object: s, Label: g},
		{Subject: s, Predicate: p, Object: s, Label: g},        // a self-loop
		{Subject: s, Predicate: q, Object: ex("t")},            // in the default graph
		{Subject: s, Predicate: q, Object: ex("t"), Label: g2}, // and again in another
		{Subject: quad.BNode("b1"), Predicate: p, Object: s, Label: g},
		{Subject: ex("t"), Predicate: label, Object: quad.String("T"), Label: g},
	}
	for _, v := range values {
		quads = append(quads, quad.Quad{Subject: s, Predicate: p, Object: v, Label: g})
		if iri, ok := v.(quad.IRI); ok {
			quads = append(quads, quad.Quad{Subject: iri, Predicate: q, Object: s, Label: g2})
		}
	}
	ctx := context.Background()
	w := mustOpen(t, graph.Config{Backend: graph.Postgres, DSN: dsn})
	err := w.Write(ctx, func(b *graph.Batch) error {
		for _, q := range quads {
			b.Add(q)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	return mustOpen(t, graph.Config{Backend: graph.Postgres, DSN: dsn}), values
}

// TestBatchedSQLValues checks that the batched value lookup decodes every
// kind of value as Cayley's NameOf does, and as it was written.
func TestBatchedSQLValues(t *testing.T) {
	s, values := batchedFixture(t)
	unknown := quad.IRI("https://example.org/never-stored")
	got, cayley, err := graph.BatchedValues(context.Background(), s, append(values, unknown))
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range values {
		if !sameValue(got[i], cayley[i]) || reflect.TypeOf(got[i]) != reflect.TypeOf(cayley[i]) {
			t.Errorf("batched value of %#v = %#v, Cayley's NameOf = %#v", v, got[i], cayley[i])
		}
		if !sameValue(got[i], v) {
			t.Errorf("batched value of %#v = %#v, want the value written", v, got[i])
		}
		if got[i] != nil && got[i].String() != cayley[i].String() {
			t.Errorf("batched value of %#v prints %s, Cayley's %s", v, got[i], cayley[i])
		}
	}
	if n := len(values); got[n] != nil || cayley[n] != nil {
		t.Errorf("value of a hash never stored = %#v (Cayley: %#v), want nil", got[n], cayley[n])
	}
}
