package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCrashLoad kills "innograph load" with SIGKILL at random points of its
// writing phase, 20 times, and checks after each kill that the reopened
// store holds whole batches only. The first rounds load into the empty
// store: a bulk load, written in Cayley's layout when it ends, which a
// kill before then leaves as the empty store it found. Once a few rounds
// ran so, a seed file gives the store data, and the later rounds are
// ordinary loads, killed between their batches.
func TestCrashLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	const (
		rounds   = 20
		batch    = 500
		perRound = 20000
	)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	partial, bulkKills := 0, 0
	for r := 0; r < rounds; r++ {
		file := filepath.Join(dir, fmt.Sprintf("round%d.nq", r))
		writeRound(t, file, r, perRound)
		cmd := helperCmd("load", "-data", data, "-batch-size", fmt.Sprint(batch), file)
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// A checked file is written after "checked; writing"; a file
		// loaded as it is parsed (into the fresh store) once its bulk
		// load has started.
		if !waitFor(stderr, "writing", "bulk load into the empty store") {
			cmd.Wait()
			t.Fatalf("round %d: load exited before writing", r)
		}
		time.Sleep(time.Duration(rand.IntN(400)) * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()

		// A load into the empty store is a bulk load: killed, it leaves
		// its marker, which the next open of this boot clears, emptying
		// the store the load had not finished.
		marker := filepath.Join(data, "bulk-load-in-progress.json")
		_, merr := os.Stat(marker)
		out, errOut, err := runCmd(t, nil, "", "stats", "-data", data)
		if err != nil {
			t.Fatalf("round %d: store does not reopen after SIGKILL: %v\n%s", r, err, errOut)
		}
		if _, err := os.Stat(marker); merr == nil && !errors.Is(err, os.ErrNotExist) {
			t.Errorf("round %d: the marker of the killed bulk load is still there after reopening: %v", r, err)
		}
		if merr == nil {
			bulkKills++
		}
		var st struct {
			Graphs []struct {
				Graph string `json:"graph"`
				Quads int64  `json:"quads"`
			} `json:"graphs"`
		}
		if err := json.Unmarshal([]byte(out), &st); err != nil {
			t.Fatal(err)
		}
		seen, total := 0, int64(0)
		for _, g := range st.Graphs {
			total += g.Quads
			if g.Quads%batch != 0 {
				t.Errorf("round %d: graph %s holds %d quads, not a whole number of %d-quad batches", r, g.Graph, g.Quads, batch)
			}
			if strings.HasSuffix(g.Graph, fmt.Sprintf("/round/%d", r)) {
				seen = int(g.Quads)
			}
		}
		if seen > 0 && seen < perRound {
			partial++
		}
		if merr == nil && total != 0 && seen != perRound {
			// Killed after its last write, before the marker went, it
			// keeps everything.
			t.Errorf("round %d: a bulk load into the empty store, killed, left %d quads, want none or all %d", r, total, perRound)
		}
		if total == 0 && r >= 2 {
			seed := filepath.Join(dir, "seed.nq")
			writeSeed(t, seed, batch)
			if _, stderr, err := runCmd(t, nil, "", "load", "-data", data, seed); err != nil {
				t.Fatalf("round %d: seed load: %v\n%s", r, err, stderr)
			}
		}
	}
	t.Logf("%d of %d kills landed between the batches of an ordinary load, %d in a bulk load (undone, or kept whole when it had written everything)", partial, rounds, bulkKills)
	if partial < rounds/4 {
		t.Errorf("only %d of %d kills interrupted a load: the test did not exercise crashes", partial, rounds)
	}
}

// writeSeed writes n quads of a graph of their own.
func writeSeed(t *testing.T, path string, n int) {
	t.Helper()
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "<https://example.org/seed/s%d> <https://example.org/p> \"seed %d\" <https://example.org/seed> .\n", i, i)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

func writeRound(t *testing.T, path string, r, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := 0; i < n; i++ {
		fmt.Fprintf(w, "<https://example.org/r%d/s%d> <https://example.org/p> \"value %d\" <https://example.org/round/%d> .\n", r, i, i, r)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}
