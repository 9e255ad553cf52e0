package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
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

// writersLock is the key of the PostgreSQL advisory lock every innograph
// server on a database holds from a write's first read to its commit.
const writersLock = 0x696e6e6f67726170 // "innograp"

// LockWriters holds off the writes of every other server on the database
// until release is called: on PostgreSQL a session advisory lock, taken
// on a connection of its own that is discarded after the unlock (a
// connection back in the pool still holding the lock would stop every
// writer). A write that reads before it writes (a graph replace, a SPARQL
// DELETE/INSERT ... WHERE, a validation against stored data) holds it
// from the read to the commit, so that no other server's write lands in
// between. On CockroachDB, which has no advisory locks, it does nothing:
// writes from several servers there are not serialised (docs/scale.md).
func (s *Store) LockWriters(ctx context.Context) (release func(), err error) {
	if s.db == nil {
		return func() {}, nil
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("take the writers' lock: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, int64(writersLock)); err != nil {
		// A lock wait cancelled by ctx may still be granted as the
		// cancel arrives: never reuse the connection.
		discard(conn)
		return nil, fmt.Errorf("take the writers' lock: %w", err)
	}
	return func() {
		// The unlock runs whatever the request's context says; if it
		// fails, closing the connection ends the session and its lock.
		if _, err := conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, int64(writersLock)); err != nil {
			discard(conn)
			return
		}
		conn.Close()
	}, nil
}

// discard closes conn's session instead of returning it to the pool.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	conn.Close()
}

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

// CanUndoBulk reports false: a PostgreSQL bulk load is not undone; its
// batches stay (EndBulk).
func (s *Store) CanUndoBulk() bool { return false }

// AbortBulk undoes nothing (CanUndoBulk).
func (s *Store) AbortBulk() (bool, error) { return false, nil }

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
