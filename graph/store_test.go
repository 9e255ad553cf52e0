package graph_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/storetest"
)

// mustOpen opens cfg and closes the store when the test ends.
func mustOpen(tb testing.TB, cfg graph.Config) *graph.Store {
	tb.Helper()
	s, err := graph.Open(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("Open(%+v): %v", cfg, err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// dirOpener opens a fresh embedded store in a temporary directory.
func dirOpener(b graph.Backend) storetest.Opener {
	var dir string
	return storetest.Opener{
		Open: func(tb testing.TB) *graph.Store {
			dir = filepath.Join(tb.TempDir(), "store")
			return mustOpen(tb, graph.Config{Backend: b, Path: dir})
		},
		Reopen: func(tb testing.TB) *graph.Store {
			return mustOpen(tb, graph.Config{Backend: b, Path: dir})
		},
	}
}

func TestMemory(t *testing.T) {
	storetest.Run(t, storetest.Opener{Open: func(tb testing.TB) *graph.Store {
		return mustOpen(tb, graph.Config{Backend: graph.Memory})
	}})
}

func TestBolt(t *testing.T)    { storetest.Run(t, dirOpener(graph.Bolt)) }
func TestLevelDB(t *testing.T) { storetest.Run(t, dirOpener(graph.LevelDB)) }

// TestBoltLoaded runs the suite on bolt stores filled by Load: a bulk load
// into each empty store, written directly in Cayley's layout
// (graph/internal/kvstore/direct.go), and ordinary writes on top.
func TestBoltLoaded(t *testing.T) {
	o := dirOpener(graph.Bolt)
	o.Load = true
	storetest.Run(t, o)
}

// postgresDSN returns the admin DSN of the test server from
// INNOGRAPH_TEST_POSTGRES_DSN. Without it the test skips, except under
// CI=true, where a missing server is a failure.
func postgresDSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv("INNOGRAPH_TEST_POSTGRES_DSN")
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatal("CI=true but INNOGRAPH_TEST_POSTGRES_DSN is not set: .ci/run must start PostgreSQL")
		}
		tb.Skip("INNOGRAPH_TEST_POSTGRES_DSN not set; skipping PostgreSQL tests")
	}
	return dsn
}

var dbSeq atomic.Int64

// freshPostgres creates an empty database for one test and drops it after.
func freshPostgres(tb testing.TB, adminDSN string) string {
	tb.Helper()
	admin, err := sql.Open("postgres", adminDSN)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	name := fmt.Sprintf("innograph_test_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6, dbSeq.Add(1))
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		admin, err := sql.Open("postgres", adminDSN)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	return withDatabase(adminDSN, name)
}

// withDatabase replaces the database name of a URL-style or key=value DSN.
func withDatabase(dsn, name string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		base, query, _ := strings.Cut(dsn, "?")
		i := strings.LastIndex(base, "/")
		if i > len("postgresql://") {
			base = base[:i]
		}
		out := base + "/" + name
		if query != "" {
			out += "?" + query
		}
		return out
	}
	return dsn + " dbname=" + name
}

func TestPostgres(t *testing.T) {
	admin := postgresDSN(t)
	var dsn string
	storetest.Run(t, storetest.Opener{
		Open: func(tb testing.TB) *graph.Store {
			dsn = freshPostgres(tb, admin)
			return mustOpen(tb, graph.Config{Backend: graph.Postgres, DSN: dsn})
		},
		Reopen: func(tb testing.TB) *graph.Store {
			return mustOpen(tb, graph.Config{Backend: graph.Postgres, DSN: dsn})
		},
	})
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  graph.Config
		want graph.Kind
	}{
		{"unknown backend", graph.Config{Backend: "oracle"}, graph.Unsupported},
		{"bolt without path", graph.Config{Backend: graph.Bolt}, graph.Invalid},
		{"postgres without dsn", graph.Config{Backend: graph.Postgres}, graph.Invalid},
		{"unreachable postgres", graph.Config{Backend: graph.Postgres, DSN: "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2"}, graph.Unavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := graph.Open(context.Background(), tc.cfg)
			if err == nil {
				s.Close()
				t.Fatalf("Open(%+v) succeeded, want a %v error", tc.cfg, tc.want)
			}
			if got := graph.KindOf(err); got != tc.want {
				t.Errorf("Open(%+v) = %v (kind %v), want kind %v", tc.cfg, err, got, tc.want)
			}
		})
	}
}
