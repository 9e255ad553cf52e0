package graph

import (
	"testing"
	"time"
)

// TestReplicationLag checks the lag estimate of a standby from a sequence
// of readings: zero when caught up, the time since WAL beyond the replayed
// position was first seen when the last replayed commit is older (a primary
// idle for long), the time since the last replayed commit when that is
// shorter, and back to zero once replay passes what was received. The
// readings come a second or less apart, as the watcher's do.
func TestReplicationLag(t *testing.T) {
	var w walWatch
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	steps := []struct {
		name               string
		now                time.Time
		replayed, received uint64
		sinceCommit        time.Duration
		paused             bool
		wantLag            time.Duration
		wantBytes          uint64
	}{
		{"caught up after an idle hour", at(0), 100, 100, time.Hour, false, 0, 0},
		{"a new write, first seen", at(100 * time.Millisecond), 100, 150, time.Hour, false, 0, 50},
		{"replay paused, more received", at(1200 * time.Millisecond), 100, 200, time.Hour, true, 1100 * time.Millisecond, 100},
		{"still paused", at(2200 * time.Millisecond), 100, 300, time.Hour, true, 2100 * time.Millisecond, 200},
		{"resumed, the oldest left seen 100 ms ago", at(2300 * time.Millisecond), 200, 300, time.Hour, false, 100 * time.Millisecond, 100},
		{"the last replayed commit is younger", at(2400 * time.Millisecond), 250, 300, 50 * time.Millisecond, false, 50 * time.Millisecond, 50},
		{"caught up", at(2500 * time.Millisecond), 300, 300, 0, false, 0, 0},
		{"primary promoted", at(3 * time.Second), 0, 0, 0, false, 0, 0},
	}
	for i, s := range steps {
		standby := i < len(steps)-1
		r := w.observe(s.now, standby, s.replayed, s.received, s.sinceCommit, s.paused)
		if r.Lag != s.wantLag || r.LagBytes != s.wantBytes || r.Paused != (s.paused && standby) || r.Standby != standby {
			t.Errorf("%s: lag %v, %d bytes, paused %v, standby %v; want %v, %d bytes, paused %v, standby %v",
				s.name, r.Lag, r.LagBytes, r.Paused, r.Standby, s.wantLag, s.wantBytes, s.paused, standby)
		}
	}
	if len(w.behind) != 0 {
		t.Errorf("%d sightings left after catching up", len(w.behind))
	}
}
