package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
	"github.com/innograph/innograph/graph/frontier/frontiertest"
	"github.com/innograph/innograph/graph/internal/sqlstore"
)

// freshDatabase creates an empty database on the server of
// INNOGRAPH_TEST_POSTGRES_DSN for one test and drops it after; it skips
// without the variable, and fails when CI=true.
func freshDatabase(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv("INNOGRAPH_TEST_POSTGRES_DSN")
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatal("CI=true but INNOGRAPH_TEST_POSTGRES_DSN is not set: .ci/run must start PostgreSQL")
		}
		tb.Skip("INNOGRAPH_TEST_POSTGRES_DSN not set; skipping PostgreSQL tests")
	}
	admin, err := sql.Open("postgres", dsn)
	if err != nil {
		tb.Fatal(err)
	}
	name := fmt.Sprintf("innograph_sqlstore_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		admin.Close()
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		admin.Close()
	})
	base, query, _ := strings.Cut(dsn, "?")
	if i := strings.LastIndex(base, "/"); i > len("postgresql://") {
		base = base[:i]
	}
	out := base + "/" + name
	if query != "" {
		out += "?" + query
	}
	return out
}

// TestReaderConformance runs the frontier.Reader suite on the batched
// PostgreSQL reader, with the quads written both ways the Store writes
// them: COPY (add-only batches) and Cayley's ApplyDeltas.
func TestReaderConformance(t *testing.T) {
	dsn := freshDatabase(t)
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, sqlstore.Config{Backend: sqlstore.Postgres, DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, viaCopy := range []bool{true, false} {
		t.Run(fmt.Sprintf("copy=%v", viaCopy), func(t *testing.T) {
			frontiertest.Run(t, func(t testing.TB, quads []quad.Quad) frontier.Source {
				if _, err := db.Exec(`TRUNCATE quads, nodes`); err != nil {
					t.Fatal(err)
				}
				s.Batched().ForgetValues()
				ds := make([]cgraph.Delta, len(quads))
				for i, q := range quads {
					ds[i] = cgraph.Delta{Action: cgraph.Add, Quad: q}
				}
				if _, err := s.Apply(ds, viaCopy, false); err != nil {
					t.Fatal(err)
				}
				return s.Batched().Source()
			})
		})
	}
}
