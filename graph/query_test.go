package graph_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/gen"
	"github.com/innograph/innograph/graph/storetest"
	"github.com/innograph/innograph/ontology"
)

// loadGenerated opens a store of backend b holding cfg's ecosystem.
func loadGenerated(tb testing.TB, b graph.Backend, cfg gen.Config) *graph.Store {
	tb.Helper()
	c := graph.Config{Backend: b}
	if b != graph.Memory {
		c.Path = filepath.Join(tb.TempDir(), "store")
		c.NoSync = true
	}
	s := mustOpen(tb, c)
	if _, err := s.Load(context.Background(), storetest.Generated(cfg), graph.LoadOptions{BatchSize: 50000}); err != nil {
		tb.Fatalf("load generated ecosystem: %v", err)
	}
	return s
}

// TestPathologicalQueriesTimeOut shows that queries that would run for
// minutes stop at the deadline with a Timeout error, promptly.
func TestPathologicalQueriesTimeOut(t *testing.T) {
	for _, b := range []graph.Backend{graph.Memory, graph.Bolt} {
		t.Run(string(b), func(t *testing.T) {
			s := loadGenerated(t, b, gen.Config{Regions: 8, Seed: 1})
			lim := graph.QueryLimits{MaxHops: 12, MaxVisited: 1 << 30}
			queries := map[string]func(ctx context.Context) error{
				// Every simple path of up to 12 hops, looking for a class
				// nothing has: enumerates without end.
				"unbounded repeat": func(ctx context.Context) error {
					_, err := s.Paths(ctx, graph.Pattern{
						Start:  graph.Start{Type: string(ontology.Company)},
						Steps:  []graph.Step{{Direction: graph.Both, Type: string(ontology.NS) + "Nothing", Repeat: &graph.Repeat{Min: 1}}},
						Limits: lim,
					})
					return err
				},
				// Every company pair within 12 hops through any region: a
				// breadth-first search of the whole graph per region and
				// a cross product of paths.
				"connections everywhere": func(ctx context.Context) error {
					_, err := s.Connections(ctx, graph.ConnectionQuery{From: string(ontology.Company), To: string(ontology.Company), Through: string(ontology.Region), MaxHops: 12, Limits: lim})
					return err
				},
			}
			for name, run := range queries {
				t.Run(name, func(t *testing.T) {
					ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
					defer cancel()
					start := time.Now()
					err := run(ctx)
					took := time.Since(start)
					if graph.KindOf(err) != graph.Timeout {
						t.Errorf("%s: error %v (kind %v), want a timeout", name, err, graph.KindOf(err))
					}
					if took > 2*time.Second {
						t.Errorf("%s stopped %v after it started, want soon after the 200ms deadline", name, took)
					}
				})
			}
			// The store still answers afterwards.
			if _, err := s.Entity(context.Background(), string(gen.CompanyIRI(0, 0))); err != nil {
				t.Errorf("Entity after timeouts: %v", err)
			}
		})
	}
}

// TestGeneratedEcosystem checks the engine against facts of the generator:
// every company reaches a network through its cluster.
func TestGeneratedEcosystem(t *testing.T) {
	s := loadGenerated(t, graph.Memory, gen.Config{Regions: 3, Seed: 1})
	ctx := context.Background()
	member := []string{string(ontology.MemberOf)}
	r, err := s.Paths(ctx, graph.Pattern{
		Start: graph.Start{IDs: []string{string(gen.CompanyIRI(1, 5))}},
		Steps: []graph.Step{
			{Predicates: member, Type: string(ontology.BusinessCluster)},
			{Predicates: member, Type: string(ontology.InnovationNetwork)},
		},
	})
	if err != nil || len(r.Matches) == 0 {
		t.Fatalf("company -> cluster -> network = %d matches, %v; want some", len(r.Matches), err)
	}
	net := r.Matches[0].Nodes[2].ID
	c, err := s.Connections(ctx, graph.ConnectionQuery{From: string(ontology.Company), To: string(ontology.InnovationNetwork), Through: r.Matches[0].Nodes[1].ID})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range c.Pairs {
		found = found || p.From.ID == string(gen.CompanyIRI(1, 5)) && p.To.ID == net
	}
	if !found {
		t.Errorf("Connections through the company's cluster misses (company, %s)", net)
	}
	sp, err := s.ShortestPaths(ctx, graph.ShortestQuery{From: string(gen.CompanyIRI(0, 1)), To: string(gen.CompanyIRI(2, 7))})
	if err != nil || sp.Hops < 1 || len(sp.Paths) == 0 {
		t.Fatalf("ShortestPaths across regions = %+v, %v", sp, err)
	}
	for _, p := range sp.Paths {
		if p.Hops() != sp.Hops {
			t.Errorf("a shortest path has %d hops, want %d", p.Hops(), sp.Hops)
		}
	}
	e, err := s.Entities(ctx, graph.EntityQuery{Type: string(ontology.University), Q: "tvaerspor universitet"})
	if err != nil || len(e.Entities) == 0 {
		t.Errorf("Entities(University, \"tvaerspor universitet\") = %+v, %v; want the Tværspor universities", e, err)
	}
}

func TestFold(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Tværspor", "tvaerspor"},
		{"Aarhus Universitet", "aarhus universitet"},
		{"Østjylland Å", "oestjylland aa"},
		{"Thüringen", "thuringen"},
		{"Université de Genève", "universite de geneve"},
		{"Straße", "strasse"},
		{"Cafe\u0301", "cafe"},
	} {
		if got := graph.Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
