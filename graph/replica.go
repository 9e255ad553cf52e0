package graph

import (
	"context"
	"database/sql"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// The generation of a store is a number that changes with every write. It
// tags answers (HTTP ETags), keys in-process caches (Stats) and lets a
// reader wait for a write it made elsewhere (read-your-writes).
//
// On PostgreSQL it is the position in the write-ahead log: on a primary the
// flushed position, on a hot standby the replayed one. Every server on the
// database, and on any of its standbys, sees the same number for the same
// data without talking to the others, and numbers compare across primary
// and standby (a standby that has replayed up to a primary's number holds
// everything the primary had committed at that number). It changes with
// other WAL traffic too (another database of the cluster, vacuum): that
// only costs a cache a needless refetch, never a stale answer. A watcher
// refreshes it every walPoll, and the server's own writes refresh it at
// once, so an answer from another server may carry the number of up to
// walPoll ago.
//
// Other backends are opened by one process: the generation counts its
// writes.

// walPoll is how often the PostgreSQL watcher reads the WAL position (and,
// on a standby, the replication state).
const walPoll = 25 * time.Millisecond

// Generation reports the store's current generation (see above). It never
// goes down within a process.
func (s *Store) Generation() uint64 {
	if s.wal != nil {
		return s.wal.gen.Load()
	}
	return s.gen.Load()
}

// Replication is the state of a PostgreSQL hot standby the store reads.
type Replication struct {
	// Standby is true while the database is in recovery (a hot standby);
	// the other fields are zero otherwise.
	Standby bool `json:"standby"`
	// ReceivedLSN and ReplayedLSN are WAL positions, as bytes since the
	// start of the log: received from the primary, and applied.
	ReceivedLSN uint64 `json:"receivedLsn"`
	ReplayedLSN uint64 `json:"replayedLsn"`
	// LagBytes is how much received WAL waits to be replayed.
	LagBytes uint64 `json:"lagBytes"`
	// Lag is how far the data served here is behind the primary: zero when
	// everything received is replayed, else how long the oldest change
	// not yet replayed has waited (the lesser of the time since the last
	// replayed commit and the time since the watcher first saw WAL beyond
	// the replayed position).
	Lag time.Duration `json:"-"`
	// LagSeconds is Lag in seconds, for JSON.
	LagSeconds float64 `json:"lagSeconds"`
	// Paused is true while replay is paused (pg_wal_replay_pause()).
	Paused bool `json:"paused"`
	// Checked is when the state was read.
	Checked time.Time `json:"checked"`
}

// Replication reports the replication state of the store's database, as
// the watcher last read it (at most walPoll ago). ok is false for backends
// without replication (anything but PostgreSQL). It returns an Unavailable
// error when the watcher's last read failed.
func (s *Store) Replication() (r Replication, ok bool, err error) {
	if s.wal == nil {
		return Replication{}, false, nil
	}
	s.wal.mu.Lock()
	defer s.wal.mu.Unlock()
	if s.wal.err != nil {
		return s.wal.state, true, E("read replication state", Unavailable, s.wal.err)
	}
	return s.wal.state, true, nil
}

// walWatch follows a PostgreSQL database's WAL position and replication
// state.
type walWatch struct {
	db   *sql.DB
	gen  atomic.Uint64
	stop chan struct{}
	done chan struct{}

	mu     sync.Mutex
	state  Replication
	err    error
	behind []sighting // received positions not yet replayed, oldest first
}

// sighting is a received WAL position and when the watcher first saw it.
type sighting struct {
	lsn  uint64
	seen time.Time
}

// walQuery reads, in one round trip, whether the database is a standby, the
// WAL position that is its generation, and a standby's received and replayed
// positions, seconds since its last replayed commit and whether replay is
// paused. pg_is_wal_replay_paused fails outside recovery; CASE keeps it
// from being called there.
const walQuery = `SELECT r,
  COALESCE(pg_wal_lsn_diff(CASE WHEN r THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_flush_lsn() END, '0/0'), 0)::bigint,
  COALESCE(pg_wal_lsn_diff(CASE WHEN r THEN pg_last_wal_receive_lsn() END, '0/0'), 0)::bigint,
  COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - CASE WHEN r THEN pg_last_xact_replay_timestamp() END), 0)::float8,
  CASE WHEN r THEN pg_is_wal_replay_paused() ELSE false END
FROM pg_is_in_recovery() AS r`

// startWAL starts the watcher after reading the position once (so that a
// Store is never open with generation 0 on PostgreSQL).
func startWAL(ctx context.Context, db *sql.DB, reg prometheus.Registerer) (*walWatch, error) {
	w := &walWatch{db: db, stop: make(chan struct{}), done: make(chan struct{})}
	if err := w.poll(ctx); err != nil {
		return nil, err
	}
	if reg != nil {
		gauge := func(name, help string, f func(r Replication) float64) prometheus.Collector {
			return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "innograph", Name: name, Help: help}, func() float64 {
				w.mu.Lock()
				defer w.mu.Unlock()
				return f(w.state)
			})
		}
		for _, c := range []prometheus.Collector{
			gauge("replica_lag_seconds", "How far the hot standby this server reads is behind its primary, in seconds (0 on a primary or when caught up).", func(r Replication) float64 { return r.Lag.Seconds() }),
			gauge("replica_lag_bytes", "WAL received by the hot standby this server reads and not yet replayed, in bytes.", func(r Replication) float64 { return float64(r.LagBytes) }),
			gauge("replica_replay_paused", "1 while replay on the hot standby this server reads is paused.", func(r Replication) float64 { return b2f(r.Paused) }),
			gauge("replica_standby", "1 when this server reads a hot standby, 0 on a primary.", func(r Replication) float64 { return b2f(r.Standby) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "innograph", Subsystem: "store", Name: "generation",
				Help: "The store generation answers are tagged with (on PostgreSQL the WAL position, bytes)."},
				func() float64 { return float64(w.gen.Load()) }),
		} {
			if err := reg.Register(c); err != nil {
				return nil, err
			}
		}
	}
	go w.run()
	return w, nil
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func (w *walWatch) run() {
	defer close(w.done)
	t := time.NewTicker(walPoll)
	defer t.Stop()
	for {
		select {
		case <-w.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			w.poll(ctx) // an error is kept for Replication and readyz
			cancel()
		}
	}
}

// poll reads the position and state once.
func (w *walWatch) poll(ctx context.Context) error {
	var (
		r                    Replication
		pos, recv            int64
		sinceCommit          float64
		standby, pausedState bool
	)
	err := w.db.QueryRowContext(ctx, walQuery).Scan(&standby, &pos, &recv, &sinceCommit, &pausedState)
	now := time.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	w.err = err
	if err != nil {
		return err
	}
	w.advance(uint64(max(pos, 0)))
	r = Replication{Standby: standby, Checked: now}
	if standby {
		r.ReplayedLSN, r.ReceivedLSN, r.Paused = uint64(max(pos, 0)), uint64(max(recv, 0)), pausedState
		// Drop what replay has passed; remember a new received position.
		keep := w.behind[:0]
		for _, sg := range w.behind {
			if sg.lsn > r.ReplayedLSN {
				keep = append(keep, sg)
			}
		}
		w.behind = keep
		if r.ReceivedLSN > r.ReplayedLSN {
			r.LagBytes = r.ReceivedLSN - r.ReplayedLSN
			// One sighting per second at most, holding the highest
			// position received in it: the list stays short however long
			// replay stops, and overstates the lag by under a second.
			switch n := len(w.behind); {
			case n == 0 || now.Sub(w.behind[n-1].seen) >= time.Second:
				w.behind = append(w.behind, sighting{r.ReceivedLSN, now})
			case w.behind[n-1].lsn < r.ReceivedLSN:
				w.behind[n-1].lsn = r.ReceivedLSN
			}
			lag := time.Duration(sinceCommit * float64(time.Second))
			if len(w.behind) > 0 {
				lag = min(lag, now.Sub(w.behind[0].seen))
			}
			r.Lag = max(lag, 0)
		}
		r.LagSeconds = math.Round(r.Lag.Seconds()*1000) / 1000
	}
	w.state = r
	return nil
}

// advance raises the generation to pos; it never lowers it.
func (w *walWatch) advance(pos uint64) {
	for {
		old := w.gen.Load()
		if pos <= old || w.gen.CompareAndSwap(old, pos) {
			return
		}
	}
}

// refresh reads the position now: after the server's own write, so that its
// answer carries a generation that includes it.
func (w *walWatch) refresh() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	w.poll(ctx)
}

func (w *walWatch) close() {
	close(w.stop)
	<-w.done
}

// inRecovery reports whether the PostgreSQL database at dsn is a hot
// standby, over a connection of its own (Open asks before any pool exists).
func inRecovery(ctx context.Context, dsn string) (bool, error) {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return false, err
	}
	defer db.Close()
	var r bool
	err = db.QueryRowContext(ctx, `SELECT pg_is_in_recovery()`).Scan(&r)
	return r, err
}

// wrote is called after every applied write: it moves the generation.
func (s *Store) wrote() {
	s.gen.Add(1)
	if s.wal != nil {
		s.wal.refresh()
	}
}
