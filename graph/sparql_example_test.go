package graph_test

import (
	"context"
	"fmt"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
)

// A SPARQL update applied as one transaction, then a query over the union
// of the store's graphs, its rows streamed.
func ExampleStore_PrepareSPARQL() {
	ctx := context.Background()
	s, err := graph.Open(ctx, graph.Config{Backend: graph.Memory})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	_, err = s.UpdateSPARQL(ctx, graph.SPARQLRequest{Text: `PREFIX ex: <https://example.org/>
		INSERT DATA {
			GRAPH ex:doc1 { ex:aarhus ex:memberOf ex:net }
			GRAPH ex:doc2 { ex:aarhus ex:memberOf ex:net . ex:novo ex:memberOf ex:net }
		}`}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	q, err := s.PrepareSPARQL(ctx, graph.SPARQLRequest{Text: `PREFIX ex: <https://example.org/>
		SELECT ?who WHERE { ?who ex:memberOf ex:net } ORDER BY ?who`, MaxRows: 1000})
	if err != nil {
		fmt.Println(graph.KindOf(err), err) // Invalid, with line and column, for a syntax error
		return
	}
	defer q.Close()
	err = q.Select(ctx, func(row []quad.Value) error {
		fmt.Println(row[0])
		return nil
	})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// <https://example.org/aarhus>
	// <https://example.org/novo>
}
