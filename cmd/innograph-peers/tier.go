package main

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// tierFigures is what innograph's read tier cost at serve start: the
// server's own account from its log line (graph/tier.go writes "read tier:
// N quads in memory (M MB), built in D" once the build from the store is
// installed), and what this command saw from outside.
type tierFigures struct {
	// Quads is the number of quads the tier holds.
	Quads int64 `json:"quads"`
	// IndexMB is the index's size as the server logs it (Index.Bytes in
	// MiB, rounded down).
	IndexMB int64 `json:"indexMB"`
	// BytesPerQuad is IndexMB over Quads.
	BytesPerQuad float64 `json:"indexBytesPerQuad"`
	// BuildSeconds is the server's own time for reading the store and
	// building the index.
	BuildSeconds float64 `json:"buildSeconds"`
	// TierSeconds is from starting "innograph serve" to its tier line
	// (opening the store included); ReadySeconds to its /readyz
	// answering 200.
	TierSeconds  float64 `json:"startToTierSeconds"`
	ReadySeconds float64 `json:"startToReadySeconds"`
	// AtReady is the server's memory once ready: its VmHWM is the peak of
	// the start, the build's transients and bolt's mapped pages included.
	AtReady *memory `json:"memoryAtReady,omitempty"`
	// PeakAnon is the most anonymous memory (RssAnon: heap, no mapped
	// file) sampled while the server started, every startSampleEvery.
	PeakAnon int64 `json:"peakAnonDuringStart"`
	// Line is the log message the figures come from.
	Line string `json:"line"`
}

// tierBuiltPrefix and tierBuiltMid frame the figures of the tier's log
// line.
const (
	tierBuiltPrefix = "read tier: "
	tierBuiltMid    = " quads in memory ("
)

// isTierLine reports whether msg is the server's last word on its read
// tier at start: built, or failed (reads then go to the store).
func isTierLine(msg string) bool {
	return strings.HasPrefix(msg, tierBuiltPrefix) &&
		(strings.Contains(msg, tierBuiltMid) || strings.Contains(msg, "build failed"))
}

// parseTierLine reads the figures of the line the server logs once its
// read tier is built, e.g.
//
//	read tier: 982047 quads in memory (61 MB), built in 1.098s
//
// It fails on any other message, a failed build's included.
func parseTierLine(msg string) (tierFigures, error) {
	var (
		f     tierFigures
		build string
	)
	if _, err := fmt.Sscanf(msg, "read tier: %d quads in memory (%d MB), built in %s", &f.Quads, &f.IndexMB, &build); err != nil {
		return tierFigures{}, fmt.Errorf("read tier line %q: %w", msg, err)
	}
	d, err := time.ParseDuration(build)
	if err != nil {
		return tierFigures{}, fmt.Errorf("read tier line %q: %w", msg, err)
	}
	if f.Quads < 0 || f.IndexMB < 0 || d < 0 {
		return tierFigures{}, fmt.Errorf("read tier line %q: negative figures", msg)
	}
	f.BuildSeconds = d.Seconds()
	if f.Quads > 0 {
		f.BytesPerQuad = float64(f.IndexMB<<20) / float64(f.Quads)
	}
	f.Line = msg
	return f, nil
}

// startSampleEvery is how often a starting server's memory is read.
const startSampleEvery = 50 * time.Millisecond

// sampleMemory reads the memory of process pid every interval until the
// returned function is called, which returns the largest VmRSS and
// RssAnon seen (each at its own moment; Peak is left zero) and the
// number of samples.
func sampleMemory(pid int, every time.Duration) (stop func() (memory, int)) {
	var (
		most    memory
		samples int
		done    = make(chan struct{})
		wg      sync.WaitGroup
	)
	read := func() {
		if m, err := memoryOf(pid); err == nil {
			most.RSS, most.Anon = max(most.RSS, m.RSS), max(most.Anon, m.Anon)
			samples++
		}
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			read()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	var once sync.Once
	return func() (memory, int) {
		once.Do(func() {
			close(done)
			wg.Wait()
		})
		return most, samples
	}
}
