package graph_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/gen"
)

// quadsSchema lists the indexes and constraints of the quads table as
// PostgreSQL defines them, and the rows of the bulk-load table if any.
func quadsSchema(tb testing.TB, dsn string) (schema, saved []string) {
	tb.Helper()
	schema = tableRows(tb, dsn, `SELECT indexname || ': ' || indexdef FROM pg_indexes WHERE tablename = 'quads'
		UNION ALL SELECT conname || ': ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'quads'::regclass ORDER BY 1`)
	if tableRows(tb, dsn, `SELECT CASE WHEN to_regclass('innograph_bulk_schema') IS NULL THEN 'no' ELSE 'yes' END`)[0] == `["yes"]` {
		saved = tableRows(tb, dsn, `SELECT name FROM innograph_bulk_schema ORDER BY name`)
	}
	return schema, saved
}

// TestPostgresBulkLoad checks the bulk load into an empty PostgreSQL store:
// while it runs, the quads table's four secondary indexes and four foreign
// keys are gone and saved; afterwards they are back exactly as Cayley
// created them (compared with a store Cayley initialised and nothing
// loaded), nothing stays saved, and the unique indexes kept duplicates out.
// A load into a store that holds quads leaves the schema alone.
func TestPostgresBulkLoad(t *testing.T) {
	admin := postgresDSN(t)
	ctx := context.Background()
	refDSN := freshPostgres(t, admin)
	mustOpen(t, graph.Config{Backend: graph.Postgres, DSN: refDSN})
	want, _ := quadsSchema(t, refDSN)
	if len(want) < 11 {
		t.Fatalf("Cayley's quads table has only %v", want)
	}

	dsn := freshPostgres(t, admin)
	s := mustOpen(t, graph.Config{Backend: graph.Postgres, DSN: dsn})
	qs := generatedQuads(t, gen.Config{Regions: 2, Seed: 4})
	qs = append(qs, qs[:50]...) // duplicates, in another batch
	var during [][]string
	var savedDuring [][]string
	progress := func(int64) {
		sc, sv := quadsSchema(t, dsn)
		during, savedDuring = append(during, sc), append(savedDuring, sv)
	}
	if _, err := s.Load(ctx, quad.NewReader(qs), graph.LoadOptions{BatchSize: 1000, Progress: progress}); err != nil {
		t.Fatal(err)
	}
	if len(during) < 2 {
		t.Fatalf("only %d batches", len(during))
	}
	for i, sc := range during {
		if len(sc) != len(want)-8 || len(savedDuring[i]) != 8 {
			t.Fatalf("after batch %d of the bulk load: schema %v, saved %v; want 8 of Cayley's %d definitions dropped and saved", i, sc, savedDuring[i], len(want))
		}
		for _, d := range sc {
			if strings.Contains(d, "_index") || strings.Contains(d, "FOREIGN KEY") {
				t.Fatalf("after batch %d: %s was not dropped", i, d)
			}
		}
	}
	got, saved := quadsSchema(t, dsn)
	if !reflect.DeepEqual(got, want) || len(saved) != 0 {
		t.Fatalf("after the bulk load: schema\n\t%v\nsaved %v; want Cayley's\n\t%v", got, saved, want)
	}
	// The planner has statistics at once, not when autovacuum comes by.
	if got := tableRows(t, dsn, `SELECT DISTINCT tablename::text FROM pg_stats WHERE schemaname = current_schema() AND tablename IN ('nodes', 'quads') ORDER BY 1`); len(got) != 2 {
		t.Errorf("tables analysed after the bulk load: %v, want nodes and quads", got)
	}
	if n := stats(t, s).Quads; n >= int64(len(qs)) || n < int64(len(qs))/2 {
		t.Errorf("%d quads stored of %d loaded with duplicates", n, len(qs))
	}

	during = nil
	if _, err := s.Load(ctx, quad.NewReader(qs[:2500]), graph.LoadOptions{BatchSize: 1000, Progress: progress}); err != nil {
		t.Fatal(err)
	}
	for i, sc := range during {
		if !reflect.DeepEqual(sc, want) {
			t.Fatalf("batch %d of a load into a store holding quads changed the schema: %v", i, sc)
		}
	}
}

// TestPostgresBulkRecovery stands in for a bulk load killed before its
// end: the definitions are saved and dropped as the load does, and Open
// must recreate them before the store is used.
func TestPostgresBulkRecovery(t *testing.T) {
	admin := postgresDSN(t)
	dsn := freshPostgres(t, admin)
	s := mustOpen(t, graph.Config{Backend: graph.Postgres, DSN: dsn})
	if _, err := s.Load(context.Background(), quad.NewReader(generatedQuads(t, gen.Config{Regions: 1, Seed: 4})), graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	want, _ := quadsSchema(t, dsn)

	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range []string{
		`CREATE TABLE IF NOT EXISTS innograph_bulk_schema (name TEXT PRIMARY KEY, kind TEXT NOT NULL, ddl TEXT NOT NULL)`,
		`INSERT INTO innograph_bulk_schema SELECT indexname, 'index', indexdef FROM pg_indexes WHERE tablename = 'quads' AND indexname IN ('spo_index', 'ops_index')`,
		`INSERT INTO innograph_bulk_schema SELECT conname, 'foreign key', 'ALTER TABLE quads ADD CONSTRAINT ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'object_hash_fk'`,
		// One saved definition whose index a concurrent restore rebuilt.
		`INSERT INTO innograph_bulk_schema SELECT indexname, 'index', indexdef FROM pg_indexes WHERE indexname = 'pos_index'`,
		`DROP INDEX spo_index, ops_index`,
		`ALTER TABLE quads DROP CONSTRAINT object_hash_fk`,
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	if got, saved := quadsSchema(t, dsn); len(got) != len(want)-3 || len(saved) != 4 {
		t.Fatalf("the stand-in crash left schema %v, saved %v", got, saved)
	}
	mustOpen(t, graph.Config{Backend: graph.Postgres, DSN: dsn})
	if got, saved := quadsSchema(t, dsn); !reflect.DeepEqual(got, want) || len(saved) != 0 {
		t.Fatalf("after Open: schema\n\t%v\nsaved %v; want\n\t%v", got, saved, want)
	}
}

// TestPostgresBulkNotOwner: a role that may write the tables but does not
// own them cannot drop their indexes; its load into an empty store runs as
// an ordinary load, says so, and loads everything.
func TestPostgresBulkNotOwner(t *testing.T) {
	admin := postgresDSN(t)
	dsn := freshPostgres(t, admin)
	mustOpen(t, graph.Config{Backend: graph.Postgres, DSN: dsn}).Close() // the owner initialises
	role := fmt.Sprintf("innograph_writer_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6)
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range []string{
		`CREATE ROLE ` + role + ` LOGIN`,
		`GRANT USAGE, CREATE ON SCHEMA public TO ` + role, // Cayley's open tries CREATE TABLE first
		`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ` + role,
		`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ` + role,
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	t.Cleanup(func() {
		db, err := sql.Open("postgres", dsn)
		if err == nil {
			db.Exec(`DROP OWNED BY ` + role)
			db.Close()
		}
		if a, err := sql.Open("postgres", admin); err == nil {
			a.Exec(`DROP ROLE IF EXISTS ` + role)
			a.Close()
		}
	})
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		t.Skipf("the test DSN %q is not a URL; this test needs to change its user", dsn)
	}
	u.User = url.User(role)
	s := mustOpen(t, graph.Config{Backend: graph.Postgres, DSN: u.String()})
	qs := generatedQuads(t, gen.Config{Regions: 1, Seed: 6})
	var notes []string
	if _, err := s.Load(context.Background(), quad.NewReader(qs), graph.LoadOptions{BatchSize: 500, Note: func(m string) { notes = append(notes, m) }}); err != nil {
		t.Fatalf("Load as a role that does not own the tables: %v", err)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "not possible") || !strings.Contains(notes[0], "owner") {
		t.Errorf("notes = %q, want one saying why the load is not a bulk load", notes)
	}
	if n := stats(t, s).Quads; n < int64(len(qs))/2 {
		t.Errorf("%d quads stored of %d loaded", n, len(qs))
	}
	if got, saved := quadsSchema(t, dsn); len(got) < 11 || len(saved) != 0 {
		t.Errorf("schema after the ordinary load: %v, saved %v", got, saved)
	}
}
