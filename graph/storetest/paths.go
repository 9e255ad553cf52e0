package storetest

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
)

// The path-query conformance tests run on ecosystem(), a hand-built graph
// small enough to know every answer:
//
//	u1 (Univ "Aarhus Universitet"@da) -memberOf-> net1 (Network), -locatedIn-> r1
//	u2 (Univ) -memberOf-> net2 (Network "Tværspor"@da)
//	c1 (Cluster) -memberOf-> net1;  c2 (Cluster) -memberOf-> net1, net2
//	co1 (Company) -memberOf-> c1, -partnerOf-> co2, -locatedIn-> r1
//	co2 (Company) -memberOf-> c2, net1, -locatedIn-> r1
const (
	typ       = quad.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
	label     = quad.IRI("http://www.w3.org/2000/01/rdf-schema#label")
	memberOf  = ex + "memberOf"
	partnerOf = ex + "partnerOf"
	locatedIn = ex + "locatedIn"
)

func ecosystem() []quad.Quad {
	g1, g2 := iri("graph/1"), iri("graph/2")
	var qs []quad.Quad
	add := func(s string, p quad.IRI, o quad.Value, g quad.IRI) {
		qs = append(qs, quad.Quad{Subject: iri(s), Predicate: p, Object: o, Label: g})
	}
	ent := func(s, class, name string) {
		add(s, typ, iri(class), g1)
		add(s, label, quad.LangString{Value: quad.String(name), Lang: "en"}, g1)
	}
	ent("u1", "Univ", "Aarhus University")
	add("u1", label, quad.LangString{Value: "Aarhus Universitet", Lang: "da"}, g1)
	add("u1", iri("employees"), quad.TypedString{Value: "0100", Type: xsd + "integer"}, g1)
	ent("u2", "Univ", "Second University")
	ent("net1", "Network", "Danish Network")
	ent("net2", "Network", "Crosstrack")
	add("net2", label, quad.LangString{Value: "Tværspor", Lang: "da"}, g1)
	ent("c1", "Cluster", "Cluster One")
	ent("c2", "Cluster", "Cluster Two")
	ent("co1", "Company", "Company A")
	ent("co2", "Company", "Company B")
	ent("r1", "Region", "Region One")
	add("memberOf", label, quad.LangString{Value: "member of", Lang: "en"}, g1)
	for _, l := range [][3]string{
		{"u1", memberOf, "net1"}, {"u1", locatedIn, "r1"}, {"u2", memberOf, "net2"},
		{"c1", memberOf, "net1"}, {"c2", memberOf, "net1"}, {"c2", memberOf, "net2"},
		{"co1", memberOf, "c1"}, {"co1", partnerOf, "co2"}, {"co1", locatedIn, "r1"},
		{"co2", memberOf, "c2"}, {"co2", memberOf, "net1"}, {"co2", locatedIn, "r1"},
	} {
		add(l[0], quad.IRI(l[1]), iri(l[2]), g1)
	}
	add("u1", memberOf, iri("net1"), g2) // stated twice: one edge
	return qs
}

// short strips the example namespace so expectations read easily.
func short(s string) string { return strings.TrimPrefix(s, ex) }

// pathString renders a path as "u1 memberOf> net1 <memberOf c1": the
// arrow points the way the quad goes.
func pathString(p graph.Path) string {
	var b strings.Builder
	for i, n := range p.Nodes {
		if i > 0 {
			e := p.Edges[i-1]
			if e.From != p.Nodes[i-1].ID || e.To != n.ID {
				return fmt.Sprintf("broken path %+v", p)
			}
			if e.Direction == graph.Out {
				b.WriteString(" " + short(e.Predicate) + "> ")
			} else {
				b.WriteString(" <" + short(e.Predicate) + " ")
			}
		}
		b.WriteString(short(n.ID))
	}
	return b.String()
}

func pathStrings(ps []graph.Path) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = pathString(p)
	}
	return out
}

func loaded(t *testing.T, o Opener) *graph.Store {
	t.Helper()
	s := o.Open(t)
	o.add(t, s, ecosystem())
	return s
}

func same(t *testing.T, what string, got, want []string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s =\n  %q\nwant\n  %q", what, got, want)
	}
}

func wantKind(t *testing.T, what string, err error, want graph.Kind) {
	t.Helper()
	if got := graph.KindOf(err); err == nil || got != want {
		t.Errorf("%s: error %v (kind %v), want kind %v", what, err, got, want)
	}
}

// pathQueries runs the path-query tests (Entity, Entities, Connections,
// ShortestPaths, Neighbourhood, Paths) as subtests.
func pathQueries(t *testing.T, o Opener) {
	for _, tc := range pathTests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, o) })
	}
}

var pathTests = []test{
	{"Entity", func(t *testing.T, o Opener) {
		s := loaded(t, o)
		e, err := s.Entity(context.Background(), ex+"u1")
		if err != nil {
			t.Fatalf("Entity(u1): %v", err)
		}
		if e.Label != "Aarhus University" || fmt.Sprint(e.Types) != "["+ex+"Univ]" {
			t.Errorf("Entity(u1) label %q types %v", e.Label, e.Types)
		}
		if fmt.Sprint(e.Labels) != "map[da:[Aarhus Universitet] en:[Aarhus University]]" {
			t.Errorf("Entity(u1).Labels = %v", e.Labels)
		}
		if len(e.Literals) != 1 || e.Literals[0] != (graph.Literal{Predicate: ex + "employees", Value: "0100", Datatype: xsd + "integer"}) {
			t.Errorf("Entity(u1).Literals = %+v", e.Literals)
		}
		var out []string
		for _, l := range e.Out {
			out = append(out, fmt.Sprintf("%s(%s) %s %q %v", short(l.Predicate), l.PredicateLabel, short(l.Node.ID), l.Node.Label, len(l.Node.Types)))
		}
		same(t, "Entity(u1).Out", out, []string{
			`locatedIn() r1 "Region One" 1`,
			`memberOf(member of) net1 "Danish Network" 1`,
		})
		n, err := s.Entity(context.Background(), ex+"net1")
		if err != nil {
			t.Fatal(err)
		}
		var in []string
		for _, l := range n.In {
			in = append(in, short(l.Node.ID))
		}
		same(t, "Entity(net1).In", in, []string{"c1", "c2", "co2", "u1"})
		_, err = s.Entity(context.Background(), ex+"nobody")
		wantKind(t, "Entity(unknown)", err, graph.NotFound)
	}},
	{"Entities", func(t *testing.T, o Opener) {
		s := loaded(t, o)
		for _, tc := range []struct {
			name string
			q    graph.EntityQuery
			want []string
		}{
			{"by type", graph.EntityQuery{Type: ex + "Univ"}, []string{"u1", "u2"}},
			{"danish label", graph.EntityQuery{Q: "aarhus universitet"}, []string{"u1"}},
			{"folded ae", graph.EntityQuery{Q: "Tvaerspor"}, []string{"net2"}},
			{"diacritic", graph.EntityQuery{Q: "TVÆRSPOR"}, []string{"net2"}},
			{"type and words", graph.EntityQuery{Type: ex + "Network", Q: "danish NET"}, []string{"net1"}},
			{"type mismatch", graph.EntityQuery{Type: ex + "Univ", Q: "danish"}, nil},
			{"unknown class", graph.EntityQuery{Type: ex + "Nothing"}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p, err := s.Entities(context.Background(), tc.q)
				if err != nil {
					t.Fatalf("Entities(%+v): %v", tc.q, err)
				}
				var got []string
				for _, n := range p.Entities {
					got = append(got, short(n.ID))
				}
				sort.Strings(got)
				same(t, fmt.Sprintf("Entities(%+v)", tc.q), got, tc.want)
				if p.Next != "" {
					t.Errorf("Entities(%+v).Next = %q, want none", tc.q, p.Next)
				}
			})
		}
		// Paging through every typed entity visits each once.
		var got []string
		q := graph.EntityQuery{Limit: 4}
		for pages := 0; ; pages++ {
			p, err := s.Entities(context.Background(), q)
			if err != nil {
				t.Fatalf("Entities page %d: %v", pages, err)
			}
			for _, n := range p.Entities {
				got = append(got, short(n.ID))
			}
			if p.Next == "" {
				if pages != 2 {
					t.Errorf("paging 9 entities by 4 took %d pages, want 3", pages+1)
				}
				break
			}
			q.Cursor = p.Next
		}
		sort.Strings(got)
		same(t, "all entities paged", got, []string{"c1", "c2", "co1", "co2", "net1", "net2", "r1", "u1", "u2"})
		_, err := s.Entities(context.Background(), graph.EntityQuery{Cursor: "!!"})
		wantKind(t, "Entities(bad cursor)", err, graph.Invalid)
		_, err = s.Entities(context.Background(), graph.EntityQuery{Limit: 5000})
		wantKind(t, "Entities(limit over max)", err, graph.Invalid)
	}},
	{"Connections", func(t *testing.T, o Opener) {
		s := loaded(t, o)
		for _, tc := range []struct {
			name string
			q    graph.ConnectionQuery
			want []string
		}{
			{"through an entity", graph.ConnectionQuery{From: ex + "Univ", To: ex + "Cluster", Through: ex + "net1"}, []string{
				"u1-c1: [u1 memberOf> net1 <memberOf c1]",
				"u1-c2: [u1 memberOf> net1 <memberOf c2]",
			}},
			{"through a class", graph.ConnectionQuery{From: ex + "Univ", To: ex + "Cluster", Through: ex + "Network"}, []string{
				"u1-c1: [u1 memberOf> net1 <memberOf c1]",
				"u1-c2: [u1 memberOf> net1 <memberOf c2]",
				"u2-c2: [u2 memberOf> net2 <memberOf c2]",
			}},
			{"from an entity, no through", graph.ConnectionQuery{From: ex + "co1", To: ex + "Network", MaxHops: 2}, []string{
				"co1-net1: [co1 memberOf> c1 memberOf> net1 co1 partnerOf> co2 memberOf> net1]",
			}},
			{"longer paths through", graph.ConnectionQuery{From: ex + "u2", To: ex + "Company", Through: ex + "c2", MaxHops: 3}, []string{
				"u2-co2: [u2 memberOf> net2 <memberOf c2 <memberOf co2]",
			}},
			{"nothing within hops", graph.ConnectionQuery{From: ex + "u2", To: ex + "Company", Through: ex + "c2"}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p, err := s.Connections(context.Background(), tc.q)
				if err != nil {
					t.Fatalf("Connections(%+v): %v", tc.q, err)
				}
				var got []string
				for _, pr := range p.Pairs {
					got = append(got, fmt.Sprintf("%s-%s: %v", short(pr.From.ID), short(pr.To.ID), pathStrings(pr.Paths)))
				}
				same(t, fmt.Sprintf("Connections(%+v)", tc.q), got, tc.want)
			})
		}
		// Pagination round trip.
		q := graph.ConnectionQuery{From: ex + "Univ", To: ex + "Cluster", Through: ex + "Network", Limit: 2}
		p1, err := s.Connections(context.Background(), q)
		if err != nil || len(p1.Pairs) != 2 || p1.Next == "" {
			t.Fatalf("Connections page 1 = %d pairs, next %q, %v; want 2 and a cursor", len(p1.Pairs), p1.Next, err)
		}
		q.Cursor = p1.Next
		p2, err := s.Connections(context.Background(), q)
		if err != nil || len(p2.Pairs) != 1 || p2.Next != "" || short(p2.Pairs[0].From.ID) != "u2" {
			t.Errorf("Connections page 2 = %+v, %v; want the u2 pair and no cursor", p2, err)
		}
		q.Through = ex + "net1" // a cursor only continues its own query
		_, err = s.Connections(context.Background(), q)
		wantKind(t, "Connections(cursor of another query)", err, graph.Invalid)
		_, err = s.Connections(context.Background(), graph.ConnectionQuery{From: ex + "Univ", To: ex + "nobody"})
		wantKind(t, "Connections(unknown entity)", err, graph.NotFound)
		_, err = s.Connections(context.Background(), graph.ConnectionQuery{From: ex + "Univ", To: ex + "Cluster", MaxHops: 99})
		wantKind(t, "Connections(maxHops over limit)", err, graph.Invalid)
	}},
	{"ShortestPaths", func(t *testing.T, o Opener) {
		s := loaded(t, o)
		for _, tc := range []struct {
			name string
			q    graph.ShortestQuery
			hops int
			want []string
		}{
			{"ties, undirected", graph.ShortestQuery{From: ex + "u1", To: ex + "co2"}, 2, []string{
				"u1 locatedIn> r1 <locatedIn co2",
				"u1 memberOf> net1 <memberOf co2",
			}},
			{"out only", graph.ShortestQuery{From: ex + "co1", To: ex + "net1", Direction: graph.Out}, 2, []string{
				"co1 memberOf> c1 memberOf> net1",
				"co1 partnerOf> co2 memberOf> net1",
			}},
			{"in only", graph.ShortestQuery{From: ex + "net1", To: ex + "co1", Direction: graph.In}, 2, []string{
				"net1 <memberOf c1 <memberOf co1",
				"net1 <memberOf co2 <partnerOf co1",
			}},
			{"no directed path", graph.ShortestQuery{From: ex + "u1", To: ex + "co2", Direction: graph.Out}, -1, nil},
			{"predicates", graph.ShortestQuery{From: ex + "co1", To: ex + "net1", Predicates: []string{memberOf}}, 2, []string{
				"co1 memberOf> c1 memberOf> net1",
			}},
			{"too far", graph.ShortestQuery{From: ex + "u2", To: ex + "co1", MaxHops: 3}, -1, nil},
			{"far", graph.ShortestQuery{From: ex + "u2", To: ex + "co1"}, 4, []string{
				"u2 memberOf> net2 <memberOf c2 <memberOf co2 <partnerOf co1",
			}},
			{"same node", graph.ShortestQuery{From: ex + "u1", To: ex + "u1"}, 0, []string{"u1"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r, err := s.ShortestPaths(context.Background(), tc.q)
				if err != nil {
					t.Fatalf("ShortestPaths(%+v): %v", tc.q, err)
				}
				if r.Hops != tc.hops {
					t.Errorf("ShortestPaths(%+v).Hops = %d, want %d", tc.q, r.Hops, tc.hops)
				}
				same(t, fmt.Sprintf("ShortestPaths(%+v)", tc.q), pathStrings(r.Paths), tc.want)
			})
		}
		_, err := s.ShortestPaths(context.Background(), graph.ShortestQuery{From: ex + "u1", To: ex + "co2", Direction: "sideways"})
		wantKind(t, "ShortestPaths(bad direction)", err, graph.Invalid)
		_, err = s.ShortestPaths(context.Background(), graph.ShortestQuery{From: ex + "u1", To: ex + "co2", MaxHops: 7})
		wantKind(t, "ShortestPaths(maxHops over limit)", err, graph.Invalid)
		_, err = s.ShortestPaths(context.Background(), graph.ShortestQuery{From: ex + "u2", To: ex + "co1", Limits: graph.QueryLimits{MaxVisited: 3}})
		wantKind(t, "ShortestPaths(MaxVisited 3)", err, graph.Unprocessable)
	}},
	{"Neighbourhood", func(t *testing.T, o Opener) {
		s := loaded(t, o)
		g, err := s.Neighbourhood(context.Background(), graph.NeighbourhoodQuery{ID: ex + "net1"})
		if err != nil {
			t.Fatal(err)
		}
		var nodes, edges []string
		for _, n := range g.Nodes {
			nodes = append(nodes, short(n.ID))
		}
		for _, e := range g.Edges {
			edges = append(edges, short(e.From)+" "+short(e.Predicate)+" "+short(e.To))
		}
		sort.Strings(nodes)
		same(t, "Neighbourhood(net1).Nodes", nodes, []string{"c1", "c2", "co2", "net1", "u1"})
		same(t, "Neighbourhood(net1).Edges", edges, []string{"c1 memberOf net1", "c2 memberOf net1", "co2 memberOf net1", "u1 memberOf net1"})
		g, err = s.Neighbourhood(context.Background(), graph.NeighbourhoodQuery{ID: ex + "u2", Hops: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(g.Nodes) != 3 || len(g.Edges) != 2 || g.Truncated {
			t.Errorf("Neighbourhood(u2, 2 hops) = %+v, want u2, net2, c2 and two edges", g)
		}
		g, err = s.Neighbourhood(context.Background(), graph.NeighbourhoodQuery{ID: ex + "net1", Limit: 3})
		if err != nil || len(g.Nodes) != 3 || !g.Truncated || len(g.Edges) != 2 {
			t.Errorf("Neighbourhood(net1, limit 3) = %+v, %v; want 3 nodes, 2 edges, truncated", g, err)
		}
		_, err = s.Neighbourhood(context.Background(), graph.NeighbourhoodQuery{ID: ex + "net1", Hops: 9})
		wantKind(t, "Neighbourhood(hops over limit)", err, graph.Invalid)
		_, err = s.Neighbourhood(context.Background(), graph.NeighbourhoodQuery{ID: ex + "nobody"})
		wantKind(t, "Neighbourhood(unknown)", err, graph.NotFound)
	}},
	{"Paths", func(t *testing.T, o Opener) {
		s := loaded(t, o)
		member := []string{memberOf}
		for _, tc := range []struct {
			name string
			p    graph.Pattern
			want []string
		}{
			{"three steps from a class", graph.Pattern{
				Start: graph.Start{Type: ex + "Company"},
				Steps: []graph.Step{
					{Predicates: member, Type: ex + "Cluster"},
					{Predicates: member, Type: ex + "Network"},
					{Predicates: member, Direction: graph.In, Type: ex + "Univ"},
				}}, []string{
				"co1 memberOf> c1 memberOf> net1 <memberOf u1 | co1 c1 net1 u1",
				"co2 memberOf> c2 memberOf> net1 <memberOf u1 | co2 c2 net1 u1",
				"co2 memberOf> c2 memberOf> net2 <memberOf u2 | co2 c2 net2 u2",
			}},
			{"incoming, any type", graph.Pattern{
				Start: graph.Start{IDs: []string{ex + "net1"}},
				Steps: []graph.Step{{Predicates: member, Direction: graph.In}}}, []string{
				"net1 <memberOf c1 | net1 c1",
				"net1 <memberOf c2 | net1 c2",
				"net1 <memberOf co2 | net1 co2",
				"net1 <memberOf u1 | net1 u1",
			}},
			{"any predicate both ways", graph.Pattern{
				Start: graph.Start{IDs: []string{ex + "r1"}},
				Steps: []graph.Step{{Direction: graph.Both, Type: ex + "Univ"}}}, []string{
				"r1 <locatedIn u1 | r1 u1",
			}},
			{"repeat 1 to 3", graph.Pattern{
				Start: graph.Start{IDs: []string{ex + "co1"}},
				Steps: []graph.Step{{Predicates: []string{memberOf, partnerOf}, Type: ex + "Network", Repeat: &graph.Repeat{Min: 1, Max: 3}}}}, []string{
				"co1 memberOf> c1 memberOf> net1 | co1 net1",
				"co1 partnerOf> co2 memberOf> c2 memberOf> net1 | co1 net1",
				"co1 partnerOf> co2 memberOf> c2 memberOf> net2 | co1 net2",
				"co1 partnerOf> co2 memberOf> net1 | co1 net1",
			}},
			{"repeat exactly 3", graph.Pattern{
				Start: graph.Start{IDs: []string{ex + "co1"}},
				Steps: []graph.Step{{Predicates: []string{memberOf, partnerOf}, Type: ex + "Network", Repeat: &graph.Repeat{Min: 3, Max: 3}}}}, []string{
				"co1 partnerOf> co2 memberOf> c2 memberOf> net1 | co1 net1",
				"co1 partnerOf> co2 memberOf> c2 memberOf> net2 | co1 net2",
			}},
			{"repeat 0 keeps the start", graph.Pattern{
				Start: graph.Start{IDs: []string{ex + "c1"}},
				Steps: []graph.Step{{Predicates: member, Repeat: &graph.Repeat{Min: 0, Max: 1}}}}, []string{
				"c1 memberOf> net1 | c1 net1",
				"c1 | c1 c1",
			}},
			{"no steps", graph.Pattern{Start: graph.Start{IDs: []string{ex + "c1"}}}, []string{"c1 | c1"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r, err := s.Paths(context.Background(), tc.p)
				if err != nil {
					t.Fatalf("Paths(%+v): %v", tc.p, err)
				}
				var got []string
				for _, m := range r.Matches {
					var ends []string
					for _, n := range m.Nodes {
						ends = append(ends, short(n.ID))
					}
					got = append(got, pathString(m.Path)+" | "+strings.Join(ends, " "))
				}
				sort.Strings(got)
				same(t, "Paths", got, tc.want)
				if r.Next != "" {
					t.Errorf("Paths(%+v).Next = %q, want none", tc.p, r.Next)
				}
			})
		}

		// Subgraph form: the union of the matches.
		p := graph.Pattern{Start: graph.Start{IDs: []string{ex + "co1"}},
			Steps:  []graph.Step{{Predicates: []string{memberOf, partnerOf}, Type: ex + "Network", Repeat: &graph.Repeat{Min: 1, Max: 2}}},
			Result: graph.Subgraphs}
		r, err := s.Paths(context.Background(), p)
		if err != nil || r.Subgraph == nil {
			t.Fatalf("Paths(subgraph) = %+v, %v", r, err)
		}
		var edges []string
		for _, e := range r.Subgraph.Edges {
			edges = append(edges, short(e.From)+" "+short(e.Predicate)+" "+short(e.To))
		}
		same(t, "Paths(subgraph).Edges", edges, []string{"c1 memberOf net1", "co1 memberOf c1", "co1 partnerOf co2", "co2 memberOf net1"})
		if len(r.Subgraph.Nodes) != 4 || r.Matches != nil {
			t.Errorf("Paths(subgraph) = %d nodes, %d matches; want 4 nodes, no matches", len(r.Subgraph.Nodes), len(r.Matches))
		}

		// Pagination round trip.
		p = graph.Pattern{Start: graph.Start{IDs: []string{ex + "net1"}},
			Steps: []graph.Step{{Predicates: member, Direction: graph.In}}, Limit: 3}
		var seen []string
		for page := 0; page < 3; page++ {
			r, err := s.Paths(context.Background(), p)
			if err != nil {
				t.Fatalf("Paths page %d: %v", page, err)
			}
			for _, m := range r.Matches {
				seen = append(seen, short(m.Nodes[1].ID))
			}
			if r.Next == "" {
				break
			}
			p.Cursor = r.Next
		}
		sort.Strings(seen)
		same(t, "paged matches", seen, []string{"c1", "c2", "co2", "u1"})

		for _, tc := range []struct {
			name string
			p    graph.Pattern
			want graph.Kind
		}{
			{"no start", graph.Pattern{}, graph.Invalid},
			{"both starts", graph.Pattern{Start: graph.Start{IDs: []string{ex + "c1"}, Type: ex + "Cluster"}}, graph.Invalid},
			{"bad direction", graph.Pattern{Start: graph.Start{Type: ex + "Cluster"}, Steps: []graph.Step{{Direction: "up"}}}, graph.Invalid},
			{"repeat over limit", graph.Pattern{Start: graph.Start{Type: ex + "Cluster"}, Steps: []graph.Step{{Repeat: &graph.Repeat{Min: 1, Max: 50}}}}, graph.Invalid},
			{"min over max", graph.Pattern{Start: graph.Start{Type: ex + "Cluster"}, Steps: []graph.Step{{Repeat: &graph.Repeat{Min: 3, Max: 2}}}}, graph.Invalid},
			{"page over limit", graph.Pattern{Start: graph.Start{Type: ex + "Cluster"}, Limit: 100000}, graph.Invalid},
			{"bad cursor", graph.Pattern{Start: graph.Start{Type: ex + "Cluster"}, Cursor: "eyJrIjoicGF0aHMifQ"}, graph.Invalid},
			{"bad result", graph.Pattern{Start: graph.Start{Type: ex + "Cluster"}, Result: "table"}, graph.Invalid},
			{"unknown start", graph.Pattern{Start: graph.Start{IDs: []string{ex + "nobody"}}}, graph.NotFound},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.Paths(context.Background(), tc.p)
				wantKind(t, fmt.Sprintf("Paths(%+v)", tc.p), err, tc.want)
			})
		}
	}},
	{"QueriesHonourContext", func(t *testing.T, o Opener) {
		s := loaded(t, o)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := s.Paths(ctx, graph.Pattern{Start: graph.Start{Type: ex + "Company"}, Steps: []graph.Step{{Direction: graph.Both}}})
		wantKind(t, "Paths(cancelled)", err, graph.Timeout)
		_, err = s.ShortestPaths(ctx, graph.ShortestQuery{From: ex + "u1", To: ex + "co2"})
		wantKind(t, "ShortestPaths(cancelled)", err, graph.Timeout)
		_, err = s.Neighbourhood(ctx, graph.NeighbourhoodQuery{ID: ex + "u1"})
		wantKind(t, "Neighbourhood(cancelled)", err, graph.Timeout)
	}},
}
