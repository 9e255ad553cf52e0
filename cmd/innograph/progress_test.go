package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

// writeQuads writes n N-Quads lines to path.
func writeQuads(t *testing.T, path string, n int) {
	t.Helper()
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "<https://example.org/s%d> <https://example.org/p> \"v %d\" <https://example.org/g> .\n", i, i)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestLoadProgressBar runs "innograph load" with its stderr on a
// pseudo-terminal and checks that a progress bar is drawn: redrawn lines
// with the percentage of the file, the quad count, quads/s and a time
// estimate, ending at 100%.
func TestLoadProgressBar(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "in.nq")
	writeQuads(t, file, 6000)
	cmd := helperCmd("load", "-data", filepath.Join(dir, "data"), "-batch-size", "500", file)
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("open pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	pty.Setsize(ptmx, &pty.Winsize{Rows: 24, Cols: 160})
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() {
		_, err := io.Copy(&out, ptmx)
		done <- err
	}()
	werr := cmd.Wait()
	select {
	case err := <-done:
		// Linux reports the closed terminal as EIO.
		if err != nil && !errors.Is(err, syscall.EIO) {
			t.Fatalf("read terminal: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("terminal output did not end")
	}
	text := out.String()
	if werr != nil {
		t.Fatalf("load under a terminal: %v\n%s", werr, text)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`\r`),                      // the bar redraws its line
		regexp.MustCompile(`100%`),                    // and ends full
		regexp.MustCompile(`6000 quads +\d+ quads/s`), // quads (not counted first: a fresh store) and rate
		regexp.MustCompile(`\d+%\s*\|[^|]*\|`),        // percentage and bar
		regexp.MustCompile(`\[\d+s:\d+s\]|\[\d+s\]`),  // elapsed and time left
	} {
		if !want.MatchString(text) {
			t.Errorf("terminal output lacks %v:\n%q", want, text)
		}
	}
	if strings.Contains(text, "msg=loading") {
		t.Errorf("a terminal got progress log lines as well as the bar:\n%q", text)
	}
}

// TestLoadProgressLog: with stderr not a terminal, load writes progress as
// log lines (here after every batch), with the count, rate, percentage and
// time left.
func TestLoadProgressLog(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "in.nq")
	writeQuads(t, file, 3000)
	_, stderr, err := runCmd(t, nil, "", "load", "-data", filepath.Join(dir, "data"), "-batch-size", "1000", "-progress-every", "0", file)
	if err != nil {
		t.Fatalf("load: %v\n%s", err, stderr)
	}
	// Into a fresh store the file is not counted first (it is parsed once,
	// as it is loaded): no "of".
	line := regexp.MustCompile(`msg=loading file=\S+in\.nq quads=(\d+) quads_per_s=[\d.]+ percent=[\d.]+ eta=\S+`)
	var counts []string
	for _, m := range line.FindAllStringSubmatch(stderr, -1) {
		counts = append(counts, m[1])
	}
	if got := strings.Join(counts, ","); got != "1000,2000,3000" {
		t.Errorf("progress lines report %q quads, want 1000,2000,3000:\n%s", got, stderr)
	}
	if !strings.Contains(stderr, "percent=100 ") {
		t.Errorf("last progress line is not at 100%% of the file:\n%s", stderr)
	}
	if strings.ContainsAny(stderr, "\r█") {
		t.Errorf("a log got bar drawing:\n%q", stderr)
	}
}
