package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	// Cayley's SQL backends register themselves in its registry, through
	// which they are opened.
	_ "github.com/cayleygraph/cayley/graph/sql/cockroach"
	_ "github.com/cayleygraph/cayley/graph/sql/postgres"
)

// Backend names a store of this family, as Cayley's registry does.
type Backend string

// The backends of this family.
const (
	Postgres  Backend = "postgres"
	Cockroach Backend = "cockroach"
)

// Config says which store to open.
type Config struct {
	Backend Backend
	DSN     string
	// NoSync commits load batches with synchronous_commit off (PostgreSQL).
	NoSync bool
	// ReadOnly opens without creating or repairing the schema, as on a
	// PostgreSQL hot standby (which Open also notices by itself).
	ReadOnly bool
}

// Store is an open PostgreSQL or CockroachDB store. Apply, BeginBulk and
// EndBulk must be serialised by the caller (the graph Store's writer
// lock); reads go through QuadStore and Batched concurrently.
type Store struct {
	qs     cgraph.QuadStore
	noSync bool
	// PostgreSQL only: a small pool beside Cayley's (which Cayley does not
	// expose) for COPY, the bulk schema and the store size, and the
	// batched reader's pool.
	db      *sql.DB
	batched *Batched
}

// Open opens (and on first use initialises) the store cfg names. On
// PostgreSQL it rebuilds whatever indexes a bulk load that did not finish
// dropped (bulk.go) before returning.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	switch cfg.Backend {
	case Postgres, Cockroach:
	default:
		return nil, fmt.Errorf("sqlstore: unknown backend %q", cfg.Backend)
	}
	name := string(cfg.Backend)
	if cfg.Backend == Postgres && !cfg.ReadOnly {
		// A hot standby refuses CREATE TABLE, even one that exists.
		standby, err := InRecovery(ctx, cfg.DSN)
		if err != nil {
			return nil, err
		}
		cfg.ReadOnly = standby
	}
	if !cfg.ReadOnly {
		err := cgraph.InitQuadStore(name, cfg.DSN, nil)
		if err != nil && !errors.Is(err, cgraph.ErrDatabaseExists) {
			return nil, fmt.Errorf("initialise: %w", err)
		}
	}
	qs, err := cgraph.NewQuadStore(name, cfg.DSN, nil)
	if err != nil {
		return nil, err
	}
	s := &Store{qs: qs, noSync: cfg.NoSync}
	if cfg.Backend != Postgres {
		return s, nil
	}
	// Close releases whatever of the pools below was opened.
	if s.db, err = openPool(ctx, cfg.DSN); err == nil {
		if err = s.ChangeLog().Create(ctx); err != nil {
			err = fmt.Errorf("open the change log: %w", err)
		} else if cfg.ReadOnly {
			// The primary's next open restores a bulk load's indexes.
			s.batched, err = openBatched(ctx, cfg.DSN)
		} else if err = restoreSchema(ctx, s.db); err != nil {
			err = fmt.Errorf("restore the indexes of an unfinished bulk load: %w", err)
		} else {
			s.batched, err = openBatched(ctx, cfg.DSN)
		}
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// openPool opens the small pool for writes (COPY, the change log), the
// bulk schema and the size.
func openPool(ctx context.Context, dsn string) (*sql.DB, error) {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(4)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// QuadStore is the Cayley store, for reads.
func (s *Store) QuadStore() cgraph.QuadStore { return s.qs }

// Batched is the batched reader (PostgreSQL), nil on CockroachDB.
func (s *Store) Batched() *Batched { return s.batched }

// BatchValues returns the batched reader's lookup of many node references
// in one query (PostgreSQL), nil on CockroachDB, whose Cayley store
// resolves one value per query.
func (s *Store) BatchValues() func(context.Context, []cgraph.Ref) ([]quad.Value, error) {
	if s.batched == nil {
		return nil
	}
	return s.batched.ValuesOf
}

// Apply applies deltas in one transaction, whole or not at all, and
// returns the generation it took. On PostgreSQL every write runs in
// innograph's own transaction (copy.go: adds by COPY, removes by a join),
// which takes the database's next generation and logs the change
// (changelog.go); a batch of a bulk load (bulk) is logged without its
// quads. On CockroachDB it is Cayley's ApplyDeltas, generation zero.
func (s *Store) Apply(deltas []cgraph.Delta, addOnly, bulk bool) (gen uint64, err error) {
	if s.db != nil {
		return s.apply(deltas, bulk)
	}
	return 0, s.qs.ApplyDeltas(deltas, cgraph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true})
}

// Shared reports true: other servers may write the same database.
func (s *Store) Shared() bool { return true }

// CanBulk reports whether the store can run a bulk load: PostgreSQL.
func (s *Store) CanBulk() bool { return s.db != nil }

// BeginBulk starts a bulk load into the store, which the caller has found
// empty: on PostgreSQL the quads table's secondary indexes and foreign keys
// are dropped, to be rebuilt by EndBulk (bulk.go). It reports whether it
// started one and, when a bulk load is not possible but an ordinary load
// is (the role does not own the tables, a lock not granted in time), why
// not; other errors are returned.
func (s *Store) BeginBulk(ctx context.Context) (ok bool, note string, err error) {
	if s.db == nil {
		return false, "", nil
	}
	ok, err = s.dropForBulk(ctx)
	if errors.Is(err, errNoBulk) {
		return false, fmt.Sprintf("bulk load not possible, indexes kept: %v", err), nil
	}
	return ok, "", err
}

// EndBulk rebuilds what BeginBulk dropped and analyses the tables. It runs
// to completion whatever ctx says; a process killed in it is finished by
// the next Open.
func (s *Store) EndBulk(context.Context) error {
	if s.db == nil {
		return nil
	}
	ctx := context.Background()
	if err := restoreSchema(ctx, s.db); err != nil {
		return err
	}
	// Fresh planner statistics: the query planner would otherwise plan
	// over an empty table until autovacuum gets to it (about a minute after
	// a 1M-quad load), and path queries read by sequential scans meanwhile.
	_, err := s.db.ExecContext(ctx, `ANALYZE nodes, quads`)
	return err
}

// Size reports the bytes of the two tables, or 0 and why not.
func (s *Store) Size(ctx context.Context) (int64, string) {
	if s.db == nil {
		return 0, "CockroachDB has no pg_total_relation_size, and Cayley's store exposes no connection to ask it otherwise"
	}
	var n int64
	err := s.db.QueryRowContext(ctx, `SELECT pg_total_relation_size('nodes') + pg_total_relation_size('quads')`).Scan(&n)
	if err != nil {
		return 0, "PostgreSQL did not report the table sizes: " + err.Error()
	}
	return n, ""
}

// OpenGeneration returns zero: the database keeps the generation servers
// share (changelog.go), which the graph Store follows.
func (s *Store) OpenGeneration() (uint64, error) { return 0, nil }

// CloseGeneration does nothing, for the same reason.
func (s *Store) CloseGeneration(uint64) error { return nil }

// Close closes the pools and the Cayley store.
func (s *Store) Close() error {
	if s.db != nil {
		s.db.Close()
	}
	if s.batched != nil {
		s.batched.Close()
	}
	return s.qs.Close()
}
