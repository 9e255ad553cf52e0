package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/gen"
)

func TestParseTierLine(t *testing.T) {
	ok := []struct {
		msg          string
		quads, mb    int64
		seconds, bpq float64
	}{
		{"read tier: 982047 quads in memory (61 MB), built in 1.098s", 982047, 61, 1.098, 61 * 1048576 / 982047.0},
		{"read tier: 9900528 quads in memory (604 MB), built in 1m7.25s", 9900528, 604, 67.25, 604 * 1048576 / 9900528.0},
		{"read tier: 0 quads in memory (0 MB), built in 3ms", 0, 0, 0.003, 0},
	}
	for _, c := range ok {
		f, err := parseTierLine(c.msg)
		if err != nil {
			t.Errorf("parseTierLine(%q): %v", c.msg, err)
			continue
		}
		if f.Quads != c.quads || f.IndexMB != c.mb || math.Abs(f.BuildSeconds-c.seconds) > 1e-9 || math.Abs(f.BytesPerQuad-c.bpq) > 1e-9 || f.Line != c.msg {
			t.Errorf("parseTierLine(%q) = %+v, want %d quads, %d MB, %.3f s, %.2f bytes a quad", c.msg, f, c.quads, c.mb, c.seconds, c.bpq)
		}
		if !isTierLine(c.msg) {
			t.Errorf("isTierLine(%q) = false", c.msg)
		}
	}
	bad := []string{
		"read tier: build failed, reads go to the bolt store: build at quad 5: full",
		"read tier: 1048576 quads read in 2.5s",
		"read tier: 982047 quads in memory (61 MB), built in soon",
		"read tier: -5 quads in memory (61 MB), built in 1s",
		"serving",
	}
	for _, msg := range bad {
		if f, err := parseTierLine(msg); err == nil {
			t.Errorf("parseTierLine(%q) = %+v, want an error", msg, f)
		}
	}
	// The progress lines of a long build are not the end of it; a failed
	// build is.
	for msg, want := range map[string]bool{
		"read tier: 1048576 quads read in 2.5s":                              false,
		"read tier: build failed, reads go to the bolt store: context ended": true,
		"loaded": false,
	} {
		if got := isTierLine(msg); got != want {
			t.Errorf("isTierLine(%q) = %v, want %v", msg, got, want)
		}
	}
}

// TestParseTierLineReadsWhatTheServerWrites formats the figures the way
// graph/tier.go does (a Duration rounded to the millisecond) and reads them
// back, over the range of build times a run meets.
func TestParseTierLineReadsWhatTheServerWrites(t *testing.T) {
	for _, d := range []time.Duration{0, 7 * time.Millisecond, 1098 * time.Millisecond, 61*time.Second + 5*time.Millisecond, 2*time.Hour + 3*time.Minute} {
		msg := fmt.Sprintf("read tier: %d quads in memory (%d MB), built in %s", 12345, 7, d.Round(time.Millisecond))
		f, err := parseTierLine(msg)
		if err != nil {
			t.Errorf("parseTierLine(%q): %v", msg, err)
			continue
		}
		if f.BuildSeconds != d.Seconds() || f.Quads != 12345 || f.IndexMB != 7 {
			t.Errorf("parseTierLine(%q) = %+v, want %v", msg, f, d)
		}
	}
}

func TestReportTables(t *testing.T) {
	lat := func(p50, p99 float64) *latencies { return &latencies{P50: p50, P99: p99} }
	inno := &systemReport{
		system: &system{Name: "innograph", Stored: 1000000, Load: &loadFigures{Seconds: 10, Rate: 100000},
			Tier: &tierFigures{Quads: 1000000, IndexMB: 62, BytesPerQuad: 65.01, BuildSeconds: 1.1, TierSeconds: 1.3, ReadySeconds: 1.4,
				AtReady: &memory{RSS: 300e6, Anon: 200e6, Peak: 420e6}, PeakAnon: 260e6}},
		Serving: &memory{RSS: 380e6, Anon: 150e6},
	}
	ox := &systemReport{system: &system{Name: "Oxigraph", Stored: 1000000, Load: &loadFigures{Seconds: 3, Rate: 300000}}, Serving: &memory{RSS: 600e6, Anon: 560e6}}
	rep := &report{Quads: 1000000, Inputs: 50, Reps: 6, Systems: []*systemReport{inno, ox},
		Questions: []*questionResult{{
			Key: "pattern", Title: "3-step pattern", Unit: "companies", Totals: map[string]int{"innograph": 10},
			Modes: []*mode{
				{Clients: 1, Latency: map[string]*latencies{"innograph": lat(0.4, 1.1), "Oxigraph": lat(0.9, 2.1)}},
				{Clients: 8, Latency: map[string]*latencies{"innograph": lat(1.8, 5.9), "Oxigraph": lat(5.8, 15)}},
			},
		}},
	}
	var b bytes.Buffer
	rep.markdown(&b)
	out := b.String()
	for _, want := range []string{
		"| innograph | 1,000,000 | 62 | 65.0 | 1.1 | 1.3 | 1.4 | 420 (260) | 380 (150) | 380 (150) |",
		"**innograph with 1 and 8 clients beside each other**",
		"| question | 1 client p50 / p99 | 8 clients p50 / p99 | p50 with 8 ÷ with 1 |",
		"| 3-step pattern | 0.40 / 1.10 | 1.80 / 5.90 | 4.50 |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	if rows := tableAfter(out, "**Read tier at serve start**"); len(rows) != 3 || strings.Contains(strings.Join(rows, "\n"), "Oxigraph") {
		t.Errorf("the read tier table should have a row for innograph alone (Oxigraph has no tier): %q", rows)
	}
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(`"readTier":{"quads":1000000,"indexMB":62,"indexBytesPerQuad":65.01,"buildSeconds":1.1,`)) {
		t.Errorf("the JSON lacks innograph's read tier: %s", data)
	}
	// One client only: no side-by-side table.
	rep.Questions[0].Modes = rep.Questions[0].Modes[:1]
	b.Reset()
	rep.markdown(&b)
	if strings.Contains(b.String(), "beside each other") {
		t.Errorf("a single mode got the clients table:\n%s", b.String())
	}
}

// tableAfter returns the lines of the first Markdown table after heading
// in out, its header and separator included.
func tableAfter(out, heading string) []string {
	_, rest, ok := strings.Cut(out, heading)
	if !ok {
		return nil
	}
	var rows []string
	for _, l := range strings.Split(rest, "\n") {
		switch {
		case strings.HasPrefix(l, "|"):
			rows = append(rows, l)
		case len(rows) > 0:
			return rows
		}
	}
	return rows
}

func TestSampleMemory(t *testing.T) {
	stop := sampleMemory(os.Getpid(), time.Millisecond)
	keep := make([]byte, 8<<20)
	for i := range keep {
		keep[i] = byte(i) // resident, not just reserved
	}
	time.Sleep(20 * time.Millisecond)
	most, n := stop()
	if n < 1 || most.RSS <= 0 || most.Anon <= 0 || most.Anon > most.RSS {
		t.Errorf("sampleMemory of this process = %+v over %d samples, want RSS and anonymous memory, the latter within the former", most, n)
	}
	if again, m := stop(); again != most || m != n {
		t.Errorf("a second stop = %+v, %d; want the first's %+v, %d", again, m, most, n)
	}
	_ = keep[len(keep)-1]
}

// TestParseTierLineOfTheStore opens a bolt store holding a generated graph
// with the memory read tier, as "innograph serve" does, and reads the last
// line the Store reports at Open: the command depends on its wording.
func TestParseTierLineOfTheStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var qs quadList
	if err := gen.Generate(&qs, gen.Config{Regions: 2, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	st, err := graph.Open(ctx, graph.Config{Backend: graph.Bolt, Path: dir, ReadTier: graph.ReadTierOff})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Load(ctx, quad.NewReader(qs), graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	var lines []string
	st, err = graph.Open(ctx, graph.Config{Backend: graph.Bolt, Path: dir, ReadTier: graph.ReadTierMemory,
		Progress: func(msg string) { lines = append(lines, msg) }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var last string
	for _, l := range lines {
		if isTierLine(l) {
			last = l
		}
	}
	f, err := parseTierLine(last)
	if err != nil {
		t.Fatalf("the Store's lines at Open %q: %v", lines, err)
	}
	stats, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if f.Quads != stats.Quads || f.Quads == 0 {
		t.Errorf("the tier line says %d quads (%q), the store holds %d", f.Quads, last, stats.Quads)
	}
}

// quadList collects the quads written to it.
type quadList []quad.Quad

func (l *quadList) WriteQuad(q quad.Quad) error { *l = append(*l, q); return nil }
func (l *quadList) WriteQuads(qs []quad.Quad) (int, error) {
	*l = append(*l, qs...)
	return len(qs), nil
}
