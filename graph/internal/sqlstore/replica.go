package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Replication is one reading of a PostgreSQL database's replication state.
type Replication struct {
	Standby            bool          // in recovery: a hot standby
	Replayed, Received uint64        // WAL positions, bytes since the start of the log (standby only)
	SinceCommit        time.Duration // since the last replayed commit (standby only)
	Paused             bool          // replay is paused (standby only)
}

// replicationQuery reads the state in one round trip. pg_is_wal_replay_paused
// fails outside recovery; CASE keeps it from being called there.
const replicationQuery = `SELECT r,
  COALESCE(pg_wal_lsn_diff(CASE WHEN r THEN pg_last_wal_replay_lsn() END, '0/0'), 0)::bigint,
  COALESCE(pg_wal_lsn_diff(CASE WHEN r THEN pg_last_wal_receive_lsn() END, '0/0'), 0)::bigint,
  COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - CASE WHEN r THEN pg_last_xact_replay_timestamp() END), 0)::float8,
  CASE WHEN r THEN pg_is_wal_replay_paused() ELSE false END
FROM pg_is_in_recovery() AS r`

// ReadReplication reads the replication state (PostgreSQL only).
func (s *Store) ReadReplication(ctx context.Context) (Replication, error) {
	if s.db == nil {
		return Replication{}, errors.New("no replication state on this backend")
	}
	var (
		r              Replication
		replayed, recv int64
		since          float64
	)
	err := s.db.QueryRowContext(ctx, replicationQuery).Scan(&r.Standby, &replayed, &recv, &since, &r.Paused)
	r.Replayed, r.Received = uint64(max(replayed, 0)), uint64(max(recv, 0))
	r.SinceCommit = time.Duration(since * float64(time.Second))
	return r, err
}

// InRecovery reports whether the PostgreSQL database at dsn is a hot
// standby, over a connection of its own (Open asks before any pool exists).
func InRecovery(ctx context.Context, dsn string) (bool, error) {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return false, err
	}
	defer db.Close()
	var r bool
	err = db.QueryRowContext(ctx, `SELECT pg_is_in_recovery()`).Scan(&r)
	return r, err
}
