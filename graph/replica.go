package graph

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// A server may read a PostgreSQL hot standby. A watcher reads the
// standby's replication state every walPoll for /readyz and /metrics.

// walPoll is how often the watcher reads the replication state.
const walPoll = 100 * time.Millisecond

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
	// Lag is how far the data served here is behind the primary, as far
	// as the standby knows (a standby cut off from its primary receives
	// nothing and reports no lag): zero when
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
	read func(context.Context) (walReading, error)
	stop chan struct{}
	done chan struct{}

	mu     sync.Mutex
	state  Replication
	err    error
	behind []sighting // received positions not yet replayed, oldest first
}

// walReading is one reading of the backend's replication state (store.go
// makes it from the SQL backend's).
type walReading struct {
	Standby            bool
	Replayed, Received uint64
	SinceCommit        time.Duration
	Paused             bool
}

// sighting is a received WAL position and when the watcher first saw it.
type sighting struct {
	lsn  uint64
	seen time.Time
}

// startWAL starts the watcher after reading the state once. gen is the
// store's generation, exported beside the replication gauges.
func startWAL(ctx context.Context, read func(context.Context) (walReading, error), reg prometheus.Registerer, gen func() uint64) (*walWatch, error) {
	w := &walWatch{read: read, stop: make(chan struct{}), done: make(chan struct{})}
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
				Help: "The store generation answers are tagged with (on PostgreSQL the database's write count)."},
				func() float64 { return float64(gen()) }),
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
	rd, err := w.read(ctx)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.err = err
	if err != nil {
		return err
	}
	w.state = w.observe(time.Now(), rd.Standby, rd.Replayed, rd.Received, rd.SinceCommit, rd.Paused)
	return nil
}

// observe turns one reading into the replication state, keeping the
// sightings of received positions not yet replayed. Called under w.mu.
func (w *walWatch) observe(now time.Time, standby bool, replayed, received uint64, sinceCommit time.Duration, paused bool) Replication {
	r := Replication{Standby: standby, Checked: now}
	if !standby {
		w.behind = w.behind[:0]
		return r
	}
	r.ReplayedLSN, r.ReceivedLSN, r.Paused = replayed, received, paused
	// Drop what replay has passed; remember a new received position.
	keep := w.behind[:0]
	for _, sg := range w.behind {
		if sg.lsn > replayed {
			keep = append(keep, sg)
		}
	}
	w.behind = keep
	if received > replayed {
		r.LagBytes = received - replayed
		// One sighting per second at most, holding the highest position
		// received in it: the list stays short however long replay
		// stops, and overstates the lag by under a second.
		switch n := len(w.behind); {
		case n == 0 || now.Sub(w.behind[n-1].seen) >= time.Second:
			w.behind = append(w.behind, sighting{received, now})
		case w.behind[n-1].lsn < received:
			w.behind[n-1].lsn = received
		}
		r.Lag = max(min(sinceCommit, now.Sub(w.behind[0].seen)), 0)
	}
	r.LagSeconds = math.Round(r.Lag.Seconds()*1000) / 1000
	return r
}

func (w *walWatch) close() {
	close(w.stop)
	<-w.done
}
