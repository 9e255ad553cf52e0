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
	quads    int64        // quads the check pass counted, 0 for a file not checked
	bytes    func() int64 // bytes read so far
	interval time.Duration
	tty      bool                     // stderr is a terminal: a bar, not log lines
	bar      *progressbar.ProgressBar // nil until the first batch on a terminal
	start    time.Time
	last     time.Time // of the last log line
	written  int64
}

func newProgress(e *env, name string, size, quads int64, bytes func() int64, interval time.Duration) *progress {
	p := &progress{e: e, name: name, size: size, quads: quads, bytes: bytes, interval: interval, start: time.Now()}
	p.last = p.start
	if f, ok := e.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.tty = true // the bar is drawn from the first batch on
	}
	return p
}

// drawBar makes the bar on a terminal, once.
func (p *progress) drawBar() {
	if !p.tty || p.bar != nil {
		return
	}
	p.bar = progressbar.NewOptions64(p.size,
		progressbar.OptionSetWriter(p.e.stderr),
		progressbar.OptionSetDescription(p.name),
		progressbar.OptionSetWidth(30),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionSetRenderBlankState(true),
		progressbar.OptionThrottle(100*time.Millisecond),
	)
}

// counts describes the quads written, of how many when they are known (a
// checked file).
func (p *progress) counts() string {
	if p.quads > 0 {
		return fmt.Sprintf("%d/%d quads", p.written, p.quads)
	}
	return fmt.Sprintf("%d quads", p.written)
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
	p.drawBar()
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("%s  %s  %.0f quads/s", p.name, p.counts(), p.rate()))
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
	switch r := p.rate(); {
	case r > 0 && p.quads > written:
		eta = time.Duration(float64(p.quads-written) / r * float64(time.Second)).Round(time.Second)
	case p.quads == 0 && read > 0 && p.size > read:
		// Quads not counted beforehand: by the bytes read.
		eta = time.Duration(float64(time.Since(p.start)) * float64(p.size-read) / float64(read)).Round(time.Second)
	}
	attrs := []any{"file", p.name, "quads", written}
	if p.quads > 0 {
		attrs = append(attrs, "of", p.quads)
	}
	p.e.log.Info("loading", append(attrs, "quads_per_s", round(p.rate()), "percent", round(pct), "eta", eta.String())...)
}

// finish completes the bar (or leaves it where it stopped on failure).
func (p *progress) finish(ok bool) {
	if p.bar == nil {
		return
	}
	if ok {
		p.bar.Describe(fmt.Sprintf("%s  %s  %.0f quads/s", p.name, p.counts(), p.rate()))
		p.bar.Finish()
	}
	fmt.Fprintln(p.e.stderr)
}
