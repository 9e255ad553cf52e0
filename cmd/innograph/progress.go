package main

import (
	"fmt"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress reports one file's load: quads written, quads/s, the share of the
// file's bytes read and the time left. On a terminal it draws a bar
// (schollz/progressbar) on stderr; otherwise it writes a log line at most
// every interval (every batch when interval is 0), so logs stay readable.
type progress struct {
	e        *env
	name     string
	size     int64        // bytes of the file
	quads    int64        // quads the check pass counted
	bytes    func() int64 // bytes read so far
	interval time.Duration
	bar      *progressbar.ProgressBar // nil when stderr is not a terminal
	start    time.Time
	last     time.Time // of the last log line
	written  int64
}

func newProgress(e *env, name string, size, quads int64, bytes func() int64, interval time.Duration) *progress {
	p := &progress{e: e, name: name, size: size, quads: quads, bytes: bytes, interval: interval, start: time.Now()}
	p.last = p.start
	if f, ok := e.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions64(size,
			progressbar.OptionSetWriter(e.stderr),
			progressbar.OptionSetDescription(name),
			progressbar.OptionSetWidth(30),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionShowElapsedTimeOnFinish(),
			progressbar.OptionSetRenderBlankState(true),
			progressbar.OptionThrottle(100*time.Millisecond),
		)
	}
	return p
}

// rate is quads per second since the start.
func (p *progress) rate() float64 {
	secs := time.Since(p.start).Seconds()
	if secs <= 0 {
		return 0
	}
	return float64(p.written) / secs
}

// update is graph.LoadOptions.Progress: written quads are applied.
func (p *progress) update(written int64) {
	p.written = written
	read := p.bytes()
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("%s  %d/%d quads  %.0f quads/s", p.name, written, p.quads, p.rate()))
		p.bar.Set64(read)
		return
	}
	now := time.Now()
	if now.Sub(p.last) < p.interval {
		return
	}
	p.last = now
	pct := 100.0
	if p.size > 0 {
		pct = 100 * float64(read) / float64(p.size)
	}
	eta := time.Duration(0)
	if r := p.rate(); r > 0 && p.quads > written {
		eta = time.Duration(float64(p.quads-written) / r * float64(time.Second)).Round(time.Second)
	}
	p.e.log.Info("loading", "file", p.name, "quads", written, "of", p.quads, "quads_per_s", round(p.rate()),
		"percent", round(pct), "eta", eta.String())
}

// finish completes the bar (or leaves it where it stopped on failure).
func (p *progress) finish(ok bool) {
	if p.bar == nil {
		return
	}
	if ok {
		p.bar.Describe(fmt.Sprintf("%s  %d/%d quads  %.0f quads/s", p.name, p.written, p.quads, p.rate()))
		p.bar.Finish()
	}
	fmt.Fprintln(p.e.stderr)
}
