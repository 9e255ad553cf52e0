package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// markdown writes the report as tables for docs/performance.md.
func (rep *report) markdown(w io.Writer) {
	var names []string
	for _, s := range rep.Systems {
		names = append(names, s.Name)
	}
	fmt.Fprintf(w, "### %s quads (%d regions, seed %d): %s\n\n", thousands(int64(rep.Quads)), rep.Regions, rep.Seed, strings.Join(names, ", "))
	fmt.Fprintf(w, "Run %s to %s UTC on %d cores and %.0f GB; 1-minute load average %s. ",
		rep.Started.Format("2006-01-02 15:04"), rep.Finished.Format("15:04"), rep.Cores, float64(rep.MemoryBytes)/1e9, rep.loadRange())
	var vs []string
	for _, k := range []string{"innograph", "oxigraph", "node", "virtuoso", "go"} {
		if v := rep.Versions[k]; v != "" {
			vs = append(vs, k+" "+v)
		}
	}
	fmt.Fprintf(w, "Versions: %s.\n\n", strings.Join(vs, "; "))

	for mi, clients := range rep.clientModes() {
		fmt.Fprintf(w, "**%s per question, %s, %s**; p50 / p99 in ms over all repetitions:\n\n",
			plural(rep.Inputs, "input"), plural(rep.Reps, "interleaved repetition"), clientsText(clients))
		head := []string{"question", "answers, checked equal"}
		for _, n := range names {
			head = append(head, n+" p50 / p99")
		}
		for _, n := range names[1:] {
			head = append(head, names[0]+" ÷ "+n+" p50")
		}
		fmt.Fprintf(w, "| %s |\n|%s\n", strings.Join(head, " | "), strings.Repeat("---|", len(head)))
		for _, q := range rep.Questions {
			row := []string{q.Title, q.agreement(names)}
			var md *mode
			if mi < len(q.Modes) {
				md = q.Modes[mi]
			}
			for _, n := range names {
				row = append(row, q.cell(md, n))
			}
			for _, n := range names[1:] {
				row = append(row, q.ratioCell(md, names[0], n))
			}
			fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
		}
		fmt.Fprintln(w)
	}
	rep.clientsTable(w)
	if len(names) > 1 {
		fmt.Fprintf(w, "A ratio is %s's p50 over the other system's in each repetition (for loads, its load time over the other's in each round): the median, then the range; below 1, %s is faster.\n\n", names[0], names[0])
	}

	loadHead := "load s"
	if rep.LoadReps > 1 {
		loadHead = fmt.Sprintf("load s (median of %d)", rep.LoadReps)
	}
	fmt.Fprintf(w, "| system | %s | load quads/s | load peak RSS MB | %s ÷ this, load time | quads held | export s | export lines/s | serving RSS MB (anonymous) |\n", loadHead, names[0])
	fmt.Fprintln(w, "|---|---:|---:|---:|---|---:|---:|---:|---:|")
	for _, s := range rep.Systems {
		row := []string{s.Name, "", "", "", "", thousands(s.Stored), "", "", ""}
		if s.Load != nil {
			row[1] = fmt.Sprintf("%.1f", s.Load.Seconds)
			row[2] = thousands(int64(s.Load.Rate))
			peak := int64(0)
			for _, l := range s.Loads {
				peak = max(peak, l.Peak)
			}
			row[3] = fmt.Sprintf("%.0f", mb(peak))
			if s != rep.Systems[0] {
				row[4] = loadRatio(rep.Systems[0].Loads, s.Loads)
			}
		}
		if s.Export != nil {
			row[6] = fmt.Sprintf("%.1f", s.Export.Seconds)
			row[7] = thousands(int64(s.Export.Rate))
		}
		if s.Serving != nil && s.Load != nil {
			row[8] = fmt.Sprintf("%.0f (%.0f)", mb(s.Serving.RSS), mb(s.Serving.Anon))
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
	}
	fmt.Fprintln(w)
	for _, s := range rep.Systems {
		if s.Load != nil {
			fmt.Fprintf(w, "- %s load: %s.\n", s.Name, s.Load.How)
		}
		if s.Export != nil {
			fmt.Fprintf(w, "- %s export: %s.\n", s.Name, s.Export.How)
		}
	}
	fmt.Fprintf(w, "- Load rates count the file's %s quads (duplicates included); serving RSS is VmRSS after the questions, before the export (a memory-mapped store's pages included), anonymous memory in brackets.\n",
		thousands(int64(rep.Quads)))

	rep.tierTable(w)

	var scans []*systemReport
	for _, s := range rep.Systems {
		if s.Scan != nil {
			scans = append(scans, s)
		}
	}
	if len(scans) > 0 {
		fmt.Fprintf(w, "\n**`%s` streamed as TSV** over HTTP, one request; the server's resident memory sampled every 20 ms:\n\n", scanQuery)
		fmt.Fprintln(w, "| system | rows | s | rows/s | RSS MB before | RSS MB at most during | growth MB |")
		fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|")
		for _, s := range scans {
			f := s.Scan
			fmt.Fprintf(w, "| %s | %s | %.1f | %s | %.0f | %.0f | %.0f |\n", s.Name, thousands(f.Lines), f.Seconds, thousands(int64(f.Rate)),
				mb(f.RSSBefore), mb(f.RSSMax), mb(f.RSSMax-f.RSSBefore))
		}
	}

	var mism []string
	for _, q := range rep.Questions {
		for i, m := range q.Mismatches {
			if i == 10 {
				mism = append(mism, fmt.Sprintf("- %s: %d more inputs (in the JSON)", q.Key, len(q.Mismatches)-10))
				break
			}
			mism = append(mism, fmt.Sprintf("- %s, input %s: %s", q.Key, m.Input, m.Detail))
		}
	}
	if len(mism) > 0 {
		fmt.Fprintf(w, "\n**Answers that differ:**\n\n%s\n", strings.Join(mism, "\n"))
	}
	if len(rep.Problems) > 0 {
		fmt.Fprintf(w, "\n**Problems** (the figures they concern are not valid):\n\n- %s\n", strings.Join(rep.Problems, "\n- "))
	}
}

// tierTable writes what each read tier cost at serve start beside the
// serving memory, per quad; nothing when no system has a tier.
func (rep *report) tierTable(w io.Writer) {
	var rows []string
	for _, s := range rep.Systems {
		t := s.Tier
		if t == nil || s.Load == nil {
			continue
		}
		peak, serving, perQuad := "", "", ""
		if t.AtReady != nil {
			peak = fmt.Sprintf("%.0f (%.0f)", mb(t.AtReady.Peak), mb(t.PeakAnon))
		}
		if s.Serving != nil {
			serving = fmt.Sprintf("%.0f (%.0f)", mb(s.Serving.RSS), mb(s.Serving.Anon))
			if s.Stored > 0 {
				perQuad = fmt.Sprintf("%.0f (%.0f)", float64(s.Serving.RSS)/float64(s.Stored), float64(s.Serving.Anon)/float64(s.Stored))
			}
		}
		rows = append(rows, fmt.Sprintf("| %s | %s | %d | %.1f | %.1f | %.1f | %.1f | %s | %s | %s |", s.Name, thousands(t.Quads), t.IndexMB, t.BytesPerQuad,
			t.BuildSeconds, t.TierSeconds, t.ReadySeconds, peak, serving, perQuad))
	}
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(w, "\n**Read tier at serve start** (build time and index size from the server's log line; the other times from starting `innograph serve`, which opens the store and builds the tier before it listens; the peak is VmHWM, bolt's mapped pages included, with the most anonymous memory sampled every %s in brackets):\n\n", startSampleEvery)
	fmt.Fprintln(w, "| system | quads in the tier | index MB | index bytes/quad | build s | start to tier built s | start to ready s | peak RSS MB by then (anonymous) | serving RSS MB (anonymous) | serving bytes/quad (anonymous) |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	fmt.Fprintln(w, strings.Join(rows, "\n"))
}

// clientsTable writes the first system's p50 and p99 per question with
// each number of clients side by side; nothing for a single mode.
func (rep *report) clientsTable(w io.Writer) {
	modes := rep.clientModes()
	if len(modes) < 2 || len(rep.Systems) == 0 {
		return
	}
	name := rep.Systems[0].Name
	head := []string{"question"}
	for _, c := range modes {
		head = append(head, fmt.Sprintf("%s p50 / p99", plural(c, "client")))
	}
	for _, c := range modes[1:] {
		head = append(head, fmt.Sprintf("p50 with %d ÷ with %d", c, modes[0]))
	}
	fmt.Fprintf(w, "**%s with %s beside each other**; p50 / p99 in ms over all repetitions:\n\n", name, clientCounts(modes))
	fmt.Fprintf(w, "| %s |\n|%s\n", strings.Join(head, " | "), strings.Repeat("---|", len(head)))
	for _, q := range rep.Questions {
		row := []string{q.Title}
		var p50 []float64
		for _, c := range modes {
			var md *mode
			for _, m := range q.Modes {
				if m.Clients == c {
					md = m
				}
			}
			row = append(row, q.cell(md, name))
			v := 0.0
			if md != nil && md.Latency[name] != nil {
				v = md.Latency[name].P50
			}
			p50 = append(p50, v)
		}
		for i := range modes[1:] {
			cell := ""
			if p50[0] > 0 && p50[i+1] > 0 {
				cell = ratioText(p50[i+1] / p50[0])
			}
			row = append(row, cell)
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
	}
	fmt.Fprintln(w)
}

// clientCounts writes [1 8 16] as "1, 8 and 16 clients".
func clientCounts(ns []int) string {
	var s []string
	for _, n := range ns {
		s = append(s, fmt.Sprint(n))
	}
	if len(s) == 1 {
		return plural(ns[0], "client")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1] + " clients"
}

// clientModes lists the client counts measured, in order.
func (rep *report) clientModes() []int {
	var out []int
	for _, q := range rep.Questions {
		for _, m := range q.Modes {
			if !slices.Contains(out, m.Clients) {
				out = append(out, m.Clients)
			}
		}
	}
	return out
}

// plural writes n things.
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

func clientsText(n int) string {
	if n == 1 {
		return "one request at a time"
	}
	return fmt.Sprintf("%d concurrent clients", n)
}

// loadRange says the load average at the start and its range over the run.
func (rep *report) loadRange() string {
	if len(rep.LoadAverage) == 0 {
		return "unknown"
	}
	lo, hi := rep.LoadAverage[0].Load, rep.LoadAverage[0].Load
	for _, s := range rep.LoadAverage {
		lo, hi = min(lo, s.Load), max(hi, s.Load)
	}
	return fmt.Sprintf("%.2f at the start, %.2f to %.2f over the run", rep.LoadAverage[0].Load, lo, hi)
}

// agreement says how many inputs were checked and what they add up to.
func (q *questionResult) agreement(names []string) string {
	total, ok := -1, false
	for _, n := range names {
		if _, failed := q.Failed[n]; failed {
			continue
		}
		if t, has := q.Totals[n]; has {
			total, ok = t, true
			break
		}
	}
	text := fmt.Sprintf("%d inputs", len(q.Inputs))
	if ok {
		if q.Unit == "hops" {
			text += fmt.Sprintf(", %.2f hops on average", float64(total)/float64(len(q.Inputs)))
		} else {
			text += fmt.Sprintf(", %s %s", thousands(int64(total)), q.Unit)
		}
	}
	if len(q.Mismatches) > 0 {
		text += fmt.Sprintf("; **%d differ**", len(q.Mismatches))
	}
	return text
}

// cell is one system's p50 / p99, or why it has none.
func (q *questionResult) cell(md *mode, name string) string {
	if why, failed := q.Failed[name]; failed {
		if strings.HasPrefix(why, "answers differ") {
			return "answers differ"
		}
		return "failed"
	}
	if md == nil || md.Latency[name] == nil {
		return ""
	}
	l := md.Latency[name]
	return fmt.Sprintf("%s / %s", msText(l.P50), msText(l.P99))
}

// loadRatio is a's load time over b's in each round, as ratioCell writes
// ratios; "" when either has no load.
func loadRatio(a, b []*loadFigures) string {
	var rs []float64
	for i := 0; i < len(a) && i < len(b); i++ {
		if b[i].Seconds > 0 {
			rs = append(rs, a[i].Seconds/b[i].Seconds)
		}
	}
	return medianRange(rs)
}

// medianRange writes ratios as their median and range.
func medianRange(rs []float64) string {
	if len(rs) == 0 {
		return ""
	}
	s := slices.Clone(rs)
	slices.Sort(s)
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	if len(s) == 1 {
		return ratioText(med)
	}
	return fmt.Sprintf("%s (%s–%s)", ratioText(med), ratioText(s[0]), ratioText(s[len(s)-1]))
}

// ratioCell is the median and range of a's p50 over b's per repetition.
func (q *questionResult) ratioCell(md *mode, a, b string) string {
	if md == nil || md.Latency[a] == nil || md.Latency[b] == nil {
		return ""
	}
	return medianRange(ratios(md.Latency[a], md.Latency[b]))
}

func ratioText(r float64) string {
	if r >= 10 {
		return fmt.Sprintf("%.0f", r)
	}
	return fmt.Sprintf("%.2f", r)
}

// msText writes milliseconds with about three significant digits.
func msText(ms float64) string {
	switch {
	case ms >= 100:
		return fmt.Sprintf("%.0f", ms)
	case ms >= 10:
		return fmt.Sprintf("%.1f", ms)
	default:
		return fmt.Sprintf("%.2f", ms)
	}
}

// thousands writes n with comma separators.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
