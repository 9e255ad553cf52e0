package graph_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
)

// syntheticQuads makes n quads shaped like the generator's: subjects with a
// label, a type and links, spread over a few named graphs.
func syntheticQuads(n int) []quad.Quad {
	out := make([]quad.Quad, 0, n)
	for i := 0; len(out) < n; i++ {
		s := quad.IRI(fmt.Sprintf("https://w3id.org/innograph/id/org/o%d", i))
		g := quad.IRI(fmt.Sprintf("https://w3id.org/innograph/id/source/s%d", i%7))
		out = append(out,
			quad.Quad{Subject: s, Predicate: quad.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), Object: quad.IRI("https://w3id.org/innograph/ontology#Company"), Label: g},
			quad.Quad{Subject: s, Predicate: quad.IRI("http://www.w3.org/2000/01/rdf-schema#label"), Object: quad.LangString{Value: quad.String(fmt.Sprintf("Company %d", i)), Lang: "en"}, Label: g},
			quad.Quad{Subject: s, Predicate: quad.IRI("https://w3id.org/innograph/ontology#memberOf"), Object: quad.IRI(fmt.Sprintf("https://w3id.org/innograph/id/org/c%d", i%97)), Label: g},
			quad.Quad{Subject: s, Predicate: quad.IRI("https://w3id.org/innograph/ontology#employees"), Object: quad.TypedString{Value: quad.String(fmt.Sprint(i % 500)), Type: "http://www.w3.org/2001/XMLSchema#integer"}, Label: g},
		)
	}
	return out[:n]
}

// BenchmarkLoadBolt measures Store.Load into a fresh bolt store; b.N is
// ignored beyond repeating the whole load, and quads/s is reported.
func BenchmarkLoadBolt(b *testing.B) {
	for _, nosync := range []bool{false, true} {
		b.Run(fmt.Sprintf("nosync=%v", nosync), func(b *testing.B) {
			qs := syntheticQuads(100000)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				s, err := graph.Open(context.Background(), graph.Config{Backend: graph.Bolt, Path: filepath.Join(b.TempDir(), "s"), NoSync: nosync})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if _, err := s.Load(context.Background(), quad.NewReader(qs), graph.LoadOptions{}); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				s.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(len(qs))*float64(b.N)/b.Elapsed().Seconds(), "quads/s")
		})
	}
}
