package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// runner carries one comparison run.
type runner struct {
	cfg     config
	log     io.Writer
	hc      *http.Client
	regions int
	file    string // the generated N-Quads
	quads   int    // its quads, duplicates included
	work    string // this run's directory
	bin     string // the innograph binary
	started time.Time
	stops   []func() // stop the servers, in reverse order
	loads   []loadSample
}

// loadSample is the 1-minute load average at one point of the run.
type loadSample struct {
	Phase string  `json:"phase"`
	Load  float64 `json:"load1"`
}

func (r *runner) logf(format string, args ...any) {
	fmt.Fprintf(r.log, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

func (r *runner) sample(phase string) {
	r.loads = append(r.loads, loadSample{Phase: phase, Load: loadAverage()})
}

// stop stops every server started, last first.
func (r *runner) stop() {
	for i := len(r.stops) - 1; i >= 0; i-- {
		r.stops[i]()
	}
	r.stops = nil
}

// report is everything a run measured: the raw JSON, and the source of
// the Markdown tables.
type report struct {
	Quads       int               `json:"quads"`
	Regions     int               `json:"regions"`
	Seed        uint64            `json:"seed"`
	Started     time.Time         `json:"started"`
	Finished    time.Time         `json:"finished"`
	Cores       int               `json:"cores"`
	MemoryBytes int64             `json:"memoryBytes"`
	Versions    map[string]string `json:"versions"`
	Inputs      int               `json:"inputsPerQuestion"`
	Reps        int               `json:"repetitions"`
	LoadReps    int               `json:"loadRepetitions"`
	LoadAverage []loadSample      `json:"loadAverage"`
	Systems     []*systemReport   `json:"systems"`
	Questions   []*questionResult `json:"questions"`
	Problems    []string          `json:"problems,omitempty"`
}

// systemReport is what a run says of one system.
type systemReport struct {
	*system
	// Loads are its loads, one per round; Load is the median one.
	Loads   []*loadFigures `json:"loads,omitempty"`
	Export  *exportFigures `json:"export,omitempty"`
	Serving *memory        `json:"servingMemory,omitempty"`
	Scan    *scanFigures   `json:"scan,omitempty"`
}

// scanFigures is one full scan through SPARQL, with the server's resident
// memory before it and the most sampled while it ran.
type scanFigures struct {
	exportFigures
	RSSBefore int64 `json:"rssBefore"`
	RSSMax    int64 `json:"rssMaxDuring"`
	Samples   int   `json:"rssSamples"`
}

// questionResult is what one question measured.
type questionResult struct {
	Key        string            `json:"key"`
	Title      string            `json:"title"`
	Unit       string            `json:"unit"`
	SPARQL     []string          `json:"sparqlOfFirstInput"`
	Inputs     []input           `json:"inputs"`
	Totals     map[string]int    `json:"totals"` // per system: answers' totals summed over inputs
	Failed     map[string]string `json:"failed,omitempty"`
	Mismatches []mismatch        `json:"mismatches,omitempty"`
	Modes      []*mode           `json:"modes"`
}

// differing counts the inputs on which name's answer was not the
// reference's.
func (q *questionResult) differing(name string) int {
	n := 0
	for _, m := range q.Mismatches {
		for _, g := range m.Groups[1:] {
			if slices.Contains(g.Systems, name) {
				n++
			}
		}
	}
	return n
}

// mode is the timed repetitions with one number of concurrent clients.
type mode struct {
	Clients int                   `json:"clients"`
	Latency map[string]*latencies `json:"latency"` // by system name
}

// latencies are one system's times for one question and mode, in ms.
type latencies struct {
	Reps   [][]float64 `json:"msPerRepetition"`
	RepP50 []float64   `json:"p50PerRepetition"`
	P50    float64     `json:"p50"`
	P99    float64     `json:"p99"`
}

// mismatch is an input on which systems gave different answers.
type mismatch struct {
	Input  input   `json:"input"`
	Groups []group `json:"groups"`
	Detail string  `json:"detail"`
}

// group is systems that gave one answer.
type group struct {
	Systems []string `json:"systems"`
	Total   int      `json:"total"`
}

// medianLoad is the load of median time (the lower middle one of an even
// number); nil for none.
func medianLoad(ls []*loadFigures) *loadFigures {
	if len(ls) == 0 {
		return nil
	}
	s := slices.Clone(ls)
	slices.SortFunc(s, func(a, b *loadFigures) int { return cmp.Compare(a.Seconds, b.Seconds) })
	return s[(len(s)-1)/2]
}

// percentile is the p-th percentile of sorted values, the way the path
// benchmarks take it (storetest.Latencies): the element at (n-1)*p/100.
func percentile(sorted []float64, p int) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[(len(sorted)-1)*p/100]
}

// summarise fills P50, P99 and RepP50 from Reps.
func (l *latencies) summarise() {
	var all []float64
	l.RepP50 = l.RepP50[:0]
	for _, rep := range l.Reps {
		s := slices.Clone(rep)
		slices.Sort(s)
		l.RepP50 = append(l.RepP50, percentile(s, 50))
		all = append(all, rep...)
	}
	slices.Sort(all)
	l.P50, l.P99 = percentile(all, 50), percentile(all, 99)
}

// ratios are a's p50 over b's in each repetition both finished.
func ratios(a, b *latencies) []float64 {
	var out []float64
	for i := 0; i < len(a.RepP50) && i < len(b.RepP50); i++ {
		if b.RepP50[i] > 0 {
			out = append(out, a.RepP50[i]/b.RepP50[i])
		}
	}
	return out
}

// groupAnswers splits the systems that answered (ans[i] set where ok[i])
// into groups of equal answers, the group of the first answering system
// first.
func groupAnswers(ans []answer, ok []bool) [][]int {
	var groups [][]int
	for i := range ans {
		if !ok[i] {
			continue
		}
		placed := false
		for g := range groups {
			if ans[groups[g][0]].equal(ans[i]) {
				groups[g] = append(groups[g], i)
				placed = true
				break
			}
		}
		if !placed {
			groups = append(groups, []int{i})
		}
	}
	return groups
}

// measure loads every system, asks every question, exports, and reports.
func (r *runner) measure(ctx context.Context, qs []question) (*report, error) {
	rep := &report{Quads: r.quads, Regions: r.regions, Seed: r.cfg.seed, Started: r.started.UTC(),
		Cores: runtime.NumCPU(), MemoryBytes: memTotal(), Versions: r.versions(ctx),
		Inputs: r.cfg.inputs, Reps: r.cfg.reps, LoadReps: r.cfg.loadReps}
	r.sample("start")
	if slices.Contains(r.cfg.systems, "innograph") {
		var err error
		if r.bin, err = buildInnograph(ctx, r); err != nil {
			return nil, err
		}
	}
	// The loads, interleaved like the questions when repeated: every
	// system once, then again. Only the last round's servers stay up.
	loads := map[string][]*loadFigures{}
	var systems []*system
	for round := 0; round < r.cfg.loadReps; round++ {
		last := round == r.cfg.loadReps-1
		for _, name := range r.cfg.systems {
			dir := filepath.Join(r.work, fmt.Sprintf("%s-%d", name, round))
			if name != "innograph-sparql" {
				if err := os.MkdirAll(dir, 0o700); err != nil {
					return nil, err
				}
			}
			var s *system
			var err error
			switch name {
			case "innograph":
				s, err = startInnograph(ctx, r, dir, last)
			case "innograph-sparql":
				if !last {
					continue
				}
				for _, o := range systems {
					if o.Name == "innograph" {
						s = innographSPARQL(o)
					}
				}
				if s == nil {
					err = fmt.Errorf("list innograph before innograph-sparql")
				}
			case "oxigraph":
				s, err = startOxigraph(ctx, r, dir)
			case "virtuoso":
				s, err = startVirtuoso(ctx, r, dir)
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			if s.Load != nil {
				r.logf("%s: loaded %d quads in %.1f s (%.0f quads/s), peak RSS %.0f MB", s.Name, r.quads, s.Load.Seconds, s.Load.Rate, mb(s.Load.Peak))
				loads[s.Name] = append(loads[s.Name], s.Load)
			}
			r.sample(fmt.Sprintf("loaded %s (round %d)", s.Name, round+1))
			if !last {
				s.stop()
				if !r.cfg.keep {
					os.RemoveAll(dir)
				}
				continue
			}
			systems = append(systems, s)
			rep.Systems = append(rep.Systems, &systemReport{system: s, Loads: loads[s.Name]})
		}
	}
	for _, sr := range rep.Systems {
		sr.Load = medianLoad(sr.Loads)
	}
	for _, s := range systems[1:] {
		if s.Stored != systems[0].Stored {
			rep.Problems = append(rep.Problems, fmt.Sprintf("%s holds %d quads, %s %d: not the same graph", s.Name, s.Stored, systems[0].Name, systems[0].Stored))
		}
	}
	for _, q := range qs {
		res, err := r.question(ctx, q, systems)
		if err != nil {
			return nil, err
		}
		rep.Questions = append(rep.Questions, res)
		for _, s := range systems {
			if why, ok := res.Failed[s.Name]; ok {
				if strings.HasPrefix(why, "answers differ") {
					why = fmt.Sprintf("%s on %d of %d inputs (listed under answers that differ)", why, res.differing(s.Name), len(res.Inputs))
				}
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s: %s: %s", q.Key, s.Name, why))
			}
		}
		r.sample("asked " + q.Key)
	}
	for _, sr := range rep.Systems {
		if sr.proc != nil {
			if m, err := memoryOf(sr.proc.pid()); err == nil {
				sr.Serving = &m
			}
		}
	}
	if r.cfg.scan {
		for _, sr := range rep.Systems {
			if sr.scan == nil {
				continue
			}
			r.logf("%s: %s", sr.Name, scanQuery)
			f, err := r.scanOf(ctx, sr.system)
			if err != nil {
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s: scan: %v", sr.Name, err))
				continue
			}
			sr.Scan = f
			r.logf("%s: %d rows in %.1f s (%.0f/s), RSS %.0f MB before, at most %.0f MB during", sr.Name, f.Lines, f.Seconds, f.Rate, mb(f.RSSBefore), mb(f.RSSMax))
			if f.Lines != sr.Stored {
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s: the scan has %d rows for %d quads", sr.Name, f.Lines, sr.Stored))
			}
		}
		r.sample("scanned")
	}
	if r.cfg.export {
		for _, sr := range rep.Systems {
			if sr.export == nil {
				continue
			}
			r.logf("%s: export", sr.Name)
			// An export may take minutes: only the run's context bounds it.
			f, err := sr.export(ctx, &http.Client{Transport: r.hc.Transport})
			if err != nil {
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s: export: %v", sr.Name, err))
				continue
			}
			sr.Export = &f
			r.logf("%s: exported %d lines in %.1f s (%.0f/s)", sr.Name, f.Lines, f.Seconds, f.Rate)
			if f.Lines != sr.Stored {
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s: the export has %d lines for %d quads", sr.Name, f.Lines, sr.Stored))
			}
		}
		r.sample("exported")
	}
	rep.LoadAverage = r.loads
	rep.Finished = time.Now().UTC()
	return rep, nil
}

// scanOf runs s's scan while sampling its server's resident memory every
// 20 ms.
func (r *runner) scanOf(ctx context.Context, s *system) (*scanFigures, error) {
	pid := s.proc.pid()
	before, err := memoryOf(pid)
	if err != nil {
		return nil, err
	}
	f := &scanFigures{RSSBefore: before.RSS, RSSMax: before.RSS}
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if m, err := memoryOf(pid); err == nil {
					f.RSSMax = max(f.RSSMax, m.RSS)
					f.Samples++
				}
			}
		}
	}()
	// A scan may take minutes: only the run's context bounds it.
	ef, err := s.scan(ctx, &http.Client{Transport: r.hc.Transport})
	close(done)
	<-sampled
	if err != nil {
		return nil, err
	}
	f.exportFigures = ef
	return f, nil
}

// question asks q of every system: a warm-up pass that also compares the
// answers, then the timed repetitions, interleaved: every input of the
// first system, then of the second, and so on, cfg.reps times. A system
// whose answers differ from the first system's, or that fails, is asked
// no more and gets no figure for q.
func (r *runner) question(ctx context.Context, q question, systems []*system) (*questionResult, error) {
	inputs := q.inputs(r.cfg.seed, r.regions, r.cfg.inputs)
	res := &questionResult{Key: q.Key, Title: q.Title, Unit: q.Unit, Inputs: inputs, SPARQL: q.queries(inputs[0]),
		Totals: map[string]int{}, Failed: map[string]string{}}
	out := make([]bool, len(systems))
	answers := make([][]answer, len(systems))
	for si, s := range systems {
		r.logf("%s: warm-up and answers of %s", q.Key, s.Name)
		ans, _, err := r.pass(ctx, s, q, inputs, 1)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil {
			res.Failed[s.Name] = err.Error()
			out[si] = true
			continue
		}
		answers[si] = ans
		for _, a := range ans {
			res.Totals[s.Name] += a.Total
		}
	}
	ref := slices.Index(out, false)
	for i, in := range inputs {
		ans := make([]answer, len(systems))
		ok := make([]bool, len(systems))
		for si := range systems {
			if answers[si] != nil {
				ans[si], ok[si] = answers[si][i], true
			}
		}
		groups := groupAnswers(ans, ok)
		if len(groups) < 2 {
			continue
		}
		m := mismatch{Input: in}
		var details []string
		for gi, g := range groups {
			var names []string
			for _, si := range g {
				names = append(names, systems[si].Name)
				if gi > 0 && !out[si] {
					out[si] = true
					res.Failed[systems[si].Name] = fmt.Sprintf("answers differ from %s's", systems[ref].Name)
				}
			}
			m.Groups = append(m.Groups, group{Systems: names, Total: ans[g[0]].Total})
			if gi > 0 {
				refNames, these := strings.Join(m.Groups[0].Systems, " and "), strings.Join(names, " and ")
				details = append(details, fmt.Sprintf("%s %d %s, %s %d: %s", refNames, ans[groups[0][0]].Total, q.Unit,
					these, ans[g[0]].Total, ans[groups[0][0]].diff(ans[g[0]], refNames, these)))
			}
		}
		m.Detail = strings.Join(details, "; ")
		res.Mismatches = append(res.Mismatches, m)
		r.logf("%s: answers differ for %s: %s", q.Key, in, m.Detail)
	}
	for _, clients := range r.cfg.clients {
		md := &mode{Clients: clients, Latency: map[string]*latencies{}}
		res.Modes = append(res.Modes, md)
		for rep := 0; rep < r.cfg.reps; rep++ {
			var line []string
			for si, s := range systems {
				if out[si] {
					continue
				}
				ans, took, err := r.pass(ctx, s, q, inputs, clients)
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				if err == nil {
					for i := range ans {
						if !ans[i].equal(answers[si][i]) {
							err = fmt.Errorf("input %s: the answer changed between runs: %s", inputs[i], answers[si][i].diff(ans[i], "the warm-up", "this run"))
							break
						}
					}
				}
				if err != nil {
					res.Failed[s.Name] = err.Error()
					out[si] = true
					delete(md.Latency, s.Name)
					continue
				}
				l := md.Latency[s.Name]
				if l == nil {
					l = &latencies{}
					md.Latency[s.Name] = l
				}
				ms := make([]float64, len(took))
				for i, d := range took {
					ms[i] = float64(d.Microseconds()) / 1000
				}
				l.Reps = append(l.Reps, ms)
				l.summarise()
				line = append(line, fmt.Sprintf("%s %.2f ms", s.Name, l.RepP50[len(l.RepP50)-1]))
			}
			r.logf("%s, %d client(s), repetition %d/%d: p50 %s", q.Key, clients, rep+1, r.cfg.reps, strings.Join(line, ", "))
		}
	}
	return res, nil
}

// pass asks q of s for every input, over the given number of concurrent
// clients, and returns the answers and times in input order. The first
// error ends the pass.
func (r *runner) pass(ctx context.Context, s *system, q question, inputs []input, clients int) ([]answer, []time.Duration, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	answers := make([]answer, len(inputs))
	took := make([]time.Duration, len(inputs))
	work := make(chan int)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				a, d, err := s.ask(ctx, r.hc, q, inputs[i])
				if err != nil {
					mu.Lock()
					if first == nil {
						first = fmt.Errorf("input %s: %w", inputs[i], err)
					}
					mu.Unlock()
					cancel()
					continue
				}
				answers[i], took[i] = a, d
			}
		}()
	}
feed:
	for i := range inputs {
		select {
		case work <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	return answers, took, first
}

// versions names what was measured.
func (r *runner) versions(ctx context.Context) map[string]string {
	v := map[string]string{"go": strings.TrimPrefix(runtime.Version(), "go")}
	out := func(name string, args ...string) string {
		// virtuoso-t -? prints its version and exits with status 1.
		b, _ := exec.CommandContext(ctx, name, args...).CombinedOutput()
		return strings.TrimSpace(string(b))
	}
	commit := out("git", "rev-parse", "--short", "HEAD")
	if strings.ContainsAny(commit, " \n") {
		commit = "" // not a git checkout
	}
	if commit != "" && out("git", "status", "--porcelain", "--untracked-files=no") != "" {
		commit += " (with uncommitted changes)"
	}
	v["innograph"] = commit
	if r.cfg.innograph != "" {
		// The binary measured is not the checkout's build.
		v["innograph"] = "binary " + r.cfg.innograph
	}
	for _, s := range r.cfg.systems {
		switch s {
		case "oxigraph":
			v["node"] = out(r.cfg.node, "--version")
			v["oxigraph"] = lockedVersion(r.cfg.peersDir) + " (npm)"
		case "virtuoso":
			for _, l := range strings.Split(out(r.cfg.virtuoso, "-?"), "\n") {
				if rest, ok := strings.CutPrefix(l, "Version "); ok {
					v["virtuoso"], _, _ = strings.Cut(rest, " ")
				}
			}
		}
	}
	return v
}

// lockedVersion reads the oxigraph version the lock file pins.
func lockedVersion(dir string) string {
	data, err := os.ReadFile(dir + "/package-lock.json")
	if err != nil {
		return "?"
	}
	s := string(data)
	i := strings.Index(s, `"node_modules/oxigraph"`)
	if i < 0 {
		return "?"
	}
	s = s[i:]
	_, s, ok := strings.Cut(s, `"version": "`)
	if !ok {
		return "?"
	}
	ver, _, _ := strings.Cut(s, `"`)
	return ver
}

// memTotal is the machine's memory, from /proc/meminfo.
func memTotal() int64 {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(l, "MemTotal:"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), &kb)
			return kb * 1024
		}
	}
	return 0
}

func mb(b int64) float64 { return float64(b) / 1e6 }
