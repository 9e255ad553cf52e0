package graph_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
)

// followBound guards against a server that never shows another server's
// write. Following takes a poll (200 ms) and the apply, 60-210 ms in the
// logs on the shared machine; the bound is generous so that a loaded
// machine cannot make the test flake, and the test logs the time taken.
const followBound = 60 * time.Second

// TestSharedPostgres runs three servers on one database (two with the
// memory tier, one with it off) and checks that a write through any of
// them shows through the others' Readers within followBound, with the
// same Generation on all, whatever the write: a bulk load (logged without
// its quads, so the others rebuild), Write, ReplaceGraph and DeleteGraph;
// and that a server whose log was pruned past its generation rebuilds.
func TestSharedPostgres(t *testing.T) {
	dsn := freshPostgres(t, postgresDSN(t))
	ctx := context.Background()
	open := func(tier graph.ReadTier) *graph.Store {
		return mustOpen(t, graph.Config{Backend: graph.Postgres, DSN: dsn, ReadTier: tier, Progress: func(m string) { t.Log(m) }})
	}
	servers := []*graph.Store{open(graph.ReadTierMemory), open(graph.ReadTierMemory), open(graph.ReadTierOff)}
	ex := func(s string) quad.IRI { return quad.IRI("https://example.org/" + s) }

	// converge waits until every server's Reader gives want and all
	// report the generation of the server that wrote.
	converge := func(what string, writer *graph.Store, want []string) {
		t.Helper()
		start := time.Now()
		gen := writer.Generation()
		for {
			same := true
			for _, s := range servers {
				if s.Generation() != gen || !slices.Equal(readerQuads(t, s), want) {
					same = false
				}
			}
			if same {
				t.Logf("%s: every server agrees after %v (generation %d)", what, time.Since(start).Round(time.Millisecond), gen)
				return
			}
			if time.Since(start) > followBound {
				for i, s := range servers {
					t.Errorf("server %d: generation %d (writer %d), %d quads, want %d", i, s.Generation(), gen, len(readerQuads(t, s)), len(want))
				}
				t.Fatalf("%s: servers disagree after %v", what, followBound)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	var qs []quad.Quad
	for i := range 30 {
		qs = append(qs, quad.Quad{Subject: ex(fmt.Sprint("n", i%9)), Predicate: ex("p"), Object: quad.String(fmt.Sprint(i)), Label: ex(fmt.Sprint("g", i%2))})
	}
	if _, err := servers[0].Load(ctx, quad.NewReader(qs), graph.LoadOptions{BatchSize: 7}); err != nil {
		t.Fatal(err)
	}
	want := nquads(qs...)
	converge("bulk load through server 0", servers[0], want)

	extra := quad.Quad{Subject: ex("x"), Predicate: ex("p"), Object: quad.LangString{Value: "x", Lang: "en"}}
	err := servers[1].Write(ctx, func(b *graph.Batch) error {
		b.Remove(qs[0])
		b.Add(extra)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want = nquads(append(qs[1:], extra)...)
	converge("Write through server 1", servers[1], want)

	if _, err := servers[2].DeleteGraph(ctx, ex("g1")); err != nil {
		t.Fatal(err)
	}
	var left []quad.Quad
	for _, q := range append(qs[1:], extra) {
		if q.Label != ex("g1") {
			left = append(left, q)
		}
	}
	want = nquads(left...)
	converge("DeleteGraph through server 2 (tier off)", servers[2], want)

	// Server 1 stops following; server 0 writes; the log is pruned past
	// server 1's generation; server 1 must rebuild.
	graph.PauseFollow(servers[1], true)
	for i := range 3 {
		if _, err := servers[0].MergeGraph(ctx, ex("g3"), []quad.Quad{{Subject: ex(fmt.Sprint("m", i)), Predicate: ex("p"), Object: ex("o")}}, nil); err != nil {
			t.Fatal(err)
		}
		left = append(left, quad.Quad{Subject: ex(fmt.Sprint("m", i)), Predicate: ex("p"), Object: ex("o"), Label: ex("g3")})
	}
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`DELETE FROM innograph_changes; UPDATE innograph_generation SET pruned = gen`); err != nil {
		t.Fatal(err)
	}
	graph.PauseFollow(servers[1], false)
	want = nquads(left...)
	converge("MergeGraph through server 0, log pruned past server 1", servers[0], want)

	// The generation is the database's: a server opened now starts at it.
	late := open(graph.ReadTierMemory)
	if g, w := late.Generation(), servers[0].Generation(); g != w {
		t.Errorf("a server opened later reports generation %d, the others %d", g, w)
	}
	if got := readerQuads(t, late); !slices.Equal(got, want) {
		t.Errorf("a server opened later reads %d quads, want %d", len(got), len(want))
	}
}

// TestChangeLogPruned checks that writes prune the change log to its
// window (generations, and quads) and that the log keeps the changes
// after what it pruned.
func TestChangeLogPruned(t *testing.T) {
	dsn := freshPostgres(t, postgresDSN(t))
	ctx := context.Background()
	s := mustOpen(t, graph.Config{Backend: graph.Postgres, DSN: dsn})
	graph.ShrinkChangeLog(s, 10, 1000)
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ex := func(s string) quad.IRI { return quad.IRI("https://example.org/" + s) }
	for i := range 130 {
		writeAll(t, s, []quad.Quad{{Subject: ex(fmt.Sprint("s", i)), Predicate: ex("p"), Object: ex("o")}})
	}
	var rows, first, gen, pruned int64
	err = db.QueryRowContext(ctx, `SELECT count(*), min(c.gen), max(g.gen), max(g.pruned) FROM innograph_changes c, innograph_generation g`).Scan(&rows, &first, &gen, &pruned)
	if err != nil {
		t.Fatal(err)
	}
	// Pruned at generation 128 to 118; 119..130 remain.
	if gen != 130 || pruned != 118 || first != 119 || rows != 12 {
		t.Errorf("after 130 writes: generation %d, pruned %d, log %d rows from %d; want 130, 118, 12 rows from 119", gen, pruned, rows, first)
	}
	// With a window of 1,000 generations, a batch of 2,000 quads passes
	// the quad budget: at the next prune (generation 192) it goes, with
	// everything before it.
	graph.ShrinkChangeLog(s, 1000, 1000)
	var big []quad.Quad
	for i := range 2000 {
		big = append(big, quad.Quad{Subject: ex("big"), Predicate: ex("p"), Object: quad.String(fmt.Sprint(i))})
	}
	writeAll(t, s, big)
	for i := range 61 {
		writeAll(t, s, []quad.Quad{{Subject: ex(fmt.Sprint("t", i)), Predicate: ex("p"), Object: ex("o")}})
	}
	err = db.QueryRowContext(ctx, `SELECT count(*), min(c.gen), max(g.gen), max(g.pruned) FROM innograph_changes c, innograph_generation g`).Scan(&rows, &first, &gen, &pruned)
	if err != nil {
		t.Fatal(err)
	}
	if gen != 192 || pruned != 131 || first != 132 || rows != 61 {
		t.Errorf("after the big batch: generation %d, pruned %d, log %d rows from %d; want 192, 131, 61 rows from 132", gen, pruned, rows, first)
	}
}
