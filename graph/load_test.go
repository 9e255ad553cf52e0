package graph_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/gen"
	"github.com/innograph/innograph/graph/storetest"
	"github.com/innograph/innograph/ontology"
)

// generatedQuads returns cfg's ecosystem as a slice.
func generatedQuads(tb testing.TB, cfg gen.Config) []quad.Quad {
	tb.Helper()
	p := storetest.Generated(cfg)
	var out []quad.Quad
	for {
		q, err := p.ReadQuad()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, q)
	}
}

// failingReader yields quads, then fails.
type failingReader struct {
	qs  []quad.Quad
	err error
}

func (r *failingReader) ReadQuad() (quad.Quad, error) {
	if len(r.qs) == 0 {
		return quad.Quad{}, r.err
	}
	q := r.qs[0]
	r.qs = r.qs[1:]
	return q, nil
}

// TestLoadPipeline checks what Load promises on every embedded backend:
// batches counted by Progress, a second load adds nothing, a read error
// stops after the batches read before it, an invalid quad is Invalid, a
// cancelled context stops with Timeout.
func TestLoadPipeline(t *testing.T) {
	ctx := context.Background()
	qs := generatedQuads(t, gen.Config{Regions: 2, Seed: 3})
	for _, b := range []graph.Backend{graph.Memory, graph.Bolt, graph.LevelDB} {
		t.Run(string(b), func(t *testing.T) {
			cfg := graph.Config{Backend: b}
			if b != graph.Memory {
				cfg.Path = t.TempDir()
			}
			s := mustOpen(t, cfg)
			var progress []int64
			n, err := s.Load(ctx, quad.NewReader(qs), graph.LoadOptions{BatchSize: 500, Progress: func(n int64) { progress = append(progress, n) }})
			if err != nil || n != int64(len(qs)) {
				t.Fatalf("Load() = %d, %v; want %d, nil", n, err, len(qs))
			}
			if want := (len(qs) + 499) / 500; len(progress) != want || progress[len(progress)-1] != int64(len(qs)) {
				t.Errorf("Progress calls = %v; want %d calls ending at %d", progress, want, len(qs))
			}
			st := stats(t, s)
			if _, err := s.Load(ctx, quad.NewReader(qs), graph.LoadOptions{BatchSize: 700}); err != nil {
				t.Fatal(err)
			}
			if again := stats(t, s); again.Quads != st.Quads {
				t.Errorf("second load: %d quads, want %d (loads must be idempotent)", again.Quads, st.Quads)
			}

			// A read error after 1,200 quads: the two whole batches before it
			// stay, the third (partial) batch too, nothing after it.
			fresh := mustOpen(t, graph.Config{Backend: graph.Memory})
			boom := errors.New("boom")
			n, err = fresh.Load(ctx, &failingReader{qs: qs[:1200], err: boom}, graph.LoadOptions{BatchSize: 500})
			if !errors.Is(err, boom) || n != 1200 {
				t.Errorf("Load(failing reader) = %d, %v; want 1200, boom", n, err)
			}
			ref := mustOpen(t, graph.Config{Backend: graph.Memory})
			if _, err := ref.Load(ctx, quad.NewReader(qs[:1200]), graph.LoadOptions{}); err != nil {
				t.Fatal(err)
			}
			if got, want := stats(t, fresh).Quads, stats(t, ref).Quads; got != want {
				t.Errorf("after a read error: %d quads stored, want the %d of the 1200 read before it", got, want)
			}

			bad := append(append([]quad.Quad{}, qs[:10]...), quad.Quad{Subject: quad.IRI("https://example.org/s"), Predicate: quad.IRI("https://example.org/p")})
			if _, err := fresh.Load(ctx, quad.NewReader(bad), graph.LoadOptions{}); graph.KindOf(err) != graph.Invalid {
				t.Errorf("Load(quad without object) error = %v, want kind Invalid", err)
			}

			cctx, cancel := context.WithCancel(ctx)
			cancel()
			if _, err := mustOpen(t, graph.Config{Backend: graph.Memory}).Load(cctx, quad.NewReader(qs), graph.LoadOptions{BatchSize: 100}); graph.KindOf(err) != graph.Timeout {
				t.Errorf("Load(cancelled) error = %v, want kind Timeout", err)
			}
		})
	}
}

func stats(tb testing.TB, s *graph.Store) graph.Stats {
	tb.Helper()
	st, err := s.Stats(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

// TestPostgresCopyMatchesCayley loads the same quads twice into two fresh
// databases, once through Store.Load (COPY) and once through Cayley's own
// ApplyDeltas, and compares the tables row by row: the COPY path must write
// exactly what Cayley writes, reference counts included.
func TestPostgresCopyMatchesCayley(t *testing.T) {
	admin := postgresDSN(t)
	ctx := context.Background()
	qs := generatedQuads(t, gen.Config{Regions: 2, Seed: 5})
	// Values of every kind Cayley's nodes table distinguishes, and a
	// duplicate inside one batch.
	ex := func(s string) quad.IRI { return quad.IRI("https://example.org/" + s) }
	extra := []quad.Quad{
		{Subject: ex("a"), Predicate: ex("p"), Object: quad.String("plain\x00nul")},
		{Subject: ex("a"), Predicate: ex("p"), Object: quad.LangString{Value: "hej", Lang: "da"}},
		{Subject: ex("a"), Predicate: ex("p"), Object: quad.TypedString{Value: "2", Type: "http://www.w3.org/2001/XMLSchema#integer"}},
		{Subject: quad.BNode("b1"), Predicate: ex("p"), Object: quad.Int(7)},
		{Subject: ex("a"), Predicate: ex("q"), Object: quad.Float(1.5), Label: ex("g")},
		{Subject: ex("a"), Predicate: ex("q"), Object: quad.Bool(true)},
		{Subject: ex("a"), Predicate: ex("q"), Object: quad.Bool(true)},
	}
	qs = append(qs, extra...)

	copyDSN := freshPostgres(t, admin)
	// NoSync: the batches commit with synchronous_commit off, same rows.
	viaCopy := mustOpen(t, graph.Config{Backend: graph.Postgres, DSN: copyDSN, NoSync: true})
	cayleyDSN := freshPostgres(t, admin)
	// Written below through Cayley's own QuadStore, behind the Store's
	// back: the read tier never sees those writes, so Stats must read the
	// backend.
	viaCayley := mustOpen(t, graph.Config{Backend: graph.Postgres, DSN: cayleyDSN, ReadTier: graph.ReadTierOff})
	for round := 0; round < 2; round++ {
		if _, err := viaCopy.Load(ctx, quad.NewReader(qs), graph.LoadOptions{BatchSize: 700}); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(qs); i += 700 {
			var ds []cgraph.Delta
			for _, q := range qs[i:min(i+700, len(qs))] {
				ds = append(ds, cgraph.Delta{Action: cgraph.Add, Quad: q})
			}
			if err := viaCayley.QuadStore().ApplyDeltas(ds, cgraph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, query := range []string{
		`SELECT encode(hash, 'hex'), refs, value, value_string, datatype, language, iri, bnode, value_int, value_bool, value_float, value_time FROM nodes ORDER BY hash`,
		`SELECT encode(subject_hash, 'hex'), encode(predicate_hash, 'hex'), encode(object_hash, 'hex'), encode(label_hash, 'hex') FROM quads ORDER BY 1, 2, 3, 4`,
	} {
		got, want := tableRows(t, copyDSN, query), tableRows(t, cayleyDSN, query)
		if len(got) != len(want) {
			t.Errorf("%s: %d rows via COPY, %d via Cayley", query, len(got), len(want))
		}
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Errorf("%s: row %d via COPY = %s, via Cayley = %s", query, i, got[i], want[i])
				break
			}
		}
	}
	// And Cayley reads the COPY-written rows back as it reads its own.
	if got, want := stats(t, viaCopy), stats(t, viaCayley); got.Quads != want.Quads || got.Quads < int64(len(qs))/2 || !reflect.DeepEqual(got.Graphs, want.Graphs) {
		t.Errorf("stats after COPY loads = %d quads in %d graphs; after Cayley's = %d in %d", got.Quads, len(got.Graphs), want.Quads, len(want.Graphs))
	}
}

// tableRows returns each row of query as one string.
func tableRows(tb testing.TB, dsn, query string) []string {
	tb.Helper()
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(query)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			tb.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%q", vals))
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// TestQueriesSameOnBoltAndPostgres runs the path queries on one generated
// ecosystem stored in bolt and in PostgreSQL and requires the same answers,
// in the same order.
func TestQueriesSameOnBoltAndPostgres(t *testing.T) {
	admin := postgresDSN(t)
	ctx := context.Background()
	cfg := gen.Config{Regions: 3, Seed: 11}
	bolt := loadGenerated(t, graph.Bolt, cfg)
	pg := mustOpen(t, graph.Config{Backend: graph.Postgres, DSN: freshPostgres(t, admin)})
	if _, err := pg.Load(ctx, storetest.Generated(cfg), graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	member := []string{string(ontology.MemberOf)}
	queries := []struct {
		name string
		run  func(s *graph.Store) (any, error)
	}{
		{"stats", func(s *graph.Store) (any, error) {
			st, err := s.Stats(ctx)
			st.Backend, st.SizeBytes = "", 0
			return st, err
		}},
		{"entity", func(s *graph.Store) (any, error) { return s.Entity(ctx, string(gen.CompanyIRI(1, 7))) }},
		{"entities of a class", func(s *graph.Store) (any, error) {
			// The class index's order is the backend's: compare the set.
			p, err := s.Entities(ctx, graph.EntityQuery{Type: string(ontology.University), Limit: 50})
			sort.Slice(p.Entities, func(i, j int) bool { return p.Entities[i].ID < p.Entities[j].ID })
			return p, err
		}},
		{"connections through a network", func(s *graph.Store) (any, error) {
			return s.Connections(ctx, graph.ConnectionQuery{From: string(ontology.University), To: string(ontology.BusinessCluster), Through: string(gen.NetworkIRI(0, 1))})
		}},
		{"3-step pattern", func(s *graph.Store) (any, error) {
			ids := []string{string(gen.CompanyIRI(0, 1)), string(gen.CompanyIRI(1, 20)), string(gen.CompanyIRI(2, 40))}
			return s.Paths(ctx, graph.Pattern{Start: graph.Start{IDs: ids}, Limit: 100, Steps: []graph.Step{
				{Predicates: member, Type: string(ontology.BusinessCluster)},
				{Predicates: member, Type: string(ontology.InnovationNetwork)},
				{Predicates: member, Direction: graph.In, Type: string(ontology.University)},
			}})
		}},
		{"2-hop neighbourhood", func(s *graph.Store) (any, error) {
			return s.Neighbourhood(ctx, graph.NeighbourhoodQuery{ID: string(gen.CompanyIRI(2, 3)), Hops: 2, Limit: 1000})
		}},
		{"shortest paths across regions", func(s *graph.Store) (any, error) {
			return s.ShortestPaths(ctx, graph.ShortestQuery{From: string(gen.CompanyIRI(0, 5)), To: string(gen.CompanyIRI(1, 9)), MaxHops: 6})
		}},
	}
	for _, q := range queries {
		t.Run(q.name, func(t *testing.T) {
			want, err := q.run(bolt)
			if err != nil {
				t.Fatalf("bolt: %v", err)
			}
			got, err := q.run(pg)
			if err != nil {
				t.Fatalf("postgres: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(want)
				t.Errorf("postgres answer differs from bolt's:\npostgres %.600s\nbolt     %.600s", g, w)
			}
			if j, _ := json.Marshal(want); len(j) < 80 {
				t.Errorf("answer too small to show anything: %s", j)
			}
		})
	}
}
