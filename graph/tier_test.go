package graph_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/frontier"
	"github.com/innograph/innograph/graph/frontier/frontiertest"
)

// tierBackends are the backends the read tier is checked on; open returns
// a store config for a fresh store of each.
func tierBackends(t *testing.T) []struct {
	name string
	cfg  func(tb testing.TB) graph.Config
} {
	return []struct {
		name string
		cfg  func(tb testing.TB) graph.Config
	}{
		{"memory", func(testing.TB) graph.Config { return graph.Config{Backend: graph.Memory} }},
		{"bolt", func(tb testing.TB) graph.Config {
			return graph.Config{Backend: graph.Bolt, Path: filepath.Join(tb.TempDir(), "store")}
		}},
		{"leveldb", func(tb testing.TB) graph.Config {
			return graph.Config{Backend: graph.LevelDB, Path: filepath.Join(tb.TempDir(), "store")}
		}},
		{"postgres", func(tb testing.TB) graph.Config {
			return graph.Config{Backend: graph.Postgres, DSN: freshPostgres(tb, postgresDSN(tb))}
		}},
	}
}

// reusedPostgres returns a config func for many short subtests on one
// database, emptied before each (a fresh database per subtest costs
// seconds on a loaded machine).
func reusedPostgres(t *testing.T) func(tb testing.TB) graph.Config {
	dsn := freshPostgres(t, postgresDSN(t))
	return func(tb testing.TB) graph.Config {
		db, err := sql.Open("postgres", dsn)
		if err != nil {
			tb.Fatal(err)
		}
		defer db.Close()
		var made bool
		if err := db.QueryRow(`SELECT to_regclass('innograph_changes') IS NOT NULL`).Scan(&made); err != nil {
			tb.Fatal(err)
		}
		if made {
			if _, err := db.Exec(`TRUNCATE quads, nodes, innograph_changes; UPDATE innograph_generation SET pruned = gen`); err != nil {
				tb.Fatal(err)
			}
		}
		return graph.Config{Backend: graph.Postgres, DSN: dsn}
	}
}

// writeAll adds quads to s in one write.
func writeAll(tb testing.TB, s *graph.Store, quads []quad.Quad) {
	tb.Helper()
	if len(quads) == 0 {
		return
	}
	err := s.Write(context.Background(), func(b *graph.Batch) error {
		for _, q := range quads {
			b.Add(q)
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("Write(%d quads): %v", len(quads), err)
	}
}

// TestReaderFrontier runs the frontier conformance suite over
// Store.Reader on every backend: with the memory tier fed by writes after
// Open, with it built at Open from a store that already holds the quads
// (bolt, which can be reopened), and with the tier off.
func TestReaderFrontier(t *testing.T) {
	for _, b := range tierBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			if b.name == "postgres" {
				b.cfg = reusedPostgres(t)
			}
			t.Run("memory/written", func(t *testing.T) {
				frontiertest.Run(t, func(tb testing.TB, quads []quad.Quad) frontier.Source {
					s := mustOpen(tb, b.cfg(tb))
					writeAll(tb, s, quads)
					if st := s.ReadTierStatus(); !st.Ready {
						tb.Fatalf("read tier not ready after writes: %+v", st)
					}
					return s
				})
			})
			if b.name == "bolt" { // leveldb builds through the same EachQuad
				t.Run("memory/built", func(t *testing.T) {
					frontiertest.Run(t, func(tb testing.TB, quads []quad.Quad) frontier.Source {
						cfg := b.cfg(tb)
						off := cfg
						off.ReadTier = graph.ReadTierOff
						s, err := graph.Open(context.Background(), off)
						if err != nil {
							tb.Fatal(err)
						}
						writeAll(tb, s, quads)
						s.Close()
						s = mustOpen(tb, cfg)
						if st := s.ReadTierStatus(); !st.Ready || st.Quads != int64(len(dedup(quads))) {
							tb.Fatalf("read tier after Open: %+v, want ready with %d quads", st, len(dedup(quads)))
						}
						return s
					})
				})
			}
			t.Run("off", func(t *testing.T) {
				frontiertest.Run(t, func(tb testing.TB, quads []quad.Quad) frontier.Source {
					cfg := b.cfg(tb)
					cfg.ReadTier = graph.ReadTierOff
					s := mustOpen(tb, cfg)
					writeAll(tb, s, quads)
					return s
				})
			})
		})
	}
}

// dedup returns quads without repeats.
func dedup(quads []quad.Quad) []quad.Quad {
	seen := make(map[quad.Quad]bool)
	var out []quad.Quad
	for _, q := range quads {
		if !seen[q] {
			seen[q] = true
			out = append(out, q)
		}
	}
	return out
}

// readerQuads returns every quad Store.Reader gives, as sorted N-Quads.
func readerQuads(tb testing.TB, s *graph.Store) []string {
	tb.Helper()
	ctx := context.Background()
	r, err := s.Reader(ctx)
	if err != nil {
		tb.Fatalf("Reader: %v", err)
	}
	defer r.Close()
	var qs []frontier.Quad
	if err := r.All(ctx, func(q frontier.Quad) bool { qs = append(qs, q); return true }); err != nil {
		tb.Fatalf("All: %v", err)
	}
	var out []string
	for _, x := range qs {
		vals := make([]quad.Value, 4)
		if err := r.Values(ctx, []frontier.ID{x.S, x.P, x.O, x.G}, vals); err != nil {
			tb.Fatalf("Values: %v", err)
		}
		out = append(out, quad.Quad{Subject: vals[0], Predicate: vals[1], Object: vals[2], Label: vals[3]}.String())
	}
	slices.Sort(out)
	return out
}

// storedQuads returns every quad of the backend, as sorted N-Quads.
func storedQuads(tb testing.TB, s *graph.Store) []string {
	tb.Helper()
	var out []string
	err := s.EachQuad(context.Background(), graph.Selection{}, func(q quad.Quad) error {
		out = append(out, q.String())
		return nil
	})
	if err != nil {
		tb.Fatalf("EachQuad: %v", err)
	}
	slices.Sort(out)
	return out
}

// sameAsStore fails tb unless the Reader gives exactly the backend's
// quads, and those are want (sorted N-Quads) when want is not nil.
func sameAsStore(tb testing.TB, s *graph.Store, what string, want []string) {
	tb.Helper()
	got, stored := readerQuads(tb, s), storedQuads(tb, s)
	if !slices.Equal(got, stored) {
		tb.Errorf("after %s: Reader gives\n%s\nthe store holds\n%s", what, strings.Join(got, "\n"), strings.Join(stored, "\n"))
	}
	if want != nil && !slices.Equal(stored, want) {
		tb.Errorf("after %s: the store holds\n%s\nwant\n%s", what, strings.Join(stored, "\n"), strings.Join(want, "\n"))
	}
}

func nquads(quads ...quad.Quad) []string {
	var out []string
	for _, q := range quads {
		out = append(out, q.String())
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestReaderSeesEveryWrite checks that each way of writing (a bulk load
// into the empty store, an ordinary load, Write with adds and removes,
// ReplaceGraph, MergeGraph, DeleteGraph, a SPARQL update) is visible through the read tier
// as soon as it returns, and that the generation moves with each.
func TestReaderSeesEveryWrite(t *testing.T) {
	ex := func(s string) quad.IRI { return quad.IRI("https://example.org/" + s) }
	q := func(s, p string, o quad.Value, g quad.Value) quad.Quad {
		return quad.Quad{Subject: ex(s), Predicate: ex(p), Object: o, Label: g}
	}
	g1, g2 := ex("g1"), ex("g2")
	for _, b := range tierBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			s := mustOpen(t, b.cfg(t))
			gen := s.Generation()
			moved := func(what string) {
				t.Helper()
				if g := s.Generation(); g == gen {
					t.Errorf("Generation() still %d after %s", g, what)
				} else {
					gen = g
				}
			}
			state := map[quad.Quad]bool{}
			want := func() []string {
				var qs []quad.Quad
				for x, in := range state {
					if in {
						qs = append(qs, x)
					}
				}
				return nquads(qs...)
			}

			// A bulk load into the empty store (bolt, PostgreSQL), in
			// several batches.
			var bulk []quad.Quad
			for i := range 25 {
				x := q(fmt.Sprintf("n%d", i), "p", quad.String(fmt.Sprint(i)), nil)
				bulk = append(bulk, x)
				state[x] = true
			}
			if _, err := s.Load(ctx, quad.NewReader(bulk), graph.LoadOptions{BatchSize: 10}); err != nil {
				t.Fatal(err)
			}
			moved("a bulk load")
			sameAsStore(t, s, "a bulk load", want())

			// An ordinary load into the non-empty store, duplicates included.
			more := []quad.Quad{q("a", "p", ex("b"), g1), q("a", "p", ex("b"), g1), bulk[0], q("b", "label", quad.LangString{Value: "B", Lang: "en"}, g2)}
			for _, x := range more {
				state[x] = true
			}
			if _, err := s.Load(ctx, quad.NewReader(more), graph.LoadOptions{}); err != nil {
				t.Fatal(err)
			}
			moved("a load")
			sameAsStore(t, s, "a load", want())

			// Write: removes (one of a missing quad), adds (one of a
			// present quad), and a quad added then removed, and one
			// removed then added, in one batch: the last change wins.
			added := q("c", "p", ex("d"), nil)
			err := s.Write(ctx, func(b *graph.Batch) error {
				b.Remove(bulk[1])
				b.Remove(q("zz", "p", ex("zz"), nil))
				b.Add(bulk[2])
				b.Add(added)
				b.Add(q("flip", "p", ex("x"), nil))
				b.Remove(q("flip", "p", ex("x"), nil))
				b.Remove(bulk[3])
				b.Add(bulk[3])
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			state[bulk[1]], state[added] = false, true
			moved("Write")
			sameAsStore(t, s, "Write", want())

			// ReplaceGraph: g1 loses a quad and gains two.
			repl := []quad.Quad{q("e", "p", ex("f"), nil), q("a", "label", quad.String("A"), nil)}
			if _, err := s.ReplaceGraph(ctx, g1, repl, nil); err != nil {
				t.Fatal(err)
			}
			state[q("a", "p", ex("b"), g1)] = false
			for _, x := range repl {
				x.Label = g1
				state[x] = true
			}
			moved("ReplaceGraph")
			sameAsStore(t, s, "ReplaceGraph", want())

			// MergeGraph into g2.
			merge := []quad.Quad{q("b", "p", ex("a"), nil), q("b", "label", quad.LangString{Value: "B", Lang: "en"}, nil)}
			if _, err := s.MergeGraph(ctx, g2, merge, nil); err != nil {
				t.Fatal(err)
			}
			for _, x := range merge {
				x.Label = g2
				state[x] = true
			}
			moved("MergeGraph")
			sameAsStore(t, s, "MergeGraph", want())

			// A SPARQL update: a delete and an insert in one request.
			up := `PREFIX ex: <https://example.org/> DELETE DATA { GRAPH ex:g2 { ex:b ex:p ex:a } } ; INSERT DATA { GRAPH ex:g2 { ex:s ex:p ex:t } }`
			if _, err := s.UpdateSPARQL(ctx, graph.SPARQLRequest{Text: up}, nil); err != nil {
				t.Fatal(err)
			}
			state[q("b", "p", ex("a"), g2)], state[q("s", "p", ex("t"), g2)] = false, true
			moved("UpdateSPARQL")
			sameAsStore(t, s, "UpdateSPARQL", want())

			// DeleteGraph g1.
			if _, err := s.DeleteGraph(ctx, g1); err != nil {
				t.Fatal(err)
			}
			for x := range state {
				if x.Label == g1 {
					state[x] = false
				}
			}
			moved("DeleteGraph")
			sameAsStore(t, s, "DeleteGraph", want())

			// A SPARQL update: a triple moved between graphs, one
			// deleted and inserted at once (it stays).
			upd := `PREFIX ex: <https://example.org/>
				DELETE DATA { GRAPH ex:g2 { ex:b ex:p ex:a } ex:c ex:p ex:d } ;
				INSERT DATA { GRAPH ex:g1 { ex:b ex:p ex:a } ex:c ex:p ex:d }`
			if _, err := s.UpdateSPARQL(ctx, graph.SPARQLRequest{Text: upd}, nil); err != nil {
				t.Fatal(err)
			}
			state[q("b", "p", ex("a"), g2)], state[q("b", "p", ex("a"), g1)] = false, true
			moved("a SPARQL update")
			sameAsStore(t, s, "a SPARQL update", want())
			if st := s.ReadTierStatus(); !st.Ready || st.Quads != int64(len(want())) {
				t.Errorf("ReadTierStatus() = %+v, want ready with %d quads", st, len(want()))
			}
		})
	}
}

// TestReadTierRecovers checks that a write the tier cannot take, or the
// backend refuses, leaves no divergence: reads go to the backend until the
// tier is rebuilt, and the rebuilt tier holds every write, including one
// made during the build.
func TestReadTierRecovers(t *testing.T) {
	ex := func(s string) quad.IRI { return quad.IRI("https://example.org/" + s) }
	for _, b := range tierBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			cfg := b.cfg(t)
			s := mustOpen(t, cfg)
			var qs []quad.Quad
			for i := range 50 {
				qs = append(qs, quad.Quad{Subject: ex(fmt.Sprint("s", i%7)), Predicate: ex("p"), Object: quad.String(fmt.Sprint(i))})
			}
			writeAll(t, s, qs)
			want := nquads(qs...)

			graph.FailTierApply(s, 1)
			x, y := quad.Quad{Subject: ex("x"), Predicate: ex("p"), Object: ex("y")}, quad.Quad{Subject: ex("y"), Predicate: ex("p"), Object: ex("x")}
			writeAll(t, s, []quad.Quad{x})
			want = nquads(append(qs, x)...)
			sameAsStore(t, s, "a write the tier refused", want)
			writeAll(t, s, []quad.Quad{y})
			want = nquads(append(qs, x, y)...)
			sameAsStore(t, s, "a write during the rebuild", want)
			if err := graph.WaitTier(ctx, s); err != nil {
				t.Fatalf("rebuild: %v", err)
			}
			if st := s.ReadTierStatus(); !st.Ready || st.Quads != int64(len(want)) {
				t.Errorf("ReadTierStatus() after the rebuild = %+v, want ready with %d quads", st, len(want))
			}
			sameAsStore(t, s, "the rebuild", want)

			if b.name != "postgres" {
				return
			}
			// A write PostgreSQL refuses part way (a trigger raises on a
			// node value), by the COPY path and by Cayley's.
			db, err := sql.Open("postgres", cfg.DSN)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			_, err = db.Exec(`CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN IF NEW.value_string = 'poison' THEN RAISE EXCEPTION 'poisoned value'; END IF; RETURN NEW; END $$;
				CREATE TRIGGER refuse_poison BEFORE INSERT ON nodes FOR EACH ROW EXECUTE FUNCTION refuse_poison()`)
			if err != nil {
				t.Fatal(err)
			}
			poison := quad.Quad{Subject: ex("z"), Predicate: ex("p"), Object: quad.String("poison")}
			for _, mixed := range []bool{false, true} {
				err := s.Write(ctx, func(b *graph.Batch) error {
					b.Add(quad.Quad{Subject: ex("z"), Predicate: ex("p"), Object: ex("ok")})
					b.Add(poison)
					if mixed {
						b.Remove(qs[0])
					}
					return nil
				})
				if err == nil {
					t.Fatalf("Write of a poisoned value (mixed %v) succeeded", mixed)
				}
				sameAsStore(t, s, "a refused write", want)
				if err := graph.WaitTier(ctx, s); err != nil {
					t.Fatalf("rebuild: %v", err)
				}
				sameAsStore(t, s, "the rebuild after a refused write", want)
			}
		})
	}
}

// TestGenerationSurvivesRestart checks that an embedded store's
// generation is kept over a clean restart and moves far on after an
// unclean one, so a generation never names two states.
func TestGenerationSurvivesRestart(t *testing.T) {
	for _, b := range []graph.Backend{graph.Bolt, graph.LevelDB} {
		t.Run(string(b), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "store")
			cfg := graph.Config{Backend: b, Path: dir}
			s, err := graph.Open(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			for i := range 3 {
				writeAll(t, s, []quad.Quad{{Subject: quad.IRI(fmt.Sprint("s", i)), Predicate: quad.IRI("p"), Object: quad.IRI("o")}})
			}
			gen := s.Generation()
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s = mustOpen(t, cfg)
			if g := s.Generation(); g != gen {
				t.Errorf("Generation() after a clean restart = %d, want %d", g, gen)
			}
			s.Close()
			// A process that died with the store open left it marked open.
			if err := os.WriteFile(filepath.Join(dir, "innograph-generation"), []byte(fmt.Sprintf("%d open\n", gen)), 0o600); err != nil {
				t.Fatal(err)
			}
			s = mustOpen(t, cfg)
			if g := s.Generation(); g != gen+1<<32 {
				t.Errorf("Generation() after an unclean stop = %d, want %d", g, gen+1<<32)
			}
		})
	}
}

// TestGenerationNeverAhead checks, while writes run, the rule ETags rely
// on: a Reader opened after Generation returned g gives at least the
// state of g.
func TestGenerationNeverAhead(t *testing.T) {
	for _, b := range tierBackends(t) {
		if b.name == "leveldb" {
			continue // the rule is the tier's; three backends cover its paths
		}
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			s := mustOpen(t, b.cfg(t))
			const writes = 100
			quadsAt := map[uint64]int64{s.Generation(): 0}
			type seen struct {
				gen   uint64
				quads int64
			}
			var obs []seen
			stop, done := make(chan struct{}), make(chan struct{})
			go func() {
				defer close(done)
				for {
					select {
					case <-stop:
						return
					default:
					}
					g := s.Generation()
					r, err := s.Reader(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					n, _, err := r.Count(ctx, frontier.Quad{})
					r.Close()
					if err != nil {
						t.Error(err)
						return
					}
					obs = append(obs, seen{g, n})
					time.Sleep(20 * time.Microsecond)
				}
			}()
			var gens []uint64
			for i := range writes {
				writeAll(t, s, []quad.Quad{{Subject: quad.IRI(fmt.Sprint("s", i)), Predicate: quad.IRI("p"), Object: quad.IRI("o")}})
				g := s.Generation()
				quadsAt[g] = int64(i + 1)
				gens = append(gens, g)
				time.Sleep(200 * time.Microsecond)
			}
			close(stop)
			<-done
			for _, o := range obs {
				want, ok := quadsAt[o.gen]
				if !ok {
					t.Errorf("a reader saw generation %d, which no write returned (writes returned %v)", o.gen, gens)
					continue
				}
				if o.quads < want {
					t.Errorf("a Reader opened after Generation() = %d counted %d quads, want at least %d", o.gen, o.quads, want)
				}
			}
			t.Logf("%d observations", len(obs))
		})
	}
}
